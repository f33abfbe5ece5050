//! Bot flows (FL-1, FL-4) and their runs (FL-3): the draft people edit,
//! every published version, and one row per run of a flow for a contact
//! on an inbox, kept after it ends so reports can show where contacts
//! stopped. At most one run per contact per inbox is active (a unique
//! partial index says so).

mod out_of_hours;
mod runs;

pub use out_of_hours::OutOfHours;
pub use runs::{FlowRun, ListedRun, NewRun, RunTotals, StepCount, Trigger};

use atende_domain::{FlowId, InboxId, OrgId, UserId};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json;

use crate::directory::found;
use crate::events::{ChatEvent, FlowPublished};
use crate::{Backend, Millis, NewEvent, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

/// A flow: its draft and the version new runs take.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FlowRow {
    pub id: FlowId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub name: String,
    /// The document being edited; it may not validate yet.
    pub draft: Json<Value>,
    /// The version runs start from; none until first published.
    pub published_version: Option<i64>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// A published version of a flow: validated, departments and agents by id.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FlowVersion {
    pub flow_id: FlowId,
    pub version: i64,
    #[serde(skip)]
    pub org_id: OrgId,
    pub document: Json<Value>,
    pub published_by: Option<UserId>,
    pub published_at: Millis,
}

const FLOW_COLS: &str = "id, org_id, name, draft, published_version, created_at, updated_at";
const VERSION_COLS: &str = "flow_id, version, org_id, document, published_by, published_at";

/// The longest flow name.
pub const MAX_NAME: usize = 80;

impl Store {
    /// The organization of a flow (system use: the command line names a
    /// flow by id alone).
    pub async fn org_of_flow(&self, id: FlowId) -> Result<OrgId> {
        let sql = "SELECT org_id FROM flows WHERE id = $1";
        with_pool!(self, p => sqlx::query_scalar::<_, OrgId>(sql).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    /// The organization of an inbox (system use, as [`Store::org_of_flow`]).
    pub async fn org_of_inbox(&self, id: InboxId) -> Result<OrgId> {
        let sql = "SELECT org_id FROM inboxes WHERE id = $1";
        with_pool!(self, p => sqlx::query_scalar::<_, OrgId>(sql).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    /// Every flow of the organization by name.
    pub async fn flows(&self, org: OrgId) -> Result<Vec<FlowRow>> {
        let sql = format!("SELECT {FLOW_COLS} FROM flows WHERE org_id = $1 ORDER BY name");
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, FlowRow>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).fetch_all(p).await?),
        )
    }

    pub async fn flow(&self, org: OrgId, id: FlowId) -> Result<FlowRow> {
        let sql = format!("SELECT {FLOW_COLS} FROM flows WHERE org_id = $1 AND id = $2");
        with_pool!(self, p => sqlx::query_as::<_, FlowRow>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    pub async fn flow_by_name(&self, org: OrgId, name: &str) -> Result<Option<FlowRow>> {
        let sql = format!("SELECT {FLOW_COLS} FROM flows WHERE org_id = $1 AND name = $2");
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, FlowRow>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(name).fetch_optional(p).await?),
        )
    }

    /// One published version of a flow.
    pub async fn flow_version(
        &self,
        org: OrgId,
        flow: FlowId,
        version: i64,
    ) -> Result<FlowVersion> {
        let sql = format!(
            "SELECT {VERSION_COLS} FROM flow_versions WHERE org_id = $1 AND flow_id = $2 AND version = $3"
        );
        with_pool!(self, p => sqlx::query_as::<_, FlowVersion>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(flow).bind(version).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    /// The published versions of a flow, newest first (without documents'
    /// bodies trimmed: they are small).
    pub async fn flow_versions(&self, org: OrgId, flow: FlowId) -> Result<Vec<FlowVersion>> {
        let sql = format!(
            "SELECT {VERSION_COLS} FROM flow_versions WHERE org_id = $1 AND flow_id = $2 ORDER BY version DESC"
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, FlowVersion>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(flow).fetch_all(p).await?),
        )
    }
}

impl Tx {
    /// A new flow with a draft. A taken name is a unique violation.
    pub async fn create_flow(&mut self, org: OrgId, name: &str, draft: &Value) -> Result<FlowRow> {
        let now = now_ms();
        let row = FlowRow {
            id: FlowId::new(),
            org_id: org,
            name: name.to_string(),
            draft: Json(draft.clone()),
            published_version: None,
            created_at: now,
            updated_at: now,
        };
        let sql = format!("INSERT INTO flows ({FLOW_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)");
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(row.id).bind(org).bind(&row.name)
            .bind(&row.draft).bind(row.published_version).bind(now).bind(now).execute(c).await?.rows_affected());
        Ok(row)
    }

    /// Reads a flow, locked until commit on PostgreSQL.
    pub async fn flow(&mut self, org: OrgId, id: FlowId) -> Result<FlowRow> {
        let lock = self.lock_suffix(" FOR UPDATE");
        let sql = format!("SELECT {FLOW_COLS} FROM flows WHERE org_id = $1 AND id = $2{lock}");
        with_tx!(self, c => sqlx::query_as::<_, FlowRow>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(c).await?)
            .ok_or(StoreError::NotFound)
    }

    /// The version new runs of a flow take, read without locking the flow
    /// (a publish racing a start leaves the run on the older version).
    pub async fn published_version(&mut self, org: OrgId, id: FlowId) -> Result<Option<i64>> {
        let sql = "SELECT published_version FROM flows WHERE org_id = $1 AND id = $2";
        let v: Option<Option<i64>> = with_tx!(self, c => sqlx::query_scalar(sql).bind(org).bind(id).fetch_optional(c).await?);
        Ok(v.flatten())
    }

    /// The version new runs of the flow named `name` take, with its id.
    pub async fn published_by_name(
        &mut self,
        org: OrgId,
        name: &str,
    ) -> Result<Option<(FlowId, i64)>> {
        let sql = "SELECT id, published_version FROM flows WHERE org_id = $1 AND name = $2 AND published_version IS NOT NULL";
        Ok(
            with_tx!(self, c => sqlx::query_as::<_, (FlowId, i64)>(sql).bind(org).bind(name).fetch_optional(c).await?),
        )
    }

    /// Saves a flow's name and draft.
    pub async fn save_flow_draft(
        &mut self,
        org: OrgId,
        id: FlowId,
        name: &str,
        draft: &Value,
    ) -> Result<FlowRow> {
        let sql = format!(
            "UPDATE flows SET name = $3, draft = $4, updated_at = $5 WHERE org_id = $1 AND id = $2 RETURNING {FLOW_COLS}"
        );
        with_tx!(self, c => sqlx::query_as::<_, FlowRow>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id)
            .bind(name).bind(Json(draft)).bind(now_ms()).fetch_optional(c).await?)
        .ok_or(StoreError::NotFound)
    }

    /// Publishes `document` (already validated and resolved) as the flow's
    /// next version; new runs take it, running ones finish on theirs.
    pub async fn publish_flow(
        &mut self,
        org: OrgId,
        id: FlowId,
        document: &Value,
        by: Option<UserId>,
    ) -> Result<FlowVersion> {
        let flow = self.flow(org, id).await?;
        let sql = "SELECT COALESCE(MAX(version), 0) FROM flow_versions WHERE flow_id = $1";
        let last: i64 =
            with_tx!(self, c => sqlx::query_scalar(sql).bind(flow.id).fetch_one(c).await?);
        let v = FlowVersion {
            flow_id: flow.id,
            version: last + 1,
            org_id: org,
            document: Json(document.clone()),
            published_by: by,
            published_at: now_ms(),
        };
        let sql =
            format!("INSERT INTO flow_versions ({VERSION_COLS}) VALUES ($1, $2, $3, $4, $5, $6)");
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(v.flow_id).bind(v.version).bind(org)
            .bind(&v.document).bind(by).bind(v.published_at).execute(c).await?.rows_affected());
        let sql = "UPDATE flows SET published_version = $3, updated_at = $4 WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).bind(v.version).bind(v.published_at)
            .execute(c).await?.rows_affected());
        self.emit(NewEvent {
            org_id: org,
            chat: None,
            event: ChatEvent::FlowPublished(FlowPublished {
                flow_id: id,
                version: v.version,
                by,
            }),
        });
        Ok(v)
    }

    /// Deletes a flow with its versions and ended runs. Refused while it is
    /// an inbox's entry flow or has active runs.
    pub async fn delete_flow(&mut self, org: OrgId, id: FlowId) -> Result<()> {
        let sql = "SELECT COUNT(*) FROM inboxes WHERE org_id = $1 AND entry_flow_id = $2";
        let entry: i64 =
            with_tx!(self, c => sqlx::query_scalar(sql).bind(org).bind(id).fetch_one(c).await?);
        if entry > 0 {
            return Err(StoreError::Invalid("entry_flow".into()));
        }
        let sql = "SELECT COUNT(*) FROM flow_runs WHERE org_id = $1 AND flow_id = $2 AND status = 'active'";
        let active: i64 =
            with_tx!(self, c => sqlx::query_scalar(sql).bind(org).bind(id).fetch_one(c).await?);
        if active > 0 {
            return Err(StoreError::Invalid("active_runs".into()));
        }
        with_tx!(self, c => sqlx::query("DELETE FROM flow_runs WHERE org_id = $1 AND flow_id = $2")
            .bind(org).bind(id).execute(c).await?.rows_affected());
        with_tx!(self, c => sqlx::query("DELETE FROM flow_versions WHERE org_id = $1 AND flow_id = $2")
            .bind(org).bind(id).execute(c).await?.rows_affected());
        let sql = "DELETE FROM flows WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).execute(c).await?.rows_affected()),
        )
    }

    /// Makes `flow` the inbox's entry flow (FL-2), or none.
    pub async fn set_entry_flow(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        flow: Option<FlowId>,
    ) -> Result<()> {
        let sql = "UPDATE inboxes SET entry_flow_id = $3 WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(inbox).bind(flow).execute(c).await?.rows_affected()),
        )
    }

    fn lock_suffix(&self, lock: &'static str) -> &'static str {
        match self.backend() {
            Backend::Postgres => lock,
            Backend::Sqlite => "",
        }
    }
}
