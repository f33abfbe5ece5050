//! Request extractors and wire helpers shared by the HTTP surfaces (the
//! staff API under `/api/v1`, which re-exports them, and the widget's
//! visitor API): JSON bodies, paths and queries whose errors are
//! `ApiError`s, and RFC 3339 times.

use axum::extract::FromRequest;
use axum::extract::FromRequestParts;
use serde::Serialize;

use crate::error::{ApiError, Code};

/// JSON body extractor whose errors are `ApiError`s (400 naming the
/// problem). Every body of the API is an object: anything else (`[]`, a
/// number) is refused here, where serde would read an array as a struct.
pub struct AppJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(crate::security::mime_base)
            .is_some_and(|m| m == "application/json" || m.ends_with("+json"));
        if !json {
            return Err(ApiError::new(
                Code::UnsupportedMediaType,
                "Envie o corpo como JSON (Content-Type: application/json).",
            ));
        }
        let bytes = body_bytes(req, state).await?;
        object_body(&bytes)?;
        axum::Json::<T>::from_bytes(&without_nul(&bytes))
            .map(|j| AppJson(j.0))
            .map_err(ApiError::from)
    }
}

async fn body_bytes<S: Send + Sync>(
    req: axum::extract::Request,
    state: &S,
) -> Result<axum::body::Bytes, ApiError> {
    axum::body::Bytes::from_request(req, state)
        .await
        .map_err(|e| {
            let code = if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                Code::PayloadTooLarge
            } else {
                Code::BadRequest
            };
            ApiError::new(code, e.body_text())
        })
}

/// Refuses a body that is JSON but not an object.
fn object_body(bytes: &[u8]) -> Result<(), ApiError> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | None => {}
        Some(_) => {
            return Err(ApiError::new(
                Code::BadJson,
                "O corpo da requisição deve ser um objeto JSON.",
            ));
        }
    }
    Ok(())
}

/// PostgreSQL stores no NUL character: in a body (or a query, see
/// [`AppQuery`]) one is read as U+FFFD, on every database, as in the
/// channels' webhooks.
fn without_nul(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    atende_channels::nul::without_nul(bytes)
}

impl<T: Serialize> axum::response::IntoResponse for AppJson<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// A JSON body that may be absent (an empty body, or JSON `null`, which
/// the document allows for an optional body): `None` then.
pub struct MaybeJson<T>(pub Option<T>);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for MaybeJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) || bytes.trim_ascii() == b"null" {
            return Ok(MaybeJson(None));
        }
        object_body(&bytes)?;
        axum::Json::<T>::from_bytes(&without_nul(&bytes))
            .map(|j| MaybeJson(Some(j.0)))
            .map_err(ApiError::from)
    }
}

/// Path extractor: a malformed id is a 404.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct AppPath<T>(pub T);

/// Query extractor: bad parameters are a 400; a NUL character (`%00`) is
/// read as U+FFFD.
pub struct AppQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let q = if query.contains("%00") {
            std::borrow::Cow::Owned(query.replace("%00", "%EF%BF%BD"))
        } else {
            std::borrow::Cow::Borrowed(query)
        };
        let uri: axum::http::Uri = format!("/?{q}")
            .parse()
            .map_err(|_| ApiError::bad_request("Parâmetros da consulta ilegíveis."))?;
        axum::extract::Query::<T>::try_from_uri(&uri)
            .map(|q| AppQuery(q.0))
            .map_err(ApiError::from)
    }
}

/// RFC 3339 (UTC, milliseconds) from stored epoch milliseconds.
pub fn time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn opt_time(ms: Option<i64>) -> Option<String> {
    ms.map(time)
}
