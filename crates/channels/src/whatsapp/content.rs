//! Reading the type-specific payload of an inbound message (channels.md §1.4)
//! and describing it.

use serde_json::Value;

use super::json::{array_at, bool_at, f64_of, str_at};
use super::message::{Content, MediaKind};

/// Stands in for a missing payload, so lookups on it simply find nothing.
static EMPTY: Value = Value::Null;

impl Content {
    /// The message type name (`text`, `image`, …, `unsupported`).
    pub fn kind(&self) -> &'static str {
        match self {
            Content::Text { .. } => "text",
            Content::Media { kind, .. } => kind.as_str(),
            Content::Location { .. } => "location",
            Content::Contacts { .. } => "contacts",
            Content::InteractiveReply { .. } => "interactive",
            Content::Button { .. } => "button",
            Content::Reaction { .. } => "reaction",
            Content::Order { .. } => "order",
            Content::System { .. } => "system",
            Content::RequestWelcome => "request_welcome",
            Content::StoryMention { .. } => "story_mention",
            Content::Edit { .. } => "edit",
            Content::Revoke { .. } => "revoke",
            Content::Unsupported { .. } => "unsupported",
        }
    }

    /// The text to show or search for this message, if it has any.
    ///
    /// Body, caption, interactive title, button text, location name and
    /// address, system notice, order text, the edited text, or the contact
    /// names joined by `, `.
    pub fn text(&self) -> Option<String> {
        let text = match self {
            Content::Text { body } => Some(body.clone()),
            Content::Media { caption, .. } => caption.clone(),
            Content::Location { name, address, .. } => {
                let parts: Vec<&str> = [name, address]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                Some(parts.join(" — "))
            }
            Content::Contacts { contacts } => {
                let names: Vec<String> = contacts.iter().filter_map(contact_name).collect();
                Some(names.join(", "))
            }
            Content::InteractiveReply { title, .. } => title.clone(),
            Content::Button { text, payload } => text.clone().or_else(|| payload.clone()),
            Content::Order { order } => str_at(order, "text"),
            Content::System { body, .. } => body.clone(),
            // WhatsApp nests the new text (`text.body`); Telegram's edited
            // message has it flat (`text`, or `caption` under a file).
            Content::Edit { message, .. } => message
                .get("text")
                .and_then(|t| t.as_str().map(str::to_string).or_else(|| str_at(t, "body")))
                .or_else(|| str_at(message, "caption")),
            Content::Reaction { .. }
            | Content::RequestWelcome
            | Content::StoryMention { .. }
            | Content::Revoke { .. }
            | Content::Unsupported { .. } => None,
        };
        text.filter(|t| !t.trim().is_empty())
    }

    /// Reads the content of one `messages[]` object from its `type` and the
    /// payload under the key of the same name. Unknown types, and known types
    /// too broken to use, become [`Content::Unsupported`].
    pub(crate) fn from_message(msg: &Value) -> Self {
        let Some(kind) = msg.get("type").and_then(Value::as_str) else {
            return Content::Unsupported {
                kind: "unknown".to_owned(),
            };
        };
        let payload = msg.get(kind).unwrap_or(&EMPTY);
        if let Some(media) = MediaKind::parse(kind) {
            return media_content(media, payload);
        }
        let parsed = match kind {
            "text" => Some(Content::Text {
                body: str_at(payload, "body").unwrap_or_default(),
            }),
            "location" => location(payload),
            "contacts" => Some(Content::Contacts {
                contacts: array_at(msg, "contacts").to_vec(),
            }),
            "interactive" => Some(interactive(payload)),
            "button" => Some(Content::Button {
                payload: str_at(payload, "payload"),
                text: str_at(payload, "text"),
            }),
            "reaction" => reaction(payload),
            "order" => Some(Content::Order {
                order: payload.clone(),
            }),
            "system" => Some(Content::System {
                body: str_at(payload, "body"),
                kind: str_at(payload, "type"),
                // Older payloads name the new number `new_wa_id`.
                new_id: str_at(payload, "wa_id").or_else(|| str_at(payload, "new_wa_id")),
                user_id: str_at(payload, "user_id"),
                parent_user_id: str_at(payload, "parent_user_id"),
            }),
            "request_welcome" => Some(Content::RequestWelcome),
            "edit" => Some(Content::Edit {
                original_message_id: str_at(payload, "original_message_id"),
                message: payload.get("message").cloned().unwrap_or(Value::Null),
            }),
            "revoke" => Some(Content::Revoke {
                original_message_id: str_at(payload, "original_message_id"),
            }),
            "unsupported" | "unknown" => Some(Content::Unsupported {
                kind: str_at(payload, "type").unwrap_or_else(|| kind.to_owned()),
            }),
            _ => None,
        };
        parsed.unwrap_or_else(|| Content::Unsupported {
            kind: kind.to_owned(),
        })
    }
}

/// An image, video, audio, document or sticker payload.
fn media_content(kind: MediaKind, p: &Value) -> Content {
    Content::Media {
        kind,
        id: str_at(p, "id"),
        url: str_at(p, "url"),
        mime_type: str_at(p, "mime_type"),
        sha256: str_at(p, "sha256"),
        caption: str_at(p, "caption"),
        filename: str_at(p, "filename"),
        voice: bool_at(p, "voice"),
        animated: bool_at(p, "animated"),
    }
}

/// A location; `None` without both coordinates.
fn location(p: &Value) -> Option<Content> {
    Some(Content::Location {
        latitude: p.get("latitude").and_then(f64_of)?,
        longitude: p.get("longitude").and_then(f64_of)?,
        name: str_at(p, "name"),
        address: str_at(p, "address"),
        url: str_at(p, "url"),
    })
}

/// A reply to an interactive message.
fn interactive(p: &Value) -> Content {
    let kind = str_at(p, "type").unwrap_or_else(|| "unknown".to_owned());
    let reply = p.get(kind.as_str()).unwrap_or(&EMPTY);
    if kind == "nfm_reply" {
        // Some SDKs decode `response_json`; keep it a JSON string either way.
        let response_json = match reply.get("response_json") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        return Content::InteractiveReply {
            kind,
            id: str_at(reply, "name"),
            title: str_at(reply, "body"),
            description: None,
            response_json,
        };
    }
    Content::InteractiveReply {
        id: str_at(reply, "id"),
        title: str_at(reply, "title"),
        description: str_at(reply, "description"),
        response_json: None,
        kind,
    }
}

/// A reaction; `None` without the id of the message reacted to.
fn reaction(p: &Value) -> Option<Content> {
    Some(Content::Reaction {
        message_id: str_at(p, "message_id")?,
        emoji: str_at(p, "emoji").filter(|e| !e.is_empty()),
    })
}

/// The display name of a shared contact card.
fn contact_name(card: &Value) -> Option<String> {
    let name = card.get("name")?;
    if let Some(formatted) = str_at(name, "formatted_name").filter(|s| !s.trim().is_empty()) {
        return Some(formatted);
    }
    let parts: Vec<String> = ["first_name", "last_name"]
        .into_iter()
        .filter_map(|k| str_at(name, k))
        .filter(|s| !s.trim().is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}
