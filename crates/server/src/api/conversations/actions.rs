//! What an agent does to a conversation: forwarding it (LC-9), its read
//! state (LC-7), tags and campaign (LC-2), and asking for a transfer
//! (LC-18).

use atende_domain::{Access, ConversationId, DepartmentId, Module, UserId};
use atende_store::Tx;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ConversationOut, begin_visible, conversation_out, visible_conversation};
use crate::api::{AppJson, AppPath};
use crate::auth::Auth;
use crate::chat::actions::{self, Target};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub use crate::chat::send::CONTACT_BLOCKED;

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
    let target = match (req.agent_id, req.department_id) {
        (Some(agent), None) => Target::Agent(agent),
        (None, Some(dept)) => Target::Department(dept),
        _ => {
            return Err(ApiError::invalid(
                "Informe agent_id ou department_id (um dos dois).",
            ));
        }
    };
    let conv = actions::assign(&st, auth.actor(), id, target, req.confirm).await?;
    Ok(AppJson(conversation_out(&st, &auth, &conv).await?))
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

/// Marks a conversation read (opening it in the app does this).
#[utoipa::path(post, path = "/conversations/{id}/read", tag = "conversations", params(("id" = String, Path)), responses((status = 204)))]
pub async fn mark_read(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Chat, Access::View)?;
    let (mut tx, conv) = begin_visible(&st, &auth, id).await?;
    actions::mark_read(&st, &mut tx, &conv).await?;
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
    actions::request_transfer(&mut tx, auth.actor(), &conv).await?;
    commit_and_show(&st, &auth, tx, id).await
}
