//! What an advance does: its effects (messages, tags, the handover, a jump
//! to another flow) and the run's new state, with the job that wakes it.

use std::collections::BTreeMap;

use atende_domain::OrgId;
use atende_flows::{Advance, Effect, Need, RunState};
use atende_store::chats::{Contact, Conversation, NewMessage};
use atende_store::flows::{FlowRun, NewRun, Trigger};
use atende_store::{NewJob, StoreError, Tx, now_ms};
use serde_json::{Value, json};

use super::send::send;
use super::{Wake, fail};
use crate::jobs::kinds;
use crate::state::AppState;

/// Steps of the trail kept in a run's state (its step count keeps going).
const TRAIL_KEPT: usize = 200;

/// What [`apply`] left to do.
pub(super) enum Applied {
    /// The run is stored (it ended, or failed).
    Saved,
    /// The run waits again; the caller stores it.
    Waiting,
    /// The run jumped: it ended, and this one goes on with these fields.
    Jumped(Box<FlowRun>, BTreeMap<String, String>),
}

/// Performs an advance's effects and updates the run.
pub(super) async fn apply(
    st: &AppState,
    tx: &mut Tx,
    run: &mut FlowRun,
    mut adv: Advance,
    fresh: bool,
    seen: &mut Option<(Conversation, Contact)>,
) -> Result<Applied, StoreError> {
    let before = run
        .state
        .as_ref()
        .and_then(|s| s.0.get("trail"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    run.steps += adv.state.trail.len().saturating_sub(before) as i64;
    if adv.state.trail.len() > TRAIL_KEPT {
        let cut = adv.state.trail.len() - TRAIL_KEPT;
        adv.state.trail.drain(..cut);
    }
    run.step = Some(adv.state.step.clone());
    run.waiting = adv
        .state
        .waiting
        .as_ref()
        .map(need_name)
        .map(str::to_string);
    let mut jump = None;
    let mut outcome = "end";
    for effect in adv.effects {
        match effect {
            Effect::Send(content) => {
                if let Some(stop) = send(st, tx, run, content, seen).await? {
                    let conv = tx.conversation(run.org_id, run.conversation_id).await?;
                    tx.insert_message(NewMessage::system(&conv, stop.line.to_string()))
                        .await?;
                    run.state = Some(atende_store::Json(
                        serde_json::to_value(&adv.state).unwrap_or_default(),
                    ));
                    fail(run, stop.code.into());
                    tx.save_run(run).await?;
                    return Ok(Applied::Saved);
                }
            }
            Effect::Tag { tags, info } => {
                tag(st, tx, run, &tags, info).await?;
                *seen = None; // the contact's information changed
            }
            Effect::OpenAttendance(target) => {
                outcome = "handover";
                note_callback(tx, run, &adv.state, &flow_callbacks(st, run).await).await?;
                // The run ends first, so the attendance opens on a chat no
                // flow holds.
                end(run, &adv.state, outcome);
                tx.save_run(run).await?;
                let conv = tx.conversation(run.org_id, run.conversation_id).await?;
                crate::flows::routing::hand_over(tx, &conv, &target).await?;
                return Ok(Applied::Saved);
            }
            Effect::Jump { flow, fields } => {
                outcome = "jump";
                jump = Some((flow, fields));
            }
        }
    }
    if adv.finished {
        note_callback(tx, run, &adv.state, &flow_callbacks(st, run).await).await?;
        end(run, &adv.state, outcome);
        tx.save_run(run).await?;
        if let Some((name, fields)) = jump {
            return Ok(match start_jump(tx, run, &name, fields).await? {
                Some((next, fields)) => Applied::Jumped(Box::new(next), fields),
                None => Applied::Saved,
            });
        }
        return Ok(Applied::Saved);
    }
    let need = adv.state.waiting.clone();
    run.state = Some(atende_store::Json(
        serde_json::to_value(&adv.state).unwrap_or_default(),
    ));
    match need {
        Some(Need::Answer) if fresh => {
            // Only messages from now on answer it.
            if let Some((at, id)) = tx
                .last_contact_message(run.org_id, run.conversation_id)
                .await?
                && (at, Some(id)) > (run.input_after, run.input_after_id)
            {
                run.input_after = at;
                run.input_after_id = Some(id);
            }
        }
        Some(Need::Time { seconds }) => {
            enqueue_wake(
                tx,
                run,
                Wake::Resume {
                    at_steps: run.steps,
                },
                i64::from(seconds) * 1000,
            )
            .await?;
        }
        Some(Need::Http { .. } | Need::Script { .. }) => {
            enqueue_wake(
                tx,
                run,
                Wake::Call {
                    at_steps: run.steps,
                },
                0,
            )
            .await?;
        }
        _ => {}
    }
    Ok(Applied::Waiting)
}

/// The fields the flow's `hours` steps store the callback answer in.
async fn flow_callbacks(st: &AppState, run: &FlowRun) -> Vec<String> {
    match st
        .flows
        .version(&st.store, run.org_id, run.flow_id, run.version)
        .await
    {
        Ok(flow) => flow
            .steps
            .values()
            .filter_map(|s| match s {
                atende_flows::Step::Hours { callback_field, .. } => callback_field.clone(),
                _ => None,
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Records whether an out-of-hours contact asked for a callback (LC-21):
/// the answer in a callback field, read as yes or no.
async fn note_callback(
    tx: &mut Tx,
    run: &FlowRun,
    state: &RunState,
    fields: &[String],
) -> Result<(), StoreError> {
    for f in fields {
        if let Some(v) = state.fields.get(f) {
            let v = v.trim().to_lowercase();
            let yes = ["sim", "s", "yes", "y", "1", "true", "quero"].contains(&v.as_str());
            tx.set_out_of_hours_callback(run, yes).await?;
        }
    }
    Ok(())
}

fn end(run: &mut FlowRun, state: &RunState, outcome: &str) {
    run.status = "finished".into();
    run.waiting = None;
    run.outcome = Some(outcome.to_string());
    run.finished_at = Some(now_ms());
    run.state = Some(atende_store::Json(
        serde_json::to_value(state).unwrap_or_default(),
    ));
}

async fn start_jump(
    tx: &mut Tx,
    from: &FlowRun,
    name: &str,
    fields: BTreeMap<String, String>,
) -> Result<Option<(FlowRun, BTreeMap<String, String>)>, StoreError> {
    let Some((flow, version)) = tx.published_by_name(from.org_id, name).await? else {
        let mut failed = from.clone();
        failed.status = "failed".into();
        failed.outcome = Some(format!(
            "o fluxo \"{name}\" não existe ou não foi publicado"
        ));
        tx.save_run(&failed).await?;
        return Ok(None);
    };
    let conv = tx.conversation(from.org_id, from.conversation_id).await?;
    let next = tx
        .start_run(NewRun {
            flow_id: flow,
            version,
            conversation: conv,
            trigger: Trigger::Jump,
            batch: from.batch.clone(),
            client: from.client.clone(),
            input_after: from.input_after_id.map(|id| (from.input_after, id)),
        })
        .await?;
    Ok(Some((next, fields)))
}

async fn enqueue_wake(
    tx: &mut Tx,
    run: &FlowRun,
    wake: Wake,
    delay_ms: i64,
) -> Result<(), StoreError> {
    let key = match wake {
        Wake::Resume { at_steps } => format!("flow:{}:wait:{at_steps}", run.id),
        Wake::Call { at_steps } => format!("flow:{}:call:{at_steps}", run.id),
    };
    tx.enqueue(NewJob {
        idempotency_key: Some(key),
        run_at: now_ms() + delay_ms,
        // A failing call is the run's error path, not a reason to retry
        // forever; the job itself retries only on storage errors.
        max_attempts: 5,
        ..NewJob::now(
            Some(run.org_id),
            kinds::FLOW_RUN,
            json!({"run_id": run.id, "wake": wake}),
        )
    })
    .await?;
    Ok(())
}

fn need_name(n: &Need) -> &'static str {
    match n {
        Need::Answer => "answer",
        Need::Time { .. } => "time",
        Need::Http { .. } => "http",
        Need::Script { .. } => "script",
        Need::Hours => "hours",
        Need::AgentsOnline { .. } => "agents_online",
    }
}

/// Adds tags (by name) to the chat and additional information (custom
/// fields by key) to the contact; names no longer known are skipped.
async fn tag(
    st: &AppState,
    tx: &mut Tx,
    run: &FlowRun,
    tags: &[String],
    info: BTreeMap<String, String>,
) -> Result<(), StoreError> {
    let org: OrgId = run.org_id;
    let conv = tx.conversation(org, run.conversation_id).await?;
    if !tags.is_empty() {
        let known = st.store.tags(org).await?;
        let mut ids: Vec<_> = st
            .store
            .tags_of_conversations(org, &[conv.id])
            .await?
            .remove(&conv.id)
            .unwrap_or_default();
        for name in tags {
            match known
                .iter()
                .find(|t| t.name.eq_ignore_ascii_case(name.trim()))
            {
                Some(t) => ids.push(t.id),
                None => {
                    tracing::warn!(run = %run.id, tag = %name, "flow tag no longer exists; skipped")
                }
            }
        }
        tx.set_conversation_tags(&conv, &ids).await?;
    }
    if !info.is_empty() {
        let changes = atende_store::contacts::ContactChanges {
            custom: info.into_iter().map(|(k, v)| (k, Some(v))).collect(),
            ..Default::default()
        };
        tx.update_contact(org, run.contact_id, &changes).await?;
    }
    Ok(())
}
