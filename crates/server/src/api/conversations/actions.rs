//! What an agent does to a conversation.

use atende_domain::{
    Access, AssignmentAction, ContentKind, ConversationId, DepartmentId, Module, UserId,
};
use atende_store::chats::{Conversation, NewMessage};
use atende_store::{NewJob, Tx};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::compose::{
    self, ContactCard, LocationSend, MAX_TEXT, MediaSend, ReactionSend, TemplateSend,
};
use super::{ConversationOut, MessageOut, begin_visible, conversation_out, visible_conversation};
use crate::api::{AppJson, AppPath, MaybeJson};
use crate::auth::Auth;
use crate::chat::close::{close_now, start_after_close};
use crate::chat::send::{self, Queued, Send};
use crate::error::{ApiError, ApiResult};
use crate::jobs::kinds;
use crate::state::AppState;

pub use crate::chat::send::CONTACT_BLOCKED;

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
    let contact = st.store.contact(auth.org(), current.contact_id).await?;
    let content = compose_request(&st, &req, &contact, &current).await?;
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

/// What a send request asks for, as the message to store. `internal` (or a
/// text starting with `/interna`) makes any of them an internal note: the
/// one send path then keeps it from the contact, file and all (LC-8).
async fn compose_request(
    st: &AppState,
    req: &SendRequest,
    contact: &atende_store::chats::Contact,
    conv: &Conversation,
) -> ApiResult<compose::Outgoing> {
    let kinds = [
        req.text.is_some(),
        req.template.is_some(),
        req.media.is_some(),
        req.location.is_some(),
        req.contacts.is_some(),
        req.interactive.is_some(),
        req.reaction.is_some(),
    ];
    let given = kinds.iter().filter(|k| **k).count();
    if given > 1 && !(req.text.is_some() && req.media.is_some() && given == 2) {
        return Err(ApiError::invalid(
            "Envie um tipo de mensagem por vez (text, template, media, location, contacts, interactive ou reaction).",
        ));
    }
    let (prefixed, text) = match req.text.as_deref() {
        Some(t) => {
            let (p, rest) = compose::strip_internal(t);
            (p, Some(rest))
        }
        None => (false, None),
    };
    let internal = req.internal || prefixed;
    let mut content = if let Some(t) = &req.template {
        let inbox = st.store.inbox(conv.org_id, conv.inbox_id).await?;
        compose::template(st, &inbox, t, contact, conv).await?
    } else if let Some(m) = &req.media {
        let mut m = m.clone();
        if m.caption.is_none() {
            m.caption = text.filter(|t| !t.is_empty()).map(str::to_string);
        }
        compose::media(&m)?
    } else if let Some(l) = &req.location {
        compose::location(l)?
    } else if let Some(c) = &req.contacts {
        compose::contacts(c)?
    } else if let Some(i) = &req.interactive {
        if !i.is_object() || i.get("type").and_then(|t| t.as_str()).is_none() {
            return Err(ApiError::invalid(
                "interactive precisa de um objeto com \"type\" (button, list ou cta_url).",
            ));
        }
        let text = i
            .pointer("/body/text")
            .and_then(|t| t.as_str())
            .unwrap_or_default()
            .to_string();
        compose::Outgoing {
            internal: false,
            kind: ContentKind::Interactive,
            text,
            payload: json!({"interactive": i}),
            upload: None,
        }
    } else if let Some(r) = &req.reaction {
        compose::reaction(st, r, conv).await?
    } else if let Some(text) = text {
        match compose::image_variable(st, contact, text).await? {
            Some(m) if !internal => compose::media(&m)?,
            _ => compose::text(text, internal)?,
        }
    } else {
        return Err(ApiError::invalid("A mensagem está vazia."));
    };
    content.internal |= internal;
    Ok(content)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// Forward to this agent (replaces the department).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub agent_id: Option<UserId>,
    /// Forward to this department (back to its queue).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub department_id: Option<DepartmentId>,
    /// Required when another agent is already assigned ("Tem certeza que
    /// deseja alterar o agente?").
    #[serde(default)]
    pub confirm: bool,
}

/// Forwards a chat to an agent or a department (LC-9) and writes a system
/// line naming who did it.
#[utoipa::path(post, path = "/conversations/{id}/assign", tag = "conversations", params(("id" = String, Path)), request_body = AssignRequest,
    responses((status = 200, body = ConversationOut), (status = 409, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn assign(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
    AppJson(req): AppJson<AssignRequest>,
) -> ApiResult<AppJson<ConversationOut>> {
    auth.require(Module::Chat, Access::ViewEdit)?;
    visible_conversation(&st, &auth, id).await?;
    let (action, line) = match (req.agent_id, req.department_id) {
        (Some(agent), None) => {
            let a = st
                .store
                .user(auth.org(), agent)
                .await
                .map_err(|_| ApiError::invalid("Agente não encontrado."))?;
            if !a.active {
                return Err(ApiError::invalid("Este agente está desativado."));
            }
            (
                AssignmentAction::ForwardToAgent(agent),
                format!(
                    "Conversa atribuída ao agente {} por {}.",
                    a.name, auth.user.name
                ),
            )
        }
        (None, Some(dept)) => {
            let d = st
                .store
                .department(auth.org(), dept)
                .await
                .map_err(|_| ApiError::invalid("Departamento não encontrado."))?;
            (
                AssignmentAction::ForwardToDepartment(dept),
                format!(
                    "Conversa encaminhada ao departamento {} por {}.",
                    d.name, auth.user.name
                ),
            )
        }
        _ => {
            return Err(ApiError::invalid(
                "Informe agent_id ou department_id (um dos dois).",
            ));
        }
    };
    let mut tx = st.store.begin().await?;
    let conv = tx.conversation(auth.org(), id).await?;
    let current = atende_domain::Assignment {
        department_id: conv.department_id,
        agent_id: conv.agent_id,
    };
    if atende_domain::needs_confirmation(&current, &action) && !req.confirm {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "confirm_agent_change",
            "Tem certeza que deseja alterar o agente?",
        ));
    }
    let forward = matches!(action, AssignmentAction::ForwardToDepartment(_));
    let (mut conv, _) = tx
        .assign(&conv, action, Some(auth.user.id), Some(line))
        .await?;
    if forward {
        // An auto department hands the chat to a member, or queues it.
        conv = crate::flows::routing::distribute(&mut tx, &conv).await?;
    }
    st.commit(tx).await?;
    Ok(AppJson(conversation_out(&st, &auth, &conv).await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// Closing message sent to the contact (blank: none).
    pub message: Option<String>,
    /// Close later instead of now: in this many minutes (1..=10080)…
    #[schema(minimum = 1, maximum = 10080)]
    #[serde(default, deserialize_with = "crate::api::whole_number")]
    pub in_minutes: Option<i64>,
    /// …or at this RFC 3339 time.
    pub at: Option<String>,
    /// For a scheduled closing: keep it when the contact replies (default:
    /// a reply cancels it).
    #[serde(default)]
    pub keep_if_contact_replies: bool,
    /// Values of the custom fields asked at closing
    /// (`GET …/closing-fields`), by key; null clears a value ("Excluir valor
    /// atual"). Mandatory fields must have a value, given here or kept.
    #[serde(default)]
    #[schema(value_type = std::collections::BTreeMap<String, Option<String>>)]
    pub fields: std::collections::BTreeMap<String, serde_json::Value>,
    /// A flow to start for the contact once the attendance closes (LC-11),
    /// e.g. a satisfaction survey; it must be published.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub flow_id: Option<atende_domain::FlowId>,
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

/// Closes the attendance now, or schedules its closing (LC-11). Closing
/// removes agent and department.
#[utoipa::path(post, path = "/conversations/{id}/close", tag = "conversations", params(("id" = String, Path)), request_body = Option<CloseRequest>,
    responses((status = 200, body = ConversationOut), (status = 202, body = ConversationOut), (status = 422, body = crate::error::ErrorBody)))]
pub async fn close(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
    MaybeJson(body): MaybeJson<CloseRequest>,
) -> ApiResult<(StatusCode, AppJson<ConversationOut>)> {
    auth.require(Module::Chat, Access::ViewEdit)?;
    let seen = visible_conversation(&st, &auth, id).await?;
    let req = body.unwrap_or_default();
    let message = req
        .message
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty());
    if message
        .as_ref()
        .is_some_and(|m| m.chars().count() > MAX_TEXT)
    {
        return Err(ApiError::invalid(format!(
            "A mensagem de encerramento passa de {MAX_TEXT} caracteres."
        )));
    }
    let now = atende_store::now_ms();
    let at = match (req.in_minutes, req.at.as_deref()) {
        (None, None) => None,
        (Some(m), None) if (1..=10_080).contains(&m) => Some(now + m * 60_000),
        (Some(_), None) => return Err(ApiError::invalid("in_minutes deve estar entre 1 e 10080.")),
        (None, Some(t)) => {
            let t = chrono::DateTime::parse_from_rfc3339(t)
                .map_err(|_| ApiError::invalid("at deve ser uma data RFC 3339."))?;
            let ms = t.timestamp_millis();
            if ms <= now {
                return Err(ApiError::invalid("at deve estar no futuro."));
            }
            Some(ms)
        }
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid("Informe in_minutes ou at, não os dois."));
        }
    };
    if seen.attendance_id.is_none() {
        return Err(not_open());
    }
    let after = match req.flow_id {
        Some(f) => {
            let flow = st.store.flow(auth.org(), f).await?;
            match flow.published_version {
                Some(v) => Some((f, v)),
                None => {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "not_published",
                        "O fluxo após o encerramento ainda não foi publicado.",
                    ));
                }
            }
        }
        None => None,
    };
    let values = super::closing::check(&st, &auth, &seen, req.fields).await?;
    let mut tx = st.store.begin().await?;
    let conv = tx.conversation(auth.org(), id).await?;
    let Some(attendance) = conv.attendance_id else {
        return Err(not_open());
    };
    super::closing::save(&mut tx, &conv, values).await?;
    let (status, conv) = match at {
        None => {
            let closed = close_now(
                &mut tx,
                &conv,
                message.as_deref(),
                Some(&auth.user.name),
                Some(auth.user.id),
            )
            .await?;
            if let Some((flow, version)) = after {
                start_after_close(&mut tx, &closed, flow, version).await?;
            }
            (StatusCode::OK, closed)
        }
        Some(at) => {
            tx.schedule_close(
                &conv,
                at,
                req.keep_if_contact_replies,
                message.as_deref(),
                Some(auth.user.id),
            )
            .await?;
            let job = NewJob {
                run_at: at,
                idempotency_key: Some(format!("close:{attendance}:{at}")),
                ..NewJob::now(
                    Some(auth.org()),
                    kinds::CLOSE_ATTENDANCE,
                    json!({"conversation_id": conv.id, "attendance_id": attendance, "at": at,
                           "flow_id": after.map(|(f, _)| f)}),
                )
            };
            tx.enqueue(job).await?;
            (StatusCode::ACCEPTED, conv)
        }
    };
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok((status, AppJson(conversation_out(&st, &auth, &conv).await?)))
}

/// Commits a change to a chat and answers the chat as the caller now sees
/// it (still visible: the change may have moved it out of their views).
async fn commit_and_show(
    st: &AppState,
    auth: &Auth,
    tx: Tx,
    id: ConversationId,
) -> ApiResult<AppJson<ConversationOut>> {
    st.commit(tx).await?;
    let conv = visible_conversation(st, auth, id).await?;
    Ok(AppJson(conversation_out(st, auth, &conv).await?))
}

fn not_open() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_open",
        "Esta conversa não tem atendimento aberto.",
    )
}

/// Cancels a scheduled closing.
#[utoipa::path(delete, path = "/conversations/{id}/close", tag = "conversations", params(("id" = String, Path)),
    responses((status = 200, body = ConversationOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn cancel_close(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
) -> ApiResult<AppJson<ConversationOut>> {
    auth.require(Module::Chat, Access::ViewEdit)?;
    let (mut tx, conv) = begin_visible(&st, &auth, id).await?;
    if !tx.cancel_scheduled_close(&conv, Some(auth.user.id)).await? {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no_scheduled_close",
            "Não há encerramento agendado.",
        ));
    }
    st.commit(tx).await?;
    Ok(AppJson(conversation_out(&st, &auth, &conv).await?))
}

/// Marks a conversation read (opening it in the app does this).
#[utoipa::path(post, path = "/conversations/{id}/read", tag = "conversations", params(("id" = String, Path)), responses((status = 204)))]
pub async fn mark_read(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Chat, Access::View)?;
    let (mut tx, conv) = begin_visible(&st, &auth, id).await?;
    let had_unread = conv.unread > 0;
    tx.mark_read(&conv).await?;
    // Tell the channel too (blue checks on WhatsApp), once per batch read.
    if had_unread && let Some(wamid) = st.store.last_inbound_provider_id(auth.org(), id).await? {
        let job = NewJob {
            idempotency_key: Some(format!("read:{}:{wamid}", conv.inbox_id)),
            max_attempts: 3,
            ..NewJob::now(
                Some(auth.org()),
                kinds::MARK_READ,
                json!({"inbox_id": conv.inbox_id, "provider_id": wamid}),
            )
        };
        tx.enqueue(job).await?;
    }
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok(StatusCode::NO_CONTENT)
}

/// Marks a conversation unread (LC-7 "Marcar como não lida").
#[utoipa::path(post, path = "/conversations/{id}/unread", tag = "conversations", params(("id" = String, Path)), responses((status = 204)))]
pub async fn mark_unread(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Chat, Access::View)?;
    let (mut tx, conv) = begin_visible(&st, &auth, id).await?;
    tx.mark_unread(&conv).await?;
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagsRequest {
    /// The chat's tags after the call (ids of `GET /tags`); `[]` removes all.
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub tags: Vec<atende_domain::TagId>,
}

/// Sets a chat's tags (the LC-2 tag filter reads them). Emits
/// `conversation.tagged` when they change.
#[utoipa::path(put, path = "/conversations/{id}/tags", tag = "conversations", params(("id" = String, Path)),
    request_body = TagsRequest,
    responses((status = 200, body = ConversationOut), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_tags(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
    AppJson(req): AppJson<TagsRequest>,
) -> ApiResult<AppJson<ConversationOut>> {
    auth.require(Module::Chat, Access::ViewEdit)?;
    visible_conversation(&st, &auth, id).await?;
    let known = st.store.tags(auth.org()).await?;
    if let Some(bad) = req.tags.iter().find(|t| !known.iter().any(|k| k.id == **t)) {
        return Err(ApiError::invalid(format!("Etiqueta desconhecida: {bad}.")));
    }
    let (mut tx, conv) = begin_visible(&st, &auth, id).await?;
    tx.set_conversation_tags(&conv, &req.tags).await?;
    commit_and_show(&st, &auth, tx, id).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignRequest {
    /// The campaign the chat came from (an id of `GET /campaigns`); null
    /// unmarks it.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub campaign_id: Option<atende_domain::CampaignId>,
}

/// Marks the campaign a chat came from (the LC-2 campaign filter reads it).
/// Emits `conversation.campaign` when it changes. Chats from a
/// click-to-WhatsApp ad are marked with the ad's campaign on their own.
#[utoipa::path(put, path = "/conversations/{id}/campaign", tag = "conversations", params(("id" = String, Path)),
    request_body = CampaignRequest,
    responses((status = 200, body = ConversationOut), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_campaign(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
    AppJson(req): AppJson<CampaignRequest>,
) -> ApiResult<AppJson<ConversationOut>> {
    auth.require(Module::Chat, Access::ViewEdit)?;
    let (mut tx, conv) = begin_visible(&st, &auth, id).await?;
    tx.set_conversation_campaign(&conv, req.campaign_id)
        .await
        .map_err(|e| match e {
            atende_store::StoreError::Invalid(_) => ApiError::invalid("Campanha desconhecida."),
            other => other.into(),
        })?;
    commit_and_show(&st, &auth, tx, id).await
}

/// Asks the agent serving a chat to hand it over (LC-18): a system line in
/// the chat names who asked, and `conversation.transfer_requested` tells the
/// serving agent (whose console offers to forward the chat to the asker).
#[utoipa::path(post, path = "/conversations/{id}/transfer-request", tag = "conversations", params(("id" = String, Path)),
    responses((status = 200, body = ConversationOut), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
pub async fn request_transfer(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
) -> ApiResult<AppJson<ConversationOut>> {
    auth.require(Module::Chat, Access::ViewEdit)?;
    let (mut tx, conv) = begin_visible(&st, &auth, id).await?;
    let serving = match (conv.attendance_id, conv.agent_id) {
        (Some(_), Some(agent)) if agent != auth.user.id => agent,
        _ => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "not_served_by_another_agent",
                "Este chat não está sendo atendido por outro agente.",
            ));
        }
    };
    let line = format!(
        "{} pediu a transferência deste atendimento.",
        auth.user.name
    );
    tx.insert_message(NewMessage::system(&conv, line)).await?;
    tx.emit(atende_store::NewEvent {
        org_id: conv.org_id,
        kind: "conversation.transfer_requested",
        chat: Some(conv.scope()),
        payload: json!({
            "conversation_id": conv.id,
            "agent_id": serving,
            "requested_by": auth.user.id,
            "requested_by_name": auth.user.name,
        }),
    });
    commit_and_show(&st, &auth, tx, id).await
}
