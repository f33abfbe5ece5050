//! Turning a webhook POST body into normalized events (channels.md §1.3).

use serde_json::Value;

use super::json::{array_at, id_at, str_at, timestamp_at, truncate_chars, value_at};
use super::message::{Content, Context, InboundMessage};
use super::status::{StatusUpdate, TemplateStatusUpdate, WaError};

/// The `object` of every WhatsApp Business webhook.
const WABA_OBJECT: &str = "whatsapp_business_account";

/// Why a provider body could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The body is not JSON; carries serde's message with line and column.
    #[error("JSON inválido: {0}")]
    Json(String),
    /// The body is JSON but not the expected kind of document (pt-BR).
    #[error("{0}")]
    Shape(String),
}

/// One thing a webhook tells us, in the order it appeared in the body.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "the public API holds messages unboxed; events are few and short-lived"
)]
pub enum Event {
    /// A message from a user.
    Message(InboundMessage),
    /// A delivery status of a message we sent.
    Status(StatusUpdate),
    /// A template changed status (approved, rejected, paused…).
    TemplateStatus(TemplateStatusUpdate),
    /// Value-level `errors[]`: a system or app problem, not tied to a message.
    ValueErrors {
        /// `metadata.phone_number_id` of the change.
        phone_number_id: Option<String>,
        /// The errors, in order.
        errors: Vec<WaError>,
    },
    /// A change of a `field` we do not handle (e.g. `smb_message_echoes`).
    Ignored {
        /// The change's `field` (`""` if absent).
        field: String,
    },
}

/// Reads every event of a webhook body: every entry, change, message and
/// status, in order.
///
/// Parsing is lenient: unknown fields are ignored and missing ones become
/// `None`/defaults; statuses without an id or with an unknown status name
/// and messages without an id are skipped. Errors only for a body that is
/// not JSON ([`ParseError::Json`]), not an object, or whose `object` is
/// present and not `whatsapp_business_account` ([`ParseError::Shape`]).
pub fn parse_webhook(body: &[u8]) -> Result<Vec<Event>, ParseError> {
    let root: Value = serde_json::from_slice(&crate::nul::without_nul(body))
        .map_err(|e| ParseError::Json(e.to_string()))?;
    if !root.is_object() {
        return Err(ParseError::Shape(
            "o corpo do webhook não é um objeto JSON".to_owned(),
        ));
    }
    match root.get("object") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s == WABA_OBJECT => {}
        Some(other) => {
            return Err(ParseError::Shape(format!(
                "webhook não é do WhatsApp Business (object = {})",
                truncate_chars(&other.to_string(), 80)
            )));
        }
    }
    let mut events = Vec::new();
    for entry in array_at(&root, "entry") {
        let waba_id = id_at(entry, "id");
        for change in array_at(entry, "changes") {
            read_change(waba_id.as_deref(), change, &mut events);
        }
    }
    Ok(events)
}

/// Appends the events of one `changes[]` element.
fn read_change(waba_id: Option<&str>, change: &Value, events: &mut Vec<Event>) {
    let field = str_at(change, "field").unwrap_or_default();
    let value = change.get("value").unwrap_or(&Value::Null);
    match field.as_str() {
        "messages" => read_messages_value(value, events),
        "message_template_status_update" => events.push(Event::TemplateStatus(
            TemplateStatusUpdate::from_value(waba_id, value),
        )),
        _ => events.push(Event::Ignored { field }),
    }
}

/// Appends the messages, statuses and value-level errors of a `messages` change.
fn read_messages_value(value: &Value, events: &mut Vec<Event>) {
    let metadata = value.get("metadata").unwrap_or(&Value::Null);
    let phone_number_id = id_at(metadata, "phone_number_id");
    let display = id_at(metadata, "display_phone_number");
    let contacts = array_at(value, "contacts");
    let pnid = phone_number_id.as_deref().unwrap_or_default();
    for msg in array_at(value, "messages") {
        if let Some(m) = inbound_message(pnid, display.as_deref(), contacts, msg) {
            events.push(Event::Message(m));
        }
    }
    for status in array_at(value, "statuses") {
        if let Some(s) = StatusUpdate::from_value(pnid, status) {
            events.push(Event::Status(s));
        }
    }
    let errors = WaError::list(value);
    if !errors.is_empty() {
        events.push(Event::ValueErrors {
            phone_number_id,
            errors,
        });
    }
}

/// Reads one `messages[]` element; `None` (skipped) when it has no id.
fn inbound_message(
    phone_number_id: &str,
    display_phone_number: Option<&str>,
    contacts: &[Value],
    msg: &Value,
) -> Option<InboundMessage> {
    let wamid = id_at(msg, "id")?;
    let mut from = id_at(msg, "from");
    let mut from_user_id = str_at(msg, "from_user_id");
    let mut from_parent_user_id = str_at(msg, "from_parent_user_id");
    let contact = matching_contact(contacts, from.as_deref(), from_user_id.as_deref());
    let profile = contact
        .and_then(|c| c.get("profile"))
        .unwrap_or(&Value::Null);
    // Link both identity keys: the contact may carry the one the message lacks.
    if let Some(c) = contact {
        from = from.or_else(|| id_at(c, "wa_id"));
        from_user_id = from_user_id.or_else(|| str_at(c, "user_id"));
        from_parent_user_id = from_parent_user_id.or_else(|| str_at(c, "parent_user_id"));
    }
    Some(InboundMessage {
        phone_number_id: phone_number_id.to_owned(),
        display_phone_number: display_phone_number.map(str::to_owned),
        wamid,
        from,
        from_user_id,
        from_parent_user_id,
        profile_name: str_at(profile, "name"),
        username: str_at(profile, "username"),
        timestamp: timestamp_at(msg, "timestamp"),
        content: Content::from_message(msg),
        context: msg.get("context").and_then(Context::from_value),
        referral: value_at(msg, "referral").map(|mut r| {
            crate::keep_web_links(&mut r);
            r
        }),
        errors: WaError::list(msg),
        raw: msg.clone(),
    })
}

/// The `contacts[]` entry describing the sender: the one whose `wa_id` or
/// `user_id` matches, else the only one.
fn matching_contact<'a>(
    contacts: &'a [Value],
    from: Option<&str>,
    from_user_id: Option<&str>,
) -> Option<&'a Value> {
    let matches = |c: &&Value| {
        let wa_id = id_at(c, "wa_id");
        let user_id = str_at(c, "user_id");
        (from.is_some() && wa_id.as_deref() == from)
            || (from_user_id.is_some() && user_id.as_deref() == from_user_id)
    };
    contacts.iter().find(matches).or(match contacts {
        [only] => Some(only),
        _ => None,
    })
}
