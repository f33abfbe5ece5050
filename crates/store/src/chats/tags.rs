//! Tags on a chat (LC-2's tag filter reads them).

use std::collections::BTreeSet;

use atende_domain::TagId;
use serde::Serialize;
use sqlx::types::Json;

use super::Conversation;
use crate::events::{ChatEvent, ConversationTagged};
use crate::rows::{Col, json_rows};
use crate::{NewEvent, Result, StoreError, Tx, with_tx};

#[derive(Serialize)]
struct TagRow {
    id: TagId,
}

impl Tx {
    /// Replaces a chat's tags with `tags` (every one must be a tag of the
    /// chat's organization) and emits `conversation.tagged` when they
    /// changed. Returns the tags now on the chat.
    pub async fn set_conversation_tags(
        &mut self,
        conv: &Conversation,
        tags: &[TagId],
    ) -> Result<Vec<TagId>> {
        let wanted: BTreeSet<TagId> = tags.iter().copied().collect();
        let rows: Vec<TagRow> = wanted.iter().map(|&id| TagRow { id }).collect();
        if !rows.is_empty() {
            let sql = format!(
                "SELECT COUNT(*) FROM {} CROSS JOIN tags t WHERE t.id = k.id AND t.org_id = $1",
                json_rows(self.backend(), 2, "k", &[("id", Col::Uuid)])
            );
            let known: i64 = with_tx!(self, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(conv.org_id).bind(Json(&rows)).fetch_one(c).await?);
            if known != rows.len() as i64 {
                return Err(StoreError::Invalid("unknown tag".into()));
            }
        }
        let current: Vec<TagId> = with_tx!(self, c => sqlx::query_scalar(
            "SELECT tag_id FROM conversation_tags WHERE org_id = $1 AND conversation_id = $2")
            .bind(conv.org_id).bind(conv.id).fetch_all(c).await?);
        let current: BTreeSet<TagId> = current.into_iter().collect();
        if current == wanted {
            return Ok(wanted.into_iter().collect());
        }
        with_tx!(self, c => sqlx::query("DELETE FROM conversation_tags WHERE org_id = $1 AND conversation_id = $2")
            .bind(conv.org_id).bind(conv.id).execute(c).await?.rows_affected());
        if !rows.is_empty() {
            let sql = format!(
                "INSERT INTO conversation_tags (org_id, conversation_id, tag_id) SELECT $1, $2, k.id FROM {}",
                json_rows(self.backend(), 3, "k", &[("id", Col::Uuid)])
            );
            with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(conv.org_id).bind(conv.id).bind(Json(&rows)).execute(c).await?.rows_affected());
        }
        let added: Vec<TagId> = wanted.difference(&current).copied().collect();
        self.bump_tags(conv.org_id, conv.inbox_id, crate::now_ms(), &added)
            .await?;
        let list: Vec<TagId> = wanted.into_iter().collect();
        self.emit(NewEvent {
            org_id: conv.org_id,
            chat: Some(conv.scope()),
            event: ChatEvent::ConversationTagged(ConversationTagged {
                conversation_id: conv.id,
                tags: list.clone(),
            }),
        });
        Ok(list)
    }
}
