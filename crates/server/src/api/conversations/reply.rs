//! Replies and internal notes an agent sends in a conversation: what the
//! request asks for, composed into the one message the send path queues.

use atende_domain::{Access, ConversationId, Module};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use utoipa::ToSchema;

use super::compose::{
    self, ContactCard, LocationSend, MediaSend, Outgoing, ReactionSend, Request, TemplateSend,
};
use super::{MessageOut, visible_conversation};
use crate::api::{AppJson, AppPath};
use crate::auth::Auth;
use crate::chat::send::{self, Queued, Send};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendRequest {
    /// Free-form text; `{nome}` and custom-field variables are filled in.
    pub text: Option<String>,
    /// LC-8: an internal note, never delivered. A text starting with
    /// `/interna` is internal too.
    #[serde(default)]
    pub internal: bool,
    /// Send an approved template instead of text (allowed outside the
    /// 24 h window).
    pub template: Option<TemplateSend>,
    /// An image, video, audio, document or sticker by link or upload id.
    pub media: Option<MediaSend>,
    pub location: Option<LocationSend>,
    /// Contact cards (CH-9).
    pub contacts: Option<Vec<ContactCard>>,
    /// Buttons, list or call-to-action, in the Cloud API's `interactive` shape.
    #[schema(value_type = Option<Object>)]
    pub interactive: Option<serde_json::Value>,
    pub reaction: Option<ReactionSend>,
}

/// Queues a reply (or an internal note). A reply from an agent assigns the
/// chat as LC-9 says: an unassigned chat (or one with only a department)
/// becomes theirs; a chat already served by another agent keeps its agent.
/// Replying to a chat without an open attendance opens one (new protocol).
/// Outside the 24 h session window free-form sends answer 422
/// `session_expired`; templates and internal notes are always allowed.
/// With an `Idempotency-Key` header, a retried call answers 200 with the
/// message the first call created instead of sending twice.
#[utoipa::path(post, path = "/conversations/{id}/messages", tag = "conversations", params(("id" = String, Path)), request_body = SendRequest,
    responses((status = 202, body = MessageOut), (status = 200, body = MessageOut), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn send_message(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
    headers: HeaderMap,
    AppJson(req): AppJson<SendRequest>,
) -> ApiResult<(StatusCode, AppJson<MessageOut>)> {
    auth.require(Module::Chat, Access::ViewEdit)?;
    let current = visible_conversation(&st, &auth, id).await?;
    let client_key = idempotency_key(&headers)?;
    if let Some(key) = &client_key
        && let Some(earlier) = st.store.message_by_client_key(auth.org(), id, key).await?
    {
        return Ok((StatusCode::OK, AppJson(earlier.into())));
    }
    let request = req.parse()?;
    let contact = st.store.contact(auth.org(), current.contact_id).await?;
    let content = compose::compose(&st, request, &contact, &current).await?;
    // A file uploaded here: its type must suit the kind, and the message
    // keeps it so the thread shows what was sent.
    let upload = compose::find_upload(&st, &current, content.upload.as_ref()).await?;
    let mut tx = st.store.begin().await?;
    let conv = tx.conversation(auth.org(), id).await?;
    let contact = tx.contact(auth.org(), conv.contact_id).await?;
    let (_, queued) = send::queue(
        &mut tx,
        Send {
            conversation: &conv,
            contact: &contact,
            author: auth.author(true),
            content,
            idempotency_key: client_key.clone(),
            upload,
        },
    )
    .await?;
    let (msg, media) = match queued {
        Queued::Sent(sent) => (sent.message, sent.media),
        Queued::Duplicate => {
            // A concurrent retry with the same key won the race: answer with it.
            drop(tx);
            let key = client_key.unwrap_or_default();
            let earlier = st
                .store
                .message_by_client_key(auth.org(), id, &key)
                .await?
                .ok_or_else(|| ApiError::internal("keyed message vanished"))?;
            return Ok((StatusCode::OK, AppJson(earlier.into())));
        }
    };
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    let media = media.map(|m| super::MediaOut::new(&st, m));
    Ok((
        StatusCode::ACCEPTED,
        AppJson(MessageOut {
            media,
            ..msg.into()
        }),
    ))
}

impl SendRequest {
    /// Parses the request into one kind of content: exactly one of the
    /// content fields (a text may go with `media` as its caption), with
    /// `internal` (or a text starting with `/interna`) making it an
    /// internal note that the one send path keeps from the contact, file
    /// and all (LC-8).
    fn parse(self) -> ApiResult<Request> {
        let SendRequest {
            text,
            internal,
            template,
            media,
            location,
            contacts,
            interactive,
            reaction,
        } = self;
        let given = [
            text.is_some(),
            template.is_some(),
            media.is_some(),
            location.is_some(),
            contacts.is_some(),
            interactive.is_some(),
            reaction.is_some(),
        ]
        .iter()
        .filter(|k| **k)
        .count();
        if given > 1 && !(text.is_some() && media.is_some() && given == 2) {
            return Err(ApiError::invalid(
                "Envie um tipo de mensagem por vez (text, template, media, location, contacts, interactive ou reaction).",
            ));
        }
        let (prefixed, text) = match text.as_deref().map(compose::strip_internal) {
            Some((p, rest)) => (p, Some(rest.to_string())),
            None => (false, None),
        };
        let content = if let Some(t) = template {
            Outgoing::Template(t)
        } else if let Some(mut m) = media {
            if m.caption.is_none() {
                m.caption = text.filter(|t| !t.is_empty());
            }
            Outgoing::Media(m)
        } else if let Some(l) = location {
            Outgoing::Location(l)
        } else if let Some(c) = contacts {
            Outgoing::Contacts(c)
        } else if let Some(body) = interactive {
            if !body.is_object() || body.get("type").and_then(|t| t.as_str()).is_none() {
                return Err(ApiError::invalid(
                    "interactive precisa de um objeto com \"type\" (button, list ou cta_url).",
                ));
            }
            let text = body
                .pointer("/body/text")
                .and_then(|t| t.as_str())
                .unwrap_or_default()
                .to_string();
            Outgoing::Interactive { body, text }
        } else if let Some(r) = reaction {
            Outgoing::Reaction(r)
        } else if let Some(t) = text {
            Outgoing::Text(t)
        } else {
            return Err(ApiError::invalid("A mensagem está vazia."));
        };
        Ok(Request {
            internal: internal || prefixed,
            content,
        })
    }
}

/// The optional `Idempotency-Key` header of a send (1..=200 visible ASCII).
fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let k = v
        .to_str()
        .map_err(|_| ApiError::bad_request("Idempotency-Key inválida."))?
        .trim();
    if k.is_empty() || k.len() > 200 {
        return Err(ApiError::bad_request(
            "Idempotency-Key deve ter de 1 a 200 caracteres.",
        ));
    }
    Ok(Some(k.to_string()))
}
