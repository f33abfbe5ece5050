//! `GET /widget/v1/conversations/{conversation_id}/stream`: the visitor's
//! WebSocket. Browsers cannot set headers on a WebSocket, and a token in
//! the URL ends up in logs, so the first frame authenticates:
//! `{"type":"auth","token":"<session token>"}` (within 10 s; a bad one
//! closes with 4401, a site not allowed with 4403).
//!
//! Server frames (channels.md §4): `hello`; `message.created` with the
//! message as the visitor sees it (again, with its file's link, once a file
//! is stored); `message.status` (`{id, status}`: our messages' receipts,
//! and `read` on the visitor's latest message when an agent read the
//! chat); `typing` (`{sender: "agent", on}`); `pong`. Client frames:
//! `ping`, `typing` (`{on}`), `read` (`{up_to: <message id>}`).
//!
//! What the visitor is shown is delivered; what they say they saw is read.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use atende_channels::inbound::Delivery;
use atende_domain::{ConversationId, MessageId};
use atende_store::Event;
use atende_store::events::ChatEvent;
use axum::Extension;
use axum::extract::ws::{CloseFrame, Message as Frame, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;

use super::Widget;
use super::messages::receipt;
use super::visitor::Visitor;
use super::wire::{Parts, Shower, WidgetMessage};
use crate::chat::typing::{Typing, Typist};
use crate::error::Code;
use crate::extract::AppPath;
use crate::state::AppState;

const AUTH_WITHIN: Duration = Duration::from_secs(10);
const PING_EVERY: Duration = Duration::from_secs(20);
/// A visitor whose widget sent nothing (no ping, no pong) for this long is gone.
const SILENCE: Duration = Duration::from_secs(60);
/// Shortest time between two typing notices a visitor passes on.
const TYPING_GAP: Duration = Duration::from_secs(2);

#[derive(Serialize)]
#[serde(tag = "type")]
enum Out {
    #[serde(rename = "hello")]
    Hello,
    #[serde(rename = "message.created")]
    Created { message: Box<WidgetMessage> },
    #[serde(rename = "message.status")]
    Status { id: MessageId, status: String },
    #[serde(rename = "typing")]
    Typing { sender: &'static str, on: bool },
    #[serde(rename = "pong")]
    Pong,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum In {
    Auth { token: String },
    Ping,
    Typing { on: bool },
    Read { up_to: MessageId },
}

pub(super) async fn upgrade(
    State(st): State<AppState>,
    Extension(widget): Extension<Arc<Widget>>,
    AppPath(conv): AppPath<ConversationId>,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ws: WebSocketUpgrade,
) -> Response {
    // Subscribed before anything is read: nothing committed after the
    // visitor's history is missed.
    let events = st.bus.subscribe();
    let typing = st.typing.subscribe();
    ws.max_message_size(4096)
        .on_upgrade(move |socket| async move {
            let mut socket = socket;
            let Some(visitor) = authenticate(&st, widget, conv, &headers, peer, &mut socket).await
            else {
                return;
            };
            serve(st, visitor, socket, events, typing).await;
        })
}

async fn close(mut socket: WebSocket, code: u16, reason: &'static str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = socket.send(Frame::Close(Some(frame))).await;
}

/// Reads the `auth` frame and checks its token like a request's.
async fn authenticate(
    st: &AppState,
    widget: Arc<Widget>,
    conv: ConversationId,
    headers: &HeaderMap,
    peer: SocketAddr,
    socket: &mut WebSocket,
) -> Option<Visitor> {
    let first = tokio::time::timeout(AUTH_WITHIN, socket.recv()).await;
    let token = match first {
        Ok(Some(Ok(Frame::Text(t)))) => match serde_json::from_str::<In>(&t) {
            Ok(In::Auth { token }) => Some(token),
            _ => None,
        },
        _ => None,
    };
    let refuse = |code: u16, reason: &'static str| {
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        Frame::Close(Some(frame))
    };
    let Some(token) = token else {
        let _ = socket.send(refuse(4401, "auth expected")).await;
        return None;
    };
    match Visitor::of_token(st, widget, &token, headers, Some(peer.ip())).await {
        Ok(v) if v.session.conversation == conv => Some(v),
        Err(e) if e.code == Code::BadOrigin => {
            let _ = socket.send(refuse(4403, "origin not allowed")).await;
            None
        }
        _ => {
            let _ = socket.send(refuse(4401, "invalid session")).await;
            None
        }
    }
}

async fn send(socket: &mut WebSocket, out: &Out) -> Result<(), ()> {
    let text = serde_json::to_string(out).map_err(|_| ())?;
    socket.send(Frame::Text(text.into())).await.map_err(|_| ())
}

async fn serve(
    st: AppState,
    visitor: Visitor,
    mut socket: WebSocket,
    mut events: tokio::sync::broadcast::Receiver<Arc<Event>>,
    mut typing: tokio::sync::broadcast::Receiver<Arc<Typing>>,
) {
    let (org, conv) = (visitor.session.org, visitor.session.conversation);
    let _online = visitor.widget.connect(conv);
    if send(&mut socket, &Out::Hello).await.is_err() {
        return;
    }
    // Everything sent before the stream opened reaches the visitor now
    // (the widget reads the history as it connects).
    let _ = receipt(&st, &visitor, Delivery::Delivered, atende_store::now_ms()).await;
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.reset();
    let idle = tokio::time::sleep(SILENCE);
    tokio::pin!(idle);
    let mut last_typing: Option<(bool, Instant)> = None;
    loop {
        tokio::select! {
            ev = events.recv() => match ev {
                Ok(e) if e.org_id == org && e.conversation_id == Some(conv) => {
                    if forward(&st, &visitor, &e, &mut socket).await.is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                // Too far behind: the widget reconnects and reads the
                // history again.
                Err(RecvError::Lagged(_)) => return close(socket, 1013, "lagged").await,
                Err(RecvError::Closed) => return,
            },
            t = typing.recv() => match t {
                Ok(t) if t.org == org && t.scope.conversation_id == conv && t.by != Typist::Contact => {
                    if send(&mut socket, &Out::Typing { sender: "agent", on: t.on }).await.is_err() {
                        return;
                    }
                }
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return,
            },
            frame = socket.recv() => match frame {
                Some(Ok(Frame::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(Frame::Text(t))) => {
                    idle.as_mut().reset(tokio::time::Instant::now() + SILENCE);
                    match serde_json::from_str::<In>(&t) {
                        Ok(In::Ping) => {
                            if send(&mut socket, &Out::Pong).await.is_err() {
                                return;
                            }
                        }
                        Ok(In::Typing { on }) => {
                            let quiet = last_typing
                                .is_some_and(|(was, at)| was == on && at.elapsed() < TYPING_GAP);
                            if !quiet {
                                last_typing = Some((on, Instant::now()));
                                if let Ok(c) = st.store.conversation(org, conv).await {
                                    let _ = st.typing.send(Arc::new(Typing {
                                        org,
                                        scope: c.scope(),
                                        by: Typist::Contact,
                                        on,
                                    }));
                                }
                            }
                        }
                        Ok(In::Read { up_to }) => {
                            if let Ok(m) = st.store.message(org, up_to).await
                                && m.conversation_id == conv
                            {
                                let _ = receipt(&st, &visitor, Delivery::Read, m.created_at).await;
                            }
                        }
                        Ok(In::Auth { .. }) | Err(_) => {}
                    }
                }
                Some(Ok(_)) => idle.as_mut().reset(tokio::time::Instant::now() + SILENCE),
            },
            _ = &mut idle => return close(socket, 1001, "idle").await,
            _ = ping.tick() => {
                if socket.send(Frame::Ping(Vec::new().into())).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Passes one of the conversation's events to the visitor, as they see it.
async fn forward(
    st: &AppState,
    visitor: &Visitor,
    e: &Event,
    socket: &mut WebSocket,
) -> Result<(), ()> {
    let org = visitor.session.org;
    match &e.event {
        ChatEvent::MessageCreated(c) => {
            let p = Parts::of_event(&c.message);
            let media = if matches!(p.kind, "image" | "video" | "audio" | "document" | "sticker") {
                st.store.media_of_message(org, p.id).await.ok().flatten()
            } else {
                None
            };
            let Some(message) = Shower::new(st, org).show(&p, media.as_ref()).await else {
                return Ok(());
            };
            let ours = message.sender != "contact";
            let out = Out::Created {
                message: Box::new(message),
            };
            send(socket, &out).await?;
            if ours {
                let _ = super::messages::delivered(st, org, &[p.id]).await;
            }
        }
        ChatEvent::MediaUpdated(m) => {
            let (Ok(msg), media) = (
                st.store.message(org, m.message_id).await,
                st.store
                    .media_of_message(org, m.message_id)
                    .await
                    .ok()
                    .flatten(),
            ) else {
                return Ok(());
            };
            if let Some(p) = Parts::of_message(&msg)
                && let Some(message) = Shower::new(st, org).show(&p, media.as_ref()).await
            {
                send(
                    socket,
                    &Out::Created {
                        message: Box::new(message),
                    },
                )
                .await?;
            }
        }
        ChatEvent::MessageUpdated(u) => {
            if let Some(status) = &u.status {
                let out = Out::Status {
                    id: u.message_id,
                    status: status.clone(),
                };
                send(socket, &out).await?;
            }
        }
        ChatEvent::ConversationRead(_) => {
            // An agent read the chat: the visitor's latest message is read.
            let recent = st
                .store
                .messages(org, visitor.session.conversation, None, 20)
                .await
                .unwrap_or_default();
            if let Some(m) = recent
                .iter()
                .rev()
                .find(|m| m.author_kind == "contact" && !m.internal)
            {
                let out = Out::Status {
                    id: m.id,
                    status: "read".into(),
                };
                send(socket, &out).await?;
            }
        }
        _ => {}
    }
    Ok(())
}
