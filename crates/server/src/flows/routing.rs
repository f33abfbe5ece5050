//! Handing a chat over to people (FL-1's `open_attendance`) and handing
//! out a department's queue as agents free up.
//!
//! - `department`: the department's own rule. Manual: the chat waits in
//!   "Chats abertos" for its members. Auto: the least busy available member
//!   with a free slot gets it (ties to the longest idle), else it waits in
//!   the department's queue, first in first out, until a slot frees.
//! - `random`, `sequence`: a random member, or the next in turn, among those
//!   available with a free slot; else the department's queue.
//! - `last_agent`: the agent who last served the contact, when available
//!   with a free slot; else as `department`.
//! - `agent`: that agent, whatever their load (the flow's author chose them).
//! - `unassigned`: nobody; the chat waits in "Chats abertos".
//!
//! Load is counted under lock (see `Tx::routing_candidates`), so routing
//! never gives an agent more chats than their capacity.

use atende_domain::routing::{self, Candidate};
use atende_domain::{DepartmentId, OrgId, UserId};
use atende_flows::Target;
use atende_store::chats::Conversation;
use atende_store::routing::Distribution;
use atende_store::{StoreError, Tx, now_ms};

/// Who the chat went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handed {
    Agent(UserId),
    /// In the department's queue (auto) or its "Chats abertos" (manual).
    Department(DepartmentId),
    Nobody,
}

/// Opens an attendance on `conv` for `target`; returns the conversation as
/// it is now and who got it. A department or agent that no longer exists
/// leaves the chat unassigned (it still reaches "Chats abertos").
pub async fn hand_over(
    tx: &mut Tx,
    conv: &Conversation,
    target: &Target,
) -> Result<(Conversation, Handed), StoreError> {
    let org = conv.org_id;
    let dept = |r: &str| r.parse::<DepartmentId>().ok();
    let (department, pick) = match target {
        Target::Unassigned => (None, Pick::Nobody),
        Target::Agent { agent } => match agent.parse::<UserId>() {
            Ok(a) if tx.routing_candidate(org, a).await?.is_some() => (None, Pick::Agent(a)),
            _ => (None, Pick::Nobody),
        },
        Target::Department { department } => (dept(department), Pick::Rule),
        Target::Random { department } => (dept(department), Pick::Random),
        Target::Sequence { department } => (dept(department), Pick::Sequence),
        Target::LastAgent { department } => (dept(department), Pick::LastAgent),
    };
    let department = match department {
        Some(d) if tx.distribution(org, d).await?.is_some() => Some(d),
        Some(d) => {
            tracing::warn!(department = %d, conversation = %conv.id, "handover to a department that no longer exists; left unassigned");
            None
        }
        None => None,
    };
    let agent = match (pick, department) {
        (Pick::Agent(a), _) => Some(a),
        (Pick::Nobody, _) | (_, None) => None,
        (pick, Some(d)) => choose(tx, conv, d, pick).await?,
    };
    if let Some(a) = agent {
        tx.note_routed(org, a).await?;
    }
    // An agent takes the chat alone when a flow named them; one routing
    // found in a department keeps the department (as when a member replies).
    let keep_department = !matches!(pick, Pick::Agent(_));
    let opened = tx
        .open_attendance(conv, department.filter(|_| keep_department), agent, None)
        .await?;
    let handed = match (agent, department) {
        (Some(a), _) => Handed::Agent(a),
        (None, Some(d)) => {
            let queued = tx.distribution(org, d).await? == Some(Distribution::Auto)
                || !matches!(pick, Pick::Rule);
            if queued && let Some(att) = opened.attendance_id {
                tx.set_queued(org, att, Some(now_ms())).await?;
            }
            Handed::Department(d)
        }
        (None, None) => Handed::Nobody,
    };
    Ok((opened, handed))
}

#[derive(Debug, Clone, Copy)]
enum Pick {
    Rule,
    Random,
    Sequence,
    LastAgent,
    Agent(UserId),
    Nobody,
}

/// The agent of department `d` the pick chooses, if any can take the chat.
async fn choose(
    tx: &mut Tx,
    conv: &Conversation,
    d: DepartmentId,
    pick: Pick,
) -> Result<Option<UserId>, StoreError> {
    let org = conv.org_id;
    let candidates: Vec<Candidate> = tx.routing_candidates(org, d).await?;
    Ok(match pick {
        Pick::Random => routing::random_pick(&candidates, rand::random_range(0..usize::MAX)),
        Pick::Sequence => {
            let cursor = tx.sequence_cursor(org, d).await?;
            let next = routing::next_in_sequence(&candidates, cursor);
            if let Some(a) = next {
                tx.set_sequence_cursor(org, d, a).await?;
            }
            next
        }
        Pick::LastAgent => {
            let last = tx.last_agent_of(org, conv.contact_id).await?;
            match candidates.iter().find(|c| Some(c.id) == last) {
                Some(c) if c.can_take() => Some(c.id),
                _ => by_rule(tx, org, d, &candidates).await?,
            }
        }
        Pick::Rule => by_rule(tx, org, d, &candidates).await?,
        Pick::Agent(a) => Some(a),
        Pick::Nobody => None,
    })
}

/// The department's own rule: auto gives the least busy, manual nobody.
async fn by_rule(
    tx: &mut Tx,
    org: OrgId,
    d: DepartmentId,
    candidates: &[Candidate],
) -> Result<Option<UserId>, StoreError> {
    Ok(match tx.distribution(org, d).await? {
        Some(Distribution::Auto) => routing::least_busy(candidates),
        _ => None,
    })
}

/// A chat forwarded by a person to a department that hands its chats out
/// (auto): the least busy available member with a free slot gets it, else
/// it waits in the department's queue. A manual department leaves it in
/// its members' "Chats abertos".
pub async fn distribute(tx: &mut Tx, conv: &Conversation) -> Result<Conversation, StoreError> {
    let org = conv.org_id;
    let (Some(d), None, Some(att)) = (conv.department_id, conv.agent_id, conv.attendance_id) else {
        return Ok(conv.clone());
    };
    if tx.distribution(org, d).await? != Some(Distribution::Auto) {
        return Ok(conv.clone());
    }
    let candidates = tx.routing_candidates(org, d).await?;
    match routing::least_busy(&candidates) {
        Some(agent) => {
            tx.set_queued(org, att, None).await?;
            let (conv, _) = tx
                .assign(
                    conv,
                    atende_domain::AssignmentAction::AgentReplied(agent),
                    None,
                    None,
                )
                .await?;
            tx.note_routed(org, agent).await?;
            Ok(conv)
        }
        None => {
            tx.set_queued(org, att, Some(now_ms())).await?;
            Ok(conv.clone())
        }
    }
}

/// Hands queued chats to `user` while they are available with free slots
/// (their chat closed, they came back online, their capacity grew): the
/// oldest first, across their departments. Returns the chats given.
pub async fn drain_queue(
    tx: &mut Tx,
    org: OrgId,
    user: UserId,
) -> Result<Vec<Conversation>, StoreError> {
    let mut given = Vec::new();
    loop {
        let Some(me) = tx.routing_candidate(org, user).await? else {
            break;
        };
        if !me.can_take() {
            break;
        }
        let Some(conv_id) = tx.next_queued_for(org, user).await? else {
            break;
        };
        let conv = tx.conversation(org, conv_id).await?;
        let Some(att) = conv.attendance_id else {
            break;
        };
        tx.set_queued(org, att, None).await?;
        let (conv, _) = tx
            .assign(
                &conv,
                atende_domain::AssignmentAction::AgentReplied(user),
                None,
                None,
            )
            .await?;
        tx.note_routed(org, user).await?;
        given.push(conv);
    }
    Ok(given)
}
