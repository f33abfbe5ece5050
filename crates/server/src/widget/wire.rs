//! What a visitor sees of a conversation's messages: never internal notes
//! or system lines, an agent by first name only, files through signed
//! links, a flow's menu as buttons.

use std::collections::HashMap;

use atende_domain::{MessageId, OrgId, UserId};
use atende_store::Store;
use atende_store::chats::Message;
use atende_store::events::EventMessage;
use atende_store::ingest::Media;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::state::AppState;

/// How long a file's link in a message stays valid.
const LINK_TTL_MS: i64 = 12 * 3_600_000;

/// A message as the widget shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WidgetMessage {
    #[schema(value_type = String, format = Uuid)]
    pub id: MessageId,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: atende_domain::ConversationId,
    /// `contact` (the visitor), `agent` or `bot`.
    pub sender: String,
    /// The agent's first name.
    pub author_name: Option<String>,
    /// `text`, `image`, `video`, `audio`, `document`, `sticker`,
    /// `interactive`, `location`, `contacts`…
    pub kind: String,
    pub text: Option<String>,
    pub attachments: Vec<Attachment>,
    /// A flow's menu: the visitor answers by choosing one.
    pub buttons: Vec<Choice>,
    /// `queued`, `sent`, `delivered`, `read` or `failed`.
    pub status: String,
    /// The visitor's own id of a message they sent.
    pub client_message_id: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

/// A message's file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attachment {
    pub name: Option<String>,
    pub mime: Option<String>,
    pub size: Option<i64>,
    /// A signed link to the file; null while it is not available.
    pub url: Option<String>,
}

/// One option of a flow's menu.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Choice {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The fields of a message, stored or as an event carries it.
pub(super) struct Parts<'a> {
    pub id: MessageId,
    pub conversation_id: atende_domain::ConversationId,
    pub author_kind: &'a str,
    pub author_id: Option<UserId>,
    pub internal: bool,
    pub kind: &'a str,
    pub text: Option<&'a str>,
    pub payload: &'a serde_json::Map<String, Value>,
    pub status: &'a str,
    pub provider_id: Option<&'a str>,
    pub created_at: i64,
}

impl<'a> Parts<'a> {
    pub fn of_message(m: &'a Message) -> Option<Parts<'a>> {
        Some(Parts {
            id: m.id,
            conversation_id: m.conversation_id,
            author_kind: &m.author_kind,
            author_id: m.author_id,
            internal: m.internal,
            kind: &m.kind,
            text: m.text.as_deref(),
            payload: m.payload.0.as_object()?,
            status: &m.status,
            provider_id: m.provider_id.as_deref(),
            created_at: m.created_at,
        })
    }

    pub fn of_event(m: &'a EventMessage) -> Parts<'a> {
        Parts {
            id: m.id,
            conversation_id: m.conversation_id,
            author_kind: &m.author_kind,
            author_id: m.author_id,
            internal: m.internal,
            kind: &m.kind,
            text: m.text.as_deref(),
            payload: &m.payload,
            status: &m.status,
            provider_id: m.provider_id.as_deref(),
            created_at: m.created_at,
        }
    }

    /// Whether the visitor sees it: the contact's and the agents' and
    /// bots' messages, never a note, a system line or a reaction.
    pub fn visible(&self) -> bool {
        !self.internal
            && matches!(self.author_kind, "contact" | "agent" | "bot")
            && self.kind != "reaction"
    }
}

/// Turns messages into what the visitor sees, looking up agents' names
/// once each.
pub(super) struct Shower<'a> {
    st: &'a AppState,
    org: OrgId,
    names: HashMap<UserId, Option<String>>,
}

impl<'a> Shower<'a> {
    pub fn new(st: &'a AppState, org: OrgId) -> Shower<'a> {
        Shower {
            st,
            org,
            names: HashMap::new(),
        }
    }

    async fn name(&mut self, store: &Store, id: UserId) -> Option<String> {
        if let Some(n) = self.names.get(&id) {
            return n.clone();
        }
        let n = store
            .user(self.org, id)
            .await
            .ok()
            .and_then(|u| u.name.split_whitespace().next().map(str::to_string));
        self.names.insert(id, n.clone());
        n
    }

    /// The message as the visitor sees it (`None` when they do not).
    pub async fn show(&mut self, p: &Parts<'_>, media: Option<&Media>) -> Option<WidgetMessage> {
        if !p.visible() {
            return None;
        }
        let author_name = match (p.author_kind, p.author_id) {
            ("agent", Some(id)) => {
                let st = self.st;
                self.name(&st.store, id).await
            }
            _ => None,
        };
        let attachments = media
            .map(|m| Attachment {
                name: m.filename.clone(),
                mime: m.mime_type.clone(),
                size: m.size,
                url: (m.status == "stored" && m.path.is_some())
                    .then(|| crate::media::signed_url(self.st, self.org, m.id, LINK_TTL_MS)),
            })
            .into_iter()
            .collect();
        let client_message_id = p
            .provider_id
            .and_then(super::client_id_of)
            .map(str::to_string)
            .filter(|_| p.author_kind == "contact");
        Some(WidgetMessage {
            id: p.id,
            conversation_id: p.conversation_id,
            sender: p.author_kind.to_string(),
            author_name,
            kind: p.kind.to_string(),
            text: p.text.map(str::to_string),
            attachments,
            buttons: p
                .payload
                .get("interactive")
                .map(choices)
                .unwrap_or_default(),
            status: p.status.to_string(),
            client_message_id,
            created_at: crate::extract::time(p.created_at),
        })
    }
}

/// A flow menu's options as the visitor's buttons.
fn choices(interactive: &Value) -> Vec<Choice> {
    crate::chat::menu::options(interactive)
        .into_iter()
        .map(|o| Choice {
            id: o.id,
            title: o.title,
            description: o.description,
        })
        .collect()
}
