//! Agents' absence messages (LC-19): per inbox, an agent (or a manager for
//! them) leaves a message for the contacts whose chats are theirs, with an
//! optional colleague to suggest. It stays on until turned off; each
//! attendance is answered with it once.

use atende_domain::{InboxId, OrgId, UserId};
use serde::Serialize;

use crate::chats::Conversation;
use crate::directory::found;
use crate::{Millis, Result, Store, Tx, now_ms, with_pool, with_tx};

/// An absence, with the names the lists show.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Absence {
    pub user_id: UserId,
    pub user_name: String,
    pub inbox_id: InboxId,
    pub inbox_name: String,
    pub message: String,
    /// The colleague the contact is offered instead, if any.
    pub suggested_agent_id: Option<UserId>,
    pub suggested_agent_name: Option<String>,
    pub created_at: Millis,
}

const SELECT: &str = "SELECT a.user_id, u.name AS user_name, a.inbox_id, i.name AS inbox_name, a.message, \
     a.suggested_agent AS suggested_agent_id, s.name AS suggested_agent_name, a.created_at \
     FROM absences a JOIN users u ON u.id = a.user_id JOIN inboxes i ON i.id = a.inbox_id \
     LEFT JOIN users s ON s.id = a.suggested_agent AND s.active";

impl Store {
    /// The organization's absences, of one user and/or one inbox.
    pub async fn absences(
        &self,
        org: OrgId,
        user: Option<UserId>,
        inbox: Option<InboxId>,
    ) -> Result<Vec<Absence>> {
        let sql = format!(
            "{SELECT} WHERE a.org_id = $1 AND ($2 IS NULL OR a.user_id = $2) \
             AND ($3 IS NULL OR a.inbox_id = $3) ORDER BY u.name, i.name"
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Absence>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(user).bind(inbox).fetch_all(p).await?),
        )
    }
}

impl Tx {
    /// Turns a user's absence on for an inbox, or changes its message.
    pub async fn set_absence(
        &mut self,
        org: OrgId,
        user: UserId,
        inbox: InboxId,
        message: &str,
        suggested: Option<UserId>,
    ) -> Result<Absence> {
        let sql = "INSERT INTO absences (org_id, user_id, inbox_id, message, suggested_agent, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, inbox_id) \
                   DO UPDATE SET message = excluded.message, suggested_agent = excluded.suggested_agent";
        with_tx!(self, c => sqlx::query(sql).bind(org).bind(user).bind(inbox).bind(message)
            .bind(suggested).bind(now_ms()).execute(c).await?.rows_affected());
        let sql = format!("{SELECT} WHERE a.org_id = $1 AND a.user_id = $2 AND a.inbox_id = $3");
        Ok(
            with_tx!(self, c => sqlx::query_as::<_, Absence>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(user).bind(inbox).fetch_one(c).await?),
        )
    }

    /// Turns a user's absence off for an inbox.
    pub async fn clear_absence(&mut self, org: OrgId, user: UserId, inbox: InboxId) -> Result<()> {
        let sql = "DELETE FROM absences WHERE org_id = $1 AND user_id = $2 AND inbox_id = $3";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(user).bind(inbox).execute(c).await?.rows_affected()),
        )
    }

    /// The absence of the agent of a chat's open attendance on its inbox.
    pub async fn absence_of_chat(&mut self, conv: &Conversation) -> Result<Option<Absence>> {
        let (Some(agent), Some(_)) = (conv.agent_id, conv.attendance_id) else {
            return Ok(None);
        };
        let sql = format!("{SELECT} WHERE a.org_id = $1 AND a.user_id = $2 AND a.inbox_id = $3");
        Ok(
            with_tx!(self, c => sqlx::query_as::<_, Absence>(sqlx::AssertSqlSafe(sql.as_str())).bind(conv.org_id).bind(agent).bind(conv.inbox_id).fetch_optional(c).await?),
        )
    }

    /// Marks the chat's open attendance as answered with the absence
    /// message; false when it already was (or has no attendance).
    pub async fn note_absence_sent(&mut self, conv: &Conversation) -> Result<bool> {
        let Some(att) = conv.attendance_id else {
            return Ok(false);
        };
        let sql = "UPDATE attendances SET absence_sent_at = $3 \
                   WHERE org_id = $1 AND id = $2 AND absence_sent_at IS NULL AND closed_at IS NULL";
        let n = with_tx!(self, c => sqlx::query(sql).bind(conv.org_id).bind(att).bind(now_ms()).execute(c).await?.rows_affected());
        Ok(n > 0)
    }
}
