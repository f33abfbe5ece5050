//! The job that runs a flow (kind `flow_run`): it takes every step the run
//! can take up to the next thing from outside — the contact's answer, the
//! end of a wait, an HTTP call or a script — performing the effects
//! (messages, tags, the handover) in the same transaction that stores the
//! run's state and completes the job.
//!
//! What wakes a run: its start, each contact message (one job per message;
//! each job takes every message waiting, in order, so extra jobs find
//! nothing to do), the end of a `wait` and the outcome of a call. An HTTP
//! call or a script runs in a job of its own, outside any transaction, then
//! the run goes on only if it is still at that step; a crash between the
//! call and the commit makes the job call again (at least once).
//!
//! Only the contact's messages written while the run waits for the contact
//! are answers: those sent while it was busy elsewhere (a call, a wait)
//! are not taken as answers to the next question.

mod calls;
mod effects;
mod scheduled;
mod send;

use std::collections::BTreeMap;

use atende_domain::{DepartmentId, FlowRunId};
use atende_flows::{Input, Need, RunState};
use atende_store::chats::{Contact, Conversation, Message};
use atende_store::flows::FlowRun;
use atende_store::{Job, StoreError, now_ms};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::jobs::Outcome;
use crate::state::AppState;
use calls::call;
use effects::{Applied, apply};

pub use scheduled::scheduled_start;

/// The system line of a template step whose template cannot be sent (CH-6).
pub const TEMPLATE_NOT_SENT: &str = "--- Mensagem template não enviada, verifique o fluxo ---";

/// The line written when a flow tries a free-form message outside the
/// session window (CH-5): not visible to the contact.
pub const WINDOW_CLOSED: &str = "--- Mensagem do fluxo não enviada: a sessão de 24 horas expirou, só mensagens template podem ser enviadas ---";

/// Rounds (one `advance` each) a job takes at most: a bound on jumps
/// between flows that never wait, since one flow alone cannot loop.
const MAX_ROUNDS: usize = 50;

#[derive(Deserialize)]
struct Payload {
    run_id: FlowRunId,
    #[serde(default)]
    wake: Option<Wake>,
}

/// Why a job was enqueued beyond "look at the run".
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Wake {
    /// The `wait` entered after `at_steps` steps is over.
    Resume { at_steps: i64 },
    /// Make the call (HTTP or script) the run waits for after `at_steps`.
    Call { at_steps: i64 },
}

pub async fn handle(st: &AppState, job: &Job) -> Result<Outcome, StoreError> {
    let (Some(org), Ok(p)) = (
        job.org_id,
        serde_json::from_value::<Payload>(job.payload.0.clone()),
    ) else {
        return Ok(Outcome::Retry("malformed flow_run payload".into()));
    };
    // A call runs before the transaction: it may take seconds.
    let mut called = None;
    if let Some(Wake::Call { at_steps }) = p.wake {
        let run = st.store.flow_run(org, p.run_id).await?;
        if run.is_active() && run.steps == at_steps {
            called = call(st, &run).await;
        }
    }
    let mut tx = st.store.begin().await?;
    let mut run = tx.flow_run(org, p.run_id).await?;
    let mut wake = p.wake;
    let mut carried: Option<BTreeMap<String, String>> = None;
    // The chat and contact as the bot's messages read them, once per job.
    let mut seen: Option<(Conversation, Contact)> = None;
    // A run waiting again is stored once, when the job is done with it.
    let mut unsaved = false;
    for _ in 0..MAX_ROUNDS {
        if !run.is_active() {
            break;
        }
        let mut state: Option<RunState> = match &run.state {
            None => None,
            Some(s) => match serde_json::from_value(s.0.clone()) {
                Ok(s) => Some(s),
                Err(e) => {
                    fail(&mut run, format!("estado da execução ilegível: {e}"));
                    tx.save_run(&run).await?;
                    break;
                }
            },
        };
        let waiting = state.as_ref().and_then(|s| s.waiting.clone());
        // A text answer, when it was typed (not a button or row chosen):
        // a number may name an option of the menu shown.
        let mut typed_at = None;
        let input = match (&state, waiting) {
            (None, _) => Input::Start(carried.take().unwrap_or_default()),
            (Some(_), Some(Need::Answer)) => match tx.next_answer(&run).await? {
                Some(m) => {
                    run.input_after = m.created_at;
                    run.input_after_id = Some(m.id);
                    let (answer, chosen) = answer_of(&m);
                    typed_at = (!chosen).then_some(m.created_at);
                    Input::Message(answer)
                }
                None => break,
            },
            (Some(_), Some(Need::Time { .. })) => match wake.take() {
                Some(Wake::Resume { at_steps }) if at_steps == run.steps => Input::Resumed,
                _ => break,
            },
            (Some(_), Some(Need::Http { .. } | Need::Script { .. })) => {
                match (wake.take(), called.take()) {
                    (Some(Wake::Call { at_steps }), Some(outcome)) if at_steps == run.steps => {
                        outcome
                    }
                    _ => break,
                }
            }
            (Some(_), Some(Need::Hours)) => {
                let opens = hours_closed(st, &run).await?;
                if let (Some(opens), Some(s)) = (&opens, state.as_mut()) {
                    // Outside the hours: the contact is listed (LC-21) and
                    // the flow can tell when it opens.
                    s.fields.insert("proxima_abertura".into(), opens.clone());
                    tx.record_out_of_hours(&run).await?;
                }
                Input::Hours(opens.is_none())
            }
            (Some(_), Some(Need::AgentsOnline { department })) => {
                let dept = department.and_then(|d| d.parse::<DepartmentId>().ok());
                Input::AgentsOnline(tx.agents_online(org, dept).await? > 0)
            }
            (Some(_), None) => {
                fail(&mut run, "a execução não espera por nada".into());
                tx.save_run(&run).await?;
                break;
            }
        };
        let flow = match st
            .flows
            .version(&st.store, org, run.flow_id, run.version)
            .await
        {
            Ok(f) => f,
            Err(e) => {
                fail(&mut run, e);
                tx.save_run(&run).await?;
                break;
            }
        };
        let input = match (input, typed_at) {
            (Input::Message(text), Some(at)) => Input::Message(
                numbered_answer(&mut tx, &run, &flow, state.as_ref(), at, text).await?,
            ),
            (input, _) => input,
        };
        // After anything but the contact's answer (a start, a wait, a call,
        // a check of the hours or of the agents online), the run was not
        // waiting for the contact: what they wrote meanwhile answers nothing.
        let fresh = !matches!(input, Input::Message(_));
        match atende_flows::advance(&flow, state, input) {
            Ok(adv) => match apply(st, &mut tx, &mut run, adv, fresh, &mut seen).await? {
                Applied::Saved => unsaved = false,
                Applied::Waiting => unsaved = true,
                Applied::Jumped(next, fields) => {
                    // The run ended; the next one goes on in this job.
                    carried = Some(fields);
                    run = *next;
                    unsaved = false;
                }
            },
            Err(e) => {
                fail(&mut run, e.to_string());
                tx.save_run(&run).await?;
                unsaved = false;
            }
        }
    }
    if unsaved {
        tx.save_run(&run).await?;
    }
    if run.is_active() && run.state.is_none() {
        // Jumps that never stop: the last run goes nowhere.
        fail(
            &mut run,
            format!(
                "o fluxo saltou entre fluxos mais de {MAX_ROUNDS} vezes sem esperar pelo contato"
            ),
        );
        tx.save_run(&run).await?;
    }
    if !tx.complete_job(job).await? {
        return Ok(Outcome::Done); // lease lost: the new owner finishes
    }
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok(Outcome::Done)
}

/// Ends a run with an error (the chat stays where it is).
fn fail(run: &mut FlowRun, why: String) {
    tracing::warn!(run = %run.id, flow = %run.flow_id, error = %why, "flow run failed");
    run.status = "failed".into();
    run.waiting = None;
    run.outcome = Some(why);
    run.finished_at = Some(now_ms());
}

/// What a contact's message answers: the id of the button or list row
/// chosen (on every channel, `payload.reply_id`; WhatsApp messages stored
/// before it, their raw object), else its text; and whether it was chosen.
fn answer_of(m: &Message) -> (String, bool) {
    let raw = m.payload.0.get("raw");
    let chosen = m
        .payload
        .0
        .get("reply_id")
        .and_then(Value::as_str)
        .or_else(|| {
            raw.and_then(|r| {
                r.pointer("/interactive/button_reply/id")
                    .or_else(|| r.pointer("/interactive/list_reply/id"))
                    .or_else(|| r.pointer("/button/payload"))
                    .and_then(Value::as_str)
            })
        });
    match chosen {
        Some(id) => (id.to_string(), true),
        None => (m.text.clone().unwrap_or_default(), false),
    }
}

/// A number typed in answer to a question with options names the option of
/// the menu shown before it, counting from 1 — how a channel without
/// buttons shows a menu (Meta past 13 options: numbered text), and how
/// many people answer anyway. A number that is itself an option stays.
async fn numbered_answer(
    tx: &mut atende_store::Tx,
    run: &FlowRun,
    flow: &atende_flows::Flow,
    state: Option<&RunState>,
    at: atende_store::Millis,
    typed: String,
) -> Result<String, StoreError> {
    let asks_option = state
        .and_then(|s| flow.steps.get(&s.step))
        .and_then(|step| match step {
            atende_flows::Step::Ask {
                answer: atende_flows::Answer::Option { options },
                ..
            } => Some(options),
            _ => None,
        });
    let Some(options) = asks_option else {
        return Ok(typed);
    };
    if options
        .iter()
        .any(|o| o.trim().eq_ignore_ascii_case(typed.trim()))
    {
        return Ok(typed);
    }
    let Some(menu) = tx.last_menu(run, at).await? else {
        return Ok(typed);
    };
    let shown = crate::chat::menu::options(&menu.payload.0["interactive"]);
    Ok(crate::chat::menu::numbered(&shown, &typed)
        .map(|o| o.id.clone())
        .unwrap_or(typed))
}

/// None when the run's inbox is within its business hours now; else the
/// next opening in words ("amanhã às 08:00"), or "em breve" when none is
/// set within a year.
async fn hours_closed(st: &AppState, run: &FlowRun) -> Result<Option<String>, StoreError> {
    let inbox = st.store.inbox(run.org_id, run.inbox_id).await?;
    let Some(h) = inbox.business_hours else {
        return Ok(None);
    };
    let hours = match serde_json::from_value::<atende_domain::BusinessHours>(h.0) {
        Ok(h) => h,
        Err(e) => {
            tracing::warn!(inbox = %inbox.id, error = %e, "unreadable business hours; taken as open");
            return Ok(None);
        }
    };
    let now = atende_store::now();
    Ok(match hours.status(now) {
        atende_domain::HoursStatus::Open { .. } => None,
        atende_domain::HoursStatus::Closed { opens_at } => Some(
            opens_at
                .map(|at| hours.describe_opening(at, now))
                .unwrap_or_else(|| "em breve".into()),
        ),
    })
}
