//! Who calls the visitor API: the site's origin checked against the
//! inbox's, the visitor's session (the extractor every conversation call
//! takes), and the rate limits.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use atende_domain::{ConversationId, InboxId};
use atende_store::ingest::InboxRoute;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use super::Widget;
use super::credentials::origin_allowed;
use super::session::Session;
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

/// The `Origin` a browser sent, if any.
pub(super) fn origin_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Refuses a browser on a site the inbox does not allow (our own pages,
/// such as the inbox's chat page, are always allowed).
pub(super) fn check_origin(
    st: &AppState,
    route: &InboxRoute,
    headers: &HeaderMap,
) -> ApiResult<()> {
    let origin = origin_of(headers);
    let own = origin
        .as_deref()
        .and_then(super::credentials::normalize_origin)
        == super::credentials::normalize_origin(st.config.public_url.trim_end_matches('/'));
    if own || origin_allowed(&route.settings.0, origin.as_deref()) {
        Ok(())
    } else {
        Err(ApiError::new(
            Code::BadOrigin,
            "Este site não está autorizado a usar o widget desta caixa de entrada.",
        ))
    }
}

/// The client's address (the connection's peer).
pub(super) fn client_ip(parts_ext: &axum::http::Extensions) -> Option<IpAddr> {
    parts_ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

/// Counts a request against a limit; over it, 429 with `Retry-After`.
pub(super) fn limit(widget: &Widget, key: &str, max: u32, window: Duration) -> ApiResult<()> {
    widget.limits.hit(key, max, window).map_err(|wait| {
        ApiError::new(
            Code::RateLimited,
            format!("Muitas solicitações. Tente novamente em {wait} segundos."),
        )
        .with_details(serde_json::json!({"retry_after": wait}))
    })
}

/// The widget inbox a path names: 404 for anything else.
pub(super) async fn inbox_route(widget: &Widget, id: InboxId) -> ApiResult<Arc<InboxRoute>> {
    widget.route(id).await?.ok_or_else(ApiError::not_found)
}

/// The unauthenticated visitor's refusal.
pub(super) fn bad_session() -> ApiError {
    ApiError::new(
        Code::Unauthorized,
        "Sessão do visitante inválida ou expirada. Recomece a conversa.",
    )
}

/// A visitor with a valid session token, on an inbox that still exists and
/// from a site it allows.
pub(super) struct Visitor {
    pub session: Session,
    pub route: Arc<InboxRoute>,
    pub widget: Arc<Widget>,
    pub ip: Option<IpAddr>,
}

impl Visitor {
    /// Checks the conversation a path names is the session's (404 when not:
    /// another visitor's conversation does not exist for this one).
    pub fn owns(&self, conv: ConversationId) -> ApiResult<()> {
        if conv == self.session.conversation {
            Ok(())
        } else {
            Err(ApiError::not_found())
        }
    }

    /// Counts a request of this visitor (and their address) against the
    /// limits of `what`.
    pub fn limit(&self, what: &str, per_visitor: u32, per_ip: u32) -> ApiResult<()> {
        let minute = Duration::from_secs(60);
        limit(
            &self.widget,
            &format!("{what}:c:{}", self.session.contact),
            per_visitor,
            minute,
        )?;
        match self.ip {
            Some(ip) => limit(&self.widget, &format!("{what}:ip:{ip}"), per_ip, minute),
            None => Ok(()),
        }
    }

    /// The visitor behind a session token, checked like a request's.
    pub async fn of_token(
        st: &AppState,
        widget: Arc<Widget>,
        token: &str,
        headers: &HeaderMap,
        ip: Option<IpAddr>,
    ) -> ApiResult<Visitor> {
        let key = st.config.secret_key.expose().as_bytes();
        let session =
            Session::verify(token, key, atende_store::now_ms()).ok_or_else(bad_session)?;
        let route = widget
            .route(session.inbox)
            .await?
            .filter(|r| r.org_id == session.org)
            .ok_or_else(bad_session)?;
        check_origin(st, &route, headers)?;
        Ok(Visitor {
            session,
            route,
            widget,
            ip,
        })
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let widget = parts
            .extensions
            .get::<Arc<Widget>>()
            .cloned()
            .ok_or_else(|| ApiError::internal("widget routes without their runtime"))?;
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(bad_session)?;
        let ip = client_ip(&parts.extensions);
        Visitor::of_token(st, widget, token, &parts.headers, ip).await
    }
}
