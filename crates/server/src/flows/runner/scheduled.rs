//! The job that starts a flow at a scheduled time (kind `flow_start`,
//! FL-2).

use atende_store::flows::{NewRun, Trigger};
use atende_store::{Job, StoreError};
use serde::Deserialize;

use crate::jobs::Outcome;
use crate::state::AppState;

#[derive(Deserialize)]
struct StartPayload {
    flow_id: atende_domain::FlowId,
    conversation_id: atende_domain::ConversationId,
    batch: Option<String>,
    client: Option<String>,
}

/// A scheduled start (FL-2): the flow's version published now, unless the
/// chat has an attendance open or a flow running by then (logged, done).
pub async fn scheduled_start(st: &AppState, job: &Job) -> Result<Outcome, StoreError> {
    let (Some(org), Ok(p)) = (
        job.org_id,
        serde_json::from_value::<StartPayload>(job.payload.0.clone()),
    ) else {
        return Ok(Outcome::Retry("malformed flow_start payload".into()));
    };
    let mut tx = st.store.begin().await?;
    let conv = tx.conversation(org, p.conversation_id).await?;
    let version = tx.published_version(org, p.flow_id).await?;
    let busy = conv.attendance_id.is_some()
        || tx
            .active_run(org, conv.inbox_id, conv.contact_id)
            .await?
            .is_some();
    match version {
        Some(version) if !busy => {
            crate::flows::start(
                &mut tx,
                NewRun {
                    flow_id: p.flow_id,
                    version,
                    conversation: conv,
                    trigger: Trigger::Scheduled,
                    batch: p.batch,
                    client: p.client,
                    input_after: None,
                },
            )
            .await?;
        }
        _ => {
            tracing::info!(flow = %p.flow_id, conversation = %p.conversation_id, busy, "scheduled flow not started");
        }
    }
    if !tx.complete_job(job).await? {
        return Ok(Outcome::Done);
    }
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok(Outcome::Done)
}
