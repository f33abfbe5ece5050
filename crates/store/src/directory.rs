//! Departments and their members, inboxes, tags and custom fields.

use atende_domain::{CustomFieldId, DepartmentId, FlowId, InboxId, OrgId, TagId, UserId};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json;

use crate::{Millis, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Department {
    pub id: DepartmentId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub name: String,
    pub created_at: Millis,
    /// `manual` (members pick its chats from "Chats abertos") or `auto`
    /// (routing hands them out; see `routing::Distribution`).
    pub distribution: String,
}

/// An inbox as stored. `secrets` must never be serialized to clients.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Inbox {
    pub id: InboxId,
    pub org_id: OrgId,
    pub name: String,
    pub channel: String,
    pub external_id: Option<String>,
    pub settings: Json<Value>,
    pub secrets: Json<Value>,
    pub chatbot_enabled: bool,
    pub needs_reauth: bool,
    pub created_at: Millis,
    /// The flow a contact's message starts when no attendance is open and
    /// the chatbot switch is on (FL-2).
    pub entry_flow_id: Option<FlowId>,
    /// Business hours (LC-22, `atende_domain::hours`); none: always open.
    pub business_hours: Option<Json<Value>>,
}

impl Inbox {
    /// The kind of channel the inbox connects; `None` for a channel this
    /// version does not know (a row written by a newer one).
    pub fn kind(&self) -> Option<atende_domain::ChannelKind> {
        self.channel.parse().ok()
    }
}

#[derive(Debug, Clone)]
pub struct NewInbox {
    pub org_id: OrgId,
    pub name: String,
    pub channel: String,
    pub external_id: Option<String>,
    pub settings: Value,
    pub secrets: Value,
    pub chatbot_enabled: bool,
}

#[derive(Debug, Clone, Default)]
pub struct InboxPatch {
    pub name: Option<String>,
    pub settings: Option<Value>,
    /// Replaces the secrets and clears `needs_reauth`.
    pub secrets: Option<Value>,
    pub external_id: Option<String>,
    pub chatbot_enabled: Option<bool>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Tag {
    pub id: TagId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub name: String,
    pub color: String,
    pub created_at: Millis,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CustomField {
    pub id: CustomFieldId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub key: String,
    pub label: String,
    pub field_type: String,
    pub target: String,
    pub options: Json<Vec<String>>,
    pub ask_at_closing: bool,
    pub required_at_closing: bool,
    pub created_at: Millis,
}

const INBOX_COLS: &str = "id, org_id, name, channel, external_id, settings, secrets, chatbot_enabled, needs_reauth, created_at, \
     entry_flow_id, business_hours";
/// The columns an inbox is created with (the others start empty).
const INBOX_NEW_COLS: &str = "id, org_id, name, channel, external_id, settings, secrets, chatbot_enabled, needs_reauth, created_at";
const FIELD_COLS: &str = "id, org_id, key, label, field_type, target, options, ask_at_closing, required_at_closing, created_at";

/// `NotFound` when a write touched no row.
pub(crate) fn found(n: u64) -> Result<()> {
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

impl Tx {
    /// The channel of an inbox (`None`: no such inbox, or a channel this
    /// build does not know).
    pub async fn inbox_channel(
        &mut self,
        org: OrgId,
        id: InboxId,
    ) -> Result<Option<atende_domain::ChannelKind>> {
        let sql = "SELECT channel FROM inboxes WHERE org_id = $1 AND id = $2";
        let channel = with_tx!(self, c => sqlx::query_scalar::<_, String>(sql).bind(org).bind(id).fetch_optional(c).await?);
        Ok(channel.and_then(|c| c.parse().ok()))
    }

    pub async fn create_department(&mut self, org: OrgId, name: &str) -> Result<Department> {
        let d = Department {
            id: DepartmentId::new(),
            org_id: org,
            name: name.to_string(),
            created_at: now_ms(),
            distribution: "manual".into(),
        };
        let sql = "INSERT INTO departments (id, org_id, name, created_at) VALUES ($1, $2, $3, $4)";
        with_tx!(self, c => sqlx::query(sql).bind(d.id).bind(org).bind(&d.name).bind(d.created_at).execute(c).await?.rows_affected());
        Ok(d)
    }

    pub async fn rename_department(
        &mut self,
        org: OrgId,
        id: DepartmentId,
        name: &str,
    ) -> Result<()> {
        let sql = "UPDATE departments SET name = $3 WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).bind(name).execute(c).await?.rows_affected()),
        )
    }

    /// How the department hands out its chats.
    pub async fn set_distribution(
        &mut self,
        org: OrgId,
        id: DepartmentId,
        d: crate::routing::Distribution,
    ) -> Result<()> {
        let sql = "UPDATE departments SET distribution = $3 WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).bind(d.as_str()).execute(c).await?.rows_affected()),
        )
    }

    /// Deletes a department; chats assigned to it lose the department.
    pub async fn delete_department(&mut self, org: OrgId, id: DepartmentId) -> Result<()> {
        with_tx!(self, c => sqlx::query("UPDATE conversations SET department_id = NULL WHERE org_id = $1 AND department_id = $2")
            .bind(org).bind(id).execute(c).await?.rows_affected());
        with_tx!(self, c => sqlx::query("DELETE FROM department_members WHERE org_id = $1 AND department_id = $2")
            .bind(org).bind(id).execute(c).await?.rows_affected());
        let sql = "DELETE FROM departments WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).execute(c).await?.rows_affected()),
        )
    }

    /// Adds a member; returns false when they already were one.
    pub async fn add_member(
        &mut self,
        org: OrgId,
        dept: DepartmentId,
        user: UserId,
    ) -> Result<bool> {
        let sql = "INSERT INTO department_members (org_id, department_id, user_id, created_at) VALUES ($1, $2, $3, $4) \
                   ON CONFLICT (department_id, user_id) DO NOTHING";
        let n = with_tx!(self, c => sqlx::query(sql).bind(org).bind(dept).bind(user).bind(now_ms()).execute(c).await?.rows_affected());
        Ok(n == 1)
    }

    pub async fn remove_member(
        &mut self,
        org: OrgId,
        dept: DepartmentId,
        user: UserId,
    ) -> Result<()> {
        let sql = "DELETE FROM department_members WHERE org_id = $1 AND department_id = $2 AND user_id = $3";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(dept).bind(user).execute(c).await?.rows_affected()),
        )
    }

    pub async fn create_inbox(&mut self, n: NewInbox) -> Result<Inbox> {
        let i = Inbox {
            id: InboxId::new(),
            org_id: n.org_id,
            name: n.name,
            channel: n.channel,
            external_id: n.external_id,
            settings: Json(n.settings),
            secrets: Json(n.secrets),
            chatbot_enabled: n.chatbot_enabled,
            needs_reauth: false,
            created_at: now_ms(),
            entry_flow_id: None,
            business_hours: None,
        };
        let sql = format!(
            "INSERT INTO inboxes ({INBOX_NEW_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        );
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(i.id).bind(i.org_id).bind(&i.name).bind(&i.channel)
            .bind(&i.external_id).bind(&i.settings).bind(&i.secrets).bind(i.chatbot_enabled)
            .bind(i.needs_reauth).bind(i.created_at).execute(c).await?.rows_affected());
        Ok(i)
    }

    pub async fn update_inbox(&mut self, org: OrgId, id: InboxId, p: InboxPatch) -> Result<Inbox> {
        let reauth_fixed = p.secrets.is_some();
        let sql = format!(
            "UPDATE inboxes SET name = COALESCE($3, name), settings = COALESCE($4, settings), \
             secrets = COALESCE($5, secrets), external_id = COALESCE($6, external_id), \
             chatbot_enabled = COALESCE($7, chatbot_enabled), \
             needs_reauth = CASE WHEN $8 THEN FALSE ELSE needs_reauth END \
             WHERE org_id = $1 AND id = $2 RETURNING {INBOX_COLS}"
        );
        with_tx!(self, c => sqlx::query_as::<_, Inbox>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).bind(p.name)
            .bind(p.settings.map(Json)).bind(p.secrets.map(Json)).bind(p.external_id)
            .bind(p.chatbot_enabled).bind(reauth_fixed).fetch_optional(c).await?)
            .ok_or(StoreError::NotFound)
    }

    /// Sets (or, with none, clears: always open) an inbox's business hours.
    pub async fn set_business_hours(
        &mut self,
        org: OrgId,
        id: InboxId,
        hours: Option<&Value>,
    ) -> Result<()> {
        let sql = "UPDATE inboxes SET business_hours = $3 WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).bind(hours.map(Json)).execute(c).await?.rows_affected()),
        )
    }

    pub async fn delete_inbox(&mut self, org: OrgId, id: InboxId) -> Result<()> {
        let sql = "DELETE FROM inboxes WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).execute(c).await?.rows_affected()),
        )
    }

    pub async fn create_tag(&mut self, org: OrgId, name: &str, color: &str) -> Result<Tag> {
        let t = Tag {
            id: TagId::new(),
            org_id: org,
            name: name.into(),
            color: color.into(),
            created_at: now_ms(),
        };
        let sql =
            "INSERT INTO tags (id, org_id, name, color, created_at) VALUES ($1, $2, $3, $4, $5)";
        with_tx!(self, c => sqlx::query(sql).bind(t.id).bind(org).bind(&t.name).bind(&t.color).bind(t.created_at).execute(c).await?.rows_affected());
        Ok(t)
    }

    pub async fn update_tag(
        &mut self,
        org: OrgId,
        id: TagId,
        name: Option<&str>,
        color: Option<&str>,
    ) -> Result<Tag> {
        let sql = "UPDATE tags SET name = COALESCE($3, name), color = COALESCE($4, color) WHERE org_id = $1 AND id = $2 \
                   RETURNING id, org_id, name, color, created_at";
        with_tx!(self, c => sqlx::query_as::<_, Tag>(sql).bind(org).bind(id).bind(name).bind(color).fetch_optional(c).await?)
            .ok_or(StoreError::NotFound)
    }

    pub async fn delete_tag(&mut self, org: OrgId, id: TagId) -> Result<()> {
        with_tx!(self, c => sqlx::query("DELETE FROM conversation_tags WHERE org_id = $1 AND tag_id = $2").bind(org).bind(id).execute(c).await?.rows_affected());
        let sql = "DELETE FROM tags WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).execute(c).await?.rows_affected()),
        )
    }

    pub async fn create_custom_field(&mut self, f: &CustomField) -> Result<()> {
        let sql = format!(
            "INSERT INTO custom_fields ({FIELD_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        );
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(f.id).bind(f.org_id).bind(&f.key).bind(&f.label)
            .bind(&f.field_type).bind(&f.target).bind(&f.options).bind(f.ask_at_closing)
            .bind(f.required_at_closing).bind(f.created_at).execute(c).await?.rows_affected());
        Ok(())
    }

    /// Replaces the editable attributes of a custom field (key and type stay).
    pub async fn update_custom_field(&mut self, f: &CustomField) -> Result<()> {
        let sql = "UPDATE custom_fields SET label = $3, options = $4, ask_at_closing = $5, required_at_closing = $6 \
                   WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(f.org_id).bind(f.id).bind(&f.label).bind(&f.options)
            .bind(f.ask_at_closing).bind(f.required_at_closing).execute(c).await?.rows_affected()),
        )
    }

    pub async fn delete_custom_field(&mut self, org: OrgId, id: CustomFieldId) -> Result<()> {
        let sql = "DELETE FROM custom_fields WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).execute(c).await?.rows_affected()),
        )
    }
}

impl Store {
    pub async fn departments(&self, org: OrgId) -> Result<Vec<Department>> {
        let sql = "SELECT id, org_id, name, created_at, distribution FROM departments WHERE org_id = $1 ORDER BY name";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Department>(sql).bind(org).fetch_all(p).await?),
        )
    }

    pub async fn department(&self, org: OrgId, id: DepartmentId) -> Result<Department> {
        let sql = "SELECT id, org_id, name, created_at, distribution FROM departments WHERE org_id = $1 AND id = $2";
        with_pool!(self, p => sqlx::query_as::<_, Department>(sql).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    /// Members (user ids) of a department.
    pub async fn department_members(&self, org: OrgId, id: DepartmentId) -> Result<Vec<UserId>> {
        let sql = "SELECT user_id FROM department_members WHERE org_id = $1 AND department_id = $2 ORDER BY created_at";
        Ok(
            with_pool!(self, p => sqlx::query_scalar::<_, UserId>(sql).bind(org).bind(id).fetch_all(p).await?),
        )
    }

    /// Departments a user belongs to.
    pub async fn user_departments(&self, org: OrgId, user: UserId) -> Result<Vec<DepartmentId>> {
        let sql = "SELECT department_id FROM department_members WHERE org_id = $1 AND user_id = $2";
        Ok(
            with_pool!(self, p => sqlx::query_scalar::<_, DepartmentId>(sql).bind(org).bind(user).fetch_all(p).await?),
        )
    }

    pub async fn inboxes(&self, org: OrgId) -> Result<Vec<Inbox>> {
        let sql = format!("SELECT {INBOX_COLS} FROM inboxes WHERE org_id = $1 ORDER BY name");
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Inbox>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).fetch_all(p).await?),
        )
    }

    pub async fn inbox(&self, org: OrgId, id: InboxId) -> Result<Inbox> {
        let sql = format!("SELECT {INBOX_COLS} FROM inboxes WHERE org_id = $1 AND id = $2");
        with_pool!(self, p => sqlx::query_as::<_, Inbox>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    pub async fn tags(&self, org: OrgId) -> Result<Vec<Tag>> {
        let sql =
            "SELECT id, org_id, name, color, created_at FROM tags WHERE org_id = $1 ORDER BY name";
        Ok(with_pool!(self, p => sqlx::query_as::<_, Tag>(sql).bind(org).fetch_all(p).await?))
    }

    pub async fn custom_fields(&self, org: OrgId) -> Result<Vec<CustomField>> {
        let sql =
            format!("SELECT {FIELD_COLS} FROM custom_fields WHERE org_id = $1 ORDER BY label");
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, CustomField>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).fetch_all(p).await?),
        )
    }

    pub async fn custom_field(&self, org: OrgId, id: CustomFieldId) -> Result<CustomField> {
        let sql = format!("SELECT {FIELD_COLS} FROM custom_fields WHERE org_id = $1 AND id = $2");
        with_pool!(self, p => sqlx::query_as::<_, CustomField>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }
}
