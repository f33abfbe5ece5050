//! Reading the answer to a send and classifying WhatsApp errors
//! (channels.md §1.6, §1.7).

use serde_json::Value;

use super::json::{array_at, i64_of, id_at, str_at, truncate_chars};
use crate::ErrorClass;

/// How much of an unreadable error body is kept as its message.
const BODY_EXCERPT_CHARS: usize = 200;

/// A send WhatsApp accepted. Accepted is not delivered: statuses follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    /// `wamid` of the new message; statuses refer to it.
    pub wamid: String,
    /// The recipient's `wa_id` (absent for BSUID recipients).
    pub wa_id: Option<String>,
    /// The recipient's BSUID, when sent to one.
    pub user_id: Option<String>,
    /// `accepted` or `held_for_quality_assessment` (template sends).
    pub message_status: Option<String>,
}

/// A send WhatsApp refused, or an answer we could not use.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// HTTP status of the answer.
    pub http_status: u16,
    /// `error.code`, e.g. 131047.
    pub code: Option<i64>,
    /// `error.error_subcode`, e.g. 463 (token expired).
    pub subcode: Option<i64>,
    /// `error.message` (usually `(#code) …`), or an excerpt of the body.
    pub message: String,
    /// `error.error_data.details`, or `error_data` when it is a plain string.
    pub details: Option<String>,
    /// What to do about it.
    pub class: ErrorClass,
    /// Meta's trace id, for support tickets.
    pub fbtrace_id: Option<String>,
}

/// Reads the answer to `POST …/messages`.
///
/// A 2xx with `messages[0].id` is success. A 2xx without an id is a
/// [`ErrorClass::Retryable`] error (unless it carries an `error` object, which
/// is then read as below). Any other status is read as Graph's
/// `{"error":{…}}` and classified by [`classify`]; a body that is not such
/// an object keeps its first 200 characters as the message.
pub fn parse_send_response(http_status: u16, body: &[u8]) -> Result<Sent, SendError> {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let error = json.get("error").filter(|e| e.is_object());
    if (200..300).contains(&http_status) && error.is_none() {
        let first = array_at(&json, "messages").first();
        let contact = array_at(&json, "contacts").first().unwrap_or(&Value::Null);
        return match first.and_then(|m| id_at(m, "id")) {
            Some(wamid) => Ok(Sent {
                wamid,
                wa_id: id_at(contact, "wa_id"),
                user_id: str_at(contact, "user_id"),
                message_status: first.and_then(|m| str_at(m, "message_status")),
            }),
            None => Err(SendError {
                http_status,
                code: None,
                subcode: None,
                message: "o WhatsApp aceitou o envio mas não devolveu o id da mensagem".to_owned(),
                details: None,
                class: ErrorClass::Retryable,
                fbtrace_id: None,
            }),
        };
    }
    Err(match error {
        Some(e) => graph_error(http_status, e),
        None => SendError {
            http_status,
            code: None,
            subcode: None,
            message: body_excerpt(http_status, body),
            details: None,
            class: classify(http_status, None),
            fbtrace_id: None,
        },
    })
}

/// Reads Graph's `error` object.
fn graph_error(http_status: u16, e: &Value) -> SendError {
    let code = e.get("code").and_then(i64_of);
    let details = match e.get("error_data") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(data) => str_at(data, "details"),
        None => None,
    };
    let message = str_at(e, "message")
        .or_else(|| str_at(e, "error_user_msg"))
        .unwrap_or_else(|| format!("erro HTTP {http_status} do WhatsApp sem mensagem"));
    let mut class = classify(http_status, code);
    // Meta flags some otherwise-permanent-looking errors as temporary.
    if class == ErrorClass::Permanent && e.get("is_transient") == Some(&Value::Bool(true)) {
        class = ErrorClass::Retryable;
    }
    SendError {
        http_status,
        code,
        subcode: e.get("error_subcode").and_then(i64_of),
        message,
        details,
        class,
        fbtrace_id: str_at(e, "fbtrace_id"),
    }
}

/// The first characters of an unreadable body, or a note that it was empty.
fn body_excerpt(http_status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        format!("erro HTTP {http_status} do WhatsApp sem corpo")
    } else {
        truncate_chars(text, BODY_EXCERPT_CHARS)
    }
}

/// How to handle a failed call, from its HTTP status and Graph error code.
///
/// | class | codes | HTTP |
/// |---|---|---|
/// | `Reauth` | 0, 190 | 401 |
/// | `RateLimited` | 4, 80007, 130429, 131056 | 429 |
/// | `Retryable` | 1, 2, 131000 | 408, 5xx |
/// | `Permanent` | everything else (131047, 131026, 132001, 100, 368, 10, 200–299…) | |
///
/// Rows are tried top to bottom, so a token error on a 500 is still `Reauth`.
pub fn classify(http_status: u16, code: Option<i64>) -> ErrorClass {
    let code_in = |codes: &[i64]| code.is_some_and(|c| codes.contains(&c));
    if code_in(&[0, 190]) || http_status == 401 {
        ErrorClass::Reauth
    } else if code_in(&[4, 80007, 130429, 131056]) || http_status == 429 {
        ErrorClass::RateLimited
    } else if code_in(&[1, 2, 131000]) || http_status == 408 || (500..600).contains(&http_status) {
        ErrorClass::Retryable
    } else {
        ErrorClass::Permanent
    }
}

/// [`classify`] for an error reported in a webhook (`statuses[].errors[]`),
/// where there is no HTTP status.
pub fn error_class(code: i64) -> ErrorClass {
    classify(200, Some(code))
}
