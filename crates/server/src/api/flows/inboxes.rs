//! What an inbox sets for flows: its entry flow (FL-2) and its business
//! hours (LC-22).

use atende_domain::{Access, FlowId, InboxId, Module};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::runs::not_published;
use crate::api::{AppJson, AppPath, MaybeJson};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(set_entry_flow))
        .routes(routes!(get_business_hours, set_business_hours))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryFlowRequest {
    /// The flow (published) a contact's message starts; null: none.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub flow_id: Option<FlowId>,
}

/// Sets an inbox's entry flow (FL-2). With the inbox's chatbot switch off,
/// chats go straight to "Chats abertos" whatever the entry flow.
#[utoipa::path(put, path = "/inboxes/{id}/entry-flow", tag = "flows", params(("id" = String, Path)), request_body = Option<EntryFlowRequest>,
    responses((status = 204), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn set_entry_flow(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
    MaybeJson(req): MaybeJson<EntryFlowRequest>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Flows, Access::ViewEdit)?;
    let flow = req.and_then(|r| r.flow_id);
    if let Some(f) = flow
        && st
            .store
            .flow(auth.org(), f)
            .await?
            .published_version
            .is_none()
    {
        return Err(not_published());
    }
    let mut tx = st.store.begin().await?;
    tx.set_entry_flow(auth.org(), id, flow).await?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "inbox.entry_flow",
        &id.to_string(),
        json!({"flow_id": flow}),
    )
    .await?;
    st.commit(tx).await?;
    st.channels.forget_routes().await;
    Ok(StatusCode::NO_CONTENT)
}

/// An inbox's business hours and what they mean now.
#[derive(Serialize, ToSchema)]
pub struct BusinessHoursOut {
    /// As set (see the PUT); null: always open.
    #[schema(value_type = Option<Object>)]
    pub hours: Option<Value>,
    /// Whether the inbox is within its hours now.
    pub open_now: bool,
    /// When closed, the next opening in words ("amanhã às 08:00"); null
    /// when open or when none is set within a year.
    pub next_opening: Option<String>,
}

/// An inbox's business hours (LC-22).
#[utoipa::path(get, path = "/inboxes/{id}/business-hours", tag = "inboxes", params(("id" = String, Path)),
    responses((status = 200, body = BusinessHoursOut), (status = 404, body = crate::error::ErrorBody)))]
async fn get_business_hours(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
) -> ApiResult<AppJson<BusinessHoursOut>> {
    auth.require(Module::Inboxes, Access::View)?;
    let inbox = st.store.inbox(auth.org(), id).await?;
    let hours = inbox.business_hours.map(|h| h.0);
    let parsed = hours
        .clone()
        .and_then(|h| serde_json::from_value::<atende_domain::BusinessHours>(h).ok());
    let now = atende_store::now();
    let (open_now, next_opening) = match parsed.as_ref().map(|h| (h, h.status(now))) {
        None | Some((_, atende_domain::HoursStatus::Open { .. })) => (true, None),
        Some((h, atende_domain::HoursStatus::Closed { opens_at })) => {
            (false, opens_at.map(|at| h.describe_opening(at, now)))
        }
    };
    Ok(AppJson(BusinessHoursOut {
        hours,
        open_now,
        next_opening,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessHoursRequest {
    /// `{"time_zone": "America/Sao_Paulo", "shifts": [{"days": ["mon", …],
    /// "from": "08:00", "to": "12:00"}, …], "holidays": [{"date":
    /// "2026-12-25", "name": "Natal"}]}`; null: always open. Shifts may be
    /// split; "24:00" ends a day; no shifts at all: always closed.
    #[schema(value_type = Option<Object>)]
    pub hours: Option<Value>,
}

/// Sets an inbox's business hours (LC-22): flows' `hours` steps branch on
/// them and tell the next opening outside them.
#[utoipa::path(put, path = "/inboxes/{id}/business-hours", tag = "inboxes", params(("id" = String, Path)), request_body = BusinessHoursRequest,
    responses((status = 204), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn set_business_hours(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
    AppJson(req): AppJson<BusinessHoursRequest>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Inboxes, Access::ViewEdit)?;
    if let Some(h) = &req.hours {
        serde_json::from_value::<atende_domain::BusinessHours>(h.clone())
            .map_err(|e| ApiError::invalid(format!("Horário de atendimento inválido: {e}")))?;
    }
    let mut tx = st.store.begin().await?;
    tx.set_business_hours(auth.org(), id, req.hours.as_ref())
        .await?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "inbox.business_hours",
        &id.to_string(),
        json!({"hours": req.hours}),
    )
    .await?;
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
