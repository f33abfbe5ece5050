//! `GET|POST /webhooks/meta`: Meta's handshake and signed deliveries for
//! Messenger (`object: page`) and Instagram (`object: instagram`). A
//! delivery is routed first (each event's page or account), then its
//! signature is checked once with the secret of the app that owns them;
//! its events go to the intake in the channel-neutral vocabulary.

use std::collections::HashMap;
use std::sync::Arc;

use atende_channels::inbound::Inbound;
use atende_channels::meta::{self, Product};
use atende_store::ingest::InboxRoute;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

use super::{MAX_ROUTES, MetaShared};
use crate::error::{ApiError, Code};
use crate::inbound::Routed;
use crate::state::AppState;

pub fn router(shared: Arc<MetaShared>) -> Router<AppState> {
    Router::new()
        .route("/webhooks/meta", get(verify).post(receive))
        .layer(Extension(shared))
}

/// Answers the subscription handshake with the challenge when the verify
/// token is one of our Messenger or Instagram inboxes'.
async fn verify(
    State(st): State<AppState>,
    Extension(meta): Extension<Arc<MetaShared>>,
    Query(h): Query<crate::hub::Handshake>,
) -> Response {
    match meta.verify_token_matches(&st.store, h.token()).await {
        Ok(known) => h.answer(known),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// Verifies, routes and hands over a delivery; 200 only after commit.
async fn receive(
    State(st): State<AppState>,
    Extension(meta): Extension<Arc<MetaShared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    let rejected = || {
        metrics::counter!("atende_webhook_rejected_total", "channel" => "meta", "reason" => "signature").increment(1);
        ApiError::new(
            Code::BadSignature,
            "Assinatura X-Hub-Signature-256 inválida.",
        )
        .into_response()
    };
    if !header.is_some_and(crate::hub::well_formed) {
        return rejected();
    }
    let (product, events) = match meta::parse_webhook(&body) {
        Ok(p) => p,
        Err(e) => return ApiError::bad_request(e.to_string()).into_response(),
    };
    // Each account named, once, up to a few: a delivery comes from one app.
    let mut found: HashMap<String, Option<Arc<InboxRoute>>> = HashMap::new();
    for address in events.iter().filter_map(Inbound::address) {
        if found.len() >= MAX_ROUTES || found.contains_key(address) {
            continue;
        }
        match meta.route(&st.store, product, address).await {
            Ok(r) => {
                found.insert(address.to_string(), r);
            }
            Err(e) => return ApiError::from(e).into_response(),
        }
    }
    let mut secrets: Vec<&str> = found
        .values()
        .flatten()
        .filter_map(|r| r.secret("app_secret"))
        .collect();
    secrets.sort_unstable();
    secrets.dedup();
    if secrets.is_empty() {
        // Meta stops retrying on 200; nothing of it is stored.
        tracing::info!(
            ?product,
            "Meta webhook for no inbox of ours acknowledged and ignored"
        );
        metrics::counter!("atende_webhook_rejected_total", "channel" => "meta", "reason" => "unrouted").increment(1);
        return (StatusCode::OK, "ok").into_response();
    }
    let Some(secret) = secrets
        .into_iter()
        .find(|s| atende_channels::whatsapp::verify_signature(s, &body, header))
        .map(str::to_string)
    else {
        return rejected();
    };
    let mut routed = Vec::with_capacity(events.len());
    let mut customer = None;
    for event in events {
        let Some(address) = event.address().map(str::to_string) else {
            if let Inbound::Ignored { what } = &event {
                tracing::debug!(%what, "Meta webhook content ignored");
            }
            continue;
        };
        let route = match found.get(&address) {
            Some(r) => r.clone(),
            None => match meta.route(&st.store, product, &address).await {
                Ok(r) => r,
                Err(e) => return ApiError::from(e).into_response(),
            },
        };
        match route {
            Some(route) if route.secret("app_secret") == Some(secret.as_str()) => {
                if customer.is_none() {
                    customer = customer_of(&event).map(|c| (route.org_id, c));
                }
                routed.push(Routed { route, event });
            }
            Some(_) => {
                tracing::warn!(account = %address, "Meta webhook signed by another app than this account's; ignored");
            }
            None => {
                tracing::warn!(account = %address, "Meta webhook for an unknown account; ignored")
            }
        }
    }
    if !routed.is_empty() {
        let key = customer.map_or(0, |(org, c)| crate::intake::lane_key(org, Some(&c)));
        let senders: Vec<_> = routed
            .iter()
            .filter_map(|r| match &r.event {
                Inbound::Message(m) => m.sender.key.clone().map(|k| (r.route.clone(), k)),
                _ => None,
            })
            .collect();
        if let Err(e) = st.intake.submit(key, routed).await {
            return ApiError::internal(e).into_response();
        }
        meta.learn_names(&st, product, senders);
    }
    metrics::counter!("atende_webhooks_total", "channel" => if product == Product::Messenger { "messenger" } else { "instagram" }).increment(1);
    (StatusCode::OK, "ok").into_response()
}

/// The customer an event is about.
fn customer_of(e: &Inbound) -> Option<String> {
    match e {
        Inbound::Message(m) => m.sender.key.clone(),
        Inbound::Receipt(r) => r.recipient.clone(),
        Inbound::Watermark(w) => Some(w.recipient.clone()),
        _ => None,
    }
}
