//! `message_templates`: cursor paging and creation.

mod common;

use atende_testkit::FakeTemplate;
use common::*;
use serde_json::{Value, json};
use std::collections::HashSet;

async fn get_json(client: &reqwest::Client, url: &str, token: Option<&str>) -> (u16, Value) {
    let (status, bytes) = get(client, url, token).await;
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn paging_over_250_templates_walks_each_exactly_once() {
    let (graph, client) = (graph().await, client());
    for i in 0..250 {
        let mut t = FakeTemplate::approved(&format!("modelo_{i:03}"), "pt_BR");
        t.id = format!("9000{i:03}");
        graph.add_template(WABA, t);
    }
    let mut url = format!(
        "{}/v25.0/{WABA}/message_templates?limit=100",
        graph.base_url()
    );
    let (mut seen, mut pages) = (Vec::new(), Vec::new());
    loop {
        let (status, page) = get_json(&client, &url, Some(TOKEN)).await;
        assert_eq!(status, 200, "{page}");
        let data = page["data"].as_array().cloned().unwrap_or_default();
        pages.push(data.len());
        seen.extend(
            data.iter()
                .map(|t| t["name"].as_str().unwrap_or_default().to_owned()),
        );
        let cursors = &page["paging"]["cursors"];
        assert!(cursors["before"].is_string() && cursors["after"].is_string());
        assert!(
            !cursors["after"]
                .as_str()
                .unwrap_or_default()
                .contains("modelo"),
            "cursors are opaque"
        );
        match page["paging"]["next"].as_str() {
            Some(next) => url = next.to_owned(),
            None => break,
        }
        assert!(pages.len() < 10, "paging does not end");
    }
    assert_eq!(pages, [100, 100, 50]);
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (250, 250));
    assert_eq!(seen.first().map(String::as_str), Some("modelo_000"));
    assert_eq!(seen.last().map(String::as_str), Some("modelo_249"));
    let first = graph.requests()[0].response["data"][0].clone();
    assert_eq!(first["status"], "APPROVED");
    assert_eq!(first["language"], "pt_BR");
    assert!(first["components"].is_array());
}

#[tokio::test]
async fn listing_filters_by_status_and_rejects_bad_input() {
    let (graph, client) = (graph().await, client());
    graph.add_template(WABA, FakeTemplate::approved("a", "pt_BR"));
    let mut b = FakeTemplate::approved("b", "pt_BR");
    b.status = "REJECTED".into();
    graph.add_template(WABA, b);
    let base = format!("{}/v25.0/{WABA}/message_templates", graph.base_url());
    let (s, page) = get_json(&client, &format!("{base}?status=APPROVED"), Some(TOKEN)).await;
    assert_eq!(s, 200);
    assert_eq!(page["data"].as_array().map(Vec::len), Some(1));
    assert!(page["paging"].get("next").is_none());
    assert_eq!(get_json(&client, &base, None).await.0, 401);
    assert_eq!(
        get_json(&client, &format!("{base}?after=garbage"), Some(TOKEN))
            .await
            .0,
        400
    );
    assert_eq!(
        get_json(&client, &format!("{base}?limit=abc"), Some(TOKEN))
            .await
            .0,
        400
    );
    let (s, empty) = get_json(
        &client,
        &format!(
            "{}/v25.0/{WABA}/message_templates?name=zzz",
            graph.base_url()
        ),
        Some(TOKEN),
    )
    .await;
    assert_eq!((s, empty["data"].clone()), (200, json!([])));
    let unknown = format!("{}/v25.0/777/message_templates", graph.base_url());
    assert_eq!(get_json(&client, &unknown, Some(TOKEN)).await.0, 400);
}

#[tokio::test]
async fn creating_a_template_makes_it_pending_until_approved() {
    let (graph, client) = (graph().await, client());
    let path = format!("/v25.0/{WABA}/message_templates");
    let body = json!({"name": "boas_vindas", "language": "pt_BR", "category": "UTILITY",
                      "components": [{"type": "BODY", "text": "Olá {{1}}!", "example": {"body_text": [["Ana"]]}}]});
    let (s, created) = post_json(&client, &graph, &path, Some(TOKEN), &body).await;
    assert_eq!(s, 200, "{created}");
    assert_eq!(created["status"], "PENDING");
    assert_eq!(created["category"], "UTILITY");
    let id = created["id"].as_str().unwrap_or_default().to_owned();
    assert!(!id.is_empty());
    let (s, dup) = post_json(&client, &graph, &path, Some(TOKEN), &body).await;
    assert_eq!((s, dup["error"]["code"].as_i64()), (400, Some(100)));
    let (s, _) = post_json(&client, &graph, &path, Some(TOKEN), &json!({"name": "x"})).await;
    assert_eq!(s, 400);

    let stored = graph.templates(WABA);
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].id.as_str(), stored[0].status.as_str()),
        (id.as_str(), "PENDING")
    );
    let send = template("5511999990000", "boas_vindas", "pt_BR");
    assert_eq!(
        post_json(&client, &graph, &messages_path(), Some(TOKEN), &send)
            .await
            .0,
        404
    );
    graph.set_template_status(WABA, "boas_vindas", "APPROVED");
    assert_eq!(
        post_json(&client, &graph, &messages_path(), Some(TOKEN), &send)
            .await
            .0,
        200
    );
}
