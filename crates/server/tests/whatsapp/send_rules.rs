//! The rules every outbound message keeps, whichever path sends it (the
//! agent's reply, the closing message, the active message, the send job):
//! internal notes never leave (LC-8), a blocked contact receives nothing
//! (CT-4), outside the session window only templates leave (CH-5), and
//! variables are filled (CH-10, CH-8). Each test here was first seen failing
//! against the server before the one send path existed.

use std::time::Duration;

use atende_testkit::{FakeTemplate, InjectedError};
use serde_json::{Value, json};

use crate::support::{PHONE_ID, WABA, Wa};

const ANA: &str = "5511987654321";

/// What the fake Graph API received, once nothing more is coming.
async fn settled_sends(wa: &Wa) -> Vec<Value> {
    tokio::time::sleep(Duration::from_millis(600)).await;
    wa.graph
        .sent_messages()
        .into_iter()
        .map(|r| r.body)
        .collect()
}

/// A chat whose contact (`wa_id`) last wrote 25 hours ago by WhatsApp's
/// clock.
async fn stale_chat(wa: &Wa, wa_id: &str) -> String {
    let (_, mut payload) = wa.sim.text_payload(wa_id, "Caio", "Oi");
    let old = (chrono::Utc::now().timestamp() - 25 * 3600).to_string();
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = json!(old);
    assert_eq!(wa.sim.post(&wa.http, &payload).await.status, 200);
    wa.conversations()
        .await
        .into_iter()
        .find(|c| c["contact"]["phone"] == format!("+{wa_id}"))
        .expect("the stale chat")["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn block(wa: &Wa, conv: &str) {
    let contact = wa.admin.conversation(conv).await["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = wa
        .admin
        .post_empty(&format!("/api/v1/contacts/{contact}/block"))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

fn texts(messages: &[Value]) -> Vec<String> {
    messages
        .iter()
        .filter_map(|m| m["text"].as_str().map(str::to_string))
        .collect()
}

/// LC-8: `internal` (or `/interna`) with a file, a place or a contact card
/// is a note like any other: stored, shown, never delivered.
#[tokio::test]
async fn an_internal_note_never_reaches_the_contact_whatever_it_holds() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes(ANA, "Ana", "Oi").await;
    let path = format!("/api/v1/conversations/{conv}/messages");
    for body in [
        json!({"internal": true, "media": {"kind": "image", "link": "https://example.com/a.png"}}),
        json!({"internal": true, "location": {"latitude": -23.5, "longitude": -46.6, "name": "Loja"}}),
        json!({"internal": true, "contacts": [{"name": "Bruno", "phone": "11987650000"}]}),
        json!({"text": "/interna só para a equipe", "media": {"kind": "document", "link": "https://example.com/b.pdf"}}),
    ] {
        let r = wa.admin.post(&path, body.clone()).await;
        assert_eq!(r.status(), 202, "{body}");
        let m: Value = r.json().await.unwrap();
        assert_eq!(m["internal"], true, "{body} → {m}");
    }
    let r = wa
        .admin
        .post(
            &path,
            json!({"internal": true, "interactive": {"type": "button", "body": {"text": "?"},
                "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}]}}}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "internal_not_allowed");
    let notes = wa.messages(&conv).await;
    let caption = notes
        .iter()
        .find(|m| m["kind"] == "document")
        .expect("the note with a file");
    assert_eq!(caption["text"], "só para a equipe");
    assert_eq!(caption["internal"], true);

    let r = wa.admin.post(&path, json!({"text": "Olá, Ana"})).await;
    assert_eq!(r.status(), 202);
    wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    let sent = settled_sends(&wa).await;
    assert_eq!(sent.len(), 1, "only the reply left: {sent:?}");
    assert_eq!(sent[0]["text"]["body"], "Olá, Ana");
}

/// CT-4 at delivery: a message queued while the contact could still be
/// reached does not leave once they are blocked.
#[tokio::test]
async fn a_message_queued_before_the_block_is_not_delivered() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes(ANA, "Ana", "Oi").await;
    // The Graph API fails the first attempt: the send waits for its retry.
    wa.graph
        .inject_error(PHONE_ID, InjectedError::code(131000).times(1));
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "Segue o boleto"}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    wa.until(async || (!wa.graph.requests().is_empty()).then_some(()))
        .await;
    block(&wa, &conv).await;
    let m = wa
        .until(async || {
            wa.messages(&conv)
                .await
                .into_iter()
                .find(|m| m["id"] == id.as_str() && m["status"] != "queued")
        })
        .await;
    assert_eq!(m["status"], "failed", "{m}");
    assert_eq!(m["error_code"], "contact_blocked");
    let accepted: Vec<_> = wa
        .graph
        .sent_messages()
        .into_iter()
        .filter(|r| r.status == 200)
        .collect();
    assert!(accepted.is_empty(), "delivered to a blocked contact");
}

/// The closing message goes through the same rules: variables filled
/// (CH-10), a blocked contact (CT-4) and a closed window (CH-5) keep it
/// from leaving, with a line in the chat saying why.
#[tokio::test]
async fn the_closing_message_fills_variables_and_keeps_the_block_and_the_window() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes(ANA, "Ana", "Oi").await;
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/close"),
            json!({"message": "Obrigado pelo contato, {nome}!"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(sent[0].body["text"]["body"], "Obrigado pelo contato, Ana!");

    // Blocked: the attendance closes, the message stays home.
    let bia = "5511911112222";
    let blocked = wa.customer_writes(bia, "Bia", "Oi").await;
    block(&wa, &blocked).await;
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{blocked}/close"),
            json!({"message": "Até logo, {nome}"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        texts(&wa.messages(&blocked).await)
            .contains(&"Mensagem de encerramento não enviada: o contato está bloqueado.".into())
    );

    // Past the 24 h window: the same.
    let stale = stale_chat(&wa, "5511933334444").await;
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{stale}/close"),
            json!({"message": "Até logo"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let lines = texts(&wa.messages(&stale).await);
    assert!(
        lines.contains(
            &"Mensagem de encerramento não enviada: a sessão de 24 horas com o contato expirou."
                .into()
        ),
        "{lines:?}"
    );
    let sent = settled_sends(&wa).await;
    assert_eq!(sent.len(), 1, "only Ana's closing message left: {sent:?}");
}

/// CT-4 on the out-of-hours list's "Enviar mensagem ativa" (LC-21).
#[tokio::test]
async fn the_active_message_is_refused_to_a_blocked_contact() {
    let wa = Wa::start().await;
    let doc = json!({"schema": 1, "name": "Horário", "start": "h", "steps": {
        "h": {"type": "hours", "open": "oi", "closed": "fora"},
        "oi": {"type": "send", "content": {"kind": "text", "text": "Aberto"}},
        "fora": {"type": "send", "content": {"kind": "text", "text": "Fechado agora"}}}});
    let r = wa
        .admin
        .post(
            "/api/v1/flows/import",
            json!({"document": doc, "entry_inbox": wa.inbox_id}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let today = chrono::Utc::now().date_naive().to_string();
    let r = wa
        .admin
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/inboxes/{}/business-hours", wa.inbox_id),
            Some(json!({"hours": {"time_zone": "UTC",
                "shifts": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "08:00", "to": "18:00"}],
                "holidays": [{"date": today, "name": "Feriado"}]}})),
        )
        .await;
    assert_eq!(r.status(), 204);
    let conv = wa.customer_writes(ANA, "Ana", "oi").await;
    let entry = wa
        .until(async || {
            let l = wa.admin.get_json("/api/v1/out-of-hours").await;
            l[0]["id"].as_str().map(str::to_string)
        })
        .await;
    wa.graph
        .add_template(WABA, FakeTemplate::approved("retorno", "pt_BR"));
    let r = wa
        .admin
        .post(
            &format!("/api/v1/inboxes/{}/templates/sync", wa.inbox_id),
            json!({}),
        )
        .await;
    assert!(r.status().is_success());
    wa.synced_templates().await;
    wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    block(&wa, &conv).await;
    let r = wa
        .admin
        .post(
            &format!("/api/v1/out-of-hours/{entry}/active-message"),
            json!({"template": {"name": "retorno", "variables": ["{nome}"]}}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "contact_blocked");
    let list = wa.admin.get_json("/api/v1/out-of-hours").await;
    assert_eq!(list[0]["active_message_sent"], false, "nothing changed");
    let sent = settled_sends(&wa).await;
    assert!(
        sent.iter().all(|b| b["type"] != "template"),
        "a template reached a blocked contact: {sent:?}"
    );
}

/// CT-1: the profile name is only the default; a name a person gave the
/// contact survives their next message.
#[tokio::test]
async fn a_name_an_agent_gave_the_contact_survives_their_next_message() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes(ANA, "Ana ✨", "Oi").await;
    let contact = wa.admin.conversation(&conv).await["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = wa
        .admin
        .patch(
            &format!("/api/v1/contacts/{contact}"),
            json!({"name": "Ana Paula Souza"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    for text in ["Tudo bem?", "Alô"] {
        let (_, p) = wa.sim.text_payload(ANA, "Ana ✨", text);
        assert_eq!(wa.sim.post(&wa.http, &p).await.status, 200);
    }
    let c = wa.admin.conversation(&conv).await;
    assert_eq!(c["contact"]["name"], "Ana Paula Souza");
    // A contact nobody renamed still follows their profile.
    let bia = wa.customer_writes("5511911112222", "Bia", "Oi").await;
    let (_, p) = wa
        .sim
        .text_payload("5511911112222", "Beatriz", "Oi de novo");
    assert_eq!(wa.sim.post(&wa.http, &p).await.status, 200);
    assert_eq!(
        wa.admin.conversation(&bia).await["contact"]["name"],
        "Beatriz"
    );
}

/// CH-8: an image-type custom field written as `{foto}` sends the image.
#[tokio::test]
async fn an_image_field_written_as_a_variable_sends_the_image() {
    let wa = Wa::start().await;
    let r = wa
        .admin
        .post(
            "/api/v1/custom-fields",
            json!({"key": "foto", "label": "Foto", "field_type": "image"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let conv = wa.customer_writes(ANA, "Ana", "Oi").await;
    let contact = wa.admin.conversation(&conv).await["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = wa
        .admin
        .patch(
            &format!("/api/v1/contacts/{contact}"),
            json!({"custom": {"foto": "https://example.com/produto.jpg"}}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "{foto} Seu pedido, {nome}"}),
        )
        .await;
    assert_eq!(r.status(), 202, "{}", r.text().await.unwrap());
    let m: Value = r.json().await.unwrap();
    assert_eq!(m["kind"], "image");
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(sent[0].body["type"], "image", "{}", sent[0].body);
    assert_eq!(
        sent[0].body["image"]["link"],
        "https://example.com/produto.jpg"
    );
    assert_eq!(sent[0].body["image"]["caption"], "Seu pedido, Ana");
}

/// Integrators correlate receipts and Meta's logs by the channel's id.
#[tokio::test]
async fn a_sent_message_shows_the_channels_message_id() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes(ANA, "Ana", "Oi").await;
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "Olá"}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let m = wa
        .until(async || {
            wa.messages(&conv)
                .await
                .into_iter()
                .find(|m| m["id"] == id.as_str() && m["status"] == "sent")
        })
        .await;
    assert!(
        m["provider_id"]
            .as_str()
            .is_some_and(|w| w.starts_with("wamid.")),
        "{m}"
    );
    // The customer's own message carries WhatsApp's id too.
    let inbound = wa.messages(&conv).await;
    assert!(
        inbound
            .iter()
            .any(|m| m["direction"] == "in" && m["provider_id"].as_str().is_some()),
        "{inbound:?}"
    );
}

/// LC-10: a chat forwarded to a flow waits for what the contact writes next;
/// what they wrote before is no answer to the flow's question.
#[tokio::test]
async fn forwarding_to_a_flow_waits_for_the_contacts_next_answer() {
    let wa = Wa::start().await;
    for name in ["Vendas", "Suporte"] {
        wa.admin
            .post_json("/api/v1/departments", json!({"name": name}))
            .await;
    }
    let doc: Value =
        serde_json::from_str(include_str!("../../../../examples/flows/boas-vindas.json")).unwrap();
    let r = wa
        .admin
        .post("/api/v1/flows/import", json!({"document": doc}))
        .await;
    let body: Value = r.json().await.unwrap();
    assert!(body["flow"]["id"].is_string(), "{body}");
    let flow_id = body["flow"]["id"].as_str().unwrap().to_string();
    let conv = wa.customer_writes(ANA, "Ana", "Oi").await;
    let (_, p) = wa
        .sim
        .text_payload(ANA, "Ana", "Preciso de ajuda com meu pedido");
    assert_eq!(wa.sim.post(&wa.http, &p).await.status, 200);
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/flow"),
            json!({"flow_id": flow_id}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    let sent = settled_sends(&wa).await;
    assert_eq!(sent.len(), 1, "only the menu, then it waits: {sent:?}");
    assert_eq!(sent[0]["type"], "interactive");
    // The answer the contact gives now is the one taken.
    let (_, tap) = wa
        .sim
        .button_reply_payload(ANA, "Ana", "vendas", "Quero comprar");
    assert_eq!(wa.sim.post(&wa.http, &tap).await.status, 200);
    let sent = wa.graph.wait_for_sends(2, Duration::from_secs(10)).await;
    assert_eq!(
        sent[1].body["text"]["body"],
        "Ótimo! Já vou chamar alguém de Vendas para você."
    );
}
