//! `/api/v1/ws`: committed events pushed live, filtered like `/events`.
//!
//! Messages from the server are JSON: `{"type":"hello","last_seq":N}` first,
//! then `{"type":"event","event":{…}}` for each visible event, in `seq`
//! order with nothing skipped (gaps are filled from the events log). A client that
//! falls too far behind gets `{"type":"resync"}` and the socket closes: it
//! catches up with `GET /events?after=<its last seq>` and reconnects.
//!
//! The tab counters (LC-1 views) come as `{"type":"counts","counts":{…}}`:
//! once after `hello`, then at most once a second while events that can
//! move chats between views arrive, so clients never poll for them.

use std::sync::Arc;

use atende_store::Event;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use super::events::{EventOut, visible};
use crate::auth::{Auth, AuthVia};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub async fn upgrade(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> ApiResult<Response> {
    // Browsers send cookies on cross-site WebSocket upgrades: only accept a
    // cookie-authenticated upgrade from our own origin.
    if auth.via == AuthVia::Session && !same_origin(&headers) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "bad_origin",
            "Origem não permitida.",
        ));
    }
    // Subscribe before reading `last_seq`: an event committed after the read
    // is published after it, so the receiver has it; one committed before is
    // covered by `last_seq` (and skipped below).
    let rx = st.bus.subscribe();
    let last_seq = st.store.last_event_seq(auth.org()).await?;
    Ok(ws.on_upgrade(move |socket| serve(st, auth, socket, rx, last_seq)))
}

async fn serve(
    st: AppState,
    mut auth: Auth,
    mut socket: WebSocket,
    mut rx: tokio::sync::broadcast::Receiver<Arc<Event>>,
    last_seq: i64,
) {
    let hello = json!({"type": "hello", "last_seq": last_seq}).to_string();
    if socket.send(Message::Text(hello.into())).await.is_err() {
        return;
    }
    if send_counts(&st, &auth, &mut socket).await.is_err() {
        return;
    }
    let mut ping = tokio::time::interval(std::time::Duration::from_secs(25));
    let mut counts_tick = tokio::time::interval(COUNTS_EVERY);
    counts_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut counts_dirty = false;
    // The newest sequence this socket has handled: frames go out strictly
    // in order, without gaps.
    let mut seen = last_seq;
    loop {
        tokio::select! {
            ev = rx.recv() => match ev {
                Ok(e) => {
                    if e.seq <= seen || e.org_id != auth.org() {
                        continue; // already sent (or filled in from the log)
                    }
                    // Events publish after their own commits, so they can
                    // arrive out of order, and another node's never arrive
                    // here: fill any gap from the log, in order.
                    let batch = if e.seq == seen + 1 {
                        vec![e]
                    } else {
                        match st.store.events_after(auth.org(), seen, e.seq - seen).await {
                            Ok(list) => list.into_iter().map(Arc::new).collect(),
                            Err(_) => vec![e],
                        }
                    };
                    for e in batch {
                        seen = seen.max(e.seq);
                        if membership_changed(&e, &auth)
                            && let Ok(d) = st.store.user_departments(auth.org(), auth.user.id).await
                        {
                            auth.departments = d;
                        }
                        counts_dirty |= moves_chats(&e);
                        if !visible(&auth, &e) {
                            continue;
                        }
                        let text = json!({"type": "event", "event": EventOut::from(&*e)}).to_string();
                        if socket.send(Message::Text(text.into())).await.is_err() {
                            return;
                        }
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    let _ = socket.send(Message::Text(json!({"type": "resync"}).to_string().into())).await;
                    let _ = socket.send(Message::Close(None)).await;
                    return;
                }
                Err(RecvError::Closed) => return,
            },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = counts_tick.tick(), if counts_dirty => {
                counts_dirty = false;
                if send_counts(&st, &auth, &mut socket).await.is_err() {
                    return;
                }
            }
            _ = ping.tick() => {
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Shortest time between two counter updates on one socket.
const COUNTS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Events after which a chat may be in other LC-1 views than before (or a
/// chat may have appeared), so the counters are worth recomputing.
fn moves_chats(e: &Event) -> bool {
    matches!(
        e.kind.as_str(),
        "conversation.created"
            | "conversation.assigned"
            | "conversation.moved"
            | "attendance.opened"
            | "attendance.closed"
            | "department.member_added"
            | "department.member_removed"
            | "department.deleted"
    )
}

async fn send_counts(st: &AppState, auth: &Auth, socket: &mut WebSocket) -> Result<(), ()> {
    let counts = match super::conversations::counts_of(st, auth).await {
        Ok(c) => c,
        Err(_) => return Ok(()), // the next change retries
    };
    let text = json!({"type": "counts", "counts": counts}).to_string();
    socket
        .send(Message::Text(text.into()))
        .await
        .map_err(|_| ())
}

/// The `Origin` header (when present) names the host the request was sent to.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host)
}

fn membership_changed(e: &Event, auth: &Auth) -> bool {
    matches!(
        e.kind.as_str(),
        "department.member_added" | "department.member_removed" | "department.deleted"
    ) && (e.kind == "department.deleted"
        || e.payload.0.get("user_id").and_then(|v| v.as_str())
            == Some(auth.user.id.to_string().as_str()))
}
