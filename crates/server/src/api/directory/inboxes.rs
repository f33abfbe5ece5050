//! Inboxes: a channel's number and credentials (secrets are never
//! returned), and whether new chats meet the chatbot.

use std::sync::Arc;

use atende_domain::{Access, ChannelKind, InboxId, Module};
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
use crate::channel::Channel;
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInboxRequest {
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub name: String,
    /// The inbox's channel: `whatsapp`, `telegram`, `messenger`,
    /// `instagram` or `widget`.
    #[schema(schema_with = crate::wire_schema::inbox_channel)]
    pub channel: String,
    /// A channel's credentials go in an object named after it: the
    /// number's, for `whatsapp`.
    #[schema(value_type = Option<crate::whatsapp::WhatsappConfig>)]
    pub whatsapp: Option<Value>,
    /// The bot's token, for `telegram`: creating the inbox points the
    /// bot's webhook at this server.
    #[schema(value_type = Option<crate::telegram::TelegramConfig>)]
    pub telegram: Option<Value>,
    /// A Facebook page's (`messenger`: `page_id`) or an Instagram
    /// professional account's (`instagram`: `account_id`) credentials.
    #[schema(value_type = Option<crate::meta::MetaConfig>)]
    pub meta: Option<Value>,
    /// The web-chat widget's settings, for `widget`: the sites that may
    /// embed it (`allowed_origins`), its look, the pre-chat form.
    #[schema(value_type = Option<crate::widget::WidgetConfig>)]
    pub widget: Option<Value>,
    /// When off, new chats go straight to Open (FL-2). Default on.
    pub chatbot_enabled: Option<bool>,
}

impl NewInboxRequest {
    fn credentials(&mut self) -> ApiResult<Option<(ChannelKind, Value)>> {
        let meta = meta_kind(self.channel.parse().ok());
        named_credentials([
            (ChannelKind::Whatsapp, self.whatsapp.take()),
            (ChannelKind::Telegram, self.telegram.take()),
            (meta, self.meta.take()),
            (ChannelKind::Widget, self.widget.take()),
        ])
    }
}

/// The channel the `meta` object is for: Messenger or Instagram, as the
/// inbox says (the same object serves both).
fn meta_kind(channel: Option<ChannelKind>) -> ChannelKind {
    match channel {
        Some(ChannelKind::Instagram) => ChannelKind::Instagram,
        _ => ChannelKind::Messenger,
    }
}

/// The credentials object a request gave, with the channel it is named
/// after: the one place that maps the requests' per-channel fields to
/// their `ChannelKind` (a new channel adds its field to the requests and
/// to their lists). More than one is refused.
fn named_credentials<const N: usize>(
    fields: [(ChannelKind, Option<Value>); N],
) -> ApiResult<Option<(ChannelKind, Value)>> {
    let mut given = fields
        .into_iter()
        .filter_map(|(kind, v)| v.map(|v| (kind, v)));
    let first = given.next();
    if given.next().is_some() {
        return Err(ApiError::invalid("Informe as credenciais de um só canal."));
    }
    Ok(first)
}

/// The refusal of an inbox whose account is already connected.
fn taken(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Whatsapp => "Este número já está conectado a uma caixa de entrada.",
        ChannelKind::Telegram => "Este bot já está conectado a uma caixa de entrada.",
        ChannelKind::Messenger => "Esta página já está conectada a uma caixa de entrada.",
        _ => "Esta conta já está conectada a uma caixa de entrada.",
    }
}

/// The runtime of an inbox's channel, or why there is none.
fn channel_of(st: &AppState, channel: &str) -> ApiResult<Arc<dyn Channel<AppState>>> {
    st.channels
        .get(channel.parse::<ChannelKind>().ok())
        .cloned()
        .ok_or_else(|| ApiError::invalid(format!("Canal não suportado: {channel:?}.")))
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
    responses((status = 201, body = InboxOut), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 502, description = "The channel's provider could not be reached (Telegram's setWebhook).", body = crate::error::ErrorBody)))]
async fn create_inbox(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(mut req): AppJson<NewInboxRequest>,
) -> ApiResult<(StatusCode, AppJson<InboxOut>)> {
    auth.require(Module::Inboxes, Access::ViewEdit)?;
    let name = clean_name("name", &req.name, 80)?;
    let channel = channel_of(&st, &req.channel)?;
    let given = match req.credentials()? {
        Some((kind, given)) if kind == channel.kind() => given,
        _ => {
            return Err(ApiError::invalid(format!(
                "Informe as credenciais em \"{}\".",
                channel.kind().as_str()
            )));
        }
    };
    let credentials = channel.credentials(given, None)?;
    let mut tx = st.store.begin().await?;
    let inbox = tx
        .create_inbox(NewInbox {
            org_id: auth.org(),
            name,
            channel: req.channel,
            external_id: Some(credentials.external_id),
            settings: credentials.settings,
            secrets: credentials.secrets,
            chatbot_enabled: req.chatbot_enabled.unwrap_or(true),
        })
        .await
        .map_err(|e| conflict(e, taken(channel.kind())))?;
    // The provider is pointed at it before it exists for anyone else: a
    // refusal leaves nothing behind.
    channel.connect(&inbox).await?;
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
    #[schema(value_type = Option<crate::whatsapp::WhatsappPatch>)]
    pub whatsapp: Option<Value>,
    /// A new bot token (after "Unauthorized"): the bot's webhook is
    /// pointed at this server again, with a new secret.
    #[schema(value_type = Option<crate::telegram::TelegramPatch>)]
    pub telegram: Option<Value>,
    /// New Messenger or Instagram credentials (e.g. a new page access
    /// token after Meta refused the old one, code 190).
    #[schema(value_type = Option<crate::meta::MetaConfig>)]
    pub meta: Option<Value>,
    /// New widget settings: fields left out keep theirs.
    #[schema(value_type = Option<crate::widget::WidgetConfig>)]
    pub widget: Option<Value>,
}

impl InboxUpdate {
    fn credentials(
        &mut self,
        channel: Option<ChannelKind>,
    ) -> ApiResult<Option<(ChannelKind, Value)>> {
        named_credentials([
            (ChannelKind::Whatsapp, self.whatsapp.take()),
            (ChannelKind::Telegram, self.telegram.take()),
            (meta_kind(channel), self.meta.take()),
            (ChannelKind::Widget, self.widget.take()),
        ])
    }
}

#[utoipa::path(patch, path = "/inboxes/{id}", tag = "inboxes", params(("id" = String, Path)), request_body = InboxUpdate,
    responses((status = 200, body = InboxOut), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 502, description = "The channel's provider could not be reached (Telegram's setWebhook).", body = crate::error::ErrorBody)))]
async fn update_inbox(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
    AppJson(mut req): AppJson<InboxUpdate>,
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
    let mut reconnect = None;
    if let Some((kind, given)) = req.credentials(current.kind())? {
        let channel = channel_of(&st, &current.channel)?;
        if channel.kind() != kind {
            return Err(ApiError::invalid(format!(
                "Esta caixa de entrada não é do {}.",
                kind.label()
            )));
        }
        let c = channel.credentials(given, Some((&current.settings.0, &current.secrets.0)))?;
        patch.external_id = Some(c.external_id);
        patch.settings = Some(c.settings);
        patch.secrets = Some(c.secrets);
        reconnect = Some(channel);
    }
    let credentials = patch.secrets.is_some();
    let mut tx = st.store.begin().await?;
    let inbox = tx
        .update_inbox(auth.org(), id, patch)
        .await
        .map_err(|e| conflict(e, taken(current.kind().unwrap_or(ChannelKind::Whatsapp))))?;
    if let Some(channel) = reconnect {
        channel.connect(&inbox).await?;
    }
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
    let inbox = st.store.inbox(auth.org(), id).await?;
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
    if let Some(channel) = st.channels.get(inbox.kind()) {
        channel.disconnect(&inbox).await;
    }
    st.channels.forget_routes().await;
    st.jobs_notify.notify_waiters();
    Ok(StatusCode::NO_CONTENT)
}
