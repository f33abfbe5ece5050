//! Conversation sessions (RP-2, seed 001): the 24-hour windows of a
//! contact's continuous conversation with an inbox, bot-only or handed over
//! to people. Migration 0015 opens them from the contact's messages; here,
//! the conversations report that searches them and what it shows of each.

use std::collections::HashMap;

use atende_domain::{ContactId, ConversationId, InboxId, OrgId, TagId};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::types::Json;
use uuid::Uuid;

use crate::reports::ContactQuery;
use crate::rows::{Arg, org_eq, parse_cursor, push};
use crate::{Backend, Millis, Result, Store, StoreError, bind_args, with_pool};

/// The end of a session that is still the chat's latest.
const OPEN_END: &str = "COALESCE(s.until_at, 9223372036854775807)";

/// How the additional information (custom field or a flow's field) of a
/// session is compared (seed 001, "Operação").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldOp {
    Contains,
    NotContains,
    Equals,
    NotEquals,
    Exists,
}

impl FieldOp {
    pub fn parse(s: &str) -> Option<FieldOp> {
        Some(match s {
            "contains" => FieldOp::Contains,
            "not_contains" => FieldOp::NotContains,
            "equals" => FieldOp::Equals,
            "not_equals" => FieldOp::NotEquals,
            "exists" => FieldOp::Exists,
            _ => return None,
        })
    }
}

/// A filter on additional information: the contact's custom field, the
/// custom field of an attendance in the session, or a field a flow run of
/// the session stored (`set`, `ask`, a script), compared case aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldFilter {
    pub key: String,
    pub op: FieldOp,
    /// Ignored by `Exists`.
    pub value: String,
}

/// What the conversations report looks for. Every filter is optional but
/// the period, which the caller keeps to at most 31 days unless the session
/// or the protocol is given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ChatSessionFilter {
    /// Sessions opened in `[from, to]`.
    pub period: Option<(Millis, Millis)>,
    pub session: Option<Uuid>,
    /// A 17-digit protocol: the sessions its attendance spans.
    pub protocol: Option<String>,
    /// Sessions of chats carrying any of these tags.
    pub tags: Vec<TagId>,
    pub field: Option<FieldFilter>,
    /// The channel the conversation happened on (`whatsapp`, `widget`, …).
    pub channel: Option<String>,
    pub inbox: Option<InboxId>,
    pub contact: Option<ContactQuery>,
}

/// A session as the report lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChatSession {
    pub id: Uuid,
    pub conversation_id: ConversationId,
    pub inbox_id: InboxId,
    pub inbox_name: String,
    pub channel: String,
    pub contact_id: ContactId,
    /// The phone and name captured when the session opened.
    pub phone: Option<String>,
    pub name: String,
    pub started_at: Millis,
    /// When the chat's next session opened; none for the latest.
    pub until_at: Option<Millis>,
    /// Whether an attendance (a person) took part.
    pub handed_over: bool,
    /// Messages in the session, of everyone.
    pub messages: i64,
}

/// Protocols and tags of a page of sessions, for display and export.
#[derive(Debug, Clone, Default)]
pub struct ChatSessionDetails {
    /// ChatSession id → protocols of the attendances it spans, oldest first.
    pub protocols: HashMap<Uuid, Vec<String>>,
    /// Conversation → tag names, by name.
    pub tags: HashMap<ConversationId, Vec<String>>,
}

/// A message of a session, as the report's conversation view shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChatSessionMessage {
    pub id: Uuid,
    pub direction: String,
    pub author_kind: String,
    pub author_name: Option<String>,
    pub internal: bool,
    pub kind: String,
    pub text: Option<String>,
    pub payload: Json<Value>,
    pub created_at: Millis,
    /// The message's stored media file, if any.
    pub media_id: Option<Uuid>,
    pub media_filename: Option<String>,
}

/// The expression `expr` (text or NULL) compared by `op`, with its
/// parameter pushed: TRUE or FALSE, never NULL (a missing value does not
/// contain anything), so that its negation holds for it. The positive
/// form: `NotContains` and `NotEquals` negate the whole filter (see
/// `field_condition`).
fn compare(expr: &str, op: FieldOp, value: &str, args: &mut Vec<Arg>) -> String {
    match op {
        FieldOp::Contains | FieldOp::NotContains => {
            let like = format!("%{}%", value.to_lowercase().replace(['%', '_'], ""));
            format!(
                "COALESCE(LOWER({expr}) LIKE {}, FALSE)",
                push(args, Arg::Text(like))
            )
        }
        FieldOp::Equals | FieldOp::NotEquals => format!(
            "COALESCE(LOWER({expr}) = {}, FALSE)",
            push(args, Arg::Text(value.to_lowercase()))
        ),
        FieldOp::Exists => format!("({expr} IS NOT NULL AND {expr} <> '')"),
    }
}

/// The session has the information: on its contact, on an attendance it
/// spans, or in a flow run it saw; negated for "does not contain" and "not
/// equal" (so a session without the information passes those).
fn field_condition(f: &FieldFilter, args: &mut Vec<Arg>) -> String {
    let key = push(args, Arg::Text(f.key.clone()));
    let on_contact = compare(
        &format!("CAST(k.custom ->> {key} AS TEXT)"),
        f.op,
        &f.value,
        args,
    );
    let on_attendance = compare(
        &format!("CAST(a.custom ->> {key} AS TEXT)"),
        f.op,
        &f.value,
        args,
    );
    let on_run = compare(
        &format!("CAST(r.state -> 'fields' ->> {key} AS TEXT)"),
        f.op,
        &f.value,
        args,
    );
    let has = format!(
        "({on_contact} \
         OR EXISTS (SELECT 1 FROM attendances a WHERE a.conversation_id = s.conversation_id \
            AND a.opened_at < {OPEN_END} AND COALESCE(a.closed_at, 9223372036854775807) >= s.started_at \
            AND {on_attendance}) \
         OR EXISTS (SELECT 1 FROM flow_runs r WHERE r.conversation_id = s.conversation_id \
            AND r.started_at < {OPEN_END} AND COALESCE(r.finished_at, 9223372036854775807) >= s.started_at \
            AND {on_run}))"
    );
    match f.op {
        FieldOp::NotContains | FieldOp::NotEquals => format!("NOT {has}"),
        _ => has,
    }
}

impl ChatSessionFilter {
    /// The `WHERE` conditions over `chat_sessions s`, `contacts k` and
    /// `inboxes i`, their parameters after the organization (`$1`).
    fn conditions(&self, backend: Backend, args: &mut Vec<Arg>) -> Vec<String> {
        // A protocol names one chat, a contact a few: their sessions are
        // read by the chat's or the contact's index, which the
        // organization's (ordered by time, so preferred by SQLite without
        // statistics) would otherwise displace.
        let org = if self.protocol.is_some() || self.contact.is_some() {
            org_eq(backend, "s.org_id", 1)
        } else {
            "s.org_id = $1".to_string()
        };
        let mut wh = vec![org];
        if let Some((from, to)) = self.period {
            let f = push(args, Arg::Int(from));
            let t = push(args, Arg::Int(to));
            wh.push(format!("s.started_at >= {f} AND s.started_at <= {t}"));
        }
        if let Some(id) = self.session {
            wh.push(format!("s.id = {}", push(args, Arg::Id(id))));
        }
        if let Some(p) = &self.protocol {
            let p = push(args, Arg::Text(p.clone()));
            // The attendance's chat first (by the protocol's index), then
            // its sessions that the attendance spans.
            wh.push(format!(
                "s.conversation_id IN (SELECT a.conversation_id FROM attendances a \
                 WHERE a.org_id = $1 AND a.protocol = {p}) \
                 AND EXISTS (SELECT 1 FROM attendances a WHERE a.org_id = $1 AND a.protocol = {p} \
                 AND a.conversation_id = s.conversation_id AND a.opened_at < {OPEN_END} \
                 AND COALESCE(a.closed_at, 9223372036854775807) >= s.started_at)"
            ));
        }
        if let Some(q) = &self.contact {
            let cond = q.condition("kq", args);
            wh.push(format!(
                "s.contact_id IN (SELECT kq.id FROM contacts kq WHERE kq.org_id = $1 AND {cond})"
            ));
        }
        // The cheap conditions before the ones that probe other tables.
        if let Some(ch) = &self.channel {
            let ch = push(args, Arg::Text(ch.clone()));
            wh.push(format!(
                "s.inbox_id IN (SELECT ic.id FROM inboxes ic WHERE ic.org_id = $1 AND ic.channel = {ch})"
            ));
        }
        if let Some(inbox) = self.inbox {
            wh.push(format!("s.inbox_id = {}", push(args, Arg::Id(inbox.0))));
        }
        if !self.tags.is_empty() {
            let list = self
                .tags
                .iter()
                .map(|t| push(args, Arg::Id(t.0)))
                .collect::<Vec<_>>()
                .join(", ");
            // The tagged chats as a list (by the tag's index), checked as
            // each session is read: an `EXISTS` here becomes, in SQLite
            // 3.51, a semi-join run after the costly conditions.
            wh.push(format!(
                "s.conversation_id IN (SELECT ct.conversation_id FROM conversation_tags ct \
                 WHERE ct.tag_id IN ({list}))"
            ));
        }
        if let Some(f) = &self.field {
            wh.push(field_condition(f, args));
        }
        wh
    }
}

impl Store {
    /// A page of sessions matching `filter`, newest first, and the cursor of
    /// the next page (`limit` 1–1,000).
    pub async fn chat_sessions(
        &self,
        org: OrgId,
        filter: &ChatSessionFilter,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<(Vec<ChatSession>, Option<String>)> {
        let mut args = vec![Arg::Id(org.0)];
        let mut wh = filter.conditions(self.backend(), &mut args);
        if let Some(cur) = cursor {
            let (k, id) = parse_cursor(cur)?;
            let pk = push(&mut args, Arg::Int(k));
            let pi = push(&mut args, Arg::Id(id));
            wh.push(format!("(s.started_at, s.id) < ({pk}, {pi})"));
        }
        let limit = limit.clamp(1, 1_000);
        let pl = push(&mut args, Arg::Int(limit + 1));
        let sql = format!(
            "SELECT s.id, s.conversation_id, s.inbox_id, i.name AS inbox_name, i.channel, s.contact_id, \
             s.phone, s.name, s.started_at, s.until_at, \
             EXISTS (SELECT 1 FROM attendances a WHERE a.conversation_id = s.conversation_id \
                AND a.opened_at < {OPEN_END} AND COALESCE(a.closed_at, 9223372036854775807) >= s.started_at) AS handed_over, \
             (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = s.conversation_id \
                AND m.created_at >= s.started_at AND m.created_at < {OPEN_END}) AS messages \
             FROM chat_sessions s JOIN inboxes i ON i.id = s.inbox_id JOIN contacts k ON k.id = s.contact_id \
             WHERE {} ORDER BY s.started_at DESC, s.id DESC LIMIT {pl}",
            wh.join(" AND ")
        );
        let mut rows: Vec<ChatSession> = with_pool!(self, p => {
            let q = sqlx::query_as::<_, ChatSession>(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(q, &args).fetch_all(p).await?
        });
        let next = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|r| format!("{}_{}", r.started_at, r.id))
        } else {
            None
        };
        Ok((rows, next))
    }

    /// One session of the organization.
    pub async fn chat_session(&self, org: OrgId, id: Uuid) -> Result<ChatSession> {
        let filter = ChatSessionFilter {
            session: Some(id),
            ..ChatSessionFilter::default()
        };
        let (mut rows, _) = self.chat_sessions(org, &filter, None, 1).await?;
        rows.pop().ok_or(StoreError::NotFound)
    }

    /// The protocols each session spans and the tags of their chats.
    pub async fn chat_session_details(
        &self,
        org: OrgId,
        sessions: &[ChatSession],
    ) -> Result<ChatSessionDetails> {
        let mut out = ChatSessionDetails::default();
        if sessions.is_empty() {
            return Ok(out);
        }
        let mut args = vec![Arg::Id(org.0)];
        let list = sessions
            .iter()
            .map(|s| push(&mut args, Arg::Id(s.conversation_id.0)))
            .collect::<Vec<_>>()
            .join(", ");
        // By the chats' index: the organization's (by protocol) would be
        // SQLite's choice without statistics.
        let org = org_eq(self.backend(), "a.org_id", 1);
        let sql = format!(
            "SELECT a.conversation_id, a.protocol, a.opened_at, a.closed_at FROM attendances a \
             WHERE {org} AND a.conversation_id IN ({list}) ORDER BY a.opened_at, a.protocol"
        );
        let attendances: Vec<(ConversationId, String, Millis, Option<Millis>)> = with_pool!(self, p => {
            let q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(q, &args).fetch_all(p).await?
        });
        for s in sessions {
            let end = s.until_at.unwrap_or(Millis::MAX);
            let spanned = attendances
                .iter()
                .filter(|(c, _, opened, closed)| {
                    *c == s.conversation_id
                        && *opened < end
                        && closed.unwrap_or(Millis::MAX) >= s.started_at
                })
                .map(|(_, p, _, _)| p.clone())
                .collect();
            out.protocols.insert(s.id, spanned);
        }
        let sql = format!(
            "SELECT ct.conversation_id, t.name FROM conversation_tags ct JOIN tags t ON t.id = ct.tag_id \
             WHERE ct.org_id = $1 AND ct.conversation_id IN ({list}) ORDER BY t.name"
        );
        let tags: Vec<(ConversationId, String)> = with_pool!(self, p => {
            let q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(q, &args).fetch_all(p).await?
        });
        for (c, name) in tags {
            let names = out.tags.entry(c).or_default();
            if !names.contains(&name) {
                names.push(name);
            }
        }
        Ok(out)
    }

    /// A session's messages in time order, after the cursor `<ms>_<id>`
    /// (at most `limit`, 1–1,000), and the next cursor. Internal notes only
    /// when asked.
    pub async fn chat_session_messages(
        &self,
        org: OrgId,
        session: &ChatSession,
        include_internal: bool,
        after: Option<&str>,
        limit: i64,
    ) -> Result<(Vec<ChatSessionMessage>, Option<String>)> {
        let limit = limit.clamp(1, 1_000);
        let (after_at, after_id) = match after {
            Some(c) => parse_cursor(c)?,
            None => (Millis::MIN, Uuid::nil()),
        };
        let sql = "SELECT m.id, m.direction, m.author_kind, u.name AS author_name, m.internal, m.kind, m.text, \
                   m.payload, m.created_at, \
                   (SELECT d.id FROM media d WHERE d.message_id = m.id AND d.status = 'stored' LIMIT 1) AS media_id, \
                   (SELECT d.filename FROM media d WHERE d.message_id = m.id LIMIT 1) AS media_filename \
                   FROM messages m LEFT JOIN users u ON u.id = m.author_id \
                   WHERE m.org_id = $1 AND m.conversation_id = $2 AND m.created_at >= $3 AND m.created_at < $4 \
                   AND (m.internal = FALSE OR $5 OR m.author_kind = 'system') \
                   AND (m.created_at, m.id) > ($6, $7) ORDER BY m.created_at, m.id LIMIT $8";
        let end = session.until_at.unwrap_or(Millis::MAX);
        let mut rows: Vec<ChatSessionMessage> = with_pool!(self, p => sqlx::query_as::<_, ChatSessionMessage>(sql)
            .bind(org).bind(session.conversation_id).bind(session.started_at).bind(end)
            .bind(include_internal).bind(after_at).bind(after_id).bind(limit + 1).fetch_all(p).await?);
        let next = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|m| format!("{}_{}", m.created_at, m.id))
        } else {
            None
        };
        Ok((rows, next))
    }
}
