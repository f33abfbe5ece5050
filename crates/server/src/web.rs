//! The web app (`web/dist`, built by `make`), embedded in release builds and
//! read from disk in debug builds. Any path that is not an API, webhook or
//! media route gets the app's `index.html`, which routes on the client.
//! Without a built app, `/` says how to build it.

use crate::error::Code;
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "../../web/dist/"]
#[allow_missing = true]
struct Dist;

/// Paths that belong to the server, never to the app.
const SERVER_PREFIXES: [&str; 6] = [
    "/api/",
    "/webhooks/",
    "/widget/",
    "/media/",
    "/healthz",
    "/readyz",
];

/// Serves a file of the app, or its `index.html` for the app's own routes.
pub async fn serve(uri: Uri) -> Response {
    let path = uri.path();
    if SERVER_PREFIXES.iter().any(|p| path.starts_with(p)) || path == "/metrics" {
        return crate::error::ApiError::new(Code::NotFound, "Rota não encontrada.").into_response();
    }
    let file = path.trim_start_matches('/');
    if let Some(asset) = Dist::get(file).filter(|_| !file.is_empty()) {
        // Vite names assets by content hash: they never change.
        let cache = if file.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return (
            [
                (header::CONTENT_TYPE, asset.metadata.mimetype().to_string()),
                (header::CACHE_CONTROL, cache.to_string()),
            ],
            asset.data,
        )
            .into_response();
    }
    // A missing asset is a 404; anything else is a route of the app.
    if file.starts_with("assets/") {
        return StatusCode::NOT_FOUND.into_response();
    }
    match Dist::get("index.html") {
        Some(index) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            index.data,
        )
            .into_response(),
        None => not_built().into_response(),
    }
}

/// The root page when the web app was not built into this binary.
fn not_built() -> Html<&'static str> {
    Html(
        "<!doctype html><html lang=\"pt-BR\"><meta charset=\"utf-8\"><title>Atende</title>\
         <body style=\"font-family:sans-serif;max-width:40rem;margin:3rem auto\">\
         <h1>Atende</h1><p>O servidor está no ar. A interface web ainda não foi compilada: \
         rode <code>make run</code> na raiz do repositório.</p>\
         <p>API: <a href=\"/api/docs\">/api/docs</a> · <a href=\"/api/v1/openapi.json\">openapi.json</a></p></body></html>",
    )
}
