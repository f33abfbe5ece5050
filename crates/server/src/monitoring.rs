//! Live monitoring (RP-5): a snapshot of an inbox, or of every inbox ("Todos
//! os números"), as `docs/monitoring.md` defines it. The numbers come from
//! `atende_domain::monitoring` over today's per-hour counters and the
//! tickets open now; nothing reads the day's closed tickets, so a snapshot
//! costs the same at 9:00 and at 18:00.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atende_domain::monitoring::{self, Counters, hour_of};
use atende_domain::{AttendanceId, ConversationId, DepartmentId, InboxId, OrgId, TagId, UserId};
use atende_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::extract::{opt_time, time};
use crate::state::AppState;

/// Monitoring's page for one scope, at one instant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Snapshot {
    /// The inbox ("número"), or null for every inbox ("Todos os números").
    #[schema(value_type = Option<String>, format = Uuid)]
    pub inbox_id: Option<InboxId>,
    /// The server's clock when the snapshot was taken: waits grow from
    /// their `…_since` timestamps by the time elapsed since this.
    #[schema(format = DateTime)]
    pub now: String,
    /// The start of "today" (midnight in the organization's time zone).
    #[schema(format = DateTime)]
    pub day_start: String,
    /// "Tickets na fila" and "Maior tempo na fila".
    pub queue: Queue,
    /// "Tickets em atendimento": open, with an agent who has replied.
    pub in_service: u64,
    /// "Tempo médio / máximo até primeira resposta".
    pub first_reply: FirstReply,
    /// "Tempo médio de resposta" (null: no reply today).
    pub reply_avg_seconds: Option<f64>,
    /// "Tempo médio de atendimento" of the tickets closed today (null:
    /// none closed).
    pub attendance_avg_seconds: Option<f64>,
    /// "Status dos tickets hoje".
    pub today: TodayOut,
    /// "Status dos agentes".
    pub agents: AgentsOut,
    /// Today's tickets hour by hour (the page's chart).
    pub hours: Vec<HourOut>,
    /// Open tickets with an agent, the longest waiting for a reply first
    /// (those still without a first reply included, flagged by a null
    /// `first_reply_at`); at most 200.
    pub in_service_tickets: Vec<ServiceRow>,
    /// How many open tickets have an agent (the list's full length).
    pub in_service_tickets_total: u64,
    /// Open tickets without an agent, in queue order; at most 200 (the
    /// queue's `count` says how many there are).
    pub queued_tickets: Vec<QueueRow>,
    pub agent_rows: Vec<AgentRow>,
    /// Tags put on chats today, most used first.
    pub tags: Vec<TagRow>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Queue {
    pub count: u64,
    /// The longest wait in the queue now, in seconds (0: nobody waits).
    pub longest_wait_seconds: f64,
    /// When that wait began.
    #[schema(format = DateTime)]
    pub longest_wait_since: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FirstReply {
    /// Mean wait from the assignment to the agent's first reply, over the
    /// first replies given today (null: none).
    pub avg_seconds: Option<f64>,
    /// The longest such wait today, counting the ones still running.
    pub max_seconds: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TodayOut {
    /// Tickets opened today.
    pub total: u64,
    pub open: u64,
    /// Closed by an agent or by a scheduled closing.
    pub closed: u64,
    /// Ended by the customer's side after an agent was assigned.
    pub abandoned: u64,
    /// Ended by the customer's side before any agent was assigned.
    pub lost: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgentsOut {
    pub online: u64,
    pub paused: u64,
    pub invisible: u64,
    /// Away (every socket gone for the organization's `away_minutes`).
    pub offline: u64,
    /// Open tickets with an agent ÷ agents online or paused (0: none).
    pub avg_tickets: f64,
}

/// One hour of today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HourOut {
    #[schema(format = DateTime)]
    pub start: String,
    pub opened: i64,
    pub closed: i64,
    pub lost: i64,
    pub abandoned: i64,
    /// Mean wait to a first reply given in the hour (null: none).
    pub first_reply_avg_seconds: Option<f64>,
}

/// What a list row previews of a chat's newest message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Preview {
    /// text | image | audio | video | document | …
    pub kind: String,
    pub text: Option<String>,
    /// An internal note.
    pub internal: bool,
    /// in | out
    pub direction: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceRow {
    #[schema(value_type = String, format = Uuid)]
    pub attendance_id: AttendanceId,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    pub protocol: String,
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
    pub contact_name: String,
    #[schema(value_type = String, format = Uuid)]
    pub agent_id: UserId,
    pub agent_name: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub department_id: Option<DepartmentId>,
    pub department_name: Option<String>,
    #[schema(format = DateTime)]
    pub opened_at: String,
    #[schema(format = DateTime)]
    pub assigned_at: Option<String>,
    /// Null: the agent has not replied yet.
    #[schema(format = DateTime)]
    pub first_reply_at: Option<String>,
    /// Since when the customer's oldest unanswered message waits (null:
    /// nothing unanswered).
    #[schema(format = DateTime)]
    pub waiting_since: Option<String>,
    /// Null when the viewer may not see the chat.
    pub last_message: Option<Preview>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueueRow {
    /// 1 for the longest waiting.
    pub position: u64,
    #[schema(value_type = String, format = Uuid)]
    pub attendance_id: AttendanceId,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    pub protocol: String,
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
    pub contact_name: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub department_id: Option<DepartmentId>,
    pub department_name: Option<String>,
    #[schema(format = DateTime)]
    pub waiting_since: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgentRow {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    pub name: String,
    /// online | paused | invisible | offline
    pub status: String,
    pub status_reason: Option<String>,
    #[schema(format = DateTime)]
    pub status_since: Option<String>,
    /// Open tickets of the scope they serve now.
    pub open_tickets: u64,
    /// How many they serve at once.
    pub capacity: i64,
    /// Tickets that ended today while theirs (every inbox: the inboxes
    /// share their agents).
    pub ended_today: i64,
    /// Their mean wait to a first reply today, every inbox (null: none).
    pub first_reply_avg_seconds: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagRow {
    #[schema(value_type = String, format = Uuid)]
    pub tag_id: TagId,
    pub name: String,
    pub count: i64,
}

/// The most rows each detail list of tickets holds (its `…_total` says
/// how many there are): the longest waiting come first.
pub const LIST_MAX: i64 = 200;

/// Snapshots shared by the streams watching the same scope: after an event,
/// the first stream that needs a fresh one computes it and the others take
/// it, so the cost follows the events, not the number of watchers.
#[derive(Default)]
pub struct Shared(Mutex<SharedMap>);

/// By scope: when the snapshot was begun, and the snapshot.
type SharedMap = HashMap<(OrgId, Option<InboxId>), (Instant, Arc<Snapshot>)>;

impl Shared {
    /// A snapshot of the scope begun no earlier than `fresher_than`.
    pub async fn get(
        &self,
        st: &AppState,
        org: OrgId,
        inbox: Option<InboxId>,
        fresher_than: Instant,
    ) -> Result<Arc<Snapshot>, StoreError> {
        if let Some((at, made)) = self.lock().get(&(org, inbox))
            && *at >= fresher_than
        {
            return Ok(made.clone());
        }
        let begun = Instant::now();
        let made = Arc::new(snapshot(st, org, inbox).await?);
        let mut map = self.lock();
        map.retain(|_, (at, _)| at.elapsed() < Duration::from_secs(60));
        map.insert((org, inbox), (begun, made.clone()));
        Ok(made)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SharedMap> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn avg(ms: i64, n: i64) -> Option<f64> {
    (n > 0).then(|| ms as f64 / n as f64 / 1000.0)
}

/// The snapshot of `inbox` (or every inbox) now (the caller hides the
/// last messages of chats the viewer may not see).
pub async fn snapshot(
    st: &AppState,
    org: OrgId,
    inbox: Option<InboxId>,
) -> Result<Snapshot, StoreError> {
    let now = atende_store::now_ms();
    let day_start = monitoring::day_start(now);
    let (from, to) = (hour_of(day_start), hour_of(now));
    let store = &st.store;
    // Independent reads, on as many pooled connections.
    let (hours, open, queued, service, agents, agent_days, tags) = tokio::try_join!(
        store.monitoring_hours(org, inbox, from, to),
        store.open_ticket_facts(org, inbox),
        store.open_tickets(org, inbox, true, LIST_MAX),
        store.open_tickets(org, inbox, false, LIST_MAX),
        store.monitored_agents(org),
        store.monitoring_agent_day(org, day_start),
        store.monitoring_tags(org, inbox, from, to),
    )?;

    let mut today = Counters::default();
    for (_, c) in &hours {
        today.add(c);
    }
    let tickets: Vec<_> = open.iter().map(|(t, _)| *t).collect();
    let n = monitoring::from_counters(&today, &tickets, now);

    let mut serving: HashMap<UserId, u64> = HashMap::new();
    for agent in open.iter().filter_map(|(_, a)| *a) {
        *serving.entry(agent).or_default() += 1;
    }
    let days: HashMap<UserId, _> = agent_days.into_iter().map(|d| (d.user_id, d)).collect();
    let mut counts = AgentsOut {
        online: 0,
        paused: 0,
        invisible: 0,
        offline: 0,
        avg_tickets: 0.0,
    };
    let agent_rows: Vec<AgentRow> = agents
        .iter()
        .map(|a| {
            let status = a.effective();
            match status {
                "online" => counts.online += 1,
                "paused" => counts.paused += 1,
                "invisible" => counts.invisible += 1,
                _ => counts.offline += 1,
            }
            let day = days.get(&a.id);
            AgentRow {
                id: a.id,
                name: a.name.clone(),
                status: status.to_string(),
                status_reason: a.status_reason.clone().filter(|_| status == "paused"),
                status_since: opt_time(a.status_since),
                open_tickets: serving.get(&a.id).copied().unwrap_or(0),
                capacity: a.max_chats,
                ended_today: day.map_or(0, |d| d.ended),
                first_reply_avg_seconds: day.and_then(|d| avg(d.first_reply_ms, d.first_replies)),
            }
        })
        .collect();
    let working = counts.online + counts.paused;
    let with_agent: u64 = serving.values().sum();
    if working > 0 {
        counts.avg_tickets = (with_agent as f64 / working as f64 * 100.0).round() / 100.0;
    }

    let queued_tickets = queued
        .iter()
        .enumerate()
        .map(|(i, t)| QueueRow {
            position: i as u64 + 1,
            attendance_id: t.attendance_id,
            conversation_id: t.conversation_id,
            protocol: t.protocol.clone(),
            inbox_id: t.inbox_id,
            contact_name: t.contact_name.clone(),
            department_id: t.department_id,
            department_name: t.department_name.clone(),
            waiting_since: time(t.queued_at.unwrap_or(t.opened_at)),
        })
        .collect();
    let in_service_tickets = service
        .iter()
        .map(|t| ServiceRow {
            attendance_id: t.attendance_id,
            conversation_id: t.conversation_id,
            protocol: t.protocol.clone(),
            inbox_id: t.inbox_id,
            contact_name: t.contact_name.clone(),
            agent_id: t.agent_id.unwrap_or(UserId(uuid::Uuid::nil())),
            agent_name: t.agent_name.clone().unwrap_or_default(),
            department_id: t.department_id,
            department_name: t.department_name.clone(),
            opened_at: time(t.opened_at),
            assigned_at: opt_time(t.assigned_at),
            first_reply_at: opt_time(t.first_reply_at),
            waiting_since: opt_time(t.awaiting_since),
            last_message: t.last_message.as_ref().map(|m| Preview {
                kind: m.kind.clone(),
                text: m.text.clone(),
                internal: m.internal,
                direction: m.direction.clone(),
            }),
        })
        .collect();

    let snapshot = Snapshot {
        inbox_id: inbox,
        now: time(now),
        day_start: time(day_start),
        queue: Queue {
            count: n.queued,
            longest_wait_seconds: n
                .longest_wait_since
                .map_or(0.0, |s| (now - s).max(0) as f64 / 1000.0),
            longest_wait_since: opt_time(n.longest_wait_since),
        },
        in_service: n.in_service,
        first_reply: FirstReply {
            avg_seconds: n.first_reply_avg_secs,
            max_seconds: n.first_reply_max_secs,
        },
        reply_avg_seconds: n.reply_avg_secs,
        attendance_avg_seconds: n.attendance_avg_secs,
        today: TodayOut {
            total: n.today.total,
            open: n.today.open,
            closed: n.today.closed,
            abandoned: n.today.abandoned,
            lost: n.today.lost,
        },
        agents: counts,
        hours: (from..=to)
            .map(|h| {
                let c = hours
                    .iter()
                    .find(|(k, _)| *k == h)
                    .map_or(Counters::default(), |(_, c)| *c);
                (h, c)
            })
            .map(|(h, c)| HourOut {
                start: time(h * monitoring::HOUR_MS),
                opened: c.opened,
                closed: c.closed,
                lost: c.lost,
                abandoned: c.abandoned,
                first_reply_avg_seconds: avg(c.first_reply_ms, c.first_replies),
            })
            .collect(),
        in_service_tickets,
        in_service_tickets_total: with_agent,
        queued_tickets,
        agent_rows,
        tags: tags
            .into_iter()
            .map(|t| TagRow {
                tag_id: t.tag_id,
                name: t.name,
                count: t.count,
            })
            .collect(),
    };
    Ok(snapshot)
}

/// A day's numbers hour by hour, with a total row: the daily export
/// ("exportar o dia"), for `day_start` (midnight in the organization's time
/// zone) until the end of that day or now.
pub async fn day_table(
    st: &AppState,
    org: OrgId,
    inbox: Option<InboxId>,
    day_start: i64,
) -> Result<atende_sheets::Table, StoreError> {
    let now = atende_store::now_ms();
    let last = (day_start + 24 * monitoring::HOUR_MS - 1).min(now);
    let (from, to) = (hour_of(day_start), hour_of(last.max(day_start)));
    let hours = st.store.monitoring_hours(org, inbox, from, to).await?;
    let secs = |ms: i64, n: i64| -> atende_sheets::Cell {
        if n > 0 {
            atende_sheets::Cell::Int((ms as f64 / n as f64 / 1000.0).round() as i64)
        } else {
            atende_sheets::Cell::Empty
        }
    };
    let row = |label: String, c: &Counters| -> Vec<atende_sheets::Cell> {
        vec![
            label.into(),
            c.opened.into(),
            c.closed.into(),
            c.lost.into(),
            c.abandoned.into(),
            c.first_replies.into(),
            secs(c.first_reply_ms, c.first_replies),
            if c.first_replies > 0 {
                atende_sheets::Cell::Int((c.first_reply_max_ms as f64 / 1000.0).round() as i64)
            } else {
                atende_sheets::Cell::Empty
            },
            c.replies.into(),
            secs(c.reply_ms, c.replies),
            secs(c.duration_ms, c.ended()),
        ]
    };
    let mut total = Counters::default();
    let mut rows = Vec::new();
    for h in from..=to {
        let c = hours
            .iter()
            .find(|(k, _)| *k == h)
            .map_or(Counters::default(), |(_, c)| *c);
        total.add(&c);
        let start = crate::reports::local(h * monitoring::HOUR_MS);
        rows.push(row(start.format("%H:00").to_string(), &c));
    }
    rows.push(row("Total".into(), &total));
    let day = crate::reports::local(day_start).format("%d/%m/%Y");
    Ok(atende_sheets::Table {
        name: format!("Monitoramento {}", day).replace('/', "-"),
        headers: [
            "Hora",
            "Tickets abertos",
            "Fechados",
            "Perdidos",
            "Abandonados",
            "Primeiras respostas",
            "Tempo médio até primeira resposta (s)",
            "Tempo máximo até primeira resposta (s)",
            "Respostas",
            "Tempo médio de resposta (s)",
            "Tempo médio de atendimento (s)",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    })
}
