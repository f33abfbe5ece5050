//! Monitoring's numbers (RP-5), as `docs/monitoring.md` defines them:
//! pure functions over the facts of the scope's tickets (attendances) and
//! of their messages. The caller gives "today" as the start of the day in
//! the organization's time zone and "now"; every time is epoch
//! milliseconds.

mod agents;
mod counters;
#[cfg(test)]
mod tests;

pub use agents::*;
pub use counters::*;

/// How a ticket ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// An agent closed it.
    Agent,
    /// A scheduled closing (LC-11) fired.
    Scheduled,
    /// The customer left (left the flow, cancelled).
    CustomerLeft,
    /// The customer's session expired.
    SessionExpired,
}

impl Ended {
    /// As stored (`attendances.ended`) and sent.
    pub const fn as_str(self) -> &'static str {
        match self {
            Ended::Agent => "agent",
            Ended::Scheduled => "scheduled",
            Ended::CustomerLeft => "customer_left",
            Ended::SessionExpired => "session_expired",
        }
    }

    pub fn parse(s: &str) -> Option<Ended> {
        [
            Ended::Agent,
            Ended::Scheduled,
            Ended::CustomerLeft,
            Ended::SessionExpired,
        ]
        .into_iter()
        .find(|e| e.as_str() == s)
    }

    /// Whether the customer's side ended it (lost or abandoned).
    pub const fn by_customer(self) -> bool {
        matches!(self, Ended::CustomerLeft | Ended::SessionExpired)
    }
}

/// What monitoring reads of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ticket {
    pub opened_at: i64,
    pub queued_at: Option<i64>,
    /// The first time an agent was given the ticket.
    pub assigned_at: Option<i64>,
    /// Whether an agent has it now.
    pub has_agent: bool,
    pub first_reply_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// How it ended, when closed.
    pub ended: Option<Ended>,
}

/// Where a ticket of today stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Open,
    Closed,
    /// Ended by the customer's side before any agent was assigned.
    Lost,
    /// Ended by the customer's side after an agent was assigned.
    Abandoned,
}

/// A ticket's outcome.
pub fn outcome(t: &Ticket) -> Outcome {
    match (t.closed_at, t.ended) {
        (None, _) => Outcome::Open,
        (Some(_), Some(e)) if e.by_customer() => {
            if t.assigned_at.is_some() {
                Outcome::Abandoned
            } else {
                Outcome::Lost
            }
        }
        (Some(_), _) => Outcome::Closed,
    }
}

/// "Status dos tickets hoje".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Today {
    pub total: u64,
    pub open: u64,
    pub closed: u64,
    pub lost: u64,
    pub abandoned: u64,
}

/// The ticket numbers of the page (agents' numbers need presence).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Numbers {
    /// "Tickets na fila": open, without an agent.
    pub queued: u64,
    /// When the longest wait in the queue began ("Maior tempo na fila").
    pub longest_wait_since: Option<i64>,
    /// "Tickets em atendimento": open, with an agent and a first reply.
    pub in_service: u64,
    /// "Tempo médio até primeira resposta", seconds.
    pub first_reply_avg_secs: Option<f64>,
    /// "Tempo máximo até primeira resposta", seconds (waits still
    /// running included).
    pub first_reply_max_secs: Option<f64>,
    /// "Tempo médio de atendimento": tickets closed today, seconds.
    pub attendance_avg_secs: Option<f64>,
    /// "Tempo médio de resposta", seconds (from the counters only; over
    /// messages, see [`reply_times`]).
    pub reply_avg_secs: Option<f64>,
    pub today: Today,
}

fn mean(v: &[i64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<i64>() as f64 / v.len() as f64 / 1000.0)
}

/// The page's ticket numbers over the scope's tickets: those open now and
/// those opened, first replied or closed today (others are ignored).
pub fn numbers(tickets: &[Ticket], day_start: i64, now: i64) -> Numbers {
    let today = |t: Option<i64>| t.is_some_and(|t| t >= day_start && t <= now);
    let mut n = Numbers::default();
    let (mut first, mut durations) = (Vec::new(), Vec::new());
    let mut first_max: Option<i64> = None;
    for t in tickets {
        let open = t.closed_at.is_none();
        if open && !t.has_agent {
            n.queued += 1;
            let since = t.queued_at.unwrap_or(t.opened_at);
            n.longest_wait_since = Some(n.longest_wait_since.map_or(since, |s| s.min(since)));
        }
        if open && t.has_agent && t.first_reply_at.is_some() {
            n.in_service += 1;
        }
        if let Some(assigned) = t.assigned_at {
            let wait = match t.first_reply_at {
                Some(r) if today(Some(r)) => Some(r - assigned),
                None if open && t.has_agent => Some(now - assigned),
                _ => None,
            };
            if let (Some(w), Some(_)) = (wait, t.first_reply_at) {
                first.push(w);
            }
            if let Some(w) = wait {
                first_max = Some(first_max.map_or(w, |m| m.max(w)));
            }
        }
        if let Some(closed) = t.closed_at.filter(|c| today(Some(*c))) {
            durations.push(closed - t.opened_at);
        }
        if today(Some(t.opened_at)) {
            n.today.total += 1;
            match outcome(t) {
                Outcome::Open => n.today.open += 1,
                Outcome::Closed => n.today.closed += 1,
                Outcome::Lost => n.today.lost += 1,
                Outcome::Abandoned => n.today.abandoned += 1,
            }
        }
    }
    n.first_reply_avg_secs = mean(&first);
    n.first_reply_max_secs = first_max.map(|m| m as f64 / 1000.0);
    n.attendance_avg_secs = mean(&durations);
    n
}

/// Midnight of the organization's day (Brasília's, as protocols count
/// days) that holds `now`; every time is epoch milliseconds.
pub fn day_start(now: i64) -> i64 {
    use chrono::{TimeZone, Utc};
    let tz = crate::protocol::PROTOCOL_TIME_ZONE;
    let local = Utc
        .timestamp_millis_opt(now)
        .single()
        .unwrap_or_default()
        .with_timezone(&tz);
    let midnight = local.date_naive().and_time(chrono::NaiveTime::MIN);
    tz.from_local_datetime(&midnight)
        .earliest()
        .map_or(now, |d| d.timestamp_millis())
}

/// One message of a ticket, for "Tempo médio de resposta".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Said {
    pub at: i64,
    /// The contact wrote it; else an agent's reply (bots, notes and system
    /// lines are left out by the caller).
    pub by_contact: bool,
}

/// The times from a contact's message to the next agent reply in one
/// ticket's messages (in time order); consecutive contact messages count
/// once, from the first; a message written before the ticket opened
/// (`opened_at`) counts from the opening; a message still unanswered counts
/// nothing.
pub fn reply_times(opened_at: i64, messages: &[Said]) -> Vec<i64> {
    let mut out = Vec::new();
    let mut waiting: Option<i64> = None;
    for m in messages {
        match (m.by_contact, waiting) {
            (true, None) => waiting = Some(m.at.max(opened_at)),
            (true, Some(_)) => {}
            (false, Some(since)) => {
                out.push(m.at - since);
                waiting = None;
            }
            (false, None) => {}
        }
    }
    out
}
