//! A contact's data (CT-1) and broadcast opt-in (CT-5), as the chat's
//! settings panel shows and edits it.
//!
//! Reading and editing need the Contacts module, or a chat of the contact
//! the caller may see (and, to edit, the right to work in the chat): the
//! agent serving a customer can fix their name or e-mail without access to
//! the whole contact base.

use std::collections::BTreeMap;

use atende_domain::{Access, ContactId, CustomFieldType, Document, Email, InboxId, Module};
use atende_store::chats::Contact;
use atende_store::contacts::{ContactChanges, ContactIdentity};
use atende_store::directory::CustomField;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppJson, AppPath, clean_name, opt_time, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_contact, update_contact))
        .routes(routes!(block_contact, unblock_contact))
}

/// Where the contact wrote from.
#[derive(Serialize, ToSchema)]
pub struct IdentityOut {
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
    pub inbox_name: String,
    pub channel: String,
    /// The contact's id on the channel (WhatsApp: the number, digits only).
    pub external_id: String,
    /// The inbox's own number the contact wrote to (CT-1), as the channel
    /// shows it; null until known (WhatsApp: from the first webhook).
    pub inbox_number: Option<String>,
}

impl From<ContactIdentity> for IdentityOut {
    fn from(i: ContactIdentity) -> Self {
        IdentityOut {
            inbox_id: i.inbox_id,
            inbox_name: i.inbox_name,
            channel: i.channel,
            external_id: i.external_id,
            inbox_number: i.inbox_number,
        }
    }
}

/// A contact (CT-1).
#[derive(Serialize, ToSchema)]
pub struct ContactOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: ContactId,
    /// Display name (from the channel profile until someone edits it).
    pub name: String,
    /// E.164, e.g. `+5511987654321`.
    pub phone: Option<String>,
    pub email: Option<String>,
    /// CPF or CNPJ, digits only.
    pub document: Option<String>,
    /// `cpf` or `cnpj` when `document` is set.
    pub document_kind: Option<String>,
    pub rg: Option<String>,
    /// `AAAA-MM-DD`.
    pub birth_date: Option<String>,
    pub customer_code: Option<String>,
    /// CT-4.
    pub blocked: bool,
    /// CT-5: off ⇒ never included in broadcasts.
    pub broadcast_opt_in: bool,
    /// Values of the contact's custom fields, by field key.
    #[schema(value_type = Object)]
    pub custom: BTreeMap<String, String>,
    pub identities: Vec<IdentityOut>,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When the contact last wrote: the provider's time of the newest
    /// customer message in any of its chats (none yet: null).
    #[schema(format = DateTime)]
    pub last_interaction_at: Option<String>,
}

fn contact_out(c: Contact, identities: Vec<ContactIdentity>) -> ContactOut {
    let document_kind = c
        .document
        .as_deref()
        .and_then(|d| Document::parse(d).ok())
        .map(|d| match d {
            Document::Cpf(_) => "cpf".to_string(),
            Document::Cnpj(_) => "cnpj".to_string(),
        });
    let custom = match c.custom.0 {
        Value::Object(m) => m
            .into_iter()
            .map(|(k, v)| {
                let s = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, s)
            })
            .collect(),
        _ => BTreeMap::new(),
    };
    ContactOut {
        id: c.id,
        name: c.name,
        phone: c.phone,
        email: c.email,
        document: c.document,
        document_kind,
        rg: c.rg,
        birth_date: c.birth_date,
        customer_code: c.customer_code,
        blocked: c.blocked,
        broadcast_opt_in: c.broadcast_opt_in,
        custom,
        identities: identities.into_iter().map(Into::into).collect(),
        created_at: time(c.created_at),
        last_interaction_at: opt_time(c.last_interaction_at),
    }
}

/// Allowed when the caller has `access` on Contacts, or on Chat together
/// with a chat of this contact they may see. A caller who may see the
/// contact but not edit it gets 403; one who may not see it, 404 (like a
/// contact that does not exist).
async fn check_access(st: &AppState, auth: &Auth, id: ContactId, access: Access) -> ApiResult<()> {
    let contacts = auth.permissions().access(Module::Contacts);
    if contacts >= access {
        // The contact must be this organization's: another's id names
        // nothing (404), before any rule about it is checked.
        st.store.contact(auth.org(), id).await?;
        return Ok(());
    }
    if auth.permissions().access(Module::Chat) >= access {
        let convs = st.store.contact_conversations(auth.org(), id).await?;
        if convs
            .iter()
            .any(|c| atende_domain::can_see(&c.chat_state(), &auth.viewer()))
        {
            return Ok(());
        }
    }
    if contacts >= Access::View {
        st.store.contact(auth.org(), id).await?;
        Err(ApiError::forbidden())
    } else {
        Err(ApiError::not_found())
    }
}

/// A contact with the inboxes it wrote to.
#[utoipa::path(get, path = "/contacts/{id}", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, body = ContactOut), (status = 404, body = crate::error::ErrorBody)))]
async fn get_contact(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ContactId>,
) -> ApiResult<AppJson<ContactOut>> {
    check_access(&st, &auth, id, Access::View).await?;
    let c = st.store.contact(auth.org(), id).await?;
    let identities = st.store.contact_identities(auth.org(), id).await?;
    Ok(AppJson(contact_out(c, identities)))
}

/// An edit of a contact: only the fields present change. An empty string
/// clears an optional field.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ContactUpdate {
    pub name: Option<String>,
    pub email: Option<String>,
    /// CPF or CNPJ, with or without punctuation.
    pub document: Option<String>,
    pub rg: Option<String>,
    /// `AAAA-MM-DD`.
    pub birth_date: Option<String>,
    pub customer_code: Option<String>,
    pub broadcast_opt_in: Option<bool>,
    /// Custom field values by key; `null` or `""` removes a value.
    #[schema(value_type = Option<Object>)]
    pub custom: Option<BTreeMap<String, Value>>,
}

/// An optional text field: trimmed, `""` clears it, at most `max` characters.
fn optional_text(field: &str, v: Option<String>, max: usize) -> ApiResult<Option<Option<String>>> {
    let Some(v) = v else { return Ok(None) };
    let v = v.trim();
    if v.is_empty() {
        return Ok(Some(None));
    }
    if v.chars().count() > max {
        return Err(ApiError::invalid(format!(
            "O campo {field} aceita no máximo {max} caracteres."
        )));
    }
    Ok(Some(Some(v.to_string())))
}

/// A custom field's new value, checked against its type and options:
/// `None` clears it (null or blank).
pub(crate) fn custom_value(field: &CustomField, value: Value) -> ApiResult<Option<String>> {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.trim().to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        _ => {
            return Err(ApiError::invalid(format!(
                "Valor inválido para {}: use um texto.",
                field.label
            )));
        }
    };
    if text.is_empty() {
        return Ok(None);
    }
    let ty: CustomFieldType = field
        .field_type
        .parse()
        .map_err(|_| ApiError::internal("unknown custom field type"))?;
    ty.validate(&text)
        .map_err(|e| ApiError::invalid(format!("{}: {e}.", field.label)))?;
    if ty == CustomFieldType::Option && !field.options.0.contains(&text) {
        return Err(ApiError::invalid(format!(
            "{}: escolha uma das opções ({}).",
            field.label,
            field.options.0.join(", ")
        )));
    }
    Ok(Some(text))
}

/// Checks and normalises an edit against the organization's custom fields.
async fn changes_of(st: &AppState, auth: &Auth, req: ContactUpdate) -> ApiResult<ContactChanges> {
    let name = req
        .name
        .as_deref()
        .map(|n| clean_name("nome", n, 120))
        .transpose()?;
    let email = match optional_text("e-mail", req.email, 254)? {
        Some(Some(e)) => Some(Some(Email::parse(&e)?.as_str().to_string())),
        other => other,
    };
    let document = match optional_text("CPF/CNPJ", req.document, 32)? {
        Some(Some(d)) => Some(Some(Document::parse(&d)?.as_str().to_string())),
        other => other,
    };
    let birth_date = match optional_text("data de nascimento", req.birth_date, 10)? {
        Some(Some(d)) => {
            CustomFieldType::Date
                .validate(&d)
                .map_err(|_| ApiError::invalid("Data de nascimento inválida: use AAAA-MM-DD."))?;
            if d > atende_store::now()
                .date_naive()
                .format("%Y-%m-%d")
                .to_string()
            {
                return Err(ApiError::invalid(
                    "A data de nascimento não pode estar no futuro.",
                ));
            }
            Some(Some(d))
        }
        other => other,
    };
    let mut custom = Vec::new();
    if let Some(values) = req.custom.filter(|m| !m.is_empty()) {
        let fields = st.store.custom_fields(auth.org()).await?;
        for (key, value) in values {
            let Some(field) = fields
                .iter()
                .find(|f| f.key == key && f.target == "contact")
            else {
                return Err(ApiError::invalid(format!(
                    "Campo personalizado desconhecido: {key}."
                )));
            };
            custom.push((key, custom_value(field, value)?));
        }
    }
    Ok(ContactChanges {
        name,
        email,
        document,
        rg: optional_text("RG", req.rg, 20)?,
        birth_date,
        customer_code: optional_text("código do cliente", req.customer_code, 60)?,
        broadcast_opt_in: req.broadcast_opt_in,
        custom,
    })
}

/// Edits a contact (CT-1, CT-5). Every chat of the contact gets a
/// `contact.updated` event naming the changed fields.
#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts", params(("id" = String, Path)), request_body = ContactUpdate,
    responses((status = 200, body = ContactOut), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn update_contact(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ContactId>,
    AppJson(req): AppJson<ContactUpdate>,
) -> ApiResult<AppJson<ContactOut>> {
    check_access(&st, &auth, id, Access::ViewEdit).await?;
    let changes = changes_of(&st, &auth, req).await?;
    let mut tx = st.store.begin().await?;
    let (contact, _) = tx.update_contact(auth.org(), id, &changes).await?;
    st.commit(tx).await?;
    let identities = st.store.contact_identities(auth.org(), id).await?;
    Ok(AppJson(contact_out(contact, identities)))
}

/// How recent the contact's last message must be to block them (CT-4).
const BLOCK_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// Blocks a contact (CT-4): from then on nothing is sent to them and their
/// messages are not taken in. Only a contact who wrote in the last 24 hours
/// may be blocked.
#[utoipa::path(post, path = "/contacts/{id}/block", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, body = ContactOut), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn block_contact(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ContactId>,
) -> ApiResult<AppJson<ContactOut>> {
    check_access(&st, &auth, id, Access::ViewEdit).await?;
    let last = st
        .store
        .contact_conversations(auth.org(), id)
        .await?
        .iter()
        .filter_map(|c| c.last_inbound_at)
        .max();
    let now = atende_store::now_ms();
    if last.is_none_or(|t| now - t > BLOCK_WINDOW_MS) {
        return Err(ApiError::new(
            Code::BlockNeedsRecentMessage,
            "Só é possível bloquear um contato que enviou mensagem nas últimas 24 horas.",
        ));
    }
    set_blocked(&st, &auth, id, true).await
}

/// Unblocks a contact (always allowed).
#[utoipa::path(delete, path = "/contacts/{id}/block", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, body = ContactOut), (status = 404, body = crate::error::ErrorBody)))]
async fn unblock_contact(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ContactId>,
) -> ApiResult<AppJson<ContactOut>> {
    check_access(&st, &auth, id, Access::ViewEdit).await?;
    set_blocked(&st, &auth, id, false).await
}

async fn set_blocked(
    st: &AppState,
    auth: &Auth,
    id: ContactId,
    blocked: bool,
) -> ApiResult<AppJson<ContactOut>> {
    let mut tx = st.store.begin().await?;
    let contact = tx.set_contact_blocked(auth.org(), id, blocked).await?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        if blocked {
            "contact.blocked"
        } else {
            "contact.unblocked"
        },
        &id.to_string(),
        serde_json::json!({}),
    )
    .await?;
    st.commit(tx).await?;
    let identities = st.store.contact_identities(auth.org(), id).await?;
    Ok(AppJson(contact_out(contact, identities)))
}
