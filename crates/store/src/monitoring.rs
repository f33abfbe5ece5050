//! Live monitoring's facts (RP-5, `docs/monitoring.md`): the per-hour
//! counters of each inbox, kept in the transaction of the fact they count
//! (`atende_domain::monitoring` says what each fact adds), and the reads a
//! snapshot is made of: today's counters, the tickets open now, the agents
//! and today's tags. None of them reads the day's closed tickets.

use atende_domain::monitoring::{self, Bump, Counters, Ended, Ticket};
use atende_domain::{
    AttendanceId, ContactId, ConversationId, DepartmentId, InboxId, OrgId, TagId, UserId,
};
use serde::Serialize;

use crate::chats::LastMessage;
use crate::rows::{Arg, lookup_each, push};
use crate::{Millis, Result, Store, Tx, bind_args, with_pool, with_tx};

const COUNTER_COLS: [&str; 13] = [
    "opened",
    "opened_closed",
    "opened_lost",
    "opened_abandoned",
    "closed",
    "lost",
    "abandoned",
    "duration_ms",
    "first_replies",
    "first_reply_ms",
    "first_reply_max_ms",
    "replies",
    "reply_ms",
];

fn values(c: &Counters) -> [i64; 13] {
    [
        c.opened,
        c.opened_closed,
        c.opened_lost,
        c.opened_abandoned,
        c.closed,
        c.lost,
        c.abandoned,
        c.duration_ms,
        c.first_replies,
        c.first_reply_ms,
        c.first_reply_max_ms,
        c.replies,
        c.reply_ms,
    ]
}

impl Tx {
    /// Adds a fact to its inbox's hour.
    pub async fn bump_monitoring(&mut self, org: OrgId, inbox: InboxId, b: Bump) -> Result<()> {
        let cols = COUNTER_COLS.join(", ");
        let params: Vec<String> = (4..4 + COUNTER_COLS.len())
            .map(|i| format!("${i}"))
            .collect();
        let set: Vec<String> = COUNTER_COLS
            .iter()
            .map(|c| match *c {
                "first_reply_max_ms" => format!(
                    "{c} = CASE WHEN excluded.{c} > monitoring_hours.{c} THEN excluded.{c} ELSE monitoring_hours.{c} END"
                ),
                _ => format!("{c} = monitoring_hours.{c} + excluded.{c}"),
            })
            .collect();
        let sql = format!(
            "INSERT INTO monitoring_hours (org_id, inbox_id, hour, {cols}) VALUES ($1, $2, $3, {}) \
             ON CONFLICT (org_id, hour, inbox_id) DO UPDATE SET {}",
            params.join(", "),
            set.join(", ")
        );
        with_tx!(self, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(inbox).bind(b.hour);
            for v in values(&b.counters) {
                q = q.bind(v);
            }
            q.execute(c).await?.rows_affected()
        });
        Ok(())
    }

    /// Adds to an agent's day (over every inbox): a first reply that
    /// waited `first_reply_ms` (`None`: not a first reply), or a ticket
    /// that ended while theirs.
    pub(crate) async fn bump_agent(
        &mut self,
        org: OrgId,
        user: UserId,
        at: Millis,
        first_reply_ms: Option<i64>,
        ended: bool,
    ) -> Result<()> {
        let day = monitoring::hour_of(monitoring::day_start(at));
        let sql = "INSERT INTO monitoring_agent_days (org_id, user_id, day, first_replies, first_reply_ms, ended) \
                   VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, day, user_id) DO UPDATE SET \
                   first_replies = monitoring_agent_days.first_replies + excluded.first_replies, \
                   first_reply_ms = monitoring_agent_days.first_reply_ms + excluded.first_reply_ms, \
                   ended = monitoring_agent_days.ended + excluded.ended";
        with_tx!(self, c => sqlx::query(sql).bind(org).bind(user).bind(day)
            .bind(i64::from(first_reply_ms.is_some())).bind(first_reply_ms.unwrap_or(0)).bind(i64::from(ended))
            .execute(c).await?.rows_affected());
        Ok(())
    }

    /// Counts tags just put on a chat of `inbox`.
    pub(crate) async fn bump_tags(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        at: Millis,
        tags: &[TagId],
    ) -> Result<()> {
        let hour = monitoring::hour_of(at);
        for tag in tags {
            let sql = "INSERT INTO monitoring_tags (org_id, inbox_id, hour, tag_id, n) VALUES ($1, $2, $3, $4, 1) \
                       ON CONFLICT (org_id, hour, inbox_id, tag_id) DO UPDATE SET n = monitoring_tags.n + 1";
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(inbox).bind(hour).bind(tag).execute(c).await?.rows_affected());
        }
        Ok(())
    }

    /// Ends the contact's wait for an agent's reply in `conversation`:
    /// returns when it began, if the contact was waiting.
    pub(crate) async fn take_awaiting(
        &mut self,
        conversation: ConversationId,
    ) -> Result<Option<Millis>> {
        let sql = "SELECT awaiting_since FROM chat_activity WHERE conversation_id = $1";
        let since: Option<Option<Millis>> = with_tx!(self, c => sqlx::query_scalar(sql).bind(conversation).fetch_optional(c).await?);
        let since = since.flatten();
        if since.is_some() {
            let sql = "UPDATE chat_activity SET awaiting_since = NULL WHERE conversation_id = $1";
            with_tx!(self, c => sqlx::query(sql).bind(conversation).execute(c).await?.rows_affected());
        }
        Ok(since)
    }
}

/// A ticket open now, as the monitoring lists show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OpenTicket {
    pub attendance_id: AttendanceId,
    pub conversation_id: ConversationId,
    pub protocol: String,
    pub inbox_id: InboxId,
    pub contact_id: ContactId,
    pub contact_name: String,
    pub department_id: Option<DepartmentId>,
    pub department_name: Option<String>,
    pub agent_id: Option<UserId>,
    pub agent_name: Option<String>,
    pub opened_at: Millis,
    pub queued_at: Option<Millis>,
    pub assigned_at: Option<Millis>,
    pub first_reply_at: Option<Millis>,
    /// Since when the contact's oldest unanswered message waits.
    pub awaiting_since: Option<Millis>,
    #[sqlx(skip)]
    pub last_message: Option<LastMessage>,
}

/// An agent, as the monitoring's agents table shows them.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AgentPresence {
    pub id: UserId,
    pub name: String,
    /// The status chosen: online | paused | invisible.
    pub status: String,
    pub status_reason: Option<String>,
    pub status_since: Option<Millis>,
    /// Every socket gone for the organization's `away_minutes`: offline.
    pub away: bool,
    pub last_seen_at: Option<Millis>,
    pub max_chats: i64,
}

/// An agent's counters of a day.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AgentDay {
    pub user_id: UserId,
    pub first_replies: i64,
    pub first_reply_ms: i64,
    pub ended: i64,
}

/// Today's count of one tag.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TagCount {
    pub tag_id: TagId,
    pub name: String,
    pub count: i64,
}

fn inbox_filter(args: &mut Vec<Arg>, col: &str, inbox: Option<InboxId>) -> String {
    match inbox {
        Some(i) => format!(" AND {col} = {}", push(args, Arg::Id(i.0))),
        None => String::new(),
    }
}

impl Store {
    /// The counters of the hours `from..=to` (of one inbox, or summed over
    /// the organization's), hour by hour.
    pub async fn monitoring_hours(
        &self,
        org: OrgId,
        inbox: Option<InboxId>,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, Counters)>> {
        let mut args = vec![Arg::Id(org.0), Arg::Int(from), Arg::Int(to)];
        let filter = inbox_filter(&mut args, "inbox_id", inbox);
        let sums: Vec<String> = COUNTER_COLS
            .iter()
            .map(|c| match *c {
                "first_reply_max_ms" => format!("MAX({c})"),
                _ => format!("CAST(SUM({c}) AS BIGINT)"),
            })
            .collect();
        let sql = format!(
            "SELECT hour, {} FROM monitoring_hours WHERE org_id = $1 AND hour >= $2 AND hour <= $3{filter} \
             GROUP BY hour ORDER BY hour",
            sums.join(", ")
        );
        type Row = (
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
        );
        let rows: Vec<Row> = with_pool!(self, p => {
            let q = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(q, &args).fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    r.0,
                    Counters {
                        opened: r.1,
                        opened_closed: r.2,
                        opened_lost: r.3,
                        opened_abandoned: r.4,
                        closed: r.5,
                        lost: r.6,
                        abandoned: r.7,
                        duration_ms: r.8,
                        first_replies: r.9,
                        first_reply_ms: r.10,
                        first_reply_max_ms: r.11,
                        replies: r.12,
                        reply_ms: r.13,
                    },
                )
            })
            .collect())
    }

    /// What the numbers read of every ticket open now (of one inbox or
    /// all): its facts and its agent.
    pub async fn open_ticket_facts(
        &self,
        org: OrgId,
        inbox: Option<InboxId>,
    ) -> Result<Vec<(Ticket, Option<UserId>)>> {
        let mut args = vec![Arg::Id(org.0)];
        let (join, filter) = match inbox {
            Some(_) => (
                " JOIN conversations c ON c.id = a.conversation_id",
                inbox_filter(&mut args, "c.inbox_id", inbox),
            ),
            None => ("", String::new()),
        };
        let sql = format!(
            "SELECT a.opened_at, a.queued_at, a.assigned_at, a.agent_id, a.first_reply_at FROM attendances a{join} \
             WHERE a.org_id = $1 AND a.closed_at IS NULL{filter}"
        );
        type Row = (
            Millis,
            Option<Millis>,
            Option<Millis>,
            Option<UserId>,
            Option<Millis>,
        );
        let rows: Vec<Row> = with_pool!(self, p => {
            let q = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(q, &args).fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(opened_at, queued_at, assigned_at, agent, first_reply_at)| {
                    let t = Ticket {
                        opened_at,
                        queued_at,
                        assigned_at,
                        has_agent: agent.is_some(),
                        first_reply_at,
                        closed_at: None,
                        ended: None,
                    };
                    (t, agent)
                },
            )
            .collect())
    }

    /// The first `limit` tickets open now (of one inbox or all) in the
    /// queue (`queued`: without an agent, the longest waiting first) or
    /// served (with an agent, the longest waiting for a reply first, then
    /// the oldest), with their last message.
    pub async fn open_tickets(
        &self,
        org: OrgId,
        inbox: Option<InboxId>,
        queued: bool,
        limit: i64,
    ) -> Result<Vec<OpenTicket>> {
        let mut args = vec![Arg::Id(org.0)];
        let (join, filter) = match inbox {
            Some(_) => (
                " JOIN conversations ic ON ic.id = a.conversation_id",
                inbox_filter(&mut args, "ic.inbox_id", inbox),
            ),
            None => ("", String::new()),
        };
        let awaiting =
            "CASE WHEN ca.awaiting_since < a.opened_at THEN a.opened_at ELSE ca.awaiting_since END";
        // The order, in the inner query and over its result `t`.
        let (which, inner, outer) = if queued {
            (
                "a.agent_id IS NULL",
                "COALESCE(a.queued_at, a.opened_at), a.id".to_string(),
                "COALESCE(t.queued_at, t.opened_at), t.id".to_string(),
            )
        } else {
            (
                "a.agent_id IS NOT NULL",
                format!(
                    "CASE WHEN ca.awaiting_since IS NULL THEN 1 ELSE 0 END, {awaiting}, a.opened_at, a.id"
                ),
                "CASE WHEN t.awaiting_since IS NULL THEN 1 ELSE 0 END, t.awaiting_since, t.opened_at, t.id"
                    .to_string(),
            )
        };
        let pl = push(&mut args, Arg::Int(limit));
        // The first `limit` are picked among the open tickets alone (with
        // their chats' activity, for the wait); only those are joined to
        // their names.
        let sql = format!(
            "SELECT t.id AS attendance_id, t.conversation_id, t.protocol, c.inbox_id, c.contact_id, \
             k.name AS contact_name, t.department_id, d.name AS department_name, t.agent_id, u.name AS agent_name, \
             t.opened_at, t.queued_at, t.assigned_at, t.first_reply_at, t.awaiting_since \
             FROM (SELECT a.id, a.conversation_id, a.protocol, a.department_id, a.agent_id, a.opened_at, \
                   a.queued_at, a.assigned_at, a.first_reply_at, {awaiting} AS awaiting_since \
                   FROM {}{join} \
                   WHERE a.org_id = $1 AND a.closed_at IS NULL AND {which}{filter} ORDER BY {inner} LIMIT {pl}) t \
             JOIN conversations c ON c.id = t.conversation_id \
             JOIN contacts k ON k.id = c.contact_id \
             LEFT JOIN departments d ON d.id = t.department_id \
             LEFT JOIN users u ON u.id = t.agent_id \
             ORDER BY {outer}",
            lookup_each(
                self.backend(),
                "attendances a",
                "chat_activity",
                "ca",
                "ca.conversation_id = a.conversation_id"
            )
        );
        let mut rows: Vec<OpenTicket> = with_pool!(self, p => {
            let q = sqlx::query_as::<_, OpenTicket>(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(q, &args).fetch_all(p).await?
        });
        if !queued {
            let ids: Vec<ConversationId> = rows.iter().map(|t| t.conversation_id).collect();
            let mut last = self.last_messages(org, &ids).await?;
            for t in &mut rows {
                t.last_message = last.remove(&t.conversation_id);
            }
        }
        Ok(rows)
    }

    /// Every ticket open now or opened, first replied or ended since
    /// `since`, as the monitoring definitions read them: what a snapshot
    /// would read without the counters (benchmarks compare the two).
    pub async fn monitoring_tickets(&self, org: OrgId, since: Millis) -> Result<Vec<Ticket>> {
        let sql = "SELECT opened_at, queued_at, assigned_at, agent_id IS NOT NULL, first_reply_at, closed_at, ended \
                   FROM attendances WHERE org_id = $1 AND (closed_at IS NULL OR opened_at >= $2 \
                   OR closed_at >= $2 OR first_reply_at >= $2)";
        type Row = (
            Millis,
            Option<Millis>,
            Option<Millis>,
            bool,
            Option<Millis>,
            Option<Millis>,
            Option<String>,
        );
        let rows: Vec<Row> =
            with_pool!(self, p => sqlx::query_as(sql).bind(org).bind(since).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|r| Ticket {
                opened_at: r.0,
                queued_at: r.1,
                assigned_at: r.2,
                has_agent: r.3,
                first_reply_at: r.4,
                closed_at: r.5,
                ended: r.6.as_deref().and_then(Ended::parse),
            })
            .collect())
    }

    /// The agents monitoring shows: active users of a department, or
    /// serving a ticket now.
    pub async fn monitored_agents(&self, org: OrgId) -> Result<Vec<AgentPresence>> {
        let sql = "SELECT u.id, u.name, u.status, u.status_reason, u.status_since, u.away, u.last_seen_at, u.max_chats \
                   FROM users u WHERE u.org_id = $1 AND u.active AND ( \
                     EXISTS (SELECT 1 FROM department_members m WHERE m.user_id = u.id) \
                     OR EXISTS (SELECT 1 FROM attendances a WHERE a.org_id = $1 AND a.agent_id = u.id AND a.closed_at IS NULL)) \
                   ORDER BY u.name, u.id";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, AgentPresence>(sql).bind(org).fetch_all(p).await?),
        )
    }

    /// Each agent's first replies (count, waits summed) and tickets ended
    /// on the day that starts at `day_start`, over every inbox.
    pub async fn monitoring_agent_day(
        &self,
        org: OrgId,
        day_start: Millis,
    ) -> Result<Vec<AgentDay>> {
        let sql = "SELECT user_id, first_replies, first_reply_ms, ended FROM monitoring_agent_days \
                   WHERE org_id = $1 AND day = $2";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, AgentDay>(sql).bind(org)
            .bind(monitoring::hour_of(day_start)).fetch_all(p).await?),
        )
    }

    /// The tags put on chats (of one inbox or all) in the hours
    /// `from..=to`, most used first.
    pub async fn monitoring_tags(
        &self,
        org: OrgId,
        inbox: Option<InboxId>,
        from: i64,
        to: i64,
    ) -> Result<Vec<TagCount>> {
        let mut args = vec![Arg::Id(org.0), Arg::Int(from), Arg::Int(to)];
        let filter = inbox_filter(&mut args, "m.inbox_id", inbox);
        let sql = format!(
            "SELECT m.tag_id, t.name, CAST(SUM(m.n) AS BIGINT) AS count FROM monitoring_tags m \
             JOIN tags t ON t.id = m.tag_id \
             WHERE m.org_id = $1 AND m.hour >= $2 AND m.hour <= $3{filter} \
             GROUP BY m.tag_id, t.name ORDER BY count DESC, t.name"
        );
        Ok(with_pool!(self, p => {
            let q = sqlx::query_as::<_, TagCount>(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(q, &args).fetch_all(p).await?
        }))
    }
}
