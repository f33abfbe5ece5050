//! Live monitoring (RP-5), for users with the analytics capability: the
//! snapshot over REST, and `GET /api/v1/monitoring/stream`, a WebSocket
//! that sends the snapshot and then, whenever an event changes a number or
//! a list, the parts that changed.
//!
//! Stream frames (typed as [`MonitoringFrame`] and [`MonitoringClientFrame`]
//! in the OpenAPI document): the server sends `{"type":"snapshot",
//! "snapshot":{…}}` first (and after the client changes its scope), then
//! `{"type":"delta","now":…,"changes":{…}}` with the snapshot's top-level
//! fields whose value changed; the client may send `{"type":"scope",
//! "inbox_id":…|null}` and `{"type":"ping"}` (answered `{"type":"pong"}`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use atende_domain::{Capability, InboxId};
use atende_store::Event;
use atende_store::events::{ChatEvent, ChatScope};
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::TimeZone;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::broadcast;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppJson, AppQuery};
use crate::auth::{Auth, AuthVia};
use crate::error::{ApiError, ApiResult, Code};
use crate::monitoring::Snapshot;
use crate::reports::ExportFormat;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(snapshot))
        .routes(routes!(export))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// csv or xlsx.
    pub format: ExportFormat,
    /// One inbox; without it, every inbox.
    #[param(value_type = Option<String>, format = Uuid)]
    pub inbox_id: Option<InboxId>,
    /// The day (`AAAA-MM-DD`, the organization's time zone); today when
    /// left out.
    #[param(value_type = Option<String>, format = Date)]
    pub day: Option<chrono::NaiveDate>,
}

/// A day's monitoring numbers hour by hour, with a total row, as a
/// spreadsheet (CSV for Excel in Portuguese, or XLSX). Needs the analytics
/// capability.
#[utoipa::path(get, path = "/monitoring/export", tag = "reports", params(ExportParams),
    responses((status = 200, description = "The file", content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn export(
    State(st): State<AppState>,
    auth: Auth,
    AppQuery(p): AppQuery<ExportParams>,
) -> ApiResult<Response> {
    may_watch(&st, &auth, p.inbox_id).await?;
    let today = atende_domain::monitoring::day_start(atende_store::now_ms());
    let day_start = match p.day {
        None => today,
        Some(d) => {
            let midnight = d.and_time(chrono::NaiveTime::MIN);
            let at = crate::reports::TIME_ZONE
                .from_local_datetime(&midnight)
                .earliest()
                .map(|t| t.timestamp_millis());
            match at {
                Some(at) if at <= today => at,
                _ => return Err(ApiError::invalid("Escolha um dia até hoje.")),
            }
        }
    };
    let table = crate::monitoring::day_table(&st, auth.org(), p.inbox_id, day_start).await?;
    let bytes = match p.format {
        ExportFormat::Csv => table.to_csv(),
        ExportFormat::Xlsx => table.to_xlsx(),
    }
    .map_err(ApiError::internal)?;
    let ext = p.format.extension();
    let day = crate::reports::local(day_start).format("%Y-%m-%d");
    let mut resp = (StatusCode::OK, bytes).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(crate::reports::content_type(ext)),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if let Ok(v) = format!("attachment; filename=\"monitoramento-{day}.{ext}\"").parse() {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

/// Monitoring is for the analytics capability, over one of the
/// organization's inboxes (or every inbox).
async fn may_watch(st: &AppState, auth: &Auth, inbox: Option<InboxId>) -> ApiResult<()> {
    if !auth.has(Capability::Analytics) {
        return Err(ApiError::forbidden());
    }
    if let Some(inbox) = inbox {
        st.store.inbox(auth.org(), inbox).await?;
    }
    Ok(())
}

/// A frame the monitoring stream sends.
#[derive(Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MonitoringFrame {
    /// The whole page: the first frame, and after a change of scope.
    Snapshot {
        snapshot: Box<Snapshot>,
    },
    /// The snapshot's top-level fields that changed, with their new value
    /// (`queue`, `today`, `in_service_tickets`, …), and the server's clock.
    Delta {
        #[schema(format = DateTime)]
        now: String,
        #[schema(value_type = Object)]
        changes: serde_json::Map<String, serde_json::Value>,
    },
    Pong,
}

/// A frame the client of the monitoring stream sends.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MonitoringClientFrame {
    /// Watch one inbox (or every inbox, with null) from now on.
    Scope {
        #[schema(value_type = Option<String>, format = Uuid)]
        inbox_id: Option<InboxId>,
    },
    Ping,
}

impl MonitoringFrame {
    fn text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// How long the stream gathers events before it recomputes: a burst of
/// events costs one snapshot, and a change still shows within a second.
const GATHER: Duration = Duration::from_millis(150);
/// A client silent (no ping, no pong) for this long is gone.
const SILENCE: Duration = Duration::from_secs(45);
const PING_EVERY: Duration = Duration::from_secs(15);

/// Whether an event may change monitoring (receipts, files, reads and
/// scheduled closings do not).
fn moves_numbers(e: &ChatEvent) -> bool {
    !matches!(
        e,
        ChatEvent::MessageUpdated(_)
            | ChatEvent::MediaUpdated(_)
            | ChatEvent::ConversationRead(_)
            | ChatEvent::ConversationUnread(_)
            | ChatEvent::ConversationCampaign(_)
            | ChatEvent::TransferRequested(_)
            | ChatEvent::CloseScheduled(_)
            | ChatEvent::CloseCancelled(_)
    )
}

/// The monitoring stream (see the module's documentation). Query
/// `inbox_id` picks the first scope.
pub async fn stream(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    AppQuery(p): AppQuery<MonitoringParams>,
    ws: WebSocketUpgrade,
) -> ApiResult<Response> {
    if auth.via == AuthVia::Session && !super::ws::same_origin(&headers) {
        return Err(ApiError::new(Code::BadOrigin, "Origem não permitida."));
    }
    may_watch(&st, &auth, p.inbox_id).await?;
    let rx = st.bus.subscribe();
    Ok(ws.on_upgrade(move |socket| serve(st, auth, socket, rx, p.inbox_id)))
}

async fn serve(
    st: AppState,
    mut auth: Auth,
    mut socket: WebSocket,
    mut rx: broadcast::Receiver<Arc<Event>>,
    mut inbox: Option<InboxId>,
) {
    let Ok(first) = view(&st, &auth, inbox, None).await else {
        return;
    };
    // What the client has, to send only what changed.
    let mut last_json = to_map(&first);
    let first = MonitoringFrame::Snapshot {
        snapshot: Box::new(first),
    };
    if socket
        .send(Message::Text(first.text().into()))
        .await
        .is_err()
    {
        return;
    }
    // Since when the client's snapshot is stale (an event arrived).
    let mut dirty: Option<Instant> = None;
    let gather = tokio::time::sleep(GATHER);
    tokio::pin!(gather);
    let idle = tokio::time::sleep(SILENCE);
    tokio::pin!(idle);
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut auth_changed = st.auth_changed.subscribe();
    loop {
        tokio::select! {
            ev = rx.recv() => match ev {
                Ok(e) => {
                    if e.org_id == auth.org() && moves_numbers(&e.event) && dirty.is_none() {
                        dirty = Some(Instant::now());
                        gather.as_mut().reset(tokio::time::Instant::now() + GATHER);
                    }
                }
                // Missed events: recompute anyway.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    dirty = dirty.or(Some(Instant::now()));
                    gather.as_mut().reset(tokio::time::Instant::now() + GATHER);
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = &mut gather, if dirty.is_some() => {
                let since = dirty.take().unwrap_or_else(Instant::now);
                let Ok(next) = view(&st, &auth, inbox, Some(since)).await else { continue };
                let next_json = to_map(&next);
                let changes: serde_json::Map<String, Value> = next_json
                    .iter()
                    .filter(|(k, v)| *k != "now" && last_json.get(*k) != Some(*v))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                if !changes.is_empty() {
                    let frame = MonitoringFrame::Delta { now: next.now.clone(), changes };
                    if socket.send(Message::Text(frame.text().into())).await.is_err() {
                        return;
                    }
                }
                last_json = next_json;
            }
            msg = socket.recv() => match msg {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(m)) => {
                    idle.as_mut().reset(tokio::time::Instant::now() + SILENCE);
                    let Message::Text(t) = &m else { continue };
                    match serde_json::from_str::<MonitoringClientFrame>(t) {
                        Ok(MonitoringClientFrame::Ping) => {
                            if socket.send(Message::Text(MonitoringFrame::Pong.text().into())).await.is_err() {
                                return;
                            }
                        }
                        Ok(MonitoringClientFrame::Scope { inbox_id }) => {
                            let known = match inbox_id {
                                Some(i) => st.store.inbox(auth.org(), i).await.is_ok(),
                                None => true,
                            };
                            if !known {
                                continue;
                            }
                            inbox = inbox_id;
                            let Ok(s) = view(&st, &auth, inbox, None).await else { continue };
                            last_json = to_map(&s);
                            let frame = MonitoringFrame::Snapshot { snapshot: Box::new(s) };
                            if socket.send(Message::Text(frame.text().into())).await.is_err() {
                                return;
                            }
                        }
                        Err(_) => {}
                    }
                }
            },
            user = auth_changed.recv() => {
                if user.as_ref().is_ok_and(|u| *u == auth.user.id) || user.is_err() {
                    match auth.reload(&st).await {
                        Ok(Some(a)) if a.has(Capability::Analytics) => auth = a,
                        Ok(Some(_)) | Ok(None) => {
                            let _ = socket.send(Message::Close(Some(CloseFrame {
                                code: 4403,
                                reason: "forbidden".into(),
                            }))).await;
                            return;
                        }
                        Err(_) => {}
                    }
                }
            }
            _ = &mut idle => {
                let _ = socket.send(Message::Close(None)).await;
                return;
            }
            _ = ping.tick() => {
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    return;
                }
            }
        }
    }
}

fn to_map(s: &Snapshot) -> serde_json::Map<String, Value> {
    match serde_json::to_value(s) {
        Ok(Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    }
}

/// The snapshot as `auth` may see it (a chat's last message shows only to
/// those who may see the chat): a fresh one, or the one the streams share
/// when it was begun after `shared_since`.
async fn view(
    st: &AppState,
    auth: &Auth,
    inbox: Option<InboxId>,
    shared_since: Option<Instant>,
) -> Result<Snapshot, atende_store::StoreError> {
    let make = crate::monitoring::snapshot(st, auth.org(), inbox);
    let made = match shared_since {
        Some(since) => st.monitoring.get((auth.org(), inbox), since, make).await?,
        None => Arc::new(make.await?),
    };
    let mut snap = (*made).clone();
    for row in &mut snap.in_service_tickets {
        let scope = ChatScope {
            conversation_id: row.conversation_id,
            attendance_open: true,
            department_id: row.department_id,
            agent_id: Some(row.agent_id),
        };
        if !super::events::sees_chat(auth, &scope) {
            row.last_message = None;
        }
    }
    Ok(snap)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonitoringParams {
    /// One inbox ("número"); without it, every inbox ("Todos os números").
    #[param(value_type = Option<String>, format = Uuid)]
    pub inbox_id: Option<InboxId>,
}

/// Monitoring's numbers and lists now (`docs/monitoring.md` defines each).
/// Needs the analytics capability. Waits are sent as the timestamps they
/// began: they grow with the time since `now`.
#[utoipa::path(get, path = "/monitoring", tag = "reports", params(MonitoringParams),
    responses((status = 200, body = Snapshot), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
async fn snapshot(
    State(st): State<AppState>,
    auth: Auth,
    AppQuery(p): AppQuery<MonitoringParams>,
) -> ApiResult<AppJson<Snapshot>> {
    may_watch(&st, &auth, p.inbox_id).await?;
    Ok(AppJson(view(&st, &auth, p.inbox_id, None).await?))
}
