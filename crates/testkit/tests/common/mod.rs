//! Helpers shared by the integration tests.
#![allow(dead_code)]

use atende_testkit::FakeGraph;
use serde_json::{Value, json};

pub const PHONE: &str = "106540352242922";
pub const WABA: &str = "102290129340398";
pub const TOKEN: &str = "EAAG-test-token";

/// A fake with one registered number.
pub async fn graph() -> FakeGraph {
    let graph = FakeGraph::start().await;
    graph.add_number(PHONE, WABA, TOKEN);
    graph
}

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}

/// POSTs `body` as JSON to `path` with `token` as bearer; returns status and JSON answer.
pub async fn post_json(
    client: &reqwest::Client,
    graph: &FakeGraph,
    path: &str,
    token: Option<&str>,
    body: &Value,
) -> (u16, Value) {
    let mut req = client
        .post(format!("{}{path}", graph.base_url()))
        .json(body);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let resp = req.send().await.expect("the fake answers");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// GETs `url` (absolute) with an optional bearer; returns status and body bytes.
pub async fn get(client: &reqwest::Client, url: &str, token: Option<&str>) -> (u16, Vec<u8>) {
    let mut req = client.get(url);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let resp = req.send().await.expect("the fake answers");
    let status = resp.status().as_u16();
    (
        status,
        resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
    )
}

/// The messages path of the test number.
pub fn messages_path() -> String {
    format!("/v25.0/{PHONE}/messages")
}

/// A text send body.
pub fn text(to: &str, body: &str) -> Value {
    json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
           "type": "text", "text": {"body": body}})
}

/// A template send body, with the one body parameter of
/// `FakeTemplate::approved`.
pub fn template(to: &str, name: &str, language: &str) -> Value {
    json!({"messaging_product": "whatsapp", "to": to, "type": "template",
           "template": {"name": name, "language": {"code": language},
                        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Maria"}]}]}})
}
