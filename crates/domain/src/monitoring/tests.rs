//! Table tests of monitoring's definitions against hand-computed cases
//! (docs/monitoring.md's boundaries).

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
