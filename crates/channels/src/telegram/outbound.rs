//! Sends (channels.md §3.3): the method to call and its JSON body.

use serde_json::{Map, Value, json};

use crate::inbound::MediaKind;

/// The most characters one `sendMessage` carries; longer texts go as
/// several messages ([`split_text`]).
pub const TEXT_LIMIT: usize = 4096;

/// The most characters a media caption carries.
pub const CAPTION_LIMIT: usize = 1024;

/// The most bytes of a button's `callback_data`.
pub const CALLBACK_DATA_LIMIT: usize = 64;

/// A chat to send to (ids exceed 32 bits; groups are negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatId(pub i64);

/// An inline keyboard button that answers with `data` when pressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub text: String,
    /// 1–64 bytes; longer data is cut at a character boundary.
    pub data: String,
}

/// What Telegram sends.
#[derive(Debug, Clone, PartialEq)]
pub enum Outbound {
    /// Text (≤ [`TEXT_LIMIT`] characters), with rows of buttons (flow menus).
    Text {
        text: String,
        buttons: Vec<Vec<Button>>,
    },
    /// A file by `file_id` or HTTPS link; a voice note is sent as one
    /// (OGG/Opus).
    Media {
        kind: MediaKind,
        file: String,
        caption: Option<String>,
        voice: bool,
    },
    Location {
        latitude: f64,
        longitude: f64,
    },
    /// A contact card.
    Contact {
        phone: String,
        first_name: String,
        last_name: Option<String>,
    },
    /// A reaction to a message (our id of it, `<chat id>:<message id>`);
    /// `None` takes ours away.
    Reaction {
        message_id: String,
        emoji: Option<String>,
    },
    /// "typing…" and the like, shown for up to 5 s.
    ChatAction {
        action: String,
    },
}

impl Outbound {
    /// The Bot API method that sends it.
    pub fn method(&self) -> &'static str {
        match self {
            Outbound::Text { .. } => "sendMessage",
            Outbound::Media { voice: true, .. } => "sendVoice",
            Outbound::Media { kind, .. } => match kind {
                MediaKind::Image => "sendPhoto",
                MediaKind::Video => "sendVideo",
                MediaKind::Audio => "sendAudio",
                MediaKind::Document => "sendDocument",
                MediaKind::Sticker => "sendSticker",
            },
            Outbound::Location { .. } => "sendLocation",
            Outbound::Contact { .. } => "sendContact",
            Outbound::Reaction { .. } => "setMessageReaction",
            Outbound::ChatAction { .. } => "sendChatAction",
        }
    }

    /// The method's JSON body for `to`, quoting `reply_to` (our id of a
    /// message, `<chat id>:<message id>`) when given.
    pub fn body(&self, to: &ChatId, reply_to: Option<&str>) -> Value {
        let mut body = Map::new();
        body.insert("chat_id".into(), json!(to.0));
        match self {
            Outbound::Text { text, buttons } => {
                body.insert("text".into(), json!(text));
                if !buttons.is_empty() {
                    let rows: Vec<Vec<Value>> = buttons
                        .iter()
                        .map(|row| {
                            row.iter()
                                .map(|b| json!({"text": b.text, "callback_data": cut(&b.data, CALLBACK_DATA_LIMIT)}))
                                .collect()
                        })
                        .collect();
                    body.insert("reply_markup".into(), json!({"inline_keyboard": rows}));
                }
            }
            Outbound::Media {
                kind,
                file,
                caption,
                voice,
            } => {
                let field = match (voice, kind) {
                    (true, _) => "voice",
                    (_, MediaKind::Image) => "photo",
                    (_, k) => k.as_str(),
                };
                body.insert(field.into(), json!(file));
                if let Some(c) = caption.as_deref().filter(|c| !c.is_empty()) {
                    body.insert(
                        "caption".into(),
                        json!(c.chars().take(CAPTION_LIMIT).collect::<String>()),
                    );
                }
            }
            Outbound::Location {
                latitude,
                longitude,
            } => {
                body.insert("latitude".into(), json!(latitude));
                body.insert("longitude".into(), json!(longitude));
            }
            Outbound::Contact {
                phone,
                first_name,
                last_name,
            } => {
                body.insert("phone_number".into(), json!(phone));
                body.insert("first_name".into(), json!(first_name));
                if let Some(l) = last_name.as_deref().filter(|l| !l.is_empty()) {
                    body.insert("last_name".into(), json!(l));
                }
            }
            Outbound::Reaction { message_id, emoji } => {
                body.insert("message_id".into(), json!(message_number(message_id)));
                let reaction: Vec<Value> = emoji
                    .iter()
                    .map(|e| json!({"type": "emoji", "emoji": e}))
                    .collect();
                body.insert("reaction".into(), json!(reaction));
            }
            Outbound::ChatAction { action } => {
                body.insert("action".into(), json!(action));
            }
        }
        let quoted = reply_to.and_then(message_number);
        let quotes = !matches!(
            self,
            Outbound::ChatAction { .. } | Outbound::Reaction { .. }
        );
        if let (Some(message_id), true) = (quoted, quotes) {
            body.insert(
                "reply_parameters".into(),
                json!({"message_id": message_id, "allow_sending_without_reply": true}),
            );
        }
        Value::Object(body)
    }
}

/// The message id in its chat of our id of a message
/// (`<chat id>:<message id>`).
fn message_number(id: &str) -> Option<i64> {
    id.rsplit_once(':').and_then(|(_, m)| m.parse().ok())
}

/// At most `max` bytes of `s`, cut at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A text in pieces of at most [`TEXT_LIMIT`] characters (see
/// [`crate::split_text`]).
pub fn split_text(text: &str) -> Vec<String> {
    crate::split_text(text, TEXT_LIMIT)
}
