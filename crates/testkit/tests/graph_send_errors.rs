//! The fake refusing requests: auth, validation, injected errors, pacing,
//! unknown paths.

mod common;

use atende_testkit::{FakeGraph, FakeGraphConfig, InjectedError};
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn wrong_or_missing_token_is_401_code_190_and_recorded() {
    let (graph, client) = (graph().await, client());
    for token in [Some("wrong"), None] {
        let (status, body) = post_json(
            &client,
            &graph,
            &messages_path(),
            token,
            &text("5511999990000", "x"),
        )
        .await;
        assert_eq!(status, 401);
        assert_eq!(body["error"]["code"], 190);
        assert_eq!(body["error"]["type"], "OAuthException");
        assert!(body["error"]["fbtrace_id"].is_string());
    }
    graph.set_access_token(PHONE, "rotated");
    let (status, _) = post_json(
        &client,
        &graph,
        &messages_path(),
        Some(TOKEN),
        &text("5511999990000", "x"),
    )
    .await;
    assert_eq!(status, 401, "the old token no longer works");
    let (status, _) = post_json(
        &client,
        &graph,
        &messages_path(),
        Some("rotated"),
        &text("5511999990000", "x"),
    )
    .await;
    assert_eq!(status, 200);
    let all = graph.requests();
    assert_eq!(
        all.iter().map(|r| r.status).collect::<Vec<_>>(),
        [401, 401, 401, 200]
    );
    assert_eq!(graph.sent_messages().len(), 1);
}

#[tokio::test]
async fn unknown_number_bad_version_and_bad_bodies_are_400() {
    let (graph, client) = (graph().await, client());
    let to = "5511999990000";
    let (s, b) = post_json(
        &client,
        &graph,
        "/v25.0/999/messages",
        Some(TOKEN),
        &text(to, "x"),
    )
    .await;
    assert_eq!((s, b["error"]["code"].as_i64()), (400, Some(100)));
    let (s, _) = post_json(
        &client,
        &graph,
        &format!("/v19.0/{PHONE}/messages"),
        Some(TOKEN),
        &text(to, "x"),
    )
    .await;
    assert_eq!(s, 400);
    let no_product = json!({"to": to, "type": "text", "text": {"body": "x"}});
    let (s, b) = post_json(&client, &graph, &messages_path(), Some(TOKEN), &no_product).await;
    assert_eq!((s, b["error"]["code"].as_i64()), (400, Some(100)));
    assert_eq!(b["error"]["message"], "(#100) Invalid parameter");
    let missing = [
        json!({"messaging_product": "whatsapp", "to": to, "text": {"body": "x"}}),
        json!({"messaging_product": "whatsapp", "to": to, "type": "text"}),
        json!({"messaging_product": "whatsapp", "type": "text", "text": {"body": "x"}}),
    ];
    for body in &missing {
        let (s, b) = post_json(&client, &graph, &messages_path(), Some(TOKEN), body).await;
        assert_eq!(
            (s, b["error"]["code"].as_i64()),
            (400, Some(131008)),
            "{body}"
        );
        assert_eq!(
            b["error"]["message"],
            "(#131008) Required parameter is missing"
        );
    }
    let long = "a".repeat(4097);
    let (s, b) = post_json(
        &client,
        &graph,
        &messages_path(),
        Some(TOKEN),
        &text(to, &long),
    )
    .await;
    assert_eq!((s, b["error"]["code"].as_i64()), (400, Some(131009)));
    let exact = "é".repeat(4096);
    let (s, _) = post_json(
        &client,
        &graph,
        &messages_path(),
        Some(TOKEN),
        &text(to, &exact),
    )
    .await;
    assert_eq!(s, 200, "4096 characters (not bytes) is the limit");
    let raw = client
        .post(format!("{}{}", graph.base_url(), messages_path()))
        .bearer_auth(TOKEN)
        .body("not json")
        .send()
        .await
        .expect("answer");
    assert_eq!(raw.status().as_u16(), 400);
    let recorded = graph.requests();
    assert_eq!(recorded.len(), 9);
    assert!(
        recorded
            .last()
            .is_some_and(|r| r.body.is_null() && r.status == 400)
    );
}

#[tokio::test]
async fn injected_131047_fails_then_sends_succeed_in_order() {
    let (graph, client) = (graph().await, client());
    graph.inject_error(PHONE, InjectedError::code(131047));
    graph.inject_error(PHONE, InjectedError::code(131000).times(2));
    let body = text("5511999990000", "oi");
    let (s, b) = post_json(&client, &graph, &messages_path(), Some(TOKEN), &body).await;
    assert_eq!(s, 400);
    assert_eq!(b["error"]["code"], 131047);
    assert_eq!(b["error"]["message"], "(#131047) Re-engagement message");
    assert!(
        b["error"]["error_data"]["details"]
            .as_str()
            .is_some_and(|d| d.contains("24 hours"))
    );
    for _ in 0..2 {
        let (s, b) = post_json(&client, &graph, &messages_path(), Some(TOKEN), &body).await;
        assert_eq!((s, b["error"]["code"].as_i64()), (500, Some(131000)));
    }
    let (s, _) = post_json(&client, &graph, &messages_path(), Some(TOKEN), &body).await;
    assert_eq!(s, 200);
    assert_eq!(graph.sent_messages().len(), 1);
    assert_eq!(graph.requests().len(), 4);
}

#[tokio::test]
async fn injected_190_has_wa4_shape() {
    let (graph, client) = (graph().await, client());
    graph.inject_error(PHONE, InjectedError::code(190));
    let (s, b) = post_json(
        &client,
        &graph,
        &messages_path(),
        Some(TOKEN),
        &text("5511999990000", "oi"),
    )
    .await;
    assert_eq!(s, 401);
    assert_eq!(b["error"]["error_subcode"], 463);
    assert!(
        b["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Error validating access token: Session has expired"))
    );
}

#[tokio::test]
async fn pacing_answers_429_130429_over_the_limit_then_recovers() {
    let config = FakeGraphConfig {
        pacing: Some(5),
        ..FakeGraphConfig::default()
    };
    let graph = FakeGraph::start_with(config).await;
    graph.add_number(PHONE, WABA, TOKEN);
    graph.add_number("200", WABA, "other");
    let client = client();
    let started = Instant::now();
    let mut statuses = Vec::new();
    for i in 0..8 {
        let (s, b) = post_json(
            &client,
            &graph,
            &messages_path(),
            Some(TOKEN),
            &text("5511999990000", &i.to_string()),
        )
        .await;
        if s == 429 {
            assert_eq!(b["error"]["code"], 130429);
        }
        statuses.push(s);
    }
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "the test ran too slowly to judge pacing"
    );
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
    let (s, _) = post_json(
        &client,
        &graph,
        "/v25.0/200/messages",
        Some("other"),
        &text("5511999990000", "x"),
    )
    .await;
    assert_eq!(s, 200, "pacing is per phone number");
    tokio::time::sleep(Duration::from_millis(1050)).await;
    let (s, _) = post_json(
        &client,
        &graph,
        &messages_path(),
        Some(TOKEN),
        &text("5511999990000", "later"),
    )
    .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn unknown_paths_and_methods_are_answered_and_recorded() {
    let (graph, client) = (graph().await, client());
    let (status, body) = get(
        &client,
        &format!("{}/nothing/here/at/all", graph.base_url()),
        Some(TOKEN),
    )
    .await;
    assert_eq!(status, 400);
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    assert_eq!(body["error"]["code"], 2500);
    let (status, _) = get(
        &client,
        &format!("{}{}", graph.base_url(), messages_path()),
        Some(TOKEN),
    )
    .await;
    assert_eq!(status, 405);
    let recorded = graph.requests();
    assert_eq!(recorded.len(), 2);
    assert_eq!(
        (recorded[0].method.as_str(), recorded[0].status),
        ("GET", 400)
    );
    assert_eq!(recorded[1].status, 405);
}
