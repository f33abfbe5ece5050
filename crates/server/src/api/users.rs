//! Users of the organization, their role and module permissions (AD-1).

use atende_domain::{Access, DepartmentId, Email, Module, OrgId, Permissions, Role, UserId};
use atende_store::accounts::{NewUser, User, UserPatch};
use atende_store::events::{ChatEvent, UserCreated, UserUpdated};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppJson, AppPath, clean_name, time};
use crate::auth::{self, Auth};
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(list_agents))
        .routes(routes!(get_user, update_user))
}

/// A user as the API shows it (never the password hash).
#[derive(Serialize, ToSchema)]
pub struct UserOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    #[schema(value_type = String, format = Uuid)]
    pub org_id: OrgId,
    pub email: String,
    pub name: String,
    /// admin | manager | agent
    #[schema(schema_with = crate::wire_schema::role)]
    pub role: String,
    #[schema(value_type = Object)]
    pub permissions: Permissions,
    /// The status chosen: online | paused | invisible (LC-19).
    pub status: String,
    /// Why they paused, when they gave a reason.
    pub status_reason: Option<String>,
    /// Since when the status (as others see it) holds.
    #[schema(format = DateTime)]
    pub status_since: Option<String>,
    /// Every socket of theirs has been gone for the organization's
    /// `away_minutes`: colleagues and monitoring see them offline.
    pub away: bool,
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub departments: Vec<DepartmentId>,
    pub default_closing_message: String,
    pub confirm_audio: bool,
    pub active: bool,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// How many chats routing gives the user at once.
    pub max_chats: i64,
}

impl UserOut {
    pub fn from_user(u: &User, departments: Vec<DepartmentId>) -> UserOut {
        UserOut {
            id: u.id,
            org_id: u.org_id,
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role.clone(),
            permissions: u.permissions.0.clone(),
            status: u.status.clone(),
            status_reason: u.status_reason.clone(),
            status_since: u.status_since.map(time),
            away: u.away,
            departments,
            default_closing_message: u.default_closing_message.clone(),
            confirm_audio: u.confirm_audio,
            active: u.active,
            created_at: time(u.created_at),
            max_chats: u.max_chats,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    pub email: String,
    #[schema(min_length = 1, max_length = 120, pattern = r"\S")]
    pub name: String,
    #[schema(min_length = 8, max_length = 256)]
    pub password: String,
    /// admin | manager | agent
    pub role: String,
    /// Overrides of the role's default permissions.
    #[schema(value_type = Option<Object>)]
    pub permissions: Option<Permissions>,
    /// How many chats routing gives the user at once (0–100; default 5).
    #[schema(minimum = 0, maximum = 100)]
    #[serde(default, deserialize_with = "super::whole_number")]
    pub max_chats: Option<i64>,
}

fn check_max_chats(max: Option<i64>) -> Result<(), ApiError> {
    if max.is_some_and(|m| !(0..=100).contains(&m)) {
        return Err(ApiError::invalid("max_chats: use um número de 0 a 100."));
    }
    Ok(())
}

fn parse_role(s: &str) -> Result<Role, ApiError> {
    s.parse().map_err(|_| {
        ApiError::invalid(format!(
            "Perfil inválido: {s:?} (use admin, manager ou agent)."
        ))
    })
}

/// Only admins may hand out admin rights or permissions beyond their own.
fn check_grant(auth: &Auth, role: Role, perms: &Permissions) -> Result<(), ApiError> {
    if role == Role::Admin && auth.role() != Role::Admin {
        return Err(ApiError::forbidden());
    }
    let mine = auth.permissions();
    let exceeds = Module::ALL
        .iter()
        .any(|m| perms.access(*m) > mine.access(*m))
        || atende_domain::Capability::ALL
            .iter()
            .any(|c| perms.has(*c) && !mine.has(*c));
    if exceeds {
        Err(ApiError::forbidden())
    } else {
        Ok(())
    }
}

/// A colleague as every user of the organization sees them: who can take or
/// be handed a chat (LC-9), and whose name to show on an agent's messages
/// and on the "in service" icon (LC-7). No e-mail, no permissions.
#[derive(Serialize, ToSchema)]
pub struct AgentOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    pub name: String,
    /// admin | manager | agent
    pub role: String,
    /// online | paused | offline (an invisible colleague shows as offline,
    /// LC-19, and so does one whose every socket has been gone for the
    /// organization's `away_minutes`; the caller sees their own status as
    /// chosen)
    pub status: String,
    /// Why they paused, when they gave a reason.
    pub status_reason: Option<String>,
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub departments: Vec<DepartmentId>,
}

/// Lists the organization's active users for any signed-in user (names,
/// presence and departments), e.g. to forward a chat or name an agent.
#[utoipa::path(get, path = "/agents", tag = "users", responses((status = 200, body = Vec<AgentOut>)))]
async fn list_agents(State(st): State<AppState>, auth: Auth) -> ApiResult<AppJson<Vec<AgentOut>>> {
    let users = st.store.users(auth.org()).await?;
    let mut out = Vec::with_capacity(users.len());
    for u in users.iter().filter(|u| u.active) {
        let status = if u.id == auth.user.id {
            u.status.as_str()
        } else if u.status == "invisible" {
            "offline"
        } else {
            u.presence()
        };
        out.push(AgentOut {
            id: u.id,
            name: u.name.clone(),
            role: u.role.clone(),
            status: status.to_string(),
            status_reason: u.status_reason.clone().filter(|_| status == "paused"),
            departments: st.store.user_departments(u.org_id, u.id).await?,
        });
    }
    Ok(AppJson(out))
}

/// Lists the organization's users.
#[utoipa::path(get, path = "/users", tag = "users", responses((status = 200, body = Vec<UserOut>)))]
async fn list_users(State(st): State<AppState>, auth: Auth) -> ApiResult<AppJson<Vec<UserOut>>> {
    auth.require(Module::Users, Access::View)?;
    let users = st.store.users(auth.org()).await?;
    let mut out = Vec::with_capacity(users.len());
    for u in &users {
        out.push(UserOut::from_user(
            u,
            st.store.user_departments(u.org_id, u.id).await?,
        ));
    }
    Ok(AppJson(out))
}

/// Creates a user.
#[utoipa::path(post, path = "/users", tag = "users", request_body = NewUserRequest,
    responses((status = 201, body = UserOut), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_user(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<NewUserRequest>,
) -> ApiResult<(StatusCode, AppJson<UserOut>)> {
    auth.require(Module::Users, Access::ViewEdit)?;
    let email = Email::parse(&req.email)?;
    let name = clean_name("name", &req.name, 120)?;
    let role = parse_role(&req.role)?;
    auth::check_password_rules(&req.password)?;
    check_max_chats(req.max_chats)?;
    let permissions = req
        .permissions
        .unwrap_or_else(|| Permissions::for_role(role));
    check_grant(&auth, role, &permissions)?;
    let password = req.password;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(ApiError::internal)??;
    let mut tx = st.store.begin().await?;
    let user = tx
        .create_user(NewUser {
            org_id: auth.org(),
            email: email.as_str().into(),
            name,
            password_hash: hash,
            role,
            permissions,
        })
        .await
        .map_err(|e| match e {
            atende_store::StoreError::Conflict(_) => {
                ApiError::conflict("Já existe um usuário com este e-mail.")
            }
            other => other.into(),
        })?;
    let user = match req.max_chats {
        Some(max) => {
            let patch = UserPatch {
                max_chats: Some(max),
                ..UserPatch::default()
            };
            tx.update_user(auth.org(), user.id, patch).await?
        }
        None => user,
    };
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "user.created",
        &user.id.to_string(),
        json!({"role": user.role, "permissions": user.permissions.0}),
    )
    .await?;
    tx.emit(atende_store::NewEvent::org(
        auth.org(),
        ChatEvent::UserCreated(UserCreated {
            user_id: user.id,
            name: user.name.clone(),
        }),
    ));
    st.commit(tx).await?;
    Ok((
        StatusCode::CREATED,
        AppJson(UserOut::from_user(&user, vec![])),
    ))
}

/// One user.
#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = String, Path)), responses((status = 200, body = UserOut), (status = 404, body = crate::error::ErrorBody)))]
async fn get_user(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<UserId>,
) -> ApiResult<AppJson<UserOut>> {
    if id != auth.user.id {
        auth.require(Module::Users, Access::View)?;
    }
    let u = st.store.user(auth.org(), id).await?;
    let d = st.store.user_departments(u.org_id, u.id).await?;
    Ok(AppJson(UserOut::from_user(&u, d)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    #[schema(min_length = 1, max_length = 120, pattern = r"\S")]
    pub name: Option<String>,
    #[schema(schema_with = crate::wire_schema::opt_role)]
    pub role: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub permissions: Option<Permissions>,
    /// online | paused | invisible (LC-19)
    #[schema(schema_with = crate::wire_schema::opt_presence)]
    pub status: Option<String>,
    /// AD-4: pre-filled closing message.
    pub default_closing_message: Option<String>,
    /// AD-4: confirm before sending audio.
    pub confirm_audio: Option<bool>,
    pub active: Option<bool>,
    #[schema(min_length = 8, max_length = 256)]
    pub password: Option<String>,
    /// How many chats routing gives the user at once (0–100; managers).
    #[schema(minimum = 0, maximum = 100)]
    #[serde(default, deserialize_with = "super::whole_number")]
    pub max_chats: Option<i64>,
}

/// Updates a user. Users may edit their own profile fields (name, status,
/// closing message, audio confirmation, password); role, permissions and
/// activation need the Users module with edit access.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", params(("id" = String, Path)), request_body = UserUpdate,
    responses((status = 200, body = UserOut), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn update_user(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<UserId>,
    AppJson(req): AppJson<UserUpdate>,
) -> ApiResult<AppJson<UserOut>> {
    let admin_fields = req.role.is_some()
        || req.permissions.is_some()
        || req.active.is_some()
        || req.max_chats.is_some();
    check_max_chats(req.max_chats)?;
    if id != auth.user.id || admin_fields {
        auth.require(Module::Users, Access::ViewEdit)?;
    }
    let target = st.store.user(auth.org(), id).await?;
    // Editing another user needs the right to grant what they already have:
    // otherwise a manager could reset an admin's password and log in as them.
    if id != auth.user.id {
        check_grant(&auth, target.role(), &target.permissions.0)?;
    }
    let role = req.role.as_deref().map(parse_role).transpose()?;
    if role.is_some() || req.permissions.is_some() {
        let r = role.unwrap_or_else(|| target.role());
        let p = req
            .permissions
            .clone()
            .unwrap_or_else(|| Permissions::for_role(r));
        check_grant(&auth, r, &p)?;
    }
    if let Some(s) = &req.status
        && !["online", "paused", "invisible"].contains(&s.as_str())
    {
        return Err(ApiError::invalid(
            "Status inválido (use online, paused ou invisible).",
        ));
    }
    let password_hash = match req.password {
        Some(p) => {
            auth::check_password_rules(&p)?;
            Some(
                tokio::task::spawn_blocking(move || auth::hash_password(&p))
                    .await
                    .map_err(ApiError::internal)??,
            )
        }
        None => None,
    };
    // A role change without explicit permissions resets them to the role's.
    let permissions = req.permissions.or_else(|| role.map(Permissions::for_role));
    keep_an_administrator(&st, &auth, &target, role, permissions.as_ref(), req.active).await?;
    let patch = UserPatch {
        name: req
            .name
            .as_deref()
            .map(|n| clean_name("name", n, 120))
            .transpose()?,
        role,
        permissions: permissions.clone(),
        status: req.status,
        default_closing_message: req.default_closing_message,
        confirm_audio: req.confirm_audio,
        active: req.active,
        password_hash,
        max_chats: req.max_chats,
    };
    let mut tx = st.store.begin().await?;
    let user = tx.update_user(auth.org(), id, patch).await?;
    // Back online, or with more room: chats queued for them come now.
    crate::flows::routing::drain_queue(&mut tx, auth.org(), user.id).await?;
    if admin_fields {
        tx.audit(
            auth.org(),
            Some(auth.user.id),
            "user.permissions_changed",
            &id.to_string(),
            json!({"role": user.role, "permissions": permissions, "active": user.active, "max_chats": user.max_chats}),
        )
        .await?;
    }
    tx.emit(atende_store::NewEvent::org(
        auth.org(),
        ChatEvent::UserUpdated(UserUpdated::of(&user)),
    ));
    st.commit(tx).await?;
    let _ = st.auth_changed.send(user.id);
    let d = st.store.user_departments(user.org_id, user.id).await?;
    Ok(AppJson(UserOut::from_user(&user, d)))
}

/// Whether a user can manage the organization's users: an active
/// administrator with the users module to edit.
fn manages_users(role: Role, permissions: &Permissions, active: bool) -> bool {
    role == Role::Admin && active && permissions.can_edit(Module::Users)
}

/// The organization always keeps someone who can manage its users: the
/// last active administrator cannot demote, deactivate or strip
/// themselves (or be so changed by another), which would lock everyone
/// out of the users page for good.
async fn keep_an_administrator(
    st: &AppState,
    auth: &Auth,
    target: &User,
    role: Option<Role>,
    permissions: Option<&Permissions>,
    active: Option<bool>,
) -> ApiResult<()> {
    if !manages_users(target.role(), &target.permissions.0, target.active) {
        return Ok(());
    }
    let after = manages_users(
        role.unwrap_or_else(|| target.role()),
        permissions.unwrap_or(&target.permissions.0),
        active.unwrap_or(target.active),
    );
    if after {
        return Ok(());
    }
    let others = st
        .store
        .users(auth.org())
        .await?
        .iter()
        .any(|u| u.id != target.id && manages_users(u.role(), &u.permissions.0, u.active));
    if others {
        Ok(())
    } else {
        Err(ApiError::new(
            Code::LastAdmin,
            "A organização precisa de ao menos um administrador ativo que gerencie usuários.",
        ))
    }
}
