//! Assignment rules (LC-9): how forwarding, replying and closing change who
//! serves an attendance. Pure transitions; the caller persists the new
//! [`Assignment`] and writes one system line per [`AssignmentEffect`],
//! naming the user who acted.

use crate::{DepartmentId, UserId};

/// The question asked before replacing an assigned agent (seed 004 l. 173).
pub const CONFIRM_AGENT_CHANGE_PT: &str = "Tem certeza que deseja alterar o agente?";

/// Who an attendance is assigned to. Both may be set at once: an agent who
/// replies to a department's chat joins it and the department stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Assignment {
    /// The department.
    pub department_id: Option<DepartmentId>,
    /// The agent.
    pub agent_id: Option<UserId>,
}

/// Something that happens to an attendance's assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentAction {
    /// "Encaminhar para agente" (chat button or flow action).
    ForwardToAgent(UserId),
    /// "Encaminhar para departamento" (chat button or flow action).
    ForwardToDepartment(DepartmentId),
    /// An agent sent a message to the contact.
    AgentReplied(UserId),
    /// "Encerrar atendimento".
    Close,
}

/// What changed, one item per system line to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentEffect {
    /// `agent` now serves the attendance, in place of `replaced` if any.
    AgentAssigned {
        /// The new agent.
        agent: UserId,
        /// The agent who served it before, if another one did.
        replaced: Option<UserId>,
    },
    /// The attendance now belongs to `department`, in place of `replaced`
    /// if it belonged to another one. A forward to a department also takes
    /// the attendance away from its agent, if it had one (compare the
    /// agent before and after to notify them).
    DepartmentAssigned {
        /// The new department.
        department: DepartmentId,
        /// The department it belonged to before, if another one.
        replaced: Option<DepartmentId>,
    },
    /// The department was removed because the attendance went to an agent.
    DepartmentCleared(DepartmentId),
    /// The attendance was closed: department and agent removed.
    Closed,
    /// Nothing changed.
    Unchanged,
}

/// Applies `action` to `current`, returning the new assignment and what
/// changed (never empty: [`AssignmentEffect::Unchanged`] when nothing did).
///
/// - `ForwardToAgent`: the agent replaces the department; agent and
///   department do not stay together (seed 004 l. 179).
/// - `ForwardToDepartment`: sets the department and removes the agent. This
///   is a choice: a forward sends the chat back to that department's queue
///   ("Chats abertos" of its members), as the flow action "abrir conversa
///   para um departamento específico não direcionando para agentes" does.
/// - `AgentReplied`: an unassigned chat gets that agent (l. 175); a
///   department's chat without agent gets the agent and keeps the department
///   (l. 181); a chat that has an agent keeps it (l. 183).
/// - `Close`: both removed (l. 184, l. 199).
pub fn apply(current: Assignment, action: AssignmentAction) -> (Assignment, Vec<AssignmentEffect>) {
    let mut effects = Vec::with_capacity(2);
    let next = match action {
        AssignmentAction::ForwardToAgent(agent) => {
            if let Some(department) = current.department_id {
                effects.push(AssignmentEffect::DepartmentCleared(department));
            }
            if current.agent_id != Some(agent) {
                effects.push(AssignmentEffect::AgentAssigned {
                    agent,
                    replaced: current.agent_id,
                });
            }
            Assignment {
                department_id: None,
                agent_id: Some(agent),
            }
        }
        AssignmentAction::ForwardToDepartment(department) => {
            let next = Assignment {
                department_id: Some(department),
                agent_id: None,
            };
            if next != current {
                effects.push(AssignmentEffect::DepartmentAssigned {
                    department,
                    replaced: current.department_id.filter(|&d| d != department),
                });
            }
            next
        }
        AssignmentAction::AgentReplied(agent) => match current.agent_id {
            Some(_) => current,
            None => {
                effects.push(AssignmentEffect::AgentAssigned {
                    agent,
                    replaced: None,
                });
                Assignment {
                    agent_id: Some(agent),
                    ..current
                }
            }
        },
        AssignmentAction::Close => {
            effects.push(AssignmentEffect::Closed);
            Assignment::default()
        }
    };
    if effects.is_empty() {
        effects.push(AssignmentEffect::Unchanged);
    }
    (next, effects)
}

/// Whether the user must confirm the action first: forwarding to an agent
/// when another agent is already assigned ([`CONFIRM_AGENT_CHANGE_PT`]).
pub fn needs_confirmation(current: &Assignment, action: &AssignmentAction) -> bool {
    match action {
        AssignmentAction::ForwardToAgent(agent) => {
            current.agent_id.is_some_and(|assigned| assigned != *agent)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
