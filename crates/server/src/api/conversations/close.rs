//! Closing a conversation's attendance (LC-11): now or at a time, with a
//! closing message and a flow to start after it; and cancelling a
//! scheduled closing.

use atende_domain::{Access, ConversationId, Module};
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::compose::MAX_TEXT;
use super::{ConversationOut, begin_visible, conversation_out, visible_conversation};
use crate::api::{AppJson, AppPath, MaybeJson};
use crate::auth::Auth;
use crate::chat::close::{Scheduled, close_now, schedule_close, start_after_close};
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

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
                        Code::NotPublished,
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
    if conv.attendance_id.is_none() {
        return Err(not_open());
    }
    super::closing::save(&mut tx, &conv, values).await?;
    let (status, conv) = match at {
        None => {
            let closed = close_now(
                &mut tx,
                &conv,
                message.as_deref(),
                Some(&auth.user.name),
                Some(auth.user.id),
                atende_domain::monitoring::Ended::Agent,
            )
            .await?;
            if let Some((flow, version)) = after {
                start_after_close(&mut tx, &closed, flow, version).await?;
            }
            (StatusCode::OK, closed)
        }
        Some(at) => {
            schedule_close(
                &mut tx,
                &conv,
                Scheduled {
                    at,
                    keep_on_reply: req.keep_if_contact_replies,
                    message: message.as_deref(),
                    by: Some(auth.user.id),
                    flow: after.map(|(f, _)| f),
                },
            )
            .await?;
            (StatusCode::ACCEPTED, conv)
        }
    };
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok((status, AppJson(conversation_out(&st, &auth, &conv).await?)))
}

fn not_open() -> ApiError {
    ApiError::new(Code::NotOpen, "Esta conversa não tem atendimento aberto.")
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
            Code::NoScheduledClose,
            "Não há encerramento agendado.",
        ));
    }
    st.commit(tx).await?;
    Ok(AppJson(conversation_out(&st, &auth, &conv).await?))
}
