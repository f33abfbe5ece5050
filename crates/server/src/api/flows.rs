//! Bot flows (FL-1..FL-4): the drafts people edit, publishing a version,
//! import and export as JSON, the runs (FL-3), an inbox's entry flow, and
//! starting a flow for a chat (forward to flow, LC-10; scheduled, FL-2).
//!
//! A draft may name departments by id or name and agents by id or e-mail;
//! publishing checks it and stores ids, export writes names and e-mails, so
//! a flow moves between organizations.

use std::collections::BTreeMap;

use atende_domain::{Access, ConversationId, FlowId, InboxId, Module};
use atende_flows::Flow;
use atende_store::flows::{FlowRow, FlowRun, FlowVersion, NewRun, StepCount, Trigger};
use atende_store::{NewJob, StoreError};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppJson, AppPath, AppQuery, MaybeJson, clean_name, conflict, opt_time, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::flows::{self, ImportError, Names, Problem, check};
use crate::jobs::kinds;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_flows, create_flow))
        .routes(routes!(get_flow, update_flow, delete_flow))
        .routes(routes!(publish_flow))
        .routes(routes!(list_versions))
        .routes(routes!(export_flow))
        .routes(routes!(import_flow))
        .routes(routes!(list_runs))
        .routes(routes!(step_counts))
        .routes(routes!(start_flow))
        .routes(routes!(set_entry_flow))
        .routes(routes!(forward_to_flow))
        .routes(routes!(get_business_hours, set_business_hours))
        .routes(routes!(list_out_of_hours))
        .routes(routes!(send_active_message))
}

const DUPLICATE: &str = "Já existe um fluxo com este nome.";

#[derive(Serialize, ToSchema)]
pub struct FlowOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: FlowId,
    pub name: String,
    /// The document being edited (docs/flows.md), as saved.
    #[schema(value_type = Object)]
    pub draft: Value,
    /// What keeps the draft from being published; empty when it can be.
    pub problems: Vec<Problem>,
    /// The version new runs take; absent until first published.
    pub published_version: Option<i64>,
    /// Inboxes whose entry flow it is.
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub entry_of: Vec<InboxId>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct FlowSummary {
    #[schema(value_type = String, format = Uuid)]
    pub id: FlowId,
    pub name: String,
    pub published_version: Option<i64>,
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub entry_of: Vec<InboxId>,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct VersionOut {
    #[schema(value_type = String, format = Uuid)]
    pub flow_id: FlowId,
    pub version: i64,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub published_by: Option<atende_domain::UserId>,
    #[schema(format = DateTime)]
    pub published_at: String,
}

impl From<FlowVersion> for VersionOut {
    fn from(v: FlowVersion) -> Self {
        VersionOut {
            flow_id: v.flow_id,
            version: v.version,
            published_by: v.published_by,
            published_at: time(v.published_at),
        }
    }
}

/// A run of a flow (FL-3).
#[derive(Serialize, ToSchema)]
pub struct RunOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: atende_domain::FlowRunId,
    #[schema(value_type = String, format = Uuid)]
    pub flow_id: FlowId,
    pub version: i64,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    #[schema(value_type = String, format = Uuid)]
    pub contact_id: atende_domain::ContactId,
    /// The contact's name and number (in the runs list; null elsewhere).
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
    /// entry | forward | after_close | scheduled | jump | api
    pub trigger: String,
    /// active | finished | failed | stopped
    pub status: String,
    /// The step it is at, or stopped at.
    pub step: Option<String>,
    /// What it waits for: answer | time | http | script | hours | agents_online.
    pub waiting: Option<String>,
    /// Steps taken.
    pub steps: i64,
    /// The steps reached, in order (the last 200).
    pub trail: Vec<String>,
    /// The run's fields (answers, mappings).
    pub fields: BTreeMap<String, String>,
    /// handover | jump | end | attendance (people took over) | stopped, or the error.
    pub outcome: Option<String>,
    pub batch: Option<String>,
    pub client: Option<String>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub campaign_id: Option<atende_domain::CampaignId>,
    #[schema(format = DateTime)]
    pub started_at: String,
    #[schema(format = DateTime)]
    pub finished_at: Option<String>,
}

impl From<FlowRun> for RunOut {
    fn from(r: FlowRun) -> Self {
        let state = r.state.as_ref().map(|s| &s.0);
        let trail = state
            .and_then(|s| s.get("trail"))
            .and_then(|t| serde_json::from_value(t.clone()).ok())
            .unwrap_or_default();
        let fields = state
            .and_then(|s| s.get("fields"))
            .and_then(|t| serde_json::from_value(t.clone()).ok())
            .unwrap_or_default();
        RunOut {
            id: r.id,
            flow_id: r.flow_id,
            version: r.version,
            conversation_id: r.conversation_id,
            contact_id: r.contact_id,
            contact_name: None,
            contact_phone: None,
            inbox_id: r.inbox_id,
            trigger: r.trigger,
            status: r.status,
            step: r.step,
            waiting: r.waiting,
            steps: r.steps,
            trail,
            fields,
            outcome: r.outcome,
            batch: r.batch,
            client: r.client,
            campaign_id: r.campaign_id,
            started_at: time(r.started_at),
            finished_at: opt_time(r.finished_at),
        }
    }
}

async fn entry_of(st: &AppState, auth: &Auth) -> ApiResult<Vec<(InboxId, FlowId)>> {
    Ok(st
        .store
        .inboxes(auth.org())
        .await?
        .into_iter()
        .filter_map(|i| i.entry_flow_id.map(|f| (i.id, f)))
        .collect())
}

async fn flow_out(st: &AppState, auth: &Auth, f: FlowRow) -> ApiResult<FlowOut> {
    let problems = match check(&st.store, auth.org(), &f.draft.0).await? {
        Ok(_) => Vec::new(),
        Err(p) => p,
    };
    let entry = entry_of(st, auth).await?;
    Ok(FlowOut {
        id: f.id,
        name: f.name,
        draft: f.draft.0,
        problems,
        published_version: f.published_version,
        entry_of: entry
            .iter()
            .filter(|(_, fl)| *fl == f.id)
            .map(|(i, _)| *i)
            .collect(),
        created_at: time(f.created_at),
        updated_at: time(f.updated_at),
    })
}

/// A new draft named `name`: a flow that greets and hands over.
fn starter(name: &str) -> Value {
    json!({
        "schema": atende_flows::SCHEMA_VERSION,
        "name": name,
        "start": "boas_vindas",
        "steps": {
            "boas_vindas": {"type": "send", "content": {"kind": "text", "text": "Olá, {nome}! Já vamos atender você."}, "next": "atendimento"},
            "atendimento": {"type": "open_attendance", "target": {"to": "unassigned"}}
        }
    })
}

/// The name a document gives itself, trimmed and checked.
fn name_of(doc: &Value) -> ApiResult<String> {
    flows::name_of(doc).map_err(ApiError::invalid)
}

/// Every flow, by name. Whoever chats without the Flows module sees the
/// published ones only: an agent forwards a chat to a flow (LC-10) or
/// picks the flow after closing (LC-11).
#[utoipa::path(get, path = "/flows", tag = "flows", responses((status = 200, body = Vec<FlowSummary>)))]
async fn list_flows(
    State(st): State<AppState>,
    auth: Auth,
) -> ApiResult<AppJson<Vec<FlowSummary>>> {
    let all = auth.permissions().access(Module::Flows) >= Access::View;
    if !all {
        auth.require(Module::Chat, Access::View)?;
    }
    let entry = if all {
        entry_of(&st, &auth).await?
    } else {
        Vec::new()
    };
    let list = st.store.flows(auth.org()).await?;
    Ok(AppJson(
        list.into_iter()
            .filter(|f| all || f.published_version.is_some())
            .map(|f| FlowSummary {
                entry_of: entry
                    .iter()
                    .filter(|(_, fl)| *fl == f.id)
                    .map(|(i, _)| *i)
                    .collect(),
                id: f.id,
                name: f.name,
                published_version: f.published_version,
                updated_at: time(f.updated_at),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFlow {
    /// At most 80 characters, unique in the organization.
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub name: String,
    /// The first draft; default: a greeting that hands over.
    #[schema(value_type = Option<Object>)]
    pub draft: Option<Value>,
}

/// Creates a flow (a draft, not published).
#[utoipa::path(post, path = "/flows", tag = "flows", request_body = CreateFlow,
    responses((status = 201, body = FlowOut), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_flow(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<CreateFlow>,
) -> ApiResult<(StatusCode, AppJson<FlowOut>)> {
    auth.require(Module::Flows, Access::ViewEdit)?;
    let name = clean_name("name", &req.name, atende_store::flows::MAX_NAME)?;
    let mut draft = req.draft.unwrap_or_else(|| starter(&name));
    if !draft.is_object() {
        return Err(ApiError::invalid(
            "O rascunho do fluxo deve ser um objeto JSON.",
        ));
    }
    draft["name"] = json!(name);
    let mut tx = st.store.begin().await?;
    let f = tx
        .create_flow(auth.org(), &name, &draft)
        .await
        .map_err(|e| conflict(e, DUPLICATE))?;
    st.commit(tx).await?;
    Ok((StatusCode::CREATED, AppJson(flow_out(&st, &auth, f).await?)))
}

/// A flow with its draft and what keeps the draft from being published.
#[utoipa::path(get, path = "/flows/{id}", tag = "flows", params(("id" = String, Path)),
    responses((status = 200, body = FlowOut), (status = 404, body = crate::error::ErrorBody)))]
async fn get_flow(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<FlowId>,
) -> ApiResult<AppJson<FlowOut>> {
    auth.require(Module::Flows, Access::View)?;
    let f = st.store.flow(auth.org(), id).await?;
    Ok(AppJson(flow_out(&st, &auth, f).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateFlow {
    /// The draft (its `name` renames the flow). It is saved even with
    /// problems: they are listed in the answer.
    #[schema(value_type = Object)]
    pub draft: Value,
}

/// Saves a draft (runs are not affected until it is published).
#[utoipa::path(put, path = "/flows/{id}", tag = "flows", params(("id" = String, Path)), request_body = UpdateFlow,
    responses((status = 200, body = FlowOut), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn update_flow(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<FlowId>,
    AppJson(req): AppJson<UpdateFlow>,
) -> ApiResult<AppJson<FlowOut>> {
    auth.require(Module::Flows, Access::ViewEdit)?;
    // Another organization's id names nothing, whatever the body says.
    st.store.flow(auth.org(), id).await?;
    if !req.draft.is_object() {
        return Err(ApiError::invalid(
            "O rascunho do fluxo deve ser um objeto JSON.",
        ));
    }
    let name = name_of(&req.draft)?;
    let mut tx = st.store.begin().await?;
    let f = tx
        .save_flow_draft(auth.org(), id, &name, &req.draft)
        .await
        .map_err(|e| conflict(e, DUPLICATE))?;
    st.commit(tx).await?;
    Ok(AppJson(flow_out(&st, &auth, f).await?))
}

/// Deletes a flow with its versions and ended runs; refused while it is an
/// inbox's entry flow or has runs going.
#[utoipa::path(delete, path = "/flows/{id}", tag = "flows", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn delete_flow(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<FlowId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Flows, Access::ViewEdit)?;
    let mut tx = st.store.begin().await?;
    match tx.delete_flow(auth.org(), id).await {
        Ok(()) => {}
        Err(StoreError::Invalid(why)) if why == "entry_flow" => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "entry_flow",
                "Este fluxo é o fluxo de entrada de uma caixa de entrada: escolha outro antes de excluí-lo.",
            ));
        }
        Err(StoreError::Invalid(why)) if why == "active_runs" => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "active_runs",
                "Este fluxo tem execuções em andamento: espere que terminem antes de excluí-lo.",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn invalid_flow(problems: Vec<Problem>) -> ApiError {
    let first = problems
        .first()
        .map(|p| match &p.step {
            Some(s) => format!("etapa \"{s}\": {}", p.message),
            None => p.message.clone(),
        })
        .unwrap_or_default();
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_flow",
        format!("O fluxo tem {} problema(s): {first}", problems.len()),
    )
    .with_details(json!({"problems": problems}))
}

/// Publishes the draft as the next version: new runs take it, runs going
/// finish on theirs. A draft with problems is refused (422 `invalid_flow`,
/// every problem in `details.problems`).
#[utoipa::path(post, path = "/flows/{id}/publish", tag = "flows", params(("id" = String, Path)),
    responses((status = 201, body = VersionOut), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn publish_flow(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<FlowId>,
) -> ApiResult<(StatusCode, AppJson<VersionOut>)> {
    auth.require(Module::Flows, Access::ViewEdit)?;
    let f = st.store.flow(auth.org(), id).await?;
    let flow = check(&st.store, auth.org(), &f.draft.0)
        .await?
        .map_err(invalid_flow)?;
    let doc = serde_json::to_value(&flow).map_err(ApiError::internal)?;
    let mut tx = st.store.begin().await?;
    let v = tx
        .publish_flow(auth.org(), id, &doc, Some(auth.user.id))
        .await?;
    st.commit(tx).await?;
    Ok((StatusCode::CREATED, AppJson(v.into())))
}

/// The published versions, newest first.
#[utoipa::path(get, path = "/flows/{id}/versions", tag = "flows", params(("id" = String, Path)),
    responses((status = 200, body = Vec<VersionOut>), (status = 404, body = crate::error::ErrorBody)))]
async fn list_versions(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<FlowId>,
) -> ApiResult<AppJson<Vec<VersionOut>>> {
    auth.require(Module::Flows, Access::View)?;
    st.store.flow(auth.org(), id).await?;
    let list = st.store.flow_versions(auth.org(), id).await?;
    Ok(AppJson(list.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// A published version; default: the draft.
    pub version: Option<i64>,
}

/// The flow as a JSON document to import elsewhere (FL-4): departments by
/// name, agents by e-mail.
#[utoipa::path(get, path = "/flows/{id}/export", tag = "flows", params(("id" = String, Path), ExportParams),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
async fn export_flow(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<FlowId>,
    AppQuery(q): AppQuery<ExportParams>,
) -> ApiResult<AppJson<Value>> {
    auth.require(Module::Flows, Access::View)?;
    let f = st.store.flow(auth.org(), id).await?;
    let doc = match q.version {
        Some(v) => st.store.flow_version(auth.org(), id, v).await?.document.0,
        None => f.draft.0,
    };
    let names = Names::load(&st.store, auth.org()).await?;
    Ok(AppJson(exported(doc, &names)))
}

/// A document with ids mapped to names; one that does not parse as a flow
/// is given as it is (a draft may be broken).
pub fn exported(doc: Value, names: &Names) -> Value {
    match serde_json::from_value::<Flow>(doc.clone()) {
        Ok(mut flow) => {
            // Names stay names (unknown ones as written); ids become names.
            flows::resolve(&mut flow, names);
            flows::export(&mut flow, names);
            serde_json::to_value(&flow).unwrap_or(doc)
        }
        Err(_) => doc,
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportFlow {
    /// A flow document (docs/flows.md); departments and agents by name,
    /// e-mail or id. A flow with the same name is replaced by it.
    #[schema(value_type = Object)]
    pub document: Value,
    /// Make it this inbox's entry flow.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub entry_inbox: Option<InboxId>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportOut {
    pub flow: FlowOut,
    pub version: VersionOut,
    /// Whether a flow of that name existed and got the new version.
    pub replaced: bool,
}

/// Imports a flow and publishes it (FL-4): a new flow, or the next version
/// of the flow with the same name. A document with problems changes
/// nothing (422 `invalid_flow`).
#[utoipa::path(post, path = "/flows/import", tag = "flows", request_body = ImportFlow,
    responses((status = 201, body = ImportOut), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn import_flow(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<ImportFlow>,
) -> ApiResult<(StatusCode, AppJson<ImportOut>)> {
    auth.require(Module::Flows, Access::ViewEdit)?;
    if !req.document.is_object() {
        return Err(ApiError::invalid(
            "O documento do fluxo deve ser um objeto JSON.",
        ));
    }
    let imported = flows::import(
        &st.store,
        auth.org(),
        &req.document,
        req.entry_inbox,
        Some(auth.user.id),
    )
    .await
    .map_err(|e| match e {
        ImportError::Invalid(problems) => invalid_flow(problems),
        ImportError::Name(why) => ApiError::invalid(why),
        ImportError::Store(e) => conflict(e, DUPLICATE),
    })?;
    st.publish(imported.events);
    st.whatsapp.invalidate().await;
    Ok((
        StatusCode::CREATED,
        AppJson(ImportOut {
            flow: flow_out(&st, &auth, imported.flow).await?,
            version: imported.version.into(),
            replaced: imported.replaced,
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunParams {
    /// active | finished | failed | stopped
    #[param(schema_with = crate::wire_schema::opt_run_status)]
    pub status: Option<String>,
    /// Runs started before this time (RFC 3339), for the next page.
    #[param(format = DateTime)]
    pub before: Option<String>,
    /// At most 200; default 50.
    pub limit: Option<i64>,
}

/// The flow's runs, newest first (FL-3).
#[utoipa::path(get, path = "/flows/{id}/runs", tag = "flows", params(("id" = String, Path), RunParams),
    responses((status = 200, body = Vec<RunOut>), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn list_runs(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<FlowId>,
    AppQuery(q): AppQuery<RunParams>,
) -> ApiResult<AppJson<Vec<RunOut>>> {
    auth.require(Module::Flows, Access::View)?;
    st.store.flow(auth.org(), id).await?;
    if let Some(s) = &q.status
        && !["active", "finished", "failed", "stopped"].contains(&s.as_str())
    {
        return Err(ApiError::bad_request(
            "status: use active, finished, failed ou stopped.",
        ));
    }
    let before = match &q.before {
        Some(b) => Some(
            chrono::DateTime::parse_from_rfc3339(b)
                .map_err(|_| ApiError::bad_request("before: use uma data RFC 3339."))?
                .timestamp_millis(),
        ),
        None => None,
    };
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let runs = st
        .store
        .flow_runs(auth.org(), id, q.status.as_deref(), before, limit)
        .await?;
    Ok(AppJson(
        runs.into_iter()
            .map(|r| RunOut {
                contact_name: Some(r.contact_name),
                contact_phone: r.contact_phone,
                ..r.run.into()
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StepParams {
    /// Default: the published version.
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct StepCountOut {
    pub step: String,
    /// active (waiting there) | finished | failed | stopped (ended there)
    pub status: String,
    pub runs: i64,
}

impl From<StepCount> for StepCountOut {
    fn from(c: StepCount) -> Self {
        StepCountOut {
            step: c.step,
            status: c.status,
            runs: c.runs,
        }
    }
}

/// Where a version's runs are or stopped, by step (the editor's overlay).
#[utoipa::path(get, path = "/flows/{id}/steps", tag = "flows", params(("id" = String, Path), StepParams),
    responses((status = 200, body = Vec<StepCountOut>), (status = 404, body = crate::error::ErrorBody)))]
async fn step_counts(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<FlowId>,
    AppQuery(q): AppQuery<StepParams>,
) -> ApiResult<AppJson<Vec<StepCountOut>>> {
    auth.require(Module::Flows, Access::View)?;
    let f = st.store.flow(auth.org(), id).await?;
    let Some(version) = q.version.or(f.published_version) else {
        return Ok(AppJson(Vec::new()));
    };
    let list = st.store.flow_step_counts(auth.org(), id, version).await?;
    Ok(AppJson(list.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartFlow {
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    /// When to start (RFC 3339); default now. A scheduled start (FL-2) is
    /// skipped if the chat has an attendance open or a flow running then.
    pub at: Option<String>,
    /// FL-3: the batch and client the run is for (reports group by them).
    pub batch: Option<String>,
    pub client: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StartOut {
    /// `started` or `scheduled`.
    pub status: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub run_id: Option<atende_domain::FlowRunId>,
    pub at: String,
}

/// Starts the flow's published version for a chat, now or at a time.
#[utoipa::path(post, path = "/flows/{id}/start", tag = "flows", params(("id" = String, Path)), request_body = StartFlow,
    responses((status = 201, body = StartOut), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn start_flow(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<FlowId>,
    AppJson(req): AppJson<StartFlow>,
) -> ApiResult<(StatusCode, AppJson<StartOut>)> {
    auth.require(Module::Flows, Access::ViewEdit)?;
    let f = st.store.flow(auth.org(), id).await?;
    let Some(version) = f.published_version else {
        return Err(not_published());
    };
    let conv =
        crate::api::conversations::visible_conversation(&st, &auth, req.conversation_id).await?;
    let now = atende_store::now_ms();
    let at = match &req.at {
        Some(a) => chrono::DateTime::parse_from_rfc3339(a)
            .map_err(|_| ApiError::invalid("at: use uma data RFC 3339."))?
            .timestamp_millis()
            .max(now),
        None => now,
    };
    let label = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(120).collect::<String>())
    };
    let (batch, client) = (label(&req.batch), label(&req.client));
    let mut tx = st.store.begin().await?;
    if at > now {
        tx.enqueue(NewJob {
            run_at: at,
            ..NewJob::now(
                Some(auth.org()),
                kinds::FLOW_START,
                json!({
                    "flow_id": id, "conversation_id": conv.id, "batch": batch, "client": client,
                }),
            )
        })
        .await?;
        st.commit(tx).await?;
        return Ok((
            StatusCode::CREATED,
            AppJson(StartOut {
                status: "scheduled".into(),
                run_id: None,
                at: time(at),
            }),
        ));
    }
    let conv = tx.conversation(auth.org(), conv.id).await?;
    if conv.attendance_id.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "attendance_open",
            "Esta conversa tem um atendimento aberto: encaminhe-a para o fluxo pelo chat.",
        ));
    }
    let run = start_or_conflict(
        &mut tx,
        NewRun {
            flow_id: id,
            version,
            conversation: conv,
            trigger: Trigger::Api,
            batch,
            client,
            input_after: None,
        },
    )
    .await?;
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok((
        StatusCode::CREATED,
        AppJson(StartOut {
            status: "started".into(),
            run_id: Some(run.id),
            at: time(now),
        }),
    ))
}

fn not_published() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_published",
        "Este fluxo ainda não foi publicado.",
    )
}

async fn start_or_conflict(tx: &mut atende_store::Tx, new: NewRun) -> ApiResult<FlowRun> {
    flows::start(tx, new).await.map_err(|e| match e {
        StoreError::Conflict(_) => ApiError::new(
            StatusCode::CONFLICT,
            "flow_running",
            "Este contato já está em um fluxo nesta caixa de entrada.",
        ),
        other => other.into(),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryFlowRequest {
    /// The flow (published) a contact's message starts; null: none.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub flow_id: Option<FlowId>,
}

/// Sets an inbox's entry flow (FL-2). With the inbox's chatbot switch off,
/// chats go straight to "Chats abertos" whatever the entry flow.
#[utoipa::path(put, path = "/inboxes/{id}/entry-flow", tag = "flows", params(("id" = String, Path)), request_body = Option<EntryFlowRequest>,
    responses((status = 204), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn set_entry_flow(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
    MaybeJson(req): MaybeJson<EntryFlowRequest>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Flows, Access::ViewEdit)?;
    let flow = req.and_then(|r| r.flow_id);
    if let Some(f) = flow
        && st
            .store
            .flow(auth.org(), f)
            .await?
            .published_version
            .is_none()
    {
        return Err(not_published());
    }
    let mut tx = st.store.begin().await?;
    tx.set_entry_flow(auth.org(), id, flow).await?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "inbox.entry_flow",
        &id.to_string(),
        json!({"flow_id": flow}),
    )
    .await?;
    st.commit(tx).await?;
    st.whatsapp.invalidate().await;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForwardToFlow {
    #[schema(value_type = String, format = Uuid)]
    pub flow_id: FlowId,
}

/// "Encaminhar para fluxo" (LC-10): ends the attendance (if open) and starts
/// the flow for the contact.
#[utoipa::path(post, path = "/conversations/{id}/flow", tag = "conversations", params(("id" = String, Path)), request_body = ForwardToFlow,
    responses((status = 201, body = RunOut), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn forward_to_flow(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
    AppJson(req): AppJson<ForwardToFlow>,
) -> ApiResult<(StatusCode, AppJson<RunOut>)> {
    auth.require(Module::Chat, Access::ViewEdit)?;
    crate::api::conversations::visible_conversation(&st, &auth, id).await?;
    let f = st.store.flow(auth.org(), req.flow_id).await?;
    let Some(version) = f.published_version else {
        return Err(not_published());
    };
    let mut tx = st.store.begin().await?;
    let mut conv = tx.conversation(auth.org(), id).await?;
    if conv.attendance_id.is_some() {
        let line = format!(
            "{} encaminhou a conversa para o fluxo {}.",
            auth.user.name, f.name
        );
        conv = crate::chat::close::close_now(
            &mut tx,
            &conv,
            None,
            Some(&auth.user.name),
            Some(auth.user.id),
        )
        .await?;
        tx.insert_message(atende_store::chats::NewMessage::system(&conv, line))
            .await?;
    }
    let run = start_or_conflict(
        &mut tx,
        NewRun {
            flow_id: f.id,
            version,
            conversation: conv,
            trigger: Trigger::Forward,
            batch: None,
            client: None,
            input_after: None,
        },
    )
    .await?;
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok((StatusCode::CREATED, AppJson(run.into())))
}

/// An inbox's business hours and what they mean now.
#[derive(Serialize, ToSchema)]
pub struct BusinessHoursOut {
    /// As set (see the PUT); null: always open.
    #[schema(value_type = Option<Object>)]
    pub hours: Option<Value>,
    /// Whether the inbox is within its hours now.
    pub open_now: bool,
    /// When closed, the next opening in words ("amanhã às 08:00"); null
    /// when open or when none is set within a year.
    pub next_opening: Option<String>,
}

/// An inbox's business hours (LC-22).
#[utoipa::path(get, path = "/inboxes/{id}/business-hours", tag = "inboxes", params(("id" = String, Path)),
    responses((status = 200, body = BusinessHoursOut), (status = 404, body = crate::error::ErrorBody)))]
async fn get_business_hours(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
) -> ApiResult<AppJson<BusinessHoursOut>> {
    auth.require(Module::Inboxes, Access::View)?;
    let inbox = st.store.inbox(auth.org(), id).await?;
    let hours = inbox.business_hours.map(|h| h.0);
    let parsed = hours
        .clone()
        .and_then(|h| serde_json::from_value::<atende_domain::BusinessHours>(h).ok());
    let now = chrono::Utc::now();
    let (open_now, next_opening) = match parsed.as_ref().map(|h| (h, h.status(now))) {
        None | Some((_, atende_domain::HoursStatus::Open { .. })) => (true, None),
        Some((h, atende_domain::HoursStatus::Closed { opens_at })) => {
            (false, opens_at.map(|at| h.describe_opening(at, now)))
        }
    };
    Ok(AppJson(BusinessHoursOut {
        hours,
        open_now,
        next_opening,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessHoursRequest {
    /// `{"time_zone": "America/Sao_Paulo", "shifts": [{"days": ["mon", …],
    /// "from": "08:00", "to": "12:00"}, …], "holidays": [{"date":
    /// "2026-12-25", "name": "Natal"}]}`; null: always open. Shifts may be
    /// split; "24:00" ends a day; no shifts at all: always closed.
    #[schema(value_type = Option<Object>)]
    pub hours: Option<Value>,
}

/// Sets an inbox's business hours (LC-22): flows' `hours` steps branch on
/// them and tell the next opening outside them.
#[utoipa::path(put, path = "/inboxes/{id}/business-hours", tag = "inboxes", params(("id" = String, Path)), request_body = BusinessHoursRequest,
    responses((status = 204), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn set_business_hours(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
    AppJson(req): AppJson<BusinessHoursRequest>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Inboxes, Access::ViewEdit)?;
    if let Some(h) = &req.hours {
        serde_json::from_value::<atende_domain::BusinessHours>(h.clone())
            .map_err(|e| ApiError::invalid(format!("Horário de atendimento inválido: {e}")))?;
    }
    let mut tx = st.store.begin().await?;
    tx.set_business_hours(auth.org(), id, req.hours.as_ref())
        .await?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "inbox.business_hours",
        &id.to_string(),
        json!({"hours": req.hours}),
    )
    .await?;
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutOfHoursParams {
    /// Only this inbox's contacts.
    #[param(format = Uuid)]
    pub inbox_id: Option<String>,
}

/// A contact who wrote outside business hours (LC-21).
#[derive(Serialize, ToSchema)]
pub struct OutOfHoursOut {
    pub id: String,
    /// When they wrote.
    pub at: String,
    /// The contact's name, or "(Sem nome)".
    pub name: String,
    pub phone: Option<String>,
    /// "Sim" / "Não", or "N/D" when the flow does not offer a callback.
    pub callback: String,
    /// Whether an active message (template) was sent since.
    pub active_message_sent: bool,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
}

/// Contacts who wrote outside business hours in the last 7 days (LC-21),
/// newest first.
#[utoipa::path(get, path = "/out-of-hours", tag = "inboxes", params(OutOfHoursParams),
    responses((status = 200, body = Vec<OutOfHoursOut>), (status = 400, body = crate::error::ErrorBody)))]
async fn list_out_of_hours(
    State(st): State<AppState>,
    auth: Auth,
    AppQuery(q): AppQuery<OutOfHoursParams>,
) -> ApiResult<AppJson<Vec<OutOfHoursOut>>> {
    auth.require(Module::Chat, Access::View)?;
    let inbox = match q.inbox_id.as_deref().filter(|s| !s.is_empty()) {
        Some(i) => Some(
            i.parse::<InboxId>()
                .map_err(|_| ApiError::bad_request("inbox_id inválido."))?,
        ),
        None => None,
    };
    let since = atende_store::now_ms() - 7 * 24 * 3_600_000;
    let list = st.store.out_of_hours(auth.org(), inbox, since).await?;
    Ok(AppJson(
        list.into_iter()
            .map(|o| OutOfHoursOut {
                id: o.id.to_string(),
                at: time(o.at),
                name: if o.contact_name.trim().is_empty()
                    || o.contact_phone
                        .as_deref()
                        .is_some_and(|p| p == o.contact_name)
                {
                    "(Sem nome)".into()
                } else {
                    o.contact_name
                },
                phone: o.contact_phone,
                callback: match o.callback {
                    Some(true) => "Sim",
                    Some(false) => "Não",
                    None => "N/D",
                }
                .into(),
                active_message_sent: o.active_sent_at.is_some(),
                conversation_id: o.conversation_id,
                inbox_id: o.inbox_id,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveMessage {
    pub template: crate::chat::compose::TemplateSend,
}

/// "Enviar mensagem ativa" (LC-21): sends a template to an out-of-hours
/// contact and marks the entry as answered.
#[utoipa::path(post, path = "/out-of-hours/{id}/active-message", tag = "inboxes", params(("id" = String, Path)), request_body = ActiveMessage,
    responses((status = 202, body = crate::api::conversations::MessageOut), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn send_active_message(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<uuid::Uuid>,
    AppJson(req): AppJson<ActiveMessage>,
) -> ApiResult<(StatusCode, AppJson<crate::api::conversations::MessageOut>)> {
    auth.require(Module::Chat, Access::ViewEdit)?;
    let entry = st.store.out_of_hours_entry(auth.org(), id).await?;
    let conv =
        crate::api::conversations::visible_conversation(&st, &auth, entry.conversation_id).await?;
    let contact = st.store.contact(auth.org(), conv.contact_id).await?;
    let inbox = st.store.inbox(auth.org(), conv.inbox_id).await?;
    let content =
        crate::chat::compose::template(&st, &inbox, &req.template, &contact, &conv).await?;
    let upload = crate::chat::compose::find_upload(&st, &conv, content.upload.as_ref()).await?;
    let mut tx = st.store.begin().await?;
    let conv = tx.conversation(auth.org(), conv.id).await?;
    let contact = tx.contact(auth.org(), conv.contact_id).await?;
    let (_, queued) = crate::chat::send::queue(
        &mut tx,
        crate::chat::send::Send {
            conversation: &conv,
            contact: &contact,
            author: auth.author(false),
            content,
            idempotency_key: None,
            upload,
        },
    )
    .await?;
    let crate::chat::send::Queued::Sent(sent) = queued else {
        return Err(ApiError::internal("active message not stored"));
    };
    let msg = sent.message;
    tx.mark_out_of_hours_sent(auth.org(), id).await?;
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok((StatusCode::ACCEPTED, AppJson(msg.into())))
}
