//! Custom fields asked when an attendance closes (LC-11): each one
//! mandatory or optional, a value kept from before shown to be changed or
//! cleared ("Excluir valor atual"). Contact fields are saved on the contact,
//! attendance fields on the attendance.

use std::collections::BTreeMap;

use atende_domain::{Access, ConversationId, Module};
use atende_store::Tx;
use atende_store::chats::Conversation;
use atende_store::contacts::ContactChanges;
use atende_store::directory::CustomField;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::visible_conversation;
use crate::api::contacts::custom_value;
use crate::api::{AppJson, AppPath};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

/// A field the closing dialog asks, with the value it has now.
#[derive(Serialize, ToSchema)]
pub struct ClosingFieldOut {
    pub key: String,
    pub label: String,
    pub field_type: String,
    /// contact | attendance
    pub target: String,
    pub options: Vec<String>,
    /// The attendance cannot close without a value.
    pub required: bool,
    /// The value it has now (the contact's, or this attendance's).
    pub value: Option<String>,
}

/// What a closing saves, checked.
#[derive(Default)]
pub struct ClosingValues {
    contact: Vec<(String, Option<String>)>,
    attendance: Vec<(String, Option<String>)>,
}

fn text_of(map: &Value, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::String(_) | Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The fields asked at closing and their current values.
async fn asked(
    st: &AppState,
    auth: &Auth,
    conv: &Conversation,
) -> ApiResult<Vec<(CustomField, Option<String>)>> {
    let fields: Vec<CustomField> = st
        .store
        .custom_fields(auth.org())
        .await?
        .into_iter()
        .filter(|f| f.ask_at_closing)
        .collect();
    if fields.is_empty() {
        return Ok(vec![]);
    }
    let contact = st.store.contact(auth.org(), conv.contact_id).await?;
    let attendance = match conv.attendance_id {
        Some(a) => Some(st.store.attendance(auth.org(), a).await?),
        None => None,
    };
    Ok(fields
        .into_iter()
        .map(|f| {
            let value = if f.target == "attendance" {
                attendance
                    .as_ref()
                    .and_then(|a| text_of(&a.custom.0, &f.key))
            } else {
                text_of(&contact.custom.0, &f.key)
            };
            (f, value)
        })
        .collect())
}

/// The custom fields the closing dialog asks (LC-11), mandatory ones
/// marked, with the values they have now.
#[utoipa::path(get, path = "/conversations/{id}/closing-fields", tag = "conversations", params(("id" = String, Path)),
    responses((status = 200, body = Vec<ClosingFieldOut>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn closing_fields(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
) -> ApiResult<AppJson<Vec<ClosingFieldOut>>> {
    auth.require(Module::Chat, Access::View)?;
    let conv = visible_conversation(&st, &auth, id).await?;
    Ok(AppJson(
        asked(&st, &auth, &conv)
            .await?
            .into_iter()
            .map(|(f, value)| ClosingFieldOut {
                key: f.key,
                label: f.label,
                field_type: f.field_type,
                target: f.target,
                options: f.options.0,
                required: f.required_at_closing,
                value,
            })
            .collect(),
    ))
}

/// Checks the values given at closing (`null` or blank clears one) against
/// the fields asked: only those, each by its type, and every mandatory one
/// filled, given now or kept from before.
pub async fn check(
    st: &AppState,
    auth: &Auth,
    conv: &Conversation,
    given: BTreeMap<String, Value>,
) -> ApiResult<ClosingValues> {
    let fields = asked(st, auth, conv).await?;
    let mut out = ClosingValues::default();
    let mut after: BTreeMap<&str, Option<String>> = fields
        .iter()
        .map(|(f, v)| (f.key.as_str(), v.clone()))
        .collect();
    for (key, value) in given {
        let Some((field, _)) = fields.iter().find(|(f, _)| f.key == key) else {
            return Err(ApiError::invalid(format!(
                "O campo {key} não é pedido no encerramento."
            )));
        };
        let value = custom_value(field, value)?;
        after.insert(field.key.as_str(), value.clone());
        if field.target == "attendance" {
            out.attendance.push((key, value));
        } else {
            out.contact.push((key, value));
        }
    }
    if let Some((f, _)) = fields.iter().find(|(f, _)| {
        f.required_at_closing && after.get(f.key.as_str()).is_none_or(Option::is_none)
    }) {
        return Err(ApiError::new(
            Code::ClosingFieldRequired,
            format!(
                "Preencha o campo obrigatório {} para encerrar o atendimento.",
                f.label
            ),
        )
        .with_details(json!({"key": f.key})));
    }
    Ok(out)
}

/// Saves the checked values inside the closing's transaction.
pub async fn save(tx: &mut Tx, conv: &Conversation, values: ClosingValues) -> ApiResult<()> {
    if !values.contact.is_empty() {
        let changes = ContactChanges {
            custom: values.contact,
            ..ContactChanges::default()
        };
        tx.update_contact(conv.org_id, conv.contact_id, &changes)
            .await?;
    }
    if let Some(a) = conv.attendance_id {
        tx.set_attendance_fields(conv.org_id, a, &values.attendance)
            .await?;
    }
    Ok(())
}
