//! The visitor API's routes and OpenAPI document, CORS for the sites that
//! embed the widget, and the inbox's public settings. Contacts and messages
//! are in `contacts` and `messages`, the stream in `stream`, the script and
//! chat page in `page`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use atende_domain::InboxId;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use serde::Serialize;
use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::credentials::Prechat;
use super::visitor::{check_origin, inbox_route, limit};
use super::{MAX_FILE_BYTES, Widget};
use crate::error::ApiResult;
use crate::extract::AppPath;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Atende widget visitor API",
        description = "What the web-chat widget (`/widget/v1/widget.js`) calls on behalf of a site's visitor: \
            the inbox's public settings, a contact with a session token, then, with `Authorization: Bearer <session_token>`, \
            the conversation's messages, uploads and a WebSocket stream (`GET /widget/v1/conversations/{conversation_id}/stream`, \
            first frame `{\"type\":\"auth\",\"token\":\"…\"}`). Browsers may call it only from the inbox's allowed origins."
    ),
    modifiers(&VisitorAuth)
)]
struct VisitorDoc;

struct VisitorAuth;

impl Modify for VisitorAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "visitor",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(VisitorDoc::openapi())
        .routes(routes!(settings))
        .routes(routes!(super::contacts::create))
        .routes(routes!(super::messages::history, super::messages::post))
        .routes(routes!(super::messages::upload))
}

/// The visitor API's OpenAPI document (served at `/widget/v1/openapi.json`,
/// next to the staff API's in `/api/docs`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().split_for_parts().1
}

/// Every route of the widget: the script, the standalone chat page, the
/// visitor API and its stream.
pub(super) fn router(widget: Arc<Widget>) -> Router<AppState> {
    let (api, _) = api().split_for_parts();
    api.merge(super::page::router())
        .route(
            "/widget/v1/conversations/{conversation_id}/stream",
            axum::routing::get(super::stream::upgrade),
        )
        .layer(axum::extract::DefaultBodyLimit::max(
            MAX_FILE_BYTES + 64 * 1024,
        ))
        .layer(axum::middleware::from_fn(cors))
        .layer(Extension(widget))
}

/// Lets the embedding sites' scripts read the answers. Which site may do
/// what is each handler's check (the inbox's allowed origins); the answer
/// to a site not allowed is the refusal itself. No cookies are involved:
/// the visitor's token travels in `Authorization`.
async fn cors(req: Request, next: Next) -> Response {
    let origin = req.headers().get(header::ORIGIN).cloned();
    if req.method() == Method::OPTIONS {
        let mut r = StatusCode::NO_CONTENT.into_response();
        if let Some(o) = origin {
            let h = r.headers_mut();
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("authorization, content-type"),
            );
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
            h.insert(header::VARY, HeaderValue::from_static("Origin"));
        }
        return r;
    }
    let mut r = next.run(req).await;
    if let Some(o) = origin {
        let h = r.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("retry-after"),
        );
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    r
}

/// What the widget shows before anyone writes.
#[derive(Serialize, ToSchema)]
pub struct WidgetSettingsOut {
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
    pub title: String,
    pub greeting: Option<String>,
    /// The accent colour, `#rrggbb`.
    pub color: String,
    pub prechat: Prechat,
    /// Whether the inbox is within its business hours now (LC-22).
    pub open: bool,
    /// The inbox's message for outside business hours.
    pub closed_message: Option<String>,
    /// When it opens next, in words (pt-BR), while closed.
    pub next_opening: Option<String>,
    /// Whether the site signs its users' ids (`identifier_hash`).
    pub identity_verification: bool,
    /// Largest file a visitor may send.
    pub max_file_bytes: usize,
    /// The file types a visitor may send.
    pub accepted_files: Vec<&'static str>,
}

/// The inbox's public settings, for the widget to draw itself.
#[utoipa::path(get, path = "/widget/v1/inboxes/{inbox_id}/settings", tag = "widget",
    params(("inbox_id" = String, Path, format = Uuid)),
    responses((status = 200, body = WidgetSettingsOut), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
async fn settings(
    State(st): State<AppState>,
    Extension(widget): Extension<Arc<Widget>>,
    AppPath(inbox_id): AppPath<InboxId>,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> ApiResult<Response> {
    let route = inbox_route(&widget, inbox_id).await?;
    check_origin(&st, &route, &headers)?;
    limit(
        &widget,
        &format!("settings:ip:{}", peer.ip()),
        240,
        Duration::from_secs(60),
    )?;
    let inbox = st.store.inbox(route.org_id, route.id).await?;
    let s = &route.settings.0;
    let text = |k: &str| {
        s.get(k)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let hours = inbox
        .business_hours
        .as_ref()
        .and_then(|h| serde_json::from_value::<atende_domain::BusinessHours>(h.0.clone()).ok());
    let now = atende_store::now();
    let (open, next_opening) = match hours.as_ref().map(|h| (h, h.status(now))) {
        None | Some((_, atende_domain::HoursStatus::Open { .. })) => (true, None),
        Some((h, atende_domain::HoursStatus::Closed { opens_at })) => {
            (false, opens_at.map(|at| h.describe_opening(at, now)))
        }
    };
    let out = WidgetSettingsOut {
        inbox_id: route.id,
        title: text("title").unwrap_or(inbox.name),
        greeting: text("greeting"),
        color: text("color").unwrap_or_else(|| super::credentials::DEFAULT_COLOR.into()),
        prechat: s
            .get("prechat")
            .and_then(|p| serde_json::from_value(p.clone()).ok())
            .unwrap_or_default(),
        open,
        closed_message: text("closed_message"),
        next_opening,
        identity_verification: route.secret("identity_secret").is_some(),
        max_file_bytes: MAX_FILE_BYTES,
        accepted_files: super::ACCEPTED.to_vec(),
    };
    let mut r = axum::Json(out).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(r)
}
