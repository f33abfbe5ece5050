//! `/bot<token>/<method>`: the Bot API methods the fake serves (channels.md §3.1–3.4).

use super::TgRequest;
use super::actions::{answer_callback, chat_action, set_reaction};
use super::errors::TgError;
use super::files::{self, Kind, PHOTO_UPLOAD_LIMIT, UPLOAD_LIMIT};
use super::markup::{check_reply_markup, visible_len};
use super::params::{self, Params, Upload};
use super::state::Inner;
use super::webhooks::{delete_webhook, get_me, get_updates, set_webhook, webhook_info};
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// Longest message text, in characters after entity parsing.
const MAX_TEXT_CHARS: usize = 4096;
/// Longest caption, in characters after entity parsing.
const MAX_CAPTION_CHARS: usize = 1024;

/// Every method served, as Telegram spells them (calls match case-insensitively).
const METHODS: &[&str] = &[
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "sendVoice",
    "sendAudio",
    "sendVideo",
    "sendSticker",
    "sendAnimation",
    "sendLocation",
    "sendContact",
    "setMessageReaction",
    "sendChatAction",
    "answerCallbackQuery",
    "getFile",
];

/// The calling bot, copied out of the state.
pub(super) struct Caller {
    pub(super) id: i64,
    pub(super) token: String,
    pub(super) user: Value,
}

/// A successful call: its `result`, an optional `description`, and whether
/// it counts as a send.
pub(super) struct Done {
    pub(super) result: Value,
    pub(super) description: Option<&'static str>,
    pub(super) is_send: bool,
}

impl Done {
    pub(super) fn new(result: Value) -> Done {
        Done {
            result,
            description: None,
            is_send: false,
        }
    }

    fn send(result: Value) -> Done {
        Done {
            is_send: true,
            ..Done::new(result)
        }
    }
}

/// Handles one call, GET or POST, and records it.
pub(crate) async fn call(
    State(inner): State<Arc<Inner>>,
    Path((bot_token, method)): Path<(String, String)>,
    req: Request,
) -> Response {
    let seq = inner.next_seq();
    let at = chrono::Utc::now();
    let canonical = METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(&method))
        .copied();
    let token = bot_token.strip_prefix("bot").map(str::to_owned);
    let parsed = params::parse(req).await;
    let recorded_params = match &parsed {
        Ok(p) => Value::Object(p.map.clone()),
        Err(_) => Value::Null,
    };
    let outcome = match &token {
        None => Err(TgError::not_found()),
        Some(token) => caller(&inner, token).and_then(|c| match (canonical, &parsed) {
            (None, _) => Err(TgError::not_found()),
            (Some(_), Err(e)) => Err(e.clone()),
            (Some(m), Ok(p)) => dispatch(&inner, &c, m, p),
        }),
    };
    let (status, body, is_send) = match outcome {
        Ok(done) => {
            let mut body = json!({"ok": true, "result": done.result});
            if let Some(d) = done.description {
                body["description"] = json!(d);
            }
            (200, body, done.is_send)
        }
        Err(e) => (e.status, e.body(), false),
    };
    let request = TgRequest {
        token: token.unwrap_or_default(),
        method: canonical.map_or(method, str::to_owned),
        params: recorded_params,
        status,
        response: body.clone(),
        at,
    };
    inner.log(seq, request, is_send);
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(body)).into_response()
}

/// The bot owning `token`; 401 when it is unknown or revoked.
fn caller(inner: &Inner, token: &str) -> Result<Caller, TgError> {
    let state = inner.state();
    let bot = state.bots.get(token).ok_or_else(TgError::unauthorized)?;
    Ok(Caller {
        id: bot.id,
        token: token.to_owned(),
        user: bot.user(),
    })
}

fn dispatch(inner: &Inner, bot: &Caller, method: &str, p: &Params) -> Result<Done, TgError> {
    match method {
        "getMe" => Ok(Done::new(get_me(bot))),
        "getUpdates" => get_updates(inner, bot),
        "setWebhook" => set_webhook(inner, bot, p),
        "deleteWebhook" => Ok(delete_webhook(inner, bot)),
        "getWebhookInfo" => Ok(Done::new(webhook_info(inner, bot))),
        "sendMessage" => send_message(inner, bot, p).map(Done::send),
        "sendLocation" => send_location(inner, bot, p).map(Done::send),
        "sendContact" => send_contact(inner, bot, p).map(Done::send),
        "setMessageReaction" => set_reaction(inner, bot, p).map(Done::new),
        "sendChatAction" => chat_action(inner, bot, p).map(Done::new),
        "answerCallbackQuery" => answer_callback(inner, p).map(Done::new),
        "getFile" => files::get_file(inner, &bot.token, p).map(Done::new),
        m => match files::KINDS.iter().find(|k| k.method == m) {
            Some(kind) => send_media(inner, bot, *kind, p).map(Done::send),
            None => Err(TgError::not_found()),
        },
    }
}

/// `chat_id` as an integer; 400 `chat not found` when missing or not numeric
/// (`@channel` usernames included).
pub(super) fn chat_id(p: &Params) -> Result<i64, TgError> {
    p.int("chat_id")
        .filter(|id| *id != 0)
        .ok_or_else(TgError::chat_not_found)
}

/// A chat as messages show it: private for positive ids, supergroup for
/// `-100…` ids, group for other negative ids.
fn chat_json(chat: i64) -> Value {
    if chat > 0 {
        json!({"id": chat, "type": "private"})
    } else if chat <= -1_000_000_000_000 {
        json!({"id": chat, "type": "supergroup", "title": "Grupo"})
    } else {
        json!({"id": chat, "type": "group", "title": "Grupo"})
    }
}

/// The message a reply points at (`reply_parameters` or the legacy
/// `reply_to_message_id`): 400 `message to be replied not found` unless it is
/// known in that chat or `allow_sending_without_reply` is set.
fn reply_target(
    inner: &Inner,
    bot: &Caller,
    chat: i64,
    p: &Params,
) -> Result<Option<Value>, TgError> {
    let (id, allow) = match p.get("reply_parameters") {
        Some(r) => (
            r.get("message_id").and_then(params::int),
            r.get("allow_sending_without_reply")
                .is_some_and(params::bool),
        ),
        None => (
            p.int("reply_to_message_id"),
            p.bool("allow_sending_without_reply"),
        ),
    };
    let Some(id) = id else {
        return Ok(None);
    };
    match inner.state().messages.get(&(bot.id, chat, id)) {
        Some(m) => Ok(Some(m.clone())),
        None if allow => Ok(None),
        None => Err(TgError::bad_request("message to be replied not found")),
    }
}

/// A new message of the bot in `chat` (after the send was admitted).
fn new_message(inner: &Inner, bot: &Caller, chat: i64, reply: Option<Value>) -> Value {
    let mut m = json!({
        "message_id": inner.next_message_id(bot.id, chat),
        "from": bot.user,
        "chat": chat_json(chat),
        "date": chrono::Utc::now().timestamp(),
    });
    if let Some(r) = reply {
        m["reply_to_message"] = r;
    }
    m
}

/// Copies the markup of a send into its message and remembers the message.
fn finish(inner: &Inner, bot: &Caller, chat: i64, p: &Params, mut m: Value) -> Value {
    if let Some(markup) = p
        .get("reply_markup")
        .filter(|r| r.get("inline_keyboard").is_some())
    {
        m["reply_markup"] = markup.clone();
    }
    inner.remember(bot.id, chat, &m);
    m
}

fn send_message(inner: &Inner, bot: &Caller, p: &Params) -> Result<Value, TgError> {
    let chat = chat_id(p)?;
    let text = p.str("text").unwrap_or("");
    let empty = || TgError::bad_request("message text is empty");
    if text.trim().is_empty() {
        return Err(empty());
    }
    match visible_len(text, p.str("parse_mode"))? {
        0 => return Err(empty()),
        n if n > MAX_TEXT_CHARS => return Err(TgError::bad_request("message is too long")),
        _ => {}
    }
    check_reply_markup(p.get("reply_markup"))?;
    let reply = reply_target(inner, bot, chat, p)?;
    inner.admit_send(bot.id, chat)?;
    let mut m = new_message(inner, bot, chat, reply);
    m["text"] = json!(text);
    if let Some(l) = p.get("link_preview_options") {
        m["link_preview_options"] = l.clone();
    }
    Ok(finish(inner, bot, chat, p, m))
}

/// Where a media send's file comes from.
enum Source<'a> {
    Upload(&'a Upload),
    Url(&'a str),
    Existing(String),
}

/// The file parameter of a media send: an upload (size-checked), an http(s)
/// URL (not fetched), or a file id the fake knows.
fn source<'a>(inner: &Inner, kind: Kind, p: &'a Params) -> Result<Source<'a>, TgError> {
    if let Some(upload) = p.upload(kind.field) {
        let size = upload.bytes.len();
        if size == 0 {
            return Err(TgError::bad_request("file must be non-empty"));
        }
        if kind.field == "photo" && size > PHOTO_UPLOAD_LIMIT {
            return Err(TgError::bad_request("file is too big"));
        }
        if size > UPLOAD_LIMIT {
            return Err(TgError::too_large());
        }
        return Ok(Source::Upload(upload));
    }
    let given = p.str(kind.field).map(str::trim).unwrap_or("");
    if given.is_empty() {
        return Err(TgError::bad_request(&format!(
            "there is no {} in the request",
            kind.field
        )));
    }
    if given.starts_with("https://") || given.starts_with("http://") {
        return Ok(Source::Url(given));
    }
    if inner.state().files.contains_key(given) {
        return Ok(Source::Existing(given.to_owned()));
    }
    Err(TgError::bad_request(
        "wrong file identifier/HTTP URL specified",
    ))
}

/// Stores an uploaded or linked file under a new id; returns the id.
fn commit(inner: &Inner, kind: Kind, source: Source<'_>) -> String {
    match source {
        Source::Existing(id) => id,
        Source::Upload(u) => {
            let name = u.file_name.as_deref();
            let mime = u
                .mime_type
                .as_deref()
                .filter(|m| !m.is_empty() && *m != "application/octet-stream")
                .or_else(|| name.and_then(files::mime_of))
                .unwrap_or(kind.default_mime);
            inner.store_file(None, Some(kind), u.bytes.to_vec(), mime, name)
        }
        Source::Url(url) => {
            let path = url.split(['?', '#']).next().unwrap_or(url);
            let name = path.rsplit('/').next().filter(|n| n.contains('.'));
            let mime = name.and_then(files::mime_of).unwrap_or(kind.default_mime);
            inner.store_file(None, Some(kind), Vec::new(), mime, name)
        }
    }
}

fn send_media(inner: &Inner, bot: &Caller, kind: Kind, p: &Params) -> Result<Value, TgError> {
    let chat = chat_id(p)?;
    let caption = p.str("caption").unwrap_or("");
    if visible_len(caption, p.str("parse_mode"))? > MAX_CAPTION_CHARS {
        return Err(TgError::bad_request("message caption is too long"));
    }
    check_reply_markup(p.get("reply_markup"))?;
    let reply = reply_target(inner, bot, chat, p)?;
    let source = source(inner, kind, p)?;
    inner.admit_send(bot.id, chat)?;
    let file_id = commit(inner, kind, source);
    let mut m = new_message(inner, bot, chat, reply);
    let media = media_json(inner, kind, &file_id, p);
    if kind.field == "animation" {
        m["document"] = media.clone();
    }
    m[kind.field] = media;
    if !caption.is_empty() {
        m["caption"] = json!(caption);
    }
    Ok(finish(inner, bot, chat, p, m))
}

/// The file object a sent message carries; photos as two `PhotoSize`s
/// (a thumbnail, then the file), smallest first.
fn media_json(inner: &Inner, kind: Kind, file_id: &str, p: &Params) -> Value {
    let (size, mime, name, bytes) = {
        let state = inner.state();
        let f = state.files.get(file_id);
        (
            f.map_or(0, |f| f.bytes.len()),
            f.map_or(kind.default_mime.to_owned(), |f| f.mime_type.clone()),
            f.and_then(|f| f.file_name.clone()),
            (kind.field == "photo").then(|| f.map(|f| f.bytes.clone()).unwrap_or_default()),
        )
    };
    let mut o = Map::new();
    o.insert("file_id".into(), json!(file_id));
    o.insert("file_unique_id".into(), json!(files::unique_id(file_id)));
    o.insert("file_size".into(), json!(size));
    let int = |k: &str, default: i64| json!(p.int(k).unwrap_or(default));
    match kind.field {
        "photo" => {
            let thumb_bytes: Vec<u8> = bytes.unwrap_or_default();
            let thumb_size = thumb_bytes.len().min(1583);
            let thumb = inner.store_file(None, Some(kind), thumb_bytes, &mime, None);
            o.insert("width".into(), json!(1280));
            o.insert("height".into(), json!(960));
            return json!([
                {"file_id": thumb, "file_unique_id": files::unique_id(&thumb),
                 "file_size": thumb_size, "width": 90, "height": 67},
                Value::Object(o),
            ]);
        }
        "sticker" => {
            o.insert("type".into(), json!("regular"));
            o.insert("width".into(), json!(512));
            o.insert("height".into(), json!(512));
            o.insert("is_animated".into(), json!(false));
            o.insert("is_video".into(), json!(false));
            return Value::Object(o);
        }
        "voice" => {
            o.insert("duration".into(), int("duration", 1));
        }
        "audio" => {
            o.insert("duration".into(), int("duration", 1));
            for k in ["title", "performer"] {
                if let Some(v) = p.str(k) {
                    o.insert(k.into(), json!(v));
                }
            }
        }
        "video" | "animation" => {
            o.insert("width".into(), int("width", 1280));
            o.insert("height".into(), int("height", 720));
            o.insert("duration".into(), int("duration", 1));
        }
        _ => {}
    }
    if let Some(n) = name.filter(|_| kind.field != "voice") {
        o.insert("file_name".into(), json!(n));
    }
    o.insert("mime_type".into(), json!(mime));
    Value::Object(o)
}

fn send_location(inner: &Inner, bot: &Caller, p: &Params) -> Result<Value, TgError> {
    let chat = chat_id(p)?;
    let lat = p
        .get("latitude")
        .and_then(params::float)
        .filter(|l| (-90.0..=90.0).contains(l))
        .ok_or_else(|| TgError::bad_request("wrong latitude specified"))?;
    let lon = p
        .get("longitude")
        .and_then(params::float)
        .filter(|l| (-180.0..=180.0).contains(l))
        .ok_or_else(|| TgError::bad_request("wrong longitude specified"))?;
    check_reply_markup(p.get("reply_markup"))?;
    let reply = reply_target(inner, bot, chat, p)?;
    inner.admit_send(bot.id, chat)?;
    let mut m = new_message(inner, bot, chat, reply);
    m["location"] = json!({"latitude": lat, "longitude": lon});
    Ok(finish(inner, bot, chat, p, m))
}

fn send_contact(inner: &Inner, bot: &Caller, p: &Params) -> Result<Value, TgError> {
    let chat = chat_id(p)?;
    let phone = p.str("phone_number").map(str::trim).unwrap_or("");
    if phone.is_empty() {
        return Err(TgError::bad_request("phone number is empty"));
    }
    let first = p.str("first_name").map(str::trim).unwrap_or("");
    if first.is_empty() {
        return Err(TgError::bad_request("first name is empty"));
    }
    check_reply_markup(p.get("reply_markup"))?;
    let reply = reply_target(inner, bot, chat, p)?;
    inner.admit_send(bot.id, chat)?;
    let mut m = new_message(inner, bot, chat, reply);
    let mut contact = json!({"phone_number": phone, "first_name": first});
    for k in ["last_name", "vcard"] {
        if let Some(v) = p.str(k) {
            contact[k] = json!(v);
        }
    }
    m["contact"] = contact;
    Ok(finish(inner, bot, chat, p, m))
}
