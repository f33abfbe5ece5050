//! Bot API error answers and the errors tests can inject (channels.md §3.3).

use serde_json::{Value, json};

/// A failed call: `{"ok":false,"error_code","description","parameters"?}`
/// answered with the same HTTP status.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TgError {
    pub(crate) status: u16,
    pub(crate) description: String,
    pub(crate) parameters: Option<Value>,
}

impl TgError {
    pub(crate) fn new(status: u16, description: impl Into<String>) -> TgError {
        TgError {
            status,
            description: description.into(),
            parameters: None,
        }
    }

    /// 400 `Bad Request: <what>`.
    pub(crate) fn bad_request(what: &str) -> TgError {
        TgError::new(400, format!("Bad Request: {what}"))
    }

    /// 401 `Unauthorized`: an unknown or revoked token.
    pub(crate) fn unauthorized() -> TgError {
        TgError::new(401, "Unauthorized")
    }

    /// 403 `Forbidden: <what>`.
    pub(crate) fn forbidden(what: &str) -> TgError {
        TgError::new(403, format!("Forbidden: {what}"))
    }

    /// 404 `Not Found`: unknown method or path, dead file link.
    pub(crate) fn not_found() -> TgError {
        TgError::new(404, "Not Found")
    }

    /// 413 `Request Entity Too Large`: an upload over 50 MB.
    pub(crate) fn too_large() -> TgError {
        TgError::new(413, "Request Entity Too Large")
    }

    /// 429 with `parameters.retry_after`.
    pub(crate) fn too_many(retry_after: u64) -> TgError {
        TgError {
            status: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            parameters: Some(json!({ "retry_after": retry_after })),
        }
    }

    /// 400 `Bad Request: chat not found`.
    pub(crate) fn chat_not_found() -> TgError {
        TgError::bad_request("chat not found")
    }

    /// The envelope Telegram answers for this error.
    pub(crate) fn body(&self) -> Value {
        let mut body = json!({
            "ok": false,
            "error_code": self.status,
            "description": self.description,
        });
        if let Some(p) = &self.parameters {
            body["parameters"] = p.clone();
        }
        body
    }
}

/// An error the fake answers to the next send(s) of one bot instead of
/// taking them; see [`crate::FakeTelegram::inject_error`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TgInjectedError {
    /// HTTP status, also the envelope's `error_code`.
    pub error_code: u16,
    /// The envelope's `description`, e.g. `"Forbidden: bot was blocked by the user"`.
    pub description: String,
    /// `parameters.retry_after` in seconds, if any.
    pub retry_after: Option<u64>,
    /// `parameters.migrate_to_chat_id`, if any.
    pub migrate_to_chat_id: Option<i64>,
    /// How many consecutive sends it affects (values below 1 count as 1).
    pub times: usize,
}

impl TgInjectedError {
    fn new(error_code: u16, description: impl Into<String>) -> TgInjectedError {
        TgInjectedError {
            error_code,
            description: description.into(),
            retry_after: None,
            migrate_to_chat_id: None,
            times: 1,
        }
    }

    /// 429 `Too Many Requests: retry after N` with `parameters.retry_after: N`.
    pub fn rate_limited(retry_after_secs: u64) -> TgInjectedError {
        TgInjectedError {
            retry_after: Some(retry_after_secs),
            ..TgInjectedError::new(
                429,
                format!("Too Many Requests: retry after {retry_after_secs}"),
            )
        }
    }

    /// 403 `Forbidden: bot was blocked by the user`.
    pub fn blocked() -> TgInjectedError {
        TgInjectedError::new(403, "Forbidden: bot was blocked by the user")
    }

    /// 403 `Forbidden: user is deactivated`.
    pub fn deactivated() -> TgInjectedError {
        TgInjectedError::new(403, "Forbidden: user is deactivated")
    }

    /// 401 `Unauthorized` (a revoked token).
    pub fn unauthorized() -> TgInjectedError {
        TgInjectedError::new(401, "Unauthorized")
    }

    /// 500 `Internal Server Error`.
    pub fn server_error() -> TgInjectedError {
        TgInjectedError::new(500, "Internal Server Error")
    }

    /// 400 with `description`, prefixed `Bad Request: ` unless it already is.
    pub fn bad_request(description: &str) -> TgInjectedError {
        let description = if description.starts_with("Bad Request:") {
            description.to_owned()
        } else {
            format!("Bad Request: {description}")
        };
        TgInjectedError::new(400, description)
    }

    /// 400 `Bad Request: group chat was upgraded to a supergroup chat` with
    /// `parameters.migrate_to_chat_id`.
    pub fn migrated(new_chat_id: i64) -> TgInjectedError {
        TgInjectedError {
            migrate_to_chat_id: Some(new_chat_id),
            ..TgInjectedError::bad_request("group chat was upgraded to a supergroup chat")
        }
    }

    /// The same error, affecting `n` consecutive sends.
    pub fn times(mut self, n: usize) -> TgInjectedError {
        self.times = n.max(1);
        self
    }

    /// The error answer for this error.
    pub(crate) fn to_error(&self) -> TgError {
        let mut parameters = serde_json::Map::new();
        if let Some(s) = self.retry_after {
            parameters.insert("retry_after".to_owned(), json!(s));
        }
        if let Some(id) = self.migrate_to_chat_id {
            parameters.insert("migrate_to_chat_id".to_owned(), json!(id));
        }
        TgError {
            status: self.error_code,
            description: self.description.clone(),
            parameters: (!parameters.is_empty()).then_some(Value::Object(parameters)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injected_errors_build_telegram_envelopes() {
        assert_eq!(
            TgInjectedError::rate_limited(35).to_error().body(),
            json!({"ok": false, "error_code": 429,
                   "description": "Too Many Requests: retry after 35",
                   "parameters": {"retry_after": 35}})
        );
        assert_eq!(
            TgInjectedError::blocked().to_error().body(),
            json!({"ok": false, "error_code": 403,
                   "description": "Forbidden: bot was blocked by the user"})
        );
        assert_eq!(
            TgInjectedError::bad_request("chat not found").description,
            "Bad Request: chat not found"
        );
        assert_eq!(
            TgInjectedError::bad_request("Bad Request: x").description,
            "Bad Request: x"
        );
        assert_eq!(
            TgInjectedError::migrated(-1001).to_error().body()["parameters"],
            json!({"migrate_to_chat_id": -1001})
        );
        assert_eq!(TgInjectedError::server_error().times(0).times, 1);
    }
}
