//! Media files (CH-8): inbound downloads by a job, stored under the data
//! dir, served through signed links that expire.

use std::path::PathBuf;

use atende_domain::OrgId;
use atende_store::ingest::Media;
use atende_store::{Job, StoreError};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use uuid::Uuid;

use crate::channel::Fetched;
use crate::error::{ApiError, Code};
use crate::jobs::Outcome;
use crate::state::AppState;

/// Largest file accepted from a channel (WhatsApp's documents go to 100 MB).
pub const MAX_MEDIA_BYTES: usize = 100 * 1024 * 1024;
/// How long a link handed to an agent stays valid.
pub const AGENT_LINK_TTL_MS: i64 = 24 * 3_600_000;

pub fn router() -> Router<AppState> {
    Router::new().route("/media/{org}/{id}", get(serve))
}

pub(crate) fn media_dir(st: &AppState) -> PathBuf {
    st.config.data_dir.join("media")
}

fn signature(st: &AppState, org: OrgId, id: Uuid, exp: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(st.config.secret_key.expose().as_bytes())
        .expect("HMAC takes any key length");
    mac.update(format!("media:{org}:{id}:{exp}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A signed link to a stored media file, valid for `ttl_ms`.
pub fn signed_url(st: &AppState, org: OrgId, id: Uuid, ttl_ms: i64) -> String {
    let exp = atende_store::now_ms() + ttl_ms;
    format!(
        "{}/media/{org}/{id}?exp={exp}&sig={}",
        st.config.public_url.trim_end_matches('/'),
        signature(st, org, id, exp)
    )
}

#[derive(Deserialize)]
struct LinkParams {
    exp: i64,
    sig: String,
}

async fn serve(
    State(st): State<AppState>,
    Path((org, id)): Path<(OrgId, Uuid)>,
    Query(p): Query<LinkParams>,
) -> Result<Response, ApiError> {
    let expected = signature(&st, org, id, p.exp);
    let valid = expected.len() == p.sig.len()
        && expected
            .bytes()
            .zip(p.sig.bytes())
            .fold(0u8, |a, (x, y)| a | (x ^ y))
            == 0;
    if !valid {
        return Err(ApiError::new(Code::BadLink, "Link inválido."));
    }
    if p.exp < atende_store::now_ms() {
        return Err(ApiError::new(
            Code::LinkExpired,
            "Este link expirou. Gere um novo.",
        ));
    }
    let media = st.store.media(org, id).await?;
    let Some(rel) = media.path.as_deref().filter(|_| media.status == "stored") else {
        return Err(ApiError::new(
            Code::MediaUnavailable,
            "O arquivo ainda não está disponível.",
        ));
    };
    let bytes = tokio::fs::read(media_dir(&st).join(rel))
        .await
        .map_err(|_| ApiError::not_found())?;
    let mime = media
        .mime_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".into());
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    // What a customer sends is hostile (DESIGN §8): a type the browser could
    // run (SVG, HTML, XML…) is never shown inline, and whatever is shown is
    // sandboxed and never sniffed into something else.
    let served = if crate::security::safe_inline(&mime) {
        mime.parse()
            .unwrap_or(header::HeaderValue::from_static("application/octet-stream"))
    } else {
        header::HeaderValue::from_static("application/octet-stream")
    };
    h.insert(header::CONTENT_TYPE, served);
    h.insert(
        header::CONTENT_DISPOSITION,
        crate::security::disposition(&mime, media.filename.as_deref()),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(crate::security::MEDIA_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(r)
}

/// Keeps a copy of an uploaded file (an agent's, or a widget visitor's)
/// under the media folder and records it under the provider's id of it, so
/// the message that sends it can show it (and its type can be checked
/// against the kind it is sent as).
pub async fn keep_upload(
    st: &AppState,
    org: OrgId,
    inbox: atende_domain::InboxId,
    media_id: &str,
    mime: &str,
    filename: Option<&str>,
    bytes: &[u8],
) -> Result<(), ApiError> {
    use sha2::Digest;
    let rel = format!("{org}/out/{}", Uuid::now_v7());
    let path = media_dir(st).join(&rel);
    let write = async {
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let tmp = path.with_extension("part");
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await
    };
    write.await.map_err(ApiError::internal)?;
    let sha = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        Sha256::digest(bytes),
    );
    st.store
        .insert_upload(&atende_store::ingest::Upload {
            inbox_id: inbox,
            provider_media_id: media_id.to_string(),
            org_id: org,
            mime_type: mime.to_string(),
            filename: filename.map(str::to_string),
            size: bytes.len() as i64,
            sha256: sha,
            path: rel,
            created_at: atende_store::now_ms(),
        })
        .await?;
    Ok(())
}

#[derive(Deserialize)]
struct DownloadPayload {
    media_id: Uuid,
}

/// Downloads an inbound media file through its inbox's channel and keeps
/// it under the data dir. A file that cannot be had is recorded as failed;
/// the message stays.
pub async fn download(st: &AppState, job: &Job) -> Result<Outcome, StoreError> {
    let (Some(org), Ok(p)) = (
        job.org_id,
        serde_json::from_value::<DownloadPayload>(job.payload.0.clone()),
    ) else {
        return Ok(Outcome::Retry("malformed media payload".into()));
    };
    let mut media = st.store.media(org, p.media_id).await?;
    if media.status != "pending" {
        return finish(st, job, None).await;
    }
    let inbox = st.store.inbox(org, media.inbox_id).await?;
    let (Some(channel), Some(provider_id)) = (
        st.channels.get(inbox.kind()),
        media.provider_media_id.clone(),
    ) else {
        media.status = "failed".into();
        media.error = Some("canal indisponível".into());
        return finish(st, job, Some(media)).await;
    };
    let (bytes, mime) = match channel
        .fetch_media(&inbox, &provider_id, MAX_MEDIA_BYTES)
        .await
    {
        Fetched::File { bytes, mime } => (bytes, mime),
        Fetched::Gone(why) => {
            media.status = "failed".into();
            media.error = Some(why);
            return finish(st, job, Some(media)).await;
        }
        Fetched::Retry(why) => return Ok(Outcome::Retry(why)),
    };
    media.mime_type = mime.or(media.mime_type);
    let rel = format!("{org}/{}", media.id);
    let path = media_dir(st).join(&rel);
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| StoreError::Invalid(format!("media dir: {e}")))?;
    }
    let tmp = path.with_extension("part");
    tokio::fs::write(&tmp, &bytes)
        .await
        .map_err(|e| StoreError::Invalid(format!("media write: {e}")))?;
    tokio::fs::rename(&tmp, &path)
        .await
        .map_err(|e| StoreError::Invalid(format!("media write: {e}")))?;
    media.size = Some(bytes.len() as i64);
    media.path = Some(rel);
    media.status = "stored".into();
    media.error = None;
    finish(st, job, Some(media)).await
}

async fn finish(st: &AppState, job: &Job, media: Option<Media>) -> Result<Outcome, StoreError> {
    let mut tx = st.store.begin().await?;
    if let Some(m) = &media {
        tx.finish_media(m).await?;
    }
    if tx.complete_job(job).await? {
        st.commit(tx).await?;
    }
    Ok(Outcome::Done)
}
