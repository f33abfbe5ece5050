//! Inbound media (CH-8) from the Graph API: media id → short-lived URL →
//! bytes, with the inbox's bearer token; a 401/404 on the URL fetches a
//! new one. Keeping the file is `crate::media`'s.

use atende_channels::whatsapp;
use atende_store::directory::Inbox;
use serde_json::Value;

use super::WhatsApp;
use crate::channel::Fetched;

/// Fetches the file of a media id, at most `cap` bytes.
pub async fn fetch(wa: &WhatsApp, inbox: &Inbox, provider_id: &str, cap: usize) -> Fetched {
    let Some(token) = inbox.secrets.0.get("access_token").and_then(Value::as_str) else {
        return Fetched::Gone("sem token de acesso".into());
    };
    for _ in 0..2 {
        let info_url = whatsapp::media_url(&wa.graph_url, &wa.version, provider_id);
        let r = match wa.http.get(info_url).bearer_auth(token).send().await {
            Ok(r) => r,
            Err(e) => return Fetched::Retry(format!("media info: {e}")),
        };
        let status = r.status();
        let body = r.bytes().await.unwrap_or_default();
        if status.as_u16() == 404 || status.as_u16() == 400 {
            return Fetched::Gone(format!("mídia indisponível no WhatsApp (HTTP {status})"));
        }
        if !status.is_success() {
            return Fetched::Retry(format!("media info: HTTP {status}"));
        }
        let info = match whatsapp::parse_media_info(&body) {
            Ok(i) => i,
            Err(e) => return Fetched::Retry(format!("media info: {e}")),
        };
        if info.file_size.is_some_and(|s| s > cap as u64) {
            return Fetched::Gone("arquivo maior que o limite".into());
        }
        let r = match wa.http.get(&info.url).bearer_auth(token).send().await {
            Ok(r) => r,
            Err(e) => return Fetched::Retry(format!("media download: {e}")),
        };
        if matches!(r.status().as_u16(), 401 | 404) {
            continue; // the URL expired: fetch a fresh one
        }
        if !r.status().is_success() {
            return Fetched::Retry(format!("media download: HTTP {}", r.status()));
        }
        return match read_capped(r, cap).await {
            Ok(Some(bytes)) => Fetched::File {
                bytes,
                mime: info.mime_type,
            },
            Ok(None) => Fetched::Gone("arquivo maior que o limite".into()),
            Err(e) => Fetched::Retry(format!("media download: {e}")),
        };
    }
    Fetched::Retry("media URL kept expiring".into())
}

async fn read_capped(
    mut r: reqwest::Response,
    cap: usize,
) -> Result<Option<Vec<u8>>, reqwest::Error> {
    let mut out = Vec::new();
    while let Some(chunk) = r.chunk().await? {
        if out.len() + chunk.len() > cap {
            return Ok(None);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(Some(out))
}
