//! The customer simulator against a small webhook receiver.

use atende_testkit::Simulator;
use atende_testkit::conversation::{customer_names, opening_lines, random_wa_id};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Received = Arc<Mutex<Vec<(HeaderMap, Vec<u8>)>>>;

const SECRET: &str = "app-secret";

/// A receiver that stores each POST and answers the hub handshake for token "vt".
async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    let app = Router::new()
        .route(
            "/webhook",
            get(|Query(q): Query<HashMap<String, String>>| async move {
                let ok = q.get("hub.mode").map(String::as_str) == Some("subscribe")
                    && q.get("hub.verify_token").map(String::as_str) == Some("vt");
                match (ok, q.get("hub.challenge")) {
                    (true, Some(c)) => (axum::http::StatusCode::OK, c.clone()),
                    _ => (axum::http::StatusCode::FORBIDDEN, String::new()),
                }
            })
            .post(
                |State(r): State<Received>, headers: HeaderMap, body: Bytes| async move {
                    r.lock().expect("lock").push((headers, body.to_vec()));
                    "EVENT_RECEIVED"
                },
            ),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/webhook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

fn sim(url: &str) -> Simulator {
    Simulator::new(
        url,
        SECRET,
        "106540352242922",
        "15550783881",
        "102290129340398",
    )
}

#[tokio::test]
async fn post_sends_ascii_escaped_json_signed_over_the_raw_bytes() {
    let (url, received) = receiver().await;
    let sim = sim(&url);
    let (wamid, payload) = sim.text_payload("5519987654321", "Sônia", "Meu pedido não chegou 😞");
    let resp = sim.post(&reqwest::Client::new(), &payload).await;
    assert_eq!((resp.status, resp.body.as_str()), (200, "EVENT_RECEIVED"));
    let (headers, body) = received.lock().expect("lock").pop().expect("one POST");
    assert!(body.is_ascii(), "Meta sends escaped unicode");
    assert!(String::from_utf8_lossy(&body).contains(r"n\u00e3o chegou \ud83d\ude1e"));
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(
        headers["x-hub-signature-256"].to_str().ok(),
        Some(sim.sign(&body).as_str())
    );
    let parsed: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(parsed, payload);
    let msg = &parsed["entry"][0]["changes"][0]["value"]["messages"][0];
    assert_eq!(msg["id"], wamid.as_str());
    assert_eq!(msg["type"], "text");
    let ts: i64 = msg["timestamp"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    assert!((chrono::Utc::now().timestamp() - ts).abs() < 5);
    assert_eq!(parsed["entry"][0]["changes"][0]["field"], "messages");
}

#[tokio::test]
async fn post_raw_and_verify_reach_the_server_as_given() {
    let (url, received) = receiver().await;
    let (sim, client) = (sim(&url), reqwest::Client::new());
    let resp = sim.post_raw(&client, b"{}".to_vec(), None).await;
    assert_eq!(resp.status, 200);
    let (headers, body) = received.lock().expect("lock").pop().expect("one POST");
    assert_eq!(body, b"{}");
    assert!(headers.get("x-hub-signature-256").is_none());

    let ok = sim.verify(&client, "vt", "1158201444 &x=1").await;
    assert_eq!((ok.status, ok.body.as_str()), (200, "1158201444 &x=1"));
    assert_eq!(sim.verify(&client, "wrong", "1").await.status, 403);
    let unreachable = Simulator::new("http://127.0.0.1:1/webhook", SECRET, "1", "2", "3");
    assert_eq!(unreachable.post(&client, &json!({})).await.status, 0);
}

#[test]
fn batch_merges_messages_statuses_and_deduplicates_contacts() {
    let sim = sim("http://unused");
    let (w1, m1) = sim.text_payload("5511911112222", "Ana", "Oi");
    let (w2, m2) = sim.media_payload(
        "5511911112222",
        "Ana",
        "image",
        "1003383421387256",
        "image/jpeg",
        Some("Veio quebrado"),
    );
    let (w3, m3) = sim.text_payload("5521933334444", "Bruno", "Bom dia");
    let s1 = sim.status_payload("wamid.OUT1", "read", "5511911112222", None);
    let s2 = sim.status_payload(
        "wamid.OUT2",
        "failed",
        "5521933334444",
        Some((131047, "Re-engagement message", "24h passed")),
    );
    let merged = sim.batch(&[m1, s1, m2, m3, s2]);

    assert_eq!(merged["object"], "whatsapp_business_account");
    let entries = merged["entry"].as_array().expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["id"], "102290129340398");
    assert_eq!(entries[0]["changes"].as_array().map(Vec::len), Some(1));
    let value = &entries[0]["changes"][0]["value"];
    assert_eq!(value["metadata"]["phone_number_id"], "106540352242922");
    let ids: Vec<&str> = value["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert_eq!(ids, [w1.as_str(), w2.as_str(), w3.as_str()]);
    let contacts: Vec<&str> = value["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .filter_map(|c| c["wa_id"].as_str())
        .collect();
    assert_eq!(contacts, ["5511911112222", "5521933334444"]);
    let statuses = value["statuses"].as_array().expect("statuses");
    assert_eq!(statuses.len(), 2);
    assert_eq!(statuses[0]["pricing"]["pricing_model"], "PMP");
    assert_eq!(statuses[1]["errors"][0]["code"], 131047);
    assert_eq!(
        statuses[1]["errors"][0]["error_data"]["details"],
        "24h passed"
    );
    assert!(statuses[1].get("pricing").is_none() && statuses[1].get("conversation").is_none());

    let image = &value["messages"][1];
    assert_eq!(image["type"], "image");
    assert_eq!(image["image"]["id"], "1003383421387256");
    assert_eq!(image["image"]["caption"], "Veio quebrado");
}

#[test]
#[should_panic(expected = "this simulator's number")]
fn batch_refuses_payloads_of_another_number() {
    let other = Simulator::new("http://unused", SECRET, "999", "15550000000", "888");
    let (_, foreign) = other.text_payload("5511911112222", "Ana", "Oi");
    sim("http://unused").batch(&[foreign]);
}

#[test]
fn multi_entry_keeps_each_number_in_its_own_entry() {
    let a = sim("http://unused");
    let b = Simulator::new("http://unused", SECRET, "999", "15550000000", "888");
    let (_, pa) = a.text_payload("5511911112222", "Ana", "Oi");
    let (_, pb) = b.media_payload(
        "5511911112222",
        "Ana",
        "audio",
        "22",
        "audio/ogg; codecs=opus",
        Some("ignored"),
    );
    let all = Simulator::multi_entry(&[pa, pb]);
    let entries = all["entry"].as_array().expect("entries");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["id"], "888");
    let audio = &entries[1]["changes"][0]["value"]["messages"][0]["audio"];
    assert_eq!(audio["voice"], true);
    assert!(audio.get("caption").is_none(), "audio has no caption");
}

#[test]
fn conversation_material_is_usable_for_the_demo() {
    let mut rng = rand::rng();
    let sim = sim("http://unused");
    let (_, p) = sim.text_payload(
        &random_wa_id(&mut rng),
        customer_names()[0],
        opening_lines()[0],
    );
    let body = atende_testkit::ascii_escape_json(&p);
    assert!(body.is_ascii());
    assert_eq!(serde_json::from_str::<Value>(&body).ok(), Some(p));
    assert!(opening_lines().contains(&"Meu pedido 4521 ainda não chegou"));
    assert!(atende_testkit::simulator::conversation::follow_ups().len() >= 20);
}
