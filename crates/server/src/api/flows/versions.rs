//! Publishing a flow's draft as its next version, and the versions
//! published.

use atende_domain::{Access, FlowId, Module};
use atende_store::flows::FlowVersion;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{AppJson, AppPath, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Code};
use crate::flows::{Problem, check};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(publish_flow))
        .routes(routes!(list_versions))
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

pub(super) fn invalid_flow(problems: Vec<Problem>) -> ApiError {
    let first = problems
        .first()
        .map(|p| match &p.step {
            Some(s) => format!("etapa \"{s}\": {}", p.message),
            None => p.message.clone(),
        })
        .unwrap_or_default();
    ApiError::new(
        Code::InvalidFlow,
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
