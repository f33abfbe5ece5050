//! The Bot API methods the fake serves that send no message: reactions,
//! chat actions and callback answers.

use super::errors::TgError;
use super::methods::{Caller, chat_id};
use super::params::Params;
use super::state::Inner;
use serde_json::{Value, json};

/// `sendChatAction` actions.
const CHAT_ACTIONS: &[&str] = &[
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
];

/// `setMessageReaction`: `reaction` is a (possibly empty) array of
/// `{type:"emoji",emoji}` / `{type:"custom_emoji",custom_emoji_id}`.
pub(super) fn set_reaction(inner: &Inner, bot: &Caller, p: &Params) -> Result<Value, TgError> {
    let chat = chat_id(p)?;
    if p.int("message_id").is_none() {
        return Err(TgError::bad_request("message_id is empty"));
    }
    let invalid = || TgError::bad_request("REACTION_INVALID");
    let reactions = match p.get("reaction") {
        None => Vec::new(),
        Some(r) => r.as_array().cloned().ok_or_else(invalid)?,
    };
    for r in &reactions {
        let ok = match r.get("type").and_then(Value::as_str) {
            Some("emoji") => r
                .get("emoji")
                .and_then(Value::as_str)
                .is_some_and(|e| !e.is_empty()),
            Some("custom_emoji") => r.get("custom_emoji_id").is_some(),
            Some("paid") => true,
            _ => false,
        };
        if !ok {
            return Err(invalid());
        }
    }
    inner.check_block(bot.id, chat)?;
    Ok(json!(true))
}

pub(super) fn chat_action(inner: &Inner, bot: &Caller, p: &Params) -> Result<Value, TgError> {
    let chat = chat_id(p)?;
    let action = p.str("action").unwrap_or("");
    if !CHAT_ACTIONS.contains(&action) {
        return Err(TgError::bad_request("wrong parameter action in request"));
    }
    inner.check_block(bot.id, chat)?;
    Ok(json!(true))
}

pub(super) fn answer_callback(inner: &Inner, p: &Params) -> Result<Value, TgError> {
    let id = p
        .get("callback_query_id")
        .map(|v| match v {
            Value::String(s) => s.trim().to_owned(),
            other => other.to_string(),
        })
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            TgError::bad_request(
                "query is too old and response timeout expired or query ID is invalid",
            )
        })?;
    inner.state().answered.push(id);
    Ok(json!(true))
}
