//! An agent's own status (LC-19) and the organization's presence settings.

use atende_domain::{Access, Module};
use atende_store::Json;
use atende_store::presence::OrgSettings;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppJson;
use super::users::UserOut;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(set_status))
        .routes(routes!(get_settings, update_settings))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// online | paused | invisible. Invisible works like online but shows
    /// as offline to colleagues.
    #[schema(schema_with = crate::wire_schema::presence)]
    pub status: String,
    /// Why, for a pause: one of the organization's `pause_reasons`.
    #[schema(min_length = 1, max_length = 60)]
    pub reason: Option<String>,
}

/// Sets the caller's status (LC-19). It holds until changed, across
/// reloads and devices; a pause may give one of the organization's
/// reasons. Chats queued for the caller come when they are online.
#[utoipa::path(put, path = "/me/status", tag = "auth", request_body = StatusRequest,
    responses((status = 200, body = UserOut), (status = 422, body = crate::error::ErrorBody)))]
async fn set_status(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<StatusRequest>,
) -> ApiResult<AppJson<UserOut>> {
    if !["online", "paused", "invisible"].contains(&req.status.as_str()) {
        return Err(ApiError::invalid(
            "Status inválido (use online, paused ou invisible).",
        ));
    }
    let reason = req
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(r) = reason {
        if req.status != "paused" {
            return Err(ApiError::invalid("Só uma pausa tem motivo."));
        }
        let settings = st.store.org_settings(auth.org()).await?;
        if !settings.pause_reasons.0.iter().any(|p| p == r) {
            return Err(ApiError::invalid(
                "Motivo de pausa desconhecido: escolha um dos motivos da organização.",
            ));
        }
    }
    let mut tx = st.store.begin().await?;
    let user = tx.set_status(&auth.user, &req.status, reason).await?;
    crate::presence::announce(&mut tx, &user);
    crate::flows::routing::drain_queue(&mut tx, auth.org(), user.id).await?;
    st.commit(tx).await?;
    let _ = st.auth_changed.send(user.id);
    let d = st.store.user_departments(user.org_id, user.id).await?;
    Ok(AppJson(UserOut::from_user(&user, d)))
}

/// The organization's presence and ticket settings.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SettingsOut {
    /// The reasons an agent may give for a pause (empty: no reason).
    pub pause_reasons: Vec<String>,
    /// Minutes after an agent's last socket closed before they count as
    /// offline for routing and monitoring (1–1440).
    pub away_minutes: i64,
    /// Hours without a word from the customer after which an open ticket
    /// ends as "session expired" (lost before an agent took it, abandoned
    /// after); 0: never (0–720).
    pub ticket_expiry_hours: i64,
}

impl From<OrgSettings> for SettingsOut {
    fn from(s: OrgSettings) -> Self {
        SettingsOut {
            pause_reasons: s.pause_reasons.0,
            away_minutes: s.away_minutes,
            ticket_expiry_hours: s.ticket_expiry_hours,
        }
    }
}

/// Reads the organization's settings (every user: agents pick a pause
/// reason from them).
#[utoipa::path(get, path = "/settings", tag = "organizations", responses((status = 200, body = SettingsOut)))]
async fn get_settings(State(st): State<AppState>, auth: Auth) -> ApiResult<AppJson<SettingsOut>> {
    Ok(AppJson(st.store.org_settings(auth.org()).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsUpdate {
    /// Up to 20 reasons of 1–60 characters, each once.
    #[schema(max_items = 20)]
    pub pause_reasons: Option<Vec<String>>,
    #[schema(minimum = 1, maximum = 1440)]
    #[serde(default, deserialize_with = "super::whole_number")]
    pub away_minutes: Option<i64>,
    #[schema(minimum = 0, maximum = 720)]
    #[serde(default, deserialize_with = "super::whole_number")]
    pub ticket_expiry_hours: Option<i64>,
}

/// Changes the organization's settings (the Settings module, to edit);
/// what the request leaves out stays.
#[utoipa::path(patch, path = "/settings", tag = "organizations", request_body = SettingsUpdate,
    responses((status = 200, body = SettingsOut), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn update_settings(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<SettingsUpdate>,
) -> ApiResult<AppJson<SettingsOut>> {
    auth.require(Module::Settings, Access::ViewEdit)?;
    let mut s = st.store.org_settings(auth.org()).await?;
    if let Some(reasons) = req.pause_reasons {
        let mut clean: Vec<String> = Vec::with_capacity(reasons.len());
        for r in reasons {
            let r = r.trim().to_string();
            if r.is_empty() || r.chars().count() > 60 {
                return Err(ApiError::invalid(
                    "Cada motivo de pausa tem de 1 a 60 caracteres.",
                ));
            }
            if clean.iter().any(|c| c.to_lowercase() == r.to_lowercase()) {
                return Err(ApiError::invalid(format!("Motivo de pausa repetido: {r}.")));
            }
            clean.push(r);
        }
        if clean.len() > 20 {
            return Err(ApiError::invalid("No máximo 20 motivos de pausa."));
        }
        s.pause_reasons = Json(clean);
    }
    if let Some(m) = req.away_minutes {
        if !(1..=1440).contains(&m) {
            return Err(ApiError::invalid("away_minutes: use de 1 a 1440 minutos."));
        }
        s.away_minutes = m;
    }
    if let Some(h) = req.ticket_expiry_hours {
        if !(0..=720).contains(&h) {
            return Err(ApiError::invalid(
                "ticket_expiry_hours: use de 0 (nunca) a 720 horas.",
            ));
        }
        s.ticket_expiry_hours = h;
    }
    let mut tx = st.store.begin().await?;
    tx.set_org_settings(auth.org(), &s).await?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "settings.changed",
        &auth.org().to_string(),
        serde_json::json!({"pause_reasons": s.pause_reasons.0, "away_minutes": s.away_minutes,
            "ticket_expiry_hours": s.ticket_expiry_hours}),
    )
    .await?;
    st.commit(tx).await?;
    Ok(AppJson(s.into()))
}
