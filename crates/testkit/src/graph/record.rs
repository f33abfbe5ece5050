//! The middleware that records every request and its answer.

use super::RecordedRequest;
use super::errors;
use super::state::{Inner, Logged};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use serde_json::Value;
use std::sync::Arc;

/// Marks a response as a successful send, so it counts in `sent_messages`.
#[derive(Clone, Copy)]
pub(crate) struct SendAccepted;

/// Buffers the request and response bodies, records both, and wakes
/// `wait_for_sends` callers when a send succeeded.
pub(crate) async fn record(State(inner): State<Arc<Inner>>, req: Request, next: Next) -> Response {
    let seq = inner.next_seq();
    let (parts, body) = req.into_parts();
    let method = parts.method.to_string();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(str::to_owned);
    let authorization = header(&parts.headers, "authorization");
    let idempotency_key = header(&parts.headers, "idempotency-key");

    let (body, response) = match to_bytes(body, super::BODY_LIMIT).await {
        Ok(bytes) => {
            let body = json_or_null(&bytes);
            let req = Request::from_parts(parts, Body::from(bytes));
            (body, next.run(req).await)
        }
        Err(_) => (
            Value::Null,
            errors::graph_error(413, 100, None, "(#100) Request body too large", None)
                .into_response(),
        ),
    };

    let is_send = response.extensions().get::<SendAccepted>().is_some();
    let (rparts, rbody) = response.into_parts();
    // The fake built this body itself, in memory; reading it cannot fail.
    let rbytes = to_bytes(rbody, usize::MAX).await.unwrap_or_default();
    let recorded = RecordedRequest {
        method,
        path,
        query,
        authorization,
        body,
        status: rparts.status.as_u16(),
        response: json_or_null(&rbytes),
        idempotency_key,
    };
    inner.state().log.push(Logged {
        seq,
        request: recorded,
        is_send,
    });
    if is_send {
        inner.sends.notify_waiters();
    }
    Response::from_parts(rparts, Body::from(rbytes))
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn json_or_null(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or(Value::Null)
}
