//! Request bodies for `POST /{ver}/{phone-number-id}/messages` (channels.md §1.7).

use serde_json::{Map, Value, json};

use super::message::MediaKind;

/// Who a message goes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Recipient {
    /// A phone number; only its digits are sent (`+`, spaces and dashes dropped).
    Phone(String),
    /// A business-scoped user id (BSUID), sent in the `recipient` field.
    UserId(String),
}

/// An outbound media file: an uploaded media id or a public link.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaRef {
    /// A media id from `POST /{phone-number-id}/media` (lives 30 days).
    Id(String),
    /// An HTTPS URL WhatsApp downloads.
    Link(String),
}

/// A message to send.
#[derive(Debug, Clone, PartialEq)]
pub enum Outbound {
    /// Free text (≤ 4096 characters), optionally with a link preview.
    Text {
        /// The text.
        body: String,
        /// Render a preview of the first URL.
        preview_url: bool,
    },
    /// An image, video, audio, document or sticker.
    Media {
        /// Which media type.
        kind: MediaKind,
        /// The file.
        media: MediaRef,
        /// Caption; dropped for audio and sticker, which have none.
        caption: Option<String>,
        /// File name shown to the user; documents only.
        filename: Option<String>,
    },
    /// A location pin.
    Location {
        /// Latitude in degrees.
        latitude: f64,
        /// Longitude in degrees.
        longitude: f64,
        /// Place name.
        name: Option<String>,
        /// Place address.
        address: Option<String>,
    },
    /// Contact cards, sent verbatim.
    Contacts {
        /// `contacts[]` objects (`name`, `phones`, …).
        contacts: Vec<Value>,
    },
    /// A reaction to a message; an empty `emoji` removes ours.
    Reaction {
        /// `wamid` of the message reacted to.
        message_id: String,
        /// The emoji, or `""` to remove.
        emoji: String,
    },
    /// An approved template; the only kind allowed outside the 24 h window.
    Template {
        /// Template name.
        name: String,
        /// Language code, e.g. `pt_BR`.
        language: String,
        /// Header, body and button components with their parameters, verbatim.
        components: Vec<Value>,
    },
    /// Buttons, list, CTA URL…: the `interactive` object verbatim.
    Interactive {
        /// The `interactive` object.
        interactive: Value,
    },
}

impl Outbound {
    /// The `type` of the request body.
    pub fn type_name(&self) -> &'static str {
        match self {
            Outbound::Text { .. } => "text",
            Outbound::Media { kind, .. } => kind.as_str(),
            Outbound::Location { .. } => "location",
            Outbound::Contacts { .. } => "contacts",
            Outbound::Reaction { .. } => "reaction",
            Outbound::Template { .. } => "template",
            Outbound::Interactive { .. } => "interactive",
        }
    }

    /// The object under the `type` key.
    fn payload(&self) -> Value {
        match self {
            Outbound::Text { body, preview_url } => {
                json!({ "body": body, "preview_url": preview_url })
            }
            Outbound::Media {
                kind,
                media,
                caption,
                filename,
            } => {
                let mut p = Map::new();
                match media {
                    MediaRef::Id(id) => p.insert("id".into(), json!(id)),
                    MediaRef::Link(link) => p.insert("link".into(), json!(link)),
                };
                let captioned = !matches!(kind, MediaKind::Audio | MediaKind::Sticker);
                if let (true, Some(caption)) = (captioned, caption) {
                    p.insert("caption".into(), json!(caption));
                }
                if let (MediaKind::Document, Some(filename)) = (kind, filename) {
                    p.insert("filename".into(), json!(filename));
                }
                Value::Object(p)
            }
            Outbound::Location {
                latitude,
                longitude,
                name,
                address,
            } => {
                let mut p = Map::new();
                p.insert("latitude".into(), json!(latitude));
                p.insert("longitude".into(), json!(longitude));
                if let Some(name) = name {
                    p.insert("name".into(), json!(name));
                }
                if let Some(address) = address {
                    p.insert("address".into(), json!(address));
                }
                Value::Object(p)
            }
            Outbound::Contacts { contacts } => Value::Array(contacts.clone()),
            Outbound::Reaction { message_id, emoji } => {
                json!({ "message_id": message_id, "emoji": emoji })
            }
            Outbound::Template {
                name,
                language,
                components,
            } => {
                let mut p = Map::new();
                p.insert("name".into(), json!(name));
                p.insert("language".into(), json!({ "code": language }));
                if !components.is_empty() {
                    p.insert("components".into(), Value::Array(components.clone()));
                }
                Value::Object(p)
            }
            Outbound::Interactive { interactive } => interactive.clone(),
        }
    }
}

/// The JSON body that sends `msg` to `to`.
///
/// `reply_to` quotes a message (`context.message_id`); `callback_data`
/// becomes `biz_opaque_callback_data` (≤ 512 bytes, echoed in statuses).
pub fn send_body(
    to: &Recipient,
    msg: &Outbound,
    reply_to: Option<&str>,
    callback_data: Option<&str>,
) -> Value {
    let mut body = Map::new();
    body.insert("messaging_product".into(), json!("whatsapp"));
    body.insert("recipient_type".into(), json!("individual"));
    match to {
        Recipient::Phone(phone) => {
            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
            body.insert("to".into(), json!(digits));
        }
        Recipient::UserId(user_id) => {
            body.insert("recipient".into(), json!(user_id));
        }
    }
    let kind = msg.type_name();
    body.insert("type".into(), json!(kind));
    body.insert(kind.into(), msg.payload());
    if let Some(id) = reply_to {
        body.insert("context".into(), json!({ "message_id": id }));
    }
    if let Some(data) = callback_data {
        body.insert("biz_opaque_callback_data".into(), json!(data));
    }
    Value::Object(body)
}

/// The body that marks `wamid` (and every earlier message) as read; with
/// `typing`, it also shows the typing indicator for up to 25 s.
pub fn mark_read_body(wamid: &str, typing: bool) -> Value {
    let mut body = json!({
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": wamid,
    });
    if typing && let Some(map) = body.as_object_mut() {
        map.insert("typing_indicator".into(), json!({ "type": "text" }));
    }
    body
}
