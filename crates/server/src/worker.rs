//! Job workers: lease due jobs from the store and run their handlers. The
//! dispatcher sits at the top of the crate: it knows every handler, and
//! nothing imports it but the server's start-up.
//!
//! A handler applies its effect and completes the job in one transaction, so
//! a job that is run again after a crash (its lease expired) finds the effect
//! already there and the job done; it never applies twice.

use std::time::Duration;

use atende_domain::{AttendanceId, ConversationId, MessageId, ReceiptStatus};
use atende_store::Job;
use serde::Deserialize;
use tokio::sync::watch;

use crate::chat::close::{close_now, start_after_close};
use crate::chat::delivery;
use crate::jobs::{Outcome, backoff_ms, kinds};
use crate::state::AppState;

/// Runs `n` workers, and the presence sweeps, until `shutdown` turns true.
pub async fn run(st: AppState, n: usize, shutdown: watch::Receiver<bool>) {
    let mut handles = vec![tokio::spawn(crate::presence::run_sweeps(
        st.clone(),
        shutdown.clone(),
    ))];
    for i in 0..n {
        let st = st.clone();
        let shutdown = shutdown.clone();
        handles.push(tokio::spawn(async move { worker(st, i, shutdown).await }));
    }
    for h in handles {
        let _ = h.await;
    }
}

async fn worker(st: AppState, id: usize, mut shutdown: watch::Receiver<bool>) {
    tracing::debug!(worker = id, "job worker started");
    loop {
        if *shutdown.borrow() {
            return;
        }
        let lease_ms = (st.config.job_lease_secs.max(1) * 1000) as i64;
        let jobs = match st.store.claim_jobs(8, lease_ms).await {
            Ok(j) => j,
            Err(e) => {
                tracing::warn!(error = %e, "claiming jobs failed");
                Vec::new()
            }
        };
        if jobs.is_empty() {
            let wait = match st.store.next_job_at().await {
                Ok(Some(at)) => (at - atende_store::now_ms()).clamp(5, 1000) as u64,
                _ => 1000,
            };
            tokio::select! {
                _ = st.jobs_notify.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(wait)) => {}
                _ = shutdown.changed() => {}
            }
            continue;
        }
        for job in jobs {
            let outcome = handle(&st, &job).await;
            metrics::counter!("atende_jobs_total", "kind" => job.kind.clone(), "outcome" => match &outcome { Ok(Outcome::Done) => "done", Ok(Outcome::WaitUntil(_)) => "wait", _ => "retry" }).increment(1);
            let (error, retry_at) = match outcome {
                Ok(Outcome::Done) => continue,
                Ok(Outcome::WaitUntil(at)) => {
                    if let Err(e) = st.store.postpone_job(&job, at).await {
                        tracing::warn!(error = %e, "putting a job off failed");
                    }
                    continue;
                }
                Ok(Outcome::Retry(why)) => (
                    why,
                    atende_store::now_ms() + backoff_ms(&st.config, job.attempts),
                ),
                Ok(Outcome::RetryAt(at, why)) => (why, at),
                Err(e) => (
                    e.to_string(),
                    atende_store::now_ms() + backoff_ms(&st.config, job.attempts),
                ),
            };
            tracing::warn!(job = %job.id, kind = %job.kind, attempts = job.attempts, error = %error, "job failed; will retry");
            if let Err(e) = st.store.fail_job(&job, &error, retry_at).await {
                tracing::warn!(error = %e, "recording a job failure failed");
            }
        }
    }
}

#[tracing::instrument(name = "job", skip_all, fields(job = %job.id, kind = %job.kind, org = ?job.org_id, attempt = job.attempts))]
async fn handle(st: &AppState, job: &Job) -> Result<Outcome, atende_store::StoreError> {
    match job.kind.as_str() {
        kinds::CLOSE_ATTENDANCE => close_attendance(st, job).await,
        kinds::SEND => send(st, job).await,
        kinds::MARK_READ => mark_read(st, job).await,
        kinds::MEDIA_DOWNLOAD => crate::media::download(st, job).await,
        kinds::FLOW_RUN => crate::flows::runner::handle(st, job).await,
        kinds::FLOW_START => crate::flows::runner::scheduled_start(st, job).await,
        kinds::REPORT_HISTORY => crate::reports::history(st, job).await,
        kinds::REPORT_EXPIRE => crate::reports::expire(st, job).await,
        kinds::SYNC_TEMPLATES => match (
            job.org_id,
            job.payload
                .0
                .get("inbox_id")
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse().ok()),
        ) {
            (Some(org), Some(inbox)) => sync_templates(st, job, org, inbox).await,
            _ => Ok(Outcome::Retry("malformed sync_templates payload".into())),
        },
        other => Ok(Outcome::Retry(format!("unknown job kind {other:?}"))),
    }
}

#[derive(Deserialize)]
struct ClosePayload {
    conversation_id: ConversationId,
    attendance_id: AttendanceId,
    at: i64,
    /// The flow to start once closed (LC-11).
    #[serde(default)]
    flow_id: Option<atende_domain::FlowId>,
}

async fn close_attendance(st: &AppState, job: &Job) -> Result<Outcome, atende_store::StoreError> {
    let (Some(org), Ok(p)) = (
        job.org_id,
        serde_json::from_value::<ClosePayload>(job.payload.0.clone()),
    ) else {
        return Ok(Outcome::Retry("malformed close_attendance payload".into()));
    };
    let mut tx = st.store.begin().await?;
    let conv = tx.conversation(org, p.conversation_id).await?;
    let att = tx.attendance(org, p.attendance_id).await?;
    // Applies only if this exact closing is still scheduled on the still
    // open attendance; a cancelled, rescheduled or already applied one is a
    // no-op that just completes the job.
    if conv.attendance_id == Some(att.id) && att.closed_at.is_none() && att.close_at == Some(p.at) {
        let by_name = match att.close_by {
            Some(u) => st.store.user(org, u).await.ok().map(|u| u.name),
            None => None,
        };
        let closed = close_now(
            &mut tx,
            &conv,
            att.close_message.as_deref(),
            by_name.as_deref(),
            att.close_by,
            atende_domain::monitoring::Ended::Scheduled,
        )
        .await?;
        if let Some(flow) = p.flow_id
            && let Some(version) = tx.published_version(org, flow).await?
        {
            start_after_close(&mut tx, &closed, flow, version).await?;
        }
    }
    if !tx.complete_job(job).await? {
        return Ok(Outcome::Done); // lease lost: the new owner finishes; drop rolls back
    }
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok(Outcome::Done)
}

#[derive(Deserialize)]
struct SendPayload {
    message_id: MessageId,
}

/// Delivers an outbound message through its inbox's channel.
async fn send(st: &AppState, job: &Job) -> Result<Outcome, atende_store::StoreError> {
    let (Some(org), Ok(p)) = (
        job.org_id,
        serde_json::from_value::<SendPayload>(job.payload.0.clone()),
    ) else {
        return Ok(Outcome::Retry("malformed send payload".into()));
    };
    let msg = st.store.message(org, p.message_id).await?;
    if msg.status != ReceiptStatus::Queued.as_str() || msg.internal {
        // Already delivered by an earlier run (or never to be sent).
        return delivery::finish(st, job).await;
    }
    // CT-4 holds at delivery too: a message queued before the contact was
    // blocked does not leave once they are.
    let conv = st.store.conversation(org, msg.conversation_id).await?;
    if st.store.contact(org, conv.contact_id).await?.blocked {
        let why = crate::chat::send::CONTACT_BLOCKED;
        return delivery::fail(st, job, org, msg.id, "contact_blocked", why).await;
    }
    let inbox = st.store.inbox(org, msg.inbox_id).await?;
    match st.channels.get(inbox.kind()) {
        Some(channel) => channel.send(st, job, msg, inbox).await,
        None => {
            let text = format!(
                "O canal {} não envia mensagens neste servidor.",
                inbox.channel
            );
            delivery::fail(st, job, org, msg.id, "channel_unavailable", &text).await
        }
    }
}

#[derive(Deserialize)]
struct MarkReadPayload {
    inbox_id: atende_domain::InboxId,
    provider_id: String,
}

async fn mark_read(st: &AppState, job: &Job) -> Result<Outcome, atende_store::StoreError> {
    let (Some(org), Ok(p)) = (
        job.org_id,
        serde_json::from_value::<MarkReadPayload>(job.payload.0.clone()),
    ) else {
        return Ok(Outcome::Retry("malformed mark_read payload".into()));
    };
    let inbox = st.store.inbox(org, p.inbox_id).await?;
    match st.channels.get(inbox.kind()) {
        Some(channel) => channel.mark_read(st, job, inbox, &p.provider_id).await,
        None => delivery::finish(st, job).await,
    }
}

/// Pulls an inbox's message templates through its channel (CH-6).
async fn sync_templates(
    st: &AppState,
    job: &Job,
    org: atende_domain::OrgId,
    inbox: atende_domain::InboxId,
) -> Result<Outcome, atende_store::StoreError> {
    let inbox = st.store.inbox(org, inbox).await?;
    match st.channels.get(inbox.kind()).filter(|c| c.has_templates()) {
        Some(channel) => channel.sync_templates(st, job, inbox).await,
        None => delivery::finish(st, job).await,
    }
}
