//! What Meta's webhooks share, WhatsApp's and the Messenger Platform's
//! (channels.md §1.1–1.2, §2.1): the `hub.*` subscription handshake and
//! the shape of the `X-Hub-Signature-256` header.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The handshake's query (`GET …?hub.mode=subscribe&hub.verify_token=…&
/// hub.challenge=…`).
#[derive(Deserialize)]
pub struct Handshake {
    #[serde(rename = "hub.mode")]
    pub mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    pub token: Option<String>,
    #[serde(rename = "hub.challenge")]
    pub challenge: Option<String>,
}

impl Handshake {
    /// The verify token given ("" when absent).
    pub fn token(&self) -> &str {
        self.token.as_deref().unwrap_or("")
    }

    /// The challenge echoed back when the token is one of our inboxes'
    /// (`known`), else 403.
    pub fn answer(&self, known: bool) -> Response {
        let token = self.token();
        let expected = if known { token } else { "\u{0}never" };
        match atende_channels::whatsapp::verify_challenge(
            self.mode.as_deref(),
            self.token.as_deref(),
            self.challenge.as_deref(),
            expected,
        ) {
            Some(challenge) => (StatusCode::OK, challenge).into_response(),
            None => (StatusCode::FORBIDDEN, "verification failed").into_response(),
        }
    }
}

/// `sha256=` and 64 hex digits: anything else is refused before any work.
pub fn well_formed(header: &str) -> bool {
    header
        .strip_prefix("sha256=")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}
