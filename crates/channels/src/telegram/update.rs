//! One webhook `Update` (channels.md §3.2) into channel-neutral events.
//!
//! A message's id is `<chat id>:<message id>` (message ids are unique per
//! chat only), so a redelivered update dedupes on it; an edit's id adds
//! its `edit_date`.

use serde_json::{Value, json};

use crate::inbound::{Content, Context, Inbound, MediaKind, Message, Sender};

/// Why an update could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    #[error("o corpo não é um Update do Telegram: {0}")]
    NotJson(String),
    #[error("o Update não tem update_id")]
    NoUpdateId,
}

/// The events of one update for the bot `bot_id`: a message (new or
/// edited), a button press, or a change of the bot's membership in a
/// private chat (the user blocked or unblocked it); anything else is
/// [`Inbound::Ignored`].
pub fn parse_update(bot_id: &str, body: &[u8]) -> Result<Vec<Inbound>, ParseError> {
    let update: Value = serde_json::from_slice(&crate::nul::without_nul(body))
        .map_err(|e| ParseError::NotJson(e.to_string()))?;
    if update.get("update_id").and_then(Value::as_i64).is_none() {
        return Err(ParseError::NoUpdateId);
    }
    let event = if let Some(m) = update
        .get("message")
        .or_else(|| update.get("business_message"))
    {
        message(bot_id, m, content_of(m))
    } else if let Some(m) = update.get("edited_message") {
        let original = id_of(m);
        let edited = m
            .get("edit_date")
            .and_then(Value::as_i64)
            .unwrap_or_default();
        message(
            bot_id,
            m,
            Content::Edit {
                original_message_id: original.clone(),
                message: m.clone(),
            },
        )
        .map(|mut msg| {
            msg.id = format!("{}:e{edited}", original.unwrap_or_default());
            if edited > 0 {
                msg.timestamp = edited;
            }
            msg
        })
    } else if let Some(q) = update.get("callback_query") {
        callback(bot_id, q)
    } else if let Some(c) = update.get("my_chat_member") {
        membership(bot_id, c)
    } else {
        None
    };
    Ok(vec![event.map(Inbound::Message).unwrap_or_else(|| {
        let what = update
            .as_object()
            .and_then(|o| o.keys().find(|k| *k != "update_id").cloned())
            .unwrap_or_else(|| "update".into());
        Inbound::Ignored { what }
    })])
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// An integer field (ids exceed 32 bits) as text.
fn int_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_i64).map(|n| n.to_string())
}

/// `<chat id>:<message id>`.
fn id_of(m: &Value) -> Option<String> {
    Some(format!(
        "{}:{}",
        int_of(m.get("chat")?, "id")?,
        int_of(m, "message_id")?
    ))
}

/// The person behind a private chat (or the message's author).
fn sender_of(chat: &Value, from: Option<&Value>) -> Sender {
    let who = from.unwrap_or(chat);
    let name = [str_of(who, "first_name"), str_of(who, "last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Sender {
        key: int_of(chat, "id"),
        phone: None,
        alias: None,
        name: (!name.is_empty()).then_some(name),
        username: str_of(who, "username"),
    }
}

fn message(bot_id: &str, m: &Value, content: Content) -> Option<Message> {
    let chat = m.get("chat")?;
    let reply = m.get("reply_to_message");
    let forwarded = m.get("forward_origin").is_some();
    let context = (reply.is_some() || forwarded).then(|| Context {
        from: reply
            .and_then(|r| r.get("from"))
            .and_then(|f| int_of(f, "id")),
        id: reply.and_then(id_of),
        forwarded,
        frequently_forwarded: false,
        referred_product: None,
    });
    Some(Message {
        address: bot_id.to_string(),
        own_number: None,
        id: id_of(m)?,
        sender: sender_of(chat, m.get("from")),
        timestamp: m.get("date").and_then(Value::as_i64).unwrap_or_default(),
        content,
        context,
        referral: None,
        errors: vec![],
        raw: m.clone(),
    })
}

fn media(kind: MediaKind, file: &Value, m: &Value) -> Content {
    Content::Media {
        kind,
        id: str_of(file, "file_id"),
        url: None,
        mime_type: str_of(file, "mime_type"),
        sha256: None,
        caption: str_of(m, "caption"),
        filename: str_of(file, "file_name"),
        voice: false,
        animated: false,
    }
}

/// What a message carries (the first kind found, in Telegram's own
/// precedence: an animation also sets `document`, a venue `location`).
fn content_of(m: &Value) -> Content {
    if let Some(t) = str_of(m, "text") {
        return Content::Text { body: t };
    }
    if let Some(largest) = m
        .get("photo")
        .and_then(Value::as_array)
        .and_then(|p| p.last())
    {
        return media(MediaKind::Image, largest, m);
    }
    if let Some(a) = m.get("animation") {
        let mut c = media(MediaKind::Video, a, m);
        if let Content::Media { animated, .. } = &mut c {
            *animated = true;
        }
        return c;
    }
    if let Some(v) = m.get("voice") {
        let mut c = media(MediaKind::Audio, v, m);
        if let Content::Media { voice, .. } = &mut c {
            *voice = true;
        }
        return c;
    }
    for (key, kind) in [
        ("audio", MediaKind::Audio),
        ("video", MediaKind::Video),
        ("video_note", MediaKind::Video),
        ("document", MediaKind::Document),
    ] {
        if let Some(f) = m.get(key) {
            return media(kind, f, m);
        }
    }
    if let Some(s) = m.get("sticker") {
        let mut c = media(MediaKind::Sticker, s, m);
        if let Content::Media { animated, .. } = &mut c {
            *animated = [s.get("is_animated"), s.get("is_video")]
                .into_iter()
                .any(|b| b.and_then(Value::as_bool) == Some(true));
        }
        return c;
    }
    if let Some(l) = m.get("location") {
        let venue = m.get("venue");
        return Content::Location {
            latitude: l
                .get("latitude")
                .and_then(Value::as_f64)
                .unwrap_or_default(),
            longitude: l
                .get("longitude")
                .and_then(Value::as_f64)
                .unwrap_or_default(),
            name: venue.and_then(|v| str_of(v, "title")),
            address: venue.and_then(|v| str_of(v, "address")),
            url: None,
        };
    }
    if let Some(c) = m.get("contact") {
        let first = str_of(c, "first_name").unwrap_or_default();
        let last = str_of(c, "last_name");
        let formatted = [Some(first.clone()), last.clone()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        return Content::Contacts {
            contacts: vec![json!({
                "name": {"formatted_name": formatted, "first_name": first, "last_name": last},
                "phones": [{"phone": str_of(c, "phone_number")}],
            })],
        };
    }
    let kind = m
        .as_object()
        .and_then(|o| {
            o.keys()
                .find(|k| {
                    !["message_id", "from", "chat", "date", "sender_chat"].contains(&k.as_str())
                })
                .cloned()
        })
        .unwrap_or_else(|| "unknown".into());
    Content::Unsupported { kind }
}

/// A press of an inline keyboard button: a reply with the button's data
/// and, when the message still shows it, its text. The runtime answers
/// `answerCallbackQuery` with the query's id.
fn callback(bot_id: &str, q: &Value) -> Option<Message> {
    let data = str_of(q, "data");
    let shown = q.get("message");
    let chat = shown
        .and_then(|m| m.get("chat"))
        .or_else(|| q.get("from"))?;
    let title = shown
        .and_then(|m| m.pointer("/reply_markup/inline_keyboard"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .find(|b| b.get("callback_data").and_then(Value::as_str) == data.as_deref())
        .and_then(|b| str_of(b, "text"));
    Some(Message {
        address: bot_id.to_string(),
        own_number: None,
        id: format!("cb:{}", str_of(q, "id")?),
        sender: sender_of(chat, q.get("from")),
        timestamp: shown
            .and_then(|m| m.get("date"))
            .and_then(Value::as_i64)
            .unwrap_or_default(),
        content: Content::InteractiveReply {
            kind: "button_reply".into(),
            id: data,
            title,
            description: None,
            response_json: None,
        },
        context: shown.and_then(id_of).map(|id| Context {
            from: Some(bot_id.to_string()),
            id: Some(id),
            forwarded: false,
            frequently_forwarded: false,
            referred_product: None,
        }),
        referral: None,
        errors: vec![],
        raw: q.clone(),
    })
}

/// The bot's membership in a private chat changed: `kicked` is the user
/// blocking the bot (the contact cannot be reached until they unblock
/// it), `member` unblocking it.
fn membership(bot_id: &str, c: &Value) -> Option<Message> {
    let chat = c.get("chat")?;
    if chat.get("type").and_then(Value::as_str) != Some("private") {
        return None;
    }
    let status = c
        .pointer("/new_chat_member/status")
        .and_then(Value::as_str)?;
    let (kind, body) = match status {
        "kicked" => ("blocked_bot", "O contato bloqueou o bot."),
        "member" => ("unblocked_bot", "O contato desbloqueou o bot."),
        _ => return None,
    };
    let date = c.get("date").and_then(Value::as_i64).unwrap_or_default();
    Some(Message {
        address: bot_id.to_string(),
        own_number: None,
        id: format!("{}:member:{date}:{status}", int_of(chat, "id")?),
        sender: sender_of(chat, c.get("from")),
        timestamp: date,
        content: Content::System {
            body: Some(body.into()),
            kind: Some(kind.into()),
            new_id: None,
            user_id: None,
            parent_user_id: None,
        },
        context: None,
        referral: None,
        errors: vec![],
        raw: c.clone(),
    })
}
