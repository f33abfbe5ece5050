//! Applying parsed WhatsApp events to the store: one transaction each.

use atende_channels::whatsapp::{
    Content, Event, InboundMessage, StatusUpdate, TemplateStatusUpdate, WaStatus,
};
use atende_domain::{AuthorKind, ContentKind, Direction, ReceiptStatus};
use atende_store::bulk::NewChat;
use atende_store::chats::NewMessage;
use atende_store::ingest::{InboxRoute, Media};
use atende_store::{NewJob, StoreError, Tx};
use serde_json::json;

use super::webhook::signed_by;
use crate::jobs::kinds;
use crate::state::AppState;

/// Applies one event; events for unknown numbers (or numbers of another
/// app) are logged and skipped so Meta stops retrying them.
pub async fn apply(
    st: &AppState,
    tx: &mut Tx,
    secret: &str,
    event: Event,
) -> Result<(), StoreError> {
    match event {
        Event::Message(m) => {
            let Some(route) = routed(st, secret, &m.phone_number_id).await? else {
                return Ok(());
            };
            message(tx, &route, m).await
        }
        Event::Status(s) => {
            let Some(route) = routed(st, secret, &s.phone_number_id).await? else {
                return Ok(());
            };
            status(tx, &route, s).await
        }
        Event::TemplateStatus(t) => template_status(st, tx, secret, t).await,
        Event::ValueErrors {
            phone_number_id,
            errors,
        } => {
            tracing::warn!(phone_number_id = ?phone_number_id, codes = ?errors.iter().map(|e| e.code).collect::<Vec<_>>(), "WhatsApp reported errors");
            Ok(())
        }
        Event::Ignored { field } => {
            tracing::debug!(%field, "WhatsApp webhook field ignored");
            Ok(())
        }
    }
}

pub(crate) async fn routed(
    st: &AppState,
    secret: &str,
    phone_number_id: &str,
) -> Result<Option<std::sync::Arc<InboxRoute>>, StoreError> {
    match st.whatsapp.route(&st.store, phone_number_id).await? {
        Some(r) if signed_by(&r, secret) => Ok(Some(r)),
        Some(_) => {
            tracing::warn!(%phone_number_id, "webhook signed by another app than this number's; ignored");
            Ok(None)
        }
        None => {
            tracing::warn!(%phone_number_id, "webhook for an unknown phone_number_id; ignored");
            Ok(None)
        }
    }
}

fn content_kind(c: &Content) -> ContentKind {
    use atende_channels::whatsapp::MediaKind;
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
        _ => ContentKind::Unsupported,
    }
}

async fn message(tx: &mut Tx, route: &InboxRoute, m: InboundMessage) -> Result<(), StoreError> {
    let (org, inbox) = (route.org_id, route.id);
    // Key contacts on the phone (wa_id) when present, else on the BSUID.
    let Some(key) = m.from.clone().or_else(|| m.from_user_id.clone()) else {
        tracing::warn!(wamid = %m.wamid, "inbound message without sender id; ignored");
        return Ok(());
    };
    let name = m
        .profile_name
        .clone()
        .unwrap_or_else(|| m.from.clone().map(|p| format!("+{p}")).unwrap_or_default());
    let phone = m
        .from
        .as_deref()
        .and_then(|p| atende_domain::PhoneE164::parse_international(p).ok())
        .map(|p| p.as_str().to_string());
    // A business-scoped id (BSUID) next to the phone links to the same contact.
    let bsuid = m
        .from_user_id
        .as_deref()
        .filter(|b| Some(*b) != m.from.as_deref());
    let contact = match tx.contact_by_external(org, inbox, &key).await? {
        Some(c) => c,
        None => {
            let by_bsuid = match bsuid {
                Some(b) => tx.contact_by_external(org, inbox, b).await?,
                None => None,
            };
            match by_bsuid {
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
    if let Some(b) = bsuid {
        tx.link_identity(org, inbox, b, contact.id).await?;
    }
    if contact.blocked {
        tracing::info!(wamid = %m.wamid, contact = %contact.id, "message from a blocked contact not taken in (CT-4)");
        return Ok(());
    }
    if let Some(n) = &m.profile_name {
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
                match &m.content {
                    Content::Edit { message, .. } => payload["edited"] = message.clone(),
                    _ => payload["revoked"] = json!(true),
                }
                tx.set_message_payload(&target, payload).await?;
                return Ok(());
            }
        }
        Content::System {
            new_wa_id: Some(new),
            ..
        } => {
            tx.link_identity(org, inbox, new, contact.id).await?;
        }
        _ => {}
    }

    let system = matches!(m.content, Content::System { .. } | Content::RequestWelcome);
    let text = match &m.content {
        Content::System {
            new_wa_id: Some(new),
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
    let payload = payload_of(&m);
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
            provider_id: Some(m.wamid.clone()),
            provider_at,
        })
        .await?;
    let Some(msg) = inserted else {
        return Ok(()); // duplicate delivery: already stored
    };
    // A contact writing goes to their running flow, or starts the inbox's
    // entry flow (FL-2); without one, it opens an unassigned attendance:
    // the chat appears in Open.
    if !system && !crate::flows::on_contact_message(tx, route.bot_flow(), &conv, &msg).await? {
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
    // A click-to-WhatsApp ad brought this message: the chat is the ad's
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

fn receipt(s: WaStatus) -> ReceiptStatus {
    match s {
        WaStatus::Sent => ReceiptStatus::Sent,
        WaStatus::Delivered => ReceiptStatus::Delivered,
        WaStatus::Read | WaStatus::Played => ReceiptStatus::Read,
        WaStatus::Failed => ReceiptStatus::Failed,
    }
}

/// The error shown on a failed message: code and Meta's text (CH-7).
pub fn error_text(title: Option<&str>, message: Option<&str>, details: Option<&str>) -> String {
    let head = message.or(title).unwrap_or("Erro do WhatsApp");
    match details {
        Some(d) if !d.is_empty() && d != head => format!("{head}: {d}"),
        _ => head.to_string(),
    }
}

async fn status(tx: &mut Tx, route: &InboxRoute, s: StatusUpdate) -> Result<(), StoreError> {
    let next = receipt(s.status);
    let err = s.errors.first().map(|e| {
        (
            e.code.to_string(),
            error_text(
                e.title.as_deref(),
                e.message.as_deref(),
                e.details.as_deref(),
            ),
        )
    });
    let err_ref = err.as_ref().map(|(c, t)| (c.as_str(), t.as_str()));
    if let Some(msg) = tx.message_by_provider_id(route.id, &s.wamid).await? {
        tx.update_receipt(route.org_id, msg.id, next, None, err_ref)
            .await?;
        return Ok(());
    }
    // Our message id rides in `biz_opaque_callback_data`: the status proves
    // that a send whose answer we never got (a timeout, a crash) did go,
    // and gives it its wamid, so it is not sent again.
    if let Some(msg) = unanswered_send(tx, route, s.biz_opaque_callback_data.as_deref()).await?
        && let Some(updated) = tx
            .update_receipt(route.org_id, msg.id, next, Some(&s.wamid), err_ref)
            .await?
    {
        tx.apply_pending_statuses(&updated).await?;
        return Ok(());
    }
    // The status raced our send's answer, or is for a message we did not
    // send (or for a second copy): keep it until a message with that id
    // exists.
    tx.save_pending_status(route.org_id, route.id, &s.wamid, next, err_ref)
        .await
}

/// Our outbound message named by a status's callback data, when it is
/// still waiting for the wamid of its send.
async fn unanswered_send(
    tx: &mut Tx,
    route: &InboxRoute,
    callback: Option<&str>,
) -> Result<Option<atende_store::chats::Message>, StoreError> {
    let Some(id) = callback.and_then(|c| c.parse::<atende_domain::MessageId>().ok()) else {
        return Ok(None);
    };
    let Some(msg) = tx.message(route.org_id, id).await? else {
        return Ok(None);
    };
    let ours = msg.inbox_id == route.id && msg.direction == "out" && msg.provider_id.is_none();
    Ok(ours.then_some(msg))
}

async fn template_status(
    st: &AppState,
    tx: &mut Tx,
    secret: &str,
    t: TemplateStatusUpdate,
) -> Result<(), StoreError> {
    let Some(waba) = t.waba_id.as_deref() else {
        return Ok(());
    };
    let Some(status) = t.event.as_deref() else {
        return Ok(());
    };
    for route in st.whatsapp.routes_of_waba(&st.store, waba).await? {
        if !signed_by(&route, secret) {
            continue;
        }
        let n = tx
            .set_template_status(
                route.org_id,
                route.id,
                t.template_id.as_deref(),
                t.name.as_deref(),
                t.language.as_deref(),
                status,
            )
            .await?;
        if n > 0 {
            tx.emit(atende_store::NewEvent {
                org_id: route.org_id,
                kind: "template.updated",
                chat: None,
                payload: json!({"inbox_id": route.id, "name": t.name, "language": t.language, "status": status, "reason": t.reason}),
            });
        }
    }
    Ok(())
}

/// What is kept of an inbound message besides its text: the raw object,
/// reply/forward context, the CTWA referral and any errors.
fn payload_of(m: &InboundMessage) -> serde_json::Value {
    let mut payload = json!({"raw": m.raw});
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

/// The ad of a CTWA referral: any referral with a `source_id` (the ad's
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

/// Whether a message only appends to its chat (no media job, no change to
/// other rows, no identity to link), so it can take the bulk path.
pub fn is_plain(m: &InboundMessage) -> bool {
    matches!(
        m.content,
        Content::Text { .. }
            | Content::Location { .. }
            | Content::Contacts { .. }
            | Content::InteractiveReply { .. }
            | Content::Button { .. }
            | Content::Order { .. }
            | Content::Unsupported { .. }
    ) && m.from.is_some()
        && m.referral.is_none()
        && m.from_user_id
            .as_deref()
            .is_none_or(|b| Some(b) == m.from.as_deref())
}

/// Applies plain messages of one inbox in bulk: chats of new contacts are
/// created and closed ones reopened together, then every message of a chat
/// with an open attendance is appended in one go. Messages that need more
/// (a changed profile name, a contact without a conversation on this inbox)
/// take the one-by-one path.
pub async fn apply_plain(
    tx: &mut Tx,
    route: &InboxRoute,
    msgs: Vec<&InboundMessage>,
) -> Result<(), StoreError> {
    let (org, inbox) = (route.org_id, route.id);
    let mut keys: Vec<String> = msgs.iter().filter_map(|m| m.from.clone()).collect();
    keys.sort();
    keys.dedup();
    let mut known = tx.known_chats(org, inbox, &keys).await?;
    // Chats to open first: new contacts, and known ones with no attendance.
    let mut new: Vec<NewChat> = Vec::new();
    let mut reopen = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for m in &msgs {
        let Some(key) = m.from.as_deref() else {
            continue;
        };
        if !seen.insert(key) {
            continue;
        }
        match known.get(key) {
            Some(k) if k.blocked => {}
            // With a bot, a chat without an attendance goes to its flow,
            // as does a chat whose flow runs: the one-by-one path decides.
            _ if route.bot_flow().is_some() => {}
            Some(k) if k.flow_running => {}
            None => new.push(NewChat {
                key: key.to_string(),
                name: m.profile_name.clone().unwrap_or_else(|| format!("+{key}")),
                phone: atende_domain::PhoneE164::parse_international(key)
                    .ok()
                    .map(|p| p.as_str().to_string()),
            }),
            Some(k)
                if k.conversation_id.is_some()
                    && k.attendance_open == Some(false)
                    && (k.name_edited
                        || m.profile_name
                            .as_deref()
                            .is_none_or(|n| n == k.contact_name)) =>
            {
                reopen.push(k.clone())
            }
            Some(_) => {}
        }
    }
    // A delivery repeated after its chat was closed must not reopen it.
    if !reopen.is_empty() {
        let wamids: Vec<String> = msgs
            .iter()
            .filter(|m| {
                m.from
                    .as_deref()
                    .is_some_and(|f| reopen.iter().any(|k| k.external_id == f))
            })
            .map(|m| m.wamid.clone())
            .collect();
        let stored = tx.stored_provider_ids(inbox, &wamids).await?;
        reopen.retain(|k| {
            msgs.iter().any(|m| {
                m.from.as_deref() == Some(k.external_id.as_str()) && !stored.contains(&m.wamid)
            })
        });
    }
    if !new.is_empty() || !reopen.is_empty() {
        known.extend(tx.open_chats_bulk(org, inbox, new, reopen).await?);
    }
    let mut bulk = Vec::with_capacity(msgs.len());
    for m in msgs {
        let k = m.from.as_ref().and_then(|f| known.get(f));
        if let Some(k) = k.filter(|k| k.blocked) {
            tracing::info!(wamid = %m.wamid, contact = %k.contact_id, "message from a blocked contact not taken in (CT-4)");
            continue;
        }
        match k {
            Some(k)
                if k.attendance_open == Some(true)
                    && !k.flow_running
                    && !k.absent
                    && (k.name_edited
                        || m.profile_name
                            .as_deref()
                            .is_none_or(|n| n == k.contact_name)) =>
            {
                let Some(conversation_id) = k.conversation_id else {
                    continue;
                };
                bulk.push(NewMessage {
                    org_id: org,
                    conversation_id,
                    inbox_id: inbox,
                    direction: Direction::In,
                    author_kind: AuthorKind::Contact,
                    author_id: None,
                    internal: false,
                    kind: content_kind(&m.content),
                    text: m.content.text(),
                    payload: payload_of(m),
                    status: ReceiptStatus::Delivered,
                    provider_id: Some(m.wamid.clone()),
                    provider_at: m.timestamp.checked_mul(1000).filter(|t| *t > 0),
                });
            }
            _ => message(tx, route, m.clone()).await?,
        }
    }
    tx.insert_inbound_bulk(org, inbox, bulk).await?;
    Ok(())
}
