//! Sends (channels.md §2.4): the Send API's JSON body for a text (with
//! quick replies for a flow's menu), a file by URL, a reaction or a sender
//! action, with the messaging type the conversation's window allows.

use serde_json::{Map, Value, json};

use super::Recipient;

/// The most characters of one text message (Messenger's limit; longer
/// texts go as several messages).
pub const TEXT_LIMIT: usize = 2000;

/// The most quick replies one message carries.
pub const QUICK_REPLIES_LIMIT: usize = 13;

/// The most characters of a quick reply's title.
pub const QUICK_REPLY_TITLE_LIMIT: usize = 20;

/// Why a message may go (channels.md §2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessagingType {
    /// An answer within 24 h of the customer's last message.
    Response,
    /// A person's reply up to 7 days after it (`MESSAGE_TAG` with
    /// `HUMAN_AGENT`); never a bot's.
    HumanAgent,
}

/// A tappable answer under a text (a flow's buttons or list rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickReply {
    /// At most [`QUICK_REPLY_TITLE_LIMIT`] characters; longer is cut.
    pub title: String,
    /// What the customer's tap answers with.
    pub payload: String,
}

/// The kinds of file the Send API takes by URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attachment {
    Image,
    Video,
    Audio,
    File,
}

impl Attachment {
    fn as_str(self) -> &'static str {
        match self {
            Attachment::Image => "image",
            Attachment::Video => "video",
            Attachment::Audio => "audio",
            Attachment::File => "file",
        }
    }
}

/// What Messenger and Instagram send.
#[derive(Debug, Clone, PartialEq)]
pub enum Outbound {
    /// Text (≤ [`TEXT_LIMIT`] characters) with quick replies (≤ 13).
    Text {
        text: String,
        quick_replies: Vec<QuickReply>,
        messaging: MessagingType,
    },
    /// A file Meta fetches from an `https` URL.
    Attachment {
        kind: Attachment,
        url: String,
        messaging: MessagingType,
    },
    /// A reaction to a customer's message (`mid`); `None` takes ours away.
    Reaction {
        message_id: String,
        emoji: Option<String>,
    },
    /// "typing…" on or off, or the customer's messages marked seen.
    Action { action: &'static str },
}

impl Outbound {
    /// The body that sends this to `to`.
    pub fn body(&self, to: &Recipient) -> Value {
        let mut body = Map::new();
        body.insert("recipient".into(), json!({"id": to.0}));
        let messaging_type = |body: &mut Map<String, Value>, m: MessagingType| match m {
            MessagingType::Response => {
                body.insert("messaging_type".into(), json!("RESPONSE"));
            }
            MessagingType::HumanAgent => {
                body.insert("messaging_type".into(), json!("MESSAGE_TAG"));
                body.insert("tag".into(), json!("HUMAN_AGENT"));
            }
        };
        match self {
            Outbound::Text {
                text,
                quick_replies,
                messaging,
            } => {
                messaging_type(&mut body, *messaging);
                let mut message = json!({"text": text});
                if !quick_replies.is_empty() {
                    message["quick_replies"] = quick_replies
                        .iter()
                        .take(QUICK_REPLIES_LIMIT)
                        .map(|q| {
                            json!({"content_type": "text",
                                "title": q.title.chars().take(QUICK_REPLY_TITLE_LIMIT).collect::<String>(),
                                "payload": q.payload})
                        })
                        .collect();
                }
                body.insert("message".into(), message);
            }
            Outbound::Attachment {
                kind,
                url,
                messaging,
            } => {
                messaging_type(&mut body, *messaging);
                body.insert(
                    "message".into(),
                    json!({"attachment": {"type": kind.as_str(), "payload": {"url": url, "is_reusable": true}}}),
                );
            }
            Outbound::Reaction { message_id, emoji } => {
                let (action, payload) = match emoji {
                    Some(e) => ("react", json!({"message_id": message_id, "reaction": e})),
                    None => ("unreact", json!({"message_id": message_id})),
                };
                body.insert("sender_action".into(), json!(action));
                body.insert("payload".into(), payload);
            }
            Outbound::Action { action } => {
                body.insert("sender_action".into(), json!(action));
            }
        }
        Value::Object(body)
    }
}
