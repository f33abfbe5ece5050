//! What routing reads and writes: a department's agents with their load,
//! taken under lock so two handovers cannot both fill an agent's last free
//! slot; the department's queue of attendances waiting for an agent (FIFO);
//! the "sequence" cursor; and the agent who last served a contact.

use atende_domain::routing::Candidate;
use atende_domain::{AttendanceId, ContactId, ConversationId, DepartmentId, OrgId, UserId};

use crate::{Backend, Millis, Result, Tx, now_ms, with_tx};

/// How a department hands out its chats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distribution {
    /// Its chats wait in "Chats abertos" for a member to pick them.
    Manual,
    /// Its chats go to the least busy available member with a free slot,
    /// or wait in its queue until one frees.
    Auto,
}

impl Distribution {
    pub fn parse(s: &str) -> Option<Distribution> {
        match s {
            "manual" => Some(Distribution::Manual),
            "auto" => Some(Distribution::Auto),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Distribution::Manual => "manual",
            Distribution::Auto => "auto",
        }
    }
}

#[derive(sqlx::FromRow)]
struct LoadRow {
    id: UserId,
    status: String,
    active: bool,
    away: bool,
    max_chats: i64,
    last_assigned_at: Option<Millis>,
    open_chats: i64,
}

const LOAD_SQL: &str = "SELECT u.id, u.status, u.active, u.away, u.max_chats, u.last_assigned_at, \
     (SELECT COUNT(*) FROM attendances a WHERE a.agent_id = u.id AND a.closed_at IS NULL) AS open_chats \
     FROM users u WHERE u.org_id = $1 AND u.id IN (SELECT m.user_id FROM department_members m \
     WHERE m.org_id = $1 AND m.department_id = $2) ORDER BY u.id";

impl Tx {
    /// The department's members with their load. On PostgreSQL their rows
    /// are locked first, and the load is read by a later statement (a fresh
    /// snapshot), so it includes whatever a handover that held the lock
    /// before committed. SQLite has a single writer.
    pub async fn routing_candidates(
        &mut self,
        org: OrgId,
        dept: DepartmentId,
    ) -> Result<Vec<Candidate>> {
        if self.backend() == Backend::Postgres {
            let sql = "SELECT u.id FROM users u WHERE u.org_id = $1 AND u.id IN (SELECT m.user_id FROM department_members m \
                       WHERE m.org_id = $1 AND m.department_id = $2) ORDER BY u.id FOR UPDATE";
            with_tx!(self, c => sqlx::query_scalar::<_, UserId>(sql).bind(org).bind(dept).fetch_all(c).await?);
        }
        let rows: Vec<LoadRow> = with_tx!(self, c => sqlx::query_as::<_, LoadRow>(LOAD_SQL).bind(org).bind(dept).fetch_all(c).await?);
        Ok(rows.into_iter().map(candidate).collect())
    }

    /// One agent with their load, locked like [`Tx::routing_candidates`].
    pub async fn routing_candidate(
        &mut self,
        org: OrgId,
        user: UserId,
    ) -> Result<Option<Candidate>> {
        if self.backend() == Backend::Postgres {
            let sql = "SELECT id FROM users WHERE org_id = $1 AND id = $2 FOR UPDATE";
            with_tx!(self, c => sqlx::query_scalar::<_, UserId>(sql).bind(org).bind(user).fetch_optional(c).await?);
        }
        let sql = "SELECT u.id, u.status, u.active, u.away, u.max_chats, u.last_assigned_at, \
                   (SELECT COUNT(*) FROM attendances a WHERE a.agent_id = u.id AND a.closed_at IS NULL) AS open_chats \
                   FROM users u WHERE u.org_id = $1 AND u.id = $2";
        let row: Option<LoadRow> = with_tx!(self, c => sqlx::query_as::<_, LoadRow>(sql).bind(org).bind(user).fetch_optional(c).await?);
        Ok(row.map(candidate))
    }

    /// How the department hands out chats; none when it does not exist.
    pub async fn distribution(
        &mut self,
        org: OrgId,
        dept: DepartmentId,
    ) -> Result<Option<Distribution>> {
        let sql = "SELECT distribution FROM departments WHERE org_id = $1 AND id = $2";
        let d: Option<String> = with_tx!(self, c => sqlx::query_scalar(sql).bind(org).bind(dept).fetch_optional(c).await?);
        Ok(d.map(|d| Distribution::parse(&d).unwrap_or(Distribution::Manual)))
    }

    /// The agent the department's "sequence" served last.
    pub async fn sequence_cursor(
        &mut self,
        org: OrgId,
        dept: DepartmentId,
    ) -> Result<Option<UserId>> {
        let sql = "SELECT sequence_cursor FROM departments WHERE org_id = $1 AND id = $2";
        let v: Option<Option<UserId>> = with_tx!(self, c => sqlx::query_scalar(sql).bind(org).bind(dept).fetch_optional(c).await?);
        Ok(v.flatten())
    }

    pub async fn set_sequence_cursor(
        &mut self,
        org: OrgId,
        dept: DepartmentId,
        user: UserId,
    ) -> Result<()> {
        let sql = "UPDATE departments SET sequence_cursor = $3 WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(org).bind(dept).bind(user).execute(c).await?.rows_affected());
        Ok(())
    }

    /// Notes that routing gave `user` a chat now (ties go to the longest idle).
    pub async fn note_routed(&mut self, org: OrgId, user: UserId) -> Result<()> {
        let sql = "UPDATE users SET last_assigned_at = $3 WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(org).bind(user).bind(now_ms()).execute(c).await?.rows_affected());
        Ok(())
    }

    /// The agent who last served the contact, on any of its chats.
    pub async fn last_agent_of(
        &mut self,
        org: OrgId,
        contact: ContactId,
    ) -> Result<Option<UserId>> {
        let sql = "SELECT a.agent_id FROM attendances a JOIN conversations c ON c.id = a.conversation_id \
                   WHERE c.org_id = $1 AND c.contact_id = $2 AND a.agent_id IS NOT NULL \
                   ORDER BY a.opened_at DESC LIMIT 1";
        let v: Option<Option<UserId>> = with_tx!(self, c => sqlx::query_scalar(sql).bind(org).bind(contact).fetch_optional(c).await?);
        Ok(v.flatten())
    }

    /// Puts an open attendance in its department's queue (since now), or
    /// takes it out (none).
    pub async fn set_queued(
        &mut self,
        org: OrgId,
        att: AttendanceId,
        since: Option<Millis>,
    ) -> Result<()> {
        let sql = "UPDATE attendances SET queued_at = $3 WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(org).bind(att).bind(since).execute(c).await?.rows_affected());
        Ok(())
    }

    /// The chat that has waited longest in the queue of a department of
    /// `user`, without an agent; locked (skipping ones another handover
    /// holds) on PostgreSQL.
    pub async fn next_queued_for(
        &mut self,
        org: OrgId,
        user: UserId,
    ) -> Result<Option<ConversationId>> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE OF a SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "SELECT a.conversation_id FROM attendances a WHERE a.org_id = $1 AND a.queued_at IS NOT NULL \
             AND a.closed_at IS NULL AND a.agent_id IS NULL AND a.department_id IN \
             (SELECT m.department_id FROM department_members m WHERE m.org_id = $1 AND m.user_id = $2) \
             ORDER BY a.queued_at, a.id LIMIT 1{lock}"
        );
        Ok(
            with_tx!(self, c => sqlx::query_scalar::<_, ConversationId>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(user).fetch_optional(c).await?),
        )
    }

    /// Online agents (of `dept`, when given) with an active account, not
    /// away (LC-19).
    pub async fn agents_online(&mut self, org: OrgId, dept: Option<DepartmentId>) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM users u WHERE u.org_id = $1 AND u.active AND u.status = 'online' AND NOT u.away \
                   AND ($2 IS NULL OR u.id IN (SELECT m.user_id FROM department_members m WHERE m.org_id = $1 AND m.department_id = $2))";
        Ok(with_tx!(self, c => sqlx::query_scalar(sql).bind(org).bind(dept).fetch_one(c).await?))
    }
}

fn candidate(r: LoadRow) -> Candidate {
    Candidate {
        id: r.id,
        available: r.active && r.status == "online" && !r.away,
        open_chats: r.open_chats,
        max_chats: r.max_chats,
        last_assigned_at: r.last_assigned_at,
    }
}
