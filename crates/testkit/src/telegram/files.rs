//! Files: ids, uploads, `getFile` and downloads that expire (channels.md §3.4).

use super::TgRequest;
use super::errors::TgError;
use super::params::Params;
use super::state::{FileLink, Inner, StoredFile};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Largest file a bot can download (getFile answers "file is too big" above).
pub(crate) const DOWNLOAD_LIMIT: usize = 20 * 1024 * 1024;
/// Largest photo a bot can upload.
pub(crate) const PHOTO_UPLOAD_LIMIT: usize = 10 * 1024 * 1024;
/// Largest other file a bot can upload (413 above).
pub(crate) const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;

/// A kind of file a message carries, with the send method and field for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Kind {
    pub(crate) method: &'static str,
    pub(crate) field: &'static str,
    /// How Telegram's file ids of this kind start.
    prefix: &'static str,
    /// The `file_path` directory getFile uses.
    dir: &'static str,
    pub(crate) default_mime: &'static str,
    default_ext: &'static str,
}

#[rustfmt::skip]
pub(crate) const KINDS: &[Kind] = &[
    Kind { method: "sendPhoto", field: "photo", prefix: "AgACAgEAAxkBAAI", dir: "photos", default_mime: "image/jpeg", default_ext: "jpg" },
    Kind { method: "sendDocument", field: "document", prefix: "BQACAgEAAxkBAAI", dir: "documents", default_mime: "application/octet-stream", default_ext: "bin" },
    Kind { method: "sendVoice", field: "voice", prefix: "AwACAgEAAxkBAAI", dir: "voice", default_mime: "audio/ogg", default_ext: "oga" },
    Kind { method: "sendAudio", field: "audio", prefix: "CQACAgEAAxkBAAI", dir: "music", default_mime: "audio/mpeg", default_ext: "mp3" },
    Kind { method: "sendVideo", field: "video", prefix: "BAACAgEAAxkBAAI", dir: "videos", default_mime: "video/mp4", default_ext: "mp4" },
    Kind { method: "sendSticker", field: "sticker", prefix: "CAACAgEAAxkBAAI", dir: "stickers", default_mime: "image/webp", default_ext: "webp" },
    Kind { method: "sendAnimation", field: "animation", prefix: "CgACAgEAAxkBAAI", dir: "animations", default_mime: "video/mp4", default_ext: "mp4" },
];

/// The kind named by its field (`"photo"`, `"voice"`, …); unknown names are documents.
pub(crate) fn kind(field: &str) -> Kind {
    KINDS
        .iter()
        .copied()
        .find(|k| k.field == field)
        .unwrap_or(KINDS[1])
}

/// The kind of an existing file id: by its Telegram-like prefix, else by MIME type.
fn kind_of(file_id: &str, mime: &str) -> Kind {
    if let Some(k) = KINDS
        .iter()
        .find(|k| file_id.len() > 4 && file_id.starts_with(&k.prefix[..4]))
    {
        return *k;
    }
    let field = match mime.split(';').next().unwrap_or("").trim() {
        "image/webp" => "sticker",
        m if m.starts_with("image/") => "photo",
        m if m.starts_with("audio/ogg") => "voice",
        m if m.starts_with("audio/") => "audio",
        m if m.starts_with("video/") => "video",
        _ => "document",
    };
    kind(field)
}

/// A new file id of `kind`, shaped like Telegram's (base64url, ~70 chars).
pub(crate) fn new_file_id(kind: Kind) -> String {
    let mut rng = rand::rng();
    let tail: String = (0..56)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("{}{tail}", kind.prefix)
}

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The `file_unique_id` of `file_id`: stable, so the fake's getFile and the
/// simulator's updates agree on it.
pub(crate) fn unique_id(file_id: &str) -> String {
    let digest = Sha256::digest(file_id.as_bytes());
    format!("AgAD{}", URL_SAFE_NO_PAD.encode(&digest[..9]))
}

/// The file extension for `mime`, else the one of `file_name`, else the kind's.
pub(crate) fn extension(mime: &str, file_name: Option<&str>, kind: Kind) -> String {
    let by_mime = match mime.split(';').next().unwrap_or("").trim() {
        "image/jpeg" => Some("jpg"),
        "image/png" => Some("png"),
        "image/webp" => Some("webp"),
        "image/gif" => Some("gif"),
        "audio/ogg" => Some("oga"),
        "audio/mpeg" => Some("mp3"),
        "audio/mp4" => Some("m4a"),
        "video/mp4" => Some("mp4"),
        "application/pdf" => Some("pdf"),
        "text/plain" => Some("txt"),
        _ => None,
    };
    let by_name = file_name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.bytes().all(|b| b.is_ascii_alphanumeric()));
    by_mime
        .map(str::to_owned)
        .or(by_name)
        .unwrap_or_else(|| kind.default_ext.to_owned())
}

/// The MIME type for a file name or URL, by its extension.
pub(crate) fn mime_of(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "mp4" => "video/mp4",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        _ => return None,
    })
}

impl Inner {
    /// Stores `bytes` under `file_id` (a new id of `kind` when `None`) and
    /// returns the id.
    pub(crate) fn store_file(
        &self,
        file_id: Option<&str>,
        kind: Option<Kind>,
        bytes: Vec<u8>,
        mime_type: &str,
        file_name: Option<&str>,
    ) -> String {
        let kind = kind.unwrap_or_else(|| kind_of(file_id.unwrap_or(""), mime_type));
        let id = file_id.map_or_else(|| new_file_id(kind), str::to_owned);
        let file = StoredFile {
            kind,
            unique_id: unique_id(&id),
            ext: extension(mime_type, file_name, kind),
            bytes,
            mime_type: mime_type.to_owned(),
            file_name: file_name.map(str::to_owned),
        };
        self.state().files.insert(id.clone(), file);
        id
    }
}

/// `getFile {file_id}` → `{file_id, file_unique_id, file_size, file_path}`.
/// A link still alive for the same file and token is handed out again;
/// otherwise a new path is issued.
pub(crate) fn get_file(inner: &Inner, token: &str, p: &Params) -> Result<Value, TgError> {
    let invalid = || TgError::bad_request("invalid file_id");
    let file_id = p
        .str("file_id")
        .filter(|f| !f.is_empty())
        .ok_or_else(invalid)?;
    let mut state = inner.state();
    let (size, unique, dir, ext) = {
        let file = state.files.get(file_id).ok_or_else(invalid)?;
        let (dir, ext) = (file.kind.dir, file.ext.clone());
        (file.bytes.len(), file.unique_id.clone(), dir, ext)
    };
    if size > DOWNLOAD_LIMIT {
        return Err(TgError::bad_request("file is too big"));
    }
    let ttl = state.link_ttl;
    let alive = state.links.iter().find(|(_, l)| {
        l.file_id == file_id && l.token == token && !l.expired && l.issued.elapsed() < ttl
    });
    let path = match alive {
        Some((path, _)) => path.clone(),
        None => {
            state.file_seq += 1;
            let path = format!("{dir}/file_{}.{ext}", state.file_seq);
            let link = FileLink {
                file_id: file_id.to_owned(),
                token: token.to_owned(),
                issued: std::time::Instant::now(),
                expired: false,
            };
            state.links.insert(path.clone(), link);
            path
        }
    };
    Ok(json!({
        "file_id": file_id,
        "file_unique_id": unique,
        "file_size": size,
        "file_path": path,
    }))
}

/// `GET /file/bot<token>/<file_path>` → the bytes, as
/// `application/octet-stream`. 404 for a path that was never issued to
/// this token, whose link expired, or whose token was revoked.
pub(crate) async fn download(
    State(inner): State<Arc<Inner>>,
    Path((bot_token, file_path)): Path<(String, String)>,
) -> Response {
    let seq = inner.next_seq();
    let at = chrono::Utc::now();
    let token = bot_token.strip_prefix("bot").unwrap_or("").to_owned();
    let bytes = {
        let state = inner.state();
        let ttl = state.link_ttl;
        state
            .links
            .get(&file_path)
            .filter(|l| l.token == token && !l.expired && l.issued.elapsed() < ttl)
            .filter(|_| state.bots.contains_key(&token))
            .and_then(|l| state.files.get(&l.file_id))
            .map(|f| f.bytes.clone())
    };
    let (status, response, recorded) = match bytes {
        Some(bytes) => (
            StatusCode::OK,
            ([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response(),
            Value::Null,
        ),
        None => {
            let body = TgError::not_found().body();
            (
                StatusCode::NOT_FOUND,
                (StatusCode::NOT_FOUND, axum::Json(body.clone())).into_response(),
                body,
            )
        }
    };
    let request = TgRequest {
        token,
        method: "download".to_owned(),
        params: json!({ "file_path": file_path }),
        status: status.as_u16(),
        response: recorded,
        at,
    };
    inner.log(seq, request, false);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_ids_look_like_telegram_ones() {
        let id = new_file_id(kind("voice"));
        assert!(id.starts_with("AwACAgEAAxkBAAI") && id.len() == 71, "{id}");
        assert_ne!(id, new_file_id(kind("voice")));
        assert_eq!(kind_of(&id, "application/pdf").field, "voice");
        assert_eq!(kind_of("x", "image/png").field, "photo");
        assert_eq!(unique_id(&id), unique_id(&id));
        assert_eq!(
            extension("application/zip", Some("notas.ZIP"), kind("document")),
            "zip"
        );
        assert_eq!(extension("audio/ogg", None, kind("voice")), "oga");
        assert_eq!(extension("", None, kind("photo")), "jpg");
        assert_eq!(mime_of("https://x.test/a/foto.JPG"), Some("image/jpeg"));
    }
}
