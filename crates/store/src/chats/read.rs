//! Read marks of a chat (LC-7): read when an agent opens it, "Mark as
//! unread" by hand.

use super::Conversation;
use crate::events::{ChatEvent, UnreadCount};
use crate::{NewEvent, Result, Tx, with_tx};

impl Tx {
    /// Marks a conversation read (LC-7).
    pub async fn mark_read(&mut self, conv: &Conversation) -> Result<()> {
        if conv.unread == 0 {
            return Ok(());
        }
        let sql = "UPDATE chat_activity SET unread = 0 WHERE org_id = $1 AND conversation_id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(conv.org_id).bind(conv.id).execute(c).await?.rows_affected());
        self.emit(NewEvent {
            org_id: conv.org_id,
            chat: Some(conv.scope()),
            event: ChatEvent::ConversationRead(UnreadCount {
                conversation_id: conv.id,
                unread: 0,
            }),
        });
        Ok(())
    }

    /// Marks a conversation unread (LC-7 "Mark as unread").
    pub async fn mark_unread(&mut self, conv: &Conversation) -> Result<()> {
        let sql = "UPDATE chat_activity SET unread = CASE WHEN unread = 0 THEN 1 ELSE unread END \
                   WHERE org_id = $1 AND conversation_id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(conv.org_id).bind(conv.id).execute(c).await?.rows_affected());
        self.emit(NewEvent {
            org_id: conv.org_id,
            chat: Some(conv.scope()),
            event: ChatEvent::ConversationUnread(UnreadCount {
                conversation_id: conv.id,
                unread: conv.unread.max(1),
            }),
        });
        Ok(())
    }
}
