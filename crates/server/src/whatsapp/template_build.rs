//! A template send built for the Cloud API (CH-6): the agent's values
//! checked against the synced template's placeholders and header, and
//! turned into its `components`, or the components given as they are with
//! their texts' variables filled.

use std::collections::BTreeMap;

use atende_store::ingest::Template;
use serde_json::{Value, json};

use super::templates;
use crate::channel::BuiltTemplate;
use crate::chat::compose::template_request::TemplateSend;
use crate::chat::send::UploadRef;
use crate::error::{ApiError, ApiResult, Code};

/// The components, the thread's text and the header's upload of a
/// template send.
pub(super) fn build(
    found: &Template,
    t: &TemplateSend,
    fill: &dyn Fn(&str) -> String,
) -> ApiResult<BuiltTemplate> {
    let (components, values, upload) = match &t.components {
        Some(given) => {
            let mut given = given.clone();
            for c in &mut given {
                fill_text_parameters(c, fill);
            }
            let values = templates::values_of(&given);
            (given, values, None)
        }
        None => build_components(&found.name, &found.components.0, t, fill)?,
    };
    Ok(BuiltTemplate {
        components,
        text: templates::preview(&found.components.0, &values),
        upload,
    })
}

/// A synced template's text with its example values.
pub(super) fn preview(components: &Value) -> String {
    templates::preview(components, &templates::examples(components))
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
    ApiError::new(Code::TemplateParameters, message)
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
