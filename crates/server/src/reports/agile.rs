//! The Fluxo Ágil report (RP-3, seed 003): its filters as people give
//! them, checked, and its export.

use atende_domain::{CampaignId, Document, OrgId};
use atende_sheets::{Cell, Table};
use atende_store::StoreError;
use atende_store::agile::{AgileFilter, AgileRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Period;
use super::sessions::{DAY_MS, MAX_RANGE_DAYS, given, messages as texts, phone_label};
use crate::error::{ApiError, Code};
use crate::state::AppState;

/// The report's filters (seed 003): the period ("Período", at most 31
/// days; absent, the last 31), the client, the campaign and the batch.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct AgileFilters {
    /// A date (`2025-05-01`, Brasília time) or an RFC 3339 instant.
    #[schema(schema_with = crate::wire_schema::opt_day_or_instant)]
    #[param(schema_with = crate::wire_schema::opt_day_or_instant)]
    pub from: Option<String>,
    #[schema(schema_with = crate::wire_schema::opt_day_or_instant)]
    #[param(schema_with = crate::wire_schema::opt_day_or_instant)]
    pub to: Option<String>,
    /// The client a run was started for (`POST /flows/{id}/start`).
    pub client: Option<String>,
    #[schema(format = Uuid)]
    #[param(format = Uuid)]
    pub campaign_id: Option<String>,
    /// The batch a run was started for.
    pub batch: Option<String>,
}

impl AgileFilters {
    /// The period alone (the options of the filters need only it).
    pub fn period(&self) -> Result<(i64, i64), ApiError> {
        match (given(&self.from), given(&self.to)) {
            (Some(from), Some(to)) => {
                let p = Period::parse(from, to).map_err(ApiError::invalid)?;
                if p.to - p.from >= MAX_RANGE_DAYS * DAY_MS {
                    return Err(ApiError::new(Code::RangeTooLong, texts::RANGE_TOO_LONG));
                }
                Ok((p.from, p.to))
            }
            (None, None) => {
                let now = atende_store::now_ms();
                Ok((now - MAX_RANGE_DAYS * DAY_MS + 1, now))
            }
            _ => Err(ApiError::new(Code::Invalid, texts::RANGE_INCOMPLETE)),
        }
    }

    pub fn parse(&self) -> Result<AgileFilter, ApiError> {
        let (from, to) = self.period()?;
        let campaign = match given(&self.campaign_id) {
            Some(c) => Some(
                c.parse::<CampaignId>()
                    .map_err(|_| ApiError::invalid("campaign_id inválido."))?,
            ),
            None => None,
        };
        Ok(AgileFilter {
            from,
            to,
            client: given(&self.client).map(str::to_string),
            campaign,
            batch: given(&self.batch).map(str::to_string),
        })
    }
}

/// A CPF or CNPJ with its punctuation; anything else as stored.
pub fn document_label(doc: &str) -> String {
    Document::parse(doc)
        .map(|d| d.formatted())
        .unwrap_or_else(|_| doc.to_string())
}

/// Rows an export holds at most (an XLSX sheet holds 1,048,575).
const MAX_EXPORT_ROWS: i64 = 1_000_000;

const HEADERS: [&str; 8] = [
    "Lote",
    "Nome",
    "CPF/CNPJ",
    "Telefone",
    "Email",
    "Fluxo",
    "Conversas",
    "Mensagens",
];

/// Every row the filter finds, as the export's table.
pub async fn table(st: &AppState, org: OrgId, filter: &AgileFilter) -> Result<Table, StoreError> {
    // One query: the grouping is over the whole period anyway.
    let (found, _) = st.store.agile_rows(org, filter, 0, MAX_EXPORT_ROWS).await?;
    let rows = found.iter().map(row).collect();
    Ok(Table {
        name: "Fluxo Ágil".into(),
        headers: HEADERS.iter().map(|h| h.to_string()).collect(),
        rows,
    })
}

fn row(r: &AgileRow) -> Vec<Cell> {
    vec![
        r.batch.clone().into(),
        r.name.clone().into(),
        r.document.as_deref().map(document_label).into(),
        r.phone.as_deref().map(phone_label).into(),
        r.email.clone().into(),
        r.flow_name.clone().into(),
        r.conversations.into(),
        r.messages.into(),
    ]
}
