//! A visitor's conversation: its history, sending (the `client_message_id`
//! is the idempotency key: a repeat answers the stored message), and files.
//! A visitor's message goes through the intake like any channel's
//! delivery, so everything a customer's message does, it does.

use std::collections::HashMap;

use atende_channels::inbound::{Content, Delivery, Inbound, MediaKind, Message, Sender, Watermark};
use atende_domain::{ConversationId, MessageId};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::visitor::Visitor;
use super::wire::{Parts, Shower, WidgetMessage};
use crate::error::{ApiError, ApiResult, Code};
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::inbound::Routed;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Messages before this one (the oldest shown).
    #[param(value_type = Option<String>, format = Uuid)]
    pub before: Option<MessageId>,
    /// 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// A page of the conversation, oldest first.
#[derive(Serialize, ToSchema)]
pub struct History {
    pub messages: Vec<WidgetMessage>,
    /// Whether older messages exist (ask with `before`).
    pub has_more: bool,
}

#[utoipa::path(get, path = "/widget/v1/conversations/{conversation_id}/messages", tag = "widget",
    params(("conversation_id" = String, Path, format = Uuid), HistoryQuery), security(("visitor" = [])),
    responses((status = 200, body = History), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub(super) async fn history(
    State(st): State<AppState>,
    visitor: Visitor,
    AppPath(conv): AppPath<ConversationId>,
    AppQuery(q): AppQuery<HistoryQuery>,
) -> ApiResult<AppJson<History>> {
    visitor.owns(conv)?;
    visitor.limit("history", 120, 600)?;
    let org = visitor.session.org;
    let limit = q.limit.unwrap_or(50).clamp(1, 100);
    let mut rows = st.store.messages(org, conv, q.before, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    if has_more {
        rows.remove(0);
    }
    let media: HashMap<MessageId, _> = st
        .store
        .media_for_messages(org, conv)
        .await?
        .into_iter()
        .map(|m| (m.message_id, m))
        .collect();
    let mut shower = Shower::new(&st, org);
    let mut messages = Vec::with_capacity(rows.len());
    for m in &rows {
        if let Some(p) = Parts::of_message(m)
            && let Some(w) = shower.show(&p, media.get(&m.id)).await
        {
            messages.push(w);
        }
    }
    // The visitor's messages an agent has read show as read: all but the
    // chat's unread ones (the newest).
    let unread = st.store.conversation(org, conv).await?.unread.max(0) as usize;
    for m in messages
        .iter_mut()
        .rev()
        .filter(|m| m.sender == "contact" && m.status == "delivered")
        .skip(unread)
    {
        m.status = "read".into();
    }
    // What the visitor just received is delivered.
    let received: Vec<MessageId> = messages
        .iter()
        .filter(|m| m.sender != "contact" && matches!(m.status.as_str(), "queued" | "sent"))
        .map(|m| m.id)
        .collect();
    delivered(&st, org, &received).await?;
    Ok(AppJson(History { messages, has_more }))
}

/// A message a visitor sends.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVisitorMessage {
    /// The visitor's own id of the message (a UUID): sending it again
    /// answers the message already stored.
    #[schema(min_length = 1, max_length = 64, pattern = "^[A-Za-z0-9_-]+$")]
    pub client_message_id: String,
    #[schema(max_length = 4096)]
    pub text: Option<String>,
    /// The id of the menu option chosen (the message's `buttons`).
    #[schema(max_length = 256)]
    pub reply_id: Option<String>,
    /// At most one file, uploaded before.
    #[schema(max_items = 1)]
    pub attachments: Option<Vec<AttachmentRef>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    pub upload_id: String,
}

#[utoipa::path(post, path = "/widget/v1/conversations/{conversation_id}/messages", tag = "widget",
    params(("conversation_id" = String, Path, format = Uuid)), request_body = NewVisitorMessage, security(("visitor" = [])),
    responses((status = 201, body = WidgetMessage), (status = 200, description = "The message with this client_message_id, already stored.", body = WidgetMessage),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 403, description = "A site not allowed, or a contact who may not write here.", body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody)))]
pub(super) async fn post(
    State(st): State<AppState>,
    visitor: Visitor,
    AppPath(conv): AppPath<ConversationId>,
    AppJson(req): AppJson<NewVisitorMessage>,
) -> ApiResult<(StatusCode, AppJson<WidgetMessage>)> {
    visitor.owns(conv)?;
    let cmid = req.client_message_id.trim();
    if cmid.is_empty()
        || cmid.len() > 64
        || !cmid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ApiError::invalid(
            "client_message_id deve ter de 1 a 64 letras, números, - ou _.",
        ));
    }
    let text = req.text.as_deref().map(str::trim).unwrap_or_default();
    if text.chars().count() > 4096 {
        return Err(ApiError::invalid("A mensagem passa de 4.096 caracteres."));
    }
    let attachments = req.attachments.unwrap_or_default();
    if attachments.len() > 1 {
        return Err(ApiError::invalid("Envie um arquivo por mensagem."));
    }
    let provider_id = super::provider_id(visitor.session.contact, cmid);
    let org = visitor.session.org;
    if let Some(stored) = stored(&st, &visitor, &provider_id).await? {
        return Ok((StatusCode::OK, AppJson(stored)));
    }
    visitor.limit("send", 30, 120)?;
    let content = match (attachments.first(), req.reply_id.as_deref()) {
        (Some(a), _) => {
            let upload = st
                .store
                .upload(org, visitor.route.id, &a.upload_id)
                .await?
                .filter(|_| super::upload_of(&a.upload_id) == Some(conv))
                .ok_or_else(|| ApiError::invalid("Arquivo não encontrado: envie-o de novo."))?;
            Content::Media {
                kind: kind_of(&upload.mime_type),
                id: Some(upload.provider_media_id),
                url: None,
                mime_type: Some(upload.mime_type),
                sha256: Some(upload.sha256),
                caption: Some(text.to_string()).filter(|t| !t.is_empty()),
                filename: upload.filename,
                voice: false,
                animated: false,
            }
        }
        (None, Some(reply)) if !text.is_empty() && reply.len() <= 256 => {
            Content::InteractiveReply {
                kind: "button_reply".into(),
                id: Some(reply.to_string()),
                title: Some(text.to_string()),
                description: None,
                response_json: None,
            }
        }
        (None, Some(_)) => {
            return Err(ApiError::invalid(
                "Uma resposta de menu leva o título da opção em text (até 256 caracteres no reply_id).",
            ));
        }
        (None, None) if text.is_empty() => {
            return Err(ApiError::invalid(
                "Escreva uma mensagem ou anexe um arquivo.",
            ));
        }
        (None, None) => Content::Text {
            body: text.to_string(),
        },
    };
    let key = key_of(&st, &visitor).await?;
    let message = Message {
        address: visitor.route.external_id.clone().unwrap_or_default(),
        own_number: None,
        id: provider_id.clone(),
        sender: Sender {
            key: Some(key.clone()),
            phone: None,
            alias: None,
            name: None,
            username: None,
        },
        timestamp: atende_store::now_ms() / 1000,
        content,
        context: None,
        referral: None,
        errors: vec![],
        raw: json!({"client_message_id": cmid, "text": req.text, "reply_id": req.reply_id,
            "attachments": attachments.iter().map(|a| json!({"upload_id": a.upload_id})).collect::<Vec<_>>()}),
    };
    let routed = Routed {
        route: visitor.route.clone(),
        event: Inbound::Message(message),
    };
    st.intake
        .submit(crate::intake::lane_key(org, Some(&key)), vec![routed])
        .await
        .map_err(ApiError::internal)?;
    match stored(&st, &visitor, &provider_id).await? {
        Some(m) => Ok((StatusCode::CREATED, AppJson(m))),
        // Not taken in: the contact is blocked (CT-4).
        None => Err(ApiError::new(
            Code::Forbidden,
            "Não é possível enviar mensagens nesta conversa.",
        )),
    }
}

/// The visitor's message with this provider id, as they see it.
async fn stored(
    st: &AppState,
    visitor: &Visitor,
    provider_id: &str,
) -> ApiResult<Option<WidgetMessage>> {
    let org = visitor.session.org;
    let mut tx = st.store.begin().await?;
    let found = tx
        .message_by_provider_id(visitor.route.id, provider_id)
        .await?;
    drop(tx);
    let Some(m) = found.filter(|m| m.conversation_id == visitor.session.conversation) else {
        return Ok(None);
    };
    let media = st.store.media_of_message(org, m.id).await?;
    let Some(p) = Parts::of_message(&m) else {
        return Ok(None);
    };
    Ok(Shower::new(st, org).show(&p, media.as_ref()).await)
}

/// Our messages the visitor was just shown are delivered (even one whose
/// send job has not run yet: it is on their screen).
pub(super) async fn delivered(
    st: &AppState,
    org: atende_domain::OrgId,
    ids: &[MessageId],
) -> ApiResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut tx = st.store.begin().await?;
    for id in ids {
        tx.update_receipt(
            org,
            *id,
            atende_domain::ReceiptStatus::Delivered,
            None,
            None,
        )
        .await?;
    }
    st.commit(tx).await?;
    Ok(())
}

/// Moves the visitor's receipts of our messages up to `up_to` (epoch ms)
/// forward, through the intake like a channel's watermark.
pub(super) async fn receipt(
    st: &AppState,
    visitor: &Visitor,
    state: Delivery,
    up_to: i64,
) -> ApiResult<()> {
    let key = key_of(st, visitor).await?;
    let event = Inbound::Watermark(Watermark {
        address: visitor.route.external_id.clone().unwrap_or_default(),
        recipient: key.clone(),
        state,
        up_to,
    });
    let routed = Routed {
        route: visitor.route.clone(),
        event,
    };
    st.intake
        .submit(
            crate::intake::lane_key(visitor.session.org, Some(&key)),
            vec![routed],
        )
        .await
        .map_err(ApiError::internal)
}

fn kind_of(mime: &str) -> MediaKind {
    match mime.split('/').next().unwrap_or_default() {
        "image" => MediaKind::Image,
        "audio" => MediaKind::Audio,
        "video" => MediaKind::Video,
        _ => MediaKind::Document,
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name, as the visitor's device has it.
    #[param(max_length = 200)]
    pub filename: Option<String>,
}

/// A file a visitor uploaded, to send in a message.
#[derive(Serialize, ToSchema)]
pub struct VisitorUpload {
    pub upload_id: String,
    pub name: Option<String>,
    pub mime: String,
    pub size: usize,
}

#[utoipa::path(post, path = "/widget/v1/conversations/{conversation_id}/uploads", tag = "widget",
    params(("conversation_id" = String, Path, format = Uuid), UploadQuery), security(("visitor" = [])),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes, with its type in Content-Type."),
    responses((status = 201, body = VisitorUpload), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody)))]
pub(super) async fn upload(
    State(st): State<AppState>,
    visitor: Visitor,
    AppPath(conv): AppPath<ConversationId>,
    AppQuery(q): AppQuery<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, AppJson<VisitorUpload>)> {
    visitor.owns(conv)?;
    visitor.limit("upload", 10, 30)?;
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(crate::security::mime_base)
        .unwrap_or_default();
    if body.is_empty() {
        return Err(ApiError::invalid("O arquivo está vazio."));
    }
    super::accepts(&mime, body.len() as i64)
        .map_err(|why| ApiError::new(Code::MediaNotAccepted, why))?;
    let name = q
        .filename
        .map(|n| n.trim().chars().take(200).collect::<String>())
        .filter(|n| !n.is_empty());
    let id = super::new_upload(Some(conv));
    crate::media::keep_upload(
        &st,
        visitor.session.org,
        visitor.route.id,
        &id,
        &mime,
        name.as_deref(),
        &body,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        AppJson(VisitorUpload {
            upload_id: id,
            name,
            mime,
            size: body.len(),
        }),
    ))
}

/// The key a visitor's contact is known by on the inbox (`v:…` for an
/// anonymous visitor, `u:…` for a site's verified user).
pub(super) async fn key_of(st: &AppState, v: &Visitor) -> ApiResult<String> {
    st.store
        .contact_external_ids(v.session.org, v.route.id, v.session.contact)
        .await?
        .into_iter()
        .next()
        .ok_or_else(super::visitor::bad_session)
}
