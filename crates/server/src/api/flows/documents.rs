//! Flow documents: the drafts people edit (created, saved, deleted), and
//! import and export as JSON (FL-4).

use atende_domain::{Access, FlowId, InboxId, Module};
use atende_flows::Flow;
use atende_store::StoreError;
use atende_store::flows::FlowRow;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::versions::{VersionOut, invalid_flow};
use crate::api::{AppJson, AppPath, AppQuery, clean_name, conflict, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Code};
use crate::flows::{self, ImportError, Names, Problem, check};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_flows, create_flow))
        .routes(routes!(get_flow, update_flow, delete_flow))
        .routes(routes!(export_flow))
        .routes(routes!(import_flow))
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
                Code::EntryFlow,
                "Este fluxo é o fluxo de entrada de uma caixa de entrada: escolha outro antes de excluí-lo.",
            ));
        }
        Err(StoreError::Invalid(why)) if why == "active_runs" => {
            return Err(ApiError::new(
                Code::ActiveRuns,
                "Este fluxo tem execuções em andamento: espere que terminem antes de excluí-lo.",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
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
    st.channels.forget_routes().await;
    Ok((
        StatusCode::CREATED,
        AppJson(ImportOut {
            flow: flow_out(&st, &auth, imported.flow).await?,
            version: imported.version.into(),
            replaced: imported.replaced,
        }),
    ))
}
