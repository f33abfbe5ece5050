//! The Fluxo Ágil report (RP-3, seed 003): the contacts bot flows talked
//! to in a period, by batch, client and campaign — one row per batch,
//! contact and flow with their conversations and messages with the bot —,
//! each row's history with the bot, and the export. Needs the Reports
//! module.

use atende_domain::{Access, ContactId, FlowId, Module};
use atende_store::agile::AgileRow;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::reports::{ReportOut, start};
use super::{AppJson, AppQuery, time};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::reports::agile::{AgileFilters, document_label};
use crate::reports::sessions::phone_label;
use crate::reports::{ExportFormat, Period};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rows))
        .routes(routes!(options))
        .routes(routes!(row_messages))
        .routes(routes!(export_rows))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Rows to skip (default 0).
    pub offset: Option<i64>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
}

/// A row of the report: a contact's runs of one flow in one batch.
#[derive(Serialize, ToSchema)]
pub struct AgileRowOut {
    /// "Lote".
    pub batch: Option<String>,
    pub client: Option<String>,
    #[schema(value_type = String, format = Uuid)]
    pub contact_id: ContactId,
    pub name: String,
    /// CPF or CNPJ with punctuation.
    pub document: Option<String>,
    pub phone: Option<String>,
    pub phone_display: Option<String>,
    pub email: Option<String>,
    #[schema(value_type = String, format = Uuid)]
    pub flow_id: FlowId,
    pub flow_name: String,
    /// Conversations the bot had with the contact (runs of the flow).
    pub conversations: i64,
    /// Messages the contact and the bot exchanged in them.
    pub messages: i64,
    /// When the latest of those runs started.
    #[schema(format = DateTime)]
    pub last_started_at: String,
}

impl From<AgileRow> for AgileRowOut {
    fn from(r: AgileRow) -> AgileRowOut {
        AgileRowOut {
            document: r.document.as_deref().map(document_label),
            phone_display: r.phone.as_deref().map(phone_label),
            batch: r.batch,
            client: r.client,
            contact_id: r.contact_id,
            name: r.name,
            phone: r.phone,
            email: r.email,
            flow_id: r.flow_id,
            flow_name: r.flow_name,
            conversations: r.conversations,
            messages: r.messages,
            last_started_at: time(r.last_started_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AgilePage {
    pub items: Vec<AgileRowOut>,
    /// Rows in all for the filters.
    pub total: i64,
    pub from: String,
    pub to: String,
}

/// The report's rows for the filters, the latest runs first (RP-3). A
/// period over 31 days is `range_too_long`.
#[utoipa::path(get, path = "/reports/agile", tag = "reports", params(AgileFilters, PageParams),
    responses((status = 200, body = AgilePage), (status = 422, body = crate::error::ErrorBody)))]
async fn list_rows(
    State(st): State<AppState>,
    auth: Auth,
    AppQuery(filters): AppQuery<AgileFilters>,
    AppQuery(page): AppQuery<PageParams>,
) -> ApiResult<AppJson<AgilePage>> {
    auth.require(Module::Reports, Access::View)?;
    let filter = filters.parse()?;
    let (rows, total) = st
        .store
        .agile_rows(
            auth.org(),
            &filter,
            page.offset.unwrap_or(0).max(0),
            page.limit.unwrap_or(50).clamp(1, 200),
        )
        .await?;
    Ok(AppJson(AgilePage {
        items: rows.into_iter().map(Into::into).collect(),
        total,
        from: time(filter.from),
        to: time(filter.to),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct CampaignOption {
    pub id: String,
    pub name: String,
}

/// What the filters offer for a period.
#[derive(Serialize, ToSchema)]
pub struct AgileOptionsOut {
    pub clients: Vec<String>,
    pub campaigns: Vec<CampaignOption>,
    pub batches: Vec<String>,
}

/// The clients, campaigns and batches of the flow runs of the period, for
/// the filters' lists.
#[utoipa::path(get, path = "/reports/agile/options", tag = "reports", params(AgileFilters),
    responses((status = 200, body = AgileOptionsOut), (status = 422, body = crate::error::ErrorBody)))]
async fn options(
    State(st): State<AppState>,
    auth: Auth,
    AppQuery(filters): AppQuery<AgileFilters>,
) -> ApiResult<AppJson<AgileOptionsOut>> {
    auth.require(Module::Reports, Access::View)?;
    let (from, to) = filters.period()?;
    let o = st.store.agile_options(auth.org(), from, to).await?;
    Ok(AppJson(AgileOptionsOut {
        clients: o.clients,
        campaigns: o
            .campaigns
            .into_iter()
            .map(|(id, name)| CampaignOption {
                id: id.to_string(),
                name,
            })
            .collect(),
        batches: o.batches,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RowParams {
    #[param(format = Uuid)]
    pub contact_id: String,
    #[param(format = Uuid)]
    pub flow_id: String,
}

/// A message between the contact and the bot.
#[derive(Serialize, ToSchema)]
pub struct AgileMessageOut {
    pub id: String,
    /// contact | bot
    pub author_kind: String,
    pub kind: String,
    pub text: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

/// A row's history with the bot (the balloon action): the contact's and
/// the bot's messages during the row's runs, in time order (at most
/// 2,000).
#[utoipa::path(get, path = "/reports/agile/messages", tag = "reports", params(AgileFilters, RowParams),
    responses((status = 200, body = Vec<AgileMessageOut>), (status = 422, body = crate::error::ErrorBody)))]
async fn row_messages(
    State(st): State<AppState>,
    auth: Auth,
    AppQuery(filters): AppQuery<AgileFilters>,
    AppQuery(row): AppQuery<RowParams>,
) -> ApiResult<AppJson<Vec<AgileMessageOut>>> {
    auth.require(Module::Reports, Access::View)?;
    let filter = filters.parse()?;
    let bad = |what: &str| crate::error::ApiError::invalid(format!("{what} inválido."));
    let contact: ContactId = row.contact_id.parse().map_err(|_| bad("contact_id"))?;
    let flow: FlowId = row.flow_id.parse().map_err(|_| bad("flow_id"))?;
    let list = st
        .store
        .agile_messages(auth.org(), &filter, contact, flow, 2_000)
        .await?;
    Ok(AppJson(
        list.into_iter()
            .map(|m| AgileMessageOut {
                id: m.id.to_string(),
                author_kind: m.author_kind,
                kind: m.kind,
                text: m.text,
                created_at: time(m.created_at),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct AgileExportRequest {
    #[serde(flatten)]
    pub filters: AgileFilters,
    pub format: ExportFormat,
}

/// Exports every row of the filters ("EXPORTAR") as CSV (UTF-8 with BOM,
/// `;`-separated) or XLSX. Answers 202 with the report.
#[utoipa::path(post, path = "/reports/agile/export", tag = "reports", request_body = AgileExportRequest,
    responses((status = 202, body = ReportOut), (status = 422, body = crate::error::ErrorBody)))]
async fn export_rows(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<AgileExportRequest>,
) -> ApiResult<(StatusCode, AppJson<ReportOut>)> {
    auth.require(Module::Reports, Access::View)?;
    let filter = req.filters.parse()?;
    let title = format!(
        "Fluxo Ágil ({}) — {}",
        Period {
            from: filter.from,
            to: filter.to
        }
        .describe(),
        req.format.extension().to_uppercase()
    );
    let params = json!({"filter": filter, "format": req.format});
    start(&st, &auth, "agile", &title, params).await
}
