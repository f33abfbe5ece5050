//! What every channel's webhook becomes: channel-neutral inbound events.
//!
//! An adapter reads its provider's body into [`Inbound`] events; the server
//! routes each to one of its inboxes by [`Inbound::address`] and applies it
//! the same way whichever channel it came from.

use serde_json::Value;

/// One thing a channel tells us, in the order it arrived.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "messages are the common case; events are few and short-lived"
)]
pub enum Inbound {
    /// A message from a customer.
    Message(Message),
    /// What became of a message we sent.
    Receipt(Receipt),
    /// Every message we sent a customer up to a moment reached a state
    /// (Messenger's delivery and read watermarks).
    Watermark(Watermark),
    /// A message template of a business account changed status.
    TemplateStatus(TemplateStatus),
    /// The provider reported errors not tied to a message.
    Problem {
        /// Our address the errors are about, when given.
        address: Option<String>,
        /// The errors, in order.
        errors: Vec<ProviderError>,
    },
    /// Something the adapter reads but Atende does not act on.
    Ignored {
        /// What it was (e.g. a webhook `field`).
        what: String,
    },
}

impl Inbound {
    /// The address (our inbox's id on the channel) the event is routed by;
    /// template changes are routed by their account instead.
    pub fn address(&self) -> Option<&str> {
        match self {
            Inbound::Message(m) => Some(&m.address),
            Inbound::Receipt(r) => Some(&r.address),
            Inbound::Watermark(w) => Some(&w.address),
            Inbound::Problem { address, .. } => address.as_deref(),
            Inbound::TemplateStatus(_) | Inbound::Ignored { .. } => None,
        }
    }
}

/// A customer's message, whatever the channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Our inbox's id on the channel (WhatsApp: the `phone_number_id`).
    pub address: String,
    /// How customers see that address (WhatsApp: the display number).
    pub own_number: Option<String>,
    /// The provider's id of the message: the deduplication key.
    pub id: String,
    /// Who wrote.
    pub sender: Sender,
    /// Unix seconds (0 if absent or unreadable).
    pub timestamp: i64,
    /// What the message carries.
    pub content: Content,
    /// Quoted message, forward flags or product enquiry.
    pub context: Option<Context>,
    /// The ad or post that brought the customer, verbatim.
    pub referral: Option<Value>,
    /// Message-level errors the provider attached.
    pub errors: Vec<ProviderError>,
    /// The provider's message object verbatim, for storage and placeholders.
    pub raw: Value,
}

/// Who wrote a message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sender {
    /// The id the contact is keyed on; `None` when the provider gave none.
    pub key: Option<String>,
    /// Their phone number's digits, international, when the channel has one.
    pub phone: Option<String>,
    /// A second id of the same person, linked to the same contact.
    pub alias: Option<String>,
    /// Their profile name.
    pub name: Option<String>,
    /// Their username.
    pub username: Option<String>,
}

impl Sender {
    /// Whether the contact is keyed on their phone number.
    pub fn keyed_by_phone(&self) -> bool {
        self.key.is_some() && self.key == self.phone
    }
}

/// What became of a message we sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    /// Our inbox's id on the channel.
    pub address: String,
    /// The provider's id of our message.
    pub id: String,
    /// The new state.
    pub state: Delivery,
    /// The customer it went to (their key), when the provider says.
    pub recipient: Option<String>,
    /// Unix seconds (0 if absent or unreadable).
    pub timestamp: i64,
    /// Why a failed message failed.
    pub errors: Vec<ProviderError>,
    /// Our own message id, when the channel echoes it back.
    pub callback: Option<String>,
}

/// Every message sent to `recipient` up to `up_to` reached `state`.
#[derive(Debug, Clone, PartialEq)]
pub struct Watermark {
    /// Our inbox's id on the channel.
    pub address: String,
    /// The customer (their key).
    pub recipient: String,
    /// `Delivered` or `Read`.
    pub state: Delivery,
    /// Unix milliseconds: messages sent at or before it.
    pub up_to: i64,
}

/// The delivery states a channel reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The provider took it.
    Sent,
    /// It reached the customer's device.
    Delivered,
    /// The customer read (or played) it.
    Read,
    /// It will not arrive.
    Failed,
}

/// A template of a business account changed status.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateStatus {
    /// The account the template belongs to (WhatsApp: the WABA id).
    pub account: Option<String>,
    /// The new status, e.g. `APPROVED`, `REJECTED`, `PAUSED`.
    pub status: Option<String>,
    /// The provider's template id.
    pub template_id: Option<String>,
    /// Template name.
    pub name: Option<String>,
    /// Language code, e.g. `pt_BR`.
    pub language: Option<String>,
    /// Why, e.g. a rejection reason.
    pub reason: Option<String>,
}

/// An error a provider reported.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderError {
    /// The provider's numeric code.
    pub code: i64,
    /// Short title.
    pub title: Option<String>,
    /// Message text.
    pub message: Option<String>,
    /// Further details.
    pub details: Option<String>,
}

impl ProviderError {
    /// The text shown on a failed message: the provider's message (or
    /// title) and its details.
    pub fn text(&self, fallback: &str) -> String {
        error_text(
            self.title.as_deref(),
            self.message.as_deref(),
            self.details.as_deref(),
            fallback,
        )
    }
}

/// A provider's error message (or title), with its details when they add
/// something; `fallback` when it gave neither.
pub fn error_text(
    title: Option<&str>,
    message: Option<&str>,
    details: Option<&str>,
    fallback: &str,
) -> String {
    let head = message.or(title).unwrap_or(fallback);
    match details {
        Some(d) if !d.is_empty() && d != head => format!("{head}: {d}"),
        _ => head.to_string(),
    }
}

/// The `context` of an inbound message.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// Sender of the quoted message.
    pub from: Option<String>,
    /// `wamid` of the quoted message (ours or theirs).
    pub id: Option<String>,
    /// The message was forwarded.
    pub forwarded: bool,
    /// The message was forwarded many times.
    pub frequently_forwarded: bool,
    /// `{catalog_id, product_retailer_id}` of a product enquiry, verbatim.
    pub referred_product: Option<Value>,
}

/// The kinds of media channels send and accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    /// JPEG or PNG picture.
    Image,
    /// MP4 or 3GP video.
    Video,
    /// Audio file or voice note.
    Audio,
    /// Any file, with a filename.
    Document,
    /// WebP sticker, static or animated.
    Sticker,
}

impl MediaKind {
    /// Every kind, in declaration order.
    pub const ALL: [MediaKind; 5] = [
        MediaKind::Image,
        MediaKind::Video,
        MediaKind::Audio,
        MediaKind::Document,
        MediaKind::Sticker,
    ];

    /// The wire name: `image`, `video`, `audio`, `document` or `sticker`.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Document => "document",
            MediaKind::Sticker => "sticker",
        }
    }

    /// The kind with the given wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// What an inbound message carries (WhatsApp's types of channels.md §1.4
/// are the widest set; other channels map onto them).
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// `text.body`.
    Text {
        /// The text (`""` if absent).
        body: String,
    },
    /// An image, video, audio, document or sticker.
    Media {
        /// Which media type.
        kind: MediaKind,
        /// Media id to fetch with `GET /{ver}/{id}` (lives 7 days).
        id: Option<String>,
        /// Direct `lookaside` URL (newer payloads); still needs the token.
        url: Option<String>,
        /// MIME type as reported.
        mime_type: Option<String>,
        /// Base64 SHA-256 of the file, as reported.
        sha256: Option<String>,
        /// Caption (image, video, document).
        caption: Option<String>,
        /// File name (document).
        filename: Option<String>,
        /// A push-to-talk voice note (audio).
        voice: bool,
        /// An animated sticker.
        animated: bool,
    },
    /// A shared location; coordinates arrive as numbers or numeric strings.
    Location {
        /// Latitude in degrees.
        latitude: f64,
        /// Longitude in degrees.
        longitude: f64,
        /// Place name.
        name: Option<String>,
        /// Place address.
        address: Option<String>,
        /// Place URL.
        url: Option<String>,
    },
    /// Shared contact cards, verbatim.
    Contacts {
        /// The `contacts[]` of the message.
        contacts: Vec<Value>,
    },
    /// A reply to an interactive message.
    InteractiveReply {
        /// `button_reply`, `list_reply` or `nfm_reply` (or a newer type).
        kind: String,
        /// The button or row id we sent; for `nfm_reply` the flow `name`.
        id: Option<String>,
        /// The title the user tapped; for `nfm_reply` its `body`.
        title: Option<String>,
        /// The list row description.
        description: Option<String>,
        /// The Flow answer (`nfm_reply.response_json`), a JSON string.
        response_json: Option<String>,
    },
    /// A template quick-reply tap.
    Button {
        /// The payload we put in the template button.
        payload: Option<String>,
        /// The button text.
        text: Option<String>,
    },
    /// A reaction to an earlier message; updates it, is not a new message.
    Reaction {
        /// `wamid` of the message reacted to.
        message_id: String,
        /// The emoji; `None` when empty or missing, i.e. the reaction was removed.
        emoji: Option<String>,
    },
    /// A catalog order, verbatim.
    Order {
        /// The `order` object.
        order: Value,
    },
    /// A system notice, e.g. the user changed number.
    System {
        /// Human-readable notice.
        body: Option<String>,
        /// `system.type`, e.g. `customer_changed_number`.
        kind: Option<String>,
        /// The user's **new** id on the channel after a number change.
        new_id: Option<String>,
        /// The user's BSUID.
        user_id: Option<String>,
        /// The user's parent BSUID.
        parent_user_id: Option<String>,
    },
    /// The user opened the chat for the first time.
    RequestWelcome,
    /// The customer mentioned our account in their Instagram story: the
    /// story's link only (Meta's policy forbids keeping its media), which
    /// stops working when the story expires (24 h).
    StoryMention {
        /// The story's CDN link.
        url: Option<String>,
    },
    /// An edit of an earlier message (coexistence numbers).
    Edit {
        /// `wamid` of the edited message.
        original_message_id: Option<String>,
        /// The new message object, verbatim.
        message: Value,
    },
    /// A deletion of an earlier message (coexistence numbers).
    Revoke {
        /// `wamid` of the deleted message.
        original_message_id: Option<String>,
    },
    /// A type the channel or its adapter does not support; store a placeholder.
    Unsupported {
        /// `unsupported.type` (e.g. `poll`) if given, else the message `type`.
        kind: String,
    },
}
