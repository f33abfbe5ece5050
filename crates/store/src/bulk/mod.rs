//! Bulk ingest: many inbound messages of known chats in a handful of
//! statements (one lookup, one insert, one update per table), for the
//! webhook intake's group commits.

mod open;

pub use open::NewChat;

use std::collections::{HashMap, HashSet};

use atende_domain::{
    AttendanceId, ContactId, ConversationId, DepartmentId, InboxId, MessageId, OrgId, UserId,
};
use serde::Serialize;
use serde_json::json;
use sqlx::types::Json;

use crate::chats::{Message, NewMessage};
use crate::events::ChatScope;
use crate::rows::{Col, json_rows, lookup_each, org_eq};
use crate::{NewEvent, Result, Tx, now_ms, with_tx};

/// What a lookup of an external id found.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KnownChat {
    pub external_id: String,
    pub contact_id: ContactId,
    pub contact_name: String,
    pub conversation_id: Option<ConversationId>,
    pub attendance_open: Option<bool>,
    /// CT-4: a blocked contact's messages are not taken in.
    pub blocked: bool,
}

#[derive(Serialize)]
struct KeyRow<'a> {
    key: &'a str,
}

#[derive(Serialize)]
struct MessageRow<'a> {
    id: MessageId,
    conversation_id: ConversationId,
    author_kind: &'a str,
    kind: &'a str,
    text: Option<&'a str>,
    payload: &'a serde_json::Value,
    status: &'a str,
    provider_id: Option<&'a str>,
}

#[derive(Serialize)]
struct ConversationRow {
    id: ConversationId,
    n: i64,
    at: i64,
}

#[derive(Serialize)]
struct IdRow<T> {
    id: T,
}

impl Tx {
    /// Contacts (and their conversation on the inbox) of several external ids.
    pub async fn known_chats(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        keys: &[String],
    ) -> Result<HashMap<String, KnownChat>> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT i.external_id, c.id AS contact_id, c.name AS contact_name, v.id AS conversation_id, \
             (v.attendance_id IS NOT NULL) AS attendance_open, c.blocked \
             FROM {} \
             JOIN contacts c ON c.id = i.contact_id \
             LEFT JOIN conversations v ON v.contact_id = c.id AND v.inbox_id = i.inbox_id",
            lookup_each(
                self.backend,
                &json_rows(self.backend, 3, "k", &[("key", Col::Text)]),
                "contact_identities",
                "i",
                "i.inbox_id = $2 AND i.external_id = k.key AND i.org_id = $1"
            )
        );
        let keys: Vec<KeyRow> = keys.iter().map(|k| KeyRow { key: k }).collect();
        let rows = with_tx!(self, c => {
            sqlx::query_as::<_, KnownChat>(sqlx::AssertSqlSafe(sql))
                .bind(org).bind(inbox).bind(Json(&keys))
                .fetch_all(c).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| (r.external_id.clone(), r))
            .collect())
    }

    /// Which of `ids` are provider ids of messages already stored on `inbox`.
    pub async fn stored_provider_ids(
        &mut self,
        inbox: InboxId,
        ids: &[String],
    ) -> Result<HashSet<String>> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let sql = format!(
            "SELECT m.provider_id FROM {}",
            lookup_each(
                self.backend,
                &json_rows(self.backend, 2, "k", &[("key", Col::Text)]),
                "messages",
                "m",
                "m.inbox_id = $1 AND m.provider_id = k.key"
            )
        );
        let keys: Vec<KeyRow> = ids.iter().map(|k| KeyRow { key: k }).collect();
        let found: Vec<String> = with_tx!(self, c => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(inbox).bind(Json(&keys)).fetch_all(c).await?
        });
        Ok(found.into_iter().collect())
    }

    /// Appends inbound messages to existing conversations in bulk. Messages
    /// whose provider id is already stored are skipped (duplicates). Updates
    /// each conversation (last message, unread, session window; a contact's
    /// last interaction is read from there), cancels scheduled closings a
    /// reply cancels (LC-11), and emits `message.created` for each new
    /// message.
    pub async fn insert_inbound_bulk(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        rows: Vec<NewMessage>,
    ) -> Result<Vec<Message>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let now = now_ms();
        let msgs: Vec<(Message, i64)> = rows
            .into_iter()
            .map(|m| {
                let at = m.provider_at.unwrap_or(now);
                (Message::from_new(m, None, now), at)
            })
            .collect();
        let sql = format!(
            "INSERT INTO messages (id, org_id, conversation_id, inbox_id, direction, author_kind, internal, kind, text, payload, \
             status, provider_id, created_at) \
             SELECT m.id, $1, m.conversation_id, $2, 'in', m.author_kind, FALSE, m.kind, m.text, m.payload, m.status, m.provider_id, $3 \
             FROM {} WHERE TRUE ON CONFLICT DO NOTHING",
            json_rows(
                self.backend,
                4,
                "m",
                &[
                    ("id", Col::Uuid),
                    ("conversation_id", Col::Uuid),
                    ("author_kind", Col::Text),
                    ("kind", Col::Text),
                    ("text", Col::Text),
                    ("payload", Col::Json),
                    ("status", Col::Text),
                    ("provider_id", Col::Text),
                ]
            )
        );
        let params: Vec<MessageRow> = msgs
            .iter()
            .map(|(m, _)| MessageRow {
                id: m.id,
                conversation_id: m.conversation_id,
                author_kind: &m.author_kind,
                kind: &m.kind,
                text: m.text.as_deref(),
                payload: &m.payload.0,
                status: &m.status,
                provider_id: m.provider_id.as_deref(),
            })
            .collect();
        let n = with_tx!(self, c => {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(org).bind(inbox).bind(now).bind(Json(&params))
                .execute(c).await?.rows_affected()
        });
        drop(params);
        // Usually every row is new; otherwise find which ones were (the
        // rest were duplicates of stored messages).
        let inserted: Vec<(Message, i64)> = if n == msgs.len() as u64 {
            msgs
        } else {
            let ids: Vec<IdRow<MessageId>> = msgs.iter().map(|(m, _)| IdRow { id: m.id }).collect();
            let sql = format!(
                "SELECT m.id FROM {}",
                lookup_each(
                    self.backend,
                    &json_rows(self.backend, 1, "k", &[("id", Col::Uuid)]),
                    "messages",
                    "m",
                    "m.id = k.id"
                )
            );
            let found: Vec<MessageId> = with_tx!(self, c => {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(Json(&ids)).fetch_all(c).await?
            });
            let fresh: HashSet<MessageId> = found.into_iter().collect();
            msgs.into_iter()
                .filter(|(m, _)| fresh.contains(&m.id))
                .collect()
        };
        if inserted.is_empty() {
            return Ok(Vec::new());
        }
        // One update per table for the whole batch.
        let mut per_conv: HashMap<ConversationId, (i64, i64)> = HashMap::new();
        for (m, at) in &inserted {
            let e = per_conv.entry(m.conversation_id).or_insert((0, i64::MIN));
            e.0 += 1;
            e.1 = e.1.max(*at);
        }
        let convs: Vec<ConversationRow> = per_conv
            .into_iter()
            .map(|(id, (n, at))| ConversationRow { id, n, at })
            .collect();
        let sql = format!(
            "UPDATE conversations SET last_message_at = $2, unread = unread + v.n, \
             last_inbound_at = CASE WHEN last_inbound_at IS NULL OR last_inbound_at < v.at THEN v.at ELSE last_inbound_at END \
             FROM {} WHERE {} AND conversations.id = v.id \
             RETURNING conversations.id, (conversations.attendance_id IS NOT NULL), conversations.department_id, conversations.agent_id, \
             (SELECT a.id FROM attendances a WHERE a.id = conversations.attendance_id AND a.close_at IS NOT NULL \
              AND NOT a.close_keep_on_reply) AS cancel_closing",
            json_rows(
                self.backend,
                3,
                "v",
                &[("id", Col::Uuid), ("n", Col::BigInt), ("at", Col::BigInt)]
            ),
            org_eq(self.backend, "conversations.org_id", 1)
        );
        type Scoped = (
            ConversationId,
            bool,
            Option<DepartmentId>,
            Option<UserId>,
            Option<AttendanceId>,
        );
        let scoped: Vec<Scoped> = with_tx!(self, c => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org).bind(now).bind(Json(&convs)).fetch_all(c).await?
        });
        // A reply cancels a scheduled closing unless it was set to stay
        // (LC-11); the update above said which attendances have one.
        let cancel: Vec<IdRow<AttendanceId>> = scoped
            .iter()
            .filter_map(|s| s.4.map(|id| IdRow { id }))
            .collect();
        if !cancel.is_empty() {
            let sql = format!(
                "UPDATE attendances SET close_at = NULL WHERE {} AND id IN (SELECT a.id FROM {})",
                org_eq(self.backend, "org_id", 1),
                json_rows(self.backend, 2, "a", &[("id", Col::Uuid)])
            );
            with_tx!(self, c => {
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(Json(&cancel)).execute(c).await?.rows_affected()
            });
        }
        let scopes: HashMap<ConversationId, ChatScope> = scoped
            .into_iter()
            .map(|(id, open, d, a, _)| {
                (
                    id,
                    ChatScope {
                        conversation_id: id,
                        attendance_open: open,
                        department_id: d,
                        agent_id: a,
                    },
                )
            })
            .collect();
        let mut out = Vec::with_capacity(inserted.len());
        for (m, _) in inserted {
            let scope = scopes.get(&m.conversation_id).copied();
            self.emit(NewEvent {
                org_id: org,
                kind: "message.created",
                chat: scope,
                payload: json!({"message": m.event_json()}),
            });
            out.push(m);
        }
        Ok(out)
    }
}
