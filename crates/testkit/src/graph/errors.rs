//! Graph API error bodies and the errors tests can inject.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::json;

/// The message WA-4 (channels.md §1.11) carries for an expired token.
const EXPIRED_TOKEN_MESSAGE: &str = "Error validating access token: Session has expired on Friday, 26-Apr-24 06:00:00 PDT. The current time is Sunday, 28-Apr-24 03:40:10 PDT.";

/// Meta's HTTP status and message text per error code (channels.md §1.6).
#[rustfmt::skip]
const META_ERRORS: &[(i64, u16, &str)] = &[
    (0, 401, "(#0) AuthException"),
    (4, 400, "(#4) Application request limit reached"),
    (10, 403, "(#10) Application does not have permission for this action"),
    (100, 400, "(#100) Invalid parameter"),
    (190, 401, EXPIRED_TOKEN_MESSAGE),
    (368, 400, "(#368) Temporarily blocked for policies violations"),
    (80007, 400, "(#80007) Rate limit issues"),
    (130429, 429, "(#130429) Rate limit hit"),
    (130472, 400, "(#130472) User's number is part of an experiment"),
    (131000, 500, "(#131000) Something went wrong"),
    (131008, 400, "(#131008) Required parameter is missing"),
    (131009, 400, "(#131009) Parameter value is not valid"),
    (131026, 400, "(#131026) Message undeliverable"),
    (131030, 400, "(#131030) Recipient phone number not in allowed list"),
    (131031, 400, "(#131031) Business Account locked"),
    (131042, 400, "(#131042) Business eligibility payment issue"),
    (131047, 400, "(#131047) Re-engagement message"),
    (131048, 400, "(#131048) Spam rate limit hit"),
    (131049, 400, "(#131049) This message was not delivered to maintain healthy ecosystem engagement."),
    (131050, 400, "(#131050) User has stopped receiving marketing messages"),
    (131056, 400, "(#131056) (Business Account, Consumer Account) pair rate limit hit"),
    (131062, 400, "(#131062) BSUID recipients are not supported for this message"),
    (132000, 400, "(#132000) Number of parameters does not match the expected number of params"),
    (132001, 404, "(#132001) Template name does not exist in the translation"),
    (132012, 400, "(#132012) Parameter format does not match format in the created template"),
    (132015, 400, "(#132015) Template is paused"),
    (132016, 400, "(#132016) Template is disabled"),
];

/// HTTP status, subcode and message per error code of the Messenger and
/// Instagram Send API (channels.md §2.4). Meta answers 400 even for 190
/// there; code 2 is a transient server error.
#[rustfmt::skip]
const SEND_API_ERRORS: &[(i64, u16, Option<i64>, &str)] = &[
    (2, 500, None, "An unexpected error has occurred. Please retry your request later."),
    (4, 400, None, "(#4) Application request limit reached"),
    (10, 400, Some(2018278), OUTSIDE_WINDOW_MESSAGE),
    (100, 400, None, "(#100) Invalid parameter"),
    (190, 400, None, INVALID_PAGE_TOKEN_MESSAGE),
    (551, 400, Some(1545041), "(#551) This person isn't available right now."),
    (613, 400, None, "(#613) Calls to this api have exceeded the rate limit."),
];

/// The Send API's message for a send outside the allowed window (MI-3).
pub(crate) const OUTSIDE_WINDOW_MESSAGE: &str =
    "(#10) This message is sent outside of allowed window.";

/// The Send API's message for a wrong or missing page token.
const INVALID_PAGE_TOKEN_MESSAGE: &str = "Invalid OAuth access token.";

/// An error the fake answers to the next send(s) to one phone number
/// instead of accepting them; see [`crate::FakeGraph::inject_error`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InjectedError {
    /// HTTP status of the response.
    pub http_status: u16,
    /// Graph `error.code`.
    pub code: i64,
    /// Graph `error.error_subcode`, if any.
    pub subcode: Option<i64>,
    /// Graph `error.message`, usually prefixed `(#code)`.
    pub message: String,
    /// `error.error_data.details`, if any.
    pub details: Option<String>,
    /// How many consecutive sends it affects (values below 1 count as 1).
    pub times: usize,
}

impl InjectedError {
    /// The error the WhatsApp Cloud API answers for `code`, with its usual
    /// HTTP status and message text, affecting one send. Codes only the Send
    /// API has (2, 551, 613) are as [`InjectedError::messenger`] gives them;
    /// other unknown codes get HTTP 400 and a generic `(#code)` message.
    pub fn code(code: i64) -> InjectedError {
        let Some((_, http_status, message)) = META_ERRORS.iter().find(|(c, _, _)| *c == code)
        else {
            return InjectedError::messenger(code);
        };
        let (http_status, message) = (*http_status, (*message).to_owned());
        let details = match code {
            130429 => Some("Cloud API message throughput has been reached."),
            131047 => Some(
                "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
            ),
            _ => None,
        };
        InjectedError {
            http_status,
            code,
            subcode: (code == 190).then_some(463),
            message,
            details: details.map(str::to_owned),
            times: 1,
        }
    }

    /// The error the Messenger and Instagram Send API answers for `code`
    /// (channels.md §2.4), affecting one send: 190 is HTTP 400 `Invalid OAuth
    /// access token.`, 10 carries subcode 2018278 (outside the window), 551
    /// subcode 1545041 (person unavailable), 613 and 4 are rate limits, 2 is
    /// HTTP 500. Unknown codes get HTTP 400 and a generic `(#code)` message.
    pub fn messenger(code: i64) -> InjectedError {
        let (http_status, subcode, message) = SEND_API_ERRORS
            .iter()
            .find(|(c, ..)| *c == code)
            .map(|(_, status, subcode, message)| (*status, *subcode, (*message).to_owned()))
            .unwrap_or_else(|| (400, None, format!("(#{code}) Injected error")));
        InjectedError {
            http_status,
            code,
            subcode,
            message,
            details: None,
            times: 1,
        }
    }

    /// The same error with subcode `subcode` (e.g. Instagram's 2534022 for
    /// a send outside the window).
    pub fn subcode(mut self, subcode: i64) -> InjectedError {
        self.subcode = Some(subcode);
        self
    }

    /// The same error, affecting `times` consecutive sends.
    pub fn times(mut self, times: usize) -> InjectedError {
        self.times = times.max(1);
        self
    }

    /// The Graph error answer for this error.
    pub(crate) fn to_error(&self) -> GraphError {
        graph_error(
            self.http_status,
            self.code,
            self.subcode,
            &self.message,
            self.details.as_deref(),
        )
    }
}

/// A Graph error answer: `{"error":{message,type,code,error_subcode?,
/// error_data?,fbtrace_id}}` with an HTTP status.
#[derive(Debug)]
pub(crate) struct GraphError {
    status: u16,
    code: i64,
    subcode: Option<i64>,
    message: String,
    details: Option<String>,
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let mut error = json!({
            "message": self.message,
            "type": "OAuthException",
            "code": self.code,
            "fbtrace_id": fbtrace_id(),
        });
        if let Some(subcode) = self.subcode {
            error["error_subcode"] = json!(subcode);
        }
        if let Some(details) = self.details {
            error["error_data"] = json!({"messaging_product": "whatsapp", "details": details});
        }
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        (status, Json(json!({ "error": error }))).into_response()
    }
}

/// A Graph error with the given HTTP status, code, subcode, message and details.
pub(crate) fn graph_error(
    status: u16,
    code: i64,
    subcode: Option<i64>,
    message: &str,
    details: Option<&str>,
) -> GraphError {
    GraphError {
        status,
        code,
        subcode,
        message: message.to_owned(),
        details: details.map(str::to_owned),
    }
}

/// 400 code 100 with `details` saying what was wrong.
pub(crate) fn invalid_parameter(details: &str) -> GraphError {
    graph_error(400, 100, None, "(#100) Invalid parameter", Some(details))
}

/// 400 code 131008.
pub(crate) fn missing_parameter(details: &str) -> GraphError {
    graph_error(
        400,
        131008,
        None,
        "(#131008) Required parameter is missing",
        Some(details),
    )
}

/// 400 code 100 for an object id the fake doesn't know, as Graph words it.
pub(crate) fn unknown_object(id: &str, status: u16) -> GraphError {
    let message = format!(
        "Unsupported request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation."
    );
    graph_error(status, 100, Some(33), &message, None)
}

/// 401 code 190: no bearer token at all.
pub(crate) fn missing_token() -> GraphError {
    graph_error(
        401,
        190,
        None,
        "Invalid OAuth access token - Cannot parse access token",
        None,
    )
}

/// 401 code 190: a bearer token that isn't (or is no longer) valid.
pub(crate) fn invalid_token() -> GraphError {
    graph_error(
        401,
        190,
        Some(460),
        "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
        None,
    )
}

/// 400 code 190: a page token that is wrong or missing (Send API).
pub(crate) fn invalid_page_token() -> GraphError {
    InjectedError::messenger(190).to_error()
}

/// 400 code 100 with `message` as the Send API words it (no details).
pub(crate) fn send_api_parameter(message: &str) -> GraphError {
    graph_error(400, 100, None, message, None)
}

/// A random trace id like Graph's `fbtrace_id`.
fn fbtrace_id() -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(23)
        .map(char::from)
        .collect()
}

/// Parses a response body back into JSON (for tests of this module).
#[cfg(test)]
pub(crate) async fn body_json(resp: Response) -> serde_json::Value {
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn injected_codes_map_to_meta_statuses() {
        let table = [
            (190, 401),
            (130429, 429),
            (131000, 500),
            (131047, 400),
            (132001, 404),
            (999, 400),
        ];
        for (code, status) in table {
            let e = InjectedError::code(code);
            assert_eq!(e.http_status, status, "code {code}");
            assert_eq!(e.times, 1);
            let body = body_json(e.to_error().into_response()).await;
            assert_eq!(body["error"]["code"], json!(code));
        }
        assert_eq!(
            InjectedError::code(131047).message,
            "(#131047) Re-engagement message"
        );
        assert!(
            InjectedError::code(190)
                .message
                .starts_with("Error validating access token: ")
        );
        assert_eq!(InjectedError::code(5).times(0).times, 1);
    }

    #[tokio::test]
    async fn send_api_codes_map_to_meta_statuses_and_subcodes() {
        let table = [
            (190, 400, None),
            (10, 400, Some(2018278)),
            (551, 400, Some(1545041)),
            (613, 400, None),
            (2, 500, None),
            (999, 400, None),
        ];
        for (code, status, subcode) in table {
            let e = InjectedError::messenger(code);
            assert_eq!((e.http_status, e.subcode), (status, subcode), "code {code}");
            let body = body_json(e.to_error().into_response()).await;
            assert_eq!(body["error"]["code"], json!(code));
            assert_eq!(body["error"]["type"], "OAuthException");
            assert!(body["error"].get("error_data").is_none());
        }
        assert_eq!(
            InjectedError::messenger(190).message,
            "Invalid OAuth access token."
        );
        assert_eq!(
            InjectedError::code(551),
            InjectedError::messenger(551),
            "Send API-only codes need no second name"
        );
        assert_eq!(
            InjectedError::code(190).http_status,
            401,
            "WhatsApp keeps 401"
        );
        assert_eq!(
            InjectedError::messenger(10).subcode(2534022).subcode,
            Some(2534022)
        );
    }
}
