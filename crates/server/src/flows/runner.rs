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

use std::collections::BTreeMap;
use std::time::Duration;

use atende_domain::{ContentKind, DepartmentId, FlowRunId, OrgId};
use atende_flows::{Advance, Content, Effect, Input, Need, RunState};
use atende_store::chats::{Contact, Conversation, Message, NewMessage};
use atende_store::flows::{FlowRun, NewRun, Trigger};
use atende_store::{Job, NewJob, StoreError, Tx, now_ms};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::chat::compose::{self, TemplateSend};
use crate::chat::send::{Refusal, SendError};
use crate::jobs::{Outcome, kinds};
use crate::state::AppState;

/// The system line of a template step whose template cannot be sent (CH-6).
pub const TEMPLATE_NOT_SENT: &str = "--- Mensagem template não enviada, verifique o fluxo ---";

/// The line written when a flow tries a free-form message outside the
/// session window (CH-5): not visible to the contact.
pub const WINDOW_CLOSED: &str = "--- Mensagem do fluxo não enviada: a sessão de 24 horas expirou, só mensagens template podem ser enviadas ---";

/// Why a send stops the run: the system line for the chat and the run's
/// failure code.
struct Stop {
    line: &'static str,
    code: &'static str,
}

/// Rounds (one `advance` each) a job takes at most: a bound on jumps
/// between flows that never wait, since one flow alone cannot loop.
const MAX_ROUNDS: usize = 50;

/// Steps of the trail kept in a run's state (its step count keeps going).
const TRAIL_KEPT: usize = 200;

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
        let input = match (&state, waiting) {
            (None, _) => Input::Start(carried.take().unwrap_or_default()),
            (Some(_), Some(Need::Answer)) => match tx.next_answer(&run).await? {
                Some(m) => {
                    run.input_after = m.created_at;
                    run.input_after_id = Some(m.id);
                    Input::Message(answer_of(&m))
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

/// What [`apply`] left to do.
enum Applied {
    /// The run is stored (it ended, or failed).
    Saved,
    /// The run waits again; the caller stores it.
    Waiting,
    /// The run jumped: it ended, and this one goes on with these fields.
    Jumped(Box<FlowRun>, BTreeMap<String, String>),
}

/// Performs an advance's effects and updates the run.
async fn apply(
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
                super::routing::hand_over(tx, &conv, &target).await?;
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

/// What a contact's message answers: the id of the button or list row
/// chosen, else its text.
fn answer_of(m: &Message) -> String {
    let raw = m.payload.0.get("raw");
    let chosen = raw.and_then(|r| {
        r.pointer("/interactive/button_reply/id")
            .or_else(|| r.pointer("/interactive/list_reply/id"))
            .or_else(|| r.pointer("/button/payload"))
            .and_then(Value::as_str)
    });
    match chosen {
        Some(id) => id.to_string(),
        None => m.text.clone().unwrap_or_default(),
    }
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
    let now = chrono::Utc::now();
    Ok(match hours.status(now) {
        atende_domain::HoursStatus::Open { .. } => None,
        atende_domain::HoursStatus::Closed { opens_at } => Some(
            opens_at
                .map(|at| hours.describe_opening(at, now))
                .unwrap_or_else(|| "em breve".into()),
        ),
    })
}

/// Sends content as the bot, through the one send path. A stop when the
/// content cannot leave — a template that no longer exists or is not
/// approved (CH-6), free text outside the session window (CH-5): the caller
/// stops the run.
async fn send(
    st: &AppState,
    tx: &mut Tx,
    run: &FlowRun,
    content: Content,
    seen: &mut Option<(Conversation, Contact)>,
) -> Result<Option<Stop>, StoreError> {
    let org = run.org_id;
    let (conv, contact) = match seen.take() {
        Some(c) if c.0.id == run.conversation_id => c,
        _ => (
            tx.conversation(org, run.conversation_id).await?,
            tx.contact(org, run.contact_id).await?,
        ),
    };
    let (conv, contact) = &*seen.insert((conv, contact));
    let fill = |t: &str| crate::chat::send::fill_variables(t, contact, conv);
    let (kind, text, payload) = match content {
        Content::Text { text } => (ContentKind::Text, fill(&text), json!({})),
        Content::Media {
            media,
            url,
            caption,
        } => {
            let kind = match media {
                atende_flows::MediaKind::Image => ContentKind::Image,
                atende_flows::MediaKind::Audio => ContentKind::Audio,
                atende_flows::MediaKind::Video => ContentKind::Video,
                atende_flows::MediaKind::Document => ContentKind::Document,
            };
            let caption = caption.as_deref().map(fill).unwrap_or_default();
            (kind, caption, json!({"media": {"link": url}}))
        }
        Content::Buttons { text, buttons } => {
            let body = fill(&text);
            let buttons: Vec<Value> = buttons
                .iter()
                .map(|b| json!({"type": "reply", "reply": {"id": b.id, "title": b.title}}))
                .collect();
            let interactive =
                json!({"type": "button", "body": {"text": body}, "action": {"buttons": buttons}});
            (
                ContentKind::Interactive,
                body,
                json!({"interactive": interactive}),
            )
        }
        Content::List {
            text,
            button,
            sections,
        } => {
            let body = fill(&text);
            let sections: Vec<Value> = sections
                .iter()
                .map(|s| {
                    let rows: Vec<Value> = s
                        .rows
                        .iter()
                        .map(|r| match &r.description {
                            Some(d) => json!({"id": r.id, "title": r.title, "description": d}),
                            None => json!({"id": r.id, "title": r.title}),
                        })
                        .collect();
                    if s.title.is_empty() {
                        json!({"rows": rows})
                    } else {
                        json!({"title": s.title, "rows": rows})
                    }
                })
                .collect();
            let interactive = json!({"type": "list", "body": {"text": body}, "action": {"button": button, "sections": sections}});
            (
                ContentKind::Interactive,
                body,
                json!({"interactive": interactive}),
            )
        }
        Content::Template {
            name,
            language,
            params,
        } => {
            let inbox = st.store.inbox(org, run.inbox_id).await?;
            let t = TemplateSend {
                name,
                language: Some(language),
                variables: params,
                header_variables: Vec::new(),
                named_variables: BTreeMap::new(),
                header_media: None,
                components: None,
            };
            match compose::template(st, &inbox, &t, contact, conv).await {
                Ok(c) => (c.kind, c.text, c.payload),
                Err(e) => {
                    tracing::warn!(run = %run.id, template = %t.name, error = %e.message, "flow template not sent");
                    return Ok(Some(Stop {
                        line: TEMPLATE_NOT_SENT,
                        code: "template_not_sent",
                    }));
                }
            }
        }
    };
    let sent = crate::chat::send::queue(
        tx,
        crate::chat::send::Send {
            conversation: conv,
            contact,
            author: crate::chat::send::Author::Bot,
            content: crate::chat::send::Outgoing {
                internal: false,
                kind,
                text,
                payload: json!(payload),
                upload: None,
            },
            idempotency_key: None,
            upload: None,
        },
    )
    .await;
    match sent {
        Ok(_) => Ok(None),
        // CT-4: nothing reaches a blocked contact; the run goes on.
        Err(SendError::Refused(Refusal::ContactBlocked)) => Ok(None),
        // CH-5: outside the window only a template reaches the contact.
        Err(SendError::Refused(_)) => Ok(Some(Stop {
            line: WINDOW_CLOSED,
            code: "session_expired",
        })),
        Err(SendError::Store(e)) => Err(e),
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

/// Makes the call the run waits for: the HTTP request, or the script in a
/// blocking thread with its limits. The outcome is the run's next input.
async fn call(st: &AppState, run: &FlowRun) -> Option<Input> {
    let state: RunState = serde_json::from_value(run.state.as_ref()?.0.clone()).ok()?;
    match state.waiting? {
        Need::Http {
            method,
            url,
            headers,
            body,
            timeout_ms,
        } => Some(Input::Http(
            http(st, method, &url, &headers, body, timeout_ms).await,
        )),
        Need::Script { code } => {
            let fields = state.fields.clone();
            let out = tokio::task::spawn_blocking(move || {
                atende_flows::run_script(&code, &fields, &atende_flows::ScriptLimits::default())
            })
            .await;
            Some(Input::Script(match out {
                Ok(Ok(fields)) => Ok(fields),
                Ok(Err(e)) => Err(e.to_string()),
                Err(e) => Err(format!("o script parou: {e}")),
            }))
        }
        _ => None,
    }
}

/// An `http` step's request: a JSON answer (or `null` for an empty or
/// non-JSON body) on 2xx, else the failure.
async fn http(
    st: &AppState,
    method: atende_flows::HttpMethod,
    url: &str,
    headers: &BTreeMap<String, String>,
    body: Option<String>,
    timeout_ms: u32,
) -> Result<Value, String> {
    use atende_flows::HttpMethod as M;
    let method = match method {
        M::Get => reqwest::Method::GET,
        M::Post => reqwest::Method::POST,
        M::Put => reqwest::Method::PUT,
        M::Patch => reqwest::Method::PATCH,
        M::Delete => reqwest::Method::DELETE,
    };
    if !st.flows.allow_internal
        && let Some(why) = reqwest::Url::parse(url)
            .ok()
            .as_ref()
            .and_then(super::egress::refused_host)
    {
        return Err(why);
    }
    let mut req = st
        .flows
        .http
        .request(method, url)
        .timeout(Duration::from_millis(u64::from(timeout_ms)));
    for (k, v) in headers {
        req = req.header(k, v);
    }
    if let Some(b) = body {
        if !headers
            .keys()
            .any(|k| k.eq_ignore_ascii_case("content-type"))
        {
            req = req.header("content-type", "application/json");
        }
        req = req.body(b);
    }
    let resp = req.send().await.map_err(|e| {
        if e.is_timeout() {
            format!("tempo esgotado ({timeout_ms} ms)")
        } else {
            // The cause says more than reqwest's "error sending request"
            // (e.g. a name that resolves to internal addresses only).
            let mut why = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                why = s.to_string();
                source = s.source();
            }
            format!("falha na requisição: {why}")
        }
    })?;
    let status = resp.status();
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| format!("resposta interrompida: {e}"))?;
    if !status.is_success() {
        return Err(format!("o serviço respondeu {}", status.as_u16()));
    }
    Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

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
            super::start(
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
