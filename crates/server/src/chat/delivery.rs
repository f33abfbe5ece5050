//! Ending a `send` job: the two ways every channel's delivery finishes
//! without a retry.

use atende_domain::{MessageId, OrgId, ReceiptStatus};
use atende_store::{Job, StoreError};

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
