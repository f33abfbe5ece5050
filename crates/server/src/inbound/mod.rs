//! What happens to what a channel tells us, written once for every
//! channel: a customer's message (contact, chat, flow, attendance,
//! absence, block), a receipt of ours, a template's new status. The
//! channel's webhook has already verified and routed each event
//! ([`Routed`]); the group-commit writer (`crate::intake`) applies them.

mod bulk;
mod receipt;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use atende_channels::inbound::{Content, Inbound, Message};
use atende_domain::{AuthorKind, ContentKind, Direction, ReceiptStatus};
use atende_store::chats::NewMessage;
use atende_store::ingest::{InboxRoute, Media};
use atende_store::{NewJob, StoreError, Tx};
use serde_json::json;

pub use bulk::{apply_plain, is_plain};

use crate::jobs::kinds;

/// An event and the inbox it is for, found (and its signature checked) by
/// the channel's webhook.
pub struct Routed {
    pub route: Arc<InboxRoute>,
    pub event: Inbound,
}

/// Applies one event in `tx`.
#[tracing::instrument(name = "inbound", level = "debug", skip_all, fields(org = %routed.route.org_id, inbox = %routed.route.id))]
pub async fn take(tx: &mut Tx, routed: Routed) -> Result<(), StoreError> {
    let route = &routed.route;
    match routed.event {
        Inbound::Message(m) => message(tx, route, m).await,
        Inbound::Receipt(r) => receipt::receipt(tx, route, r).await,
        Inbound::Watermark(w) => receipt::watermark(tx, route, w).await,
        Inbound::TemplateStatus(t) => receipt::template_status(tx, route, t).await,
        Inbound::Problem { address, errors } => {
            tracing::warn!(inbox = %route.id, address = ?address, codes = ?errors.iter().map(|e| e.code).collect::<Vec<_>>(), "the channel reported errors");
            Ok(())
        }
        Inbound::Ignored { what } => {
            tracing::debug!(inbox = %route.id, %what, "webhook content ignored");
            Ok(())
        }
    }
}

pub(super) fn content_kind(c: &Content) -> ContentKind {
    use atende_channels::inbound::MediaKind;
    match c {
        Content::Text { .. } => ContentKind::Text,
        Content::Media { kind, .. } => match kind {
            MediaKind::Image => ContentKind::Image,
            MediaKind::Video => ContentKind::Video,
            MediaKind::Audio => ContentKind::Audio,
            MediaKind::Document => ContentKind::Document,
            MediaKind::Sticker => ContentKind::Sticker,
        },
        Content::Location { .. } => ContentKind::Location,
        Content::Contacts { .. } => ContentKind::Contacts,
        Content::InteractiveReply { .. } | Content::Button { .. } => ContentKind::Interactive,
        Content::Reaction { .. } => ContentKind::Reaction,
        Content::StoryMention { .. } => ContentKind::StoryMention,
        _ => ContentKind::Unsupported,
    }
}

/// A customer's message: found or new contact (CT-1), not from a blocked
/// one (CT-4), into its chat, then to the running flow, the inbox's bot
/// flow (FL-2) or an attendance, and the absent agent's reply (LC-19).
pub(super) async fn message(tx: &mut Tx, route: &InboxRoute, m: Message) -> Result<(), StoreError> {
    let (org, inbox) = (route.org_id, route.id);
    let Some(key) = m.sender.key.clone() else {
        tracing::warn!(provider_id = %m.id, "inbound message without sender id; ignored");
        return Ok(());
    };
    // Without a profile name: the number, else the username, else the
    // channel's id of the person (as the bulk path names them).
    let name = m
        .sender
        .name
        .clone()
        .unwrap_or_else(|| match &m.sender.phone {
            Some(p) => format!("+{p}"),
            None => m.sender.username.clone().unwrap_or_else(|| key.clone()),
        });
    let phone = m
        .sender
        .phone
        .as_deref()
        .and_then(|p| atende_domain::PhoneE164::parse_international(p).ok())
        .map(|p| p.as_str().to_string());
    // A second id of the same person (WhatsApp's BSUID next to the phone)
    // links to the same contact.
    let alias = m.sender.alias.as_deref();
    let contact = match tx.contact_by_external(org, inbox, &key).await? {
        Some(c) => c,
        None => {
            let by_alias = match alias {
                Some(b) => tx.contact_by_external(org, inbox, b).await?,
                None => None,
            };
            match by_alias {
                Some(c) => {
                    tx.link_identity(org, inbox, &key, c.id).await?;
                    c
                }
                None => {
                    tx.create_contact(org, inbox, &key, &name, phone.as_deref())
                        .await?
                }
            }
        }
    };
    if let Some(b) = alias {
        tx.link_identity(org, inbox, b, contact.id).await?;
    }
    if contact.blocked {
        tracing::info!(provider_id = %m.id, contact = %contact.id, "message from a blocked contact not taken in (CT-4)");
        return Ok(());
    }
    if let Some(n) = &m.sender.name {
        tx.set_contact_name(&contact, n).await?;
    }
    let conv = tx.conversation_for(org, inbox, contact.id).await?;
    let provider_at = m.timestamp.checked_mul(1000).filter(|t| *t > 0);

    // Reactions, edits and revocations change an existing message.
    match &m.content {
        Content::Reaction { message_id, emoji } => {
            if let Some(target) = tx.message_by_provider_id(inbox, message_id).await? {
                let mut payload = target.payload.0.clone();
                match emoji {
                    Some(e) => payload["contact_reaction"] = json!(e),
                    None => {
                        if let Some(o) = payload.as_object_mut() {
                            o.remove("contact_reaction");
                        }
                    }
                }
                tx.set_message_payload(&target, payload).await?;
            }
            return Ok(());
        }
        Content::Edit {
            original_message_id: Some(orig),
            ..
        }
        | Content::Revoke {
            original_message_id: Some(orig),
        } => {
            if let Some(target) = tx.message_by_provider_id(inbox, orig).await? {
                let mut payload = target.payload.0.clone();
                match (&m.content, m.content.text()) {
                    // The message shows its new text; the first text is
                    // kept, and when it changed.
                    (Content::Edit { .. }, Some(new)) => {
                        if payload.get("original_text").is_none() {
                            payload["original_text"] = json!(target.text);
                        }
                        payload["edited"] =
                            json!({"at": provider_at.unwrap_or_else(atende_store::now_ms)});
                        tx.edit_message(&target, &new, payload).await?;
                    }
                    (Content::Edit { message, .. }, None) => {
                        payload["edited"] = json!({"at": provider_at.unwrap_or_else(atende_store::now_ms), "message": message});
                        tx.set_message_payload(&target, payload).await?;
                    }
                    _ => {
                        payload["revoked"] = json!(true);
                        tx.set_message_payload(&target, payload).await?;
                    }
                }
                return Ok(());
            }
        }
        Content::System {
            new_id: Some(new), ..
        } => {
            tx.link_identity(org, inbox, new, contact.id).await?;
        }
        _ => {}
    }

    let system = matches!(m.content, Content::System { .. } | Content::RequestWelcome);
    let text = match &m.content {
        Content::System {
            new_id: Some(new),
            body,
            ..
        } => Some(
            body.clone()
                .unwrap_or_else(|| format!("O contato mudou de número para +{new}.")),
        ),
        Content::RequestWelcome => {
            Some("O contato abriu a conversa pela primeira vez.".to_string())
        }
        c => c.text(),
    };
    let mut payload = payload_of(&m);
    // A story mention keeps the story's link only, with when it expires.
    let mention = matches!(m.content, Content::StoryMention { .. });
    if let Content::StoryMention { url } = &m.content {
        let at = provider_at.unwrap_or_else(atende_store::now_ms);
        payload["story"] = json!({"url": url, "expires_at": at + 24 * 3_600_000});
        if let Some(raw) = payload.get_mut("raw") {
            // Meta's policy: nothing of the story but its link is kept.
            *raw = json!({"mid": m.id});
        }
    }
    let inserted = tx
        .insert_message(NewMessage {
            org_id: org,
            conversation_id: conv.id,
            inbox_id: inbox,
            direction: Direction::In,
            author_kind: if system {
                AuthorKind::System
            } else {
                AuthorKind::Contact
            },
            author_id: None,
            internal: system,
            kind: content_kind(&m.content),
            text,
            payload,
            status: ReceiptStatus::Delivered,
            provider_id: Some(m.id.clone()),
            provider_at,
        })
        .await?;
    let Some(msg) = inserted else {
        return Ok(()); // duplicate delivery: already stored
    };
    // A contact writing goes to their running flow, or starts the inbox's
    // entry flow (FL-2); without one, it opens an unassigned attendance:
    // the chat appears in Open. A story mention only updates the chat
    // (seed 004): it is listed in "Todos os chats" and opens nothing.
    if !system
        && !mention
        && !crate::flows::on_contact_message(tx, route.bot_flow(), &conv, &msg).await?
    {
        if conv.attendance_id.is_none() {
            tx.open_attendance(&conv, None, None, None).await?;
        } else if conv.agent_id.is_some() {
            // The chat's agent may be away (LC-19).
            let reply_id = match &m.content {
                Content::InteractiveReply { id, .. } => id.as_deref(),
                Content::Button { payload, .. } => payload.as_deref(),
                _ => None,
            };
            crate::absence::on_contact_message(tx, &conv, reply_id).await?;
        }
    }
    // An ad (click-to-WhatsApp) brought this message: the chat is the ad's
    // campaign's (LC-2), the latest ad winning.
    if let Some(ad) = m.referral.as_ref().and_then(ad_referral) {
        let campaign = tx.campaign_for_ad(org, &ad).await?;
        let conv = tx.conversation(org, conv.id).await?;
        tx.set_conversation_campaign(&conv, Some(campaign.id))
            .await?;
    }
    if let Content::Media {
        kind,
        id: Some(media_id),
        mime_type,
        filename,
        sha256,
        ..
    } = &m.content
    {
        let media = Media {
            id: uuid::Uuid::now_v7(),
            org_id: org,
            message_id: msg.id,
            inbox_id: inbox,
            provider_media_id: Some(media_id.clone()),
            mime_type: mime_type.clone(),
            filename: filename.clone(),
            size: None,
            sha256: sha256.clone(),
            path: None,
            status: "pending".into(),
            error: None,
            created_at: atende_store::now_ms(),
        };
        tx.insert_media(&media).await?;
        let job = NewJob {
            idempotency_key: Some(format!("media:{}", media.id)),
            ..NewJob::now(
                Some(org),
                kinds::MEDIA_DOWNLOAD,
                json!({"media_id": media.id, "kind": kind.as_str()}),
            )
        };
        tx.enqueue(job).await?;
    }
    Ok(())
}

/// What is kept of an inbound message besides its text: the raw object,
/// reply/forward context, the CTWA referral and any errors.
pub(super) fn payload_of(m: &Message) -> serde_json::Value {
    let mut payload = json!({"raw": m.raw});
    // The button or row a reply chose, whatever the channel's shape: what
    // a flow waiting for an answer reads.
    let chosen = match &m.content {
        Content::InteractiveReply { id, .. } => id.as_deref(),
        Content::Button { payload, .. } => payload.as_deref(),
        _ => None,
    };
    if let Some(id) = chosen {
        payload["reply_id"] = json!(id);
    }
    if let Some(ctx) = &m.context {
        payload["reply_to"] = json!(ctx.id);
        payload["forwarded"] = json!(ctx.forwarded || ctx.frequently_forwarded);
    }
    if let Some(r) = &m.referral {
        payload["referral"] = r.clone();
    }
    if !m.errors.is_empty() {
        payload["errors"] = json!(
            m.errors
                .iter()
                .map(|e| json!({"code": e.code, "title": e.title, "details": e.details}))
                .collect::<Vec<_>>()
        );
    }
    payload
}

/// The ad of a referral (WhatsApp's click-to-WhatsApp ads): any referral with a `source_id` (the ad's
/// id), named by its headline.
fn ad_referral(r: &serde_json::Value) -> Option<atende_store::campaigns::AdReferral> {
    let text = |k: &str| {
        r.get(k)
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    Some(atende_store::campaigns::AdReferral {
        source_id: text("source_id")?,
        headline: text("headline"),
        source_url: text("source_url"),
    })
}
