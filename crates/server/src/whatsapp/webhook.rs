//! `GET|POST /webhooks/whatsapp`: Meta's handshake and signed deliveries.
//! A delivery is verified and routed here, once; its events go to the
//! intake in the channel-neutral vocabulary.

use std::collections::HashMap;
use std::sync::Arc;

use atende_channels::inbound::Inbound;
use atende_channels::whatsapp::{self, Event};
use atende_store::ingest::InboxRoute;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

use super::{Found, Signer, WhatsApp};
use crate::error::{ApiError, Code};
use crate::inbound::Routed;
use crate::state::AppState;

pub fn router(wa: Arc<WhatsApp>) -> Router<AppState> {
    Router::new()
        .route("/webhooks/whatsapp", get(verify).post(receive))
        .layer(Extension(wa))
}

/// Answers Meta's subscription handshake with the challenge when the verify
/// token is one of our inboxes'.
async fn verify(
    State(st): State<AppState>,
    Extension(wa): Extension<Arc<WhatsApp>>,
    Query(h): Query<crate::hub::Handshake>,
) -> Response {
    match wa.verify_token_matches(&st.store, h.token()).await {
        Ok(known) => h.answer(known),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// Verifies the signature over the raw bytes, parses every entry, change,
/// message and status, routes each to its inbox and hands them to the
/// intake. Answers 200 only after everything is committed (Meta retries
/// otherwise).
async fn receive(
    State(st): State<AppState>,
    Extension(wa): Extension<Arc<WhatsApp>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    let rejected = || {
        metrics::counter!("atende_webhook_rejected_total", "channel" => "whatsapp", "reason" => "signature").increment(1);
        ApiError::new(
            Code::BadSignature,
            "Assinatura X-Hub-Signature-256 inválida.",
        )
        .into_response()
    };
    if !header.is_some_and(crate::hub::well_formed) {
        return rejected();
    }
    // Route first, then verify once with the secret of the app that owns
    // the numbers named: the cost of a forged body does not grow with the
    // number of tenants.
    let events = match whatsapp::parse_webhook(&body) {
        Ok(ev) => ev,
        Err(e) => return ApiError::bad_request(e.to_string()).into_response(),
    };
    let mut found = Found::new();
    let secret = match wa
        .signer(&st.store, &events, &body, header, &mut found)
        .await
    {
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
    let routed = match route(&st, &wa, &secret, events, found).await {
        Ok(r) => r,
        Err(e) => return ApiError::from(e).into_response(),
    };
    if !routed.is_empty() {
        let key = partition_key(&routed);
        if let Err(e) = st.intake.submit(key, routed).await {
            // Not acknowledged: Meta delivers again, and dedupe keeps what
            // was already stored from doubling.
            return ApiError::internal(e).into_response();
        }
    }
    metrics::counter!("atende_webhooks_total", "channel" => "whatsapp").increment(1);
    (StatusCode::OK, "ok").into_response()
}

/// Each event with the inbox it is for, in the neutral vocabulary. Events
/// for unknown numbers, or numbers of another app than the one that
/// signed, are logged and dropped (acknowledged, so Meta stops retrying);
/// so are the ones nothing is done with. Numbers the signature check
/// already looked up (`found`) are not looked up again.
async fn route(
    st: &AppState,
    wa: &WhatsApp,
    secret: &str,
    events: Vec<Event>,
    found: Found,
) -> Result<Vec<Routed>, atende_store::StoreError> {
    let mut numbers: HashMap<String, Option<Arc<InboxRoute>>> = HashMap::new();
    let mut routed = Vec::with_capacity(events.len());
    for event in events {
        match event {
            Event::TemplateStatus(t) => {
                let Some(waba) = t.waba_id.clone() else {
                    continue;
                };
                for route in wa.routes_of_waba(&st.store, &waba).await? {
                    if signed_by(&route, secret) {
                        let event = Inbound::TemplateStatus(t.clone().into());
                        routed.push(Routed { route, event });
                    }
                }
            }
            Event::Ignored { field } => {
                tracing::debug!(%field, "WhatsApp webhook field ignored");
            }
            Event::ValueErrors {
                phone_number_id,
                errors,
            } => {
                tracing::warn!(phone_number_id = ?phone_number_id, codes = ?errors.iter().map(|e| e.code).collect::<Vec<_>>(), "WhatsApp reported errors");
            }
            event @ (Event::Message(_) | Event::Status(_)) => {
                let event = Inbound::from(event);
                let number = event.address().unwrap_or_default();
                let route = match numbers.get(number) {
                    Some(r) => r.clone(),
                    None => {
                        let r = match found.get(number) {
                            Some(r) => r.clone(),
                            None => wa.route(&st.store, number).await?,
                        };
                        let r = match r {
                            Some(r) if signed_by(&r, secret) => Some(r),
                            Some(_) => {
                                tracing::warn!(phone_number_id = %number, "webhook signed by another app than this number's; ignored");
                                None
                            }
                            None => {
                                tracing::warn!(phone_number_id = %number, "webhook for an unknown phone_number_id; ignored");
                                None
                            }
                        };
                        numbers.insert(number.to_string(), r.clone());
                        r
                    }
                };
                if let Some(route) = route {
                    routed.push(Routed { route, event });
                }
            }
        }
    }
    Ok(routed)
}

/// Which ingest writer takes a delivery: its organization and customer
/// (through the first message's or receipt's inbox and customer), so one
/// customer's contact and conversation are only ever written by one writer
/// and never raced for; customers of one organization spread over the
/// writers (PostgreSQL runs several).
fn partition_key(routed: &[Routed]) -> u64 {
    let first = routed.iter().find_map(|r| match &r.event {
        Inbound::Message(m) => Some((r.route.org_id, m.sender.key.as_deref())),
        Inbound::Receipt(s) => Some((r.route.org_id, s.recipient.as_deref())),
        _ => None,
    });
    first.map_or(0, |(org, customer)| crate::intake::lane_key(org, customer))
}

/// Whether an event belongs to an inbox of the app that signed it.
fn signed_by(route: &InboxRoute, secret: &str) -> bool {
    route.secret("app_secret") == Some(secret)
}
