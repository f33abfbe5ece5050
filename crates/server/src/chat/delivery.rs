//! Ending a `send` job: the two ways every channel's delivery finishes
//! without a retry.

use atende_domain::{InboxId, MessageId, OrgId, ReceiptStatus};
use atende_store::chats::Message;
use atende_store::directory::Inbox;
use atende_store::{Job, StoreError};
use serde_json::json;

use crate::jobs::Outcome;
use crate::state::AppState;

/// Completes the job (its effect, if any, is already stored).
pub async fn finish(st: &AppState, job: &Job) -> Result<Outcome, StoreError> {
    let mut tx = st.store.begin().await?;
    if tx.complete_job(job).await? {
        st.commit(tx).await?;
    }
    Ok(Outcome::Done)
}

/// Fails the queued message with the reason the agent sees (CH-7) and
/// completes its job, in one transaction.
pub async fn fail(
    st: &AppState,
    job: &Job,
    org: OrgId,
    message: MessageId,
    code: &str,
    text: &str,
) -> Result<Outcome, StoreError> {
    let mut tx = st.store.begin().await?;
    tx.update_receipt(
        org,
        message,
        ReceiptStatus::Failed,
        None,
        Some((code, text)),
    )
    .await?;
    if tx.complete_job(job).await? {
        st.commit(tx).await?;
    }
    Ok(Outcome::Done)
}

/// Remembers how many pieces of a message split for its channel (a long
/// text) went before a failure, so the retry sends the rest only.
pub async fn progress(
    st: &AppState,
    msg: &Message,
    sent: usize,
    first_id: Option<&str>,
) -> Result<(), StoreError> {
    if sent == 0 {
        return Ok(());
    }
    let mut payload = msg.payload.0.clone();
    payload["pieces_sent"] = json!(sent);
    payload["first_provider_id"] = json!(first_id);
    let mut tx = st.store.begin().await?;
    tx.set_message_payload(msg, payload).await?;
    st.commit(tx).await
}

/// The provider refused a send for good: the message fails with the code
/// and the reason the agent sees (CH-7), and a refused credential marks
/// the inbox as needing a new one, in one transaction with the job.
pub async fn refused(
    st: &AppState,
    job: &Job,
    msg: &Message,
    inbox: InboxId,
    reauth: bool,
    code: &str,
    text: &str,
) -> Result<Outcome, StoreError> {
    let mut tx = st.store.begin().await?;
    if reauth {
        tx.set_needs_reauth(msg.org_id, inbox, true).await?;
    }
    tx.update_receipt(
        msg.org_id,
        msg.id,
        ReceiptStatus::Failed,
        None,
        Some((code, text)),
    )
    .await?;
    if tx.complete_job(job).await? {
        st.commit(tx).await?;
    }
    Ok(Outcome::Done)
}

/// The provider could not be reached: retried, and on the last attempt the
/// message fails with why (nothing is left queued for ever).
pub async fn unreachable(
    st: &AppState,
    job: &Job,
    msg: &Message,
    provider: &str,
    why: String,
) -> Result<Outcome, StoreError> {
    if job.attempts < job.max_attempts {
        return Ok(Outcome::Retry(why));
    }
    tracing::warn!(message = %msg.id, error = %why, provider, "provider unreachable on the last attempt");
    fail(
        st,
        job,
        msg.org_id,
        msg.id,
        "provider_unreachable",
        &format!(
            "Não foi possível falar com o {provider} depois de {} tentativas: {why}",
            job.attempts
        ),
    )
    .await
}

/// The provider took the message: it is `sent` with the provider's id of
/// it (statuses that came before the answer apply now), and an inbox that
/// needed a new credential no longer does, in one transaction with the job.
pub async fn sent(
    st: &AppState,
    job: &Job,
    msg: &Message,
    inbox: &Inbox,
    provider_id: Option<&str>,
) -> Result<Outcome, StoreError> {
    let mut tx = st.store.begin().await?;
    if let Some(updated) = tx
        .update_receipt(msg.org_id, msg.id, ReceiptStatus::Sent, provider_id, None)
        .await?
    {
        tx.apply_pending_statuses(&updated).await?;
    }
    if inbox.needs_reauth {
        tx.set_needs_reauth(msg.org_id, inbox.id, false).await?;
    }
    if tx.complete_job(job).await? {
        st.commit(tx).await?;
    }
    Ok(Outcome::Done)
}
