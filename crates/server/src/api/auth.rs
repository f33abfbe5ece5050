//! Login, logout, the current user and API tokens.

use std::net::SocketAddr;

use atende_domain::{ApiTokenId, Permissions};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::users::UserOut;
use super::{AppJson, AppPath, MaybeJson, clean_name, time};
use crate::auth::{self, Auth, SESSION_COOKIE};
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    /// The status the user chose: online | paused | invisible (LC-19);
    /// set it with `PUT /me/status`.
    #[schema(schema_with = crate::wire_schema::presence)]
    pub status: String,
    /// Why they paused, when they gave a reason.
    pub status_reason: Option<String>,
    pub user: UserOut,
    /// Send it back as `X-CSRF-Token` on every write made with the cookie.
    pub csrf_token: Option<String>,
    #[schema(value_type = Object)]
    pub permissions: Permissions,
}

/// Logs in with e-mail and password; sets the session cookie.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = SessionOut), (status = 401, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
async fn login(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    AppJson(req): AppJson<LoginRequest>,
) -> ApiResult<Response> {
    let email = req.email.trim().to_lowercase();
    let ip = Some(peer.ip());
    if let Some(wait) = st.login_limiter.blocked(&email, ip) {
        let mut r = ApiError::new(
            Code::TooManyAttempts,
            format!("Muitas tentativas de login. Tente novamente em {wait} segundos."),
        )
        .into_response();
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return Ok(r);
    }
    let user = st.store.user_by_email(&email).await?.filter(|u| u.active);
    // Verify against a real hash even for unknown e-mails, so timing does
    // not tell which e-mails exist.
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let password = req.password;
    let ok = tokio::task::spawn_blocking(move || {
        auth::verify_password(&password, hash.as_deref().unwrap_or(&DUMMY_HASH))
    })
    .await
    .map_err(ApiError::internal)?;
    let Some(user) = user.filter(|_| ok) else {
        st.login_limiter.failed(&email, ip);
        return Err(ApiError::new(
            Code::InvalidCredentials,
            "E-mail ou senha inválidos.",
        ));
    };
    st.login_limiter.succeeded(&email);
    let token = auth::random_token();
    let csrf = auth::random_token();
    let expires = atende_store::now_ms() + st.config.session_hours * 3_600_000;
    let mut tx = st.store.begin().await?;
    tx.create_session(&auth::token_hash(&token), &user, &csrf, expires)
        .await?;
    tx.audit(
        user.org_id,
        Some(user.id),
        "login",
        "user",
        serde_json::json!({"ip": peer.ip().to_string()}),
    )
    .await?;
    tx.commit().await?;
    let departments = st.store.user_departments(user.org_id, user.id).await?;
    let secure = if st.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        st.config.session_hours * 3600
    );
    let body = SessionOut {
        status: user.status.clone(),
        status_reason: user.status_reason.clone(),
        permissions: user.permissions.0.clone(),
        user: UserOut::from_user(&user, departments),
        csrf_token: Some(csrf),
    };
    let mut r = axum::Json(body).into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(ApiError::internal)?,
    );
    Ok(r)
}

/// An Argon2id hash of a random string, verified against for unknown users.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| auth::hash_password(&auth::random_token()).unwrap_or_default());

/// Ends the session and clears the cookie.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204)))]
async fn logout(State(st): State<AppState>, auth: Auth) -> ApiResult<Response> {
    if let Some(hash) = &auth.session_hash {
        st.store.delete_session(hash).await?;
        let _ = st.auth_changed.send(auth.user.id);
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    let cookie = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(ApiError::internal)?,
    );
    Ok(r)
}

/// The current user.
#[utoipa::path(get, path = "/me", tag = "auth", responses((status = 200, body = SessionOut), (status = 401, body = crate::error::ErrorBody)))]
async fn me(auth: Auth) -> AppJson<SessionOut> {
    AppJson(SessionOut {
        status: auth.user.status.clone(),
        status_reason: auth.user.status_reason.clone(),
        permissions: auth.permissions().clone(),
        user: UserOut::from_user(&auth.user, auth.departments.clone()),
        csrf_token: auth.csrf_token.clone(),
    })
}

#[derive(Deserialize, ToSchema)]
pub struct NewToken {
    /// What the token is for, e.g. "CRM integration".
    #[serde(default)]
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: ApiTokenId,
    pub name: String,
    /// Shown once, at creation; use it as `Authorization: Bearer <token>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub last_used_at: Option<String>,
    #[schema(format = DateTime)]
    pub revoked_at: Option<String>,
}

/// Creates an API token acting as the current user.
#[utoipa::path(post, path = "/tokens", tag = "auth", request_body = Option<NewToken>, responses((status = 201, body = TokenOut)))]
async fn create_token(
    State(st): State<AppState>,
    auth: Auth,
    MaybeJson(body): MaybeJson<NewToken>,
) -> ApiResult<(StatusCode, AppJson<TokenOut>)> {
    let name = match body.and_then(|b| b.name) {
        Some(n) => clean_name("name", &n, 100)?,
        None => "API".to_string(),
    };
    let token = format!("atd_{}", auth::random_token());
    let mut tx = st.store.begin().await?;
    let t = tx
        .create_api_token(&auth.user, &name, &auth::token_hash(&token))
        .await?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "api_token.created",
        &t.id.to_string(),
        serde_json::json!({"name": name}),
    )
    .await?;
    tx.commit().await?;
    let out = TokenOut {
        id: t.id,
        name: t.name,
        token: Some(token),
        created_at: time(t.created_at),
        last_used_at: None,
        revoked_at: None,
    };
    Ok((StatusCode::CREATED, AppJson(out)))
}

/// API tokens of the current user (without the secrets).
#[utoipa::path(get, path = "/tokens", tag = "auth", responses((status = 200, body = Vec<TokenOut>)))]
async fn list_tokens(State(st): State<AppState>, auth: Auth) -> ApiResult<AppJson<Vec<TokenOut>>> {
    let list = st.store.api_tokens(&auth.user).await?;
    Ok(AppJson(
        list.into_iter()
            .map(|t| TokenOut {
                id: t.id,
                name: t.name,
                token: None,
                created_at: time(t.created_at),
                last_used_at: t.last_used_at.map(time),
                revoked_at: t.revoked_at.map(time),
            })
            .collect(),
    ))
}

/// Revokes an API token of the current user.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "auth", params(("id" = String, Path)), responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn revoke_token(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ApiTokenId>,
) -> ApiResult<StatusCode> {
    let mut tx = st.store.begin().await?;
    tx.revoke_api_token(&auth.user, id).await?;
    tx.audit(
        auth.org(),
        Some(auth.user.id),
        "api_token.revoked",
        &id.to_string(),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    let _ = st.auth_changed.send(auth.user.id);
    Ok(StatusCode::NO_CONTENT)
}
