//! A webhook POST (channels.md §2.2–2.3) into channel-neutral events:
//! every `entry[]`, every `messaging[]` (and `standby[]`) event, in order.

use serde_json::{Value, json};

use crate::inbound::{
    Content, Context, Delivery, Inbound, MediaKind, Message, Receipt, Sender, Watermark,
};

/// Which product a delivery is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// Messenger (`object: "page"`).
    Messenger,
    /// Instagram Direct (`object: "instagram"`).
    Instagram,
}

/// Why a body could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    #[error("o corpo não é um webhook da Meta: {0}")]
    NotJson(String),
    #[error("objeto de webhook não suportado: {0:?}")]
    UnknownObject(String),
}

/// The product and the events of one delivery.
pub fn parse_webhook(body: &[u8]) -> Result<(Product, Vec<Inbound>), ParseError> {
    let v: Value = serde_json::from_slice(&crate::nul::without_nul(body))
        .map_err(|e| ParseError::NotJson(e.to_string()))?;
    let product = match v.get("object").and_then(Value::as_str) {
        Some("page") => Product::Messenger,
        Some("instagram") => Product::Instagram,
        other => return Err(ParseError::UnknownObject(other.unwrap_or_default().into())),
    };
    let mut out = Vec::new();
    for entry in v
        .get("entry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let account = str_of(entry, "id");
        // `standby`: another app owns the thread (handover); its events
        // are still the customer's.
        for key in ["messaging", "standby"] {
            for e in entry
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.extend(event(product, account.as_deref(), e));
            }
        }
        if entry.get("changes").is_some() {
            out.push(Inbound::Ignored {
                what: "changes".into(),
            });
        }
    }
    Ok((product, out))
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Unix milliseconds (numbers, or the test events' numeric strings).
fn millis(v: &Value) -> i64 {
    match v {
        Value::Number(n) => n.as_i64().unwrap_or_default(),
        Value::String(s) => s.parse().unwrap_or_default(),
        _ => 0,
    }
}

/// The events of one `messaging[]` item.
fn event(product: Product, account: Option<&str>, e: &Value) -> Vec<Inbound> {
    let sender = e
        .pointer("/sender/id")
        .and_then(|_| str_of(&e["sender"], "id"));
    let recipient = e
        .pointer("/recipient/id")
        .and_then(|_| str_of(&e["recipient"], "id"));
    let at = e.get("timestamp").map(millis).unwrap_or_default();
    let message = e.get("message");
    let echo = message
        .and_then(|m| m.get("is_echo"))
        .and_then(Value::as_bool)
        == Some(true);
    // Ours is the recipient of a customer's event, the sender of an echo;
    // the entry's id says it too.
    let (ours, customer) = if echo {
        (sender.clone(), recipient.clone())
    } else {
        (recipient.clone(), sender.clone())
    };
    let Some(address) = ours.or_else(|| account.map(str::to_string)) else {
        return vec![ignored("messaging without recipient")];
    };
    let base = |id: String, content: Content, context: Option<Context>| Message {
        address: address.clone(),
        own_number: None,
        id,
        sender: Sender {
            key: customer.clone(),
            phone: None,
            alias: None,
            name: None,
            username: None,
        },
        timestamp: at / 1000,
        content,
        context,
        referral: e
            .get("referral")
            .or_else(|| message.and_then(|m| m.get("referral")))
            .or_else(|| e.pointer("/postback/referral"))
            .cloned(),
        errors: vec![],
        raw: e.clone(),
    };
    if let Some(m) = message {
        let Some(mid) = str_of(m, "mid") else {
            return vec![ignored("message without mid")];
        };
        if echo {
            // One of our page's sends (ours, or another app's on the same
            // page): it confirms ours; it is never a customer's message.
            return vec![Inbound::Receipt(Receipt {
                address,
                id: mid,
                state: Delivery::Sent,
                recipient: customer,
                timestamp: at / 1000,
                errors: vec![],
                callback: None,
            })];
        }
        return message_events(product, &mid, m, &base);
    }
    if let Some(p) = e.get("postback") {
        let id = str_of(p, "mid").unwrap_or_else(|| {
            format!("postback:{}:{at}", customer.as_deref().unwrap_or_default())
        });
        let content = Content::InteractiveReply {
            kind: "postback".into(),
            id: str_of(p, "payload"),
            title: str_of(p, "title"),
            description: None,
            response_json: None,
        };
        return vec![Inbound::Message(base(id, content, None))];
    }
    if let Some(r) = e.get("reaction") {
        let Some(target) = str_of(r, "mid") else {
            return vec![ignored("reaction without mid")];
        };
        let removed = str_of(r, "action").as_deref() == Some("unreact");
        let emoji = str_of(r, "emoji").filter(|e| !e.is_empty() && !removed);
        let content = Content::Reaction {
            message_id: target.clone(),
            emoji,
        };
        return vec![Inbound::Message(base(
            format!("{target}:reaction:{at}"),
            content,
            None,
        ))];
    }
    if let Some(edit) = e.get("message_edit") {
        let Some(target) = str_of(edit, "mid") else {
            return vec![ignored("message_edit without mid")];
        };
        let n = str_of(edit, "num_edit").unwrap_or_default();
        let content = Content::Edit {
            original_message_id: Some(target.clone()),
            message: json!({"text": str_of(edit, "text")}),
        };
        return vec![Inbound::Message(base(
            format!("{target}:edit:{n}"),
            content,
            None,
        ))];
    }
    if let Some(d) = e.get("delivery") {
        let mut out: Vec<Inbound> = d
            .get("mids")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|mid| {
                Inbound::Receipt(Receipt {
                    address: address.clone(),
                    id: mid.to_string(),
                    state: Delivery::Delivered,
                    recipient: customer.clone(),
                    timestamp: at / 1000,
                    errors: vec![],
                    callback: None,
                })
            })
            .collect();
        if let (Some(w), Some(c)) = (d.get("watermark").map(millis), customer.clone()) {
            out.push(Inbound::Watermark(Watermark {
                address: address.clone(),
                recipient: c,
                state: Delivery::Delivered,
                up_to: w,
            }));
        }
        return out;
    }
    if let Some(r) = e.get("read") {
        // Instagram names the message read; Messenger a watermark.
        if let Some(mid) = str_of(r, "mid") {
            return vec![Inbound::Receipt(Receipt {
                address,
                id: mid,
                state: Delivery::Read,
                recipient: customer,
                timestamp: at / 1000,
                errors: vec![],
                callback: None,
            })];
        }
        if let (Some(w), Some(c)) = (r.get("watermark").map(millis), customer) {
            return vec![Inbound::Watermark(Watermark {
                address,
                recipient: c,
                state: Delivery::Read,
                up_to: w,
            })];
        }
        return vec![ignored("read without mid or watermark")];
    }
    let what = e
        .as_object()
        .and_then(|o| {
            o.keys()
                .find(|k| !["sender", "recipient", "timestamp"].contains(&k.as_str()))
                .cloned()
        })
        .unwrap_or_else(|| "messaging".into());
    vec![Inbound::Ignored { what }]
}

fn ignored(what: &str) -> Inbound {
    Inbound::Ignored { what: what.into() }
}

/// A customer's message: its text, each attachment (the first keeps the
/// message's id, the next ones `<mid>:<n>`), a quick reply, an unsend.
fn message_events(
    product: Product,
    mid: &str,
    m: &Value,
    base: &dyn Fn(String, Content, Option<Context>) -> Message,
) -> Vec<Inbound> {
    let context = m.get("reply_to").map(|r| Context {
        from: None,
        id: str_of(r, "mid"),
        forwarded: false,
        frequently_forwarded: false,
        referred_product: None,
    });
    if m.get("is_deleted").and_then(Value::as_bool) == Some(true) {
        let content = Content::Revoke {
            original_message_id: Some(mid.to_string()),
        };
        return vec![Inbound::Message(base(
            format!("{mid}:deleted"),
            content,
            None,
        ))];
    }
    if m.get("is_unsupported").and_then(Value::as_bool) == Some(true) {
        let content = Content::Unsupported {
            kind: "unsupported".into(),
        };
        return vec![Inbound::Message(base(mid.to_string(), content, context))];
    }
    let text = str_of(m, "text").filter(|t| !t.is_empty());
    let mut out = Vec::new();
    if let Some(q) = m.get("quick_reply") {
        let content = Content::InteractiveReply {
            kind: "quick_reply".into(),
            id: str_of(q, "payload"),
            title: text.clone(),
            description: None,
            response_json: None,
        };
        return vec![Inbound::Message(base(mid.to_string(), content, context))];
    }
    if let Some(t) = &text {
        out.push(Inbound::Message(base(
            mid.to_string(),
            Content::Text { body: t.clone() },
            context.clone(),
        )));
    }
    let attachments = m.get("attachments").and_then(Value::as_array);
    for (n, a) in attachments.into_iter().flatten().enumerate() {
        let id = if out.is_empty() {
            mid.to_string()
        } else {
            format!("{mid}:{n}")
        };
        out.push(Inbound::Message(base(
            id,
            attachment(product, a),
            context.clone(),
        )));
    }
    if out.is_empty() {
        out.push(Inbound::Message(base(
            mid.to_string(),
            Content::Unsupported {
                kind: "empty".into(),
            },
            context,
        )));
    }
    out
}

/// One attachment. Files are fetched from their CDN URL (which expires):
/// the URL is the media's id. A story mention keeps its URL only (Meta's
/// policy); shares, reels, posts and fallbacks are links.
fn attachment(product: Product, a: &Value) -> Content {
    let kind = str_of(a, "type").unwrap_or_default();
    let p = a.get("payload").cloned().unwrap_or(Value::Null);
    let url = str_of(&p, "url").filter(|u| crate::web_link(u).is_some());
    let media = |kind: MediaKind| Content::Media {
        kind,
        id: url.clone(),
        url: url.clone(),
        mime_type: None,
        sha256: None,
        caption: None,
        filename: str_of(&p, "title").filter(|_| kind == MediaKind::Document),
        voice: false,
        animated: false,
    };
    match kind.as_str() {
        "image" if p.get("sticker_id").is_some() => media(MediaKind::Sticker),
        "image" => media(MediaKind::Image),
        "video" => media(MediaKind::Video),
        "audio" => media(MediaKind::Audio),
        "file" => media(MediaKind::Document),
        "sticker" => media(MediaKind::Sticker),
        "story_mention" if product == Product::Instagram => Content::StoryMention { url },
        "share" | "ig_reel" | "reel" | "ig_post" | "post" | "fallback" | "template" => {
            let title = str_of(&p, "title").or_else(|| str_of(a, "title"));
            let body = [title, url.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            if body.is_empty() {
                Content::Unsupported { kind }
            } else {
                Content::Text { body }
            }
        }
        _ => Content::Unsupported {
            kind: if kind.is_empty() {
                "attachment".into()
            } else {
                kind
            },
        },
    }
}
