//! A conversation's messages as the API shows them: the thread, page by
//! page (LC-5), and the search inside it.

use atende_domain::{Access, ConversationId, MessageId, Module, UserId};
use atende_store::chats::Message;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{parse_id, visible_conversation};
use crate::api::{AppJson, AppPath, AppQuery, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A message as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct MessageOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: MessageId,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    /// in | out
    pub direction: String,
    /// contact | bot | agent | system
    pub author_kind: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub author_id: Option<UserId>,
    /// LC-8: never delivered to the contact.
    pub internal: bool,
    pub kind: String,
    pub text: Option<String>,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// queued | sent | delivered | read | failed
    pub status: String,
    pub error_code: Option<String>,
    pub error_text: Option<String>,
    /// The channel's own id of the message (WhatsApp's `wamid`), once the
    /// channel gave it: what its receipts and the provider's logs name.
    pub provider_id: Option<String>,
    /// The file of a media message (CH-8), with a signed link.
    pub media: Option<MediaOut>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct MediaOut {
    pub id: String,
    /// pending | stored | failed
    pub status: String,
    pub mime_type: Option<String>,
    pub filename: Option<String>,
    pub size: Option<i64>,
    /// Signed link valid for 24 hours (when stored).
    pub url: Option<String>,
    pub error: Option<String>,
}

impl MediaOut {
    pub fn new(st: &AppState, m: atende_store::ingest::Media) -> MediaOut {
        let url = (m.status == "stored")
            .then(|| crate::media::signed_url(st, m.org_id, m.id, crate::media::AGENT_LINK_TTL_MS));
        MediaOut {
            id: m.id.to_string(),
            status: m.status,
            mime_type: m.mime_type,
            filename: m.filename,
            size: m.size,
            url,
            error: m.error,
        }
    }
}

impl From<Message> for MessageOut {
    fn from(m: Message) -> Self {
        MessageOut {
            id: m.id,
            conversation_id: m.conversation_id,
            direction: m.direction,
            author_kind: m.author_kind,
            author_id: m.author_id,
            internal: m.internal,
            kind: m.kind,
            text: m.text,
            payload: m.payload.0,
            status: m.status,
            error_code: m.error_code,
            error_text: m.error_text,
            provider_id: m.provider_id,
            media: None,
            created_at: time(m.created_at),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageParams {
    /// A message id: return only older messages (the `next_cursor` of a page).
    #[param(format = Uuid)]
    pub before: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MessagePage {
    /// Oldest first (LC-5).
    pub items: Vec<MessageOut>,
    /// Pass as `before` to load older messages.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Text to find (at least 2 characters; case is ignored).
    pub q: String,
    /// At most this many hits (default 50, max 200).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageHits {
    /// Newest first. Load older pages (`before`) until a hit's id is in
    /// the thread to show it in place.
    pub items: Vec<MessageOut>,
}

/// Search inside one conversation (LC-5): messages whose text contains `q`.
#[utoipa::path(get, path = "/conversations/{id}/messages/search", tag = "conversations", params(("id" = String, Path), SearchParams),
    responses((status = 200, body = MessageHits), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub(super) async fn search_messages(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
    AppQuery(p): AppQuery<SearchParams>,
) -> ApiResult<AppJson<MessageHits>> {
    auth.require(Module::Chat, Access::View)?;
    let conv = visible_conversation(&st, &auth, id).await?;
    let q = p.q.trim();
    if q.chars().count() < 2 {
        return Err(ApiError::invalid(
            "Digite ao menos 2 caracteres para buscar.",
        ));
    }
    let limit = p.limit.unwrap_or(50).clamp(1, 200);
    let hits = st
        .store
        .search_messages(auth.org(), conv.id, q, limit)
        .await?;
    Ok(AppJson(MessageHits {
        items: hits.into_iter().map(Into::into).collect(),
    }))
}

/// Messages of a conversation, oldest first, newest page first.
#[utoipa::path(get, path = "/conversations/{id}/messages", tag = "conversations", params(("id" = String, Path), MessageParams),
    responses((status = 200, body = MessagePage), (status = 404, body = crate::error::ErrorBody)))]
pub(super) async fn list_messages(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
    AppQuery(p): AppQuery<MessageParams>,
) -> ApiResult<AppJson<MessagePage>> {
    auth.require(Module::Chat, Access::View)?;
    let conv = visible_conversation(&st, &auth, id).await?;
    let before = parse_id::<MessageId>("before", p.before.as_deref())?;
    let limit = p.limit.unwrap_or(50).clamp(1, 200);
    let items = st
        .store
        .messages(auth.org(), conv.id, before, limit)
        .await?;
    let next_cursor = if items.len() as i64 == limit {
        items.first().map(|m| m.id.to_string())
    } else {
        None
    };
    let has_media = items.iter().any(|m| {
        matches!(
            m.kind.as_str(),
            "image" | "video" | "audio" | "document" | "sticker" | "template"
        )
    });
    let mut media: std::collections::HashMap<MessageId, atende_store::ingest::Media> = if has_media
    {
        st.store
            .media_for_messages(auth.org(), conv.id)
            .await?
            .into_iter()
            .map(|m| (m.message_id, m))
            .collect()
    } else {
        Default::default()
    };
    let items = items
        .into_iter()
        .map(|m| {
            let file = media.remove(&m.id).map(|x| MediaOut::new(&st, x));
            MessageOut {
                media: file,
                ..m.into()
            }
        })
        .collect();
    Ok(AppJson(MessagePage { items, next_cursor }))
}
