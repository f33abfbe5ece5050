//! The bot's messages: a step's content sent through the one send path,
//! and the stop when it cannot leave.

use std::collections::BTreeMap;

use atende_domain::ContentKind;
use atende_flows::Content;
use atende_store::chats::{Contact, Conversation};
use atende_store::flows::FlowRun;
use atende_store::{StoreError, Tx};
use serde_json::{Value, json};

use super::{TEMPLATE_NOT_SENT, WINDOW_CLOSED};
use crate::chat::compose::{self, TemplateSend};
use crate::chat::send::{Refusal, SendError};
use crate::state::AppState;

/// Why a send stops the run: the system line for the chat and the run's
/// failure code.
pub(super) struct Stop {
    pub(super) line: &'static str,
    pub(super) code: &'static str,
}

/// Sends content as the bot, through the one send path. A stop when the
/// content cannot leave — a template that no longer exists or is not
/// approved (CH-6), free text outside the session window (CH-5): the caller
/// stops the run.
pub(super) async fn send(
    st: &AppState,
    tx: &mut Tx,
    run: &FlowRun,
    content: Content,
    seen: &mut Option<(Conversation, Contact)>,
) -> Result<Option<Stop>, StoreError> {
    let org = run.org_id;
    let (conv, contact) = match seen.take() {
        Some(c) if c.0.id == run.conversation_id => c,
        _ => (
            tx.conversation(org, run.conversation_id).await?,
            tx.contact(org, run.contact_id).await?,
        ),
    };
    let (conv, contact) = &*seen.insert((conv, contact));
    let fill = |t: &str| crate::chat::send::fill_variables(t, contact, conv);
    let (kind, text, payload) = match content {
        Content::Text { text } => (ContentKind::Text, fill(&text), json!({})),
        Content::Media {
            media,
            url,
            caption,
        } => {
            let kind = match media {
                atende_flows::MediaKind::Image => ContentKind::Image,
                atende_flows::MediaKind::Audio => ContentKind::Audio,
                atende_flows::MediaKind::Video => ContentKind::Video,
                atende_flows::MediaKind::Document => ContentKind::Document,
            };
            let caption = caption.as_deref().map(fill).unwrap_or_default();
            (kind, caption, json!({"media": {"link": url}}))
        }
        Content::Buttons { text, buttons } => {
            let body = fill(&text);
            let buttons: Vec<Value> = buttons
                .iter()
                .map(|b| json!({"type": "reply", "reply": {"id": b.id, "title": b.title}}))
                .collect();
            let interactive =
                json!({"type": "button", "body": {"text": body}, "action": {"buttons": buttons}});
            (
                ContentKind::Interactive,
                body,
                json!({"interactive": interactive}),
            )
        }
        Content::List {
            text,
            button,
            sections,
        } => {
            let body = fill(&text);
            let sections: Vec<Value> = sections
                .iter()
                .map(|s| {
                    let rows: Vec<Value> = s
                        .rows
                        .iter()
                        .map(|r| match &r.description {
                            Some(d) => json!({"id": r.id, "title": r.title, "description": d}),
                            None => json!({"id": r.id, "title": r.title}),
                        })
                        .collect();
                    if s.title.is_empty() {
                        json!({"rows": rows})
                    } else {
                        json!({"title": s.title, "rows": rows})
                    }
                })
                .collect();
            let interactive = json!({"type": "list", "body": {"text": body}, "action": {"button": button, "sections": sections}});
            (
                ContentKind::Interactive,
                body,
                json!({"interactive": interactive}),
            )
        }
        Content::Template {
            name,
            language,
            params,
        } => {
            let inbox = st.store.inbox(org, run.inbox_id).await?;
            let t = TemplateSend {
                name,
                language: Some(language),
                variables: params,
                header_variables: Vec::new(),
                named_variables: BTreeMap::new(),
                header_media: None,
                components: None,
            };
            match compose::template(st, &inbox, &t, contact, conv).await {
                Ok(c) => (c.kind, c.text, c.payload),
                Err(e) => {
                    tracing::warn!(run = %run.id, template = %t.name, error = %e.message, "flow template not sent");
                    return Ok(Some(Stop {
                        line: TEMPLATE_NOT_SENT,
                        code: "template_not_sent",
                    }));
                }
            }
        }
    };
    let sent = crate::chat::send::queue(
        tx,
        crate::chat::send::Send {
            conversation: conv,
            contact,
            author: crate::chat::send::Author::Bot,
            content: crate::chat::send::Composed {
                internal: false,
                kind,
                text,
                payload: json!(payload),
                upload: None,
            },
            idempotency_key: None,
            upload: None,
        },
    )
    .await;
    match sent {
        Ok(_) => Ok(None),
        // CT-4: nothing reaches a blocked contact; the run goes on.
        Err(SendError::Refused(Refusal::ContactBlocked)) => Ok(None),
        // CH-5: outside the window only a template reaches the contact.
        Err(SendError::Refused(_)) => Ok(Some(Stop {
            line: WINDOW_CLOSED,
            code: "session_expired",
        })),
        Err(SendError::Store(e)) => Err(e),
    }
}
