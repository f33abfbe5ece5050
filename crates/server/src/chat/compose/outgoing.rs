//! What a sender asks to send, parsed once into one kind of content
//! ([`Outgoing`]), then composed into the message the send path stores
//! ([`Composed`]). Everything after the parse matches on what the content
//! is instead of checking which optional fields a request set.

use atende_domain::ContentKind;
use atende_store::chats::{Contact, Conversation};
use serde_json::{Value, json};

use super::{
    Composed, ContactCard, LocationSend, MediaSend, ReactionSend, TemplateSend, contacts,
    image_variable, location, media, reaction, template, text,
};
use crate::error::ApiResult;
use crate::state::AppState;

/// One kind of content to send.
pub enum Outgoing {
    /// Free-form text; `{nome}` and custom-field variables are filled in
    /// when it is sent (CH-10), and a text naming an image field sends the
    /// image (CH-8).
    Text(String),
    /// An image, video, audio, document or sticker by link or upload id,
    /// with its caption.
    Media(MediaSend),
    /// An approved template (CH-6), the one content allowed outside the
    /// session window (CH-5).
    Template(TemplateSend),
    Location(LocationSend),
    /// Contact cards (CH-9).
    Contacts(Vec<ContactCard>),
    /// Buttons, a list or a call to action (the Cloud API's `interactive`
    /// object, its `type` checked), with the body text the thread shows.
    Interactive {
        body: Value,
        text: String,
    },
    /// A reaction to a message of the chat.
    Reaction(ReactionSend),
}

/// A send as asked: the content, and whether it is an internal note that
/// never reaches the contact (LC-8).
pub struct Request {
    pub internal: bool,
    pub content: Outgoing,
}

/// The message to store for `request` in `conv`, with its variables,
/// template parameters and reaction target resolved.
pub async fn compose(
    st: &AppState,
    request: Request,
    contact: &Contact,
    conv: &Conversation,
) -> ApiResult<Composed> {
    let Request { internal, content } = request;
    let mut composed = match content {
        Outgoing::Text(t) => match image_variable(st, contact, &t).await? {
            Some(m) if !internal => media(&m)?,
            _ => text(&t, internal)?,
        },
        Outgoing::Media(m) => media(&m)?,
        Outgoing::Template(t) => {
            let inbox = st.store.inbox(conv.org_id, conv.inbox_id).await?;
            template(st, &inbox, &t, contact, conv).await?
        }
        Outgoing::Location(l) => location(&l)?,
        Outgoing::Contacts(c) => contacts(&c)?,
        Outgoing::Interactive { body, text } => Composed {
            internal: false,
            kind: ContentKind::Interactive,
            text,
            payload: json!({"interactive": body}),
            upload: None,
        },
        Outgoing::Reaction(r) => reaction(st, &r, conv).await?,
    };
    composed.internal |= internal;
    Ok(composed)
}
