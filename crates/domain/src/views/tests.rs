use uuid::Uuid;

use super::*;
use crate::assignment::{Assignment, AssignmentAction, apply};
use crate::macros::assert_names;

use ChatView::{All, InService, Mine, Open};

fn user(n: u128) -> UserId {
    UserId(Uuid::from_u128(n))
}

const fn department(n: u128) -> DepartmentId {
    DepartmentId(Uuid::from_u128(0xD000 + n))
}

const ME: u128 = 1;
const OTHER_AGENT: u128 = 2;
const SALES: u128 = 1;
const SUPPORT: u128 = 2;
static IN_SALES: [DepartmentId; 1] = [department(SALES)];

fn chat(attendance_open: bool, dept: Option<u128>, agent: Option<u128>) -> ChatState {
    ChatState {
        attendance_open,
        department_id: dept.map(department),
        agent_id: agent.map(user),
    }
}

fn from_assignment(assignment: Assignment) -> ChatState {
    ChatState {
        attendance_open: true,
        department_id: assignment.department_id,
        agent_id: assignment.agent_id,
    }
}

/// Who looks: user, departments, "see all chats".
type Who = (u128, &'static [DepartmentId], bool);

#[test]
fn every_seed_scenario() {
    let me_in_sales: Who = (ME, &IN_SALES, false);
    let other_in_sales: Who = (OTHER_AGENT, &IN_SALES, false);
    let outsider: Who = (OTHER_AGENT, &[], false);
    let outsider_p6: Who = (OTHER_AGENT, &[], true);
    let agent_chat = Assignment {
        department_id: Some(department(SUPPORT)),
        agent_id: None,
    };
    let (forwarded_to_sales, _) = apply(
        agent_chat,
        AssignmentAction::ForwardToDepartment(department(SALES)),
    );
    let (forwarded_to_me, _) = apply(
        Assignment {
            department_id: Some(department(SALES)),
            agent_id: None,
        },
        AssignmentAction::ForwardToAgent(user(ME)),
    );
    let (replied_in_sales, _) = apply(
        Assignment {
            department_id: Some(department(SALES)),
            agent_id: None,
        },
        AssignmentAction::AgentReplied(user(ME)),
    );

    let cases: Vec<(&str, ChatState, Who, Vec<ChatView>)> = vec![
        (
            "Chats com atendimento encerrado: aparecem apenas em 'todos os chats'.",
            chat(false, None, None),
            me_in_sales,
            vec![All],
        ),
        (
            "No Chat, botão 'Encaminha para departamento'.",
            from_assignment(forwarded_to_sales),
            me_in_sales,
            vec![All, Open],
        ),
        (
            "No Fluxo de Conversa, no nó de Ação, abrir conversa para um departamento específico não direcionando para agentes.",
            chat(true, Some(SALES), None),
            me_in_sales,
            vec![All, Open],
        ),
        (
            "No Fluxo de Conversa, no nó de Ação, abrir conversa para o último agente que atendeu e não ter um último agente, visto que será direcionado para um departamento.",
            chat(true, Some(SALES), None),
            me_in_sales,
            vec![All, Open],
        ),
        (
            "No Fluxo de Conversa, no nó de Ação, abrir conversa sem atribuir departamento ou agente.",
            chat(true, None, None),
            me_in_sales,
            vec![All, Open],
        ),
        (
            "No Chat, botão 'Encaminha para agente'.",
            from_assignment(forwarded_to_me),
            me_in_sales,
            vec![All, Mine, InService],
        ),
        (
            "No Fluxo de Conversa, no nó de Ação, abrir conversa para um agente específico.",
            chat(true, None, Some(ME)),
            me_in_sales,
            vec![All, Mine, InService],
        ),
        (
            "No Fluxo de Conversa, no nó de Ação, abrir conversa para um agente aleatório.",
            chat(true, None, Some(ME)),
            me_in_sales,
            vec![All, Mine, InService],
        ),
        (
            "No Fluxo de Conversa, no nó de Ação, abrir conversa para o último agente que atendeu.",
            chat(true, None, Some(ME)),
            me_in_sales,
            vec![All, Mine, InService],
        ),
        (
            "No Fluxo de Conversa, no nó de Ação, abrir conversa para um agente sequencial.",
            chat(true, None, Some(ME)),
            me_in_sales,
            vec![All, Mine, InService],
        ),
        (
            "Chats quando o botão Chatbot está desligado: aparecem em 'todos os chats' e em 'chats abertos'.",
            chat(true, None, None),
            me_in_sales,
            vec![All, Open],
        ),
        (
            "Chats em um fluxo de conversa ou quando terminam o fluxo: aparecem apenas em 'todos os chats'. (em fluxo)",
            chat(false, None, None),
            me_in_sales,
            vec![All],
        ),
        (
            "Chats em um fluxo de conversa ou quando terminam o fluxo: aparecem apenas em 'todos os chats'. (fluxo terminado)",
            chat(false, None, None),
            me_in_sales,
            vec![All],
        ),
        (
            "a menção é apenas listada em 'todos os chats'.",
            chat(false, None, None),
            outsider,
            vec![All],
        ),
        // Visibility: department members, permission 6, the agent.
        (
            "Chats abertos: aparecem todos os chats que NÃO estão encerrados, que estão sem agente e os que estão atribuídos ao departamento do usuário. (não membro)",
            chat(true, Some(SALES), None),
            outsider,
            vec![],
        ),
        (
            "Obs.: quem possui a permissão 6 de chat poderá ver o contato, mesmo que o usuário com tal permissão não esteja naquele departamento.",
            chat(true, Some(SALES), None),
            outsider_p6,
            vec![All, Open],
        ),
        (
            "Por exemplo, se o cliente tiver permissão para ver todos os chats, ele verá inclusive chats que não são de seu departamento.",
            chat(true, Some(SALES), Some(ME)),
            outsider_p6,
            vec![All, InService],
        ),
        (
            "Meus chats: aparecem apenas os chats que o usuário está atribuído como agente. (o próprio agente)",
            chat(true, None, Some(ME)),
            me_in_sales,
            vec![All, Mine, InService],
        ),
        (
            "Em atendimento: aparecem todos os chats que possuem um agente atribuído. (outro agente)",
            chat(true, None, Some(ME)),
            other_in_sales,
            vec![All, InService],
        ),
        (
            "Meus chats: aparecem apenas os chats que o usuário está atribuído como agente. (agente fora do departamento do chat)",
            chat(true, Some(SUPPORT), Some(ME)),
            me_in_sales,
            vec![All, Mine, InService],
        ),
        // Agent and department together (seed 004 l. 181): not in Open.
        (
            "Quando um agente enviar uma mensagem para um contato que já possui um departamento atribuído (mas não um agente atribuído), o agente também será atribuído a esse departamento. (o agente)",
            from_assignment(replied_in_sales),
            me_in_sales,
            vec![All, Mine, InService],
        ),
        (
            "Quando um agente enviar uma mensagem para um contato que já possui um departamento atribuído (mas não um agente atribuído), o agente também será atribuído a esse departamento. (colega do departamento)",
            from_assignment(replied_in_sales),
            other_in_sales,
            vec![All, InService],
        ),
        (
            "Quando um agente enviar uma mensagem para um contato que já possui um departamento atribuído (mas não um agente atribuído), o agente também será atribuído a esse departamento. (fora do departamento)",
            from_assignment(replied_in_sales),
            outsider,
            vec![],
        ),
    ];
    for (seed, state, (who, departments, see_all_chats), expected) in cases {
        let viewer = Viewer {
            user_id: user(who),
            departments,
            see_all_chats,
        };
        assert_eq!(views_of(&state, &viewer), expected, "{seed}");
        assert_eq!(can_see(&state, &viewer), !expected.is_empty(), "{seed}");
        for view in ChatView::ALL {
            assert_eq!(
                in_view(&state, &viewer, *view),
                expected.contains(view),
                "{view}: {seed}"
            );
        }
    }
}

#[test]
fn names_and_labels() {
    assert_names!(ChatView, ["all", "open", "mine", "in_service"]);
    let labels: Vec<&str> = ChatView::ALL.iter().map(|v| v.label_pt()).collect();
    // Seed 004 l. 6: "Existem 4 status de Chat:"
    assert_eq!(
        labels,
        [
            "Todos os chats",
            "Chats abertos",
            "Meus chats",
            "Em atendimento"
        ]
    );
}
