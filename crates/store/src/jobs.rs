//! Durable jobs. A job is enqueued inside the business transaction that
//! needs it, so it exists exactly when the change does. Workers lease due
//! jobs (`locked_until`); a worker that dies loses its lease and the job runs
//! again, so handlers are idempotent: they apply their effect and complete
//! the job in one transaction ([`Tx::complete_job`]), and external calls carry
//! the job's idempotency key.

use atende_domain::OrgId;
use serde_json::Value;
use sqlx::types::Json;
use uuid::Uuid;

use crate::{Backend, Millis, Result, Store, Tx, now_ms, with_tx};

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub org_id: Option<OrgId>,
    pub kind: &'static str,
    pub payload: Value,
    pub run_at: Millis,
    pub max_attempts: i64,
    /// Enqueuing a second job with the same key does nothing.
    pub idempotency_key: Option<String>,
}

impl NewJob {
    /// A job due now, with 10 attempts and no idempotency key.
    pub fn now(org_id: Option<OrgId>, kind: &'static str, payload: Value) -> NewJob {
        NewJob {
            org_id,
            kind,
            payload,
            run_at: now_ms(),
            max_attempts: 10,
            idempotency_key: None,
        }
    }
}

/// A leased job.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Job {
    pub id: Uuid,
    pub org_id: Option<OrgId>,
    pub kind: String,
    pub payload: Json<Value>,
    pub attempts: i64,
    pub max_attempts: i64,
    pub lease_token: Uuid,
    pub idempotency_key: Option<String>,
}

/// Counts of jobs by state, for `/metrics` and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobCounts {
    pub pending: i64,
    pub done: i64,
    pub dead: i64,
}

const CLAIM_PG: &str = "UPDATE jobs SET locked_until = $1, lease_token = $2, attempts = attempts + 1 \
    WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' AND run_at <= $3 \
                 AND (locked_until IS NULL OR locked_until < $3) \
                 ORDER BY run_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
    RETURNING id, org_id, kind, payload, attempts, max_attempts, lease_token, idempotency_key";
// SQLite has a single writer, so the plain sub-select cannot race.
const CLAIM_SQLITE: &str = "UPDATE jobs SET locked_until = $1, lease_token = $2, attempts = attempts + 1 \
    WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' AND run_at <= $3 \
                 AND (locked_until IS NULL OR locked_until < $3) \
                 ORDER BY run_at LIMIT $4) \
    RETURNING id, org_id, kind, payload, attempts, max_attempts, lease_token, idempotency_key";

impl Tx {
    /// Enqueues a job; returns false when its idempotency key already exists.
    pub async fn enqueue(&mut self, job: NewJob) -> Result<bool> {
        let sql = "INSERT INTO jobs (id, org_id, kind, payload, status, run_at, attempts, max_attempts, idempotency_key, created_at) \
                   VALUES ($1, $2, $3, $4, 'pending', $5, 0, $6, $7, $8) ON CONFLICT (idempotency_key) DO NOTHING";
        let n = with_tx!(self, c => sqlx::query(sql)
            .bind(Uuid::now_v7())
            .bind(job.org_id)
            .bind(job.kind)
            .bind(Json(&job.payload))
            .bind(job.run_at)
            .bind(job.max_attempts)
            .bind(&job.idempotency_key)
            .bind(now_ms())
            .execute(c)
            .await?
            .rows_affected());
        self.enqueued |= n == 1;
        Ok(n == 1)
    }

    /// Marks a leased job done, in the same transaction as its effect.
    /// Returns false when the lease was lost (another worker took the job
    /// over): the caller must then roll back instead of committing.
    pub async fn complete_job(&mut self, job: &Job) -> Result<bool> {
        let sql = "UPDATE jobs SET status = 'done', finished_at = $1, locked_until = NULL \
                   WHERE id = $2 AND lease_token = $3 AND status = 'pending'";
        let n = with_tx!(self, c => sqlx::query(sql).bind(now_ms()).bind(job.id).bind(job.lease_token)
            .execute(c).await?.rows_affected());
        Ok(n == 1)
    }
}

impl Store {
    /// Enqueues a job in a transaction of its own.
    pub async fn enqueue(&self, job: NewJob) -> Result<bool> {
        let mut tx = self.begin().await?;
        let fresh = tx.enqueue(job).await?;
        tx.commit().await?;
        Ok(fresh)
    }

    /// Leases up to `limit` due jobs for `lease_ms`.
    pub async fn claim_jobs(&self, limit: i64, lease_ms: i64) -> Result<Vec<Job>> {
        let now = now_ms();
        let token = Uuid::now_v7();
        let sql = match self.backend() {
            Backend::Sqlite => CLAIM_SQLITE,
            Backend::Postgres => CLAIM_PG,
        };
        let mut tx = self.begin().await?;
        let jobs = with_tx!(tx, c => sqlx::query_as::<_, Job>(sql)
            .bind(now + lease_ms)
            .bind(token)
            .bind(now)
            .bind(limit)
            .fetch_all(c)
            .await?);
        tx.commit().await?;
        Ok(jobs)
    }

    /// Records a failed attempt: the job runs again at `retry_at`, or is
    /// marked dead when it has used all its attempts.
    pub async fn fail_job(&self, job: &Job, error: &str, retry_at: Millis) -> Result<()> {
        let status = if job.attempts >= job.max_attempts {
            "dead"
        } else {
            "pending"
        };
        let sql = "UPDATE jobs SET status = $1, run_at = $2, locked_until = NULL, last_error = $3, \
                   finished_at = CASE WHEN $1 = 'dead' THEN CAST($4 AS BIGINT) ELSE NULL END \
                   WHERE id = $5 AND lease_token = $6 AND status = 'pending'";
        let mut tx = self.begin().await?;
        with_tx!(tx, c => sqlx::query(sql).bind(status).bind(retry_at).bind(error).bind(now_ms())
            .bind(job.id).bind(job.lease_token).execute(c).await?.rows_affected());
        tx.commit().await?;
        Ok(())
    }

    /// Puts a job off until `run_at` without counting the run as an
    /// attempt: it waited for something (a provider's confirmation), it
    /// did not try and fail.
    pub async fn postpone_job(&self, job: &Job, run_at: Millis) -> Result<()> {
        let sql = "UPDATE jobs SET run_at = $1, locked_until = NULL, attempts = attempts - 1 \
                   WHERE id = $2 AND lease_token = $3 AND status = 'pending'";
        let mut tx = self.begin().await?;
        with_tx!(tx, c => sqlx::query(sql).bind(run_at).bind(job.id).bind(job.lease_token)
            .execute(c).await?.rows_affected());
        tx.commit().await?;
        Ok(())
    }

    /// Extends a lease held by a long-running job; false when it was lost.
    pub async fn extend_lease(&self, job: &Job, lease_ms: i64) -> Result<bool> {
        let sql = "UPDATE jobs SET locked_until = $1 WHERE id = $2 AND lease_token = $3 AND status = 'pending'";
        let mut tx = self.begin().await?;
        let n = with_tx!(tx, c => sqlx::query(sql).bind(now_ms() + lease_ms).bind(job.id).bind(job.lease_token)
            .execute(c).await?.rows_affected());
        tx.commit().await?;
        Ok(n == 1)
    }

    /// The earliest `run_at` of pending jobs, so idle workers sleep until then.
    pub async fn next_job_at(&self) -> Result<Option<Millis>> {
        let sql = "SELECT MIN(CASE WHEN locked_until IS NOT NULL AND locked_until > run_at THEN locked_until ELSE run_at END) \
                   FROM jobs WHERE status = 'pending'";
        Ok(
            crate::with_pool!(self, p => sqlx::query_scalar::<_, Option<i64>>(sql).fetch_one(p).await?),
        )
    }

    /// Job counts by state.
    pub async fn job_counts(&self) -> Result<JobCounts> {
        let sql = "SELECT status, COUNT(*) FROM jobs GROUP BY status";
        let rows: Vec<(String, i64)> =
            crate::with_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await?);
        let mut c = JobCounts::default();
        for (s, n) in rows {
            match s.as_str() {
                "pending" => c.pending = n,
                "done" => c.done = n,
                "dead" => c.dead = n,
                _ => {}
            }
        }
        Ok(c)
    }
}
