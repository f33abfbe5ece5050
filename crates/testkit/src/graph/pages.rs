//! `POST /{ver}/{page_id}/messages` and `POST /{ver}/me/messages`: the
//! Messenger and Instagram Send API (channels.md §2.4–2.5), for pages and
//! Instagram accounts registered with `FakeGraph::add_page`.

use super::errors::{GraphError, InjectedError, send_api_parameter};
use super::messages::until_ok;
use super::record::SendAccepted;
use super::state::{Inner, bearer};
use super::types::AcceptedSend;
use axum::Json;
use axum::extract::Query;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Longest `message.text`, in characters.
const MAX_TEXT_CHARS: usize = 2000;
/// Most quick replies on one message.
const MAX_QUICK_REPLIES: usize = 13;
/// Longest quick-reply title, in characters.
const MAX_TITLE_CHARS: usize = 20;
/// Longest quick-reply payload and `message.metadata`, in characters.
const MAX_PAYLOAD_CHARS: usize = 1000;

const ATTACHMENT_TYPES: &[&str] = &["image", "video", "audio", "file"];
const QUICK_REPLY_TYPES: &[&str] = &["text", "user_phone_number", "user_email"];
const SENDER_ACTIONS: &[&str] = &["typing_on", "typing_off", "mark_seen", "react", "unreact"];
const MESSAGING_TYPES: &[&str] = &["RESPONSE", "UPDATE", "MESSAGE_TAG"];
/// `HUMAN_AGENT` and the Messenger-only non-promotional tags.
const TAGS: &[&str] = &[
    "HUMAN_AGENT",
    "ACCOUNT_UPDATE",
    "CONFIRMED_EVENT_UPDATE",
    "POST_PURCHASE_UPDATE",
    "CUSTOMER_FEEDBACK",
];

/// Which window a message needs open (channels.md §2.5).
#[derive(Clone, Copy)]
enum Need {
    /// `RESPONSE` or `UPDATE`: 24 h after the user's last message.
    Standard,
    /// `MESSAGE_TAG` + `HUMAN_AGENT`: 7 days after it.
    HumanAgent,
    /// Another tag: no window.
    Tagged,
}

/// A valid Send API call.
enum Call {
    Message { recipient: String, need: Need },
    Action { recipient: String },
}

/// Handles one Send API POST; returns the answer and the page it acted for.
pub(crate) fn send(
    inner: &Inner,
    ver: &str,
    id: &str,
    headers: &HeaderMap,
    uri: &Uri,
    body: &[u8],
) -> Result<(Response, String), GraphError> {
    inner.check_version(ver)?;
    let token = bearer(headers)
        .map(str::to_owned)
        .or_else(|| query_token(uri));
    let page_id = inner.authorize_page(id, token.as_deref())?;
    let req = parse(body)?;
    let (recipient, need) = match validate(&req)? {
        Call::Action { recipient } => {
            let answer = Json(json!({"recipient_id": recipient})).into_response();
            return Ok((answer, page_id));
        }
        Call::Message { recipient, need } => (recipient, need),
    };
    if !inner.within_pacing(&page_id) {
        return Err(InjectedError::messenger(613).to_error());
    }
    if let Some(e) = inner.take_injected(&page_id) {
        return Err(e.to_error());
    }
    check_window(inner, &page_id, &recipient, need)?;
    let mid = crate::ids::messenger_mid();
    take(inner, &page_id, &recipient, &mid, &req);
    let mut answer = Json(json!({"recipient_id": recipient, "message_id": mid})).into_response();
    answer.extensions_mut().insert(SendAccepted);
    Ok((answer, page_id))
}

/// The `access_token` query parameter, if any.
fn query_token(uri: &Uri) -> Option<String> {
    let Query(mut query) = Query::<HashMap<String, String>>::try_from_uri(uri).ok()?;
    query.remove("access_token").filter(|t| !t.is_empty())
}

/// The body as a JSON object; `recipient`, `message` and `payload` given
/// as JSON-encoded strings (form style) are parsed.
fn parse(body: &[u8]) -> Result<Value, GraphError> {
    let mut req: Value = serde_json::from_slice(body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| send_api_parameter("(#100) The parameter recipient is required"))?;
    for key in ["recipient", "message", "payload"] {
        let parsed = req[key]
            .as_str()
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
            .filter(Value::is_object);
        if let Some(parsed) = parsed {
            req[key] = parsed;
        }
    }
    Ok(req)
}

/// What the call asks for, or the 400 code 100 Meta answers.
fn validate(req: &Value) -> Result<Call, GraphError> {
    let recipient = req
        .get("recipient")
        .and_then(|r| r.get("id"))
        .and_then(|id| match id {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .ok_or_else(|| send_api_parameter("(#100) The parameter recipient is required"))?;
    let present = |key: &str| req.get(key).filter(|v| !v.is_null());
    match (present("message"), present("sender_action")) {
        (Some(_), Some(_)) => Err(send_api_parameter(
            "(#100) Only one of message or sender_action can be specified",
        )),
        (None, None) => Err(send_api_parameter(
            "(#100) Must send either message or state",
        )),
        (None, Some(action)) => {
            check_action(action, req.get("payload"))?;
            Ok(Call::Action { recipient })
        }
        (Some(message), None) => {
            check_message(message)?;
            let need = messaging_type(req)?;
            Ok(Call::Message { recipient, need })
        }
    }
}

/// `sender_action` and, for reactions, `payload{message_id, reaction}`.
fn check_action(action: &Value, payload: Option<&Value>) -> Result<(), GraphError> {
    let action = action.as_str().filter(|a| SENDER_ACTIONS.contains(a));
    let Some(action) = action else {
        return Err(one_of("sender_action", SENDER_ACTIONS));
    };
    let field = |key: &str| {
        payload
            .and_then(|p| p.get(key))
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    if matches!(action, "react" | "unreact") && !field("message_id") {
        return Err(send_api_parameter(
            "(#100) The parameter payload[message_id] is required",
        ));
    }
    if action == "react" && !field("reaction") {
        return Err(send_api_parameter(
            "(#100) The parameter payload[reaction] is required",
        ));
    }
    Ok(())
}

/// `message`: text (1–2000 characters) or one attachment by URL or id,
/// optional quick replies and metadata.
fn check_message(message: &Value) -> Result<(), GraphError> {
    if !message.is_object() {
        return Err(send_api_parameter(
            "(#100) Param message must be a JSON object",
        ));
    }
    let text = message.get("text").filter(|v| !v.is_null());
    let attachment = message.get("attachment").filter(|v| !v.is_null());
    match (text, attachment) {
        (Some(_), Some(_)) => {
            return Err(send_api_parameter(
                "(#100) Only one of message[text] or message[attachment] can be specified",
            ));
        }
        (None, None) => {
            return Err(send_api_parameter(
                "(#100) Message cannot be empty, must provide valid attachment or text",
            ));
        }
        (Some(text), None) => check_text(text)?,
        (None, Some(attachment)) => check_attachment(attachment)?,
    }
    if let Some(replies) = message.get("quick_replies").filter(|v| !v.is_null()) {
        check_quick_replies(replies)?;
    }
    if let Some(metadata) = message.get("metadata").filter(|v| !v.is_null()) {
        let ok = metadata
            .as_str()
            .is_some_and(|m| m.chars().count() <= MAX_PAYLOAD_CHARS);
        if !ok {
            return Err(send_api_parameter(
                "(#100) Param message[metadata] must be a string of at most 1000 characters",
            ));
        }
    }
    Ok(())
}

fn check_text(text: &Value) -> Result<(), GraphError> {
    let Some(text) = text.as_str().filter(|t| !t.trim().is_empty()) else {
        return Err(send_api_parameter(
            "(#100) Param message[text] must be non-empty UTF-8 encoded string",
        ));
    };
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(send_api_parameter(
            "(#100) Length of param message[text] must be less than or equal to 2000",
        ));
    }
    Ok(())
}

fn check_attachment(attachment: &Value) -> Result<(), GraphError> {
    let kind = attachment.get("type").and_then(Value::as_str);
    if !kind.is_some_and(|k| ATTACHMENT_TYPES.contains(&k)) {
        return Err(one_of("message[attachment][type]", ATTACHMENT_TYPES));
    }
    let Some(payload) = attachment.get("payload").filter(|p| p.is_object()) else {
        return Err(send_api_parameter(
            "(#100) The parameter message[attachment][payload] is required",
        ));
    };
    let url = payload.get("url").and_then(Value::as_str);
    let by_url = url.is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"));
    let by_id = payload
        .get("attachment_id")
        .and_then(Value::as_str)
        .is_some_and(|id| !id.is_empty());
    if !by_url && !by_id {
        return Err(send_api_parameter(
            "(#100) Param message[attachment][payload][url] must be a valid URL",
        ));
    }
    if payload
        .get("is_reusable")
        .is_some_and(|r| !r.is_boolean() && !r.is_null())
    {
        return Err(send_api_parameter(
            "(#100) Param message[attachment][payload][is_reusable] must be a boolean",
        ));
    }
    Ok(())
}

/// At most 13; `text` ones need a title (≤ 20 characters, unless they have
/// an `image_url`) and a payload (≤ 1000).
fn check_quick_replies(replies: &Value) -> Result<(), GraphError> {
    let Some(replies) = replies.as_array().filter(|r| r.len() <= MAX_QUICK_REPLIES) else {
        return Err(send_api_parameter(
            "(#100) Param message[quick_replies] must be an array of at most 13 elements",
        ));
    };
    for (i, reply) in replies.iter().enumerate() {
        let kind = reply.get("content_type").and_then(Value::as_str);
        let Some(kind) = kind.filter(|k| QUICK_REPLY_TYPES.contains(k)) else {
            return Err(one_of(
                &format!("message[quick_replies][{i}][content_type]"),
                QUICK_REPLY_TYPES,
            ));
        };
        if kind != "text" {
            continue;
        }
        let title = reply.get("title").and_then(Value::as_str).unwrap_or("");
        let has_image = reply.get("image_url").and_then(Value::as_str).is_some();
        if (title.is_empty() && !has_image) || title.chars().count() > MAX_TITLE_CHARS {
            return Err(send_api_parameter(&format!(
                "(#100) Param message[quick_replies][{i}][title] must be a non-empty string of at most 20 characters"
            )));
        }
        let payload = reply.get("payload").and_then(Value::as_str).unwrap_or("");
        if payload.is_empty() || payload.chars().count() > MAX_PAYLOAD_CHARS {
            return Err(send_api_parameter(&format!(
                "(#100) Param message[quick_replies][{i}][payload] must be a non-empty string of at most 1000 characters"
            )));
        }
    }
    Ok(())
}

/// `messaging_type` (required with `message`) and, for `MESSAGE_TAG`, `tag`.
fn messaging_type(req: &Value) -> Result<Need, GraphError> {
    let Some(kind) = req.get("messaging_type").and_then(Value::as_str) else {
        return Err(send_api_parameter(
            "(#100) The parameter messaging_type is required",
        ));
    };
    match kind {
        "RESPONSE" | "UPDATE" => Ok(Need::Standard),
        "MESSAGE_TAG" => match req.get("tag").and_then(Value::as_str) {
            None => Err(send_api_parameter(
                "(#100) The parameter tag is required when messaging_type is MESSAGE_TAG",
            )),
            Some("HUMAN_AGENT") => Ok(Need::HumanAgent),
            Some(tag) if TAGS.contains(&tag) => Ok(Need::Tagged),
            Some(_) => Err(one_of("tag", TAGS)),
        },
        _ => Err(one_of("messaging_type", MESSAGING_TYPES)),
    }
}

/// 400 code 10 subcode 2018278 when the (page, user) window the message
/// needs has closed; users without a recorded last message are in it.
fn check_window(inner: &Inner, page_id: &str, user: &str, need: Need) -> Result<(), GraphError> {
    let limit = match need {
        Need::Standard => TimeDelta::hours(24),
        Need::HumanAgent => TimeDelta::days(7),
        Need::Tagged => return Ok(()),
    };
    let key = (page_id.to_owned(), user.to_owned());
    let last = inner.state().windows.get(&key).copied();
    match last {
        Some(at) if Utc::now() - at > limit => Err(InjectedError::messenger(10).to_error()),
        _ => Ok(()),
    }
}

/// Records a taken send and, when the page has a simulator attached, posts
/// the echo (and on Messenger the delivery receipt) Meta would.
fn take(inner: &Inner, page_id: &str, recipient: &str, mid: &str, req: &Value) {
    let message = &req["message"];
    let metadata = message.get("metadata").and_then(Value::as_str);
    let mut state = inner.state();
    state.accepted.push(AcceptedSend {
        phone_number_id: page_id.to_owned(),
        wamid: mid.to_owned(),
        callback_data: metadata.map(str::to_owned),
        body: req.clone(),
    });
    let Some(sim) = state.meta_hooks.get(page_id).cloned() else {
        return;
    };
    let echo = sim.echo_of_send(recipient, mid, message);
    let receipt = sim
        .is_messenger()
        .then(|| sim.delivery(recipient, &[mid], Utc::now().timestamp_millis()));
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        for payload in std::iter::once(echo).chain(receipt) {
            until_ok(|| sim.post(&client, &payload)).await;
        }
    });
}

/// 400 code 100: `param` must be one of `allowed`.
fn one_of(param: &str, allowed: &[&str]) -> GraphError {
    send_api_parameter(&format!(
        "(#100) Param {param} must be one of {{{}}}",
        allowed.join(", ")
    ))
}
