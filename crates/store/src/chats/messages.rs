//! Messages of a conversation.

use atende_domain::{
    AuthorKind, ContentKind, ConversationId, Direction, InboxId, MessageId, OrgId, ReceiptStatus,
    UserId,
};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::types::Json;

use super::Conversation;
use crate::events::{ChatEvent, EventMessage, MessageCreated, MessageUpdated};
use crate::{Millis, NewEvent, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

/// A stored message.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Message {
    pub id: MessageId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub conversation_id: ConversationId,
    pub inbox_id: InboxId,
    pub direction: String,
    pub author_kind: String,
    pub author_id: Option<UserId>,
    pub internal: bool,
    pub kind: String,
    pub text: Option<String>,
    pub payload: Json<Value>,
    pub status: String,
    pub provider_id: Option<String>,
    pub error_code: Option<String>,
    pub error_text: Option<String>,
    #[serde(skip)]
    pub client_key: Option<String>,
    pub created_at: Millis,
}

impl Message {
    /// The row a [`NewMessage`] becomes, with a fresh id, created `now`.
    pub(crate) fn from_new(m: NewMessage, client_key: Option<String>, now: Millis) -> Message {
        Message {
            id: MessageId::new(),
            org_id: m.org_id,
            conversation_id: m.conversation_id,
            inbox_id: m.inbox_id,
            direction: m.direction.as_str().into(),
            author_kind: m.author_kind.as_str().into(),
            author_id: m.author_id,
            internal: m.internal,
            kind: m.kind.as_str().into(),
            text: m.text,
            payload: Json(m.payload),
            status: m.status.as_str().into(),
            provider_id: m.provider_id,
            error_code: None,
            error_text: None,
            client_key,
            created_at: now,
        }
    }

    /// The message as events carry it: everything but the provider's raw
    /// payload (clients that need it read the message).
    pub fn event_message(&self) -> EventMessage {
        let mut payload = serde_json::Map::new();
        if let Some(o) = self.payload.0.as_object() {
            for (k, v) in o.iter().filter(|(k, _)| k.as_str() != "raw") {
                payload.insert(k.clone(), v.clone());
            }
        }
        EventMessage {
            id: self.id,
            conversation_id: self.conversation_id,
            inbox_id: self.inbox_id,
            direction: self.direction.clone(),
            author_kind: self.author_kind.clone(),
            author_id: self.author_id,
            internal: self.internal,
            kind: self.kind.clone(),
            text: self.text.clone(),
            payload,
            status: self.status.clone(),
            provider_id: self.provider_id.clone(),
            error_code: self.error_code.clone(),
            error_text: self.error_text.clone(),
            created_at: self.created_at,
        }
    }
}

/// A message to append to a conversation.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub org_id: OrgId,
    pub conversation_id: ConversationId,
    pub inbox_id: InboxId,
    pub direction: Direction,
    pub author_kind: AuthorKind,
    pub author_id: Option<UserId>,
    pub internal: bool,
    pub kind: ContentKind,
    pub text: Option<String>,
    pub payload: Value,
    pub status: ReceiptStatus,
    pub provider_id: Option<String>,
    /// Provider time of an inbound message (drives the session window).
    pub provider_at: Option<Millis>,
}

impl NewMessage {
    /// A system line (assignment, closing…): internal, never sent.
    pub fn system(conv: &Conversation, text: String) -> NewMessage {
        NewMessage {
            org_id: conv.org_id,
            conversation_id: conv.id,
            inbox_id: conv.inbox_id,
            direction: Direction::Out,
            author_kind: AuthorKind::System,
            author_id: None,
            internal: true,
            kind: ContentKind::Text,
            text: Some(text),
            payload: json!({}),
            status: ReceiptStatus::Read,
            provider_id: None,
            provider_at: None,
        }
    }
}

pub(crate) const MSG_COLS: &str = "id, org_id, conversation_id, inbox_id, direction, author_kind, author_id, internal, kind, \
     text, payload, status, provider_id, error_code, error_text, client_key, created_at";

impl Tx {
    /// Appends a message and updates the conversation (last message time,
    /// unread count, session window). Returns `None` when a message with the
    /// same provider id already exists on the inbox (duplicate webhook).
    pub async fn insert_message(&mut self, m: NewMessage) -> Result<Option<Message>> {
        self.insert_message_keyed(m, None).await
    }

    /// [`Tx::insert_message`] for an API send carrying an idempotency key:
    /// `None` when the conversation already has a message with that key.
    pub async fn insert_message_keyed(
        &mut self,
        m: NewMessage,
        client_key: Option<String>,
    ) -> Result<Option<Message>> {
        let now = now_ms();
        let (direction, provider_at) = (m.direction, m.provider_at);
        let msg = Message::from_new(m, client_key, now);
        let sql = format!(
            "INSERT INTO messages ({MSG_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
             ON CONFLICT DO NOTHING"
        );
        let n = with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(msg.id).bind(msg.org_id).bind(msg.conversation_id)
            .bind(msg.inbox_id).bind(&msg.direction).bind(&msg.author_kind).bind(msg.author_id).bind(msg.internal)
            .bind(&msg.kind).bind(&msg.text).bind(&msg.payload).bind(&msg.status).bind(&msg.provider_id)
            .bind(&msg.error_code).bind(&msg.error_text).bind(&msg.client_key).bind(msg.created_at).execute(c).await?.rows_affected());
        if n == 0 {
            return Ok(None);
        }
        let inbound = direction == Direction::In;
        let sql = "UPDATE chat_activity SET last_message_at = $3, \
                   unread = unread + $4, \
                   last_inbound_at = CASE WHEN $5 AND (last_inbound_at IS NULL OR last_inbound_at < CAST($6 AS BIGINT)) \
                   THEN CAST($6 AS BIGINT) ELSE last_inbound_at END, \
                   awaiting_since = CASE WHEN $5 AND awaiting_since IS NULL THEN CAST($3 AS BIGINT) ELSE awaiting_since END \
                   WHERE org_id = $1 AND conversation_id = $2 \
                   RETURNING (SELECT c.attendance_id IS NOT NULL FROM conversations c WHERE c.id = $2), department_id, agent_id";
        let scope: Option<(bool, Option<atende_domain::DepartmentId>, Option<UserId>)> = with_tx!(self, c => sqlx::query_as(sql)
            .bind(msg.org_id).bind(msg.conversation_id).bind(now).bind(i64::from(inbound))
            .bind(inbound).bind(provider_at.unwrap_or(now)).fetch_optional(c).await?);
        let Some((attendance_open, department_id, agent_id)) = scope else {
            return Err(StoreError::NotFound);
        };
        if inbound {
            // LC-11: a contact's reply cancels a scheduled closing unless it
            // was scheduled to be kept.
            let sql = "UPDATE attendances SET close_at = NULL WHERE org_id = $1 AND close_at IS NOT NULL \
                       AND NOT close_keep_on_reply AND id = (SELECT attendance_id FROM conversations WHERE id = $2)";
            with_tx!(self, c => sqlx::query(sql).bind(msg.org_id).bind(msg.conversation_id).execute(c).await?.rows_affected());
        }
        self.emit(NewEvent {
            org_id: msg.org_id,
            chat: Some(crate::events::ChatScope {
                conversation_id: msg.conversation_id,
                attendance_open,
                department_id,
                agent_id,
            }),
            event: ChatEvent::MessageCreated(MessageCreated {
                message: msg.event_message(),
            }),
        });
        Ok(Some(msg))
    }

    /// A message of the organization, if it exists.
    pub async fn message(&mut self, org: OrgId, id: MessageId) -> Result<Option<Message>> {
        let sql = format!("SELECT {MSG_COLS} FROM messages WHERE org_id = $1 AND id = $2");
        Ok(
            with_tx!(self, c => sqlx::query_as::<_, Message>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(c).await?),
        )
    }

    /// Moves a message's receipt forward (never backwards); `failed` keeps
    /// the provider's code and text. Returns the message when it changed.
    pub async fn update_receipt(
        &mut self,
        org: OrgId,
        id: MessageId,
        next: ReceiptStatus,
        provider_id: Option<&str>,
        error: Option<(&str, &str)>,
    ) -> Result<Option<Message>> {
        let sql = format!("SELECT {MSG_COLS} FROM messages WHERE org_id = $1 AND id = $2");
        let Some(mut msg) = with_tx!(self, c => sqlx::query_as::<_, Message>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(c).await?)
        else {
            return Err(StoreError::NotFound);
        };
        let current: ReceiptStatus = msg
            .status
            .parse()
            .map_err(|e: atende_domain::DomainError| StoreError::Invalid(e.to_string()))?;
        let Some(status) = current.advance(next) else {
            return Ok(None);
        };
        msg.status = status.as_str().into();
        if let Some(p) = provider_id {
            msg.provider_id = Some(p.into());
        }
        if let Some((code, text)) = error {
            msg.error_code = Some(code.into());
            msg.error_text = Some(text.into());
        }
        let sql = "UPDATE messages SET status = $3, provider_id = $4, error_code = $5, error_text = $6 WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).bind(&msg.status).bind(&msg.provider_id)
            .bind(&msg.error_code).bind(&msg.error_text).execute(c).await?.rows_affected());
        let conv = self.conversation(org, msg.conversation_id).await?;
        self.emit(NewEvent {
            org_id: org,
            chat: Some(conv.scope()),
            event: ChatEvent::MessageUpdated(MessageUpdated {
                message_id: id,
                conversation_id: msg.conversation_id,
                status: Some(msg.status.clone()),
                provider_id: msg.provider_id.clone(),
                error_code: msg.error_code.clone(),
                error_text: msg.error_text.clone(),
                text: None,
                payload: None,
            }),
        });
        Ok(Some(msg))
    }
}

impl Store {
    /// The message sent earlier in `conv` with this idempotency key.
    pub async fn message_by_client_key(
        &self,
        org: OrgId,
        conv: ConversationId,
        key: &str,
    ) -> Result<Option<Message>> {
        let sql = format!(
            "SELECT {MSG_COLS} FROM messages WHERE org_id = $1 AND conversation_id = $2 AND client_key = $3"
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Message>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(conv).bind(key).fetch_optional(p).await?),
        )
    }

    /// A page of messages, oldest first. `before` is a message id: only older
    /// messages are returned (for loading history upwards).
    pub async fn messages(
        &self,
        org: OrgId,
        conv: ConversationId,
        before: Option<MessageId>,
        limit: i64,
    ) -> Result<Vec<Message>> {
        // UUIDv7 ids grow with time, so (created_at, id) orders the thread.
        let sql = match before {
            None => format!(
                "SELECT {MSG_COLS} FROM messages WHERE org_id = $1 AND conversation_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3"
            ),
            Some(_) => format!(
                "SELECT {MSG_COLS} FROM messages m WHERE org_id = $1 AND conversation_id = $2 AND \
                 (created_at, id) < (SELECT created_at, id FROM messages WHERE id = $4 AND org_id = $1) \
                 ORDER BY created_at DESC, id DESC LIMIT $3"
            ),
        };
        let mut rows = with_pool!(self, p => {
            let q = sqlx::query_as::<_, Message>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(conv).bind(limit);
            let q = match before { Some(b) => q.bind(b), None => q };
            q.fetch_all(p).await?
        });
        rows.reverse();
        Ok(rows)
    }

    /// Messages of a conversation whose text contains `query`, ignoring
    /// case (Unicode: "AÇÃO" matches "ação"), newest first, at most `limit`
    /// (LC-5's search inside the conversation). The thread is read newest
    /// first and folded here rather than with SQL `LOWER`, which SQLite
    /// (and PostgreSQL under the C locale) applies to ASCII letters only.
    pub async fn search_messages(
        &self,
        org: OrgId,
        conv: ConversationId,
        query: &str,
        limit: i64,
    ) -> Result<Vec<Message>> {
        use futures::TryStreamExt;
        let needle = query.to_lowercase();
        let limit = usize::try_from(limit).unwrap_or(0);
        let sql = format!(
            "SELECT {MSG_COLS} FROM messages WHERE org_id = $1 AND conversation_id = $2 \
             AND text IS NOT NULL ORDER BY created_at DESC, id DESC"
        );
        let mut hits = Vec::new();
        with_pool!(self, p => {
            let mut rows = sqlx::query_as::<_, Message>(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(org).bind(conv).fetch(p);
            while hits.len() < limit {
                let Some(m) = rows.try_next().await? else { break };
                if m.text.as_deref().is_some_and(|t| t.to_lowercase().contains(&needle)) {
                    hits.push(m);
                }
            }
        });
        Ok(hits)
    }

    pub async fn message(&self, org: OrgId, id: MessageId) -> Result<Message> {
        let sql = format!("SELECT {MSG_COLS} FROM messages WHERE org_id = $1 AND id = $2");
        with_pool!(self, p => sqlx::query_as::<_, Message>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    /// The send attempt on record for a queued outbound message: when the
    /// last request whose outcome is not known left, and how many requests
    /// were made in all.
    pub async fn send_attempt(&self, org: OrgId, id: MessageId) -> Result<SendAttempt> {
        let sql =
            "SELECT send_attempted_at, send_tries FROM messages WHERE org_id = $1 AND id = $2";
        let row: Option<(Option<i64>, i32)> =
            with_pool!(self, p => sqlx::query_as(sql).bind(org).bind(id).fetch_optional(p).await?);
        let (pending_since, tries) = row.ok_or(StoreError::NotFound)?;
        Ok(SendAttempt {
            pending_since,
            tries: i64::from(tries),
        })
    }

    /// Records, in a transaction of its own and before the request leaves,
    /// that a queued message is about to be sent: if the process dies or
    /// the answer is lost, the next run knows the outcome is unknown.
    /// Returns the attempt on record, or `None` when the message is no
    /// longer queued (it left, failed or was confirmed meanwhile).
    pub async fn begin_send_attempt(
        &self,
        org: OrgId,
        id: MessageId,
    ) -> Result<Option<SendAttempt>> {
        let now = now_ms();
        let sql = "UPDATE messages SET send_attempted_at = $3, send_tries = send_tries + 1 \
                   WHERE org_id = $1 AND id = $2 AND status = 'queued' RETURNING send_tries";
        let mut tx = self.begin().await?;
        let tries: Option<i32> = with_tx!(tx, c => sqlx::query_scalar(sql).bind(org).bind(id).bind(now).fetch_optional(c).await?);
        tx.commit().await?;
        Ok(tries.map(|t| SendAttempt {
            pending_since: Some(now),
            tries: i64::from(t),
        }))
    }

    /// Forgets the pending attempt once its answer proved the message did
    /// not leave (the connection was refused, or the API answered an error).
    pub async fn end_send_attempt(&self, org: OrgId, id: MessageId) -> Result<()> {
        let sql = "UPDATE messages SET send_attempted_at = NULL WHERE org_id = $1 AND id = $2";
        let mut tx = self.begin().await?;
        with_tx!(tx, c => sqlx::query(sql).bind(org).bind(id).execute(c).await?.rows_affected());
        tx.commit().await?;
        Ok(())
    }
}

/// What the store knows of a queued message's requests to its channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendAttempt {
    /// When the last request whose outcome is unknown left (`None`: no
    /// request is in doubt).
    pub pending_since: Option<Millis>,
    /// Requests made so far.
    pub tries: i64,
}
