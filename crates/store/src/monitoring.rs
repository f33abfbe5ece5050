//! Live monitoring's facts (RP-5, `docs/monitoring.md`): the per-hour
//! counters of each inbox, kept in the transaction of the fact they count
//! (`atende_domain::monitoring` says what each fact adds), and the reads a
//! snapshot is made of: today's counters, the tickets open now, the agents
//! and today's tags. None of them reads the day's closed tickets.

use atende_domain::monitoring::{Bump, Counters, Ended, Ticket};
use atende_domain::{
    AttendanceId, ContactId, ConversationId, DepartmentId, InboxId, OrgId, TagId, UserId,
};
use serde::Serialize;

use crate::chats::LastMessage;
use crate::rows::{Arg, push};
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

    /// Adds to an agent's hour in `inbox`: a first reply that waited
    /// `first_reply_ms` (`None`: not a first reply), or a ticket that ended
    /// while theirs.
    pub(crate) async fn bump_agent(
        &mut self,
        org: OrgId,
        user: UserId,
        inbox: InboxId,
        at: Millis,
        first_reply_ms: Option<i64>,
        ended: bool,
    ) -> Result<()> {
        let hour = atende_domain::monitoring::hour_of(at);
        let sql = "INSERT INTO monitoring_agent_hours (org_id, user_id, inbox_id, hour, first_replies, first_reply_ms, ended) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, hour, user_id, inbox_id) DO UPDATE SET \
                   first_replies = monitoring_agent_hours.first_replies + excluded.first_replies, \
                   first_reply_ms = monitoring_agent_hours.first_reply_ms + excluded.first_reply_ms, \
                   ended = monitoring_agent_hours.ended + excluded.ended";
        with_tx!(self, c => sqlx::query(sql).bind(org).bind(user).bind(inbox).bind(hour)
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
        let hour = atende_domain::monitoring::hour_of(at);
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

impl OpenTicket {
    /// What monitoring's numbers read of it.
    pub fn ticket(&self) -> Ticket {
        Ticket {
            opened_at: self.opened_at,
            queued_at: self.queued_at,
            assigned_at: self.assigned_at,
            has_agent: self.agent_id.is_some(),
            first_reply_at: self.first_reply_at,
            closed_at: None,
            ended: None::<Ended>,
        }
    }
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

impl AgentPresence {
    /// The status others see: `offline` once away.
    pub fn effective(&self) -> &str {
        if self.away { "offline" } else { &self.status }
    }
}

/// An agent's counters summed over some hours.
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

    /// The tickets open now (of one inbox or all), oldest first, with their
    /// last message.
    pub async fn open_tickets(
        &self,
        org: OrgId,
        inbox: Option<InboxId>,
    ) -> Result<Vec<OpenTicket>> {
        let mut args = vec![Arg::Id(org.0)];
        let filter = inbox_filter(&mut args, "c.inbox_id", inbox);
        let sql = format!(
            "SELECT a.id AS attendance_id, a.conversation_id, a.protocol, c.inbox_id, c.contact_id, \
             k.name AS contact_name, a.department_id, d.name AS department_name, a.agent_id, u.name AS agent_name, \
             a.opened_at, a.queued_at, a.assigned_at, a.first_reply_at, \
             CASE WHEN ca.awaiting_since < a.opened_at THEN a.opened_at ELSE ca.awaiting_since END AS awaiting_since \
             FROM attendances a JOIN conversations c ON c.id = a.conversation_id \
             JOIN contacts k ON k.id = c.contact_id \
             JOIN chat_activity ca ON ca.conversation_id = c.id \
             LEFT JOIN departments d ON d.id = a.department_id \
             LEFT JOIN users u ON u.id = a.agent_id \
             WHERE a.org_id = $1 AND a.closed_at IS NULL{filter} \
             ORDER BY a.opened_at, a.id"
        );
        let mut rows: Vec<OpenTicket> = with_pool!(self, p => {
            let q = sqlx::query_as::<_, OpenTicket>(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(q, &args).fetch_all(p).await?
        });
        let serving: Vec<ConversationId> = rows
            .iter()
            .filter(|t| t.agent_id.is_some())
            .map(|t| t.conversation_id)
            .collect();
        let mut last = self.last_messages(org, &serving).await?;
        for t in &mut rows {
            t.last_message = last.remove(&t.conversation_id);
        }
        Ok(rows)
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
    /// in the hours `from..=to` (of one inbox or all).
    pub async fn monitoring_agent_hours(
        &self,
        org: OrgId,
        inbox: Option<InboxId>,
        from: i64,
        to: i64,
    ) -> Result<Vec<AgentDay>> {
        let mut args = vec![Arg::Id(org.0), Arg::Int(from), Arg::Int(to)];
        let filter = inbox_filter(&mut args, "inbox_id", inbox);
        let sql = format!(
            "SELECT user_id, CAST(SUM(first_replies) AS BIGINT) AS first_replies, \
             CAST(SUM(first_reply_ms) AS BIGINT) AS first_reply_ms, CAST(SUM(ended) AS BIGINT) AS ended \
             FROM monitoring_agent_hours WHERE org_id = $1 AND hour >= $2 AND hour <= $3{filter} GROUP BY user_id"
        );
        Ok(with_pool!(self, p => {
            let q = sqlx::query_as::<_, AgentDay>(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(q, &args).fetch_all(p).await?
        }))
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
