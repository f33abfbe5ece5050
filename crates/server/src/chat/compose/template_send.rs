//! A template message (CH-6): the agent's values checked against the
//! synced template and built into the Cloud API's components.

use std::collections::BTreeMap;

use atende_domain::ContentKind;
use atende_store::chats::{Contact, Conversation};
use atende_store::directory::Inbox;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::{Composed, UploadRef, fill_variables};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::whatsapp::templates;

/// A template to send (the only thing allowed outside the 24 h window).
/// Give the values of its placeholders and, for an image, video or document
/// header, the file; the server builds the Cloud API components. `{nome}`
/// and custom-field variables inside any value are filled too (CH-10).
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct TemplateSend {
    pub name: String,
    /// e.g. `pt_BR`; default: the first synced language of that name.
    pub language: Option<String>,
    /// Values of the body's `{{1}}`, `{{2}}`…, in order.
    #[serde(default)]
    pub variables: Vec<String>,
    /// Values of a text header's `{{1}}`… (numbered apart from the body's).
    #[serde(default)]
    pub header_variables: Vec<String>,
    /// Values of named placeholders (`{{pedido}}`) in the header or body.
    #[serde(default)]
    pub named_variables: BTreeMap<String, String>,
    /// The file of an image, video or document header.
    pub header_media: Option<HeaderMedia>,
    /// Full Cloud API components (e.g. button parameters), sent as given
    /// instead of the fields above; variables in their texts are filled.
    #[schema(value_type = Option<Vec<Object>>)]
    pub components: Option<Vec<Value>>,
}

/// A template header's file: an upload id or a public link.
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct HeaderMedia {
    pub id: Option<String>,
    pub link: Option<String>,
    /// Documents only: the name the contact sees.
    pub filename: Option<String>,
}

/// A template message, checked against the synced templates.
pub async fn template(
    st: &AppState,
    inbox: &Inbox,
    t: &TemplateSend,
    contact: &Contact,
    conv: &Conversation,
) -> ApiResult<Composed> {
    if !st
        .channels
        .get(inbox.kind())
        .is_some_and(|c| c.has_templates())
    {
        return Err(ApiError::invalid(
            "Mensagens template existem só no WhatsApp.",
        ));
    }
    let Some(found) = st
        .store
        .template(inbox.org_id, inbox.id, t.name.trim(), t.language.as_deref())
        .await?
    else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "template_not_found",
            "Mensagem template não encontrada: sincronize os templates da caixa de entrada.",
        ));
    };
    if found.status != "APPROVED" {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "template_not_approved",
            format!(
                "O template {} não está aprovado ({}).",
                found.name, found.status
            ),
        ));
    }
    let fill = |v: &str| fill_variables(v, contact, conv);
    let (components, values, upload) = match &t.components {
        Some(given) => {
            let mut given = given.clone();
            for c in &mut given {
                fill_text_parameters(c, &fill);
            }
            let values = templates::values_of(&given);
            (given, values, None)
        }
        None => build_components(&found.name, &found.components.0, t, &fill)?,
    };
    let text = templates::preview(&found.components.0, &values);
    Ok(Composed {
        internal: false,
        kind: ContentKind::Template,
        text,
        payload: json!({"template": {"name": found.name, "language": found.language, "category": found.category, "components": components}}),
        upload,
    })
}

/// Fills `{nome}` and custom fields in every text parameter of a raw
/// component.
fn fill_text_parameters(v: &mut Value, fill: &dyn Fn(&str) -> String) {
    match v {
        Value::Object(map) => {
            let is_text = map.get("type").and_then(Value::as_str) == Some("text");
            for (k, inner) in map.iter_mut() {
                match inner {
                    Value::String(s) if is_text && k == "text" => *s = fill(s),
                    _ => fill_text_parameters(inner, fill),
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(|x| fill_text_parameters(x, fill)),
        _ => {}
    }
}

fn template_error(message: String) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "template_parameters",
        message,
    )
}

/// The values for `keys` (positional from `list`, named from the map), or
/// the error naming what is missing or extra.
fn take_values(
    template: &str,
    part: &str,
    keys: &[String],
    list: &[String],
    named: &BTreeMap<String, String>,
    fill: &dyn Fn(&str) -> String,
) -> ApiResult<Vec<(String, String)>> {
    let positional = keys.iter().filter(|k| k.parse::<usize>().is_ok()).count();
    if list.len() != positional {
        return Err(template_error(format!(
            "O template {template} tem {positional} variável(is) no {part}; foram enviadas {}.",
            list.len()
        )));
    }
    let mut list = list.iter();
    keys.iter()
        .map(|k| {
            let raw = if k.parse::<usize>().is_ok() {
                list.next().map(String::as_str)
            } else {
                named.get(k).map(String::as_str)
            };
            let value = raw.map(|r| fill(r.trim())).unwrap_or_default();
            if value.trim().is_empty() {
                return Err(template_error(format!(
                    "Preencha a variável {{{{{k}}}}} do {part} do template {template}."
                )));
            }
            Ok((k.clone(), value))
        })
        .collect()
}

fn parameters(values: &[(String, String)]) -> Vec<Value> {
    values
        .iter()
        .map(|(k, v)| match k.parse::<usize>() {
            Ok(_) => json!({"type": "text", "text": v}),
            Err(_) => json!({"type": "text", "parameter_name": k, "text": v}),
        })
        .collect()
}

/// Builds the Cloud API components of a template send from the values the
/// agent gave, checked against what the template needs.
fn build_components(
    name: &str,
    template: &Value,
    t: &TemplateSend,
    fill: &dyn Fn(&str) -> String,
) -> ApiResult<(Vec<Value>, templates::Values, Option<UploadRef>)> {
    let shape = templates::shape(template);
    let mut components = vec![];
    let mut values = templates::Values::default();
    let mut upload = None;
    let mut note_named = |list: &[(String, String)]| -> Vec<String> {
        let mut positional = vec![];
        for (k, v) in list {
            if k.parse::<usize>().is_ok() {
                positional.push(v.clone());
            } else {
                values.named.insert(k.clone(), Value::String(v.clone()));
            }
        }
        positional
    };
    match &shape.header {
        templates::Header::Text(keys) if !keys.is_empty() => {
            let list = take_values(
                name,
                "cabeçalho",
                keys,
                &t.header_variables,
                &t.named_variables,
                fill,
            )?;
            components.push(json!({"type": "header", "parameters": parameters(&list)}));
            values.header = note_named(&list);
        }
        templates::Header::Media(kind) => {
            let Some(m) = &t.header_media else {
                return Err(template_error(format!(
                    "O template {name} tem {} no cabeçalho: envie o arquivo em header_media.",
                    media_label(kind)
                )));
            };
            let link = m.link.as_deref().map(str::trim).filter(|l| !l.is_empty());
            let mut media = match (link, m.id.as_deref()) {
                (Some(l), None) if l.starts_with("https://") || l.starts_with("http://") => {
                    json!({"link": l})
                }
                (Some(_), None) => {
                    return Err(ApiError::invalid(
                        "O link da mídia deve começar com http:// ou https://.",
                    ));
                }
                (None, Some(id)) => {
                    upload = Some(UploadRef {
                        kind: (*kind).to_string(),
                        id: id.to_string(),
                    });
                    json!({"id": id})
                }
                _ => {
                    return Err(ApiError::invalid(
                        "Informe header_media.link ou header_media.id (um dos dois).",
                    ));
                }
            };
            if *kind == "document"
                && let Some(f) = m.filename.as_deref().filter(|f| !f.trim().is_empty())
            {
                media["filename"] = json!(f.trim());
            }
            components
                .push(json!({"type": "header", "parameters": [{"type": kind, *kind: media}]}));
        }
        templates::Header::Location => {
            return Err(template_error(format!(
                "O template {name} tem uma localização no cabeçalho: envie-o com components."
            )));
        }
        _ => {}
    }
    if !matches!(&shape.header, templates::Header::Text(k) if !k.is_empty())
        && !t.header_variables.is_empty()
    {
        return Err(template_error(format!(
            "O template {name} não tem variáveis no cabeçalho."
        )));
    }
    if !matches!(shape.header, templates::Header::Media(_)) && t.header_media.is_some() {
        return Err(template_error(format!(
            "O template {name} não tem imagem, vídeo ou documento no cabeçalho."
        )));
    }
    let body = take_values(
        name,
        "corpo",
        &shape.body,
        &t.variables,
        &t.named_variables,
        fill,
    )?;
    if !body.is_empty() {
        components.push(json!({"type": "body", "parameters": parameters(&body)}));
    }
    values.body = note_named(&body);
    Ok((components, values, upload))
}

fn media_label(kind: &str) -> &'static str {
    match kind {
        "image" => "uma imagem",
        "video" => "um vídeo",
        _ => "um documento",
    }
}
