//! The ordered events log: every state change appends an event whose `seq`
//! is strictly increasing per organization. Sequences are allocated from the
//! `event_counters` row inside the writing transaction; the row lock (the
//! single writer, on SQLite) makes transactions that emit events commit in
//! sequence order, so a reader polling `after = N` never misses an event that
//! commits later with a smaller number.

mod kinds;
mod payloads;

pub use kinds::*;
pub use payloads::*;

use atende_domain::{ConversationId, DepartmentId, OrgId, UserId};
use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;
use sqlx::types::Json;

use crate::lane::{quote, uuid_literal};
use crate::{Millis, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

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
    /// The chat it is about (none: organization-wide), for LC-1 filtering.
    pub chat: Option<ChatScope>,
    pub event: ChatEvent,
}

impl NewEvent {
    /// An event about a chat, seen by whoever may see the chat (LC-1).
    pub fn chat(org_id: OrgId, scope: ChatScope, event: ChatEvent) -> Self {
        NewEvent {
            org_id,
            chat: Some(scope),
            event,
        }
    }

    /// An organization-wide event.
    pub fn org(org_id: OrgId, event: ChatEvent) -> Self {
        NewEvent {
            org_id,
            chat: None,
            event,
        }
    }
}

/// A committed event.
#[derive(Debug, Clone)]
pub struct Event {
    pub seq: i64,
    pub org_id: OrgId,
    pub conversation_id: Option<ConversationId>,
    pub attendance_open: bool,
    pub department_id: Option<DepartmentId>,
    pub agent_id: Option<UserId>,
    pub event: ChatEvent,
    pub created_at: Millis,
}

impl Event {
    /// The kind, as stored and sent (`message.created`…).
    pub fn kind(&self) -> &'static str {
        self.event.kind()
    }

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

/// One event inside a group row (see [`append`]), in sequence order.
#[derive(Serialize, Deserialize)]
struct Member<P> {
    kind: Cow<'static, str>,
    conversation_id: Option<ConversationId>,
    attendance_open: bool,
    department_id: Option<DepartmentId>,
    agent_id: Option<UserId>,
    payload: P,
}

/// The payload of an events row: one event's, or a group's members.
#[derive(Serialize)]
#[serde(untagged)]
enum RowPayload<'a> {
    One(PayloadOf<'a>),
    Group(Vec<Member<PayloadOf<'a>>>),
}

/// The `kind` of a row that groups several events.
const GROUP: &str = "group";

/// The events a commit appended, and whether the statement that appended
/// the last of them also committed (SQLite, see [`append`]).
pub(crate) struct Appended {
    pub(crate) events: Vec<Event>,
    pub(crate) folded: bool,
}

/// Appends the events of one transaction, in order, just before it commits.
/// Each organization's events take consecutive sequence numbers; when there
/// are several they are stored as one row (`seq` = the last number,
/// `first_seq` = the first, the events as an array in `payload`) instead of
/// one row each: a batch of inbound messages pays one row insert, not one
/// per message. [`Store::events_after`] expands groups, so readers never
/// see them. On SQLite the last row's statement carries the `COMMIT` (and
/// the `BEGIN`, if nothing ran before), saving the round trip of each.
pub(crate) async fn append(tx: &mut Tx, mut events: Vec<NewEvent>) -> Result<Appended> {
    let mut out = Vec::with_capacity(events.len());
    if events.is_empty() {
        return Ok(Appended {
            events: out,
            folded: false,
        });
    }
    // Group by organization (a transaction normally touches one).
    events.sort_by_key(|e| e.org_id);
    let now = now_ms();
    let mut folded = false;
    while !events.is_empty() {
        let org = events[0].org_id;
        let end = events
            .iter()
            .position(|e| e.org_id != org)
            .unwrap_or(events.len());
        let n = end as i64;
        let group: Vec<NewEvent> = events.drain(..end).collect();
        // One row: the event itself, or the group (kind GROUP, no chat, the
        // events as an array).
        let (kind, chat, payload) = match group.as_slice() {
            [e] => (e.event.kind(), e.chat, RowPayload::One(PayloadOf(&e.event))),
            _ => (
                GROUP,
                None,
                RowPayload::Group(
                    group
                        .iter()
                        .map(|e| Member {
                            kind: Cow::Borrowed(e.event.kind()),
                            conversation_id: e.chat.map(|c| c.conversation_id),
                            attendance_open: e.chat.is_some_and(|c| c.attendance_open),
                            department_id: e.chat.and_then(|c| c.department_id),
                            agent_id: e.chat.and_then(|c| c.agent_id),
                            payload: PayloadOf(&e.event),
                        })
                        .collect(),
                ),
            ),
        };
        let last_group = events.is_empty();
        // The payload goes as its JSON text: PostgreSQL stores it as `json`
        // (migration 0010), SQLite as text.
        let json = serde_json::to_string(&payload)
            .map_err(|e| StoreError::Invalid(format!("event payload: {e}")))?;
        drop(payload);
        let seqs: Vec<i64> = if last_group && tx.on_a_lane() {
            // A writer lane (PostgreSQL) sends the row and the `COMMIT` as
            // one simple query, running the statement it prepared when it
            // connected with the values written in: the organization's
            // counter is then held for the commit alone, not also for a
            // round trip back to the server and its next message.
            folded = true;
            let sql = format!(
                "{}EXECUTE {APPEND_PG_NAME}({}); COMMIT",
                tx.simple_begin_prefix(),
                [
                    uuid_literal(Some(org)).as_str(),
                    &n.to_string(),
                    &quote(kind),
                    &uuid_literal(chat.map(|c| c.conversation_id)),
                    if chat.is_some_and(|c| c.attendance_open) {
                        "TRUE"
                    } else {
                        "FALSE"
                    },
                    &uuid_literal(chat.and_then(|c| c.department_id)),
                    &uuid_literal(chat.and_then(|c| c.agent_id)),
                    &quote(&json),
                    &now.to_string(),
                ]
                .join(", ")
            );
            drop(json);
            with_tx!(tx, c => {
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).fetch_all(c).await?
                    .iter().map(|r| r.try_get::<i64, _>(0)).collect::<std::result::Result<_, _>>()?
            })
        } else {
            let sql = match tx.backend {
                crate::Backend::Postgres => APPEND_PG.to_string(),
                crate::Backend::Sqlite if last_group => {
                    folded = true;
                    format!("{}{APPEND_SQLITE}; COMMIT", tx.begin_prefix())
                }
                crate::Backend::Sqlite => APPEND_SQLITE.to_string(),
            };
            // `fetch_all`, not `fetch_one`: the driver stops a query text at
            // its first row when asked for one, which would skip the `COMMIT`.
            with_tx!(tx, c => {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(org).bind(n).bind(kind)
                    .bind(chat.map(|c| c.conversation_id)).bind(chat.is_some_and(|c| c.attendance_open))
                    .bind(chat.and_then(|c| c.department_id)).bind(chat.and_then(|c| c.agent_id))
                    .bind(json.as_str()).bind(now).fetch_all(c).await?
            })
        };
        let last = *seqs
            .first()
            .ok_or(StoreError::Database(sqlx::Error::RowNotFound))?;
        let first = last - n + 1;
        for (e, seq) in group.into_iter().zip(first..) {
            let chat = e.chat;
            out.push(Event {
                seq,
                org_id: org,
                conversation_id: chat.map(|c| c.conversation_id),
                attendance_open: chat.is_some_and(|c| c.attendance_open),
                department_id: chat.and_then(|c| c.department_id),
                agent_id: chat.and_then(|c| c.agent_id),
                event: e.event,
                created_at: now,
            });
        }
    }
    Ok(Appended {
        events: out,
        folded,
    })
}

/// The statement that takes the next `$2` sequence numbers of organization
/// `$1` and inserts their row, numbered with the last of them (`first_seq`
/// set for a group), returning that number: one round trip per
/// transaction. The payload `$8` is JSON text. PostgreSQL bumps the counter
/// in a data-modifying `WITH`, whose row lock orders the organization's
/// commits; SQLite (`APPEND_SQLITE`) reads the counter in the `INSERT` and
/// a trigger (migration 0009) advances it, the single writer doing the
/// ordering.
const APPEND_PG: &str = "WITH c AS (INSERT INTO event_counters (org_id, last_seq) VALUES ($1, $2) \
     ON CONFLICT (org_id) DO UPDATE SET last_seq = event_counters.last_seq + $2 RETURNING last_seq) \
     INSERT INTO events (org_id, seq, first_seq, kind, conversation_id, attendance_open, department_id, \
     agent_id, payload, created_at) \
     SELECT $1, c.last_seq, CASE WHEN $2 > 1 THEN c.last_seq - $2 + 1 END, $3, $4, $5, $6, $7, $8::json, $9 \
     FROM c RETURNING seq";

/// The name of [`APPEND_PG`] prepared on a writer lane's connection.
const APPEND_PG_NAME: &str = "atende_append_events";

/// Prepares [`APPEND_PG`] on a writer lane's connection, for its commit to
/// run it by name: the statement is parsed and planned once, not with
/// every batch.
pub(crate) fn prepare_append_pg() -> String {
    format!(
        "PREPARE {APPEND_PG_NAME} (uuid, bigint, text, uuid, boolean, uuid, uuid, text, bigint) AS {APPEND_PG}"
    )
}

const APPEND_SQLITE: &str = "INSERT INTO events (org_id, seq, first_seq, kind, conversation_id, attendance_open, department_id, \
     agent_id, payload, created_at) \
     SELECT $1, c.s + $2, CASE WHEN $2 > 1 THEN c.s + 1 END, $3, $4, $5, $6, $7, $8, $9 \
     FROM (SELECT COALESCE(MAX(last_seq), 0) AS s FROM event_counters WHERE org_id = $1) AS c \
     RETURNING seq";

/// A row of the events table: one event, or a group of them.
#[derive(sqlx::FromRow)]
struct StoredRow {
    seq: i64,
    first_seq: Option<i64>,
    org_id: OrgId,
    kind: String,
    conversation_id: Option<ConversationId>,
    attendance_open: bool,
    department_id: Option<DepartmentId>,
    agent_id: Option<UserId>,
    payload: Json<Value>,
    created_at: Millis,
}

/// A stored row that does not decode as what was written.
fn corrupt(what: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(what.into()))
}

impl StoredRow {
    /// The events of this row with `seq > after`, appended to `out` until it
    /// holds `limit`.
    fn expand_into(self, after: i64, limit: usize, out: &mut Vec<Event>) -> Result<()> {
        let decode = |seq: i64, kind: &str, payload: Value| {
            ChatEvent::from_parts(kind, payload)
                .map_err(|e| corrupt(format!("event {seq} ({kind}): {e}")))
        };
        let Some(first) = self.first_seq else {
            if self.seq > after && out.len() < limit {
                out.push(Event {
                    seq: self.seq,
                    org_id: self.org_id,
                    conversation_id: self.conversation_id,
                    attendance_open: self.attendance_open,
                    department_id: self.department_id,
                    agent_id: self.agent_id,
                    event: decode(self.seq, &self.kind, self.payload.0)?,
                    created_at: self.created_at,
                });
            }
            return Ok(());
        };
        let members: Vec<Member<Value>> = serde_json::from_value(self.payload.0)
            .map_err(|e| corrupt(format!("event group ending at {}: {e}", self.seq)))?;
        if members.len() as i64 != self.seq - first + 1 {
            return Err(corrupt(format!(
                "event group {first}..={} holds {} events",
                self.seq,
                members.len()
            )));
        }
        for (m, seq) in members.into_iter().zip(first..) {
            if seq <= after {
                continue;
            }
            if out.len() >= limit {
                break;
            }
            out.push(Event {
                seq,
                org_id: self.org_id,
                conversation_id: m.conversation_id,
                attendance_open: m.attendance_open,
                department_id: m.department_id,
                agent_id: m.agent_id,
                event: decode(seq, &m.kind, m.payload)?,
                created_at: self.created_at,
            });
        }
        Ok(())
    }
}

impl Store {
    /// Events of `org` with `seq > after`, oldest first, at most `limit`
    /// (groups are expanded: one event per sequence number).
    pub async fn events_after(&self, org: OrgId, after: i64, limit: i64) -> Result<Vec<Event>> {
        // A group row is found by its last sequence number; the events of it
        // at or before `after` are dropped while expanding.
        let sql = "SELECT seq, first_seq, org_id, kind, conversation_id, attendance_open, department_id, agent_id, payload, \
                   created_at FROM events WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";
        let rows = with_pool!(self, p => sqlx::query_as::<_, StoredRow>(sql).bind(org).bind(after).bind(limit).fetch_all(p).await?);
        let limit = usize::try_from(limit).unwrap_or(0);
        let mut out = Vec::with_capacity(rows.len().min(limit));
        for row in rows {
            row.expand_into(after, limit, &mut out)?;
        }
        Ok(out)
    }

    /// The newest sequence number of `org` (0 when it has no events).
    pub async fn last_event_seq(&self, org: OrgId) -> Result<i64> {
        let sql = "SELECT last_seq FROM event_counters WHERE org_id = $1";
        let v: Option<i64> =
            with_pool!(self, p => sqlx::query_scalar(sql).bind(org).fetch_optional(p).await?);
        Ok(v.unwrap_or(0))
    }
}
