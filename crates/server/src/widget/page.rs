//! What a browser loads: the widget's script (`/widget/v1/widget.js`, one
//! file with no dependency, gzip-compressed once at start) and a chat page
//! of an inbox's own (`/widget/v1/inboxes/{inbox_id}/chat`), a direct
//! link to share or a page to frame, which only the inbox's allowed sites
//! may frame (`frame-ancestors`).

use std::io::Write;
use std::sync::{Arc, LazyLock};

use atende_domain::InboxId;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde_json::Value;

use super::Widget;
use super::visitor::inbox_route;
use crate::error::ApiResult;
use crate::extract::AppPath;
use crate::state::AppState;

/// The script, as written.
pub const SCRIPT: &str = include_str!("../../assets/widget.js");

/// The script gzip-compressed, and its entity tag.
struct Packed {
    gzip: Vec<u8>,
    etag: String,
}

static PACKED: LazyLock<Packed> = LazyLock::new(|| {
    use sha2::Digest;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let gzip = enc
        .write_all(SCRIPT.as_bytes())
        .and_then(|_| enc.finish())
        .unwrap_or_default();
    let etag = format!(
        "\"{}\"",
        hex::encode(&sha2::Sha256::digest(SCRIPT.as_bytes())[..12])
    );
    Packed { gzip, etag }
});

/// The script's size gzip-compressed, as served.
pub fn script_gzip_len() -> usize {
    PACKED.gzip.len()
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/widget/v1/widget.js", get(script))
        .route("/widget/v1/inboxes/{inbox_id}/chat", get(chat_page))
}

async fn script(headers: HeaderMap) -> Response {
    let packed = &*PACKED;
    let mut r = if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == packed.etag))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else if accepts_gzip(&headers) && !packed.gzip.is_empty() {
        let mut r = packed.gzip.clone().into_response();
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        r
    } else {
        SCRIPT.into_response()
    };
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    // Sites cache it briefly, so a new version reaches visitors soon.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    h.insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    if let Ok(tag) = HeaderValue::from_str(&packed.etag) {
        h.insert(header::ETAG, tag);
    }
    r
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| {
            let mut parts = e.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| p.trim().replace(' ', "") == "q=0");
            (name == "gzip" || name == "*") && !refused
        })
}

/// The inbox's chat on a page of its own.
async fn chat_page(
    Extension(widget): Extension<Arc<Widget>>,
    AppPath(inbox_id): AppPath<InboxId>,
) -> ApiResult<Response> {
    let route = inbox_route(&widget, inbox_id).await?;
    let ancestors: Vec<&str> = route
        .settings
        .0
        .get("allowed_origins")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let frame_ancestors = if ancestors.is_empty() {
        "'self'".to_string()
    } else {
        format!("'self' {}", ancestors.join(" "))
    };
    let policy = format!(
        "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; \
         media-src 'self' blob:; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; \
         frame-ancestors {frame_ancestors}"
    );
    let html = format!(
        "<!doctype html><html lang=\"pt-BR\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Chat</title>\
         <style>html,body{{margin:0;height:100%;background:#f5f6f8}}</style></head>\
         <body><script src=\"/widget/v1/widget.js\" data-inbox=\"{inbox_id}\" data-mode=\"page\"></script></body></html>"
    );
    let mut r = axum::response::Html(html).into_response();
    let h = r.headers_mut();
    if let Ok(p) = HeaderValue::from_str(&policy) {
        h.insert(header::CONTENT_SECURITY_POLICY, p);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_is_small_and_parses_its_own_tag() {
        // Issue #20's budget: under 40 kB gzip-compressed.
        assert!(
            script_gzip_len() > 1_000,
            "compressed: {}",
            script_gzip_len()
        );
        assert!(
            script_gzip_len() < 40 * 1024,
            "compressed: {}",
            script_gzip_len()
        );
        assert!(SCRIPT.contains("data-inbox") || SCRIPT.contains("dataset.inbox"));
    }

    #[test]
    fn gzip_is_served_only_to_clients_that_take_it() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
            m
        };
        assert!(accepts_gzip(&h("gzip, deflate, br")));
        assert!(accepts_gzip(&h("br;q=1.0, gzip;q=0.8")));
        assert!(!accepts_gzip(&h("gzip;q=0, br")));
        assert!(!accepts_gzip(&h("identity")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
