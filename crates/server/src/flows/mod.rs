//! Bot flows in the server (FL-1..FL-4): what starts a run (FL-2), the job
//! that runs it ([`runner`]), the handover to people ([`routing`]), and the
//! mapping between a stored flow (departments and agents by id) and an
//! exported one (by name and e-mail).

pub mod egress;
pub mod routing;
pub mod runner;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use atende_domain::{FlowId, InboxId, OrgId, UserId};
use atende_flows::{Flow, FlowError, RefKind, Step};
use atende_store::chats::{Conversation, Message};
use atende_store::flows::{FlowRow, FlowRun, FlowVersion, NewRun, Trigger};
use atende_store::{Event, NewJob, Store, StoreError, Tx};
use serde::Serialize;
use serde_json::{Value, json};

use crate::jobs::kinds;

/// Shared by the runners: the HTTP client of `http` steps and the parsed
/// published versions (a version never changes once published).
pub struct Flows {
    pub http: reqwest::Client,
    /// `http` steps may reach internal addresses (`flow_http_internal`).
    pub allow_internal: bool,
    versions: Mutex<HashMap<(FlowId, i64), Arc<Flow>>>,
}

impl Flows {
    /// `allow_internal`: whether `http` steps may reach the server's own
    /// networks (see `egress`).
    pub fn new(allow_internal: bool) -> Flows {
        Flows {
            http: egress::client(allow_internal),
            allow_internal,
            versions: Mutex::new(HashMap::new()),
        }
    }

    /// A published version, parsed once.
    pub async fn version(
        &self,
        store: &Store,
        org: OrgId,
        flow: FlowId,
        version: i64,
    ) -> Result<Arc<Flow>, String> {
        if let Some(f) = self.cached(flow, version) {
            return Ok(f);
        }
        let v = store
            .flow_version(org, flow, version)
            .await
            .map_err(|e| format!("versão {version} do fluxo não encontrada: {e}"))?;
        let parsed: Flow = serde_json::from_value(v.document.0)
            .map_err(|e| format!("versão {version} do fluxo ilegível: {e}"))?;
        let parsed = Arc::new(parsed);
        if let Ok(mut m) = self.versions.lock() {
            m.insert((flow, version), parsed.clone());
        }
        Ok(parsed)
    }

    fn cached(&self, flow: FlowId, version: i64) -> Option<Arc<Flow>> {
        self.versions.lock().ok()?.get(&(flow, version)).cloned()
    }
}

/// What a contact's message does to flows (FL-2): it goes to the contact's
/// active run on the inbox, or, with no attendance open, starts the inbox's
/// entry flow (`bot`, when its chatbot switch is on and the flow is
/// published). Returns whether a flow took the message; if not, the caller
/// opens an attendance.
pub async fn on_contact_message(
    tx: &mut Tx,
    bot: Option<FlowId>,
    conv: &Conversation,
    msg: &Message,
) -> Result<bool, StoreError> {
    // The chat's automation mark is kept with the run (set when it starts,
    // cleared when it ends or people take over): no lookup without it.
    if conv.flow_running
        && let Some(run) = tx
            .active_run(conv.org_id, conv.inbox_id, conv.contact_id)
            .await?
    {
        wake(tx, &run, &format!("m:{}", msg.id)).await?;
        return Ok(true);
    }
    if conv.attendance_id.is_some() {
        return Ok(false);
    }
    let Some(flow) = bot else {
        return Ok(false);
    };
    let Some(version) = tx.published_version(conv.org_id, flow).await? else {
        tracing::warn!(%flow, inbox = %conv.inbox_id, "the inbox's entry flow was never published; opening an attendance");
        return Ok(false);
    };
    start(
        tx,
        NewRun {
            flow_id: flow,
            version,
            conversation: conv.clone(),
            trigger: Trigger::Entry,
            batch: None,
            client: None,
            input_after: Some((msg.created_at, msg.id)),
        },
    )
    .await?;
    Ok(true)
}

/// Starts a run and enqueues the job that takes its first steps.
pub async fn start(tx: &mut Tx, mut new: NewRun) -> Result<FlowRun, StoreError> {
    // A run started by anything but the contact's own message (a forward,
    // the after-closing flow, a schedule, the API) answers only what the
    // contact writes from now on, never what they wrote before it began.
    if new.input_after.is_none() {
        new.input_after = tx
            .last_contact_message(new.conversation.org_id, new.conversation.id)
            .await?;
    }
    let run = tx.start_run(new).await?;
    wake(tx, &run, "start").await?;
    Ok(run)
}

/// Enqueues the run's job for a reason named by `key` (one job per reason:
/// a message, the start, the end of a wait).
pub async fn wake(tx: &mut Tx, run: &FlowRun, key: &str) -> Result<(), StoreError> {
    tx.enqueue(NewJob {
        idempotency_key: Some(format!("flow:{}:{key}", run.id)),
        ..NewJob::now(Some(run.org_id), kinds::FLOW_RUN, json!({"run_id": run.id}))
    })
    .await?;
    Ok(())
}

/// The organization's names for ids and back.
pub struct Names {
    departments: Vec<(String, String)>,
    agents: Vec<(String, String)>,
}

impl Names {
    pub async fn load(store: &Store, org: OrgId) -> Result<Names, StoreError> {
        let departments = store
            .departments(org)
            .await?
            .into_iter()
            .map(|d| (d.id.to_string(), d.name))
            .collect();
        let agents = store
            .users(org)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.id.to_string(), u.email))
            .collect();
        Ok(Names {
            departments,
            agents,
        })
    }

    fn list(&self, kind: RefKind) -> &[(String, String)] {
        match kind {
            RefKind::Department => &self.departments,
            RefKind::Agent => &self.agents,
        }
    }
}

/// Maps the departments (by id or name) and agents (by id or e-mail) a
/// flow names to ids, for storing; each unknown one is an error naming its
/// step.
pub fn resolve(flow: &mut Flow, names: &Names) -> Vec<FlowError> {
    let mut errors = Vec::new();
    for (step, kind, r) in flow.refs_mut() {
        let wanted = r.trim();
        let found = names.list(kind).iter().find(|(id, name)| {
            id.eq_ignore_ascii_case(wanted) || name.trim().eq_ignore_ascii_case(wanted)
        });
        match found {
            Some((id, _)) => *r = id.clone(),
            None => errors.push(FlowError {
                step: Some(step.to_string()),
                message: match kind {
                    RefKind::Department => format!("o departamento \"{wanted}\" não existe"),
                    RefKind::Agent => format!("o agente \"{wanted}\" não existe ou está inativo"),
                },
            }),
        }
    }
    errors
}

/// Maps the ids a stored flow names to names and e-mails, for export (an
/// id no longer known stays as it is).
pub fn export(flow: &mut Flow, names: &Names) {
    for (_, kind, r) in flow.refs_mut() {
        if let Some((_, name)) = names.list(kind).iter().find(|(id, _)| id == r) {
            *r = name.clone();
        }
    }
}

/// One problem of a flow, for the editor to point at.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// The step it is in; absent for the flow as a whole.
    pub step: Option<String>,
    pub message: String,
}

impl From<FlowError> for Problem {
    fn from(e: FlowError) -> Self {
        Problem {
            step: e.step,
            message: e.message,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.step {
            Some(s) => write!(f, "etapa \"{s}\": {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A draft checked as publishing checks it: the document, then what it
/// names in the organization (departments, agents, tags, custom fields).
/// Returns the flow ready to store (ids), or every problem.
pub async fn check(
    store: &Store,
    org: OrgId,
    draft: &Value,
) -> Result<Result<Flow, Vec<Problem>>, StoreError> {
    let mut flow: Flow = match serde_json::from_value(draft.clone()) {
        Ok(f) => f,
        Err(e) => {
            return Ok(Err(vec![Problem {
                step: None,
                message: format!("JSON de fluxo inválido: {e}"),
            }]));
        }
    };
    let mut problems: Vec<Problem> = match atende_flows::validate(&flow) {
        Ok(()) => Vec::new(),
        Err(list) => list.into_iter().map(Into::into).collect(),
    };
    let names = Names::load(store, org).await?;
    problems.extend(resolve(&mut flow, &names).into_iter().map(Problem::from));
    let tags = store.tags(org).await?;
    let fields = store.custom_fields(org).await?;
    for (id, step) in &flow.steps {
        if let Step::Set { tags: t, info, .. } = step {
            for name in t {
                if !tags
                    .iter()
                    .any(|k| k.name.eq_ignore_ascii_case(name.trim()))
                {
                    problems.push(Problem {
                        step: Some(id.clone()),
                        message: format!("a etiqueta \"{name}\" não existe"),
                    });
                }
            }
            for key in info.keys() {
                if !fields
                    .iter()
                    .any(|f| &f.key == key && f.target == "contact")
                {
                    problems.push(Problem {
                        step: Some(id.clone()),
                        message: format!("o campo personalizado de contato \"{key}\" não existe"),
                    });
                }
            }
        }
    }
    Ok(if problems.is_empty() {
        Ok(flow)
    } else {
        Err(problems)
    })
}

/// The name a document gives itself, trimmed, 1 to 80 characters.
pub fn name_of(doc: &Value) -> Result<String, String> {
    let name = doc
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim();
    if name.is_empty() {
        return Err("O fluxo precisa de um nome (name).".into());
    }
    if name.chars().count() > atende_store::flows::MAX_NAME {
        return Err(format!(
            "O nome do fluxo aceita no máximo {} caracteres.",
            atende_store::flows::MAX_NAME
        ));
    }
    Ok(name.to_string())
}

/// What an import did.
pub struct Imported {
    pub flow: FlowRow,
    pub version: FlowVersion,
    /// A flow of that name existed and got the new version.
    pub replaced: bool,
    /// The committed events, to publish.
    pub events: Vec<Event>,
}

#[derive(Debug)]
pub enum ImportError {
    /// The document has problems; nothing changed.
    Invalid(Vec<Problem>),
    /// The document has no usable name.
    Name(String),
    Store(StoreError),
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError::Store(e)
    }
}

/// Imports a flow document (FL-4) and publishes it: a new flow, or the next
/// version of the flow with the same name; optionally the entry flow of
/// `entry_inbox`. A document with problems changes nothing.
pub async fn import(
    store: &Store,
    org: OrgId,
    document: &Value,
    entry_inbox: Option<InboxId>,
    by: Option<UserId>,
) -> Result<Imported, ImportError> {
    let name = name_of(document).map_err(ImportError::Name)?;
    if let Some(inbox) = entry_inbox {
        store.inbox(org, inbox).await?;
    }
    let flow = check(store, org, document)
        .await?
        .map_err(ImportError::Invalid)?;
    let doc = serde_json::to_value(&flow).map_err(|e| ImportError::Name(e.to_string()))?;
    let existing = store.flow_by_name(org, &name).await?;
    let mut tx = store.begin().await?;
    let row = match &existing {
        Some(f) => tx.save_flow_draft(org, f.id, &name, document).await?,
        None => tx.create_flow(org, &name, document).await?,
    };
    let version = tx.publish_flow(org, row.id, &doc, by).await?;
    if let Some(inbox) = entry_inbox {
        tx.set_entry_flow(org, inbox, Some(row.id)).await?;
    }
    let events = tx.commit().await?;
    let flow = store.flow(org, row.id).await?;
    Ok(Imported {
        flow,
        version,
        replaced: existing.is_some(),
        events,
    })
}
