//! `GET|POST /webhooks/whatsapp`: Meta's handshake and signed deliveries.

use atende_channels::whatsapp;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::Signer;
use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/webhooks/whatsapp", get(verify).post(receive))
}

#[derive(Deserialize)]
struct Handshake {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

/// Answers Meta's subscription handshake with the challenge when the verify
/// token is one of our inboxes'.
async fn verify(State(st): State<AppState>, Query(h): Query<Handshake>) -> Response {
    let token = h.token.as_deref().unwrap_or("");
    let known = match st.whatsapp.verify_token_matches(&st.store, token).await {
        Ok(k) => k,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let expected = if known { token } else { "\u{0}never" };
    match whatsapp::verify_challenge(
        h.mode.as_deref(),
        h.token.as_deref(),
        h.challenge.as_deref(),
        expected,
    ) {
        Some(challenge) => (StatusCode::OK, challenge).into_response(),
        None => (StatusCode::FORBIDDEN, "verification failed").into_response(),
    }
}

/// Verifies the signature over the raw bytes, parses every entry, change,
/// message and status, and stores each in its own transaction. Answers 200
/// only after everything is committed (Meta retries otherwise).
async fn receive(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let header = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    let rejected = || {
        metrics::counter!("atende_webhook_rejected_total", "channel" => "whatsapp", "reason" => "signature").increment(1);
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            "Assinatura X-Hub-Signature-256 inválida.",
        )
        .into_response()
    };
    if !header.is_some_and(well_formed) {
        return rejected();
    }
    // Route first, then verify once with the secret of the app that owns
    // the numbers named: the cost of a forged body does not grow with the
    // number of tenants.
    let events = match whatsapp::parse_webhook(&body) {
        Ok(ev) => ev,
        Err(e) => return ApiError::bad_request(e.to_string()).into_response(),
    };
    let secret = match st.whatsapp.signer(&st.store, &events, &body, header).await {
        Ok(Signer::App(s)) => s,
        Ok(Signer::Invalid) => return rejected(),
        Ok(Signer::Unrouted) => {
            // Meta stops retrying on 200; nothing of it is stored.
            tracing::info!("webhook for no inbox of ours acknowledged and ignored");
            metrics::counter!("atende_webhook_rejected_total", "channel" => "whatsapp", "reason" => "unrouted").increment(1);
            return (StatusCode::OK, "ok").into_response();
        }
        Err(e) => return ApiError::from(e).into_response(),
    };
    let key = partition_key(&st, &events).await;
    if let Err(e) = st.intake.submit(key, secret, events).await {
        // Not acknowledged: Meta delivers again, and dedupe keeps what was
        // already stored from doubling.
        return ApiError::internal(e).into_response();
    }
    metrics::counter!("atende_webhooks_total", "channel" => "whatsapp").increment(1);
    (StatusCode::OK, "ok").into_response()
}

/// Which ingest writer takes a delivery: its organization and customer
/// (through the first message's or status's number and sender), so one
/// customer's contact and conversation are only ever written by one writer
/// and never raced for; customers of one organization spread over the
/// writers (PostgreSQL runs several).
async fn partition_key(st: &AppState, events: &[whatsapp::Event]) -> u64 {
    use std::hash::{Hash, Hasher};
    let first = events.iter().find_map(|e| match e {
        whatsapp::Event::Message(m) => Some((
            m.phone_number_id.as_str(),
            m.from.as_deref().or(m.from_user_id.as_deref()),
        )),
        whatsapp::Event::Status(s) => Some((s.phone_number_id.as_str(), s.recipient_id.as_deref())),
        _ => None,
    });
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match first {
        Some((n, customer)) => {
            match st.whatsapp.route(&st.store, n).await {
                Ok(Some(route)) => route.org_id.hash(&mut h),
                _ => n.hash(&mut h),
            }
            customer.hash(&mut h);
        }
        None => 0u8.hash(&mut h),
    }
    h.finish()
}

/// `sha256=` and 64 hex digits: anything else is refused before any work.
fn well_formed(header: &str) -> bool {
    header
        .strip_prefix("sha256=")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether an event belongs to an inbox of the app that signed it.
pub(crate) fn signed_by(route: &atende_store::ingest::InboxRoute, secret: &str) -> bool {
    route.secret("app_secret") == Some(secret)
}
