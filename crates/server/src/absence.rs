//! Absence messages (LC-19): while an agent is away from an inbox, a contact
//! who writes to a chat of theirs is answered once per attendance with the
//! agent's message. When the agent named a colleague, the message carries a
//! reply button; the contact's tap hands the chat to that colleague.

use atende_domain::{AssignmentAction, ContentKind, UserId};
use atende_store::absences::Absence;
use atende_store::chats::Conversation;
use atende_store::{StoreError, Tx};
use serde_json::json;

/// The id of the suggestion button's reply: this prefix and the colleague.
const BUTTON: &str = "absence:";

/// WhatsApp's limits: a reply button's title and an interactive body.
pub const TITLE_MAX: usize = 20;
pub const MESSAGE_MAX: usize = 1024;

/// The suggestion button's title: "Falar com" and the colleague's first
/// name, cut to the button's limit.
pub fn button_title(colleague: &str) -> String {
    let first = colleague.split_whitespace().next().unwrap_or(colleague);
    format!("Falar com {first}")
        .chars()
        .take(TITLE_MAX)
        .collect()
}

/// The colleague a reply's button id names, if it is a suggestion's.
fn suggested_by_reply(reply_id: Option<&str>) -> Option<UserId> {
    reply_id?.strip_prefix(BUTTON)?.parse().ok()
}

/// Handles a contact's message on a chat with an open attendance: a tap on
/// the suggestion hands the chat over; otherwise the absence message goes
/// out if this attendance has not had it yet.
pub async fn on_contact_message(
    tx: &mut Tx,
    conv: &Conversation,
    reply_id: Option<&str>,
) -> Result<(), StoreError> {
    let Some(absence) = tx.absence_of_chat(conv).await? else {
        return Ok(());
    };
    if let Some(colleague) = absence.suggested_agent_id
        && absence.suggested_agent_name.is_some()
        && suggested_by_reply(reply_id) == Some(colleague)
    {
        return hand_to_colleague(tx, conv, &absence, colleague).await;
    }
    if tx.note_absence_sent(conv).await? {
        send(tx, conv, &absence).await?;
    }
    Ok(())
}

async fn hand_to_colleague(
    tx: &mut Tx,
    conv: &Conversation,
    absence: &Absence,
    colleague: UserId,
) -> Result<(), StoreError> {
    let line = format!(
        "O contato pediu para falar com {} (ausência de {}).",
        absence.suggested_agent_name.as_deref().unwrap_or_default(),
        absence.user_name
    );
    tx.assign(
        conv,
        AssignmentAction::ForwardToAgent(colleague),
        None,
        Some(line),
    )
    .await?;
    Ok(())
}

async fn send(tx: &mut Tx, conv: &Conversation, absence: &Absence) -> Result<(), StoreError> {
    let text = absence.message.clone();
    let (kind, payload) = match (absence.suggested_agent_id, &absence.suggested_agent_name) {
        (Some(id), Some(name)) => {
            let button = json!({"type": "reply", "reply": {"id": format!("{BUTTON}{id}"), "title": button_title(name)}});
            let interactive =
                json!({"type": "button", "body": {"text": text}, "action": {"buttons": [button]}});
            (
                ContentKind::Interactive,
                json!({"interactive": interactive, "absence_of": absence.user_id}),
            )
        }
        _ => (ContentKind::Text, json!({"absence_of": absence.user_id})),
    };
    let contact = tx.contact(conv.org_id, conv.contact_id).await?;
    let sent = crate::chat::send::queue(
        tx,
        crate::chat::send::Send {
            conversation: conv,
            contact: &contact,
            author: crate::chat::send::Author::Bot,
            content: crate::chat::send::Composed {
                internal: false,
                kind,
                text,
                payload,
                upload: None,
            },
            idempotency_key: None,
            upload: None,
        },
    )
    .await;
    match sent {
        // A contact it may not reach (blocked, window closed) simply gets
        // no absence reply.
        Ok(_) | Err(crate::chat::send::SendError::Refused(_)) => Ok(()),
        Err(crate::chat::send::SendError::Store(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_button_names_the_colleague_by_first_name_within_the_limit() {
        assert_eq!(button_title("Bruno Souza"), "Falar com Bruno");
        let long = button_title("Maximiliano Albuquerque");
        assert_eq!(long.chars().count(), TITLE_MAX);
        assert!(long.starts_with("Falar com Maximilia"));
    }

    #[test]
    fn only_a_suggestion_button_names_a_colleague() {
        let id = UserId::new();
        assert_eq!(suggested_by_reply(Some(&format!("absence:{id}"))), Some(id));
        assert_eq!(suggested_by_reply(Some("vendas")), None);
        assert_eq!(suggested_by_reply(Some("absence:nope")), None);
        assert_eq!(suggested_by_reply(None), None);
    }
}
