//! A visitor's conversation: sending (idempotent), what agents see and
//! answer, what the visitor sees (never notes), files, flows' buttons and
//! blocked contacts.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{SITE, Visitor, Wc};

fn messages_of(history: &Value) -> Vec<Value> {
    history["messages"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_visitor_writes_once_whatever_the_retries_and_an_agent_answers() {
    let wc = Wc::start().await;
    let v = wc.visitor(json!({"name": "Lia"})).await;
    let body = json!({"client_message_id": "7f3c2a9e-1b4d-4c8e-9f2a-6d5e4c3b2a10", "text": "Hi, I need help with billing"});
    let first = wc.send(&v, body.clone()).await;
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.body["sender"], "contact");
    assert_eq!(first.body["text"], "Hi, I need help with billing");
    assert_eq!(
        first.body["client_message_id"],
        "7f3c2a9e-1b4d-4c8e-9f2a-6d5e4c3b2a10"
    );
    let again = wc.send(&v, body).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["id"], first.body["id"]);

    // Agents see the chat like any other: in Open, on the widget channel.
    let list = wc.admin.get_json("/api/v1/conversations?view=all").await;
    let chat = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == v.conversation_id.as_str())
        .cloned()
        .expect("the chat is listed");
    assert_eq!(chat["channel"], "widget", "{chat}");
    assert_eq!(chat["contact"]["name"], "Lia");
    let thread = wc.admin.messages(&v.conversation_id).await;
    assert_eq!(
        thread.iter().filter(|m| m["direction"] == "in").count(),
        1,
        "stored once: {thread:?}"
    );
    assert!(chat["protocol"].is_string(), "an attendance opened: {chat}");
    let c = wc.admin.conversation(&v.conversation_id).await;
    assert_eq!(c["window"], "none", "no window on the widget: {c}");

    // An agent answers, and writes a note the visitor never sees.
    let reply = wc
        .agent_says(&v, json!({"text": "Claro! Qual é o número do pedido?"}))
        .await;
    let note = wc
        .agent_says(
            &v,
            json!({"text": "cliente VIP, cuidado", "internal": true}),
        )
        .await;
    let shown = messages_of(&wc.history(&v).await);
    let texts: Vec<&str> = shown.iter().filter_map(|m| m["text"].as_str()).collect();
    assert_eq!(
        texts,
        [
            "Hi, I need help with billing",
            "Claro! Qual é o número do pedido?"
        ]
    );
    assert!(!serde_json::to_string(&shown).unwrap().contains("cuidado"));
    assert!(shown.iter().all(|m| m["id"] != note["id"]));
    let agent = &shown[1];
    assert_eq!(agent["sender"], "agent");
    assert_eq!(shown[0]["status"], "delivered", "not read by an agent yet");
    let r = wc
        .admin
        .post_empty(&format!("/api/v1/conversations/{}/read", v.conversation_id))
        .await;
    assert_eq!(r.status(), 204);
    let shown = messages_of(&wc.history(&v).await);
    assert_eq!(shown[0]["status"], "read", "an agent read the chat");
    assert!(agent["author_name"].is_string(), "{agent}");
    // The reply was delivered once the visitor fetched it.
    let delivered = wc
        .until(async || {
            wc.agent_view(&v, reply["id"].as_str().unwrap())
                .await
                .filter(|m| m["status"] == "delivered")
        })
        .await;
    assert_eq!(delivered["direction"], "out");
}

#[tokio::test]
async fn what_a_visitor_may_send_and_where() {
    let wc = Wc::start().await;
    let v = wc.visitor(json!({})).await;
    for (body, why) in [
        (
            json!({"client_message_id": "a1", "text": "   "}),
            "a blank message",
        ),
        (json!({"client_message_id": "", "text": "oi"}), "no id"),
        (
            json!({"client_message_id": "a b", "text": "oi"}),
            "an id with a space",
        ),
        (
            json!({"client_message_id": "a2", "text": "x".repeat(4097)}),
            "too long",
        ),
        (
            json!({"client_message_id": "a3", "reply_id": "x"}),
            "a menu answer without its title",
        ),
        (
            json!({"client_message_id": "a4", "attachments": [{"upload_id": "wc:nope"}]}),
            "an unknown file",
        ),
        (
            json!({"client_message_id": "a5", "text": "oi", "extra": 1}),
            "an unknown field",
        ),
    ] {
        let a = wc.send(&v, body).await;
        assert!(
            a.status == 422 || a.status == 400,
            "{why}: {} {}",
            a.status,
            a.body
        );
    }
    assert!(
        messages_of(&wc.history(&v).await).is_empty(),
        "nothing stored"
    );
    // Without a token, or in another visitor's conversation: nothing.
    let path = format!("/widget/v1/conversations/{}/messages", v.conversation_id);
    let a = wc.call(Method::GET, &path, None, None).await;
    assert_eq!(a.status, 401);
    let w = wc.visitor(json!({})).await;
    let a = wc.call(Method::GET, &path, Some(&w.token), None).await;
    assert_eq!(a.status, 404);
    let a = wc
        .call(
            Method::POST,
            &path,
            Some(&w.token),
            Some(json!({"client_message_id": "z", "text": "oi"})),
        )
        .await;
    assert_eq!(a.status, 404);
    // A staff token is not a visitor's.
    let a = wc
        .call(Method::GET, &path, Some("not-a-visitor-token"), None)
        .await;
    assert_eq!(a.status, 401);
}

async fn upload(wc: &Wc, v: &Visitor, name: &str, mime: &str, bytes: Vec<u8>) -> (u16, Value) {
    let r = wc
        .http
        .post(wc.app.url(&format!(
            "/widget/v1/conversations/{}/uploads?filename={name}",
            v.conversation_id
        )))
        .header("origin", SITE)
        .bearer_auth(&v.token)
        .header("content-type", mime)
        .body(bytes)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn files_go_both_ways_through_signed_links() {
    let wc = Wc::start().await;
    let v = wc.visitor(json!({})).await;
    let png = {
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        b.extend(vec![3u8; 4000]);
        b
    };
    let (status, up) = upload(&wc, &v, "nota.png", "image/png", png.clone()).await;
    assert_eq!(status, 201, "{up}");
    assert_eq!(up["mime"], "image/png");
    assert_eq!(up["name"], "nota.png");
    let sent = wc
        .send(&v, json!({"client_message_id": "f1", "text": "segue a nota", "attachments": [{"upload_id": up["upload_id"]}]}))
        .await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    assert_eq!(sent.body["kind"], "image");
    assert_eq!(sent.body["text"], "segue a nota");
    // Once stored, the visitor's history links it, and the link works.
    let url = wc
        .until(async || {
            messages_of(&wc.history(&v).await)
                .into_iter()
                .find(|m| m["id"] == sent.body["id"])
                .and_then(|m| m["attachments"][0]["url"].as_str().map(str::to_string))
        })
        .await;
    let file = wc.http.get(&url).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    assert_eq!(file.bytes().await.unwrap().to_vec(), png);

    // Refused: a type a browser would run, an empty file, another
    // conversation's upload.
    let (status, body) = upload(&wc, &v, "x.html", "text/html", b"<script>".to_vec()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "media_not_accepted");
    let (status, _) = upload(&wc, &v, "vazio.pdf", "application/pdf", vec![]).await;
    assert_eq!(status, 422);
    let w = wc.visitor(json!({})).await;
    let a = wc
        .send(
            &w,
            json!({"client_message_id": "f2", "attachments": [{"upload_id": up["upload_id"]}]}),
        )
        .await;
    assert_eq!(a.status, 422, "another visitor's file: {}", a.body);

    // An agent sends a PDF: the visitor gets it by link.
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.4 boleto".to_vec())
        .file_name("boleto.pdf")
        .mime_str("application/pdf")
        .unwrap();
    let r = wc
        .admin
        .client
        .post(
            wc.app
                .url(&format!("/api/v1/inboxes/{}/media", wc.inbox_id)),
        )
        .header("x-csrf-token", &wc.admin.csrf)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let doc: Value = r.json().await.unwrap();
    let msg = wc
        .agent_says(
            &v,
            json!({"media": {"kind": "document", "id": doc["id"], "filename": "boleto.pdf"}}),
        )
        .await;
    let shown = wc
        .until(async || {
            messages_of(&wc.history(&v).await)
                .into_iter()
                .find(|m| m["id"] == msg["id"] && m["attachments"][0]["url"].is_string())
        })
        .await;
    assert_eq!(shown["attachments"][0]["mime"], "application/pdf");
    let file = wc
        .http
        .get(shown["attachments"][0]["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(file.bytes().await.unwrap().as_ref(), b"%PDF-1.4 boleto");
}

#[tokio::test]
async fn a_flow_menu_is_buttons_and_a_choice_routes_the_chat() {
    let wc = Wc::start().await;
    let d = wc
        .admin
        .post_json("/api/v1/departments", json!({"name": "Vendas"}))
        .await;
    // A menu of two buttons; "Comprar" goes to Vendas.
    let flow: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/menu-flow.json")).unwrap();
    let r = wc
        .admin
        .post(
            "/api/v1/flows/import",
            json!({"document": flow, "entry_inbox": wc.inbox_id}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let v = wc.visitor(json!({"name": "Nina"})).await;
    wc.says(&v, "oi").await;
    let menu = wc
        .until(async || {
            messages_of(&wc.history(&v).await)
                .into_iter()
                .find(|m| m["sender"] == "bot" && !m["buttons"].as_array().unwrap().is_empty())
        })
        .await;
    assert_eq!(menu["text"], "Olá, Nina! Como podemos ajudar?");
    assert_eq!(
        menu["buttons"],
        json!([{"id": "vendas", "title": "Comprar"}, {"id": "suporte", "title": "Suporte"}])
    );
    let a = wc
        .send(
            &v,
            json!({"client_message_id": "b1", "text": "Comprar", "reply_id": "vendas"}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let handed = wc
        .until(async || {
            let c = wc.admin.conversation(&v.conversation_id).await;
            (c["department_id"] == d["id"]).then_some(c)
        })
        .await;
    assert_eq!(handed["flow_running"], false);

    // Typing the option's number answers it too (how a menu shown as
    // numbered text is answered).
    let w = wc.visitor(json!({"name": "Otto"})).await;
    wc.says(&w, "bom dia").await;
    wc.until(async || {
        messages_of(&wc.history(&w).await)
            .into_iter()
            .find(|m| m["sender"] == "bot")
    })
    .await;
    wc.says(&w, "1").await;
    wc.until(async || {
        let c = wc.admin.conversation(&w.conversation_id).await;
        (c["department_id"] == d["id"]).then_some(c)
    })
    .await;
}

#[tokio::test]
async fn a_blocked_visitor_cannot_write() {
    let wc = Wc::start().await;
    let v = wc.visitor(json!({})).await;
    wc.says(&v, "oi").await;
    let r = wc
        .admin
        .post_empty(&format!("/api/v1/contacts/{}/block", v.contact_id))
        .await;
    assert_eq!(r.status(), 200);
    let a = wc
        .send(
            &v,
            json!({"client_message_id": "after-block", "text": "olá?"}),
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    let thread = wc.admin.messages(&v.conversation_id).await;
    assert!(
        thread.iter().all(|m| m["text"] != "olá?"),
        "nothing from a blocked contact is taken in (CT-4)"
    );
}
