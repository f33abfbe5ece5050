//! The normalized inbound message (channels.md §1.4).

use serde_json::Value;

use super::json::{bool_at, str_at, value_at};
use super::status::WaError;

/// One element of a webhook's `messages[]`, normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    /// `metadata.phone_number_id` of the change: the number that received it
    /// (`""` if absent). Route on this, one endpoint serves many numbers.
    pub phone_number_id: String,
    /// `metadata.display_phone_number` of the change.
    pub display_phone_number: Option<String>,
    /// `messages[].id`, the opaque `wamid.…`; the deduplication key.
    pub wamid: String,
    /// The sender's phone digits (`wa_id`); may be absent under BSUID.
    pub from: Option<String>,
    /// The sender's business-scoped user id (BSUID), e.g. `US.1349…`.
    pub from_user_id: Option<String>,
    /// The sender's parent BSUID, e.g. `US.ENT.…`.
    pub from_parent_user_id: Option<String>,
    /// `profile.name` of the matching entry of `contacts[]`.
    pub profile_name: Option<String>,
    /// `profile.username` of the matching entry of `contacts[]`.
    pub username: Option<String>,
    /// Unix seconds (0 if absent or unreadable).
    pub timestamp: i64,
    /// What the message carries.
    pub content: Content,
    /// Quoted message, forward flags or product enquiry.
    pub context: Option<Context>,
    /// Click-to-WhatsApp ad or post referral, verbatim.
    pub referral: Option<Value>,
    /// Message-level errors (e.g. 131051 on `unsupported`, media download).
    pub errors: Vec<WaError>,
    /// The `messages[]` object verbatim, for storage and placeholders.
    pub raw: Value,
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

impl Context {
    /// Reads a `context` object; `None` when it carries nothing known.
    pub(crate) fn from_value(v: &Value) -> Option<Self> {
        let ctx = Self {
            from: str_at(v, "from"),
            id: str_at(v, "id"),
            forwarded: bool_at(v, "forwarded"),
            frequently_forwarded: bool_at(v, "frequently_forwarded"),
            referred_product: value_at(v, "referred_product"),
        };
        let empty = ctx.from.is_none()
            && ctx.id.is_none()
            && !ctx.forwarded
            && !ctx.frequently_forwarded
            && ctx.referred_product.is_none();
        (!empty).then_some(ctx)
    }
}

/// The kinds of media WhatsApp sends and accepts.
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

/// What an inbound message carries, one variant per `type` of §1.4.
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
        /// The user's **new** `wa_id` on a number change.
        new_wa_id: Option<String>,
        /// The user's BSUID.
        user_id: Option<String>,
        /// The user's parent BSUID.
        parent_user_id: Option<String>,
    },
    /// The user opened the chat for the first time.
    RequestWelcome,
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
    /// A type WhatsApp or this adapter does not support; store a placeholder.
    Unsupported {
        /// `unsupported.type` (e.g. `poll`) if given, else the message `type`.
        kind: String,
    },
}
