use uuid::Uuid;

use super::*;
use AssignmentAction::{AgentReplied, Close, ForwardToAgent, ForwardToDepartment};
use AssignmentEffect::{AgentAssigned, Closed, DepartmentAssigned, DepartmentCleared, Unchanged};

const fn agent(n: u128) -> UserId {
    UserId(Uuid::from_u128(n))
}

const fn dept(n: u128) -> DepartmentId {
    DepartmentId(Uuid::from_u128(0xD000 + n))
}

const fn at(department: Option<DepartmentId>, agent: Option<UserId>) -> Assignment {
    Assignment {
        department_id: department,
        agent_id: agent,
    }
}

const ANA: UserId = agent(1);
const BIA: UserId = agent(2);
const SALES: DepartmentId = dept(1);
const SUPPORT: DepartmentId = dept(2);
const NOBODY: Assignment = at(None, None);

const L172: &str = "Na coluna de configurações do Chat, no campo 'Encaminhar para agente', escolha um agente clicando sobre o nome dele.";
const L173: &str = "Caso esteja substituindo um agente que já está atribuído, responda 'Sim' para \"Tem certeza que deseja alterar o agente?\"";
const L175: &str = "Outra forma é responder ao contato, pois isso fará com que a conversa seja atribuída ao usuário que respondeu!";
const L176: &str = "Quando a conversa for encerrada pelo botão 'Encerrar atendimento', o agente será retirado do atendimento.";
const L177: &str = "Na coluna de configurações do Chat, no campo 'Encaminhar para departamento', escolha um departamento clicando sobre o nome dele.";
const L179: &str = "Quando uma conversa é atribuída a um agente usando o botão 'Encaminhar para agente', o departamento é removido da conversa e o agente é designado em seu lugar. Em outras palavras, o agente e o departamento não permanecerão simultaneamente na conversa.";
const L180: &str = "Quando a conversa for encerrada pelo botão 'Encerrar atendimento', o departamento será retirado do atendimento.";
const L181: &str = "Quando um agente enviar uma mensagem para um contato que já possui um departamento atribuído (mas não um agente atribuído), o agente também será atribuído a esse departamento. Nesse caso, o departamento continuará atribuído à conversa.";
const L183: &str = "Se um segundo agente enviar uma mensagem para uma conversa na qual o departamento e o agente já estão atribuídos, não haverá substituição de agentes como responsáveis pela conversa.";
const L199: &str = "Para encerrar um atendimento, o que irá desvincular os departamentos e agentes atribuídos ao contato, além de tirar o contato do atendimento";
/// Forward to department removing the agent is our choice (see `apply`).
const CHOICE: &str =
    "escolha documentada: encaminhar para departamento devolve à fila do departamento";

type Case = (
    &'static str,
    Assignment,
    AssignmentAction,
    Assignment,
    Vec<AssignmentEffect>,
);

#[test]
fn transitions() {
    let cases: Vec<Case> = vec![
        (
            L172,
            NOBODY,
            ForwardToAgent(ANA),
            at(None, Some(ANA)),
            vec![AgentAssigned {
                agent: ANA,
                replaced: None,
            }],
        ),
        (
            L173,
            at(None, Some(ANA)),
            ForwardToAgent(BIA),
            at(None, Some(BIA)),
            vec![AgentAssigned {
                agent: BIA,
                replaced: Some(ANA),
            }],
        ),
        (
            L172,
            at(None, Some(ANA)),
            ForwardToAgent(ANA),
            at(None, Some(ANA)),
            vec![Unchanged],
        ),
        (
            L179,
            at(Some(SALES), None),
            ForwardToAgent(ANA),
            at(None, Some(ANA)),
            vec![
                DepartmentCleared(SALES),
                AgentAssigned {
                    agent: ANA,
                    replaced: None,
                },
            ],
        ),
        (
            L179,
            at(Some(SALES), Some(ANA)),
            ForwardToAgent(BIA),
            at(None, Some(BIA)),
            vec![
                DepartmentCleared(SALES),
                AgentAssigned {
                    agent: BIA,
                    replaced: Some(ANA),
                },
            ],
        ),
        (
            L179,
            at(Some(SALES), Some(ANA)),
            ForwardToAgent(ANA),
            at(None, Some(ANA)),
            vec![DepartmentCleared(SALES)],
        ),
        (
            L177,
            NOBODY,
            ForwardToDepartment(SALES),
            at(Some(SALES), None),
            vec![DepartmentAssigned {
                department: SALES,
                replaced: None,
            }],
        ),
        (
            L177,
            at(Some(SUPPORT), None),
            ForwardToDepartment(SALES),
            at(Some(SALES), None),
            vec![DepartmentAssigned {
                department: SALES,
                replaced: Some(SUPPORT),
            }],
        ),
        (
            L177,
            at(Some(SALES), None),
            ForwardToDepartment(SALES),
            at(Some(SALES), None),
            vec![Unchanged],
        ),
        (
            CHOICE,
            at(None, Some(ANA)),
            ForwardToDepartment(SALES),
            at(Some(SALES), None),
            vec![DepartmentAssigned {
                department: SALES,
                replaced: None,
            }],
        ),
        (
            CHOICE,
            at(Some(SALES), Some(ANA)),
            ForwardToDepartment(SALES),
            at(Some(SALES), None),
            vec![DepartmentAssigned {
                department: SALES,
                replaced: None,
            }],
        ),
        (
            L175,
            NOBODY,
            AgentReplied(ANA),
            at(None, Some(ANA)),
            vec![AgentAssigned {
                agent: ANA,
                replaced: None,
            }],
        ),
        (
            L181,
            at(Some(SALES), None),
            AgentReplied(ANA),
            at(Some(SALES), Some(ANA)),
            vec![AgentAssigned {
                agent: ANA,
                replaced: None,
            }],
        ),
        (
            L183,
            at(Some(SALES), Some(ANA)),
            AgentReplied(BIA),
            at(Some(SALES), Some(ANA)),
            vec![Unchanged],
        ),
        (
            L183,
            at(None, Some(ANA)),
            AgentReplied(BIA),
            at(None, Some(ANA)),
            vec![Unchanged],
        ),
        (
            L183,
            at(Some(SALES), Some(ANA)),
            AgentReplied(ANA),
            at(Some(SALES), Some(ANA)),
            vec![Unchanged],
        ),
        (L176, at(None, Some(ANA)), Close, NOBODY, vec![Closed]),
        (L180, at(Some(SALES), None), Close, NOBODY, vec![Closed]),
        (
            L199,
            at(Some(SALES), Some(ANA)),
            Close,
            NOBODY,
            vec![Closed],
        ),
    ];
    for (seed, current, action, expected, effects) in cases {
        assert_eq!(
            apply(current, action),
            (expected, effects),
            "{action:?} on {current:?}: {seed}"
        );
    }
}

#[test]
fn agent_and_department_never_together_after_forward_to_agent() {
    // L179, over every starting state.
    for department in [None, Some(SALES)] {
        for assigned in [None, Some(ANA), Some(BIA)] {
            let (next, _) = apply(at(department, assigned), ForwardToAgent(ANA));
            assert_eq!(next, at(None, Some(ANA)), "{L179}");
        }
    }
}

#[test]
fn confirmation() {
    let cases = [
        (L173, at(None, Some(ANA)), ForwardToAgent(BIA), true),
        (L173, at(Some(SALES), Some(ANA)), ForwardToAgent(BIA), true),
        (L173, at(None, Some(ANA)), ForwardToAgent(ANA), false),
        (L172, NOBODY, ForwardToAgent(ANA), false),
        (L172, at(Some(SALES), None), ForwardToAgent(ANA), false),
        (L177, at(None, Some(ANA)), ForwardToDepartment(SALES), false),
        (L183, at(None, Some(ANA)), AgentReplied(BIA), false),
        (L199, at(None, Some(ANA)), Close, false),
    ];
    for (seed, current, action, expected) in cases {
        assert_eq!(
            needs_confirmation(&current, &action),
            expected,
            "{action:?} on {current:?}: {seed}"
        );
    }
    assert!(L173.contains(CONFIRM_AGENT_CHANGE_PT));
}
