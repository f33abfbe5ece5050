//! Job kinds, the jobs other modules enqueue, and what a handler tells the
//! worker. This module is a leaf: the handlers live where their work is,
//! and the dispatcher that runs them is `crate::worker`, which nothing
//! else imports.

use atende_domain::MessageId;

/// Job kinds.
pub mod kinds {
    /// Deliver an outbound message through its channel.
    pub const SEND: &str = "send";
    /// A scheduled closing of an attendance (LC-11).
    pub const CLOSE_ATTENDANCE: &str = "close_attendance";
    /// Tell the channel the contact's messages were read.
    pub const MARK_READ: &str = "mark_read";
    /// Download an inbound media file (CH-8).
    pub const MEDIA_DOWNLOAD: &str = "media_download";
    /// Pull an inbox's message templates (CH-6).
    pub const SYNC_TEMPLATES: &str = "sync_templates";
    /// Take a bot flow run's next steps (FL-2).
    pub const FLOW_RUN: &str = "flow_run";
    /// Start a flow for a chat at a set time (FL-2's scheduled flow).
    pub const FLOW_START: &str = "flow_start";
    /// Render a contact's full conversation history (RP-1).
    pub const REPORT_HISTORY: &str = "report_history";
    /// Delete a report's file once its download expired.
    pub const REPORT_EXPIRE: &str = "report_expire";
}

/// The job that delivers an outbound message: one per message, however
/// often the caller's transaction is retried.
pub fn send_job(org: atende_domain::OrgId, message: MessageId) -> atende_store::NewJob {
    atende_store::NewJob {
        idempotency_key: Some(format!("send:{message}")),
        ..atende_store::NewJob::now(
            Some(org),
            kinds::SEND,
            serde_json::json!({"message_id": message}),
        )
    }
}

/// What a handler tells the worker.
#[derive(Debug)]
pub enum Outcome {
    /// Done (the handler completed the job in its own transaction).
    Done,
    /// Try again later (exponential backoff).
    Retry(String),
    /// Try again at this time (e.g. a rate limit's own delay).
    RetryAt(i64, String),
    /// Run again at this time without counting this run as an attempt: it
    /// waited for something (a provider's confirmation), it did not fail.
    WaitUntil(i64),
}

/// Exponential backoff from `job_retry_base_ms` (1 s by default), capped at
/// `job_retry_max_ms` (an hour), with jitter.
pub fn backoff_ms(config: &crate::config::Config, attempts: i64) -> i64 {
    let first = i64::try_from(config.job_retry_base_ms).unwrap_or(i64::MAX);
    let cap = i64::try_from(config.job_retry_max_ms).unwrap_or(i64::MAX);
    let base = first.saturating_mul(1 << attempts.clamp(0, 12)).min(cap);
    base + rand::random_range(0..=base / 4)
}
