//! Absence messages (LC-19): a contact writing to an absent agent's chat is
//! answered once per attendance, with a button that hands the chat to the
//! suggested colleague; the API's rules.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

use crate::helpers::{Session, assert_error};
use crate::support::Wa;

const WA_ID: &str = "5511923456789";

/// A chat of `agent`'s: the customer writes, an admin assigns it.
async fn chat_of(wa: &Wa, agent: &Session) -> String {
    let conv = wa.customer_writes(WA_ID, "Clara", "bom dia").await;
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/assign"),
            json!({"agent_id": agent.user_id}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    conv
}

async fn set_absence(who: &Session, user: &str, inbox: &str, body: Value) -> reqwest::Response {
    who.send(
        Method::PUT,
        &format!("/api/v1/users/{user}/absences/{inbox}"),
        Some(body),
    )
    .await
}

/// Waits until the chat holds `n` messages from the contact.
async fn contact_messages(wa: &Wa, conv: &str, n: usize) {
    wa.until(async || {
        let m = wa.messages(conv).await;
        (m.iter().filter(|m| m["author_kind"] == "contact").count() >= n).then_some(())
    })
    .await;
}

#[tokio::test]
async fn an_absent_agents_contact_is_answered_once_and_can_ask_for_the_colleague() {
    let wa = Wa::start().await;
    let ana = wa.app.named_user(&wa.admin, "agent", "Ana Lima").await;
    let bruno = wa.app.named_user(&wa.admin, "agent", "Bruno Souza").await;
    let conv = chat_of(&wa, &ana).await;

    let r = set_absence(
        &ana,
        &ana.user_id,
        &wa.inbox_id,
        json!({"message": "Estou de férias até dia 10.", "suggested_agent_id": bruno.user_id}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let a: Value = r.json().await.unwrap();
    assert_eq!(a["suggested_agent_name"], "Bruno Souza");
    assert_eq!(a["inbox_id"], wa.inbox_id.as_str());

    // The contact writes: the absence message goes out with the button.
    let (_, m) = wa.sim.text_payload(WA_ID, "Clara", "alguém aí?");
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    let interactive = &sent[0].body["interactive"];
    assert_eq!(interactive["body"]["text"], "Estou de férias até dia 10.");
    let button = &interactive["action"]["buttons"][0]["reply"];
    assert_eq!(button["title"], "Falar com Bruno");
    let button_id = button["id"].as_str().unwrap().to_string();

    // Writing again in the same attendance does not repeat it.
    let (_, m) = wa.sim.text_payload(WA_ID, "Clara", "oi??");
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    contact_messages(&wa, &conv, 3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        wa.graph.sent_messages().len(),
        1,
        "sent once per attendance"
    );
    assert_eq!(wa.admin.conversation(&conv).await["agent_id"], ana.user_id);

    // The button's tap hands the chat to the colleague.
    let (_, m) = wa
        .sim
        .button_reply_payload(WA_ID, "Clara", &button_id, "Falar com Bruno");
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    wa.until(async || {
        let c = wa.admin.conversation(&conv).await;
        (c["agent_id"] == bruno.user_id.as_str()).then_some(())
    })
    .await;
    let lines: Vec<String> = wa
        .messages(&conv)
        .await
        .iter()
        .filter(|m| m["author_kind"] == "system")
        .filter_map(|m| m["text"].as_str().map(str::to_string))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l == "O contato pediu para falar com Bruno Souza (ausência de Ana Lima)."),
        "{lines:?}"
    );
    // Bruno is not away: nothing more goes out.
    let (_, m) = wa.sim.text_payload(WA_ID, "Clara", "oi Bruno");
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    contact_messages(&wa, &conv, 5).await;
    assert_eq!(wa.graph.sent_messages().len(), 1);
}

#[tokio::test]
async fn without_a_colleague_it_is_plain_text_and_turning_it_off_stops_it() {
    let wa = Wa::start().await;
    let ana = wa.app.named_user(&wa.admin, "agent", "Ana Lima").await;
    let conv = chat_of(&wa, &ana).await;
    // A manager (here the admin) sets it for the agent.
    let r = set_absence(
        &wa.admin,
        &ana.user_id,
        &wa.inbox_id,
        json!({"message": "  Volto segunda-feira.  "}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let (_, m) = wa.sim.text_payload(WA_ID, "Clara", "olá");
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(sent[0].body["text"]["body"], "Volto segunda-feira.");

    // Off: a new attendance with Ana gets nothing.
    let r = ana
        .delete(&format!(
            "/api/v1/users/{}/absences/{}",
            ana.user_id, wa.inbox_id
        ))
        .await;
    assert_eq!(r.status(), 204);
    let r = ana
        .post(&format!("/api/v1/conversations/{conv}/close"), json!({}))
        .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let again = chat_of(&wa, &ana).await;
    assert_eq!(again, conv);
    let (_, m) = wa.sim.text_payload(WA_ID, "Clara", "de novo");
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    contact_messages(&wa, &conv, 3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(wa.graph.sent_messages().len(), 1);
}

#[tokio::test]
async fn the_absence_api_checks_its_input_and_who_may_see_and_change_it() {
    let wa = Wa::start().await;
    let ana = wa.app.named_user(&wa.admin, "agent", "Ana Lima").await;
    let bia = wa.app.named_user(&wa.admin, "agent", "Bia Reis").await;
    let inbox = wa.inbox_id.clone();
    for (body, message) in [
        (json!({"message": "   "}), "Escreva a mensagem de ausência."),
        (
            json!({"message": "x".repeat(1025)}),
            "A mensagem de ausência pode ter até 1024 caracteres.",
        ),
        (
            json!({"message": "Fora", "suggested_agent_id": ana.user_id}),
            "Sugira outro agente, não o próprio agente ausente.",
        ),
    ] {
        let r = set_absence(&ana, &ana.user_id, &inbox, body).await;
        let e = assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
        assert_eq!(e["error"]["message"], message);
    }
    // An id in the body that names nothing here is a 404, as the document
    // says for every id.
    let r = set_absence(
        &ana,
        &ana.user_id,
        &inbox,
        json!({"message": "Fora", "suggested_agent_id": uuid::Uuid::now_v7()}),
    )
    .await;
    let e = assert_error(r, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(e["error"]["message"], "Agente sugerido não encontrado.");
    let r = set_absence(
        &ana,
        &ana.user_id,
        &uuid::Uuid::now_v7().to_string(),
        json!({"message": "Fora"}),
    )
    .await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        wa.admin.get_json("/api/v1/absences").await,
        json!([]),
        "nothing was stored"
    );

    // An agent changes only their own.
    let r = set_absence(&bia, &ana.user_id, &inbox, json!({"message": "Fora"})).await;
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = set_absence(&ana, &ana.user_id, &inbox, json!({"message": "Fora"})).await;
    assert_eq!(r.status(), 200);
    let r = set_absence(&bia, &bia.user_id, &inbox, json!({"message": "Férias"})).await;
    assert_eq!(r.status(), 200);
    // An agent sees their own; a manager everyone's.
    let mine = bia.get_json("/api/v1/absences").await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["message"], "Férias");
    let r = bia
        .get(&format!("/api/v1/absences?user_id={}", ana.user_id))
        .await;
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let all = wa
        .admin
        .get_json(&format!("/api/v1/absences?inbox_id={inbox}"))
        .await;
    let names: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["user_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ana Lima", "Bia Reis"]);
    let r = bia
        .delete(&format!("/api/v1/users/{}/absences/{inbox}", ana.user_id))
        .await;
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = ana
        .delete(&format!("/api/v1/users/{}/absences/{inbox}", ana.user_id))
        .await;
    assert_eq!(r.status(), 204);
    let r = ana
        .delete(&format!("/api/v1/users/{}/absences/{inbox}", ana.user_id))
        .await;
    assert_eq!(r.status(), 404);
}
