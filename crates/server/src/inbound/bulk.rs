//! The bulk path of plain messages: most of a busy inbox's traffic only
//! appends to chats that are already open, and is written in one go.

use atende_channels::inbound::{Content, Message};
use atende_domain::{AuthorKind, Direction, ReceiptStatus};
use atende_store::bulk::NewChat;
use atende_store::chats::NewMessage;
use atende_store::ingest::InboxRoute;
use atende_store::{StoreError, Tx};

/// Whether a message only appends to its chat (no media job, no change to
/// other rows, no identity to link), so it can take the bulk path. Its
/// contact is keyed on the phone number, or (Telegram, the widget) on the
/// channel's own id with no number to keep.
pub fn is_plain(m: &Message) -> bool {
    matches!(
        m.content,
        Content::Text { .. }
            | Content::Location { .. }
            | Content::Contacts { .. }
            | Content::InteractiveReply { .. }
            | Content::Button { .. }
            | Content::Order { .. }
            | Content::Unsupported { .. }
    ) && (m.sender.keyed_by_phone() || (m.sender.key.is_some() && m.sender.phone.is_none()))
        && m.sender.alias.is_none()
        && m.referral.is_none()
}

/// Applies plain messages of one inbox in bulk: chats of new contacts are
/// created and closed ones reopened together, then every message of a chat
/// with an open attendance is appended in one go. Messages that need more
/// (a changed profile name, a contact without a conversation on this inbox)
/// take the one-by-one path.
pub async fn apply_plain(
    tx: &mut Tx,
    route: &InboxRoute,
    msgs: Vec<&Message>,
) -> Result<(), StoreError> {
    let (org, inbox) = (route.org_id, route.id);
    let mut keys: Vec<String> = msgs.iter().filter_map(|m| m.sender.key.clone()).collect();
    keys.sort();
    keys.dedup();
    let mut known = tx.known_chats(org, inbox, &keys).await?;
    // Chats to open first: new contacts, and known ones with no attendance.
    let mut new: Vec<NewChat> = Vec::new();
    let mut reopen = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for m in &msgs {
        let Some(key) = m.sender.key.as_deref() else {
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
                name: m
                    .sender
                    .name
                    .clone()
                    .unwrap_or_else(|| match &m.sender.phone {
                        Some(p) => format!("+{p}"),
                        None => m.sender.username.clone().unwrap_or_else(|| key.to_string()),
                    }),
                phone: m
                    .sender
                    .phone
                    .as_deref()
                    .and_then(|p| atende_domain::PhoneE164::parse_international(p).ok())
                    .map(|p| p.as_str().to_string()),
            }),
            Some(k)
                if k.conversation_id.is_some()
                    && k.attendance_open == Some(false)
                    && (k.name_edited
                        || m.sender.name.as_deref().is_none_or(|n| n == k.contact_name)) =>
            {
                reopen.push(k.clone())
            }
            Some(_) => {}
        }
    }
    // A delivery repeated after its chat was closed must not reopen it.
    if !reopen.is_empty() {
        let ids: Vec<String> = msgs
            .iter()
            .filter(|m| {
                m.sender
                    .key
                    .as_deref()
                    .is_some_and(|f| reopen.iter().any(|k| k.external_id == f))
            })
            .map(|m| m.id.clone())
            .collect();
        let stored = tx.stored_provider_ids(inbox, &ids).await?;
        reopen.retain(|k| {
            msgs.iter().any(|m| {
                m.sender.key.as_deref() == Some(k.external_id.as_str()) && !stored.contains(&m.id)
            })
        });
    }
    if !new.is_empty() || !reopen.is_empty() {
        known.extend(tx.open_chats_bulk(org, inbox, new, reopen).await?);
    }
    let mut bulk = Vec::with_capacity(msgs.len());
    for m in msgs {
        let k = m.sender.key.as_ref().and_then(|f| known.get(f));
        if let Some(k) = k.filter(|k| k.blocked) {
            tracing::info!(provider_id = %m.id, contact = %k.contact_id, "message from a blocked contact not taken in (CT-4)");
            continue;
        }
        match k {
            Some(k)
                if k.attendance_open == Some(true)
                    && !k.flow_running
                    && !k.absent
                    && (k.name_edited
                        || m.sender.name.as_deref().is_none_or(|n| n == k.contact_name)) =>
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
                    kind: super::content_kind(&m.content),
                    text: m.content.text(),
                    payload: super::payload_of(m),
                    status: ReceiptStatus::Delivered,
                    provider_id: Some(m.id.clone()),
                    provider_at: m.timestamp.checked_mul(1000).filter(|t| *t > 0),
                });
            }
            _ => super::message(tx, route, m.clone()).await?,
        }
    }
    tx.insert_inbound_bulk(org, inbox, bulk).await?;
    Ok(())
}
