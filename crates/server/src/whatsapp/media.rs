//! Media (CH-8) on WhatsApp: inbound files from the Graph API (media id →
//! short-lived URL → bytes, with the inbox's bearer token; a 401/404 on the
//! URL fetches a new one), and the types and sizes it takes outbound.
//! Keeping the file is `crate::media`'s.

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

/// Whether WhatsApp takes a file of this type and size as `kind`
/// (channels.md §1.6); the refusal says why, with the limits.
pub fn accepts(kind: &str, mime: &str, size: i64) -> Result<(), String> {
    const MB: i64 = 1024 * 1024;
    let base = crate::security::mime_base(mime);
    let (types, max, label): (&[&str], i64, &str) = match kind {
        "image" => (
            &["image/jpeg", "image/png"],
            5 * MB,
            "Imagens: JPEG ou PNG até 5 MB",
        ),
        "video" => (
            &["video/mp4", "video/3gpp"],
            16 * MB,
            "Vídeos: MP4 ou 3GP até 16 MB",
        ),
        "audio" => (
            &[
                "audio/aac",
                "audio/amr",
                "audio/mpeg",
                "audio/mp4",
                "audio/ogg",
            ],
            16 * MB,
            "Áudios: AAC, AMR, MP3, MP4 ou OGG (Opus) até 16 MB",
        ),
        "sticker" => (&["image/webp"], 512 * 1024, "Figurinhas: WebP até 500 KB"),
        _ => (&[], 100 * MB, "Documentos: até 100 MB"),
    };
    if (!types.is_empty() && !types.contains(&base.as_str())) || size > max {
        return Err(format!(
            "O WhatsApp não aceita este arquivo como {kind} ({base}). {label}."
        ));
    }
    Ok(())
}
