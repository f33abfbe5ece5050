//! Departments (their name and how chats are distributed) and their
//! members.

use atende_domain::{Access, DepartmentId, Module, UserId};
use atende_store::NewEvent;
use atende_store::directory::Department;
use atende_store::events::{ChatEvent, Deleted, DepartmentUpdated, Membership, Named};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{AppJson, AppPath, clean_name, conflict, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_departments, create_department))
        .routes(routes!(rename_department, delete_department))
        .routes(routes!(list_members, add_member))
        .routes(routes!(remove_member))
}

#[derive(Serialize, ToSchema)]
pub struct DepartmentOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: DepartmentId,
    pub name: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// `manual` or `auto` (see `DepartmentRequest`).
    pub distribution: String,
}

impl From<Department> for DepartmentOut {
    fn from(d: Department) -> Self {
        DepartmentOut {
            id: d.id,
            name: d.name,
            created_at: time(d.created_at),
            distribution: d.distribution,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentRequest {
    /// At most 80 characters.
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub name: Option<String>,
    /// `manual` (default: members pick its chats from "Chats abertos") or
    /// `auto` (routing gives each chat to the least busy available member
    /// with a free slot, or queues it until one frees).
    #[schema(schema_with = crate::wire_schema::opt_distribution)]
    pub distribution: Option<String>,
}

/// A new department: its name is required.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDepartment {
    /// At most 80 characters.
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub name: String,
    /// As in `DepartmentRequest`.
    #[schema(schema_with = crate::wire_schema::opt_distribution)]
    pub distribution: Option<String>,
}

fn distribution(req: &DepartmentRequest) -> ApiResult<Option<atende_store::routing::Distribution>> {
    req.distribution
        .as_deref()
        .map(|d| {
            atende_store::routing::Distribution::parse(d)
                .ok_or_else(|| ApiError::invalid("distribution: use manual ou auto."))
        })
        .transpose()
}

#[utoipa::path(get, path = "/departments", tag = "departments", responses((status = 200, body = Vec<DepartmentOut>)))]
async fn list_departments(
    State(st): State<AppState>,
    auth: Auth,
) -> ApiResult<AppJson<Vec<DepartmentOut>>> {
    auth.require(Module::Departments, Access::View)?;
    Ok(AppJson(
        st.store
            .departments(auth.org())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/departments", tag = "departments", request_body = NewDepartment,
    responses((status = 201, body = DepartmentOut), (status = 409, body = crate::error::ErrorBody)))]
async fn create_department(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(new): AppJson<NewDepartment>,
) -> ApiResult<(StatusCode, AppJson<DepartmentOut>)> {
    auth.require(Module::Departments, Access::ViewEdit)?;
    let req = DepartmentRequest {
        name: Some(new.name),
        distribution: new.distribution,
    };
    let name = clean_name("name", req.name.as_deref().unwrap_or_default(), 80)?;
    let dist = distribution(&req)?;
    let mut tx = st.store.begin().await?;
    let mut d = tx
        .create_department(auth.org(), &name)
        .await
        .map_err(|e| conflict(e, "Já existe um departamento com este nome."))?;
    if let Some(dist) = dist {
        tx.set_distribution(auth.org(), d.id, dist).await?;
        d.distribution = dist.as_str().to_string();
    }
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::DepartmentCreated(Named {
            id: d.id.as_uuid(),
            name: d.name.clone(),
        }),
    ));
    st.commit(tx).await?;
    Ok((StatusCode::CREATED, AppJson(d.into())))
}

#[utoipa::path(patch, path = "/departments/{id}", tag = "departments", params(("id" = String, Path)), request_body = DepartmentRequest,
    responses((status = 200, body = DepartmentOut), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn rename_department(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<DepartmentId>,
    AppJson(req): AppJson<DepartmentRequest>,
) -> ApiResult<AppJson<DepartmentOut>> {
    auth.require(Module::Departments, Access::ViewEdit)?;
    let name = req
        .name
        .as_deref()
        .map(|n| clean_name("name", n, 80))
        .transpose()?;
    let dist = distribution(&req)?;
    let mut tx = st.store.begin().await?;
    if let Some(name) = &name {
        tx.rename_department(auth.org(), id, name)
            .await
            .map_err(|e| conflict(e, "Já existe um departamento com este nome."))?;
    }
    if let Some(dist) = dist {
        tx.set_distribution(auth.org(), id, dist).await?;
    }
    let d = st.store.department(auth.org(), id).await?;
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::DepartmentUpdated(DepartmentUpdated {
            id,
            name: name.unwrap_or(d.name),
            distribution: dist.map(|d| d.as_str().to_string()),
        }),
    ));
    st.commit(tx).await?;
    Ok(AppJson(st.store.department(auth.org(), id).await?.into()))
}

#[utoipa::path(delete, path = "/departments/{id}", tag = "departments", params(("id" = String, Path)), responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn delete_department(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<DepartmentId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Departments, Access::ViewEdit)?;
    let mut tx = st.store.begin().await?;
    tx.delete_department(auth.org(), id).await?;
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::DepartmentDeleted(Deleted { id: id.as_uuid() }),
    ));
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    #[schema(value_type = String, format = Uuid)]
    pub user_id: UserId,
}

#[derive(Serialize, ToSchema)]
pub struct MembersOut {
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub user_ids: Vec<UserId>,
}

#[utoipa::path(get, path = "/departments/{id}/members", tag = "departments", params(("id" = String, Path)), responses((status = 200, body = MembersOut)))]
async fn list_members(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<DepartmentId>,
) -> ApiResult<AppJson<MembersOut>> {
    auth.require(Module::Departments, Access::View)?;
    st.store.department(auth.org(), id).await?;
    Ok(AppJson(MembersOut {
        user_ids: st.store.department_members(auth.org(), id).await?,
    }))
}

#[utoipa::path(post, path = "/departments/{id}/members", tag = "departments", params(("id" = String, Path)), request_body = MemberRequest,
    responses((status = 201, body = MembersOut), (status = 200, body = MembersOut), (status = 404, body = crate::error::ErrorBody)))]
async fn add_member(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<DepartmentId>,
    AppJson(req): AppJson<MemberRequest>,
) -> ApiResult<(StatusCode, AppJson<MembersOut>)> {
    auth.require(Module::Departments, Access::ViewEdit)?;
    // Both must belong to the caller's organization: another one's ids are 404.
    st.store.department(auth.org(), id).await?;
    st.store.user(auth.org(), req.user_id).await?;
    let mut tx = st.store.begin().await?;
    let added = tx.add_member(auth.org(), id, req.user_id).await?;
    if added {
        tx.audit(
            auth.org(),
            Some(auth.user.id),
            "department.member_added",
            &id.to_string(),
            json!({"user_id": req.user_id}),
        )
        .await?;
        tx.emit(NewEvent::org(
            auth.org(),
            ChatEvent::MemberAdded(Membership {
                department_id: id,
                user_id: req.user_id,
            }),
        ));
    }
    st.commit(tx).await?;
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        AppJson(MembersOut {
            user_ids: st.store.department_members(auth.org(), id).await?,
        }),
    ))
}

#[utoipa::path(delete, path = "/departments/{id}/members/{user_id}", tag = "departments", params(("id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn remove_member(
    State(st): State<AppState>,
    auth: Auth,
    AppPath((id, user)): AppPath<(DepartmentId, UserId)>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Departments, Access::ViewEdit)?;
    let mut tx = st.store.begin().await?;
    tx.remove_member(auth.org(), id, user).await?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "department.member_removed",
        &id.to_string(),
        json!({"user_id": user}),
    )
    .await?;
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::MemberRemoved(Membership {
            department_id: id,
            user_id: user,
        }),
    ));
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
