//! Turning an agent's send request into the message to store: `/interna`,
//! variables (CH-10), the session window (CH-5) and templates (CH-6).

use atende_domain::{ContentKind, SessionWindow};
use atende_store::chats::{Contact, Conversation};
use atende_store::directory::Inbox;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Largest text accepted in one message (WhatsApp's own limit is 4096).
pub const MAX_TEXT: usize = 4096;

/// A template to send (the only thing allowed outside the 24 h window).
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct TemplateSend {
    pub name: String,
    /// e.g. `pt_BR`; default: the first synced language of that name.
    pub language: Option<String>,
    /// Values of `{{1}}`, `{{2}}`… in the body, in order. `{nome}` and
    /// custom-field variables inside them are filled too.
    #[serde(default)]
    pub variables: Vec<String>,
    /// Full Cloud API components (header media, buttons…), sent as given.
    #[schema(value_type = Option<Vec<Object>>)]
    pub components: Option<Vec<Value>>,
}

/// What will be stored and, unless internal, sent.
pub struct Composed {
    pub internal: bool,
    pub kind: ContentKind,
    pub text: String,
    pub payload: Value,
}

/// Replaces `{nome}`, system fields and custom-field keys (CH-10).
pub fn fill_variables(text: &str, contact: &Contact, conv: &Conversation) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let mut out = text.replace("{nome}", &contact.name);
    let system = [
        ("{telefone}", contact.phone.clone()),
        ("{email}", contact.email.clone()),
        ("{cpf}", contact.document.clone()),
        ("{protocolo}", conv.protocol.clone()),
    ];
    for (k, v) in system {
        if let Some(v) = v {
            out = out.replace(k, &v);
        }
    }
    if let Some(custom) = contact.custom.0.as_object() {
        for (k, v) in custom {
            let value = match v {
                Value::String(s) => s.clone(),
                Value::Null => continue,
                other => other.to_string(),
            };
            out = out.replace(&format!("{{{k}}}"), &value);
        }
    }
    out
}

/// The CH-5 refusal of free-form sends outside the window.
pub fn check_window(conv: &Conversation) -> ApiResult<()> {
    let last = conv
        .last_inbound_at
        .and_then(chrono::DateTime::from_timestamp_millis);
    let (w, _) = atende_domain::session_window(last, chrono::Utc::now());
    if w == SessionWindow::Expired {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "session_expired",
            "A sessão de 24 horas com este contato expirou: só é possível enviar mensagens template até que o contato responda.",
        ));
    }
    Ok(())
}

/// A free-form text (or internal note).
pub fn text(
    raw: &str,
    internal_flag: bool,
    contact: &Contact,
    conv: &Conversation,
) -> ApiResult<Composed> {
    let (internal, text) = match raw.trim_start().strip_prefix("/interna") {
        Some(rest) => (true, rest.trim().to_string()),
        None => (internal_flag, raw.trim().to_string()),
    };
    if text.is_empty() {
        return Err(ApiError::invalid("A mensagem está vazia."));
    }
    let text = if internal {
        text
    } else {
        fill_variables(&text, contact, conv)
    };
    if text.chars().count() > MAX_TEXT {
        return Err(ApiError::invalid(format!(
            "A mensagem passa de {MAX_TEXT} caracteres."
        )));
    }
    if !internal {
        check_window(conv)?;
    }
    Ok(Composed {
        internal,
        kind: ContentKind::Text,
        text,
        payload: json!({}),
    })
}

/// A template message, checked against the synced templates.
pub async fn template(
    st: &AppState,
    inbox: &Inbox,
    t: &TemplateSend,
    contact: &Contact,
    conv: &Conversation,
) -> ApiResult<Composed> {
    if inbox.channel != "whatsapp" {
        return Err(ApiError::invalid(
            "Mensagens template existem só no WhatsApp.",
        ));
    }
    let Some(found) = st
        .store
        .template(inbox.org_id, inbox.id, t.name.trim(), t.language.as_deref())
        .await?
    else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "template_not_found",
            "Mensagem template não encontrada: sincronize os templates da caixa de entrada.",
        ));
    };
    if found.status != "APPROVED" {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "template_not_approved",
            format!(
                "O template {} não está aprovado ({}).",
                found.name, found.status
            ),
        ));
    }
    let vars: Vec<String> = t
        .variables
        .iter()
        .map(|v| fill_variables(v, contact, conv))
        .collect();
    let components = match &t.components {
        Some(c) => c.clone(),
        None if vars.is_empty() => vec![],
        None => vec![
            json!({"type": "body", "parameters": vars.iter().map(|v| json!({"type": "text", "text": v})).collect::<Vec<_>>()}),
        ],
    };
    let text =
        crate::whatsapp::templates::preview(&found.components.0, &vars, &serde_json::Map::new());
    Ok(Composed {
        internal: false,
        kind: ContentKind::Template,
        text,
        payload: json!({"template": {"name": found.name, "language": found.language, "category": found.category, "components": components}}),
    })
}

/// Media to send by link or by an id returned by an upload.
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct MediaSend {
    /// image | video | audio | document | sticker
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
    pub message_id: String,
    pub emoji: String,
}

pub fn media(m: &MediaSend, conv: &Conversation) -> ApiResult<Composed> {
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
    check_window(conv)?;
    let caption = m.caption.clone().unwrap_or_default();
    Ok(Composed {
        internal: false,
        kind,
        text: caption,
        payload: json!({"media": media}),
    })
}

/// Checks an uploaded file's type and size against the kind it is sent as,
/// with WhatsApp's limits (channels.md §1.6), so a refusal is explained
/// before anything is queued.
pub fn check_media_type(kind: &str, mime: &str, size: i64) -> ApiResult<()> {
    const MB: i64 = 1024 * 1024;
    let base = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
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
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "media_not_accepted",
            format!("O WhatsApp não aceita este arquivo como {kind} ({base}). {label}."),
        ));
    }
    Ok(())
}

pub fn location(l: &LocationSend, conv: &Conversation) -> ApiResult<Composed> {
    if !(-90.0..=90.0).contains(&l.latitude) || !(-180.0..=180.0).contains(&l.longitude) {
        return Err(ApiError::invalid("Coordenadas inválidas."));
    }
    check_window(conv)?;
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
    })
}

pub fn contacts(cards: &[ContactCard], conv: &Conversation) -> ApiResult<Composed> {
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
    check_window(conv)?;
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
    check_window(conv)?;
    Ok(Composed {
        internal: false,
        kind: ContentKind::Reaction,
        text: r.emoji.clone(),
        payload: json!({"message_id": wamid, "target": target.id}),
    })
}
