//! Media (CH-8) on Telegram (channels.md §3.4): inbound files through
//! `getFile` (bots download at most 20 MB; a link lives about an hour, so
//! an expired one is asked for again), the types and sizes it takes
//! outbound, and files uploaded with the send that carries them.

use atende_channels::telegram::{self, Outbound};
use atende_store::StoreError;
use atende_store::chats::Message;
use atende_store::directory::Inbox;
use serde_json::{Value, json};

use super::{Answer, LOCAL, Telegram};
use crate::channel::Fetched;
use crate::error::ApiResult;
use crate::state::AppState;

const MB: i64 = 1024 * 1024;

/// The most a bot may download (`getFile`).
const DOWNLOAD_LIMIT: u64 = 20 * 1024 * 1024;

/// Fetches the file of a `file_id`, at most `cap` bytes.
pub(super) async fn fetch(tg: &Telegram, inbox: &Inbox, file_id: &str, cap: usize) -> Fetched {
    let Some(token) = super::token_of(&inbox.secrets.0) else {
        return Fetched::Gone("sem token do bot".into());
    };
    for _ in 0..2 {
        let (status, body) = match tg
            .call(token, "getFile", &json!({"file_id": file_id}))
            .await
        {
            Ok(a) => a,
            Err(e) => return Fetched::Retry(format!("getFile: {e}")),
        };
        let info = match telegram::parse_send_response(status, &body) {
            Ok(_) => serde_json::from_slice::<Value>(&body).unwrap_or_default(),
            Err(e) if e.description.contains("file is too big") => {
                return Fetched::Gone(
                    "o Telegram não entrega a bots arquivos acima de 20 MB".into(),
                );
            }
            Err(e) if (400..500).contains(&e.http_status) && e.http_status != 429 => {
                return Fetched::Gone(format!(
                    "arquivo indisponível no Telegram: {}",
                    e.description
                ));
            }
            Err(e) => return Fetched::Retry(format!("getFile: {}", e.description)),
        };
        let size = info.pointer("/result/file_size").and_then(Value::as_u64);
        if size.is_some_and(|s| s > DOWNLOAD_LIMIT) {
            return Fetched::Gone("o Telegram não entrega a bots arquivos acima de 20 MB".into());
        }
        if size.is_some_and(|s| s > cap as u64) {
            return Fetched::Gone("arquivo maior que o limite".into());
        }
        let Some(path) = info.pointer("/result/file_path").and_then(Value::as_str) else {
            return Fetched::Gone("o Telegram não deu o caminho do arquivo".into());
        };
        let r = match tg.http.get(tg.file_url(token, path)).send().await {
            Ok(r) => r,
            Err(e) => return Fetched::Retry(format!("file download: {e}")),
        };
        if r.status().as_u16() == 404 {
            continue; // the link expired: ask for a fresh one
        }
        if !r.status().is_success() {
            return Fetched::Retry(format!("file download: HTTP {}", r.status()));
        }
        let mime = r
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .filter(|m| !m.starts_with("application/octet-stream"))
            .map(str::to_string);
        return match read_capped(r, cap).await {
            Ok(Some(bytes)) => Fetched::File { bytes, mime },
            Ok(None) => Fetched::Gone("arquivo maior que o limite".into()),
            Err(e) => Fetched::Retry(format!("file download: {e}")),
        };
    }
    Fetched::Retry("the file link kept expiring".into())
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

/// Whether Telegram takes a file of this type and size as `kind`
/// (uploads: photos up to 10 MB, other files up to 50 MB); the refusal
/// says why, with the limits.
pub(super) fn accepts(kind: &str, mime: &str, size: i64) -> Result<(), String> {
    let base = crate::security::mime_base(mime);
    let (types, max, label): (&[&str], i64, &str) = match kind {
        "image" => (
            &["image/jpeg", "image/png", "image/webp", "image/gif"],
            10 * MB,
            "Imagens: JPEG, PNG, WebP ou GIF até 10 MB",
        ),
        "video" => (
            &["video/mp4", "video/quicktime", "video/webm"],
            50 * MB,
            "Vídeos: MP4, MOV ou WebM até 50 MB",
        ),
        "audio" => (
            &[
                "audio/ogg",
                "audio/mpeg",
                "audio/mp4",
                "audio/aac",
                "audio/x-m4a",
                "audio/webm",
            ],
            50 * MB,
            "Áudios: OGG (Opus), MP3 ou M4A até 50 MB",
        ),
        "sticker" => (
            &["image/webp", "application/x-tgsticker", "video/webm"],
            512 * 1024,
            "Figurinhas: WebP, TGS ou WebM até 500 KB",
        ),
        _ => (&[], 50 * MB, "Documentos: até 50 MB"),
    };
    if (!types.is_empty() && !types.contains(&base.as_str())) || size > max {
        return Err(format!(
            "O Telegram não aceita este arquivo como {kind} ({base}). {label}."
        ));
    }
    Ok(())
}

/// An uploaded file's id: Telegram takes files only with the message that
/// sends them, so the file stays with us (the caller keeps the copy) until
/// then.
pub(super) fn upload() -> ApiResult<String> {
    Ok(format!("{LOCAL}{}", uuid::Uuid::now_v7()))
}

/// A file kept for sending.
pub(super) struct LocalFile {
    bytes: Vec<u8>,
    mime: String,
    filename: Option<String>,
}

/// The kept copy of the file a message sends.
pub(super) async fn local_file(
    st: &AppState,
    msg: &Message,
) -> Result<Option<LocalFile>, StoreError> {
    let Some(media) = st.store.media_of_message(msg.org_id, msg.id).await? else {
        return Ok(None);
    };
    let Some(path) = media.path.as_deref() else {
        return Ok(None);
    };
    match tokio::fs::read(crate::media::media_dir(st).join(path)).await {
        Ok(bytes) => Ok(Some(LocalFile {
            bytes,
            mime: media
                .mime_type
                .unwrap_or_else(|| "application/octet-stream".into()),
            filename: media.filename,
        })),
        Err(e) => {
            tracing::warn!(message = %msg.id, error = %e, "the kept copy of an upload is unreadable");
            Ok(None)
        }
    }
}

/// Sends `piece` with its file uploaded (multipart): the body's fields as
/// form fields, the file in the one the method names. An OGG/Opus audio
/// goes as a voice note.
pub(super) async fn send_file(
    tg: &Telegram,
    token: &str,
    piece: &Outbound,
    body: Value,
    file: LocalFile,
) -> reqwest::Result<Answer> {
    let voice = matches!(
        piece,
        Outbound::Media {
            kind: atende_channels::inbound::MediaKind::Audio,
            ..
        }
    ) && crate::security::mime_base(&file.mime) == "audio/ogg";
    let (method, field) = match (piece, voice) {
        (Outbound::Media { .. }, true) => ("sendVoice", "voice"),
        (Outbound::Media { kind, .. }, false) => (
            piece.method(),
            match kind {
                atende_channels::inbound::MediaKind::Image => "photo",
                k => k.as_str(),
            },
        ),
        _ => (piece.method(), "document"),
    };
    let action = match field {
        "photo" => "upload_photo",
        "video" => "upload_video",
        "voice" => "upload_voice",
        _ => "upload_document",
    };
    let chat = body.get("chat_id").cloned().unwrap_or(Value::Null);
    let _ = tg
        .call(
            token,
            "sendChatAction",
            &json!({"chat_id": chat, "action": action}),
        )
        .await;
    let mut form = reqwest::multipart::Form::new();
    if let Value::Object(fields) = body {
        for (k, v) in fields {
            // The field that named our id of the file carries the file.
            if matches!(
                k.as_str(),
                "photo" | "video" | "audio" | "document" | "sticker" | "voice"
            ) {
                continue;
            }
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            form = form.text(k, text);
        }
    }
    let name = file.filename.unwrap_or_else(|| "arquivo".into());
    let part = reqwest::multipart::Part::bytes(file.bytes.clone())
        .file_name(name.clone())
        .mime_str(&file.mime)
        .unwrap_or_else(|_| reqwest::multipart::Part::bytes(file.bytes).file_name(name));
    form = form.part(field, part);
    let r = tg
        .http
        .post(tg.method_url(token, method))
        .multipart(form)
        .send()
        .await?;
    let status = r.status().as_u16();
    Ok((status, r.bytes().await?))
}
