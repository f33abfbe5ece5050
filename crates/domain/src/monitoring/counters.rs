//! The numbers kept fact by fact: each fact adds to its hour's counters,
//! and today's counters with the tickets open now give the same numbers
//! as [`super::numbers`] over every ticket.

use super::{Numbers, Outcome, Ticket, Today, numbers, outcome};

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
