//! Closing an attendance (LC-11), now or when its scheduled time comes.

use atende_domain::monitoring::Ended;
use atende_domain::{ContentKind, UserId};
use atende_store::chats::{Conversation, NewMessage};
use atende_store::{NewJob, StoreError, Tx};
use serde_json::json;

use super::send::{self, Author, Composed, Refusal, Send, SendError};
use crate::jobs::kinds;

/// Closes the open attendance inside `tx`: the closing message to the
/// contact (through the one send path, so its variables are filled and a
/// blocked contact or a closed window keeps it from leaving, with a line
/// saying why), the system line, assignment cleared, and the agent's queue
/// drained. `ended` says how it ended (RP-5).
#[tracing::instrument(name = "chat.close", skip_all, fields(org = %conv.org_id, conversation = %conv.id, agent = ?by))]
pub async fn close_now(
    tx: &mut Tx,
    conv: &Conversation,
    message: Option<&str>,
    by_name: Option<&str>,
    by: Option<UserId>,
    ended: Ended,
) -> Result<Conversation, StoreError> {
    if let Some(text) = message {
        let contact = tx.contact(conv.org_id, conv.contact_id).await?;
        let author = match (by, by_name) {
            (Some(id), Some(name)) => Author::Agent {
                id,
                name,
                replies: false,
            },
            _ => Author::System,
        };
        let sent = send::queue(
            tx,
            Send {
                conversation: conv,
                contact: &contact,
                author,
                content: Composed {
                    internal: false,
                    kind: ContentKind::Text,
                    text: text.to_string(),
                    payload: json!({"closing": true}),
                    upload: None,
                },
                idempotency_key: None,
                upload: None,
            },
        )
        .await;
        match sent {
            Ok(_) => {}
            Err(SendError::Store(e)) => return Err(e),
            Err(SendError::Refused(why)) => {
                let line = match why {
                    Refusal::ContactBlocked => {
                        "Mensagem de encerramento não enviada: o contato está bloqueado."
                    }
                    Refusal::SessionExpired => {
                        "Mensagem de encerramento não enviada: a sessão de 24 horas com o contato expirou."
                    }
                    Refusal::NotForInternalNote => "Mensagem de encerramento não enviada.",
                };
                tx.insert_message(NewMessage::system(conv, line.to_string()))
                    .await?;
            }
        }
    }
    let p = conv
        .protocol
        .as_deref()
        .map(|p| format!(" {p}"))
        .unwrap_or_default();
    let line = match (by_name, ended) {
        (_, Ended::SessionExpired) => {
            format!("Atendimento{p} encerrado: a sessão do cliente expirou.")
        }
        (_, Ended::CustomerLeft) => format!("Atendimento{p} encerrado pelo cliente."),
        (Some(n), _) => format!("Atendimento{p} encerrado por {n}."),
        (None, _) => format!("Atendimento{p} encerrado automaticamente."),
    };
    let closed = tx.close_attendance(conv, by, ended, Some(line)).await?;
    // The agent's slot is free: the oldest chat queued for them takes it.
    if let Some(agent) = conv.agent_id {
        crate::flows::routing::drain_queue(tx, conv.org_id, agent).await?;
    }
    Ok(closed)
}

/// Ends the open tickets whose customer session expired (no word from the
/// customer for the organization's `ticket_expiry_hours`): no closing
/// message (the customer is gone), counted as lost or abandoned (RP-5).
pub async fn expire_sessions(st: &crate::state::AppState) -> Result<(), StoreError> {
    loop {
        let due = st.store.expired_attendances(100).await?;
        let done = due.len() < 100;
        for (org, conversation, attendance) in due {
            let mut tx = st.store.begin().await?;
            let conv = tx.conversation(org, conversation).await?;
            // Checked again in the transaction: a word from the customer
            // meanwhile keeps the ticket.
            if conv.attendance_id != Some(attendance) || !tx.attendance_expired(attendance).await? {
                continue;
            }
            close_now(&mut tx, &conv, None, None, None, Ended::SessionExpired).await?;
            st.commit(tx).await?;
        }
        if done {
            return Ok(());
        }
    }
}

/// Starts the after-closing flow (LC-11) on a chat just closed.
pub async fn start_after_close(
    tx: &mut Tx,
    conv: &Conversation,
    flow: atende_domain::FlowId,
    version: i64,
) -> Result<(), StoreError> {
    crate::flows::start(
        tx,
        atende_store::flows::NewRun {
            flow_id: flow,
            version,
            conversation: conv.clone(),
            trigger: atende_store::flows::Trigger::AfterClose,
            batch: None,
            client: None,
            input_after: None,
        },
    )
    .await?;
    Ok(())
}

/// A closing to do later (LC-11).
pub struct Scheduled<'a> {
    /// When, in epoch milliseconds.
    pub at: i64,
    /// Keep it when the contact replies (by default a reply cancels it).
    pub keep_on_reply: bool,
    /// The closing message to send then.
    pub message: Option<&'a str>,
    pub by: Option<UserId>,
    /// The flow to start once it closes.
    pub flow: Option<atende_domain::FlowId>,
}

/// Schedules the open attendance's closing inside `tx`, with the job that
/// closes it when the time comes (once, whichever node runs it).
#[tracing::instrument(name = "chat.schedule_close", skip_all, fields(org = %conv.org_id, conversation = %conv.id, agent = ?s.by))]
pub async fn schedule_close(
    tx: &mut Tx,
    conv: &Conversation,
    s: Scheduled<'_>,
) -> Result<(), StoreError> {
    let Some(attendance) = conv.attendance_id else {
        return Err(StoreError::Invalid("no open attendance".into()));
    };
    tx.schedule_close(conv, s.at, s.keep_on_reply, s.message, s.by)
        .await?;
    let at = s.at;
    tx.enqueue(NewJob {
        run_at: at,
        idempotency_key: Some(format!("close:{attendance}:{at}")),
        ..NewJob::now(
            Some(conv.org_id),
            kinds::CLOSE_ATTENDANCE,
            json!({"conversation_id": conv.id, "attendance_id": attendance, "at": at,
                   "flow_id": s.flow}),
        )
    })
    .await?;
    Ok(())
}
