//! Inboxes: a channel's number and credentials (secrets are never
//! returned), and whether new chats meet the chatbot.

use atende_domain::{Access, InboxId, Module};
use atende_store::NewEvent;
use atende_store::directory::{Inbox, InboxPatch, NewInbox};
use atende_store::events::{ChatEvent, Deleted, InboxCreated, InboxUpdated};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::templates::sync_job;
use crate::api::{AppJson, AppPath, clean_name, conflict, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_inboxes, create_inbox))
        .routes(routes!(get_inbox, update_inbox, delete_inbox))
}

/// An inbox as shown: settings without secrets; `needs_reauth` when the
/// provider rejected the access token (paste a new one to clear it).
#[derive(Serialize, ToSchema)]
pub struct InboxOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: InboxId,
    pub name: String,
    pub channel: String,
    #[schema(value_type = Object)]
    pub settings: Value,
    pub chatbot_enabled: bool,
    pub needs_reauth: bool,
    /// Names of the secrets that are set (their values are never returned).
    pub secrets_set: Vec<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<Inbox> for InboxOut {
    fn from(i: Inbox) -> Self {
        let secrets_set = i
            .secrets
            .0
            .as_object()
            .map(|o| {
                o.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default();
        InboxOut {
            id: i.id,
            name: i.name,
            channel: i.channel,
            settings: i.settings.0,
            chatbot_enabled: i.chatbot_enabled,
            needs_reauth: i.needs_reauth,
            secrets_set,
            created_at: time(i.created_at),
        }
    }
}

/// WhatsApp Cloud API credentials of one phone number.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatsappConfig {
    #[schema(min_length = 1, pattern = r"\S")]
    pub phone_number_id: String,
    #[schema(min_length = 1, pattern = r"\S")]
    pub waba_id: String,
    #[schema(min_length = 1, pattern = r"\S")]
    pub access_token: String,
    #[schema(min_length = 1, pattern = r"\S")]
    pub app_secret: String,
    #[schema(min_length = 1, pattern = r"\S")]
    pub verify_token: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInboxRequest {
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub name: String,
    /// Only `whatsapp` for now.
    #[schema(schema_with = crate::wire_schema::inbox_channel)]
    pub channel: String,
    /// The number's credentials (required while WhatsApp is the only channel).
    #[schema(required = true, value_type = WhatsappConfig)]
    pub whatsapp: Option<WhatsappConfig>,
    /// When off, new chats go straight to Open (FL-2). Default on.
    pub chatbot_enabled: Option<bool>,
}

fn whatsapp_parts(w: WhatsappConfig) -> Result<(String, Value, Value), ApiError> {
    for (k, v) in [
        ("phone_number_id", &w.phone_number_id),
        ("waba_id", &w.waba_id),
        ("access_token", &w.access_token),
        ("app_secret", &w.app_secret),
        ("verify_token", &w.verify_token),
    ] {
        if v.trim().is_empty() {
            return Err(ApiError::invalid(format!(
                "O campo whatsapp.{k} é obrigatório."
            )));
        }
    }
    let pid = w.phone_number_id.trim().to_string();
    Ok((
        pid.clone(),
        json!({"phone_number_id": pid, "waba_id": w.waba_id.trim()}),
        json!({"access_token": w.access_token.trim(), "app_secret": w.app_secret.trim(), "verify_token": w.verify_token.trim()}),
    ))
}

#[utoipa::path(get, path = "/inboxes", tag = "inboxes", responses((status = 200, body = Vec<InboxOut>)))]
async fn list_inboxes(State(st): State<AppState>, auth: Auth) -> ApiResult<AppJson<Vec<InboxOut>>> {
    // Agents pick an inbox for a new chat (CT-7) and see where a chat came
    // from, and reports pick one (RP-4): the list (never secrets) is open to
    // anyone who chats or reads reports.
    if auth.permissions().access(Module::Chat) < Access::View
        && auth.permissions().access(Module::Reports) < Access::View
    {
        auth.require(Module::Inboxes, Access::View)?;
    }
    Ok(AppJson(
        st.store
            .inboxes(auth.org())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/inboxes", tag = "inboxes", request_body = NewInboxRequest,
    responses((status = 201, body = InboxOut), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_inbox(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<NewInboxRequest>,
) -> ApiResult<(StatusCode, AppJson<InboxOut>)> {
    auth.require(Module::Inboxes, Access::ViewEdit)?;
    let name = clean_name("name", &req.name, 80)?;
    let (external_id, settings, secrets) = match (req.channel.as_str(), req.whatsapp) {
        ("whatsapp", Some(w)) => whatsapp_parts(w)?,
        ("whatsapp", None) => {
            return Err(ApiError::invalid("Informe as credenciais em \"whatsapp\"."));
        }
        (other, _) => {
            return Err(ApiError::invalid(format!(
                "Canal não suportado: {other:?}."
            )));
        }
    };
    let mut tx = st.store.begin().await?;
    let inbox = tx
        .create_inbox(NewInbox {
            org_id: auth.org(),
            name,
            channel: req.channel,
            external_id: Some(external_id),
            settings,
            secrets,
            chatbot_enabled: req.chatbot_enabled.unwrap_or(true),
        })
        .await
        .map_err(|e| conflict(e, "Este número já está conectado a uma caixa de entrada."))?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "inbox.created",
        &inbox.id.to_string(),
        json!({"channel": inbox.channel}),
    )
    .await?;
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::InboxCreated(InboxCreated {
            id: inbox.id,
            name: inbox.name.clone(),
            channel: inbox.channel.clone(),
        }),
    ));
    tx.enqueue(sync_job(auth.org(), inbox.id)).await?;
    st.commit(tx).await?;
    st.channels.forget_routes().await;
    st.jobs_notify.notify_waiters();
    Ok((StatusCode::CREATED, AppJson(inbox.into())))
}

#[utoipa::path(get, path = "/inboxes/{id}", tag = "inboxes", params(("id" = String, Path)), responses((status = 200, body = InboxOut), (status = 404, body = crate::error::ErrorBody)))]
async fn get_inbox(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
) -> ApiResult<AppJson<InboxOut>> {
    auth.require(Module::Inboxes, Access::View)?;
    Ok(AppJson(st.store.inbox(auth.org(), id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InboxUpdate {
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub name: Option<String>,
    pub chatbot_enabled: Option<bool>,
    /// New credentials (e.g. only a new access token after "Error
    /// validating access token"): fields left out or blank keep their
    /// current values.
    pub whatsapp: Option<WhatsappPatch>,
}

/// Some WhatsApp credentials of an inbox; the others stay as they are.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct WhatsappPatch {
    pub phone_number_id: Option<String>,
    pub waba_id: Option<String>,
    pub access_token: Option<String>,
    pub app_secret: Option<String>,
    pub verify_token: Option<String>,
}

impl WhatsappPatch {
    /// The inbox's credentials with this patch applied.
    fn over(self, settings: &Value, secrets: &Value) -> WhatsappConfig {
        let pick = |new: Option<String>, old: &Value, key: &str| {
            new.filter(|v| !v.trim().is_empty()).unwrap_or_else(|| {
                old.get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            })
        };
        WhatsappConfig {
            phone_number_id: pick(self.phone_number_id, settings, "phone_number_id"),
            waba_id: pick(self.waba_id, settings, "waba_id"),
            access_token: pick(self.access_token, secrets, "access_token"),
            app_secret: pick(self.app_secret, secrets, "app_secret"),
            verify_token: pick(self.verify_token, secrets, "verify_token"),
        }
    }
}

#[utoipa::path(patch, path = "/inboxes/{id}", tag = "inboxes", params(("id" = String, Path)), request_body = InboxUpdate,
    responses((status = 200, body = InboxOut), (status = 404, body = crate::error::ErrorBody)))]
async fn update_inbox(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
    AppJson(req): AppJson<InboxUpdate>,
) -> ApiResult<AppJson<InboxOut>> {
    auth.require(Module::Inboxes, Access::ViewEdit)?;
    let current = st.store.inbox(auth.org(), id).await?;
    let mut patch = InboxPatch {
        name: req
            .name
            .as_deref()
            .map(|n| clean_name("name", n, 80))
            .transpose()?,
        chatbot_enabled: req.chatbot_enabled,
        ..Default::default()
    };
    if let Some(w) = req.whatsapp {
        if current.channel != "whatsapp" {
            return Err(ApiError::invalid(
                "Esta caixa de entrada não é do WhatsApp.",
            ));
        }
        let (external_id, settings, secrets) =
            whatsapp_parts(w.over(&current.settings.0, &current.secrets.0))?;
        patch.external_id = Some(external_id);
        patch.settings = Some(settings);
        patch.secrets = Some(secrets);
    }
    let credentials = patch.secrets.is_some();
    let mut tx = st.store.begin().await?;
    let inbox = tx
        .update_inbox(auth.org(), id, patch)
        .await
        .map_err(|e| conflict(e, "Este número já está conectado a uma caixa de entrada."))?;
    if credentials {
        tx.audit(
            auth.org(),
            Some(auth.user.id),
            "inbox.credentials_changed",
            &id.to_string(),
            json!({}),
        )
        .await?;
    }
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::InboxUpdated(InboxUpdated {
            id: inbox.id,
            name: Some(inbox.name.clone()),
            display_phone_number: None,
            needs_reauth: Some(inbox.needs_reauth),
        }),
    ));
    st.commit(tx).await?;
    st.channels.forget_routes().await;
    st.jobs_notify.notify_waiters();
    Ok(AppJson(inbox.into()))
}

#[utoipa::path(delete, path = "/inboxes/{id}", tag = "inboxes", params(("id" = String, Path)), responses((status = 204), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn delete_inbox(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Inboxes, Access::ViewEdit)?;
    let mut tx = st.store.begin().await?;
    tx.delete_inbox(auth.org(), id).await.map_err(|e| match e {
        atende_store::StoreError::Invalid(_) => {
            ApiError::conflict("A caixa de entrada tem conversas e não pode ser excluída.")
        }
        other => other.into(),
    })?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "inbox.deleted",
        &id.to_string(),
        json!({}),
    )
    .await?;
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::InboxDeleted(Deleted { id: id.as_uuid() }),
    ));
    st.commit(tx).await?;
    st.channels.forget_routes().await;
    st.jobs_notify.notify_waiters();
    Ok(StatusCode::NO_CONTENT)
}
