//! The executor's core: from a run's state and what just happened, the
//! steps to take up to the next thing the run needs from outside (the
//! contact's answer, the clock, an HTTP call, a script, the business hours,
//! the agents' presence), and what the caller must do meanwhile (send,
//! tag, open an attendance...). No I/O: the server performs the effects,
//! stores the state and calls again with the outcome.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::eval::{check_answer, rules_hold};
use crate::model::{Content, Flow, HttpMethod, Step, StepId, Target};

/// Steps one call may take: a guard, since a flow validated by
/// [`crate::validate`] cannot loop without waiting.
const MAX_STEPS: usize = 1_000;

/// The field an `http` or `script` step's failure is written to before the
/// run takes the step's `error` path, so the author can see (and say) why.
pub const ERROR_FIELD: &str = "erro";

/// A run's durable state, kept between calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunState {
    /// The step the run is at (the one waiting, when it waits).
    pub step: StepId,
    /// The run's fields (answers, mappings, `set`, scripts).
    pub fields: BTreeMap<String, String>,
    /// Wrong answers given so far to the current question.
    pub attempts: u8,
    /// Every step reached, in order (FL-3: where contacts stopped).
    pub trail: Vec<StepId>,
    /// What the run waits for, if anything.
    pub waiting: Option<Need>,
}

/// What happened since the last call.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The run starts at the flow's `start` with these fields (empty, or
    /// those a jump from another flow carries).
    Start(BTreeMap<String, String>),
    /// The contact wrote (a text, or the id of the button or row chosen).
    Message(String),
    /// The run's `wait` is over.
    Resumed,
    /// The HTTP call answered (its JSON body) or failed.
    Http(Result<serde_json::Value, String>),
    /// The script ended with these fields, or failed.
    Script(Result<BTreeMap<String, String>, String>),
    /// Whether the inbox is within its business hours now.
    Hours(bool),
    /// Whether an agent (of the department asked about) is online.
    AgentsOnline(bool),
}

/// What the run waits for before it can go on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Need {
    /// The contact's answer.
    Answer,
    /// The end of a `wait`.
    Time { seconds: u32 },
    /// The outcome of an HTTP call.
    Http {
        method: HttpMethod,
        url: String,
        headers: BTreeMap<String, String>,
        body: Option<String>,
        timeout_ms: u32,
    },
    /// The outcome of a script over the run's fields.
    Script { code: String },
    /// Whether the inbox is within its business hours.
    Hours,
    /// Whether an agent is online.
    AgentsOnline {
        department: Option<crate::model::DepartmentRef>,
    },
}

/// What the caller does on the run's behalf, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send this content, its variables already filled from the fields
    /// (`{nome}` and the contact's custom fields are the caller's to fill).
    Send(Content),
    /// Add these tags to the chat and this additional information to the
    /// contact.
    Tag {
        tags: Vec<String>,
        info: BTreeMap<String, String>,
    },
    /// Hand the chat over to people; the run is over.
    OpenAttendance(Target),
    /// Go on in another flow, from its start, with the run's fields.
    Jump {
        flow: String,
        fields: BTreeMap<String, String>,
    },
}

/// The outcome of one call: what to do, and the run's state — to keep
/// while it waits, to record (its fields and trail, FL-3) once finished.
#[derive(Debug, Clone, PartialEq)]
pub struct Advance {
    pub effects: Vec<Effect>,
    pub state: RunState,
    /// The run is over: it handed over, jumped, or had nowhere to go.
    pub finished: bool,
}

/// Why a run cannot go on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    #[error("a etapa \"{0}\" não existe no fluxo")]
    UnknownStep(StepId),
    #[error("o fluxo passou de {MAX_STEPS} etapas sem esperar por nada")]
    TooManySteps,
    #[error("a execução não esperava por {0}")]
    Unexpected(&'static str),
}

/// Runs `flow` from `state` (none to start) with `input` until it needs
/// something or ends.
pub fn advance(flow: &Flow, state: Option<RunState>, input: Input) -> Result<Advance, RunError> {
    let mut run = Runner {
        flow,
        effects: Vec::new(),
    };
    let (mut state, mut next) = match (state, input) {
        (None, Input::Start(fields)) => {
            let state = RunState {
                step: flow.start.clone(),
                fields,
                attempts: 0,
                trail: Vec::new(),
                waiting: None,
            };
            let at = Some(flow.start.clone());
            (state, at)
        }
        (None, _) => return Err(RunError::Unexpected("um evento sem execução")),
        (Some(_), Input::Start(_)) => return Err(RunError::Unexpected("um novo início")),
        (Some(state), input) => match run.resume(state, input)? {
            (state, Resumed::Go(next)) => (state, next),
            (state, Resumed::Stay) => return Ok(run.done(state, false)),
        },
    };
    for _ in 0..MAX_STEPS {
        let Some(id) = next else {
            return Ok(run.done(state, true));
        };
        state.step = id.clone();
        state.trail.push(id.clone());
        match run.enter(&mut state, &id)? {
            Leads::Next(n) => next = n,
            Leads::Wait(need) => {
                state.waiting = Some(need);
                return Ok(run.done(state, false));
            }
            Leads::End => return Ok(run.done(state, true)),
        }
    }
    Err(RunError::TooManySteps)
}

/// Where a resumed run goes: on to a step (or the end), or nowhere yet.
enum Resumed {
    Go(Option<StepId>),
    Stay,
}

/// Where a step leads.
enum Leads {
    Next(Option<StepId>),
    Wait(Need),
    End,
}

struct Runner<'a> {
    flow: &'a Flow,
    effects: Vec<Effect>,
}

impl<'a> Runner<'a> {
    fn step(&self, id: &StepId) -> Result<&'a Step, RunError> {
        self.flow
            .steps
            .get(id)
            .ok_or_else(|| RunError::UnknownStep(id.clone()))
    }

    fn done(self, state: RunState, finished: bool) -> Advance {
        Advance {
            effects: self.effects,
            state,
            finished,
        }
    }

    /// Takes the outcome the run waited for; says where it goes on.
    fn resume(
        &mut self,
        mut state: RunState,
        input: Input,
    ) -> Result<(RunState, Resumed), RunError> {
        let step = self.step(&state.step)?;
        let waiting = state.waiting.take();
        let next = match (step, waiting, input) {
            (
                Step::Ask {
                    field,
                    answer,
                    retries,
                    invalid_message,
                    next,
                    invalid,
                },
                Some(Need::Answer),
                Input::Message(text),
            ) => match check_answer(answer, &text) {
                Ok(value) => {
                    state.fields.insert(field.clone(), value);
                    state.attempts = 0;
                    next.clone()
                }
                Err(_) if state.attempts < *retries => {
                    state.attempts += 1;
                    if let Some(m) = invalid_message {
                        self.effects.push(Effect::Send(Content::Text {
                            text: fill(m, &state.fields),
                        }));
                    }
                    // Still at the question.
                    state.waiting = Some(Need::Answer);
                    return Ok((state, Resumed::Stay));
                }
                Err(_) => {
                    state.attempts = 0;
                    invalid.clone()
                }
            },
            (Step::Wait { next, .. }, Some(Need::Time { .. }), Input::Resumed) => next.clone(),
            (
                Step::Http {
                    map, next, error, ..
                },
                Some(Need::Http { .. }),
                Input::Http(r),
            ) => match r {
                Ok(body) => {
                    for (field, pointer) in map {
                        if let Some(v) = body.pointer(pointer) {
                            let v = match v {
                                serde_json::Value::String(s) => s.clone(),
                                other => other.to_string(),
                            };
                            state.fields.insert(field.clone(), v);
                        }
                    }
                    next.clone()
                }
                Err(why) => {
                    state.fields.insert(ERROR_FIELD.into(), why);
                    error.clone()
                }
            },
            (Step::Script { next, error, .. }, Some(Need::Script { .. }), Input::Script(r)) => {
                match r {
                    Ok(fields) => {
                        state.fields = fields;
                        next.clone()
                    }
                    Err(why) => {
                        state.fields.insert(ERROR_FIELD.into(), why);
                        error.clone()
                    }
                }
            }
            (Step::Hours { open, closed, .. }, Some(Need::Hours), Input::Hours(is_open)) => {
                Some(if is_open { open } else { closed }.clone())
            }
            (
                Step::AgentsOnline { yes, no, .. },
                Some(Need::AgentsOnline { .. }),
                Input::AgentsOnline(online),
            ) => Some(if online { yes } else { no }.clone()),
            (_, _, Input::Message(_)) => {
                return Err(RunError::Unexpected("uma mensagem do contato"));
            }
            _ => return Err(RunError::Unexpected("esse resultado")),
        };
        Ok((state, Resumed::Go(next)))
    }

    /// Enters step `id`.
    fn enter(&mut self, state: &mut RunState, id: &StepId) -> Result<Leads, RunError> {
        let fields = &mut state.fields;
        Ok(match self.step(id)? {
            Step::Send { content, next } => {
                self.effects
                    .push(Effect::Send(fill_content(content, fields)));
                Leads::Next(next.clone())
            }
            Step::Ask { .. } => Leads::Wait(Need::Answer),
            Step::Condition {
                matching,
                rules,
                then,
                otherwise,
            } => Leads::Next(Some(
                if rules_hold(*matching, rules, fields) {
                    then
                } else {
                    otherwise
                }
                .clone(),
            )),
            Step::Set {
                fields: set,
                tags,
                info,
                next,
            } => {
                for (k, v) in set {
                    let v = fill(v, fields);
                    fields.insert(k.clone(), v);
                }
                if !tags.is_empty() || !info.is_empty() {
                    let info = info
                        .iter()
                        .map(|(k, v)| (k.clone(), fill(v, fields)))
                        .collect();
                    self.effects.push(Effect::Tag {
                        tags: tags.clone(),
                        info,
                    });
                }
                Leads::Next(next.clone())
            }
            Step::Http {
                method,
                url,
                headers,
                body,
                timeout_ms,
                ..
            } => Leads::Wait(Need::Http {
                method: *method,
                url: fill(url, fields),
                headers: headers
                    .iter()
                    .map(|(k, v)| (k.clone(), fill(v, fields)))
                    .collect(),
                body: body.as_deref().map(|b| fill(b, fields)),
                timeout_ms: *timeout_ms,
            }),
            Step::Script { code, .. } => Leads::Wait(Need::Script { code: code.clone() }),
            Step::Wait { seconds, .. } => Leads::Wait(Need::Time { seconds: *seconds }),
            Step::Hours { .. } => Leads::Wait(Need::Hours),
            Step::AgentsOnline { department, .. } => Leads::Wait(Need::AgentsOnline {
                department: department.clone(),
            }),
            Step::Jump { flow } => {
                self.effects.push(Effect::Jump {
                    flow: flow.clone(),
                    fields: fields.clone(),
                });
                Leads::End
            }
            Step::OpenAttendance { target } => {
                self.effects.push(Effect::OpenAttendance(target.clone()));
                Leads::End
            }
        })
    }
}

/// `text` with each `{field}` of the run replaced by its value; other
/// braces are left for the caller (`{nome}`, custom fields).
pub fn fill(text: &str, fields: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if fields.contains_key(name) => {
                out.push_str(&fields[name]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn fill_content(content: &Content, fields: &BTreeMap<String, String>) -> Content {
    match content {
        Content::Text { text } => Content::Text {
            text: fill(text, fields),
        },
        Content::Media {
            media,
            url,
            caption,
        } => Content::Media {
            media: *media,
            url: fill(url, fields),
            caption: caption.as_deref().map(|c| fill(c, fields)),
        },
        Content::Buttons { text, buttons } => Content::Buttons {
            text: fill(text, fields),
            buttons: buttons.clone(),
        },
        Content::List {
            text,
            button,
            sections,
        } => Content::List {
            text: fill(text, fields),
            button: button.clone(),
            sections: sections.clone(),
        },
        Content::Template {
            name,
            language,
            params,
        } => Content::Template {
            name: name.clone(),
            language: language.clone(),
            params: params.iter().map(|p| fill(p, fields)).collect(),
        },
    }
}
