//! The flow document: a graph of named steps, stored and exchanged as JSON
//! (schema in docs/flows.md). Steps point at each other by name; a step
//! with no next step ends the run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The version of the document format this crate reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The name of a step, unique in its flow (`"menu"`, `"pergunta_cpf"`).
pub type StepId = String;

/// A bot flow (FL-1): where it starts and its steps by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// The document format's version ([`SCHEMA_VERSION`]).
    pub schema: u32,
    pub name: String,
    /// The first step.
    pub start: StepId,
    pub steps: BTreeMap<StepId, Step>,
    /// Where the editor draws each step; no meaning to the run.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub layout: BTreeMap<StepId, Position>,
}

/// A step's place on the editor's canvas.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub x: f64,
    pub y: f64,
}

/// One step of a flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// Sends content to the contact.
    Send {
        content: Content,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Waits for the contact's answer and stores it in `field`. An answer
    /// that fails `answer`'s check is asked again up to `retries` times
    /// (with `invalid_message`, when set), then the run goes to `invalid`
    /// (or ends).
    Ask {
        field: String,
        answer: Answer,
        #[serde(default)]
        retries: u8,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        invalid_message: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        invalid: Option<StepId>,
    },
    /// Goes to `then` when the rules hold (all of them, or any), else to
    /// `otherwise`.
    Condition {
        #[serde(rename = "match", default)]
        matching: Match,
        rules: Vec<Rule>,
        then: StepId,
        #[serde(rename = "else")]
        otherwise: StepId,
    },
    /// Sets fields of the run, tags of the chat and additional information
    /// of the contact.
    Set {
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        fields: BTreeMap<String, String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tags: Vec<String>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        info: BTreeMap<String, String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Calls an HTTP service; `map` stores parts of its JSON answer (JSON
    /// pointers) in fields. A failure or a timeout goes to `error`.
    Http {
        method: HttpMethod,
        url: String,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        headers: BTreeMap<String, String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        #[serde(default = "default_timeout_ms")]
        timeout_ms: u32,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        map: BTreeMap<String, String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<StepId>,
    },
    /// Runs JavaScript (the "code box") that sees and sets the run's fields
    /// only; an exception or exceeding its limits goes to `error`.
    Script {
        code: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<StepId>,
    },
    /// Continues in another flow of the organization, from its start.
    Jump { flow: String },
    /// Pauses the run.
    Wait {
        seconds: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Branches on the inbox's business hours (LC-22). Outside them the
    /// contact is listed among the out-of-hours contacts (LC-21); the run's
    /// field `proxima_abertura` tells the next opening in words, and the
    /// answer stored in `callback_field` (yes / no), when the flow offers a
    /// callback, is what the list shows as "asked for callback?".
    Hours {
        open: StepId,
        closed: StepId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        callback_field: Option<String>,
    },
    /// Branches on whether an agent (of `department`, when set) is online.
    AgentsOnline {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        department: Option<DepartmentRef>,
        yes: StepId,
        no: StepId,
    },
    /// Hands the chat over to people: opens an attendance (ends the run).
    OpenAttendance { target: Target },
}

fn default_timeout_ms() -> u32 {
    10_000
}

/// What a `send` step sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Content {
    Text {
        text: String,
    },
    Media {
        media: MediaKind,
        url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caption: Option<String>,
    },
    /// Up to three reply buttons.
    Buttons {
        text: String,
        buttons: Vec<Choice>,
    },
    /// A list menu: a button that opens sections of rows.
    List {
        text: String,
        button: String,
        sections: Vec<Section>,
    },
    /// An approved template (the way to write outside the session window).
    Template {
        name: String,
        language: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        params: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Image,
    Audio,
    Video,
    Document,
}

/// A reply button or a list row: the id the answer carries and its title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: String,
    pub rows: Vec<Choice>,
}

/// How an `ask` step checks the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Answer {
    Text,
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    Email,
    Phone,
    /// A CPF or a CNPJ.
    Document,
    Date,
    /// One of `options` (a button or row id, or its title).
    Option {
        options: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// Every rule holds (AND).
    #[default]
    All,
    /// At least one rule holds (OR).
    Any,
}

/// `field op value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub field: String,
    pub op: Op,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Equals,
    Contains,
    StartsWith,
    /// `value` is a regular expression.
    Regex,
    Greater,
    Less,
    /// The field is missing or blank (`value` unused).
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// A department named in a flow: its id inside the organization, its name
/// in an exported document (import maps names to ids, export ids to names,
/// so a flow moves between organizations).
pub type DepartmentRef = String;

/// An agent named in a flow: its id inside the organization, its e-mail in
/// an exported document.
pub type AgentRef = String;

/// Whom an `open_attendance` step hands the chat to (FL-1). LC-1's view
/// rules then decide who sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case", deny_unknown_fields)]
pub enum Target {
    /// The department, whose own rule (LC-9, routing) decides whether its
    /// members pick the chat from "Chats abertos" or it is distributed.
    Department { department: DepartmentRef },
    /// A specific agent.
    Agent { agent: AgentRef },
    /// A random available agent of the department.
    Random { department: DepartmentRef },
    /// The agent who last served the contact, else the department.
    LastAgent { department: DepartmentRef },
    /// The department's agents in turn.
    Sequence { department: DepartmentRef },
    /// Nobody: the chat waits in "Chats abertos".
    Unassigned,
}

impl Step {
    /// The steps this one can go to, in a stable order.
    pub fn successors(&self) -> Vec<&StepId> {
        match self {
            Step::Send { next, .. } | Step::Set { next, .. } | Step::Wait { next, .. } => {
                next.iter().collect()
            }
            Step::Ask { next, invalid, .. } => next.iter().chain(invalid).collect(),
            Step::Condition {
                then, otherwise, ..
            } => vec![then, otherwise],
            Step::Http { next, error, .. } | Step::Script { next, error, .. } => {
                next.iter().chain(error).collect()
            }
            Step::Hours { open, closed, .. } => vec![open, closed],
            Step::AgentsOnline { yes, no, .. } => vec![yes, no],
            Step::Jump { .. } | Step::OpenAttendance { .. } => Vec::new(),
        }
    }

    /// Whether the run stops here for the contact (or the clock): a loop
    /// through such a step cannot spin by itself.
    pub fn waits(&self) -> bool {
        matches!(self, Step::Ask { .. } | Step::Wait { .. })
    }
}

/// What a reference inside a flow names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Department,
    Agent,
}

impl Flow {
    /// Every department and agent the flow names, with the step naming it,
    /// for the caller to map between ids (stored) and names (exported).
    pub fn refs_mut(&mut self) -> Vec<(&str, RefKind, &mut String)> {
        let mut out = Vec::new();
        for (id, step) in self.steps.iter_mut() {
            match step {
                Step::AgentsOnline {
                    department: Some(d),
                    ..
                } => out.push((id.as_str(), RefKind::Department, d)),
                Step::OpenAttendance { target } => match target {
                    Target::Department { department }
                    | Target::Random { department }
                    | Target::LastAgent { department }
                    | Target::Sequence { department } => {
                        out.push((id.as_str(), RefKind::Department, department))
                    }
                    Target::Agent { agent } => out.push((id.as_str(), RefKind::Agent, agent)),
                    Target::Unassigned => {}
                },
                _ => {}
            }
        }
        out
    }
}
