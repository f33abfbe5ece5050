//! Organizations: a reseller sees itself and the agencies it owns (AD-1).

use atende_domain::{Access, Email, Module, OrgId, Permissions, Role};
use atende_store::accounts::{NewUser, Organization};
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
        .routes(routes!(list_orgs, create_org))
        .routes(routes!(get_org, update_org))
}

#[derive(Serialize, ToSchema)]
pub struct OrgOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: OrgId,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub parent_id: Option<OrgId>,
    pub name: String,
    /// reseller | agency
    pub kind: String,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<Organization> for OrgOut {
    fn from(o: Organization) -> Self {
        OrgOut {
            id: o.id,
            parent_id: o.parent_id,
            name: o.name,
            kind: o.kind,
            created_at: time(o.created_at),
        }
    }
}

/// The user's own organization, or an agency of the user's reseller when
/// they may see organizations; anything else is 404.
async fn visible_org(st: &AppState, auth: &Auth, id: OrgId) -> ApiResult<Organization> {
    let org = st.store.org(id).await?;
    let own = org.id == auth.org();
    let agency =
        org.parent_id == Some(auth.org()) && auth.permissions().can_view(Module::Organizations);
    if own || agency {
        Ok(org)
    } else {
        Err(ApiError::not_found())
    }
}

/// The user's organization and, for a reseller, its agencies.
#[utoipa::path(get, path = "/orgs", tag = "organizations", responses((status = 200, body = Vec<OrgOut>)))]
async fn list_orgs(State(st): State<AppState>, auth: Auth) -> ApiResult<AppJson<Vec<OrgOut>>> {
    let orgs = if auth.permissions().can_view(Module::Organizations) {
        st.store.orgs_under(auth.org()).await?
    } else {
        vec![st.store.org(auth.org()).await?]
    };
    Ok(AppJson(orgs.into_iter().map(OrgOut::from).collect()))
}

/// One organization: the user's own, or an agency of the user's reseller.
#[utoipa::path(get, path = "/orgs/{id}", tag = "organizations", params(("id" = String, Path)), responses((status = 200, body = OrgOut), (status = 404, body = crate::error::ErrorBody)))]
async fn get_org(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<OrgId>,
) -> ApiResult<AppJson<OrgOut>> {
    Ok(AppJson(visible_org(&st, &auth, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgency {
    #[schema(min_length = 1, max_length = 120, pattern = r"\S")]
    pub name: String,
    /// The agency's first administrator.
    pub admin_email: String,
    #[schema(min_length = 1, max_length = 120, pattern = r"\S")]
    pub admin_name: String,
    #[schema(min_length = 8, max_length = 256)]
    pub admin_password: String,
}

/// Creates an agency owned by the user's (reseller) organization, with its
/// first administrator.
#[utoipa::path(post, path = "/orgs", tag = "organizations", request_body = NewAgency,
    responses((status = 201, body = OrgOut), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn create_org(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<NewAgency>,
) -> ApiResult<(StatusCode, AppJson<OrgOut>)> {
    auth.require(Module::Organizations, Access::ViewEdit)?;
    let parent = st.store.org(auth.org()).await?;
    if parent.kind != "reseller" {
        return Err(ApiError::new(
            Code::NotReseller,
            "Somente uma revenda pode criar agências.",
        ));
    }
    let name = clean_name("name", &req.name, 120)?;
    let email = Email::parse(&req.admin_email)?;
    let admin_name = clean_name("admin_name", &req.admin_name, 120)?;
    auth::check_password_rules(&req.admin_password)?;
    let pw = req.admin_password;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&pw))
        .await
        .map_err(ApiError::internal)??;
    let mut tx = st.store.begin().await?;
    let org = tx.create_org(&name, "agency", Some(parent.id)).await?;
    tx.create_user(NewUser {
        org_id: org.id,
        email: email.as_str().into(),
        name: admin_name,
        password_hash: hash,
        role: Role::Admin,
        permissions: Permissions::for_role(Role::Admin),
    })
    .await?;
    tx.audit(
        parent.id,
        Some(auth.user.id),
        "org.created",
        &org.id.to_string(),
        json!({"name": org.name}),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, AppJson(org.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgUpdate {
    #[schema(min_length = 1, max_length = 120, pattern = r"\S")]
    pub name: String,
}

/// Renames the user's organization, or an agency of the user's reseller.
#[utoipa::path(patch, path = "/orgs/{id}", tag = "organizations", params(("id" = String, Path)), request_body = OrgUpdate,
    responses((status = 200, body = OrgOut), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn update_org(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<OrgId>,
    AppJson(req): AppJson<OrgUpdate>,
) -> ApiResult<AppJson<OrgOut>> {
    let org = visible_org(&st, &auth, id).await?;
    let own = org.id == auth.org();
    auth.require(
        if own {
            Module::Settings
        } else {
            Module::Organizations
        },
        Access::ViewEdit,
    )?;
    let name = clean_name("name", &req.name, 120)?;
    let mut tx = st.store.begin().await?;
    tx.rename_org(id, &name).await.map_err(|e| match e {
        atende_store::StoreError::Conflict(_) => {
            ApiError::conflict("Já existe uma organização com este nome.")
        }
        other => other.into(),
    })?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "org.renamed",
        &id.to_string(),
        json!({"name": name}),
    )
    .await?;
    st.commit(tx).await?;
    Ok(AppJson(st.store.org(id).await?.into()))
}
