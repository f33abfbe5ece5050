//! Media: upload, retrieve (a signed, expiring URL), download and delete.

use super::errors::{self, GraphError, graph_error, invalid_parameter};
use super::state::Inner;
use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

/// `POST /{ver}/{phone_number_id}/media` (multipart `file`, `type`,
/// `messaging_product`) → `{"id"}`.
pub(crate) async fn upload(
    State(inner): State<Arc<Inner>>,
    Path((ver, phone_number_id)): Path<(String, String)>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, GraphError> {
    inner.check_version(&ver)?;
    inner.authorize_number(&headers, &phone_number_id)?;
    let Ok(mut multipart) = multipart else {
        return Err(invalid_parameter(
            "The request must be multipart/form-data.",
        ));
    };
    let (mut file, mut mime, mut product) = (None, None, None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return Err(invalid_parameter("Malformed multipart body.")),
        };
        let name = field.name().unwrap_or("").to_owned();
        let content_type = field.content_type().map(str::to_owned);
        let Ok(data) = field.bytes().await else {
            return Err(invalid_parameter("Malformed multipart body."));
        };
        match name.as_str() {
            "file" => file = Some((data.to_vec(), content_type)),
            "type" => mime = Some(String::from_utf8_lossy(&data).into_owned()),
            "messaging_product" => product = Some(String::from_utf8_lossy(&data).into_owned()),
            _ => {}
        }
    }
    if product.as_deref() != Some("whatsapp") {
        return Err(invalid_parameter(
            "Param messaging_product is required and must be 'whatsapp'.",
        ));
    }
    let Some((bytes, file_type)) = file else {
        return Err(invalid_parameter("Param file is required."));
    };
    let Some(mime) = mime.or(file_type).filter(|m| !m.is_empty()) else {
        return Err(invalid_parameter("Param type is required."));
    };
    let id = inner.store_media(bytes, &mime);
    Ok(Json(json!({ "id": id })).into_response())
}

/// `GET /{ver}/{media_id}` → the media's metadata and a download URL that
/// expires after the configured TTL.
pub(crate) async fn retrieve(
    State(inner): State<Arc<Inner>>,
    Path((ver, media_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, GraphError> {
    inner
        .check_version(&ver)
        .and(inner.authorize_any(&headers))?;
    let state = inner.state();
    let Some(media) = state.media.get(&media_id) else {
        return Err(errors::unknown_object(&media_id, 404));
    };
    let ttl_ms = i64::try_from(state.media_ttl.as_millis()).unwrap_or(i64::MAX / 2);
    let exp = chrono::Utc::now().timestamp_millis().saturating_add(ttl_ms);
    let sig = url_signature(&inner.url_key, &media_id, exp);
    Ok(Json(json!({
        "messaging_product": "whatsapp",
        "url": format!("{}/download/{media_id}?exp={exp}&sig={sig}", inner.base_url),
        "mime_type": media.mime_type,
        "sha256": STANDARD.encode(Sha256::digest(&media.bytes)),
        "file_size": media.bytes.len().to_string(),
        "id": media_id,
    }))
    .into_response())
}

/// `GET /download/{media_id}?exp&sig` with the bearer token → the bytes.
/// 401 without a valid token; 404 when the URL expired or was tampered with,
/// so clients fetch a fresh URL.
pub(crate) async fn download(
    State(inner): State<Arc<Inner>>,
    Path(media_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, GraphError> {
    inner.authorize_any(&headers)?;
    let exp = query.get("exp").and_then(|e| e.parse::<i64>().ok());
    let sig = query.get("sig").and_then(|s| hex::decode(s).ok());
    let (Some(exp), Some(sig)) = (exp, sig) else {
        return Err(not_found("The download URL is incomplete."));
    };
    if !signature_matches(&inner.url_key, &media_id, exp, &sig) {
        return Err(not_found("The download URL signature is not valid."));
    }
    if chrono::Utc::now().timestamp_millis() > exp {
        return Err(not_found(
            "The download URL has expired; retrieve the media again.",
        ));
    }
    let state = inner.state();
    let Some(media) = state.media.get(&media_id) else {
        return Err(not_found("The media no longer exists."));
    };
    let content_type = HeaderValue::from_str(&media.mime_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok(([(header::CONTENT_TYPE, content_type)], media.bytes.clone()).into_response())
}

/// `DELETE /{ver}/{media_id}` → `{"success":true}`.
pub(crate) async fn delete(
    State(inner): State<Arc<Inner>>,
    Path((ver, media_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, GraphError> {
    inner
        .check_version(&ver)
        .and(inner.authorize_any(&headers))?;
    if inner.state().media.remove(&media_id).is_none() {
        return Err(errors::unknown_object(&media_id, 404));
    }
    Ok(Json(json!({"success": true})).into_response())
}

fn not_found(details: &str) -> GraphError {
    graph_error(404, 100, None, "(#100) Media URL not found", Some(details))
}

fn url_mac(key: &[u8], media_id: &str, exp: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(format!("{media_id}:{exp}").as_bytes());
    mac
}

/// Hex HMAC over `media_id:exp` with the fake's URL key.
fn url_signature(key: &[u8], media_id: &str, exp: i64) -> String {
    hex::encode(url_mac(key, media_id, exp).finalize().into_bytes())
}

/// Constant-time check of a download URL's signature.
fn signature_matches(key: &[u8], media_id: &str, exp: i64, sig: &[u8]) -> bool {
    url_mac(key, media_id, exp).verify_slice(sig).is_ok()
}
