//! The Send API's answer (channels.md §2.4): the new message's id, or the
//! Graph error envelope, classified.

use serde_json::Value;

use crate::ErrorClass;

/// A send Meta accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// `message_id` (`m_…` on Messenger), what receipts and echoes name;
    /// none for a sender action (a reaction, "typing…").
    pub message_id: Option<String>,
    /// `recipient_id`: the PSID or IGSID (absent for some recipients).
    pub recipient_id: Option<String>,
}

/// A send Meta refused, or an answer that could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub http_status: u16,
    /// `error.code` (10, 551, 190, 4, 613, …).
    pub code: Option<i64>,
    /// `error.error_subcode` (2018278 outside the window, …).
    pub subcode: Option<i64>,
    /// `error.message`.
    pub message: String,
    pub class: ErrorClass,
}

impl SendError {
    /// Sent outside the window the conversation allows (10/2018278, IG's
    /// 10/2534022): only `HUMAN_AGENT` (within 7 days) can still reach the
    /// customer.
    pub fn outside_window(&self) -> bool {
        self.code == Some(10) && matches!(self.subcode, Some(2_018_278 | 2_534_022))
    }

    /// The person cannot be reached (551, or subcode 1545041).
    pub fn unavailable(&self) -> bool {
        self.code == Some(551) || self.subcode == Some(1_545_041)
    }
}

/// Reads the answer to a send.
pub fn parse_send_response(http_status: u16, body: &[u8]) -> Result<Sent, SendError> {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let answered = json.get("message_id").is_some() || json.get("recipient_id").is_some();
    if (200..300).contains(&http_status) && answered && json.get("error").is_none() {
        return Ok(Sent {
            message_id: json
                .get("message_id")
                .and_then(Value::as_str)
                .map(str::to_string),
            recipient_id: json
                .get("recipient_id")
                .and_then(Value::as_str)
                .map(str::to_string),
        });
    }
    let e = json.get("error");
    let code = e.and_then(|e| e.get("code")).and_then(Value::as_i64);
    let subcode = e
        .and_then(|e| e.get("error_subcode"))
        .and_then(Value::as_i64);
    let message = e
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| {
            if (200..300).contains(&http_status) {
                "resposta sem message_id nem recipient_id".to_string()
            } else {
                String::from_utf8_lossy(body).chars().take(200).collect()
            }
        });
    Err(SendError {
        http_status,
        code,
        subcode,
        message,
        class: classify(http_status, code),
    })
}

/// How to handle a refused send (channels.md §2.4): 190 needs a new token;
/// 4, 613 and 429 are rate limits; 5xx, 1, 2 and unreadable answers are
/// retried; the rest (the window, an unavailable person, a bad request)
/// will not succeed by retrying.
pub fn classify(http_status: u16, code: Option<i64>) -> ErrorClass {
    match (code, http_status) {
        (Some(190), _) | (None, 401) => ErrorClass::Reauth,
        (Some(4 | 17 | 32 | 613), _) | (None, 429) => ErrorClass::RateLimited,
        (Some(1 | 2), _) => ErrorClass::Retryable,
        (_, 400..=499) => ErrorClass::Permanent,
        _ => ErrorClass::Retryable,
    }
}
