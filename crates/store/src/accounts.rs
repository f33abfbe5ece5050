//! Organizations, users, sessions and API tokens.

use atende_domain::{ApiTokenId, OrgId, Permissions, Role, UserId};
use serde::Serialize;
use sqlx::types::Json;

use crate::{Millis, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

/// An organization: a reseller may own agencies (AD-1).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Organization {
    pub id: OrgId,
    pub parent_id: Option<OrgId>,
    pub name: String,
    pub kind: String,
    #[serde(skip)]
    pub support_key: Vec<u8>,
    pub created_at: Millis,
}

/// A user as stored (the password hash never leaves the server).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: UserId,
    pub org_id: OrgId,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub permissions: Json<Permissions>,
    pub status: String,
    pub default_closing_message: String,
    pub confirm_audio: bool,
    pub active: bool,
    pub created_at: Millis,
    /// How many chats routing gives the user at once.
    pub max_chats: i64,
    /// Why they paused (one of the organization's pause reasons).
    pub status_reason: Option<String>,
    /// Since when their status (as others see it) holds.
    pub status_since: Option<Millis>,
    /// Every socket of theirs has been gone for the organization's
    /// `away_minutes`: they count as offline until one comes back.
    pub away: bool,
}

impl User {
    /// The status others see (LC-19): `offline` while away, else the one
    /// chosen (`invisible` is shown as `offline` to colleagues by the API).
    pub fn presence(&self) -> &str {
        if self.away { "offline" } else { &self.status }
    }

    pub fn role(&self) -> Role {
        self.role.parse().unwrap_or(Role::Agent)
    }
}

/// Fields of a new user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub org_id: OrgId,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub permissions: Permissions,
}

/// Changes to a user; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub permissions: Option<Permissions>,
    pub status: Option<String>,
    pub default_closing_message: Option<String>,
    pub confirm_audio: Option<bool>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
    /// How many chats routing gives the user at once.
    pub max_chats: Option<i64>,
}

/// A session found by its token.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    pub user_id: UserId,
    pub org_id: OrgId,
    pub csrf_token: String,
    pub expires_at: Millis,
}

/// An API token's metadata (the token itself is shown once, at creation).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: ApiTokenId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub user_id: UserId,
    pub name: String,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
    pub revoked_at: Option<Millis>,
}

pub(crate) const USER_COLS: &str = "id, org_id, email, name, password_hash, role, permissions, status, \
     default_closing_message, confirm_audio, active, created_at, max_chats, status_reason, status_since, away";

/// The columns a new user is written with (the rest take their defaults).
const NEW_USER_COLS: &str = "id, org_id, email, name, password_hash, role, permissions, status, \
     default_closing_message, confirm_audio, active, created_at, max_chats, status_since";

impl Tx {
    /// Creates an organization.
    pub async fn create_org(
        &mut self,
        name: &str,
        kind: &str,
        parent: Option<OrgId>,
    ) -> Result<Organization> {
        let org = Organization {
            id: OrgId::new(),
            parent_id: parent,
            name: name.to_string(),
            kind: kind.to_string(),
            support_key: uuid::Uuid::new_v4().as_bytes().to_vec(),
            created_at: now_ms(),
        };
        let sql = "INSERT INTO organizations (id, parent_id, name, kind, support_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
        with_tx!(self, c => sqlx::query(sql).bind(org.id).bind(org.parent_id).bind(&org.name).bind(&org.kind)
            .bind(&org.support_key).bind(org.created_at).execute(c).await?.rows_affected());
        Ok(org)
    }

    /// Renames an organization.
    pub async fn rename_org(&mut self, id: OrgId, name: &str) -> Result<()> {
        let sql = "UPDATE organizations SET name = $2 WHERE id = $1";
        let n = with_tx!(self, c => sqlx::query(sql).bind(id).bind(name).execute(c).await?.rows_affected());
        if n == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// Creates a user; a taken e-mail is a [`StoreError::Conflict`].
    pub async fn create_user(&mut self, u: NewUser) -> Result<User> {
        let user = User {
            id: UserId::new(),
            org_id: u.org_id,
            email: u.email,
            name: u.name,
            password_hash: u.password_hash,
            role: u.role.as_str().to_string(),
            permissions: Json(u.permissions),
            status: "online".into(),
            default_closing_message: String::new(),
            confirm_audio: false,
            active: true,
            created_at: now_ms(),
            max_chats: 5,
            status_reason: None,
            status_since: None,
            away: false,
        };
        let user = User {
            status_since: Some(user.created_at),
            ..user
        };
        let sql = format!(
            "INSERT INTO users ({NEW_USER_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        );
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(user.id).bind(user.org_id).bind(&user.email).bind(&user.name)
            .bind(&user.password_hash).bind(&user.role).bind(&user.permissions).bind(&user.status)
            .bind(&user.default_closing_message).bind(user.confirm_audio).bind(user.active).bind(user.created_at)
            .bind(user.max_chats).bind(user.status_since).execute(c).await?.rows_affected());
        self.presence_changed(&user, user.created_at).await?;
        Ok(user)
    }

    /// Applies `patch` to a user of `org` (a status through
    /// [`Tx::set_status`], which keeps the presence history).
    pub async fn update_user(&mut self, org: OrgId, id: UserId, patch: UserPatch) -> Result<User> {
        let sql = format!(
            "UPDATE users SET name = COALESCE($3, name), role = COALESCE($4, role), \
             permissions = COALESCE($5, permissions), \
             default_closing_message = COALESCE($6, default_closing_message), \
             confirm_audio = COALESCE($7, confirm_audio), active = COALESCE($8, active), \
             password_hash = COALESCE($9, password_hash), max_chats = COALESCE($10, max_chats) \
             WHERE org_id = $1 AND id = $2 RETURNING {USER_COLS}"
        );
        let user = with_tx!(self, c => sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id)
            .bind(patch.name).bind(patch.role.map(|r| r.as_str()))
            .bind(patch.permissions.map(Json)).bind(patch.default_closing_message)
            .bind(patch.confirm_audio).bind(patch.active).bind(patch.password_hash)
            .bind(patch.max_chats).fetch_optional(c).await?);
        let user = user.ok_or(StoreError::NotFound)?;
        match patch.status {
            Some(status) if status != user.status || user.status_reason.is_some() => {
                self.set_status(&user, &status, None).await
            }
            _ => Ok(user),
        }
    }

    /// Stores a session; `token_hash` is the SHA-256 of the cookie value.
    pub async fn create_session(
        &mut self,
        token_hash: &[u8],
        user: &User,
        csrf: &str,
        expires_at: Millis,
    ) -> Result<()> {
        let sql = "INSERT INTO sessions (token_hash, org_id, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
        with_tx!(self, c => sqlx::query(sql).bind(token_hash).bind(user.org_id).bind(user.id).bind(csrf)
            .bind(now_ms()).bind(expires_at).execute(c).await?.rows_affected());
        Ok(())
    }

    /// Stores an API token; `token_hash` is the SHA-256 of the token.
    pub async fn create_api_token(
        &mut self,
        user: &User,
        name: &str,
        token_hash: &[u8],
    ) -> Result<ApiToken> {
        let t = ApiToken {
            id: ApiTokenId::new(),
            org_id: user.org_id,
            user_id: user.id,
            name: name.to_string(),
            created_at: now_ms(),
            last_used_at: None,
            revoked_at: None,
        };
        let sql = "INSERT INTO api_tokens (id, org_id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
        with_tx!(self, c => sqlx::query(sql).bind(t.id).bind(t.org_id).bind(t.user_id).bind(&t.name)
            .bind(token_hash).bind(t.created_at).execute(c).await?.rows_affected());
        Ok(t)
    }

    /// Revokes an API token of `user`.
    pub async fn revoke_api_token(&mut self, user: &User, id: ApiTokenId) -> Result<()> {
        let sql = "UPDATE api_tokens SET revoked_at = $1 WHERE org_id = $2 AND user_id = $3 AND id = $4 AND revoked_at IS NULL";
        let n = with_tx!(self, c => sqlx::query(sql).bind(now_ms()).bind(user.org_id).bind(user.id).bind(id)
            .execute(c).await?.rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Appends an entry to the audit log (LGPD).
    pub async fn audit(
        &mut self,
        org: OrgId,
        actor: Option<UserId>,
        action: &str,
        target: &str,
        details: serde_json::Value,
    ) -> Result<()> {
        let sql = "INSERT INTO audit_log (id, org_id, actor_id, action, target, details, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
        with_tx!(self, c => sqlx::query(sql).bind(uuid::Uuid::now_v7()).bind(org).bind(actor).bind(action)
            .bind(target).bind(Json(details)).bind(now_ms()).execute(c).await?.rows_affected());
        Ok(())
    }
}

impl Store {
    pub async fn org(&self, id: OrgId) -> Result<Organization> {
        let sql = "SELECT id, parent_id, name, kind, support_key, created_at FROM organizations WHERE id = $1";
        with_pool!(self, p => sqlx::query_as::<_, Organization>(sql).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    pub async fn org_by_name(&self, name: &str) -> Result<Option<Organization>> {
        let sql = "SELECT id, parent_id, name, kind, support_key, created_at FROM organizations WHERE name = $1";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Organization>(sql).bind(name).fetch_optional(p).await?),
        )
    }

    /// Organizations visible from `org`: itself and the agencies it owns.
    pub async fn orgs_under(&self, org: OrgId) -> Result<Vec<Organization>> {
        let sql = "SELECT id, parent_id, name, kind, support_key, created_at FROM organizations \
                   WHERE id = $1 OR parent_id = $1 ORDER BY created_at";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Organization>(sql).bind(org).fetch_all(p).await?),
        )
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE email = $1");
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql.as_str())).bind(email).fetch_optional(p).await?),
        )
    }

    /// A user of `org`; another organization's id is `NotFound`.
    pub async fn user(&self, org: OrgId, id: UserId) -> Result<User> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE org_id = $1 AND id = $2");
        with_pool!(self, p => sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    pub async fn users(&self, org: OrgId) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE org_id = $1 ORDER BY name, id");
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).fetch_all(p).await?),
        )
    }

    /// The live session with this token hash, if any.
    pub async fn session(&self, token_hash: &[u8]) -> Result<Option<Session>> {
        let sql = "SELECT user_id, org_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Session>(sql).bind(token_hash).bind(now_ms()).fetch_optional(p).await?),
        )
    }

    pub async fn delete_session(&self, token_hash: &[u8]) -> Result<()> {
        let mut tx = self.begin().await?;
        with_tx!(tx, c => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(c).await?.rows_affected());
        tx.commit().await?;
        Ok(())
    }

    /// The user owning a live (not revoked) API token.
    pub async fn user_by_api_token(&self, token_hash: &[u8]) -> Result<Option<User>> {
        let cols = USER_COLS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {cols} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active"
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql.as_str())).bind(token_hash).fetch_optional(p).await?),
        )
    }

    pub async fn api_tokens(&self, user: &User) -> Result<Vec<ApiToken>> {
        let sql = "SELECT id, org_id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens \
                   WHERE org_id = $1 AND user_id = $2 ORDER BY created_at";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, ApiToken>(sql).bind(user.org_id).bind(user.id).fetch_all(p).await?),
        )
    }
}
