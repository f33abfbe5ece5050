//! `/api/v1/ws`: committed events pushed live, filtered like `/events`.
//!
//! Messages from the server are JSON: `{"type":"hello","last_seq":N}` first,
//! then `{"type":"event","event":{…}}` for each visible event, in `seq`
//! order with nothing skipped (gaps are filled from the events log). A client that
//! falls too far behind gets `{"type":"resync"}` and the socket closes: it
//! catches up with `GET /events?after=<its last seq>` and reconnects.
//!
//! The client sends `{"type":"ping"}` every few seconds and gets
//! `{"type":"pong"}`: both sides notice a dead connection (LC-13). Every
//! frame is filtered by the session as it is now: a logout, a deactivation
//! or a revoked token closes the socket with code 4401, and a change of
//! rights (permissions, departments) applies to the next frame.
//!
//! The tab counters (LC-1 views) come as `{"type":"counts","counts":{…}}`:
//! once after `hello`, then at most once a second while events that can
//! move chats between views arrive, so clients never poll for them.
//!
//! Typing goes both ways without being stored: a client sends
//! `{"type":"typing","conversation_id":…,"on":true}` while its user types a
//! reply (a widget visitor sees it), and gets `{"type":"typing",
//! "conversation_id":…,"sender":"contact","on":…}` when a chat's contact
//! types, for chats it may see.
//!
//! Both directions are typed ([`ServerFrame`], [`ClientFrame`]) and listed
//! in the OpenAPI document's schemas, so clients generate their types.

use std::sync::Arc;

use atende_store::Event;
use atende_store::events::ChatEvent;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use serde::Serialize;
use tokio::sync::broadcast::error::RecvError;
use utoipa::ToSchema;

use crate::auth::{Auth, AuthVia};
use crate::error::{ApiError, ApiResult, Code};
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
        return Err(ApiError::new(Code::BadOrigin, "Origem não permitida."));
    }
    // Subscribe before reading `last_seq`: an event committed after the read
    // is published after it, so the receiver has it; one committed before is
    // covered by `last_seq` (and skipped below).
    let rx = st.bus.subscribe();
    let typing = st.typing.subscribe();
    let last_seq = st.store.last_event_seq(auth.org()).await?;
    Ok(ws.on_upgrade(move |socket| serve(st, auth, socket, (rx, typing), last_seq)))
}

async fn serve(
    st: AppState,
    mut auth: Auth,
    mut socket: WebSocket,
    (mut rx, mut typing): (
        tokio::sync::broadcast::Receiver<Arc<Event>>,
        tokio::sync::broadcast::Receiver<Arc<crate::chat::typing::Typing>>,
    ),
    last_seq: i64,
) {
    // The agent is here while a socket is (LC-19).
    let _here = st.sockets.open(auth.user.id);
    if let Err(e) = crate::presence::seen(&st, auth.org(), auth.user.id).await {
        tracing::warn!(error = %e, "presence update failed");
    }
    let hello = ServerFrame::Hello { last_seq }.text();
    if socket.send(Message::Text(hello.into())).await.is_err() {
        return;
    }
    if send_counts(&st, &auth, &mut socket).await.is_err() {
        return;
    }
    let mut auth_changed = st.auth_changed.subscribe();
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut recheck = tokio::time::interval(RECHECK_EVERY);
    recheck.reset();
    let mut counts_tick = tokio::time::interval(COUNTS_EVERY);
    counts_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut counts_dirty = false;
    // The client pings every few seconds and answers ours: a socket silent
    // for longer than this is dead, whatever TCP believes.
    let idle = tokio::time::sleep(CLIENT_SILENCE);
    tokio::pin!(idle);
    // The newest sequence this socket has handled: frames go out strictly
    // in order, without gaps.
    let mut seen = last_seq;
    loop {
        let mut reload = false;
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
                        // Rights are those of the session now: an edit of
                        // this user or their departments is read before the
                        // event itself is filtered.
                        if changes_rights(&e, &auth) {
                            match auth.reload(&st).await {
                                Ok(Some(a)) => auth = a,
                                Ok(None) => return end(socket).await,
                                Err(_) => {}
                            }
                        }
                        counts_dirty |= moves_chats(&e);
                        let Some(out) = super::events::for_viewer(&auth, &e) else {
                            continue;
                        };
                        let text = ServerFrame::Event {
                            event: Box::new(out),
                        }
                        .text();
                        if socket.send(Message::Text(text.into())).await.is_err() {
                            return;
                        }
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    let _ = socket.send(Message::Text(ServerFrame::Resync.text().into())).await;
                    let _ = socket.send(Message::Close(None)).await;
                    return;
                }
                Err(RecvError::Closed) => return,
            },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(m)) => {
                    idle.as_mut().reset(tokio::time::Instant::now() + CLIENT_SILENCE);
                    if let Message::Text(t) = &m {
                        match serde_json::from_str(t) {
                            Ok(ClientFrame::Ping) => {
                                let pong = ServerFrame::Pong.text();
                                if socket.send(Message::Text(pong.into())).await.is_err() {
                                    return;
                                }
                            }
                            Ok(ClientFrame::Typing { conversation_id, on }) => {
                                agent_typing(&st, &auth, conversation_id, on).await;
                            }
                            Err(_) => {}
                        }
                    }
                }
            },
            t = typing.recv() => {
                if let Ok(t) = t
                    && t.org == auth.org()
                    && t.by == crate::chat::typing::Typist::Contact
                    && super::events::sees_chat(&auth, &t.scope)
                {
                    let frame = ServerFrame::Typing {
                        conversation_id: t.scope.conversation_id,
                        sender: "contact".into(),
                        on: t.on,
                    };
                    if socket.send(Message::Text(frame.text().into())).await.is_err() {
                        return;
                    }
                }
            }
            user = auth_changed.recv() => match user {
                Ok(u) => reload = u == auth.user.id,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => reload = true,
                Err(_) => {}
            },
            _ = recheck.tick() => reload = true,
            _ = &mut idle => {
                let _ = socket.send(Message::Close(None)).await;
                return;
            }
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
        if reload {
            match auth.reload(&st).await {
                Ok(Some(a)) => {
                    counts_dirty |= a.departments != auth.departments
                        || a.user.permissions.0 != auth.user.permissions.0;
                    auth = a;
                }
                Ok(None) => return end(socket).await,
                Err(_) => {} // the next check tries again
            }
        }
    }
}

/// Closes a socket whose session ended (logout, deactivation, revoked
/// token): code 4401 tells the client to sign in again rather than retry.
async fn end(mut socket: WebSocket) {
    let frame = axum::extract::ws::CloseFrame {
        code: 4401,
        reason: "session ended".into(),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
}

/// An agent types in a chat they may see: passed to its contact (a widget
/// visitor's stream).
async fn agent_typing(
    st: &AppState,
    auth: &Auth,
    conversation_id: atende_domain::ConversationId,
    on: bool,
) {
    let Ok(conv) = st.store.conversation(auth.org(), conversation_id).await else {
        return;
    };
    let scope = conv.scope();
    if super::events::sees_chat(auth, &scope) {
        let _ = st.typing.send(Arc::new(crate::chat::typing::Typing {
            org: auth.org(),
            scope,
            by: crate::chat::typing::Typist::Agent(auth.user.id),
            on,
        }));
    }
}

/// A frame the server sends on the socket (a JSON text frame).
#[derive(Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The first frame: the organization's last event sequence when the
    /// socket opened. Events after it follow, in order.
    Hello { last_seq: i64 },
    /// One event the session may see, in `seq` order.
    Event { event: Box<super::events::EventOut> },
    /// The socket fell too far behind and closes: read
    /// `GET /events?after=<last seq>`, then reconnect.
    Resync,
    /// The answer to a client's `ping`.
    Pong,
    /// The tab counters (LC-1 views), after `hello` and when they change.
    Counts {
        counts: super::conversations::ViewCountsOut,
    },
    /// A chat's contact started or stopped typing (a widget visitor);
    /// without news, "typing" stops showing after a few seconds.
    Typing {
        #[schema(value_type = String, format = Uuid)]
        conversation_id: atende_domain::ConversationId,
        /// `contact`.
        sender: String,
        on: bool,
    },
}

impl ServerFrame {
    fn text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A frame a client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// The heartbeat, every few seconds; answered with `pong`.
    Ping,
    /// The user started (`on`) or stopped typing a reply in a chat.
    Typing {
        #[schema(value_type = String, format = Uuid)]
        conversation_id: atende_domain::ConversationId,
        on: bool,
    },
}

/// How often the server pings (browsers answer on their own).
const PING_EVERY: std::time::Duration = std::time::Duration::from_secs(15);
/// A client that sent nothing (no heartbeat, no pong) for this long is gone.
const CLIENT_SILENCE: std::time::Duration = std::time::Duration::from_secs(45);
/// How often a socket reads its credentials again even without a change
/// seen on this node (another node's logout, an expired session).
const RECHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Shortest time between two counter updates on one socket.
const COUNTS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Events after which a chat may be in other LC-1 views than before (or a
/// chat may have appeared), so the counters are worth recomputing.
fn moves_chats(e: &Event) -> bool {
    matches!(
        e.event,
        ChatEvent::ConversationCreated(_)
            | ChatEvent::ConversationAssigned(_)
            | ChatEvent::ConversationMoved(_)
            | ChatEvent::AttendanceOpened(_)
            | ChatEvent::AttendanceClosed(_)
            | ChatEvent::MemberAdded(_)
            | ChatEvent::MemberRemoved(_)
            | ChatEvent::DepartmentDeleted(_)
    )
}

async fn send_counts(st: &AppState, auth: &Auth, socket: &mut WebSocket) -> Result<(), ()> {
    let counts = match super::conversations::counts_of(st, auth).await {
        Ok(c) => c,
        Err(_) => return Ok(()), // the next change retries
    };
    let text = ServerFrame::Counts { counts }.text();
    socket
        .send(Message::Text(text.into()))
        .await
        .map_err(|_| ())
}

/// The `Origin` header (when present) names the host the request was sent to.
pub(super) fn same_origin(headers: &HeaderMap) -> bool {
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

/// Events that change what `auth` may see: their own user edited, or a
/// change of their departments.
fn changes_rights(e: &Event, auth: &Auth) -> bool {
    match &e.event {
        ChatEvent::DepartmentDeleted(_) => true,
        ChatEvent::MemberAdded(m) | ChatEvent::MemberRemoved(m) => m.user_id == auth.user.id,
        ChatEvent::UserUpdated(u) => u.user_id == auth.user.id,
        _ => false,
    }
}
