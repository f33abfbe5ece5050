//! The contact history's PDF (RP-1; a ticket's, RP-4): the messages and
//! attendance marks of its span, rendered on a blocking thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use atende_domain::ContactId;
use atende_store::reports::{HistoryAttendance, HistoryMessage, HistorySpan, Report};
use atende_store::{Millis, StoreError};
use serde::Deserialize;

use super::{MEDIA_LINK_TTL_MS, local};
use crate::state::AppState;

/// What a history report covers (RP-1), or a ticket's (RP-4: one chat,
/// one attendance).
#[derive(Deserialize)]
pub(super) struct HistoryParams {
    contact_id: ContactId,
    from: Millis,
    to: Millis,
    #[serde(default)]
    include_internal: bool,
    #[serde(default)]
    conversation_id: Option<atende_domain::ConversationId>,
    #[serde(default)]
    attendance_id: Option<atende_domain::AttendanceId>,
}

impl HistoryParams {
    fn span(&self) -> HistorySpan {
        HistorySpan {
            from: self.from,
            to: self.to,
            conversation: self.conversation_id,
            attendance: self.attendance_id,
        }
    }
}

/// Reads the contact's history and renders it; None when the period holds
/// no message of theirs any more.
pub(super) async fn render(
    st: &AppState,
    report: &Report,
    p: &HistoryParams,
) -> Result<Option<Vec<u8>>, String> {
    let org = report.org_id;
    let err = |e: StoreError| e.to_string();
    let contact = st.store.contact(org, p.contact_id).await.map_err(err)?;
    let span = p.span();
    let messages = st
        .store
        .history_messages(org, p.contact_id, &span, p.include_internal)
        .await
        .map_err(err)?;
    if messages.iter().all(|m| m.author_kind == "system") {
        return Ok(None);
    }
    let attendances = st
        .store
        .history_attendances(org, p.contact_id, &span)
        .await
        .map_err(err)?;
    let doc = document(st, report, p, &contact, &messages, &attendances);
    // Stops the render when this future is dropped — the job's time limit
    // ran out — instead of leaving it to run on its blocking thread.
    let cancel = CancelOnDrop(Arc::new(AtomicBool::new(false)));
    let flag = Arc::clone(&cancel.0);
    let bytes = tokio::task::spawn_blocking(move || atende_pdf::history_pdf_until(&doc, &flag))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    Ok(Some(bytes))
}

/// Sets its flag when dropped.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// The PDF's data: messages and attendance marks, in time order.
fn document(
    st: &AppState,
    report: &Report,
    p: &HistoryParams,
    contact: &atende_store::chats::Contact,
    messages: &[HistoryMessage],
    attendances: &[HistoryAttendance],
) -> atende_pdf::History {
    use atende_pdf::{AttendanceEvent, AttendanceState, AuthorKind, Item, MediaLink};
    let wall = |ms: Millis| local(ms).naive_local();
    let mut items: Vec<(Millis, u8, Item)> =
        Vec::with_capacity(messages.len() + 2 * attendances.len());
    for a in attendances {
        let event = |state, at: Millis, by: Option<String>| {
            Item::Attendance(AttendanceEvent {
                state,
                protocol: a.protocol.clone(),
                at: wall(at),
                department: a.department.clone(),
                agent: a.agent.clone(),
                by,
            })
        };
        if a.opened_at >= p.from {
            items.push((
                a.opened_at,
                0,
                event(AttendanceState::Opened, a.opened_at, None),
            ));
        }
        if let Some(closed) = a.closed_at.filter(|c| *c <= p.to) {
            let by = Some(
                a.closed_by
                    .clone()
                    .unwrap_or_else(|| "encerramento automático".into()),
            );
            items.push((closed, 2, event(AttendanceState::Closed, closed, by)));
        }
    }
    for m in messages {
        let author = match m.author_kind.as_str() {
            "contact" => AuthorKind::Contact,
            "bot" => AuthorKind::Bot,
            "agent" => AuthorKind::Agent,
            _ => AuthorKind::System,
        };
        let author_name = match author {
            AuthorKind::Contact => Some(contact.name.clone()),
            _ => m.author_name.clone(),
        };
        let media = media_kind(&m.kind).map(|kind| MediaLink {
            kind,
            name: m
                .media_filename
                .clone()
                .unwrap_or_else(|| kind.label().to_lowercase()),
            url: m
                .media_id
                .map(|id| crate::media::signed_url(st, report.org_id, id, MEDIA_LINK_TTL_MS))
                .or_else(|| m.payload.0["media"]["link"].as_str().map(str::to_string))
                .unwrap_or_default(),
        });
        let text = m.text.clone().unwrap_or_default();
        items.push((
            m.created_at,
            1,
            Item::Message(atende_pdf::Message {
                at: wall(m.created_at),
                author,
                author_name,
                text,
                internal: m.internal && author != AuthorKind::System,
                media,
                channel: m
                    .inbox_channel
                    .parse::<atende_domain::ChannelKind>()
                    .ok()
                    .map(|k| k.label().to_string()),
            }),
        ));
    }
    // Stable: an attendance opens before the message of the same instant
    // and closes after it.
    items.sort_by_key(|(at, rank, _)| (*at, *rank));
    let offset = local(report.created_at).format("%:z");
    atende_pdf::History {
        contact: atende_pdf::Contact {
            name: contact.name.clone(),
            phone: contact.phone.as_deref().map(|p| {
                atende_domain::PhoneE164::parse_international(p)
                    .map(|p| p.display())
                    .unwrap_or_else(|_| p.to_string())
            }),
            email: contact.email.clone(),
            id: contact.id.to_string(),
        },
        from: local(p.from).date_naive(),
        to: local(p.to).date_naive(),
        generated_at: wall(atende_store::now_ms()),
        time_zone: format!("horário de Brasília (UTC{offset})"),
        include_internal: p.include_internal,
        items: items.into_iter().map(|(_, _, i)| i).collect(),
    }
}

fn media_kind(kind: &str) -> Option<atende_pdf::MediaKind> {
    use atende_pdf::MediaKind as K;
    Some(match kind {
        "image" => K::Image,
        "video" => K::Video,
        "audio" => K::Audio,
        "document" => K::Document,
        "sticker" => K::Sticker,
        _ => return None,
    })
}
