//! Monitoring's numbers (RP-5), as `docs/monitoring.md` defines them:
//! pure functions over the facts of the scope's tickets (attendances) and
//! of their messages. The caller gives "today" as the start of the day in
//! the organization's time zone and "now"; every time is epoch
//! milliseconds.

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

/// An hour as the counters key it: epoch milliseconds / 3,600,000 (the
/// organization's day starts at a whole hour).
pub const HOUR_MS: i64 = 3_600_000;

pub const fn hour_of(at: i64) -> i64 {
    at.div_euclid(HOUR_MS)
}

/// What an inbox's counters hold for an hour: the facts of the tickets
/// that fell in it. They only grow, so they can be kept as each fact
/// happens and summed over today's hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counters {
    /// Tickets opened in the hour.
    pub opened: i64,
    /// How the tickets opened in the hour ended.
    pub opened_closed: i64,
    pub opened_lost: i64,
    pub opened_abandoned: i64,
    /// Tickets that ended in the hour, by outcome.
    pub closed: i64,
    pub lost: i64,
    pub abandoned: i64,
    /// Their durations, summed (milliseconds).
    pub duration_ms: i64,
    /// First replies given in the hour, their waits summed and the largest.
    pub first_replies: i64,
    pub first_reply_ms: i64,
    pub first_reply_max_ms: i64,
    /// Agent replies to a waiting contact in the hour, their waits summed.
    pub replies: i64,
    pub reply_ms: i64,
}

impl Counters {
    /// Adds `o` (a bump or another hour's counters).
    pub fn add(&mut self, o: &Counters) {
        self.opened += o.opened;
        self.opened_closed += o.opened_closed;
        self.opened_lost += o.opened_lost;
        self.opened_abandoned += o.opened_abandoned;
        self.closed += o.closed;
        self.lost += o.lost;
        self.abandoned += o.abandoned;
        self.duration_ms += o.duration_ms;
        self.first_replies += o.first_replies;
        self.first_reply_ms += o.first_reply_ms;
        self.first_reply_max_ms = self.first_reply_max_ms.max(o.first_reply_max_ms);
        self.replies += o.replies;
        self.reply_ms += o.reply_ms;
    }

    /// The number of tickets that ended, by outcome.
    pub fn ended(&self) -> i64 {
        self.closed + self.lost + self.abandoned
    }
}

/// A change to one hour's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bump {
    pub hour: i64,
    pub counters: Counters,
}

/// A ticket opened at `at`.
pub fn on_open(at: i64) -> Bump {
    Bump {
        hour: hour_of(at),
        counters: Counters {
            opened: 1,
            ..Counters::default()
        },
    }
}

/// The agent's first reply at `at` to a ticket assigned at `assigned_at`
/// (nothing to count when no agent was ever assigned).
pub fn on_first_reply(assigned_at: Option<i64>, at: i64) -> Option<Bump> {
    let wait = at - assigned_at?;
    Some(Bump {
        hour: hour_of(at),
        counters: Counters {
            first_replies: 1,
            first_reply_ms: wait,
            first_reply_max_ms: wait,
            ..Counters::default()
        },
    })
}

/// An agent's reply at `at` to a contact waiting since `since`.
pub fn on_reply(since: i64, at: i64) -> Bump {
    Bump {
        hour: hour_of(at),
        counters: Counters {
            replies: 1,
            reply_ms: at - since,
            ..Counters::default()
        },
    }
}

/// A ticket just closed (`closed_at` and `ended` set): its outcome counts
/// in the hour it opened, its ending and duration in the hour it closed.
pub fn on_close(t: &Ticket) -> Option<[Bump; 2]> {
    let closed_at = t.closed_at?;
    let (mut opened, mut ended) = (Counters::default(), Counters::default());
    match outcome(t) {
        Outcome::Open => return None,
        Outcome::Closed => (opened.opened_closed, ended.closed) = (1, 1),
        Outcome::Lost => (opened.opened_lost, ended.lost) = (1, 1),
        Outcome::Abandoned => (opened.opened_abandoned, ended.abandoned) = (1, 1),
    }
    ended.duration_ms = closed_at - t.opened_at;
    Some([
        Bump {
            hour: hour_of(t.opened_at),
            counters: opened,
        },
        Bump {
            hour: hour_of(closed_at),
            counters: ended,
        },
    ])
}

/// The page's ticket numbers from today's counters (summed over the hours
/// from the day's start to now) and the tickets open now: the same numbers
/// as [`numbers`] over every ticket, at a cost that does not grow with the
/// day.
pub fn from_counters(today: &Counters, open: &[Ticket], now: i64) -> Numbers {
    let mut n = numbers(open, i64::MAX, now);
    let secs = |ms: i64, count: i64| (count > 0).then(|| ms as f64 / count as f64 / 1000.0);
    n.first_reply_avg_secs = secs(today.first_reply_ms, today.first_replies);
    if today.first_replies > 0 {
        let done = today.first_reply_max_ms as f64 / 1000.0;
        n.first_reply_max_secs = Some(n.first_reply_max_secs.map_or(done, |m| m.max(done)));
    }
    n.attendance_avg_secs = secs(today.duration_ms, today.ended());
    n.reply_avg_secs = secs(today.reply_ms, today.replies);
    let ended = (today.opened_closed + today.opened_lost + today.opened_abandoned) as u64;
    n.today = Today {
        total: today.opened as u64,
        open: (today.opened as u64).saturating_sub(ended),
        closed: today.opened_closed as u64,
        lost: today.opened_lost as u64,
        abandoned: today.opened_abandoned as u64,
    };
    n
}

/// An agent's status as monitoring counts it (LC-19): the one chosen, or
/// offline once every socket has been gone for the organization's
/// `away_minutes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Online,
    Paused,
    Invisible,
    Offline,
}

impl Presence {
    /// From the stored status and whether the agent is away.
    pub fn of(status: &str, away: bool) -> Presence {
        match (away, status) {
            (true, _) => Presence::Offline,
            (false, "paused") => Presence::Paused,
            (false, "invisible") => Presence::Invisible,
            (false, _) => Presence::Online,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Presence::Online => "online",
            Presence::Paused => "paused",
            Presence::Invisible => "invisible",
            Presence::Offline => "offline",
        }
    }
}

/// "Status dos agentes".
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Agents {
    pub online: u64,
    pub paused: u64,
    pub invisible: u64,
    pub offline: u64,
    /// "Média de tickets por agente": open tickets with an agent ÷ agents
    /// online or paused (0 when none), to two decimals.
    pub avg_tickets: f64,
}

/// The agents' numbers from their statuses and the number of open tickets
/// with an agent.
pub fn agents(statuses: impl IntoIterator<Item = Presence>, with_agent: u64) -> Agents {
    let mut a = Agents::default();
    for p in statuses {
        match p {
            Presence::Online => a.online += 1,
            Presence::Paused => a.paused += 1,
            Presence::Invisible => a.invisible += 1,
            Presence::Offline => a.offline += 1,
        }
    }
    let working = a.online + a.paused;
    if working > 0 {
        a.avg_tickets = (with_agent as f64 / working as f64 * 100.0).round() / 100.0;
    }
    a
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

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;
    const MIN: i64 = 60_000;
    /// Midnight of the day, and noon.
    const DAY: i64 = 1_000 * H;
    const NOON: i64 = DAY + 12 * H;

    fn t(opened: i64) -> Ticket {
        Ticket {
            opened_at: opened,
            ..Ticket::default()
        }
    }

    /// The counters kept fact by fact, summed over today's hours, with the
    /// tickets open now, give the numbers computed over every ticket.
    fn incremental(tickets: &[Ticket], day_start: i64, now: i64) -> Numbers {
        let mut today = Counters::default();
        let mut keep = |b: Bump| {
            if b.hour >= hour_of(day_start) && b.hour <= hour_of(now) {
                today.add(&b.counters);
            }
        };
        for t in tickets {
            keep(on_open(t.opened_at));
            if let Some(r) = t.first_reply_at {
                on_first_reply(t.assigned_at, r)
                    .into_iter()
                    .for_each(&mut keep);
            }
            on_close(t).into_iter().flatten().for_each(&mut keep);
        }
        let open: Vec<Ticket> = tickets
            .iter()
            .filter(|t| t.closed_at.is_none())
            .copied()
            .collect();
        from_counters(&today, &open, now)
    }

    #[track_caller]
    fn same_both_ways(tickets: &[Ticket], day_start: i64, now: i64) -> Numbers {
        let n = numbers(tickets, day_start, now);
        assert_eq!(incremental(tickets, day_start, now), n);
        n
    }

    #[test]
    fn the_day_starts_at_midnight_in_brasilia() {
        // 2026-03-10 02:30 UTC is 23:30 of the 9th in Brasília (UTC-3).
        let at = 1_773_109_800_000;
        assert_eq!(day_start(at), 1_773_025_200_000, "09/03 00:00 -03:00");
        assert_eq!(day_start(day_start(at)), day_start(at));
        assert_eq!(day_start(at) % HOUR_MS, 0, "a whole hour");
    }

    #[test]
    fn agents_count_by_status_and_share_the_tickets_among_those_working() {
        use Presence::*;
        assert_eq!(Presence::of("invisible", false), Invisible);
        assert_eq!(Presence::of("paused", true), Offline, "away wins");
        let a = agents([Online, Online, Paused, Invisible, Offline], 7);
        assert_eq!((a.online, a.paused, a.invisible, a.offline), (2, 1, 1, 1));
        assert_eq!(
            a.avg_tickets, 2.33,
            "7 ÷ 3 working, invisible and offline left out"
        );
        assert_eq!(
            agents([Invisible, Offline], 4).avg_tickets,
            0.0,
            "nobody working"
        );
        assert_eq!(agents([], 0), Agents::default());
    }

    #[test]
    fn replies_count_from_the_wait_they_end() {
        let b = on_reply(NOON - 90_000, NOON);
        assert_eq!(
            (b.hour, b.counters.replies, b.counters.reply_ms),
            (hour_of(NOON), 1, 90_000)
        );
        let mut today = Counters::default();
        today.add(&b.counters);
        today.add(&on_reply(NOON, NOON + 30_000).counters);
        assert_eq!(from_counters(&today, &[], NOON).reply_avg_secs, Some(60.0));
        assert_eq!(on_first_reply(None, NOON), None, "never assigned");
    }

    #[test]
    fn outcomes_follow_who_ended_it_and_whether_an_agent_was_assigned() {
        let closed = |ended, assigned| Ticket {
            closed_at: Some(NOON),
            ended: Some(ended),
            assigned_at: assigned,
            ..t(DAY)
        };
        assert_eq!(outcome(&t(DAY)), Outcome::Open);
        for (ended, assigned, expected) in [
            (Ended::Agent, Some(DAY), Outcome::Closed),
            (Ended::Scheduled, Some(DAY), Outcome::Closed),
            (Ended::Scheduled, None, Outcome::Closed),
            (Ended::SessionExpired, None, Outcome::Lost),
            (Ended::CustomerLeft, None, Outcome::Lost),
            (Ended::SessionExpired, Some(DAY), Outcome::Abandoned),
            (Ended::CustomerLeft, Some(DAY), Outcome::Abandoned),
        ] {
            assert_eq!(
                outcome(&closed(ended, assigned)),
                expected,
                "{ended:?} {assigned:?}"
            );
        }
    }

    #[test]
    fn the_queue_in_service_and_first_replies() {
        let tickets = [
            // In the queue since 11:00 (queued after a flow from 10:50).
            Ticket {
                queued_at: Some(DAY + 11 * H),
                ..t(DAY + 10 * H + 50 * MIN)
            },
            // Unassigned since 11:30, never queued.
            t(DAY + 11 * H + 30 * MIN),
            // Assigned 11:00, first reply 11:04: in service.
            Ticket {
                assigned_at: Some(DAY + 11 * H),
                has_agent: true,
                first_reply_at: Some(DAY + 11 * H + 4 * MIN),
                ..t(DAY + 10 * H)
            },
            // Assigned 11:50, no reply yet at noon: 10 min and counting.
            Ticket {
                assigned_at: Some(DAY + 11 * H + 50 * MIN),
                has_agent: true,
                ..t(DAY + 11 * H + 45 * MIN)
            },
            // Assigned 11:40, replied 11:42, then closed by the agent.
            Ticket {
                assigned_at: Some(DAY + 11 * H + 40 * MIN),
                has_agent: true,
                first_reply_at: Some(DAY + 11 * H + 42 * MIN),
                closed_at: Some(DAY + 11 * H + 55 * MIN),
                ended: Some(Ended::Agent),
                ..t(DAY + 11 * H + 35 * MIN)
            },
        ];
        let n = same_both_ways(&tickets, DAY, NOON);
        assert_eq!(n.queued, 2);
        assert_eq!(n.longest_wait_since, Some(DAY + 11 * H));
        assert_eq!(n.in_service, 1);
        assert_eq!(n.first_reply_avg_secs, Some(180.0), "(4 + 2) / 2 minutes");
        assert_eq!(
            n.first_reply_max_secs,
            Some(600.0),
            "the 10 minutes still running"
        );
        assert_eq!(n.attendance_avg_secs, Some(20.0 * 60.0));
        assert_eq!(
            n.today,
            Today {
                total: 5,
                open: 4,
                closed: 1,
                lost: 0,
                abandoned: 0
            }
        );
    }

    #[test]
    fn a_ticket_spanning_midnight_counts_where_its_facts_fall() {
        // Opened yesterday at 23:00, replied 23:10, closed today at 01:00.
        let overnight = Ticket {
            assigned_at: Some(DAY - H),
            has_agent: true,
            first_reply_at: Some(DAY - 50 * MIN),
            closed_at: Some(DAY + H),
            ended: Some(Ended::Agent),
            ..t(DAY - H)
        };
        let n = same_both_ways(&[overnight], DAY, NOON);
        assert_eq!(n.today.total, 0, "opened yesterday");
        assert_eq!(n.attendance_avg_secs, Some(2.0 * 3600.0), "closed today");
        assert_eq!(n.first_reply_avg_secs, None, "replied yesterday");
        assert_eq!(n.first_reply_max_secs, None);
        // Lost and abandoned today.
        let lost = Ticket {
            closed_at: Some(DAY + 2 * H),
            ended: Some(Ended::SessionExpired),
            ..t(DAY + H)
        };
        let abandoned = Ticket {
            assigned_at: Some(DAY + H),
            closed_at: Some(DAY + 2 * H),
            ended: Some(Ended::CustomerLeft),
            ..t(DAY + H)
        };
        let n = same_both_ways(&[lost, abandoned], DAY, NOON);
        assert_eq!((n.today.lost, n.today.abandoned, n.today.closed), (1, 1, 0));
        assert_eq!(n.queued, 0);
    }

    #[test]
    fn reply_times_pair_a_contacts_first_unanswered_message_with_the_next_reply() {
        let said = |at: i64, by_contact| Said { at, by_contact };
        let thread = [
            said(0, true),
            said(30, true),
            said(100, false),
            said(110, false),
            said(200, true),
            said(260, false),
            said(300, true),
        ];
        assert_eq!(reply_times(0, &thread), [100, 60]);
        assert_eq!(reply_times(20, &thread), [80, 60], "from the opening");
        assert!(reply_times(0, &[]).is_empty());
        assert!(reply_times(0, &[said(5, false)]).is_empty());
    }
}
