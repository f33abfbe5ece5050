//! Live monitoring (RP-5): a snapshot of an inbox, or of every inbox ("Todos
//! os números"), as `docs/monitoring.md` defines it. The numbers come from
//! `atende_domain::monitoring` over today's per-hour counters and the
//! tickets open now; nothing reads the day's closed tickets, so a snapshot
//! costs the same at 9:00 and at 18:00.

use std::collections::HashMap;

use atende_domain::monitoring::{self, Counters, Presence, hour_of};
use atende_domain::{InboxId, OrgId, UserId};
use atende_store::StoreError;

pub mod shared;
pub mod wire;

pub use wire::*;

use crate::extract::{opt_time, time};
use crate::state::AppState;

/// The most rows each detail list of tickets holds (its `…_total` says
/// how many there are): the longest waiting come first.
pub const LIST_MAX: i64 = 200;

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
    let agent_rows: Vec<AgentRow> = agents
        .iter()
        .map(|a| {
            let status = Presence::of(&a.status, a.away).as_str();
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
    let with_agent: u64 = serving.values().sum();
    let counts = monitoring::agents(
        agents.iter().map(|a| Presence::of(&a.status, a.away)),
        with_agent,
    );

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
        agents: AgentsOut {
            online: counts.online,
            paused: counts.paused,
            invisible: counts.invisible,
            offline: counts.offline,
            avg_tickets: counts.avg_tickets,
        },
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
