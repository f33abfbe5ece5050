//! The ordered events log: every state change appends an event whose `seq`
//! is strictly increasing per organization. Sequences are allocated from the
//! `event_counters` row inside the writing transaction; the row lock (the
//! single writer, on SQLite) makes transactions that emit events commit in
//! sequence order, so a reader polling `after = N` never misses an event that
//! commits later with a smaller number.

use atende_domain::{ConversationId, DepartmentId, OrgId, UserId};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json;

use crate::rows::{Col, json_rows};
use crate::{Millis, Result, Store, Tx, now_ms, with_pool, with_tx};

/// The chat an event is about, with its assignment at that moment, so that
/// readers can be filtered by LC-1 visibility without another query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChatScope {
    pub conversation_id: ConversationId,
    pub attendance_open: bool,
    pub department_id: Option<DepartmentId>,
    pub agent_id: Option<UserId>,
}

/// An event to append at commit.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub org_id: OrgId,
    pub kind: &'static str,
    pub chat: Option<ChatScope>,
    pub payload: Value,
}

/// A committed event.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Event {
    pub seq: i64,
    #[serde(skip)]
    pub org_id: OrgId,
    pub kind: String,
    pub conversation_id: Option<ConversationId>,
    #[serde(skip)]
    pub attendance_open: bool,
    #[serde(skip)]
    pub department_id: Option<DepartmentId>,
    #[serde(skip)]
    pub agent_id: Option<UserId>,
    pub payload: Json<Value>,
    pub created_at: Millis,
}

impl Event {
    /// The chat scope, when the event is about a conversation.
    pub fn chat(&self) -> Option<ChatScope> {
        self.conversation_id.map(|conversation_id| ChatScope {
            conversation_id,
            attendance_open: self.attendance_open,
            department_id: self.department_id,
            agent_id: self.agent_id,
        })
    }
}

#[derive(Serialize)]
struct EventRow<'a> {
    seq: i64,
    kind: &'a str,
    conversation_id: Option<ConversationId>,
    attendance_open: bool,
    department_id: Option<DepartmentId>,
    agent_id: Option<UserId>,
    payload: &'a Value,
}

pub(crate) async fn append(tx: &mut Tx, mut events: Vec<NewEvent>) -> Result<Vec<Event>> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    // Group by organization (a transaction normally touches one).
    events.sort_by_key(|e| e.org_id);
    let now = now_ms();
    let mut out = Vec::with_capacity(events.len());
    while !events.is_empty() {
        let org = events[0].org_id;
        let end = events
            .iter()
            .position(|e| e.org_id != org)
            .unwrap_or(events.len());
        let n = end as i64;
        let sql = "INSERT INTO event_counters (org_id, last_seq) VALUES ($1, $2) \
                   ON CONFLICT (org_id) DO UPDATE SET last_seq = event_counters.last_seq + $2 \
                   RETURNING last_seq";
        let last: i64 =
            with_tx!(tx, c => sqlx::query_scalar(sql).bind(org).bind(n).fetch_one(c).await?);
        let first = last - n;
        let group: Vec<NewEvent> = events.drain(..end).collect();
        let rows: Vec<EventRow> = group
            .iter()
            .zip(first + 1..)
            .map(|(e, seq)| EventRow {
                seq,
                kind: e.kind,
                conversation_id: e.chat.map(|c| c.conversation_id),
                attendance_open: e.chat.is_some_and(|c| c.attendance_open),
                department_id: e.chat.and_then(|c| c.department_id),
                agent_id: e.chat.and_then(|c| c.agent_id),
                payload: &e.payload,
            })
            .collect();
        // The whole group in one statement whose text never changes.
        let sql = format!(
            "INSERT INTO events (org_id, seq, kind, conversation_id, attendance_open, department_id, agent_id, payload, created_at) \
             SELECT $1, e.seq, e.kind, e.conversation_id, e.attendance_open, e.department_id, e.agent_id, e.payload, $2 FROM {}",
            json_rows(
                tx.backend,
                3,
                "e",
                &[
                    ("seq", Col::BigInt),
                    ("kind", Col::Text),
                    ("conversation_id", Col::Uuid),
                    ("attendance_open", Col::Bool),
                    ("department_id", Col::Uuid),
                    ("agent_id", Col::Uuid),
                    ("payload", Col::Json),
                ]
            )
        );
        with_tx!(tx, c => {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(now).bind(Json(&rows)).execute(c).await?.rows_affected()
        });
        drop(rows);
        for (e, seq) in group.into_iter().zip(first + 1..) {
            let chat = e.chat;
            out.push(Event {
                seq,
                org_id: org,
                kind: e.kind.to_string(),
                conversation_id: chat.map(|c| c.conversation_id),
                attendance_open: chat.is_some_and(|c| c.attendance_open),
                department_id: chat.and_then(|c| c.department_id),
                agent_id: chat.and_then(|c| c.agent_id),
                payload: Json(e.payload),
                created_at: now,
            });
        }
    }
    Ok(out)
}

impl Store {
    /// Events of `org` with `seq > after`, oldest first, at most `limit`.
    pub async fn events_after(&self, org: OrgId, after: i64, limit: i64) -> Result<Vec<Event>> {
        let sql = "SELECT seq, org_id, kind, conversation_id, attendance_open, department_id, agent_id, payload, created_at \
                   FROM events WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Event>(sql).bind(org).bind(after).bind(limit).fetch_all(p).await?),
        )
    }

    /// The newest sequence number of `org` (0 when it has no events).
    pub async fn last_event_seq(&self, org: OrgId) -> Result<i64> {
        let sql = "SELECT last_seq FROM event_counters WHERE org_id = $1";
        let v: Option<i64> =
            with_pool!(self, p => sqlx::query_scalar(sql).bind(org).fetch_optional(p).await?);
        Ok(v.unwrap_or(0))
    }
}
