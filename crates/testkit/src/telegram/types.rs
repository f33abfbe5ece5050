//! Values the fake records and reports.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

/// One call the fake received, with what it answered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TgRequest {
    /// The bot token from the path (`/bot<token>/…`); empty when the path
    /// doesn't start with `bot`.
    pub token: String,
    /// The method as Telegram spells it (`"sendMessage"`), whatever case the
    /// client used (unknown methods as given); `"download"` for
    /// `GET /file/bot<token>/<file_path>`.
    pub method: String,
    /// The parameters as one JSON object, from the query string and the body
    /// (JSON, form or multipart). Form and multipart values stay strings,
    /// except JSON-typed ones (`reply_markup`, `reply_parameters`, …) which
    /// are parsed; uploaded files appear as
    /// `{"file_name","mime_type","size"}`. Downloads: `{"file_path"}`.
    pub params: Value,
    /// The HTTP status the fake answered.
    pub status: u16,
    /// The answer's envelope; `Null` for downloads.
    pub response: Value,
    /// When it arrived.
    pub at: DateTime<Utc>,
}

impl TgRequest {
    /// `params.text` (sendMessage).
    pub fn text(&self) -> Option<&str> {
        self.params.get("text").and_then(Value::as_str)
    }

    /// `params.caption` (media sends).
    pub fn caption(&self) -> Option<&str> {
        self.params.get("caption").and_then(Value::as_str)
    }

    /// `params.chat_id` as an integer (form values are strings).
    pub fn chat_id(&self) -> Option<i64> {
        self.params.get("chat_id").and_then(super::params::int)
    }

    /// `params.reply_markup`, parsed.
    pub fn reply_markup(&self) -> Option<&Value> {
        self.params.get("reply_markup")
    }

    /// `params.reply_parameters.message_id`, or the legacy `reply_to_message_id`.
    pub fn reply_to(&self) -> Option<i64> {
        let p = &self.params;
        p.get("reply_parameters")
            .and_then(|r| r.get("message_id"))
            .or_else(|| p.get("reply_to_message_id"))
            .and_then(super::params::int)
    }

    /// Whether the answer was `{"ok":true,…}`.
    pub fn ok(&self) -> bool {
        self.response.get("ok").and_then(Value::as_bool) == Some(true)
    }

    /// The answer's `result`, if it succeeded.
    pub fn result(&self) -> Option<&Value> {
        self.response.get("result").filter(|_| self.ok())
    }

    /// The answer's `description` (errors, setWebhook).
    pub fn description(&self) -> Option<&str> {
        self.response.get("description").and_then(Value::as_str)
    }

    /// The `message_id` the fake assigned to a successful send.
    pub fn message_id(&self) -> Option<i64> {
        self.result()?.get("message_id")?.as_i64()
    }

    /// The `file_id` of the file a successful media send carries (the largest
    /// photo size for photos).
    pub fn file_id(&self) -> Option<&str> {
        let result = self.result()?;
        let media = super::files::KINDS
            .iter()
            .find_map(|k| result.get(k.field))?;
        let media = match media {
            Value::Array(sizes) => sizes.last()?,
            other => other,
        };
        media.get("file_id")?.as_str()
    }
}

/// The webhook a bot set with `setWebhook`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WebhookSet {
    /// Where Telegram would post updates. The fake accepts `http://` too;
    /// real Telegram wants HTTPS on port 443, 80, 88 or 8443.
    pub url: String,
    /// The `X-Telegram-Bot-Api-Secret-Token` value, if set.
    pub secret_token: Option<String>,
    /// `allowed_updates`, if given.
    pub allowed_updates: Option<Vec<String>>,
    /// `max_connections`, if given.
    pub max_connections: Option<i64>,
    /// Whether the last call asked to drop pending updates.
    pub drop_pending_updates: bool,
}
