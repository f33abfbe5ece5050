//! What comes back about messages after they are stored: receipts that
//! arrive before their message's provider id (kept, then applied),
//! watermarks covering earlier sends, and a contact's reactions and edits.

use atende_domain::{InboxId, MessageId, OrgId, ReceiptStatus};
use serde_json::Value;
use sqlx::types::Json;

use crate::chats::Message;
use crate::events::{ChatEvent, MessageUpdated};
use crate::{Millis, NewEvent, Result, Tx, now_ms, with_tx};

impl Tx {
    /// Our messages in a conversation, written at or before `up_to` (epoch
    /// ms), whose status is one of `below`: what a delivery or read
    /// watermark covers. The newest 500 at most (older ones were covered by
    /// earlier watermarks).
    pub async fn outbound_before(
        &mut self,
        org: OrgId,
        conversation: atende_domain::ConversationId,
        up_to: Millis,
        below: [&str; 2],
    ) -> Result<Vec<MessageId>> {
        let sql = "SELECT id FROM messages WHERE org_id = $1 AND conversation_id = $2 AND direction = 'out' \
                   AND NOT internal AND created_at <= $3 AND status IN ($4, $5) \
                   ORDER BY created_at DESC, id DESC LIMIT 500";
        Ok(
            with_tx!(self, c => sqlx::query_scalar::<_, MessageId>(sql).bind(org).bind(conversation).bind(up_to).bind(below[0]).bind(below[1]).fetch_all(c).await?),
        )
    }

    /// Replaces a message's payload (reactions, edits) and tells its chat.
    pub async fn set_message_payload(&mut self, msg: &Message, payload: Value) -> Result<()> {
        self.change_message(msg, None, payload).await
    }

    /// The contact edited a message: its new text (and the payload that
    /// keeps the edit's trace), told to its chat.
    pub async fn edit_message(&mut self, msg: &Message, text: &str, payload: Value) -> Result<()> {
        self.change_message(msg, Some(text), payload).await
    }

    async fn change_message(
        &mut self,
        msg: &Message,
        text: Option<&str>,
        payload: Value,
    ) -> Result<()> {
        let sql = "UPDATE messages SET payload = $3, text = COALESCE($4, text) WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(msg.org_id).bind(msg.id).bind(Json(&payload)).bind(text).execute(c).await?.rows_affected());
        let conv = self.conversation(msg.org_id, msg.conversation_id).await?;
        self.emit(NewEvent {
            org_id: msg.org_id,
            chat: Some(conv.scope()),
            event: ChatEvent::MessageUpdated(MessageUpdated {
                message_id: msg.id,
                conversation_id: msg.conversation_id,
                status: None,
                provider_id: None,
                error_code: None,
                error_text: None,
                text: text.map(str::to_string),
                payload: payload.as_object().cloned(),
            }),
        });
        Ok(())
    }

    /// Keeps a status whose message is not known yet.
    pub async fn save_pending_status(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        provider_id: &str,
        status: ReceiptStatus,
        error: Option<(&str, &str)>,
    ) -> Result<()> {
        let sql = "INSERT INTO pending_statuses (org_id, inbox_id, provider_id, status, error_code, error_text, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (inbox_id, provider_id, status) DO NOTHING";
        with_tx!(self, c => sqlx::query(sql).bind(org).bind(inbox).bind(provider_id).bind(status.as_str())
            .bind(error.map(|e| e.0)).bind(error.map(|e| e.1)).bind(now_ms()).execute(c).await?.rows_affected());
        Ok(())
    }

    /// Applies (and forgets) the statuses that arrived before `msg` had its
    /// provider id.
    pub async fn apply_pending_statuses(&mut self, msg: &Message) -> Result<()> {
        let Some(pid) = msg.provider_id.clone() else {
            return Ok(());
        };
        let sql = "SELECT status, error_code, error_text FROM pending_statuses WHERE inbox_id = $1 AND provider_id = $2";
        let rows: Vec<(String, Option<String>, Option<String>)> = with_tx!(self, c => sqlx::query_as(sql).bind(msg.inbox_id).bind(&pid).fetch_all(c).await?);
        if rows.is_empty() {
            return Ok(());
        }
        let mut statuses: Vec<(ReceiptStatus, Option<String>, Option<String>)> = rows
            .into_iter()
            .filter_map(|(s, c, t)| s.parse().ok().map(|s| (s, c, t)))
            .collect();
        statuses.sort_by_key(|(s, _, _)| s.rank());
        for (status, code, text) in statuses {
            let err = code.as_deref().zip(text.as_deref());
            self.update_receipt(msg.org_id, msg.id, status, None, err)
                .await?;
        }
        let sql = "DELETE FROM pending_statuses WHERE inbox_id = $1 AND provider_id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(msg.inbox_id).bind(&pid).execute(c).await?.rows_affected());
        Ok(())
    }
}
