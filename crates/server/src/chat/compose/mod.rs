//! Turning a send request into the message to store: `/interna`,
//! variables (CH-10), the session window (CH-5) and templates (CH-6). A
//! request is parsed into one [`Outgoing`] content first (`outgoing.rs`).

mod outgoing;
pub mod template_request;
mod template_send;

use atende_domain::ContentKind;
use atende_store::chats::{Contact, Conversation};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

pub use super::send::{Composed, UploadRef, fill_variables};
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;
pub use outgoing::{Outgoing, Request, compose};
pub use template_request::{HeaderMedia, TemplateSend};
pub use template_send::template;

/// Largest text accepted in one message (WhatsApp's own limit is 4096).
pub const MAX_TEXT: usize = 4096;

/// Splits the `/interna` prefix (LC-8) off a text typed in the composer:
/// whether it was there, and the rest.
pub fn strip_internal(raw: &str) -> (bool, &str) {
    let t = raw.trim_start();
    match t.strip_prefix("/interna") {
        Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => {
            (true, rest.trim())
        }
        _ => (false, raw.trim()),
    }
}

/// A free-form text (or internal note). Variables are filled when it is
/// sent (`chat::send`).
pub fn text(text: &str, internal: bool) -> ApiResult<Composed> {
    if text.is_empty() {
        return Err(ApiError::invalid("A mensagem está vazia."));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(ApiError::invalid(format!(
            "A mensagem passa de {MAX_TEXT} caracteres."
        )));
    }
    Ok(Composed {
        internal,
        kind: ContentKind::Text,
        text: text.to_string(),
        payload: json!({}),
        upload: None,
    })
}

/// CH-8: a text naming an image-type custom field of the contact
/// (`{foto}`) sends that image, with the rest of the text as its caption.
/// Only a field holding a web link can be sent; the first such field wins.
pub async fn image_variable(
    st: &AppState,
    contact: &Contact,
    text: &str,
) -> ApiResult<Option<MediaSend>> {
    if !text.contains('{') {
        return Ok(None);
    }
    let fields = st.store.custom_fields(contact.org_id).await?;
    for f in fields
        .iter()
        .filter(|f| f.field_type == "image" && f.target == "contact")
    {
        let placeholder = format!("{{{}}}", f.key);
        if !text.contains(&placeholder) {
            continue;
        }
        let Some(link) = contact
            .custom
            .0
            .get(&f.key)
            .and_then(serde_json::Value::as_str)
            .and_then(atende_channels::web_link)
        else {
            continue;
        };
        let caption = text.replacen(&placeholder, "", 1).trim().to_string();
        return Ok(Some(MediaSend {
            kind: "image".into(),
            link: Some(link.to_string()),
            id: None,
            caption: (!caption.is_empty()).then_some(caption),
            filename: None,
        }));
    }
    Ok(None)
}

/// Media to send by link or by an id returned by an upload.
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct MediaSend {
    /// image | video | audio | document | sticker
    #[schema(schema_with = crate::wire_schema::media_kind)]
    pub kind: String,
    pub link: Option<String>,
    pub id: Option<String>,
    pub caption: Option<String>,
    /// Documents only.
    pub filename: Option<String>,
}

/// A point on the map.
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct LocationSend {
    pub latitude: f64,
    pub longitude: f64,
    pub name: Option<String>,
    pub address: Option<String>,
}

/// A contact card (CH-9): another person's name, e-mail and/or phone.
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct ContactCard {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A reaction to one of the conversation's messages (empty emoji removes it).
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct ReactionSend {
    /// Our id of the message reacted to.
    #[schema(format = Uuid)]
    pub message_id: String,
    pub emoji: String,
}

pub fn media(m: &MediaSend) -> ApiResult<Composed> {
    let kind = match m.kind.as_str() {
        "image" => ContentKind::Image,
        "video" => ContentKind::Video,
        "audio" => ContentKind::Audio,
        "document" => ContentKind::Document,
        "sticker" => ContentKind::Sticker,
        other => {
            return Err(ApiError::invalid(format!(
                "Tipo de mídia inválido: {other:?}."
            )));
        }
    };
    let link = m.link.as_deref().map(str::trim).filter(|l| !l.is_empty());
    if let Some(l) = link
        && !(l.starts_with("https://") || l.starts_with("http://"))
    {
        return Err(ApiError::invalid(
            "O link da mídia deve começar com http:// ou https://.",
        ));
    }
    let media = match (link, m.id.as_deref()) {
        (Some(l), None) => json!({"link": l, "filename": m.filename}),
        (None, Some(id)) => json!({"id": id, "filename": m.filename}),
        _ => {
            return Err(ApiError::invalid(
                "Informe media.link ou media.id (um dos dois).",
            ));
        }
    };
    let caption = m.caption.clone().unwrap_or_default();
    Ok(Composed {
        internal: false,
        kind,
        text: caption,
        payload: json!({"media": media}),
        upload: m.id.clone().map(|id| UploadRef {
            kind: m.kind.clone(),
            id,
        }),
    })
}

/// The upload a message sends, when it was uploaded through this inbox,
/// checked against the kind it is sent as.
pub async fn find_upload(
    st: &AppState,
    conv: &Conversation,
    r: Option<&UploadRef>,
) -> ApiResult<Option<atende_store::ingest::Upload>> {
    let Some(r) = r else { return Ok(None) };
    let found = st.store.upload(conv.org_id, conv.inbox_id, &r.id).await?;
    if let Some(u) = &found {
        // The channel's limits, so a refusal is explained before anything
        // is queued.
        let inbox = st.store.inbox(conv.org_id, conv.inbox_id).await?;
        if let Some(channel) = st.channels.get(inbox.kind()) {
            channel
                .accepts_media(&r.kind, &u.mime_type, u.size)
                .map_err(|why| ApiError::new(Code::MediaNotAccepted, why))?;
        }
    }
    Ok(found)
}

pub fn location(l: &LocationSend) -> ApiResult<Composed> {
    if !(-90.0..=90.0).contains(&l.latitude) || !(-180.0..=180.0).contains(&l.longitude) {
        return Err(ApiError::invalid("Coordenadas inválidas."));
    }
    let text = [l.name.as_deref(), l.address.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" — ");
    Ok(Composed {
        internal: false,
        kind: ContentKind::Location,
        text,
        payload: json!({"location": {"latitude": l.latitude, "longitude": l.longitude, "name": l.name, "address": l.address}}),
        upload: None,
    })
}

pub fn contacts(cards: &[ContactCard]) -> ApiResult<Composed> {
    if cards.is_empty() {
        return Err(ApiError::invalid("Informe ao menos um contato."));
    }
    let mut out = Vec::new();
    for c in cards {
        let name = c.name.trim();
        if name.is_empty() || (c.phone.is_none() && c.email.is_none()) {
            return Err(ApiError::invalid(
                "Cada contato precisa de nome e de telefone ou e-mail.",
            ));
        }
        let mut card = json!({"name": {"formatted_name": name, "first_name": name.split_whitespace().next().unwrap_or(name)}});
        if let Some(p) = &c.phone {
            let phone = atende_domain::PhoneE164::parse_br(p)
                .or_else(|_| atende_domain::PhoneE164::parse_international(p))?;
            card["phones"] =
                json!([{"phone": phone.as_str(), "type": "CELL", "wa_id": phone.digits()}]);
        }
        if let Some(e) = &c.email {
            let email = atende_domain::Email::parse(e)?;
            card["emails"] = json!([{"email": email.as_str(), "type": "WORK"}]);
        }
        out.push(card);
    }
    let text = cards
        .iter()
        .map(|c| c.name.trim().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Composed {
        internal: false,
        kind: ContentKind::Contacts,
        text,
        payload: json!({"contacts": out}),
        upload: None,
    })
}

pub async fn reaction(st: &AppState, r: &ReactionSend, conv: &Conversation) -> ApiResult<Composed> {
    let id: atende_domain::MessageId = r
        .message_id
        .parse()
        .map_err(|_| ApiError::invalid("message_id inválido."))?;
    let target = st
        .store
        .message(conv.org_id, id)
        .await
        .map_err(|_| ApiError::invalid("Mensagem não encontrada."))?;
    let Some(wamid) = target
        .provider_id
        .filter(|_| target.conversation_id == conv.id)
    else {
        return Err(ApiError::invalid(
            "Só é possível reagir a mensagens entregues pelo canal nesta conversa.",
        ));
    };
    Ok(Composed {
        internal: false,
        kind: ContentKind::Reaction,
        text: r.emoji.clone(),
        payload: json!({"message_id": wamid, "target": target.id}),
        upload: None,
    })
}
