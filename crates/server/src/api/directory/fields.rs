//! Custom fields (AD-2): what a contact or an attendance records beyond
//! the system's fields, filled in messages as `{key}`.

use atende_domain::{Access, CustomFieldId, CustomFieldType, Module};
use atende_store::Json;
use atende_store::NewEvent;
use atende_store::directory::CustomField;
use atende_store::events::{ChatEvent, Deleted, FieldChanged};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{AppJson, AppPath, clean_name, conflict};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_fields, create_field))
        .routes(routes!(update_field, delete_field))
}

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
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::FieldCreated(FieldChanged {
            id: f.id,
            key: f.key.clone(),
        }),
    ));
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
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::FieldUpdated(FieldChanged {
            id: f.id,
            key: f.key.clone(),
        }),
    ));
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
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::FieldDeleted(Deleted { id: id.as_uuid() }),
    ));
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
