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
    /// A flow ended it (an automatic rule, not the customer's doing).
    Flow,
    /// The customer left (left the flow, cancelled).
    CustomerLeft,
    /// The customer's session expired.
    SessionExpired,
}

impl Ended {
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
/// once, from the first; a message still unanswered counts nothing.
pub fn reply_times(messages: &[Said]) -> Vec<i64> {
    let mut out = Vec::new();
    let mut waiting: Option<i64> = None;
    for m in messages {
        match (m.by_contact, waiting) {
            (true, None) => waiting = Some(m.at),
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
            (Ended::Flow, None, Outcome::Closed),
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
        let n = numbers(&tickets, DAY, NOON);
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
        let n = numbers(&[overnight], DAY, NOON);
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
        let n = numbers(&[lost, abandoned], DAY, NOON);
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
        assert_eq!(reply_times(&thread), [100, 60]);
        assert!(reply_times(&[]).is_empty());
        assert!(reply_times(&[said(5, false)]).is_empty());
    }
}
