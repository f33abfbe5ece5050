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
use sqlx::types::Json;

use crate::chats::{Message, NewMessage};
use crate::events::ChatScope;
use crate::events::{ChatEvent, MessageCreated};
use crate::lane::{quote, uuid_literal};
use crate::rows::{Col, json_rows, lookup_each, org_eq};
use crate::tx::TxConn;
use crate::{NewEvent, Result, Tx, now_ms, with_tx};
use sqlx::{FromRow, Row};

/// What a lookup of an external id found.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KnownChat {
    pub external_id: String,
    pub contact_id: ContactId,
    pub contact_name: String,
    /// A person named the contact (CT-1): the profile name does not rename it.
    pub name_edited: bool,
    pub conversation_id: Option<ConversationId>,
    pub attendance_open: Option<bool>,
    /// CT-4: a blocked contact's messages are not taken in.
    pub blocked: bool,
    /// A bot flow runs on the chat: its messages go to the flow (FL-2).
    pub flow_running: bool,
    /// The chat's agent left an absence message on the inbox (LC-19): its
    /// messages take the one-by-one path, which answers with it.
    pub absent: bool,
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

/// A message of a bulk insert, for counting what the insert stored.
#[derive(Serialize)]
struct KeyAtRow {
    id: MessageId,
    conversation_id: ConversationId,
    /// When the contact sent it (the provider's time), for the window.
    at: i64,
}

#[derive(Serialize)]
struct IdRow<T> {
    id: T,
}

/// The name of the known-chats lookup prepared on a writer lane.
const KNOWN_CHATS: &str = "atende_known_chats";

/// The known-chats lookup: the contact, name, block and conversation (with
/// whether its attendance is open) of each external id of a JSON key set
/// (`$3`) on inbox `$2` of organization `$1`.
fn known_chats_sql(backend: crate::Backend) -> String {
    // The conversations are locked until the batch commits: a closing
    // that committed first is seen (the locked row is read again), one
    // that comes later waits; otherwise a message could be appended to
    // a chat just closed, unseen, instead of opening a new attendance.
    // The keys come sorted, so concurrent batches lock in one order.
    // SQLite's writer runs one transaction at a time: no lock needed.
    let conversation = match backend {
        crate::Backend::Postgres => {
            "LEFT JOIN LATERAL (SELECT v.id, v.attendance_id, v.agent_id, v.flow_running FROM conversations v \
             WHERE v.contact_id = c.id AND v.inbox_id = i.inbox_id FOR NO KEY UPDATE) AS v ON TRUE"
        }
        crate::Backend::Sqlite => {
            "LEFT JOIN conversations v ON v.contact_id = c.id AND v.inbox_id = i.inbox_id"
        }
    };
    format!(
        "SELECT i.external_id, c.id AS contact_id, c.name AS contact_name, c.name_edited, v.id AS conversation_id, \
         (v.attendance_id IS NOT NULL) AS attendance_open, c.blocked, \
         COALESCE(v.flow_running, FALSE) AS flow_running, \
         EXISTS (SELECT 1 FROM absences ab WHERE ab.user_id = v.agent_id AND ab.inbox_id = i.inbox_id) AS absent \
         FROM {} \
         JOIN contacts c ON c.id = i.contact_id {conversation}",
        lookup_each(
            backend,
            &json_rows(backend, 3, "k", &[("key", Col::Text)]),
            "contact_identities",
            "i",
            "i.inbox_id = $2 AND i.external_id = k.key AND i.org_id = $1"
        )
    )
}

/// Prepares the known-chats lookup on a writer lane's connection.
pub(crate) fn prepare_known_chats() -> String {
    format!(
        "PREPARE {KNOWN_CHATS} (uuid, uuid, jsonb) AS {}",
        known_chats_sql(crate::Backend::Postgres)
    )
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
        let keys: Vec<KeyRow> = keys.iter().map(|k| KeyRow { key: k }).collect();
        // Usually the batch's first statement: it opens the transaction.
        let rows = if self.on_a_lane() {
            // A writer lane runs the statement it prepared, as a simple
            // query that carries its `BEGIN`.
            let keys = serde_json::to_string(&keys)
                .map_err(|e| crate::StoreError::Invalid(format!("chat keys: {e}")))?;
            let sql = format!(
                "{}EXECUTE {KNOWN_CHATS}({}, {}, {})",
                self.simple_begin_prefix(),
                uuid_literal(Some(org)),
                uuid_literal(Some(inbox)),
                quote(&keys)
            );
            with_tx!(self, c => {
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).fetch_all(c).await?
                    .iter().map(KnownChat::from_row).collect::<std::result::Result<Vec<_>, _>>()?
            })
        } else {
            let sql = format!("{}{}", self.begin_prefix(), known_chats_sql(self.backend));
            with_tx!(self, c => {
                sqlx::query_as::<_, KnownChat>(sqlx::AssertSqlSafe(sql))
                    .bind(org).bind(inbox).bind(Json(&keys))
                    .fetch_all(c).await?
            })
        };
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
    /// each chat's activity (last message, unread, session window, in
    /// `chat_activity`; a contact's last interaction is read from there),
    /// cancels scheduled closings a
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
        // The insert and the conversations' update go in one round trip:
        // the update counts, per conversation, the batch's messages that the
        // insert stored (a duplicate of a stored provider id is skipped),
        // and returns those counts, so a short total says duplicates were
        // skipped. PostgreSQL takes the inserted ids from a data-modifying
        // `WITH`; SQLite runs the statements of one query text in order
        // (insert, its count, update) and finds them by primary key.
        // PostgreSQL takes the rows as one array per column (binary, no
        // JSON document to parse and take apart), SQLite as a JSON array.
        let message_rows = match self.backend {
            crate::Backend::Postgres => {
                "unnest($4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[], \
                 $9::jsonb[], $10::text[], $11::text[]) \
                 AS m(id, conversation_id, author_kind, kind, text, payload, status, provider_id)"
                    .to_string()
            }
            crate::Backend::Sqlite => json_rows(
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
                ],
            ),
        };
        let insert = format!(
            "INSERT INTO messages (id, org_id, conversation_id, inbox_id, direction, author_kind, internal, kind, text, payload, \
             status, provider_id, created_at) \
             SELECT m.id, $1, m.conversation_id, $2, 'in', m.author_kind, FALSE, m.kind, m.text, m.payload, m.status, m.provider_id, $3 \
             FROM {message_rows} WHERE TRUE ON CONFLICT DO NOTHING"
        );
        let key_rows = match self.backend {
            crate::Backend::Postgres => {
                "unnest($4::uuid[], $5::uuid[], $12::bigint[]) AS k(id, conversation_id, at)"
                    .to_string()
            }
            crate::Backend::Sqlite => json_rows(
                self.backend,
                5,
                "k",
                &[
                    ("id", Col::Uuid),
                    ("conversation_id", Col::Uuid),
                    ("at", Col::BigInt),
                ],
            ),
        };
        // The update's returned scopes (for the events) and whether a
        // scheduled closing to cancel.
        // The update is of the chats' activity (migration 0011); whether the
        // attendance is open and has a closing to cancel is read from the
        // conversation and its attendance (on PostgreSQL, joined to the
        // update; SQLite's `RETURNING` sees only the updated table).
        let returning = "RETURNING chat_activity.conversation_id, \
             (SELECT c.attendance_id IS NOT NULL FROM conversations c WHERE c.id = chat_activity.conversation_id), \
             chat_activity.department_id, chat_activity.agent_id, \
             (SELECT a.id FROM conversations c JOIN attendances a ON a.id = c.attendance_id \
              WHERE c.id = chat_activity.conversation_id AND a.close_at IS NOT NULL \
              AND NOT a.close_keep_on_reply) AS cancel_closing";
        let org_filter = org_eq(self.backend, "chat_activity.org_id", 1);
        let set = "SET last_message_at = $3, unread = unread + v.n, \
             last_inbound_at = CASE WHEN last_inbound_at IS NULL OR last_inbound_at < v.at THEN v.at ELSE last_inbound_at END, \
             awaiting_since = CASE WHEN awaiting_since IS NULL THEN $3 ELSE awaiting_since END";
        let counted = "SELECT k.conversation_id AS id, count(*) AS n, max(k.at) AS at";
        let sql = match self.backend {
            // The inserted ids come from the insert's `RETURNING`, and the
            // update returns each conversation's count of them too. The
            // activity rows and their conversations are found through
            // `id = ANY(…)`, an index probe each: joined to the counts, the
            // planner (which guesses 100 rows for any row set) hashes them
            // against a scan of the whole table instead.
            crate::Backend::Postgres => format!(
                "WITH ins AS ({insert} RETURNING id), \
                 v AS ({counted} FROM {key_rows} JOIN ins ON ins.id = k.id GROUP BY k.conversation_id) \
                 UPDATE chat_activity {set} FROM v JOIN conversations c ON c.id = v.id \
                 WHERE {org_filter} AND chat_activity.conversation_id = ANY(ARRAY(SELECT id FROM v)) \
                 AND chat_activity.conversation_id = v.id AND c.id = ANY(ARRAY(SELECT id FROM v)) \
                 RETURNING chat_activity.conversation_id, (c.attendance_id IS NOT NULL), \
                 chat_activity.department_id, chat_activity.agent_id, \
                 (SELECT a.id FROM attendances a WHERE a.id = c.attendance_id AND a.close_at IS NOT NULL \
                  AND NOT a.close_keep_on_reply) AS cancel_closing, v.n"
            ),
            // Three statements: the insert, its count of stored rows
            // (`changes()`, as one row before the update's), and the update,
            // which finds the stored messages by their (new) ids.
            crate::Backend::Sqlite => format!(
                "{}{insert}; SELECT changes(); \
                 UPDATE chat_activity {set} \
                 FROM ({counted} FROM {key_rows} CROSS JOIN messages s ON s.id = k.id GROUP BY k.conversation_id) AS v \
                 WHERE {org_filter} AND chat_activity.conversation_id = v.id {returning}",
                self.begin_prefix(),
            ),
        };
        type Scoped = (
            ConversationId,
            bool,
            Option<DepartmentId>,
            Option<UserId>,
            Option<AttendanceId>,
        );
        // Rows: on SQLite the insert's count (one column), then a scope per
        // conversation; on PostgreSQL a scope per conversation with its
        // count of stored messages in a sixth column.
        macro_rules! counted {
            ($rows:expr) => {{
                let mut stored = 0i64;
                let mut scoped: Vec<Scoped> = Vec::with_capacity($rows.len());
                for r in &$rows {
                    match r.len() {
                        1 => stored += r.try_get::<i64, _>(0)?,
                        n => {
                            if n > 5 {
                                stored += r.try_get::<i64, _>(5)?;
                            }
                            scoped.push(FromRow::from_row(r)?);
                        }
                    }
                }
                (scoped, stored)
            }};
        }
        let (scoped, stored) = match self.conn().await? {
            TxConn::Pg(c) => {
                let col = |f: fn(&Message) -> Option<&str>| -> Vec<Option<&str>> {
                    msgs.iter().map(|(m, _)| f(m)).collect()
                };
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(org)
                    .bind(inbox)
                    .bind(now)
                    .bind(msgs.iter().map(|(m, _)| m.id.0).collect::<Vec<_>>())
                    .bind(
                        msgs.iter()
                            .map(|(m, _)| m.conversation_id.0)
                            .collect::<Vec<_>>(),
                    )
                    .bind(col(|m| Some(&m.author_kind)))
                    .bind(col(|m| Some(&m.kind)))
                    .bind(col(|m| m.text.as_deref()))
                    .bind(
                        msgs.iter()
                            .map(|(m, _)| Json(&m.payload.0))
                            .collect::<Vec<_>>(),
                    )
                    .bind(col(|m| Some(&m.status)))
                    .bind(col(|m| m.provider_id.as_deref()))
                    .bind(msgs.iter().map(|(_, at)| *at).collect::<Vec<_>>())
                    .fetch_all(c)
                    .await?;
                counted!(rows)
            }
            TxConn::Sqlite(c) => {
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
                let keys: Vec<KeyAtRow> = msgs
                    .iter()
                    .map(|(m, at)| KeyAtRow {
                        id: m.id,
                        conversation_id: m.conversation_id,
                        at: *at,
                    })
                    .collect();
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(org)
                    .bind(inbox)
                    .bind(now)
                    .bind(Json(&params))
                    .bind(Json(&keys))
                    .fetch_all(c)
                    .await?;
                counted!(rows)
            }
        };
        // Usually every row is new; otherwise find which ones were (the
        // rest were duplicates of stored messages).
        let inserted: Vec<(Message, i64)> = if stored == msgs.len() as i64 {
            msgs
        } else if stored == 0 {
            Vec::new()
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
                chat: scope,
                event: ChatEvent::MessageCreated(MessageCreated {
                    message: m.event_message(),
                }),
            });
            out.push(m);
        }
        Ok(out)
    }
}
