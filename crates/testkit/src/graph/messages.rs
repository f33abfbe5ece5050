//! `POST /{ver}/{phone_number_id}/messages`: sends, mark-as-read, typing.
//! Ids registered as pages, and `me`, go to the Send API (`pages.rs`).

use super::errors::{self, GraphError, graph_error, invalid_parameter, missing_parameter};
use super::record::SendAccepted;
use super::state::Inner;
use super::types::AcceptedSend;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

/// Longest text body Meta accepts, in characters.
const MAX_TEXT_CHARS: usize = 4096;

/// Message types the Cloud API sends.
const SEND_TYPES: &[&str] = &[
    "text",
    "image",
    "video",
    "audio",
    "document",
    "sticker",
    "location",
    "contacts",
    "interactive",
    "template",
    "reaction",
];

/// Who a send goes to: a phone number (`to`) or a BSUID (`recipient`).
enum Recipient<'a> {
    Phone(&'a str),
    User(&'a str),
}

/// Handles one `…/messages` POST: the Send API when `id` is `me` or a
/// registered page, the Cloud API otherwise.
pub(crate) async fn send(
    State(inner): State<Arc<Inner>>,
    Path((ver, id)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, GraphError> {
    let (response, sender) = if id == "me" || inner.is_page(&id) {
        super::pages::send(&inner, &ver, &id, &headers, &uri, &body)?
    } else {
        (handle(&inner, &ver, &id, &headers, &body)?, id)
    };
    if response.extensions().get::<SendAccepted>().is_some() {
        let delay = inner.state().answer_delay.get(&sender).copied();
        if let Some(delay) = delay {
            // Taken, status webhook on its way, answer held back: what a
            // client sees when Meta accepts a send and the answer is lost.
            tokio::time::sleep(delay).await;
        }
    }
    Ok(response)
}

fn handle(
    inner: &Inner,
    ver: &str,
    phone_number_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, GraphError> {
    inner.check_version(ver)?;
    let waba_id = inner.authorize_number(headers, phone_number_id)?;
    let req: Value = serde_json::from_slice(body)
        .map_err(|_| invalid_parameter("The request body must be a JSON object."))?;
    if req.get("messaging_product").and_then(Value::as_str) != Some("whatsapp") {
        return Err(invalid_parameter(
            "Param messaging_product is required and must be 'whatsapp'.",
        ));
    }
    if req.get("status").and_then(Value::as_str) == Some("read") {
        return mark_read(&req);
    }
    let (kind, recipient) = validate(&req)?;
    inner.admit(phone_number_id)?;
    if let Some(e) = inner.take_injected(phone_number_id) {
        return Err(e.to_error());
    }
    if kind == "template" {
        check_template(inner, &waba_id, &req)?;
    }
    let (response, wamid) = accepted(kind == "template", &recipient);
    take(inner, phone_number_id, &req, wamid);
    Ok(response)
}

/// Records a taken send and, when the number has a status webhook, tells
/// it the message was sent, echoing `biz_opaque_callback_data` as Meta does.
fn take(inner: &Inner, phone_number_id: &str, req: &Value, wamid: String) {
    let callback_data = req
        .get("biz_opaque_callback_data")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let recipient = req
        .get("to")
        .or_else(|| req.get("recipient"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut state = inner.state();
    state.accepted.push(AcceptedSend {
        phone_number_id: phone_number_id.to_owned(),
        wamid: wamid.clone(),
        callback_data: callback_data.clone(),
        body: req.clone(),
    });
    if let Some(sim) = state.status_hooks.get(phone_number_id).cloned() {
        let payload = sim.sent_status_payload(&wamid, &recipient, callback_data.as_deref());
        tokio::spawn(deliver(sim, payload));
    }
}

/// Posts a status webhook until the server answers 200.
async fn deliver(sim: crate::Simulator, payload: Value) {
    let client = reqwest::Client::new();
    until_ok(|| sim.post(&client, &payload)).await;
}

/// Repeats `attempt` (a webhook POST) until it answers 200, backing off
/// from 100 ms to 2 s, for up to ten minutes (Meta retries for days).
pub(super) async fn until_ok<F, Fut>(mut attempt: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = crate::WebhookResponse>,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(600);
    let mut wait = std::time::Duration::from_millis(100);
    while tokio::time::Instant::now() < deadline {
        if attempt().await.status == 200 {
            return;
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(std::time::Duration::from_secs(2));
    }
    tracing::warn!("fake Graph gave up delivering a webhook");
}

/// `{"status":"read","message_id":…}`, optionally with a typing indicator.
fn mark_read(req: &Value) -> Result<Response, GraphError> {
    let id = req.get("message_id").and_then(Value::as_str).unwrap_or("");
    if id.is_empty() {
        return Err(missing_parameter("Param message_id is required."));
    }
    if let Some(typing) = req.get("typing_indicator")
        && typing.get("type").and_then(Value::as_str) != Some("text")
    {
        return Err(invalid_parameter(
            "Param typing_indicator[type] must be 'text'.",
        ));
    }
    Ok(Json(json!({"success": true})).into_response())
}

/// The send's type and recipient, or the 400 Graph gives for a malformed send.
fn validate(req: &Value) -> Result<(&str, Recipient<'_>), GraphError> {
    let Some(kind) = req.get("type").and_then(Value::as_str) else {
        return Err(missing_parameter("Param type is required."));
    };
    if !SEND_TYPES.contains(&kind) {
        let details = format!("Param type must be one of {{{}}}.", SEND_TYPES.join(", "));
        return Err(invalid_parameter(&details));
    }
    let object = req.get(kind).filter(|o| o.is_object() || o.is_array());
    let Some(object) = object else {
        return Err(missing_parameter(&format!("Param {kind} is required.")));
    };
    let to = req
        .get("to")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let user = req
        .get("recipient")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let recipient = match (to, user) {
        (Some(to), _) if to.bytes().any(|b| b.is_ascii_digit()) => Recipient::Phone(to),
        (Some(_), _) => return Err(invalid_value("Param to must be a phone number.")),
        (None, Some(user)) => Recipient::User(user),
        (None, None) => return Err(missing_parameter("Param to is required.")),
    };
    if kind == "text" {
        let Some(text) = object.get("body").and_then(Value::as_str) else {
            return Err(missing_parameter("Param text['body'] is required."));
        };
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(invalid_value(
                "Param text['body'] must be at most 4096 characters long.",
            ));
        }
    }
    if kind == "template" && object.get("name").and_then(Value::as_str).is_none() {
        return Err(missing_parameter("Param template['name'] is required."));
    }
    Ok((kind, recipient))
}

/// 404 code 132001 unless the template is an APPROVED one of the number's
/// WABA in the requested language (any language when none is given).
fn check_template(inner: &Inner, waba_id: &str, req: &Value) -> Result<(), GraphError> {
    let name = req["template"]["name"].as_str().unwrap_or("");
    let language = req["template"]["language"]["code"].as_str();
    let state = inner.state();
    let found = state.templates.get(waba_id).and_then(|list| {
        list.iter().find(|t| {
            t.name == name && t.status == "APPROVED" && language.is_none_or(|l| l == t.language)
        })
    });
    if let Some(t) = found {
        return check_parameters(&t.components, &req["template"]);
    }
    let details = format!(
        "template name ({name}) does not exist in {}",
        language.unwrap_or("any language")
    );
    Err(meta_error(132001, &details))
}

/// 132000 when the header or body gets a different number of parameters
/// than the template has placeholders; 132012 when a media header gets no
/// media of its format.
fn check_parameters(components: &Value, sent: &Value) -> Result<(), GraphError> {
    let params = |part: &str| -> Vec<Value> {
        sent["components"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| {
                c["type"]
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case(part))
            })
            .and_then(|c| c["parameters"].as_array().cloned())
            .unwrap_or_default()
    };
    for c in components.as_array().into_iter().flatten() {
        let part = c["type"].as_str().unwrap_or_default().to_ascii_lowercase();
        if part != "header" && part != "body" {
            continue;
        }
        let given = params(&part);
        let format = c["format"].as_str().unwrap_or("TEXT").to_ascii_lowercase();
        if part == "header" && format != "text" {
            let ok = given.len() == 1 && given[0]["type"].as_str() == Some(format.as_str());
            if !ok {
                let details = format!(
                    "header: Format mismatch, expected {}",
                    format.to_uppercase()
                );
                return Err(meta_error(132012, &details));
            }
            continue;
        }
        let expected = count_placeholders(c["text"].as_str().unwrap_or_default());
        if given.len() != expected {
            let details = format!(
                "{part}: number of localizable_params ({}) does not match the expected number of params ({expected})",
                given.len()
            );
            return Err(meta_error(132000, &details));
        }
    }
    Ok(())
}

/// Meta's error `code` (status and message from the catalogue) with `details`.
fn meta_error(code: i64, details: &str) -> GraphError {
    let e = errors::InjectedError::code(code);
    graph_error(e.http_status, e.code, None, &e.message, Some(details))
}

/// Distinct `{{…}}` placeholders in a template text.
fn count_placeholders(text: &str) -> usize {
    let mut seen = std::collections::BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        seen.insert(after[..end].trim().to_owned());
        rest = &after[end + 2..];
    }
    seen.len()
}

/// The success answer, marked as a send for the recorder, and its wamid.
fn accepted(template: bool, recipient: &Recipient<'_>) -> (Response, String) {
    let (contact, party) = match recipient {
        Recipient::Phone(to) => {
            let digits: String = to.chars().filter(char::is_ascii_digit).collect();
            (json!({"input": to, "wa_id": digits}), digits)
        }
        Recipient::User(id) => (json!({"input": id, "user_id": id}), (*id).to_owned()),
    };
    let wamid = crate::ids::wamid(&party, false);
    let mut message = json!({"id": wamid});
    if template {
        message["message_status"] = json!("accepted");
    }
    let body = json!({
        "messaging_product": "whatsapp",
        "contacts": [contact],
        "messages": [message],
    });
    let mut response = Json(body).into_response();
    response.extensions_mut().insert(SendAccepted);
    (response, wamid)
}

fn invalid_value(details: &str) -> GraphError {
    graph_error(
        400,
        131009,
        None,
        "(#131009) Parameter value is not valid",
        Some(details),
    )
}
