//! Contacts who wrote outside business hours (LC-21), and the active
//! message that answers one.

use atende_domain::{Access, ConversationId, InboxId, Module};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{AppJson, AppPath, AppQuery, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_out_of_hours))
        .routes(routes!(send_active_message))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutOfHoursParams {
    /// Only this inbox's contacts.
    #[param(format = Uuid)]
    pub inbox_id: Option<String>,
}

/// A contact who wrote outside business hours (LC-21).
#[derive(Serialize, ToSchema)]
pub struct OutOfHoursOut {
    pub id: String,
    /// When they wrote.
    pub at: String,
    /// The contact's name, or "(Sem nome)".
    pub name: String,
    pub phone: Option<String>,
    /// "Sim" / "Não", or "N/D" when the flow does not offer a callback.
    pub callback: String,
    /// Whether an active message (template) was sent since.
    pub active_message_sent: bool,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
}

/// Contacts who wrote outside business hours in the last 7 days (LC-21),
/// newest first.
#[utoipa::path(get, path = "/out-of-hours", tag = "inboxes", params(OutOfHoursParams),
    responses((status = 200, body = Vec<OutOfHoursOut>), (status = 400, body = crate::error::ErrorBody)))]
async fn list_out_of_hours(
    State(st): State<AppState>,
    auth: Auth,
    AppQuery(q): AppQuery<OutOfHoursParams>,
) -> ApiResult<AppJson<Vec<OutOfHoursOut>>> {
    auth.require(Module::Chat, Access::View)?;
    let inbox = match q.inbox_id.as_deref().filter(|s| !s.is_empty()) {
        Some(i) => Some(
            i.parse::<InboxId>()
                .map_err(|_| ApiError::bad_request("inbox_id inválido."))?,
        ),
        None => None,
    };
    let since = atende_store::now_ms() - 7 * 24 * 3_600_000;
    let list = st.store.out_of_hours(auth.org(), inbox, since).await?;
    Ok(AppJson(
        list.into_iter()
            .map(|o| OutOfHoursOut {
                id: o.id.to_string(),
                at: time(o.at),
                name: if o.contact_name.trim().is_empty()
                    || o.contact_phone
                        .as_deref()
                        .is_some_and(|p| p == o.contact_name)
                {
                    "(Sem nome)".into()
                } else {
                    o.contact_name
                },
                phone: o.contact_phone,
                callback: match o.callback {
                    Some(true) => "Sim",
                    Some(false) => "Não",
                    None => "N/D",
                }
                .into(),
                active_message_sent: o.active_sent_at.is_some(),
                conversation_id: o.conversation_id,
                inbox_id: o.inbox_id,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveMessage {
    pub template: crate::chat::compose::TemplateSend,
}

/// "Enviar mensagem ativa" (LC-21): sends a template to an out-of-hours
/// contact and marks the entry as answered.
#[utoipa::path(post, path = "/out-of-hours/{id}/active-message", tag = "inboxes", params(("id" = String, Path)), request_body = ActiveMessage,
    responses((status = 202, body = crate::api::conversations::MessageOut), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn send_active_message(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<uuid::Uuid>,
    AppJson(req): AppJson<ActiveMessage>,
) -> ApiResult<(StatusCode, AppJson<crate::api::conversations::MessageOut>)> {
    auth.require(Module::Chat, Access::ViewEdit)?;
    let entry = st.store.out_of_hours_entry(auth.org(), id).await?;
    let conv =
        crate::api::conversations::visible_conversation(&st, &auth, entry.conversation_id).await?;
    let contact = st.store.contact(auth.org(), conv.contact_id).await?;
    let inbox = st.store.inbox(auth.org(), conv.inbox_id).await?;
    let content =
        crate::chat::compose::template(&st, &inbox, &req.template, &contact, &conv).await?;
    let upload = crate::chat::compose::find_upload(&st, &conv, content.upload.as_ref()).await?;
    let mut tx = st.store.begin().await?;
    let conv = tx.conversation(auth.org(), conv.id).await?;
    let contact = tx.contact(auth.org(), conv.contact_id).await?;
    let (_, queued) = crate::chat::send::queue(
        &mut tx,
        crate::chat::send::Send {
            conversation: &conv,
            contact: &contact,
            author: auth.author(false),
            content,
            idempotency_key: None,
            upload,
        },
    )
    .await?;
    let crate::chat::send::Queued::Sent(sent) = queued else {
        return Err(ApiError::internal("active message not stored"));
    };
    let msg = sent.message;
    tx.mark_out_of_hours_sent(auth.org(), id).await?;
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok((StatusCode::ACCEPTED, AppJson(msg.into())))
}
