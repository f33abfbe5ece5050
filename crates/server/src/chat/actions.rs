//! What a person does to a chat, written once for whoever asks (the HTTP
//! API today): forwarding it to an agent or a department (LC-9),
//! forwarding it to a bot flow (LC-10), asking its agent for a transfer
//! (LC-18), reading it (LC-7). The caller checks permission and visibility; these keep the
//! product's rules, write the system lines and commit.

use atende_domain::{AssignmentAction, ConversationId, DepartmentId, FlowId, OrgId, UserId};
use atende_store::chats::{Conversation, NewMessage};
use atende_store::events::{ChatEvent, TransferRequested};
use atende_store::flows::{FlowRun, NewRun, Trigger};
use atende_store::{NewEvent, NewJob, StoreError, Tx};
use serde_json::json;

use crate::error::{ApiError, ApiResult, Code};
use crate::jobs::kinds;
use crate::state::AppState;

/// The signed-in person acting, as the chat's lines and events name them.
#[derive(Clone, Copy)]
pub struct Actor<'a> {
    pub org: OrgId,
    pub id: UserId,
    pub name: &'a str,
}

/// Where a chat is forwarded (LC-9).
#[derive(Clone, Copy)]
pub enum Target {
    /// To this agent (the department is replaced).
    Agent(UserId),
    /// To this department, back to its queue (or to a member, when the
    /// department distributes automatically).
    Department(DepartmentId),
}

/// Forwards a chat and writes the line naming who did it. Taking a chat
/// from another agent needs `confirm` ("Tem certeza que deseja alterar o
/// agente?").
#[tracing::instrument(name = "chat.assign", skip_all, fields(org = %actor.org, conversation = %id, agent = %actor.id))]
pub async fn assign(
    st: &AppState,
    actor: Actor<'_>,
    id: ConversationId,
    target: Target,
    confirm: bool,
) -> ApiResult<Conversation> {
    let (action, line) = match target {
        Target::Agent(agent) => {
            let a = st
                .store
                .user(actor.org, agent)
                .await
                .map_err(|_| ApiError::invalid("Agente não encontrado."))?;
            if !a.active {
                return Err(ApiError::invalid("Este agente está desativado."));
            }
            (
                AssignmentAction::ForwardToAgent(agent),
                format!(
                    "Conversa atribuída ao agente {} por {}.",
                    a.name, actor.name
                ),
            )
        }
        Target::Department(dept) => {
            let d = st
                .store
                .department(actor.org, dept)
                .await
                .map_err(|_| ApiError::invalid("Departamento não encontrado."))?;
            (
                AssignmentAction::ForwardToDepartment(dept),
                format!(
                    "Conversa encaminhada ao departamento {} por {}.",
                    d.name, actor.name
                ),
            )
        }
    };
    let mut tx = st.store.begin().await?;
    let conv = tx.conversation(actor.org, id).await?;
    let current = atende_domain::Assignment {
        department_id: conv.department_id,
        agent_id: conv.agent_id,
    };
    if atende_domain::needs_confirmation(&current, &action) && !confirm {
        return Err(ApiError::new(
            Code::ConfirmAgentChange,
            "Tem certeza que deseja alterar o agente?",
        ));
    }
    let forward = matches!(action, AssignmentAction::ForwardToDepartment(_));
    let (mut conv, _) = tx.assign(&conv, action, Some(actor.id), Some(line)).await?;
    if forward {
        // An auto department hands the chat to a member, or queues it.
        conv = crate::flows::routing::distribute(&mut tx, &conv).await?;
    }
    st.commit(tx).await?;
    Ok(conv)
}

/// "Encaminhar para fluxo" (LC-10): ends the attendance (if open), with a
/// line naming who forwarded it, and starts the flow's published version
/// for the contact.
#[tracing::instrument(name = "chat.forward_to_flow", skip_all, fields(org = %actor.org, conversation = %id, agent = %actor.id))]
pub async fn forward_to_flow(
    st: &AppState,
    actor: Actor<'_>,
    id: ConversationId,
    flow: FlowId,
) -> ApiResult<FlowRun> {
    let f = st.store.flow(actor.org, flow).await?;
    let Some(version) = f.published_version else {
        return Err(not_published());
    };
    let mut tx = st.store.begin().await?;
    let mut conv = tx.conversation(actor.org, id).await?;
    if conv.attendance_id.is_some() {
        let line = format!(
            "{} encaminhou a conversa para o fluxo {}.",
            actor.name, f.name
        );
        conv = super::close::close_now(
            &mut tx,
            &conv,
            None,
            Some(actor.name),
            Some(actor.id),
            atende_domain::monitoring::Ended::Agent,
        )
        .await?;
        tx.insert_message(NewMessage::system(&conv, line)).await?;
    }
    let run = start_flow(
        &mut tx,
        NewRun {
            flow_id: f.id,
            version,
            conversation: conv,
            trigger: Trigger::Forward,
            batch: None,
            client: None,
            input_after: None,
        },
    )
    .await?;
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok(run)
}

/// Starts a run, refusing a contact already in a flow on the inbox.
pub async fn start_flow(tx: &mut Tx, new: NewRun) -> ApiResult<FlowRun> {
    crate::flows::start(tx, new).await.map_err(|e| match e {
        StoreError::Conflict(_) => ApiError::new(
            Code::FlowRunning,
            "Este contato já está em um fluxo nesta caixa de entrada.",
        ),
        other => other.into(),
    })
}

/// A flow that was never published cannot run.
pub fn not_published() -> ApiError {
    ApiError::new(Code::NotPublished, "Este fluxo ainda não foi publicado.")
}

/// Asks the agent serving `conv` to hand it over (LC-18), inside the
/// caller's transaction: a line in the chat, and an event the serving
/// agent's app shows.
#[tracing::instrument(name = "chat.request_transfer", skip_all, fields(org = %actor.org, conversation = %conv.id, agent = %actor.id))]
pub async fn request_transfer(tx: &mut Tx, actor: Actor<'_>, conv: &Conversation) -> ApiResult<()> {
    let serving = match (conv.attendance_id, conv.agent_id) {
        (Some(_), Some(agent)) if agent != actor.id => agent,
        _ => {
            return Err(ApiError::new(
                Code::NotServedByAnotherAgent,
                "Este chat não está sendo atendido por outro agente.",
            ));
        }
    };
    let line = format!("{} pediu a transferência deste atendimento.", actor.name);
    tx.insert_message(NewMessage::system(conv, line)).await?;
    tx.emit(NewEvent::chat(
        conv.org_id,
        conv.scope(),
        ChatEvent::TransferRequested(TransferRequested {
            conversation_id: conv.id,
            agent_id: serving,
            requested_by: actor.id,
            requested_by_name: actor.name.to_string(),
        }),
    ));
    Ok(())
}

/// Marks the chat read (LC-7) inside `tx`; when it had unread messages,
/// also queues telling the channel (read receipts to the contact) up to
/// the newest inbound message, once per batch read.
#[tracing::instrument(name = "chat.mark_read", skip_all, fields(org = %conv.org_id, conversation = %conv.id))]
pub async fn mark_read(st: &AppState, tx: &mut Tx, conv: &Conversation) -> ApiResult<()> {
    let had_unread = conv.unread > 0;
    tx.mark_read(conv).await?;
    if had_unread
        && let Some(provider_id) = st
            .store
            .last_inbound_provider_id(conv.org_id, conv.id)
            .await?
    {
        tx.enqueue(NewJob {
            idempotency_key: Some(format!("read:{}:{provider_id}", conv.inbox_id)),
            max_attempts: 3,
            ..NewJob::now(
                Some(conv.org_id),
                kinds::MARK_READ,
                json!({"inbox_id": conv.inbox_id, "provider_id": provider_id}),
            )
        })
        .await?;
    }
    Ok(())
}
