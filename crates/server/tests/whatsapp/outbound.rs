use std::time::Duration;

use atende_testkit::{FakeTemplate, InjectedError};
use serde_json::{Value, json};

use crate::support::{PHONE_ID, TOKEN, WABA, Wa};

/// The last sent message's status as the API shows it.
async fn status_of(wa: &Wa, conv: &str, id: &str) -> Value {
    wa.messages(conv)
        .await
        .into_iter()
        .find(|m| m["id"] == id)
        .unwrap()
}

#[tokio::test]
async fn an_agent_reply_reaches_graph_with_the_exact_cloud_api_body() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "Olá {nome}! Veja https://atende.dev"}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let msg: Value = r.json().await.unwrap();
    assert_eq!(msg["status"], "queued");
    assert_eq!(
        msg["text"], "Olá Ana! Veja https://atende.dev",
        "CH-10 variables are filled"
    );
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(
        sent[0].path,
        format!("/{}/{PHONE_ID}/messages", wa.graph.version())
    );
    assert_eq!(
        sent[0].authorization.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let id = msg["id"].as_str().unwrap().to_string();
    assert_eq!(
        sent[0].body,
        json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": "5511987654321", "type": "text",
               "text": {"body": "Olá Ana! Veja https://atende.dev", "preview_url": true},
               "biz_opaque_callback_data": id})
    );
    let m = wa
        .until(async || Some(status_of(&wa, &conv, &id).await).filter(|m| m["status"] == "sent"))
        .await;
    assert_eq!(m["status"], "sent");
}

#[tokio::test]
async fn statuses_move_forward_only_and_read_before_delivered_ends_read() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    let msg: Value = wa
        .admin
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "Olá"}),
        )
        .await;
    let id = msg["id"].as_str().unwrap().to_string();
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    let wamid = sent[0].wamid().unwrap().to_string();
    wa.until(async || Some(status_of(&wa, &conv, &id).await).filter(|m| m["status"] == "sent"))
        .await;
    for s in ["read", "delivered", "sent"] {
        let p = wa.sim.status_payload(&wamid, s, "5511987654321", None);
        assert_eq!(wa.sim.post(&wa.http, &p).await.status, 200);
    }
    assert_eq!(status_of(&wa, &conv, &id).await["status"], "read");
}

#[tokio::test]
async fn failed_131047_fails_the_message_with_metas_text() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    let msg: Value = wa
        .admin
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "Olá"}),
        )
        .await;
    let id = msg["id"].as_str().unwrap().to_string();
    let wamid = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await[0]
        .wamid()
        .unwrap()
        .to_string();
    wa.until(async || Some(status_of(&wa, &conv, &id).await).filter(|m| m["status"] == "sent"))
        .await;
    let details = "Message failed to send because more than 24 hours have passed since the customer last replied to this number.";
    let p = wa.sim.status_payload(
        &wamid,
        "failed",
        "5511987654321",
        Some((131047, "Re-engagement message", details)),
    );
    assert_eq!(wa.sim.post(&wa.http, &p).await.status, 200);
    let m = status_of(&wa, &conv, &id).await;
    assert_eq!(m["status"], "failed");
    assert_eq!(m["error_code"], "131047");
    assert!(
        m["error_text"]
            .as_str()
            .unwrap()
            .contains("more than 24 hours"),
        "{m}"
    );
}

#[tokio::test]
async fn a_status_alone_is_acknowledged_and_never_creates_a_conversation() {
    let wa = Wa::start().await;
    let p = wa
        .sim
        .status_payload("wamid.EARLY", "delivered", "5511987654321", None);
    assert_eq!(wa.sim.post(&wa.http, &p).await.status, 200);
    assert!(
        wa.conversations().await.is_empty(),
        "a status alone never creates a conversation"
    );
}

#[tokio::test]
async fn outside_the_window_free_form_is_422_but_templates_and_notes_go() {
    let wa = Wa::start().await;
    wa.graph
        .add_template(WABA, FakeTemplate::approved("pedido_enviado", "pt_BR"));
    // The contact's last message, by WhatsApp's own timestamp, is 25 h old
    // (a delivery Meta retried for a day).
    let (_, mut payload) = wa.sim.text_payload("5511987654321", "Ana", "Oi");
    let old = (chrono::Utc::now().timestamp() - 25 * 3600).to_string();
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = json!(old);
    assert_eq!(wa.sim.post(&wa.http, &payload).await.status, 200);
    let conv = wa.conversations().await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let c = wa
        .admin
        .get_json(&format!("/api/v1/conversations/{conv}"))
        .await;
    assert_eq!(c["window"], "expired");
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "Oi de novo"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "session_expired");
    assert_eq!(
        wa.admin
            .post(
                &format!("/api/v1/conversations/{conv}/messages"),
                json!({"text": "nota", "internal": true})
            )
            .await
            .status(),
        202
    );
    // Templates sync on inbox creation; wait until it is there.
    let inbox = wa.inbox_id.clone();
    wa.until(async || {
        let list = wa
            .admin
            .get_json(&format!("/api/v1/inboxes/{inbox}/templates"))
            .await;
        list.as_array().filter(|l| !l.is_empty()).cloned()
    })
    .await;
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"template": {"name": "pedido_enviado", "variables": ["{nome}"]}}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(sent[0].body["type"], "template");
    assert_eq!(sent[0].body["template"]["name"], "pedido_enviado");
    assert_eq!(
        sent[0].body["template"]["components"][0]["parameters"][0]["text"],
        "Ana"
    );
}

#[tokio::test]
async fn an_expired_token_marks_the_inbox_and_fails_the_message_until_replaced() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    wa.graph.inject_error(PHONE_ID, InjectedError::code(190));
    let msg: Value = wa
        .admin
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "Olá"}),
        )
        .await;
    let id = msg["id"].as_str().unwrap().to_string();
    let m = wa
        .until(async || Some(status_of(&wa, &conv, &id).await).filter(|m| m["status"] == "failed"))
        .await;
    assert_eq!(m["error_code"], "190");
    assert!(
        m["error_text"]
            .as_str()
            .unwrap()
            .contains("Error validating access token"),
        "{m}"
    );
    let inbox = wa
        .admin
        .get_json(&format!("/api/v1/inboxes/{}", wa.inbox_id))
        .await;
    assert_eq!(inbox["needs_reauth"], true);
    let r = wa
        .admin
        .patch(
            &format!("/api/v1/inboxes/{}", wa.inbox_id),
            // Only the new token: the other credentials stay.
            json!({"whatsapp": {"access_token": TOKEN, "app_secret": ""}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let inbox: Value = r.json().await.unwrap();
    assert_eq!(inbox["needs_reauth"], false);
    assert_eq!(inbox["settings"]["phone_number_id"], PHONE_ID);
    assert_eq!(inbox["settings"]["waba_id"], WABA);
    let mut set: Vec<&str> = inbox["secrets_set"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    set.sort();
    assert_eq!(set, vec!["access_token", "app_secret", "verify_token"]);
    // The kept app secret still verifies the customer's webhooks.
    wa.customer_writes("5511987654321", "Ana", "Voltou?").await;
}

#[tokio::test]
async fn transient_errors_are_retried_until_sent() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    wa.graph.inject_error(PHONE_ID, InjectedError::code(131000));
    let msg: Value = wa
        .admin
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "Olá"}),
        )
        .await;
    let id = msg["id"].as_str().unwrap().to_string();
    let m = wa
        .until(async || Some(status_of(&wa, &conv, &id).await).filter(|m| m["status"] == "sent"))
        .await;
    assert_eq!(m["status"], "sent");
    assert_eq!(wa.graph.sent_messages().len(), 1);
}

#[tokio::test]
async fn new_chat_sends_a_template_and_refuses_an_existing_contact() {
    let wa = Wa::start().await;
    wa.graph
        .add_template(WABA, FakeTemplate::approved("boas_vindas", "pt_BR"));
    let inbox = wa.inbox_id.clone();
    wa.synced_templates().await;
    let body = json!({"inbox_id": inbox, "name": "Carlos", "phone": "(11) 98888-7777", "open_attendance": true,
        "template": {"name": "boas_vindas", "variables": ["{nome}"]}});
    let r = wa.admin.post("/api/v1/chats", body.clone()).await;
    assert_eq!(r.status(), 201);
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["contact"]["phone"], "+5511988887777");
    assert_eq!(c["agent_id"], wa.admin.user_id.as_str());
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(sent[0].body["to"], "5511988887777");
    assert_eq!(
        sent[0].body["template"]["components"][0]["parameters"][0]["text"],
        "Carlos"
    );
    let again = wa.admin.post("/api/v1/chats", body).await;
    assert_eq!(again.status(), 409);
    let e: Value = again.json().await.unwrap();
    assert_eq!(e["error"]["message"], "Conversa já existente");
    // It names the existing chat, so a client can open it.
    assert_eq!(e["error"]["details"]["conversation_id"], c["id"]);
    assert_eq!(e["error"]["details"]["contact_id"], c["contact"]["id"]);
}

#[tokio::test]
async fn opening_a_chat_marks_the_customers_messages_read_on_whatsapp() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    assert_eq!(
        wa.admin
            .post(&format!("/api/v1/conversations/{conv}/read"), json!({}))
            .await
            .status(),
        204
    );
    wa.until(async || {
        wa.graph
            .requests()
            .into_iter()
            .find(|r| r.body.get("status") == Some(&json!("read")))
    })
    .await;
}

#[tokio::test]
async fn contact_cards_locations_media_links_and_buttons_reach_graph_in_cloud_api_shape() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    let path = format!("/api/v1/conversations/{conv}/messages");
    let bodies = [
        json!({"contacts": [{"name": "Joana Prado", "phone": "(21) 99876-5432", "email": "joana@exemplo.com.br"}]}),
        json!({"location": {"latitude": -23.5614, "longitude": -46.6559, "name": "Loja Paulista", "address": "Av. Paulista, 1000"}}),
        json!({"media": {"kind": "document", "link": "https://exemplo.com.br/boleto.pdf", "filename": "boleto.pdf"}, "text": "Segue o boleto, {nome}"}),
        json!({"interactive": {"type": "button", "body": {"text": "Podemos confirmar?"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "sim", "title": "Sim"}}]}}}),
    ];
    for b in &bodies {
        let r = wa.admin.post(&path, b.clone()).await;
        assert_eq!(r.status(), 202, "{b}");
    }
    let sent = wa.graph.wait_for_sends(4, Duration::from_secs(10)).await;
    assert_eq!(sent.len(), 4);
    let by_type = |t: &str| {
        sent.iter()
            .find(|r| r.body["type"] == t)
            .unwrap_or_else(|| panic!("no {t} sent"))
            .body
            .clone()
    };
    let c = by_type("contacts");
    assert_eq!(c["contacts"][0]["name"]["formatted_name"], "Joana Prado");
    assert_eq!(c["contacts"][0]["phones"][0]["phone"], "+5521998765432");
    assert_eq!(
        c["contacts"][0]["emails"][0]["email"],
        "joana@exemplo.com.br"
    );
    assert_eq!(
        by_type("location")["location"],
        json!({"latitude": -23.5614, "longitude": -46.6559, "name": "Loja Paulista", "address": "Av. Paulista, 1000"})
    );
    let d = by_type("document");
    assert_eq!(
        d["document"],
        json!({"link": "https://exemplo.com.br/boleto.pdf", "caption": "Segue o boleto, Ana", "filename": "boleto.pdf"})
    );
    assert_eq!(
        by_type("interactive")["interactive"]["action"]["buttons"][0]["reply"]["id"],
        "sim"
    );
    let bad = wa
        .admin
        .post(
            &path,
            json!({"media": {"kind": "image", "link": "ftp://x"}}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let two = wa
        .admin
        .post(
            &path,
            json!({"location": {"latitude": 1.0, "longitude": 1.0}, "contacts": []}),
        )
        .await;
    assert_eq!(two.status(), 422);
}

#[tokio::test]
async fn an_uploaded_file_is_sent_by_its_whatsapp_media_id() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    let r = wa
        .upload("orcamento.pdf", "application/pdf", b"%PDF-1.4 fake")
        .await;
    assert_eq!(r.status(), 201);
    let up: Value = r.json().await.unwrap();
    let id = up["id"].as_str().unwrap().to_string();
    assert_eq!(wa.graph.uploaded(&id).unwrap().0, b"%PDF-1.4 fake");
    let body = json!({"media": {"kind": "document", "id": id, "filename": "orcamento.pdf"}, "text": "Segue o orçamento"});
    assert_eq!(
        wa.admin
            .post(&format!("/api/v1/conversations/{conv}/messages"), body)
            .await
            .status(),
        202
    );
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(
        sent[0].body["document"],
        json!({"id": id, "caption": "Segue o orçamento", "filename": "orcamento.pdf"})
    );
    // The thread keeps the file: read back, the message links to it.
    let msgs = wa.messages(&conv).await;
    let doc = msgs
        .iter()
        .find(|m| m["kind"] == "document")
        .expect("document");
    assert_eq!(doc["media"]["filename"], "orcamento.pdf");
    assert_eq!(doc["media"]["mime_type"], "application/pdf");
    // Other viewers learn that the message has a file.
    let events = wa.admin.get_json("/api/v1/events?after=0&limit=5000").await;
    assert!(
        events["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "media.updated" && e["payload"]["message_id"] == doc["id"]),
        "{events}"
    );
    let url = doc["media"]["url"].as_str().expect("signed link");
    let file = wa.admin.client.get(url).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(&file.bytes().await.unwrap()[..], b"%PDF-1.4 fake");
    // The same file as an image: WhatsApp would refuse it, so we do first.
    let before = wa.graph.sent_messages().len();
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"media": {"kind": "image", "id": id}}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "media_not_accepted");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("JPEG ou PNG"),
        "{e}"
    );
    assert_eq!(wa.graph.sent_messages().len(), before);
    let empty = reqwest::multipart::Form::new().text("other", "x");
    let r = wa
        .admin
        .client
        .post(
            wa.app
                .url(&format!("/api/v1/inboxes/{}/media", wa.inbox_id)),
        )
        .header("x-csrf-token", &wa.admin.csrf)
        .multipart(empty)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn a_template_send_is_built_from_its_header_and_body_values() {
    let wa = Wa::start().await;
    let mut pedido = FakeTemplate::approved("pedido_enviado", "pt_BR");
    pedido.components = json!([
        {"type": "HEADER", "format": "TEXT", "text": "Pedido {{1}}"},
        {"type": "BODY", "text": "Olá {{1}}, seu pedido sai {{2}}."},
        {"type": "FOOTER", "text": "Loja"}
    ]);
    wa.graph.add_template(WABA, pedido);
    let mut promo = FakeTemplate::approved("promo_foto", "pt_BR");
    promo.components = json!([
        {"type": "HEADER", "format": "IMAGE"},
        {"type": "BODY", "text": "Oi {{cliente}}, chegou a coleção nova!"}
    ]);
    wa.graph.add_template(WABA, promo);
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    wa.synced_templates().await;
    let path = format!("/api/v1/conversations/{conv}/messages");
    // Wrong counts and missing files are refused before anything is queued.
    for (template, wanted) in [
        (
            json!({"name": "pedido_enviado", "variables": ["{nome}"], "header_variables": ["A-77"]}),
            "2 variável(is) no corpo; foram enviadas 1",
        ),
        (
            json!({"name": "pedido_enviado", "variables": ["{nome}", "hoje"]}),
            "1 variável(is) no cabeçalho; foram enviadas 0",
        ),
        (
            json!({"name": "pedido_enviado", "variables": ["{nome}", " "], "header_variables": ["A-77"]}),
            "Preencha a variável {{2}} do corpo",
        ),
        (
            json!({"name": "promo_foto", "named_variables": {"cliente": "{nome}"}}),
            "uma imagem no cabeçalho",
        ),
        (
            json!({"name": "promo_foto", "header_variables": ["x"], "named_variables": {"cliente": "{nome}"}, "header_media": {"link": "https://exemplo.com.br/a.png"}}),
            "não tem variáveis no cabeçalho",
        ),
    ] {
        let r = wa.admin.post(&path, json!({"template": template})).await;
        assert_eq!(r.status(), 422, "{template}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["code"], "template_parameters");
        assert!(
            e["error"]["message"].as_str().unwrap().contains(wanted),
            "{e}"
        );
    }
    let r = wa
        .admin
        .post(
            &path,
            json!({"template": {"name": "pedido_enviado", "variables": ["{nome}", "hoje"], "header_variables": ["A-77"]}}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let m: Value = r.json().await.unwrap();
    assert_eq!(
        m["text"],
        "Pedido A-77\n\nOlá Ana, seu pedido sai hoje.\n\nLoja"
    );
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(
        sent[0].body["template"]["components"],
        json!([
            {"type": "header", "parameters": [{"type": "text", "text": "A-77"}]},
            {"type": "body", "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "hoje"}]}
        ])
    );
    // An image header by an uploaded file: the thread keeps the image.
    let r = wa.upload("colecao.png", "image/png", b"\x89PNG fake").await;
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = wa
        .admin
        .post(
            &path,
            json!({"template": {"name": "promo_foto", "named_variables": {"cliente": "{nome}"}, "header_media": {"id": id}}}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let m: Value = r.json().await.unwrap();
    assert_eq!(
        m["media"]["mime_type"], "image/png",
        "the answer shows the file"
    );
    let sent = wa.graph.wait_for_sends(2, Duration::from_secs(10)).await;
    assert_eq!(
        sent[1].body["template"]["components"],
        json!([
            {"type": "header", "parameters": [{"type": "image", "image": {"id": id}}]},
            {"type": "body", "parameters": [{"type": "text", "parameter_name": "cliente", "text": "Ana"}]}
        ])
    );
    let msgs = wa.messages(&conv).await;
    let promo = msgs.iter().rfind(|m| m["kind"] == "template").unwrap();
    assert_eq!(promo["text"], "Oi Ana, chegou a coleção nova!");
    assert_eq!(promo["media"]["mime_type"], "image/png");
    // Raw components get their variables filled too.
    let r = wa
        .admin
        .post(
            &path,
            json!({"template": {"name": "pedido_enviado", "components": [
                {"type": "header", "parameters": [{"type": "text", "text": "B-1"}]},
                {"type": "body", "parameters": [{"type": "text", "text": "{nome}"}, {"type": "text", "text": "amanhã"}]}
            ]}}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let m: Value = r.json().await.unwrap();
    assert_eq!(
        m["text"],
        "Pedido B-1\n\nOlá Ana, seu pedido sai amanhã.\n\nLoja"
    );
    let sent = wa.graph.wait_for_sends(3, Duration::from_secs(10)).await;
    assert_eq!(
        sent[2].body["template"]["components"][1]["parameters"][0]["text"],
        "Ana"
    );
    for m in wa.messages(&conv).await {
        assert_ne!(m["status"], "failed", "{m}");
    }
}

#[tokio::test]
async fn a_blocked_contact_neither_sends_nor_receives() {
    let wa = Wa::start().await;
    // Blocking needs a message from the contact in the last 24 hours.
    let (_, mut old) = wa.sim.text_payload("5511911112222", "Bia", "Oi, faz tempo");
    let two_days_ago = (chrono::Utc::now().timestamp() - 2 * 86_400).to_string();
    old["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = json!(two_days_ago);
    assert_eq!(wa.sim.post(&wa.http, &old).await.status, 200);
    let stale = wa
        .conversations()
        .await
        .into_iter()
        .find(|c| c["contact"]["phone"] == "+5511911112222")
        .expect("Bia's chat");
    let r = wa
        .admin
        .post_empty(&format!(
            "/api/v1/contacts/{}/block",
            stale["contact"]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "block_needs_recent_message");

    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    let contact = wa.admin.conversation(&conv).await["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let block = format!("/api/v1/contacts/{contact}/block");
    let r = wa.admin.post_empty(&block).await;
    assert_eq!(r.status(), 200);
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["blocked"], true);

    // Nothing goes out: a clear error and no request to the Graph API.
    let before = wa.graph.sent_messages().len();
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "Olá"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "contact_blocked");
    assert_eq!(
        e["error"]["message"],
        "Contato bloqueado, não é possível enviar ou receber mensagem"
    );
    // Internal notes are still written; they never reach the contact.
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "cliente bloqueado por spam", "internal": true}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    // Nothing comes in either: acknowledged, not stored.
    let count = wa.messages(&conv).await.len();
    let (_, payload) = wa.sim.text_payload("5511987654321", "Ana", "Alô?");
    let r = wa.sim.post(&wa.http, &payload).await;
    assert_eq!(r.status, 200);
    assert_eq!(wa.messages(&conv).await.len(), count);
    assert_eq!(wa.graph.sent_messages().len(), before);

    // Unblocking is always allowed, and sending works again.
    let r = wa.admin.delete(&block).await;
    assert_eq!(r.status(), 200);
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "Olá de novo"}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    wa.graph
        .wait_for_sends(before + 1, Duration::from_secs(10))
        .await;
}
