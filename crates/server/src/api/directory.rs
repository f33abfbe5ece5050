//! Departments and members, inboxes, tags and custom fields.

use atende_domain::{
    Access, CustomFieldId, CustomFieldType, DepartmentId, InboxId, Module, TagId, UserId,
};
use atende_store::Json;
use atende_store::NewEvent;
use atende_store::directory::{CustomField, Department, Inbox, InboxPatch, NewInbox, Tag};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppJson, AppPath, clean_name, conflict, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::whatsapp::templates;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_departments, create_department))
        .routes(routes!(rename_department, delete_department))
        .routes(routes!(list_members, add_member))
        .routes(routes!(remove_member))
        .routes(routes!(list_inboxes, create_inbox))
        .routes(routes!(get_inbox, update_inbox, delete_inbox))
        .routes(routes!(list_templates))
        .routes(routes!(sync_templates))
        .routes(routes!(list_tags, create_tag))
        .routes(routes!(update_tag, delete_tag))
        .routes(routes!(list_fields, create_field))
        .routes(routes!(update_field, delete_field))
}

// ---- departments -----------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct DepartmentOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: DepartmentId,
    pub name: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// `manual` or `auto` (see `DepartmentRequest`).
    pub distribution: String,
}

impl From<Department> for DepartmentOut {
    fn from(d: Department) -> Self {
        DepartmentOut {
            id: d.id,
            name: d.name,
            created_at: time(d.created_at),
            distribution: d.distribution,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentRequest {
    /// At most 80 characters.
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub name: Option<String>,
    /// `manual` (default: members pick its chats from "Chats abertos") or
    /// `auto` (routing gives each chat to the least busy available member
    /// with a free slot, or queues it until one frees).
    #[schema(schema_with = crate::wire_schema::opt_distribution)]
    pub distribution: Option<String>,
}

/// A new department: its name is required.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDepartment {
    /// At most 80 characters.
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub name: String,
    /// As in `DepartmentRequest`.
    #[schema(schema_with = crate::wire_schema::opt_distribution)]
    pub distribution: Option<String>,
}

fn distribution(req: &DepartmentRequest) -> ApiResult<Option<atende_store::routing::Distribution>> {
    req.distribution
        .as_deref()
        .map(|d| {
            atende_store::routing::Distribution::parse(d)
                .ok_or_else(|| ApiError::invalid("distribution: use manual ou auto."))
        })
        .transpose()
}

#[utoipa::path(get, path = "/departments", tag = "departments", responses((status = 200, body = Vec<DepartmentOut>)))]
async fn list_departments(
    State(st): State<AppState>,
    auth: Auth,
) -> ApiResult<AppJson<Vec<DepartmentOut>>> {
    auth.require(Module::Departments, Access::View)?;
    Ok(AppJson(
        st.store
            .departments(auth.org())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/departments", tag = "departments", request_body = NewDepartment,
    responses((status = 201, body = DepartmentOut), (status = 409, body = crate::error::ErrorBody)))]
async fn create_department(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(new): AppJson<NewDepartment>,
) -> ApiResult<(StatusCode, AppJson<DepartmentOut>)> {
    auth.require(Module::Departments, Access::ViewEdit)?;
    let req = DepartmentRequest {
        name: Some(new.name),
        distribution: new.distribution,
    };
    let name = clean_name("name", req.name.as_deref().unwrap_or_default(), 80)?;
    let dist = distribution(&req)?;
    let mut tx = st.store.begin().await?;
    let mut d = tx
        .create_department(auth.org(), &name)
        .await
        .map_err(|e| conflict(e, "Já existe um departamento com este nome."))?;
    if let Some(dist) = dist {
        tx.set_distribution(auth.org(), d.id, dist).await?;
        d.distribution = dist.as_str().to_string();
    }
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "department.created",
        chat: None,
        payload: json!({"id": d.id, "name": d.name}),
    });
    st.commit(tx).await?;
    Ok((StatusCode::CREATED, AppJson(d.into())))
}

#[utoipa::path(patch, path = "/departments/{id}", tag = "departments", params(("id" = String, Path)), request_body = DepartmentRequest,
    responses((status = 200, body = DepartmentOut), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn rename_department(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<DepartmentId>,
    AppJson(req): AppJson<DepartmentRequest>,
) -> ApiResult<AppJson<DepartmentOut>> {
    auth.require(Module::Departments, Access::ViewEdit)?;
    let name = req
        .name
        .as_deref()
        .map(|n| clean_name("name", n, 80))
        .transpose()?;
    let dist = distribution(&req)?;
    let mut tx = st.store.begin().await?;
    if let Some(name) = &name {
        tx.rename_department(auth.org(), id, name)
            .await
            .map_err(|e| conflict(e, "Já existe um departamento com este nome."))?;
    }
    if let Some(dist) = dist {
        tx.set_distribution(auth.org(), id, dist).await?;
    }
    let d = st.store.department(auth.org(), id).await?;
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "department.updated",
        chat: None,
        payload: json!({"id": id, "name": name.unwrap_or(d.name), "distribution": dist.map(|d| d.as_str())}),
    });
    st.commit(tx).await?;
    Ok(AppJson(st.store.department(auth.org(), id).await?.into()))
}

#[utoipa::path(delete, path = "/departments/{id}", tag = "departments", params(("id" = String, Path)), responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn delete_department(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<DepartmentId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Departments, Access::ViewEdit)?;
    let mut tx = st.store.begin().await?;
    tx.delete_department(auth.org(), id).await?;
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "department.deleted",
        chat: None,
        payload: json!({"id": id}),
    });
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    #[schema(value_type = String, format = Uuid)]
    pub user_id: UserId,
}

#[derive(Serialize, ToSchema)]
pub struct MembersOut {
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub user_ids: Vec<UserId>,
}

#[utoipa::path(get, path = "/departments/{id}/members", tag = "departments", params(("id" = String, Path)), responses((status = 200, body = MembersOut)))]
async fn list_members(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<DepartmentId>,
) -> ApiResult<AppJson<MembersOut>> {
    auth.require(Module::Departments, Access::View)?;
    st.store.department(auth.org(), id).await?;
    Ok(AppJson(MembersOut {
        user_ids: st.store.department_members(auth.org(), id).await?,
    }))
}

#[utoipa::path(post, path = "/departments/{id}/members", tag = "departments", params(("id" = String, Path)), request_body = MemberRequest,
    responses((status = 201, body = MembersOut), (status = 200, body = MembersOut), (status = 404, body = crate::error::ErrorBody)))]
async fn add_member(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<DepartmentId>,
    AppJson(req): AppJson<MemberRequest>,
) -> ApiResult<(StatusCode, AppJson<MembersOut>)> {
    auth.require(Module::Departments, Access::ViewEdit)?;
    // Both must belong to the caller's organization: another one's ids are 404.
    st.store.department(auth.org(), id).await?;
    st.store.user(auth.org(), req.user_id).await?;
    let mut tx = st.store.begin().await?;
    let added = tx.add_member(auth.org(), id, req.user_id).await?;
    if added {
        tx.audit(
            auth.org(),
            Some(auth.user.id),
            "department.member_added",
            &id.to_string(),
            json!({"user_id": req.user_id}),
        )
        .await?;
        tx.emit(NewEvent {
            org_id: auth.org(),
            kind: "department.member_added",
            chat: None,
            payload: json!({"department_id": id, "user_id": req.user_id}),
        });
    }
    st.commit(tx).await?;
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        AppJson(MembersOut {
            user_ids: st.store.department_members(auth.org(), id).await?,
        }),
    ))
}

#[utoipa::path(delete, path = "/departments/{id}/members/{user_id}", tag = "departments", params(("id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn remove_member(
    State(st): State<AppState>,
    auth: Auth,
    AppPath((id, user)): AppPath<(DepartmentId, UserId)>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Departments, Access::ViewEdit)?;
    let mut tx = st.store.begin().await?;
    tx.remove_member(auth.org(), id, user).await?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "department.member_removed",
        &id.to_string(),
        json!({"user_id": user}),
    )
    .await?;
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "department.member_removed",
        chat: None,
        payload: json!({"department_id": id, "user_id": user}),
    });
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- inboxes ---------------------------------------------------------------

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
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "inbox.created",
        chat: None,
        payload: json!({"id": inbox.id, "name": inbox.name, "channel": inbox.channel}),
    });
    tx.enqueue(sync_job(auth.org(), inbox.id)).await?;
    st.commit(tx).await?;
    st.whatsapp.invalidate().await;
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
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "inbox.updated",
        chat: None,
        payload: json!({"id": inbox.id, "name": inbox.name, "needs_reauth": inbox.needs_reauth}),
    });
    st.commit(tx).await?;
    st.whatsapp.invalidate().await;
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
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "inbox.deleted",
        chat: None,
        payload: json!({"id": id}),
    });
    st.commit(tx).await?;
    st.whatsapp.invalidate().await;
    st.jobs_notify.notify_waiters();
    Ok(StatusCode::NO_CONTENT)
}

/// A job that pulls an inbox's templates (CH-6).
fn sync_job(org: atende_domain::OrgId, inbox: InboxId) -> atende_store::NewJob {
    atende_store::NewJob {
        max_attempts: 5,
        ..atende_store::NewJob::now(
            Some(org),
            crate::jobs::kinds::SYNC_TEMPLATES,
            json!({"inbox_id": inbox}),
        )
    }
}

#[derive(Serialize, ToSchema)]
pub struct TemplateOut {
    pub name: String,
    pub language: String,
    /// APPROVED, PENDING, REJECTED, PAUSED…
    pub status: String,
    /// UTILITY, MARKETING or AUTHENTICATION (Utility is cheaper).
    pub category: String,
    /// The picker's label: name and category in parentheses (CH-6).
    pub label: String,
    /// Header, body and footer text with the example values filled in.
    pub preview: String,
    /// The template's components as Meta returns them (header, body,
    /// footer, buttons).
    #[schema(value_type = Vec<Object>)]
    pub components: Value,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

fn category_pt(c: &str) -> &str {
    match c {
        "UTILITY" => "Utilidade",
        "MARKETING" => "Marketing",
        "AUTHENTICATION" => "Autenticação",
        other => other,
    }
}

/// Templates of an inbox (synced from the WhatsApp Business Account).
#[utoipa::path(get, path = "/inboxes/{id}/templates", tag = "inboxes", params(("id" = String, Path)), responses((status = 200, body = Vec<TemplateOut>), (status = 404, body = crate::error::ErrorBody)))]
async fn list_templates(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
) -> ApiResult<AppJson<Vec<TemplateOut>>> {
    auth.require(Module::Chat, Access::View)?;
    st.store.inbox(auth.org(), id).await?;
    let list = st.store.templates(auth.org(), id).await?;
    Ok(AppJson(
        list.into_iter()
            .map(|t| TemplateOut {
                label: format!("{} ({})", t.name, category_pt(&t.category)),
                preview: templates::preview(&t.components.0, &templates::examples(&t.components.0)),
                name: t.name,
                language: t.language,
                status: t.status,
                category: t.category,
                components: t.components.0,
                updated_at: time(t.updated_at),
            })
            .collect(),
    ))
}

/// Pulls the inbox's templates from WhatsApp now (also done on creation).
#[utoipa::path(post, path = "/inboxes/{id}/templates/sync", tag = "inboxes", params(("id" = String, Path)), responses((status = 202), (status = 404, body = crate::error::ErrorBody)))]
async fn sync_templates(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Chat, Access::View)?;
    let inbox = st.store.inbox(auth.org(), id).await?;
    if inbox.kind() != Some(atende_domain::ChannelKind::Whatsapp) {
        return Err(ApiError::invalid("Templates existem só no WhatsApp."));
    }
    let mut tx = st.store.begin().await?;
    tx.enqueue(sync_job(auth.org(), id)).await?;
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok(StatusCode::ACCEPTED)
}

// ---- tags ------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct TagOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: TagId,
    pub name: String,
    pub color: String,
}

impl From<Tag> for TagOut {
    fn from(t: Tag) -> Self {
        TagOut {
            id: t.id,
            name: t.name,
            color: t.color,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagRequest {
    #[schema(min_length = 1, max_length = 60, pattern = r"\S")]
    pub name: Option<String>,
    /// `#rrggbb`
    #[schema(pattern = "^#[0-9a-fA-F]{6}$")]
    pub color: Option<String>,
}

/// A new tag: its name is required.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTag {
    #[schema(min_length = 1, max_length = 60, pattern = r"\S")]
    pub name: String,
    /// `#rrggbb`; default grey.
    #[schema(pattern = "^#[0-9a-fA-F]{6}$")]
    pub color: Option<String>,
}

fn check_color(c: &str) -> Result<(), ApiError> {
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|x| x.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid("Cor inválida: use #rrggbb."))
    }
}

#[utoipa::path(get, path = "/tags", tag = "tags", responses((status = 200, body = Vec<TagOut>)))]
async fn list_tags(State(st): State<AppState>, auth: Auth) -> ApiResult<AppJson<Vec<TagOut>>> {
    auth.require(Module::Tags, Access::View)?;
    Ok(AppJson(
        st.store
            .tags(auth.org())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/tags", tag = "tags", request_body = NewTag, responses((status = 201, body = TagOut), (status = 409, body = crate::error::ErrorBody)))]
async fn create_tag(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<NewTag>,
) -> ApiResult<(StatusCode, AppJson<TagOut>)> {
    auth.require(Module::Tags, Access::ViewEdit)?;
    let name = clean_name("name", &req.name, 60)?;
    let color = req.color.unwrap_or_else(|| "#6b7280".into());
    check_color(&color)?;
    let mut tx = st.store.begin().await?;
    let t = tx
        .create_tag(auth.org(), &name, &color)
        .await
        .map_err(|e| conflict(e, "Já existe uma etiqueta com este nome."))?;
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "tag.created",
        chat: None,
        payload: json!({"id": t.id, "name": t.name, "color": t.color}),
    });
    st.commit(tx).await?;
    Ok((StatusCode::CREATED, AppJson(t.into())))
}

#[utoipa::path(patch, path = "/tags/{id}", tag = "tags", params(("id" = String, Path)), request_body = TagRequest, responses((status = 200, body = TagOut), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn update_tag(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<TagId>,
    AppJson(req): AppJson<TagRequest>,
) -> ApiResult<AppJson<TagOut>> {
    auth.require(Module::Tags, Access::ViewEdit)?;
    let name = req
        .name
        .as_deref()
        .map(|n| clean_name("name", n, 60))
        .transpose()?;
    if let Some(c) = &req.color {
        check_color(c)?;
    }
    let mut tx = st.store.begin().await?;
    let t = tx
        .update_tag(auth.org(), id, name.as_deref(), req.color.as_deref())
        .await
        .map_err(|e| conflict(e, "Já existe uma etiqueta com este nome."))?;
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "tag.updated",
        chat: None,
        payload: json!({"id": t.id, "name": t.name, "color": t.color}),
    });
    st.commit(tx).await?;
    Ok(AppJson(t.into()))
}

#[utoipa::path(delete, path = "/tags/{id}", tag = "tags", params(("id" = String, Path)), responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn delete_tag(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<TagId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Tags, Access::ViewEdit)?;
    let mut tx = st.store.begin().await?;
    tx.delete_tag(auth.org(), id).await?;
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "tag.deleted",
        chat: None,
        payload: json!({"id": id}),
    });
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- custom fields (AD-2) --------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct FieldOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: CustomFieldId,
    /// Used as `{key}` in messages (CH-10).
    pub key: String,
    pub label: String,
    pub field_type: String,
    /// contact | attendance
    pub target: String,
    pub options: Vec<String>,
    pub ask_at_closing: bool,
    pub required_at_closing: bool,
}

impl From<CustomField> for FieldOut {
    fn from(f: CustomField) -> Self {
        FieldOut {
            id: f.id,
            key: f.key,
            label: f.label,
            field_type: f.field_type,
            target: f.target,
            options: f.options.0,
            ask_at_closing: f.ask_at_closing,
            required_at_closing: f.required_at_closing,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldRequest {
    /// What users type between braces: lower-case letters, digits and `_`,
    /// starting with a letter or `_` (not `nome`, `telefone`, `email`,
    /// `cpf`, `rg` or `protocolo`, which the system fills).
    #[schema(pattern = "^\\s*[a-z_][a-z0-9_]{0,39}\\s*$")]
    pub key: Option<String>,
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub label: Option<String>,
    #[schema(schema_with = crate::wire_schema::opt_field_type)]
    pub field_type: Option<String>,
    #[schema(schema_with = crate::wire_schema::opt_field_target)]
    pub target: Option<String>,
    pub options: Option<Vec<String>>,
    pub ask_at_closing: Option<bool>,
    pub required_at_closing: Option<bool>,
}

/// A new custom field: its key and label are required.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewField {
    /// As in `FieldRequest`.
    #[schema(pattern = "^\\s*[a-z_][a-z0-9_]{0,39}\\s*$")]
    pub key: String,
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub label: String,
    #[schema(schema_with = crate::wire_schema::opt_field_type)]
    pub field_type: Option<String>,
    #[schema(schema_with = crate::wire_schema::opt_field_target)]
    pub target: Option<String>,
    pub options: Option<Vec<String>>,
    pub ask_at_closing: Option<bool>,
    pub required_at_closing: Option<bool>,
}

impl From<NewField> for FieldRequest {
    fn from(f: NewField) -> FieldRequest {
        FieldRequest {
            key: Some(f.key),
            label: Some(f.label),
            field_type: f.field_type,
            target: f.target,
            options: f.options,
            ask_at_closing: f.ask_at_closing,
            required_at_closing: f.required_at_closing,
        }
    }
}

/// Keys are what users type between braces: lower-case letters, digits, `_`.
fn check_key(k: &str) -> Result<String, ApiError> {
    let k = k.trim().to_string();
    let ok = !k.is_empty()
        && k.len() <= 40
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !k.starts_with(|c: char| c.is_ascii_digit());
    const RESERVED: &[&str] = &["nome", "telefone", "email", "cpf", "rg", "protocolo"];
    if !ok {
        return Err(ApiError::invalid(
            "Chave inválida: use letras minúsculas, números e _ (até 40), começando por letra.",
        ));
    }
    if RESERVED.contains(&k.as_str()) {
        return Err(ApiError::invalid(format!(
            "A chave {k:?} é reservada para um campo do sistema."
        )));
    }
    Ok(k)
}

fn check_options(ty: CustomFieldType, options: &[String]) -> Result<(), ApiError> {
    if ty == CustomFieldType::Option && options.iter().all(|o| o.trim().is_empty()) {
        return Err(ApiError::invalid(
            "Um campo de opções precisa de ao menos uma opção.",
        ));
    }
    Ok(())
}

#[utoipa::path(get, path = "/custom-fields", tag = "custom fields", responses((status = 200, body = Vec<FieldOut>)))]
async fn list_fields(State(st): State<AppState>, auth: Auth) -> ApiResult<AppJson<Vec<FieldOut>>> {
    auth.require(Module::CustomFields, Access::View)?;
    Ok(AppJson(
        st.store
            .custom_fields(auth.org())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/custom-fields", tag = "custom fields", request_body = NewField, responses((status = 201, body = FieldOut), (status = 409, body = crate::error::ErrorBody)))]
async fn create_field(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(new): AppJson<NewField>,
) -> ApiResult<(StatusCode, AppJson<FieldOut>)> {
    auth.require(Module::CustomFields, Access::ViewEdit)?;
    let req = FieldRequest::from(new);
    let key = check_key(req.key.as_deref().unwrap_or(""))?;
    let label = clean_name("label", req.label.as_deref().unwrap_or(""), 80)?;
    let ty_s = req.field_type.unwrap_or_else(|| "text".into());
    let ty: CustomFieldType = ty_s
        .parse()
        .map_err(|_| ApiError::invalid(format!("Tipo de campo inválido: {ty_s:?}.")))?;
    let target = req.target.unwrap_or_else(|| "contact".into());
    if !["contact", "attendance"].contains(&target.as_str()) {
        return Err(ApiError::invalid(
            "Destino inválido (use contact ou attendance).",
        ));
    }
    let options = req.options.unwrap_or_default();
    check_options(ty, &options)?;
    let f = CustomField {
        id: CustomFieldId::new(),
        org_id: auth.org(),
        key,
        label,
        field_type: ty.as_str().into(),
        target,
        options: Json(options),
        ask_at_closing: req.ask_at_closing.unwrap_or(false),
        required_at_closing: req.required_at_closing.unwrap_or(false),
        created_at: atende_store::now_ms(),
    };
    let mut tx = st.store.begin().await?;
    tx.create_custom_field(&f)
        .await
        .map_err(|e| conflict(e, "Já existe um campo com esta chave."))?;
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "custom_field.created",
        chat: None,
        payload: json!({"id": f.id, "key": f.key}),
    });
    st.commit(tx).await?;
    Ok((StatusCode::CREATED, AppJson(f.into())))
}

#[utoipa::path(patch, path = "/custom-fields/{id}", tag = "custom fields", params(("id" = String, Path)), request_body = FieldRequest, responses((status = 200, body = FieldOut), (status = 404, body = crate::error::ErrorBody)))]
async fn update_field(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<CustomFieldId>,
    AppJson(req): AppJson<FieldRequest>,
) -> ApiResult<AppJson<FieldOut>> {
    auth.require(Module::CustomFields, Access::ViewEdit)?;
    let mut f = st.store.custom_field(auth.org(), id).await?;
    if req.key.as_deref().is_some_and(|k| k != f.key)
        || req.field_type.as_deref().is_some_and(|t| t != f.field_type)
        || req.target.as_deref().is_some_and(|t| t != f.target)
    {
        return Err(ApiError::invalid(
            "A chave, o tipo e o destino de um campo não podem ser alterados.",
        ));
    }
    if let Some(l) = req.label {
        f.label = clean_name("label", &l, 80)?;
    }
    if let Some(o) = req.options {
        let ty: CustomFieldType = f.field_type.parse().map_err(ApiError::internal)?;
        check_options(ty, &o)?;
        f.options = Json(o);
    }
    f.ask_at_closing = req.ask_at_closing.unwrap_or(f.ask_at_closing);
    f.required_at_closing = req.required_at_closing.unwrap_or(f.required_at_closing);
    let mut tx = st.store.begin().await?;
    tx.update_custom_field(&f).await?;
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "custom_field.updated",
        chat: None,
        payload: json!({"id": f.id, "key": f.key}),
    });
    st.commit(tx).await?;
    Ok(AppJson(f.into()))
}

#[utoipa::path(delete, path = "/custom-fields/{id}", tag = "custom fields", params(("id" = String, Path)), responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn delete_field(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<CustomFieldId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::CustomFields, Access::ViewEdit)?;
    let mut tx = st.store.begin().await?;
    tx.delete_custom_field(auth.org(), id).await?;
    tx.emit(NewEvent {
        org_id: auth.org(),
        kind: "custom_field.deleted",
        chat: None,
        payload: json!({"id": id}),
    });
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
