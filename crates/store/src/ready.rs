//! Ready responses (LC-20): categories of short texts agents insert in the
//! composer. They belong to the organization, so a manager's edit applies
//! to every inbox at once.

use atende_domain::{OrgId, ReadyCategoryId, ReadyResponseId};
use serde::Serialize;

use crate::directory::found;
use crate::{Millis, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReadyCategory {
    pub id: ReadyCategoryId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub name: String,
    pub created_at: Millis,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReadyResponse {
    pub id: ReadyResponseId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub category_id: ReadyCategoryId,
    pub title: String,
    pub text: String,
    pub created_at: Millis,
    pub updated_at: Millis,
}

const RESPONSE_COLS: &str = "id, org_id, category_id, title, text, created_at, updated_at";

impl Store {
    /// Every category, by name.
    pub async fn ready_categories(&self, org: OrgId) -> Result<Vec<ReadyCategory>> {
        let sql = "SELECT id, org_id, name, created_at FROM ready_categories WHERE org_id = $1 ORDER BY name";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, ReadyCategory>(sql).bind(org).fetch_all(p).await?),
        )
    }

    /// Every response, by category then title.
    pub async fn ready_responses(&self, org: OrgId) -> Result<Vec<ReadyResponse>> {
        let sql = format!(
            "SELECT {RESPONSE_COLS} FROM ready_responses WHERE org_id = $1 ORDER BY category_id, title"
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, ReadyResponse>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).fetch_all(p).await?),
        )
    }
}

impl Tx {
    pub async fn ready_category(
        &mut self,
        org: OrgId,
        id: ReadyCategoryId,
    ) -> Result<ReadyCategory> {
        let sql = "SELECT id, org_id, name, created_at FROM ready_categories WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query_as::<_, ReadyCategory>(sql).bind(org).bind(id).fetch_optional(c).await?)
            .ok_or(StoreError::NotFound)
    }

    pub async fn create_ready_category(&mut self, org: OrgId, name: &str) -> Result<ReadyCategory> {
        let c = ReadyCategory {
            id: ReadyCategoryId::new(),
            org_id: org,
            name: name.into(),
            created_at: now_ms(),
        };
        let sql =
            "INSERT INTO ready_categories (id, org_id, name, created_at) VALUES ($1, $2, $3, $4)";
        with_tx!(self, x => sqlx::query(sql).bind(c.id).bind(org).bind(&c.name).bind(c.created_at).execute(x).await?.rows_affected());
        Ok(c)
    }

    pub async fn rename_ready_category(
        &mut self,
        org: OrgId,
        id: ReadyCategoryId,
        name: &str,
    ) -> Result<ReadyCategory> {
        let sql = "UPDATE ready_categories SET name = $3 WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, x => sqlx::query(sql).bind(org).bind(id).bind(name).execute(x).await?.rows_affected()),
        )?;
        self.ready_category(org, id).await
    }

    /// Deletes a category with its responses.
    pub async fn delete_ready_category(&mut self, org: OrgId, id: ReadyCategoryId) -> Result<()> {
        with_tx!(self, x => sqlx::query("DELETE FROM ready_responses WHERE org_id = $1 AND category_id = $2")
            .bind(org).bind(id).execute(x).await?.rows_affected());
        found(
            with_tx!(self, x => sqlx::query("DELETE FROM ready_categories WHERE org_id = $1 AND id = $2")
            .bind(org).bind(id).execute(x).await?.rows_affected()),
        )
    }

    pub async fn ready_response(
        &mut self,
        org: OrgId,
        id: ReadyResponseId,
    ) -> Result<ReadyResponse> {
        let sql =
            format!("SELECT {RESPONSE_COLS} FROM ready_responses WHERE org_id = $1 AND id = $2");
        with_tx!(self, c => sqlx::query_as::<_, ReadyResponse>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(c).await?)
            .ok_or(StoreError::NotFound)
    }

    pub async fn create_ready_response(
        &mut self,
        org: OrgId,
        category: ReadyCategoryId,
        title: &str,
        text: &str,
    ) -> Result<ReadyResponse> {
        let now = now_ms();
        let r = ReadyResponse {
            id: ReadyResponseId::new(),
            org_id: org,
            category_id: category,
            title: title.into(),
            text: text.into(),
            created_at: now,
            updated_at: now,
        };
        let sql = format!(
            "INSERT INTO ready_responses ({RESPONSE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        );
        with_tx!(self, x => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(r.id).bind(org).bind(r.category_id)
            .bind(&r.title).bind(&r.text).bind(r.created_at).bind(r.updated_at).execute(x).await?.rows_affected());
        Ok(r)
    }

    /// Saves a response's category, title and text.
    pub async fn update_ready_response(&mut self, r: &ReadyResponse) -> Result<()> {
        let sql = "UPDATE ready_responses SET category_id = $3, title = $4, text = $5, updated_at = $6 \
                   WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, x => sqlx::query(sql).bind(r.org_id).bind(r.id).bind(r.category_id).bind(&r.title)
            .bind(&r.text).bind(r.updated_at).execute(x).await?.rows_affected()),
        )
    }

    pub async fn delete_ready_response(&mut self, org: OrgId, id: ReadyResponseId) -> Result<()> {
        found(
            with_tx!(self, x => sqlx::query("DELETE FROM ready_responses WHERE org_id = $1 AND id = $2")
            .bind(org).bind(id).execute(x).await?.rows_affected()),
        )
    }
}
