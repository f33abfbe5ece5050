//! A flow's runs (FL-3) and where they are by step, and starting a flow
//! for a chat: through the API, now or scheduled (FL-2), or forwarded by
//! an agent (LC-10).

use std::collections::BTreeMap;

use atende_domain::{Access, ConversationId, FlowId, InboxId, Module};
use atende_store::NewJob;
use atende_store::flows::{FlowRun, NewRun, StepCount, Trigger};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{AppJson, AppPath, AppQuery, opt_time, time};
use crate::auth::Auth;
use crate::chat::actions;
pub(super) use crate::chat::actions::not_published;
use crate::error::{ApiError, ApiResult, Code};
use crate::jobs::kinds;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_runs))
        .routes(routes!(step_counts))
        .routes(routes!(start_flow))
        .routes(routes!(forward_to_flow))
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
            Code::AttendanceOpen,
            "Esta conversa tem um atendimento aberto: encaminhe-a para o fluxo pelo chat.",
        ));
    }
    let run = actions::start_flow(
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
    let run = actions::forward_to_flow(&st, auth.actor(), id, req.flow_id).await?;
    Ok((StatusCode::CREATED, AppJson(run.into())))
}
