//! Bulk ingest: many inbound messages of known chats in a handful of
//! statements (one lookup, one insert, one update per table), for the
//! webhook intake's group commits.

use std::collections::HashMap;

use atende_domain::{ContactId, ConversationId, DepartmentId, InboxId, MessageId, OrgId, UserId};
use serde_json::json;
use sqlx::types::Json;

use crate::chats::{Message, NewMessage};
use crate::events::ChatScope;
use crate::{NewEvent, Result, Tx, now_ms, with_tx};

/// What a lookup of an external id found.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KnownChat {
    pub external_id: String,
    pub contact_id: ContactId,
    pub contact_name: String,
    pub conversation_id: Option<ConversationId>,
    pub attendance_open: Option<bool>,
}

/// Rows per statement: keeps every statement under SQLite's bound-parameter
/// limit.
const CHUNK: usize = 200;

fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Tx {
    /// Contacts (and their conversation on the inbox) of several external ids.
    pub async fn known_chats(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        keys: &[String],
    ) -> Result<HashMap<String, KnownChat>> {
        let mut out = HashMap::new();
        for chunk in keys.chunks(CHUNK) {
            let sql = format!(
                "SELECT i.external_id, c.id AS contact_id, c.name AS contact_name, v.id AS conversation_id, \
                 (v.attendance_id IS NOT NULL) AS attendance_open \
                 FROM contact_identities i JOIN contacts c ON c.id = i.contact_id \
                 LEFT JOIN conversations v ON v.contact_id = c.id AND v.inbox_id = i.inbox_id \
                 WHERE i.org_id = $1 AND i.inbox_id = $2 AND i.external_id IN ({})",
                placeholders(3, chunk.len())
            );
            let rows = with_tx!(self, c => {
                let mut q = sqlx::query_as::<_, KnownChat>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(inbox);
                for k in chunk {
                    q = q.bind(k.as_str());
                }
                q.fetch_all(c).await?
            });
            out.extend(rows.into_iter().map(|r| (r.external_id.clone(), r)));
        }
        Ok(out)
    }

    /// Appends inbound messages to existing conversations in bulk. Messages
    /// whose provider id is already stored are skipped (duplicates). Updates
    /// each conversation (last message, unread, session window), the
    /// contacts' last interaction, cancels scheduled closings a reply
    /// cancels (LC-11), and emits `message.created` for each new message.
    pub async fn insert_inbound_bulk(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        rows: Vec<(ContactId, NewMessage)>,
    ) -> Result<Vec<Message>> {
        let now = now_ms();
        let mut inserted: Vec<(ContactId, Message, i64)> = Vec::new();
        for chunk in rows.chunks(CHUNK) {
            let mut values = Vec::with_capacity(chunk.len());
            for r in 0..chunk.len() {
                let b = 3 + r * 8;
                values.push(format!(
                    "(${b}, $1, ${}, $2, 'in', ${}, FALSE, ${}, ${}, ${}, ${}, ${}, {now})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7
                ));
            }
            let sql = format!(
                "INSERT INTO messages (id, org_id, conversation_id, inbox_id, direction, author_kind, internal, kind, text, payload, \
                 status, provider_id, created_at) VALUES {} ON CONFLICT DO NOTHING RETURNING id",
                values.join(", ")
            );
            let msgs: Vec<(ContactId, Message, i64)> = chunk
                .iter()
                .map(|(contact, m)| {
                    let msg = Message {
                        id: MessageId::new(),
                        org_id: org,
                        conversation_id: m.conversation_id,
                        inbox_id: inbox,
                        direction: "in".into(),
                        author_kind: m.author_kind.as_str().into(),
                        author_id: None,
                        internal: false,
                        kind: m.kind.as_str().into(),
                        text: m.text.clone(),
                        payload: Json(m.payload.clone()),
                        status: m.status.as_str().into(),
                        provider_id: m.provider_id.clone(),
                        error_code: None,
                        error_text: None,
                        client_key: None,
                        created_at: now,
                    };
                    (*contact, msg, m.provider_at.unwrap_or(now))
                })
                .collect();
            let ids: Vec<MessageId> = with_tx!(self, c => {
                let mut q = sqlx::query_scalar::<_, MessageId>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(inbox);
                for (_, m, _) in &msgs {
                    q = q.bind(m.id).bind(m.conversation_id).bind(m.author_kind.as_str()).bind(m.kind.as_str())
                        .bind(m.text.as_deref()).bind(&m.payload).bind(m.status.as_str()).bind(m.provider_id.as_deref());
                }
                q.fetch_all(c).await?
            });
            let fresh: std::collections::HashSet<MessageId> = ids.into_iter().collect();
            inserted.extend(msgs.into_iter().filter(|(_, m, _)| fresh.contains(&m.id)));
        }
        if inserted.is_empty() {
            return Ok(Vec::new());
        }
        // One update per table for the whole batch.
        let mut per_conv: HashMap<ConversationId, (i64, i64)> = HashMap::new();
        for (_, m, at) in &inserted {
            let e = per_conv.entry(m.conversation_id).or_insert((0, i64::MIN));
            e.0 += 1;
            e.1 = e.1.max(*at);
        }
        let convs: Vec<(ConversationId, i64, i64)> = per_conv
            .into_iter()
            .map(|(k, (n, at))| (k, n, at))
            .collect();
        let mut scopes: HashMap<ConversationId, ChatScope> = HashMap::new();
        for chunk in convs.chunks(CHUNK) {
            let values = (0..chunk.len())
                .map(|r| format!("(${}, ${}, ${})", 2 + r * 3, 3 + r * 3, 4 + r * 3))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "WITH v(id, n, at) AS (VALUES {values}) \
                 UPDATE conversations SET last_message_at = {now}, \
                 unread = unread + (SELECT n FROM v WHERE v.id = conversations.id), \
                 last_inbound_at = CASE WHEN last_inbound_at IS NULL OR last_inbound_at < (SELECT at FROM v WHERE v.id = conversations.id) \
                 THEN (SELECT at FROM v WHERE v.id = conversations.id) ELSE last_inbound_at END \
                 WHERE org_id = $1 AND id IN (SELECT id FROM v) \
                 RETURNING id, (attendance_id IS NOT NULL), department_id, agent_id"
            );
            let rows: Vec<(ConversationId, bool, Option<DepartmentId>, Option<UserId>)> = with_tx!(self, c => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(org);
                for (id, n, at) in chunk {
                    q = q.bind(*id).bind(*n).bind(*at);
                }
                q.fetch_all(c).await?
            });
            for (id, open, d, a) in rows {
                scopes.insert(
                    id,
                    ChatScope {
                        conversation_id: id,
                        attendance_open: open,
                        department_id: d,
                        agent_id: a,
                    },
                );
            }
        }
        let contacts: Vec<ContactId> = {
            let mut v: Vec<ContactId> = inserted.iter().map(|(c, _, _)| *c).collect();
            v.sort();
            v.dedup();
            v
        };
        for chunk in contacts.chunks(CHUNK) {
            let sql = format!(
                "UPDATE contacts SET last_interaction_at = {now} WHERE org_id = $1 AND id IN ({})",
                placeholders(2, chunk.len())
            );
            with_tx!(self, c => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(org);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.execute(c).await?.rows_affected()
            });
        }
        let conv_ids: Vec<ConversationId> = convs.iter().map(|c| c.0).collect();
        for chunk in conv_ids.chunks(CHUNK) {
            let sql = format!(
                "UPDATE attendances SET close_at = NULL WHERE org_id = $1 AND close_at IS NOT NULL AND NOT close_keep_on_reply \
                 AND id IN (SELECT attendance_id FROM conversations WHERE id IN ({}))",
                placeholders(2, chunk.len())
            );
            with_tx!(self, c => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(org);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.execute(c).await?.rows_affected()
            });
        }
        let mut out = Vec::with_capacity(inserted.len());
        for (_, m, _) in inserted {
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
