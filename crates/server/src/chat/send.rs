//! The one place an outbound message is written (DESIGN §2a): an agent's
//! reply, a new chat, an out-of-hours active message, a closing message, a
//! flow's step and an absence reply all come through [`queue`], which alone
//! enforces the rules every send must keep — internal notes never leave
//! (LC-8), nothing reaches a blocked contact (CT-4), only templates leave
//! outside the session window (CH-5), variables are filled (CH-10), an
//! agent's reply takes the chat (LC-9) — then stores the message
//! idempotently and enqueues its delivery in the same transaction.

use atende_domain::{
    AssignmentAction, AuthorKind, ChannelKind, ContentKind, Direction, ReceiptStatus,
    SessionWindow, UserId,
};
use atende_store::chats::{Contact, Conversation, Message, NewMessage};
use atende_store::events::{ChatEvent, MediaUpdated};
use atende_store::ingest::{Media, Upload};
use atende_store::{StoreError, Tx};
use serde_json::Value;

/// CT-4's text, shown where the composer would be.
pub const CONTACT_BLOCKED: &str = "Contato bloqueado, não é possível enviar ou receber mensagem";

/// CH-5's refusal of a free-form send outside the window.
pub const SESSION_EXPIRED: &str = "A sessão de 24 horas com este contato expirou: só é possível enviar mensagens template até que o contato responda.";

/// An uploaded file a message sends, as which kind.
#[derive(Clone)]
pub struct UploadRef {
    pub kind: String,
    pub id: String,
}

/// What to store and, unless internal, deliver.
pub struct Composed {
    pub internal: bool,
    pub kind: ContentKind,
    pub text: String,
    pub payload: Value,
    /// The uploaded file it sends, kept with the message.
    pub upload: Option<UploadRef>,
}

/// Who sends.
#[derive(Clone, Copy)]
pub enum Author<'a> {
    /// A person. `replies` is an agent answering in the chat, which takes
    /// it (LC-9); a closing message or an active message does not.
    Agent {
        id: UserId,
        name: &'a str,
        replies: bool,
    },
    /// A bot flow or an automatic message (absence).
    Bot,
    /// The system (an automatic closing's message).
    System,
}

impl Author<'_> {
    fn kind(&self) -> AuthorKind {
        match self {
            Author::Agent { .. } => AuthorKind::Agent,
            Author::Bot => AuthorKind::Bot,
            Author::System => AuthorKind::System,
        }
    }

    fn id(&self) -> Option<UserId> {
        match self {
            Author::Agent { id, .. } => Some(*id),
            _ => None,
        }
    }
}

/// Why a message may not go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// CT-4.
    ContactBlocked,
    /// CH-5: outside the 24 h window only templates leave.
    SessionExpired,
    /// An internal note may hold text, a file, a place or a contact card;
    /// a template, menu or reaction is only ever meant for the contact.
    NotForInternalNote,
}

impl Refusal {
    /// What the agent reads (its API code is in `crate::error::Code`).
    pub fn message(self) -> &'static str {
        match self {
            Refusal::ContactBlocked => CONTACT_BLOCKED,
            Refusal::SessionExpired => SESSION_EXPIRED,
            Refusal::NotForInternalNote => {
                "Uma mensagem interna pode ter texto, arquivo, localização ou contato; templates, menus e reações só existem para o contato."
            }
        }
    }
}

/// What [`queue`] could not do.
#[derive(Debug)]
pub enum SendError {
    Refused(Refusal),
    Store(StoreError),
}

impl From<StoreError> for SendError {
    fn from(e: StoreError) -> Self {
        SendError::Store(e)
    }
}

/// What [`queue`] did.
pub enum Queued {
    /// Stored (and, unless internal, enqueued for delivery).
    Sent(Box<Sent>),
    /// A message with the same idempotency key already exists.
    Duplicate,
}

/// A message stored by [`queue`], with the file it keeps.
pub struct Sent {
    pub message: Message,
    pub media: Option<Media>,
}

/// A send: the conversation as read in `tx` (locked), its contact, who
/// sends and what.
pub struct Send<'a> {
    pub conversation: &'a Conversation,
    pub contact: &'a Contact,
    pub author: Author<'a>,
    pub content: Composed,
    /// The caller's `Idempotency-Key`: a retry finds the first message.
    pub idempotency_key: Option<String>,
    /// The upload the content names, found beforehand, kept with the message.
    pub upload: Option<Upload>,
}

/// Applies the send rules, stores the message and enqueues its delivery.
/// Returns the conversation as it is after the send (an agent's reply may
/// have assigned it) with the outcome.
#[tracing::instrument(name = "chat.send", skip_all, fields(org = %s.conversation.org_id, conversation = %s.conversation.id, contact = %s.contact.id, agent = ?s.author.id()))]
pub async fn queue(tx: &mut Tx, s: Send<'_>) -> Result<(Conversation, Queued), SendError> {
    let Send {
        conversation,
        contact,
        author,
        mut content,
        idempotency_key,
        upload,
    } = s;
    let mut conv = conversation.clone();
    if content.internal {
        if matches!(
            content.kind,
            ContentKind::Template | ContentKind::Interactive | ContentKind::Reaction
        ) {
            return Err(SendError::Refused(Refusal::NotForInternalNote));
        }
    } else {
        if contact.blocked {
            return Err(SendError::Refused(Refusal::ContactBlocked));
        }
        if content.kind != ContentKind::Template
            && window_closed(&conv)
            && !past_window_allowed(
                tx.inbox_channel(conv.org_id, conv.inbox_id).await?,
                &author,
                &conv,
            )
        {
            return Err(SendError::Refused(Refusal::SessionExpired));
        }
        content.text = fill_variables(&content.text, contact, &conv);
        if let Author::Agent {
            id,
            name,
            replies: true,
        } = author
        {
            let before = conv.agent_id;
            let (c, _) = tx
                .assign(&conv, AssignmentAction::AgentReplied(id), Some(id), None)
                .await?;
            conv = c;
            if before.is_none() && conv.agent_id == Some(id) {
                let line = format!("{name} assumiu o atendimento.");
                tx.insert_message(NewMessage::system(&conv, line)).await?;
            }
            tx.note_agent_reply(&conv).await?;
        }
    }
    let internal = content.internal;
    let inserted = tx
        .insert_message_keyed(
            NewMessage {
                org_id: conv.org_id,
                conversation_id: conv.id,
                inbox_id: conv.inbox_id,
                direction: Direction::Out,
                author_kind: author.kind(),
                author_id: author.id(),
                internal,
                kind: content.kind,
                text: Some(content.text),
                payload: content.payload,
                status: if internal {
                    ReceiptStatus::Read
                } else {
                    ReceiptStatus::Queued
                },
                provider_id: None,
                provider_at: None,
            },
            idempotency_key,
        )
        .await?;
    let Some(message) = inserted else {
        return Ok((conv, Queued::Duplicate));
    };
    let media = match upload {
        Some(u) => Some(keep_upload(tx, &conv, &message, u).await?),
        None => None,
    };
    if !internal {
        tx.enqueue(crate::jobs::send_job(conv.org_id, message.id))
            .await?;
    }
    Ok((conv, Queued::Sent(Box::new(Sent { message, media }))))
}

/// Whether a free-form send may still go after the 24 h window closed: on a
/// channel without one (Telegram, the widget), or a person's reply on a
/// channel that allows those longer (Meta's `HUMAN_AGENT`, 7 days); never
/// a bot's.
fn past_window_allowed(
    channel: Option<ChannelKind>,
    author: &Author<'_>,
    conv: &Conversation,
) -> bool {
    let Some(kind) = channel else {
        return false;
    };
    if !kind.has_session_window() {
        return true;
    }
    let person = matches!(author, Author::Agent { .. });
    let last = conv
        .last_inbound_at
        .and_then(chrono::DateTime::from_timestamp_millis);
    person
        && kind.human_reply_hours().is_some_and(|h| {
            atende_domain::window_of(last, atende_store::now(), h).0 != SessionWindow::Expired
        })
}

/// Whether the CH-5 window is closed: free-form sends no longer leave (on a
/// channel that has one).
pub fn window_closed(conv: &Conversation) -> bool {
    let last = conv
        .last_inbound_at
        .and_then(chrono::DateTime::from_timestamp_millis);
    let (w, _) = atende_domain::session_window(last, atende_store::now());
    w == SessionWindow::Expired
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

/// Links a kept upload to the message that sends it (and emits
/// `media.updated`, so other viewers of the chat read the file).
async fn keep_upload(
    tx: &mut Tx,
    conv: &Conversation,
    msg: &Message,
    u: Upload,
) -> Result<Media, StoreError> {
    let media = Media {
        id: uuid::Uuid::now_v7(),
        org_id: msg.org_id,
        message_id: msg.id,
        inbox_id: u.inbox_id,
        provider_media_id: Some(u.provider_media_id),
        mime_type: Some(u.mime_type),
        filename: u.filename,
        size: Some(u.size),
        sha256: Some(u.sha256),
        path: Some(u.path),
        status: "stored".into(),
        error: None,
        created_at: atende_store::now_ms(),
    };
    tx.insert_media(&media).await?;
    // The message's event was built before its file was linked: tell the
    // other viewers of the chat that it has one now.
    tx.emit(atende_store::NewEvent::chat(
        msg.org_id,
        conv.scope(),
        ChatEvent::MediaUpdated(MediaUpdated {
            message_id: msg.id,
            media_id: media.id,
            status: media.status.clone(),
            mime_type: media.mime_type.clone(),
            size: media.size,
        }),
    ));
    Ok(media)
}
