//! Telegram Bot API (channels.md §3): the webhook's secret token, one
//! `Update` read into channel-neutral events, the method and body of a
//! send, and the answer's envelope, behind [`crate::Adapter`] as
//! [`BotApi`]. Pure translation: the server's runtime does the HTTP.
//!
//! Telegram routes by URL (one webhook per inbox), so an event's address
//! is the bot's own id, the part of its token before `:`.

mod outbound;
mod update;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use serde_json::Value;

pub use outbound::{Button, ChatId, Outbound, TEXT_LIMIT, split_text};
pub use update::{ParseError, parse_update};

use crate::ErrorClass;
use crate::adapter::Adapter;
use crate::inbound::Inbound;

/// The header every webhook POST carries when `setWebhook` was given a
/// `secret_token`.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The adapter of one bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotApi {
    bot_id: String,
}

impl BotApi {
    /// The adapter of the bot whose token is `token` (`<bot id>:<secret>`);
    /// `None` when the token does not have that shape.
    pub fn for_token(token: &str) -> Option<BotApi> {
        let (id, rest) = token.trim().split_once(':')?;
        (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty()).then(|| {
            BotApi {
                bot_id: id.to_string(),
            }
        })
    }

    /// The bot's id: the address its events carry.
    pub fn bot_id(&self) -> &str {
        &self.bot_id
    }
}

/// Whether `given` (the secret header's value) is the inbox's secret token,
/// compared in constant time. An empty secret never matches.
pub fn verify_secret(secret: &str, given: Option<&str>) -> bool {
    !secret.is_empty()
        && crate::constant_eq(secret.as_bytes(), given.unwrap_or_default().as_bytes())
}

/// A send Telegram accepted: the new message's id in its chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub message_id: Option<i64>,
}

/// A send Telegram refused, or an answer that could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{description}")]
pub struct SendError {
    pub http_status: u16,
    /// `error_code` of the envelope.
    pub code: Option<i64>,
    /// `description`, e.g. "Forbidden: bot was blocked by the user".
    pub description: String,
    /// `parameters.retry_after`, in seconds (429): wait exactly this long.
    pub retry_after: Option<i64>,
    pub class: ErrorClass,
}

/// Reads the answer to a send method (`{"ok", "result" | "error_code",
/// "description", "parameters"}`).
pub fn parse_send_response(http_status: u16, body: &[u8]) -> Result<Sent, SendError> {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    if json.get("ok").and_then(Value::as_bool) == Some(true) && (200..300).contains(&http_status) {
        return Ok(Sent {
            message_id: json.pointer("/result/message_id").and_then(Value::as_i64),
        });
    }
    let code = json.get("error_code").and_then(Value::as_i64);
    let description = json
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| String::from_utf8_lossy(body).chars().take(200).collect());
    let retry_after = json
        .pointer("/parameters/retry_after")
        .and_then(Value::as_i64);
    let status = code
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| (400..600).contains(c))
        .unwrap_or(http_status);
    Err(SendError {
        http_status,
        code,
        description,
        retry_after,
        class: classify(status),
    })
}

/// How to handle a refused send, by the envelope's `error_code` (or the
/// HTTP status): 429 waits `retry_after`; 401 needs a new token; 403 (the
/// bot was blocked, the user deactivated) and other 4xx will not succeed
/// by retrying; 5xx and unreadable answers are retried.
pub fn classify(status: u16) -> ErrorClass {
    match status {
        429 => ErrorClass::RateLimited,
        401 => ErrorClass::Reauth,
        400..=499 => ErrorClass::Permanent,
        _ => ErrorClass::Retryable,
    }
}

impl Adapter for BotApi {
    type Recipient = ChatId;
    type Outbound = Outbound;
    type Sent = Sent;
    type SendError = SendError;
    type ParseError = ParseError;

    fn verify(&self, secret: &str, _body: &[u8], header: &dyn Fn(&str) -> Option<String>) -> bool {
        verify_secret(secret, header(SECRET_HEADER).as_deref())
    }

    fn parse(&self, body: &[u8]) -> Result<Vec<Inbound>, ParseError> {
        parse_update(&self.bot_id, body)
    }

    /// Telegram has no field echoed back in receipts: `callback` is not
    /// sent.
    fn send_body(
        &self,
        to: &ChatId,
        message: &Outbound,
        reply_to: Option<&str>,
        _callback: Option<&str>,
    ) -> Value {
        message.body(to, reply_to)
    }

    fn read_send(&self, http_status: u16, body: &[u8]) -> Result<Sent, SendError> {
        parse_send_response(http_status, body)
    }

    fn classify(&self, error: &SendError) -> ErrorClass {
        error.class
    }
}
