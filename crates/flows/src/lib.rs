//! Bot flows (FL-1): the versioned JSON document of a flow — a graph of
//! named steps — and its validation, which names the step of every
//! problem. The executor that runs flows comes on top of this model.
//! The format is documented in docs/flows.md.

mod eval;
mod model;
mod run;
mod script;
mod validate;

pub use eval::{AnswerError, check_answer, rules_hold};
pub use model::{
    AgentRef, Answer, Choice, Content, DepartmentRef, Flow, HttpMethod, Match, MediaKind, Op,
    Position, RefKind, Rule, SCHEMA_VERSION, Section, Step, StepId, Target,
};
pub use run::{Advance, ERROR_FIELD, Effect, Input, Need, RunError, RunState, advance, fill};
pub use script::{ScriptError, ScriptLimits, run_script};
pub use validate::{FlowError, parse, validate};

#[cfg(test)]
mod tests;
