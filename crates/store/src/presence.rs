//! Agent presence (LC-19): the status an agent chose, whether every socket
//! of theirs has been gone long enough to count as offline (`away`), the
//! history of both as intervals, and the organization's presence settings.

use atende_domain::{OrgId, UserId};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;

use crate::accounts::{USER_COLS, User};
use crate::rows::{Col, json_rows};
use crate::{Millis, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

/// The organization's settings for presence and for tickets left by the
/// customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct OrgSettings {
    /// The reasons an agent may give for a pause (none: no reason asked).
    pub pause_reasons: Json<Vec<String>>,
    /// Minutes without any socket after which an agent counts as offline.
    pub away_minutes: i64,
    /// Hours without a word from the contact after which an open ticket
    /// ends as "session expired" (0: never).
    pub ticket_expiry_hours: i64,
}

/// One stretch of an agent's status as others saw it.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct PresenceInterval {
    pub user_id: UserId,
    /// online | paused | invisible | offline
    pub status: String,
    pub reason: Option<String>,
    pub started_at: Millis,
    /// None while it lasts.
    pub ended_at: Option<Millis>,
}

impl Tx {
    /// Sets the status `user` chose (online | paused | invisible) and why
    /// (for a pause); a status set by the agent means they are here, so it
    /// also ends being away. Returns the user as now stored.
    pub async fn set_status(
        &mut self,
        user: &User,
        status: &str,
        reason: Option<&str>,
    ) -> Result<User> {
        let now = now_ms();
        let sql = format!(
            "UPDATE users SET status_since = CASE WHEN status = $3 AND COALESCE(status_reason, '') = COALESCE($4, '') \
             AND NOT away THEN status_since ELSE $5 END, \
             status = $3, status_reason = $4, away = FALSE, last_seen_at = $5 \
             WHERE org_id = $1 AND id = $2 RETURNING {USER_COLS}"
        );
        let updated: Option<User> = with_tx!(self, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user.org_id).bind(user.id)
            .bind(status).bind(reason).bind(now).fetch_optional(c).await?);
        let updated = updated.ok_or(StoreError::NotFound)?;
        self.presence_changed(&updated, now).await?;
        Ok(updated)
    }

    /// A socket of the user is here now. Returns the user when this brings
    /// them back from away (others see their status again).
    pub async fn seen(&mut self, org: OrgId, user: UserId) -> Result<Option<User>> {
        let now = now_ms();
        let sql = "UPDATE users SET last_seen_at = $3 WHERE org_id = $1 AND id = $2 AND NOT away";
        let n = with_tx!(self, c => sqlx::query(sql).bind(org).bind(user).bind(now).execute(c).await?.rows_affected());
        if n > 0 {
            return Ok(None);
        }
        let sql = format!(
            "UPDATE users SET last_seen_at = $3, away = FALSE, status_since = $3 \
             WHERE org_id = $1 AND id = $2 AND away RETURNING {USER_COLS}"
        );
        let back: Option<User> = with_tx!(self, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org).bind(user)
            .bind(now).fetch_optional(c).await?);
        if let Some(u) = &back {
            self.presence_changed(u, now).await?;
        }
        Ok(back)
    }

    /// Marks `users` (who have sockets open on this node) seen now.
    pub async fn touch(&mut self, users: &[UserId]) -> Result<()> {
        if users.is_empty() {
            return Ok(());
        }
        #[derive(Serialize)]
        struct Row {
            id: UserId,
        }
        let rows: Vec<Row> = users.iter().map(|&id| Row { id }).collect();
        let sql = format!(
            "UPDATE users SET last_seen_at = $1 WHERE NOT away AND id IN (SELECT k.id FROM {})",
            json_rows(self.backend(), 2, "k", &[("id", Col::Uuid)])
        );
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now_ms()).bind(Json(&rows)).execute(c).await?.rows_affected());
        Ok(())
    }

    /// Marks away every agent whose sockets have all been gone for their
    /// organization's `away_minutes`; returns them.
    pub async fn sweep_away(&mut self) -> Result<Vec<User>> {
        let now = now_ms();
        let sql = format!(
            "UPDATE users SET away = TRUE, status_since = $1 WHERE NOT away AND active AND last_seen_at IS NOT NULL \
             AND last_seen_at < $1 - 60000 * (SELECT o.away_minutes FROM organizations o WHERE o.id = users.org_id) \
             RETURNING {USER_COLS}"
        );
        let gone: Vec<User> = with_tx!(self, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).fetch_all(c).await?);
        for u in &gone {
            self.presence_changed(u, now).await?;
        }
        Ok(gone)
    }

    /// Ends the user's open presence interval and opens one for the status
    /// others see now (nothing when it is the same).
    pub(crate) async fn presence_changed(&mut self, u: &User, now: Millis) -> Result<()> {
        let (status, reason) = (u.presence(), u.status_reason.as_deref());
        let sql =
            "SELECT status, reason FROM presence_intervals WHERE user_id = $1 AND ended_at IS NULL";
        let open: Option<(String, Option<String>)> =
            with_tx!(self, c => sqlx::query_as(sql).bind(u.id).fetch_optional(c).await?);
        if open
            .as_ref()
            .is_some_and(|(s, r)| s == status && r.as_deref() == reason)
        {
            return Ok(());
        }
        let sql =
            "UPDATE presence_intervals SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL";
        with_tx!(self, c => sqlx::query(sql).bind(u.id).bind(now).execute(c).await?.rows_affected());
        let sql = "INSERT INTO presence_intervals (id, org_id, user_id, status, reason, started_at) VALUES ($1, $2, $3, $4, $5, $6)";
        with_tx!(self, c => sqlx::query(sql).bind(uuid::Uuid::now_v7()).bind(u.org_id).bind(u.id).bind(status)
            .bind(reason).bind(now).execute(c).await?.rows_affected());
        Ok(())
    }

    /// Replaces the organization's settings.
    pub async fn set_org_settings(&mut self, org: OrgId, s: &OrgSettings) -> Result<()> {
        let sql = "UPDATE organizations SET pause_reasons = $2, away_minutes = $3, ticket_expiry_hours = $4 WHERE id = $1";
        let n = with_tx!(self, c => sqlx::query(sql).bind(org).bind(&s.pause_reasons).bind(s.away_minutes)
            .bind(s.ticket_expiry_hours).execute(c).await?.rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

impl Store {
    /// The organization's presence and ticket settings.
    pub async fn org_settings(&self, org: OrgId) -> Result<OrgSettings> {
        let sql = "SELECT pause_reasons, away_minutes, ticket_expiry_hours FROM organizations WHERE id = $1";
        with_pool!(self, p => sqlx::query_as::<_, OrgSettings>(sql).bind(org).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    /// The presence intervals of an organization's agents (of one agent,
    /// when given) that overlap `from..to`, oldest first.
    pub async fn presence_intervals(
        &self,
        org: OrgId,
        user: Option<UserId>,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<PresenceInterval>> {
        let sql = "SELECT user_id, status, reason, started_at, ended_at FROM presence_intervals \
                   WHERE org_id = $1 AND ($2 IS NULL OR user_id = $2) AND started_at < $4 \
                   AND (ended_at IS NULL OR ended_at > $3) ORDER BY started_at, id";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, PresenceInterval>(sql).bind(org).bind(user).bind(from).bind(to).fetch_all(p).await?),
        )
    }
}
