//! The fake's `…/messages` endpoint: successful sends, templates, mark-read.

mod common;

use atende_testkit::FakeTemplate;
use common::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[tokio::test]
async fn text_send_succeeds_with_meta_shape_and_is_recorded() {
    let (graph, client) = (graph().await, client());
    let (status, body) = post_json(
        &client,
        &graph,
        &messages_path(),
        Some(TOKEN),
        &text("+55 19 98765-4321", "Olá!"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["messaging_product"], "whatsapp");
    assert_eq!(
        body["contacts"],
        json!([{"input": "+55 19 98765-4321", "wa_id": "5519987654321"}])
    );
    let id = body["messages"][0]["id"].as_str().unwrap_or_default();
    assert!(id.starts_with("wamid.") && id.len() > 20, "{id}");
    assert!(body["messages"][0].get("message_status").is_none());

    let sent = graph.sent_messages();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].path, messages_path());
    assert_eq!(
        sent[0].authorization.as_deref(),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert_eq!(sent[0].body["text"]["body"], "Olá!");
    assert_eq!(sent[0].status, 200);
    assert_eq!(sent[0].wamid(), Some(id));

    // The same log over HTTP (for a running demo), itself not recorded.
    let log: serde_json::Value = client
        .get(format!("{}/__fake/messages", graph.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["body"]["text"]["body"], "Olá!");
    assert_eq!(log[0]["status"], 200);
    assert_eq!(graph.requests().len(), 1);
}

#[tokio::test]
async fn bsuid_recipient_gets_user_id_instead_of_wa_id() {
    let (graph, client) = (graph().await, client());
    let body = json!({"messaging_product": "whatsapp", "recipient": "US.13491208655302741918",
                      "type": "text", "text": {"body": "hi"}});
    let (status, answer) = post_json(&client, &graph, &messages_path(), Some(TOKEN), &body).await;
    assert_eq!(status, 200);
    assert_eq!(answer["contacts"][0]["user_id"], "US.13491208655302741918");
    assert!(answer["contacts"][0].get("wa_id").is_none());
}

#[tokio::test]
async fn templates_must_be_approved_in_that_language() {
    let (graph, client) = (graph().await, client());
    graph.add_template(WABA, FakeTemplate::approved("pedido_enviado", "pt_BR"));
    let mut pending = FakeTemplate::approved("promo", "pt_BR");
    pending.status = "PENDING".into();
    graph.add_template(WABA, pending);
    let to = "5511999990000";
    for (name, lang) in [
        ("nao_existe", "pt_BR"),
        ("pedido_enviado", "en_US"),
        ("promo", "pt_BR"),
    ] {
        let (s, b) = post_json(
            &client,
            &graph,
            &messages_path(),
            Some(TOKEN),
            &template(to, name, lang),
        )
        .await;
        assert_eq!(s, 404, "{name} {lang}");
        assert_eq!(b["error"]["code"], 132001);
        assert_eq!(
            b["error"]["message"],
            "(#132001) Template name does not exist in the translation"
        );
    }
    let (s, b) = post_json(
        &client,
        &graph,
        &messages_path(),
        Some(TOKEN),
        &template(to, "pedido_enviado", "pt_BR"),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["messages"][0]["message_status"], "accepted");
    assert_eq!(graph.set_template_status(WABA, "promo", "APPROVED"), 1);
    let (s, _) = post_json(
        &client,
        &graph,
        &messages_path(),
        Some(TOKEN),
        &template(to, "promo", "pt_BR"),
    )
    .await;
    assert_eq!(s, 200);
    graph.add_number("300", "another-waba", "t3");
    let (s, _) = post_json(
        &client,
        &graph,
        "/v25.0/300/messages",
        Some("t3"),
        &template(to, "pedido_enviado", "pt_BR"),
    )
    .await;
    assert_eq!(s, 404, "templates belong to the number's WABA");
}

#[tokio::test]
async fn template_parameters_must_match_the_template() {
    let (graph, client) = (graph().await, client());
    let mut promo = FakeTemplate::approved("promo_foto", "pt_BR");
    promo.components = json!([
        {"type": "HEADER", "format": "IMAGE"},
        {"type": "BODY", "text": "Oi {{1}}, veja {{2}}"}
    ]);
    graph.add_template(WABA, promo);
    let send = |components: Value| {
        json!({"messaging_product": "whatsapp", "to": "5511999990000", "type": "template",
               "template": {"name": "promo_foto", "language": {"code": "pt_BR"}, "components": components}})
    };
    let image =
        json!({"type": "header", "parameters": [{"type": "image", "image": {"id": "123"}}]});
    let body = |n: usize| json!({"type": "body", "parameters": (0..n).map(|i| json!({"type": "text", "text": i.to_string()})).collect::<Vec<_>>()});
    for (components, code) in [
        (json!([image, body(1)]), 132000),
        (json!([body(2)]), 132012),
        (
            json!([{"type": "header", "parameters": [{"type": "video", "video": {"id": "1"}}]}, body(2)]),
            132012,
        ),
    ] {
        let (s, b) = post_json(
            &client,
            &graph,
            &messages_path(),
            Some(TOKEN),
            &send(components),
        )
        .await;
        assert_eq!(s, 400, "{b}");
        assert_eq!(b["error"]["code"], code, "{b}");
    }
    let (s, b) = post_json(
        &client,
        &graph,
        &messages_path(),
        Some(TOKEN),
        &send(json!([image, body(2)])),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(graph.sent_messages().len(), 1);
}

#[tokio::test]
async fn mark_read_and_typing_are_not_sends() {
    let (graph, client) = (graph().await, client());
    let read =
        json!({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.ABC"});
    let (s, b) = post_json(&client, &graph, &messages_path(), Some(TOKEN), &read).await;
    assert_eq!((s, b), (200, json!({"success": true})));
    let mut typing = read.clone();
    typing["typing_indicator"] = json!({"type": "text"});
    let (s, b) = post_json(&client, &graph, &messages_path(), Some(TOKEN), &typing).await;
    assert_eq!((s, b), (200, json!({"success": true})));
    let no_id = json!({"messaging_product": "whatsapp", "status": "read"});
    let (s, _) = post_json(&client, &graph, &messages_path(), Some(TOKEN), &no_id).await;
    assert_eq!(s, 400);
    assert!(graph.sent_messages().is_empty());
    assert_eq!(graph.requests()[1].body["typing_indicator"]["type"], "text");
}

#[tokio::test]
async fn idempotency_key_is_recorded() {
    let (graph, client) = (graph().await, client());
    let resp = client
        .post(format!("{}{}", graph.base_url(), messages_path()))
        .bearer_auth(TOKEN)
        .header("Idempotency-Key", "k-1")
        .json(&text("5511999990000", "x"))
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        graph.sent_messages()[0].idempotency_key.as_deref(),
        Some("k-1")
    );
}

#[tokio::test]
async fn wait_for_sends_wakes_on_concurrent_sends_and_times_out() {
    let (graph, client) = (graph().await, client());
    let waiter = {
        let graph = graph.clone();
        tokio::spawn(async move { graph.wait_for_sends(10, Duration::from_secs(10)).await })
    };
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..10 {
        let (graph, client) = (graph.clone(), client.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            post_json(
                &client,
                &graph,
                &messages_path(),
                Some(TOKEN),
                &text("5511999990000", &i.to_string()),
            )
            .await
            .0
        }));
    }
    let sends = waiter.await.expect("waiter");
    assert_eq!(sends.len(), 10);
    assert!(started.elapsed() < Duration::from_secs(5));
    for t in tasks {
        assert_eq!(t.await.expect("task"), 200);
    }
    let started = Instant::now();
    let sends = graph.wait_for_sends(11, Duration::from_millis(150)).await;
    assert_eq!(sends.len(), 10, "at the timeout it returns what arrived");
    assert!(started.elapsed() >= Duration::from_millis(150));
}
