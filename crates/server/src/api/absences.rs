//! Absence messages (LC-19): an agent away from an inbox leaves a message
//! for the contacts of their chats, optionally suggesting a colleague. Users
//! manage their own; managing another user's needs the Users module.

use atende_domain::{Access, InboxId, Module, UserId};
use atende_store::absences::Absence;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppJson, AppPath, AppQuery, time};
use crate::absence::MESSAGE_MAX;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_absences))
        .routes(routes!(set_absence, clear_absence))
}

/// An agent's absence on an inbox.
#[derive(Serialize, ToSchema)]
pub struct AbsenceOut {
    #[schema(value_type = String, format = Uuid)]
    pub user_id: UserId,
    pub user_name: String,
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
    pub inbox_name: String,
    /// What contacts writing to the agent's chats are answered, once per
    /// attendance.
    pub message: String,
    /// The colleague offered instead (a "Falar com …" button), if any.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub suggested_agent_id: Option<UserId>,
    pub suggested_agent_name: Option<String>,
    /// Since when (RFC 3339).
    pub since: String,
}

impl From<Absence> for AbsenceOut {
    fn from(a: Absence) -> Self {
        AbsenceOut {
            user_id: a.user_id,
            user_name: a.user_name,
            inbox_id: a.inbox_id,
            inbox_name: a.inbox_name,
            message: a.message,
            // A colleague deactivated since is no longer offered.
            suggested_agent_id: a.suggested_agent_name.as_ref().and(a.suggested_agent_id),
            suggested_agent_name: a.suggested_agent_name,
            since: time(a.created_at),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AbsenceParams {
    /// Only this user's absences (default: everyone's the caller may see).
    #[param(format = Uuid)]
    pub user_id: Option<String>,
    /// Only this inbox's absences.
    #[param(format = Uuid)]
    pub inbox_id: Option<String>,
}

/// Absences: the caller's own, or — with the Users module — everyone's.
#[utoipa::path(get, path = "/absences", tag = "users", params(AbsenceParams),
    responses((status = 200, body = Vec<AbsenceOut>), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn list_absences(
    State(st): State<AppState>,
    auth: Auth,
    AppQuery(q): AppQuery<AbsenceParams>,
) -> ApiResult<AppJson<Vec<AbsenceOut>>> {
    let parse = |s: Option<&str>, what: &str| {
        s.filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<uuid::Uuid>()
                    .map_err(|_| ApiError::bad_request(format!("{what} inválido.")))
            })
            .transpose()
    };
    let mut user = parse(q.user_id.as_deref(), "user_id")?.map(UserId::from);
    let inbox = parse(q.inbox_id.as_deref(), "inbox_id")?.map(InboxId::from);
    let all = auth.require(Module::Users, Access::View).is_ok();
    match user {
        Some(u) if u != auth.user.id && !all => {
            auth.require(Module::Users, Access::View)?;
        }
        None if !all => user = Some(auth.user.id),
        _ => {}
    }
    let list = st.store.absences(auth.org(), user, inbox).await?;
    Ok(AppJson(list.into_iter().map(AbsenceOut::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbsenceRequest {
    /// The message (1–1024 characters).
    #[schema(min_length = 1, max_length = 1024, pattern = r"\S")]
    pub message: String,
    /// A colleague to offer the contact instead (an active user, not the
    /// absent one).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub suggested_agent_id: Option<UserId>,
}

/// Turns a user's absence on for an inbox, or changes it. It stays on until
/// turned off.
#[utoipa::path(put, path = "/users/{id}/absences/{inbox_id}", tag = "users",
    params(("id" = String, Path), ("inbox_id" = String, Path)), request_body = AbsenceRequest,
    responses((status = 200, body = AbsenceOut), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn set_absence(
    State(st): State<AppState>,
    auth: Auth,
    AppPath((id, inbox)): AppPath<(UserId, InboxId)>,
    AppJson(req): AppJson<AbsenceRequest>,
) -> ApiResult<AppJson<AbsenceOut>> {
    if id != auth.user.id {
        auth.require(Module::Users, Access::ViewEdit)?;
    }
    let message = req.message.trim();
    if message.is_empty() {
        return Err(ApiError::invalid("Escreva a mensagem de ausência."));
    }
    if message.chars().count() > MESSAGE_MAX {
        return Err(ApiError::invalid(format!(
            "A mensagem de ausência pode ter até {MESSAGE_MAX} caracteres."
        )));
    }
    let user = st.store.user(auth.org(), id).await?;
    st.store.inbox(auth.org(), inbox).await?;
    if let Some(s) = req.suggested_agent_id {
        if s == user.id {
            return Err(ApiError::invalid(
                "Sugira outro agente, não o próprio agente ausente.",
            ));
        }
        let colleague = st
            .store
            .user(auth.org(), s)
            .await
            .map_err(|_| ApiError::new(Code::NotFound, "Agente sugerido não encontrado."))?;
        if !colleague.active {
            return Err(ApiError::invalid("O agente sugerido está desativado."));
        }
    }
    let mut tx = st.store.begin().await?;
    let absence = tx
        .set_absence(auth.org(), user.id, inbox, message, req.suggested_agent_id)
        .await?;
    st.commit(tx).await?;
    Ok(AppJson(absence.into()))
}

/// Turns a user's absence off for an inbox.
#[utoipa::path(delete, path = "/users/{id}/absences/{inbox_id}", tag = "users",
    params(("id" = String, Path), ("inbox_id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn clear_absence(
    State(st): State<AppState>,
    auth: Auth,
    AppPath((id, inbox)): AppPath<(UserId, InboxId)>,
) -> ApiResult<StatusCode> {
    if id != auth.user.id {
        auth.require(Module::Users, Access::ViewEdit)?;
    }
    let mut tx = st.store.begin().await?;
    tx.clear_absence(auth.org(), id, inbox).await?;
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
