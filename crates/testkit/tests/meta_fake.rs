//! The Messenger and Instagram Send API of the fake Graph, and the Meta
//! customer simulator against a small webhook receiver.

mod common;

use atende_testkit::{FakeGraph, FakeGraphConfig, InjectedError, MetaPlatform, MetaSimulator};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::routing::get;
use common::{PHONE, TOKEN, WABA, client, text};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PAGE: &str = "104729158213345";
const PAGE_TOKEN: &str = "EAAB-page-token";
const IG: &str = "17841405822304914";
const IG_TOKEN: &str = "EAAB-ig-token";
const PSID: &str = "6754893210987654";
const IGSID: &str = "7123456789012345";
const SECRET: &str = "test_app_secret";

/// A fake with one page, one Instagram account and one WhatsApp number.
async fn graph() -> FakeGraph {
    let graph = FakeGraph::start().await;
    graph.add_page(PAGE, PAGE_TOKEN);
    graph.add_page(IG, IG_TOKEN);
    graph.add_number(PHONE, WABA, TOKEN);
    graph
}

/// POSTs `body` to `path` (query string included) with an optional bearer.
async fn post(
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

fn page_path() -> String {
    format!("/v25.0/{PAGE}/messages")
}

fn send_text(to: &str, messaging_type: &str, body: &str) -> Value {
    json!({"recipient": {"id": to}, "messaging_type": messaging_type, "message": {"text": body}})
}

fn human_agent(to: &str, body: &str) -> Value {
    json!({"recipient": {"id": to}, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT",
           "message": {"text": body}})
}

/// Asserts a 400 code 100 answer.
fn assert_code_100(answer: &(u16, Value), what: &str) {
    assert_eq!(answer.0, 400, "{what}: {}", answer.1);
    assert_eq!(answer.1["error"]["code"], 100, "{what}: {}", answer.1);
    assert_eq!(answer.1["error"]["type"], "OAuthException");
}

#[tokio::test]
async fn a_text_send_returns_recipient_and_mid_and_is_recorded() {
    let (graph, client) = (graph().await, client());
    let (status, body) = post(
        &client,
        &graph,
        &page_path(),
        Some(PAGE_TOKEN),
        &send_text(PSID, "RESPONSE", "Seu pedido saiu para entrega 🚚"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["recipient_id"], PSID);
    let mid = body["message_id"].as_str().expect("a message_id");
    assert!(mid.starts_with("m_") && mid.len() > 42, "{mid}");
    assert_eq!(body.as_object().map(|o| o.len()), Some(2));

    let sent = graph.wait_for_sends(1, Duration::from_secs(1)).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].path, page_path());
    assert_eq!(sent[0].message_id(), Some(mid));
    assert_eq!(sent[0].recipient_id(), Some(PSID));
    assert_eq!(sent[0].wamid(), None);
    assert_eq!(
        sent[0].authorization.as_deref(),
        Some("Bearer EAAB-page-token")
    );
    assert_eq!(
        sent[0].body["message"]["text"],
        "Seu pedido saiu para entrega 🚚"
    );
    let taken = graph.accepted_sends();
    assert_eq!(taken.len(), 1);
    assert_eq!(
        (taken[0].phone_number_id.as_str(), taken[0].wamid.as_str()),
        (PAGE, mid)
    );

    let (status, _) = post(
        &client,
        &graph,
        &format!("/v25.0/{PHONE}/messages"),
        Some(TOKEN),
        &text("5511999990000", "oi"),
    )
    .await;
    assert_eq!(status, 200, "WhatsApp numbers keep their handling");
    let sent = graph.sent_messages();
    assert!(sent[1].wamid().is_some_and(|w| w.starts_with("wamid.")));
}

#[tokio::test]
async fn me_messages_acts_for_the_page_of_the_token_from_header_or_query() {
    let (graph, client) = (graph().await, client());
    let (status, body) = post(
        &client,
        &graph,
        &format!("/v25.0/me/messages?access_token={IG_TOKEN}"),
        None,
        &send_text(IGSID, "RESPONSE", "Obrigado pela menção!"),
    )
    .await;
    assert_eq!(
        (status, &body["recipient_id"]),
        (200, &json!(IGSID)),
        "{body}"
    );
    let (status, _) = post(
        &client,
        &graph,
        "/v25.0/me/messages",
        Some(PAGE_TOKEN),
        &send_text(PSID, "UPDATE", "x"),
    )
    .await;
    assert_eq!(status, 200);
    let pages: Vec<String> = graph
        .accepted_sends()
        .into_iter()
        .map(|s| s.phone_number_id)
        .collect();
    assert_eq!(pages, [IG, PAGE]);

    // An IG account sending with its page's token: /me is the page.
    graph.add_page("17841400000000001", PAGE_TOKEN);
    post(
        &client,
        &graph,
        "/v25.0/me/messages",
        Some(PAGE_TOKEN),
        &send_text(PSID, "RESPONSE", "y"),
    )
    .await;
    assert_eq!(graph.accepted_sends()[2].phone_number_id, PAGE);
    let (status, _) = post(
        &client,
        &graph,
        &format!("/v25.0/{PAGE}/messages?access_token={PAGE_TOKEN}"),
        None,
        &send_text(PSID, "RESPONSE", "z"),
    )
    .await;
    assert_eq!(status, 200, "query token on the page path");
}

#[tokio::test]
async fn wrong_or_missing_tokens_are_400_code_190() {
    let (graph, client) = (graph().await, client());
    let cases = [
        (page_path(), Some("wrong")),
        (page_path(), None),
        (page_path(), Some(IG_TOKEN)),
        (format!("{}?access_token=wrong", page_path()), None),
        ("/v25.0/me/messages".to_owned(), Some("wrong")),
        ("/v25.0/me/messages".to_owned(), None),
    ];
    for (path, token) in cases {
        let (status, body) = post(
            &client,
            &graph,
            &path,
            token,
            &send_text(PSID, "RESPONSE", "x"),
        )
        .await;
        assert_eq!(status, 400, "{path} {token:?}");
        assert_eq!(
            body,
            json!({"error": {"message": "Invalid OAuth access token.", "type": "OAuthException",
                             "code": 190, "fbtrace_id": body["error"]["fbtrace_id"]}})
        );
        assert!(
            body["error"]["fbtrace_id"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
    }
    graph.set_access_token(PAGE, "rotated");
    let (status, _) = post(
        &client,
        &graph,
        &page_path(),
        Some(PAGE_TOKEN),
        &send_text(PSID, "RESPONSE", "x"),
    )
    .await;
    assert_eq!(status, 400, "the old token no longer works");
    let (status, _) = post(
        &client,
        &graph,
        &page_path(),
        Some("rotated"),
        &send_text(PSID, "RESPONSE", "x"),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = post(
        &client,
        &graph,
        &format!("/v25.0/{PHONE}/messages"),
        Some("wrong"),
        &text("5511999990000", "x"),
    )
    .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (401, &json!(190)),
        "WhatsApp keeps 401"
    );
    assert_eq!(graph.sent_messages().len(), 1);
}

#[tokio::test]
async fn malformed_sends_are_400_code_100_and_not_recorded_as_sends() {
    let (graph, client) = (graph().await, client());
    let send = |body: Value| {
        let (client, graph) = (client.clone(), graph.clone());
        async move { post(&client, &graph, &page_path(), Some(PAGE_TOKEN), &body).await }
    };
    let answer = send(json!({"messaging_type": "RESPONSE", "message": {"text": "x"}})).await;
    assert_code_100(&answer, "no recipient");
    assert_eq!(
        answer.1["error"]["message"],
        "(#100) The parameter recipient is required"
    );
    let answer = send(json!({"recipient": {"id": PSID}, "message": {"text": "x"}})).await;
    assert_code_100(&answer, "no messaging_type");
    assert_code_100(
        &send(send_text(PSID, "PROMO", "x")).await,
        "bad messaging_type",
    );
    assert_code_100(
        &send(json!({"recipient": {"id": PSID}, "messaging_type": "MESSAGE_TAG", "message": {"text": "x"}})).await,
        "MESSAGE_TAG without tag",
    );
    assert_code_100(
        &send(json!({"recipient": {"id": PSID}})).await,
        "neither message nor action",
    );
    assert_code_100(&send(send_text(PSID, "RESPONSE", "")).await, "empty text");
    assert_code_100(
        &send(send_text(PSID, "RESPONSE", &"a".repeat(2001))).await,
        "2001 chars",
    );

    let replies = |n: usize, title: &str| -> Value {
        let qr: Vec<Value> = (0..n)
            .map(|i| json!({"content_type": "text", "title": title, "payload": format!("P{i}")}))
            .collect();
        json!({"recipient": {"id": PSID}, "messaging_type": "RESPONSE",
               "message": {"text": "Escolha:", "quick_replies": qr}})
    };
    assert_code_100(&send(replies(14, "Sim")).await, "14 quick replies");
    assert_code_100(&send(replies(1, &"t".repeat(21))).await, "21-char title");
    let attachment = |kind: &str, payload: Value| {
        json!({"recipient": {"id": PSID}, "messaging_type": "RESPONSE",
               "message": {"attachment": {"type": kind, "payload": payload}}})
    };
    assert_code_100(
        &send(attachment("sticker", json!({"url": "https://x/y.png"}))).await,
        "bad attachment type",
    );
    assert_code_100(
        &send(attachment("image", json!({}))).await,
        "attachment without url",
    );
    assert!(graph.sent_messages().is_empty());

    for ok in [
        replies(13, &"t".repeat(20)),
        send_text(PSID, "RESPONSE", &"a".repeat(2000)),
        attachment(
            "image",
            json!({"url": "https://cdn.example/p.jpg", "is_reusable": true}),
        ),
        attachment("file", json!({"url": "https://cdn.example/nota.pdf"})),
    ] {
        let (status, body) = send(ok).await;
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(graph.sent_messages().len(), 4);
}

#[tokio::test]
async fn a_closed_window_refuses_responses_but_takes_human_agent_until_7_days() {
    let (graph, client) = (graph().await, client());
    let send = |body: Value| {
        let (client, graph) = (client.clone(), graph.clone());
        async move { post(&client, &graph, &page_path(), Some(PAGE_TOKEN), &body).await }
    };
    graph.close_window(PAGE, PSID);
    for kind in ["RESPONSE", "UPDATE"] {
        let (status, body) = send(send_text(PSID, kind, "x")).await;
        assert_eq!(status, 400);
        let e = &body["error"];
        assert_eq!(
            e["message"],
            "(#10) This message is sent outside of allowed window."
        );
        assert_eq!(
            (&e["code"], &e["error_subcode"]),
            (&json!(10), &json!(2018278))
        );
        assert_eq!(e["type"], "OAuthException");
    }
    assert_eq!(
        send(send_text("1111111111111111", "RESPONSE", "x")).await.0,
        200,
        "other users"
    );
    assert_eq!(send(human_agent(PSID, "Oi, aqui é a Ana")).await.0, 200);
    let typing = json!({"recipient": {"id": PSID}, "sender_action": "typing_on"});
    assert_eq!(send(typing).await.0, 200, "sender actions ignore windows");

    graph.expire_human_window(PAGE, PSID);
    let (status, body) = send(human_agent(PSID, "Ainda aí?")).await;
    assert_eq!(
        (status, &body["error"]["error_subcode"]),
        (400, &json!(2018278))
    );
    let update = json!({"recipient": {"id": PSID}, "messaging_type": "MESSAGE_TAG",
                        "tag": "ACCOUNT_UPDATE", "message": {"text": "Sua conta foi atualizada"}});
    assert_eq!(send(update).await.0, 200, "other tags ignore windows");

    graph.set_window(PAGE, PSID, chrono::Utc::now() - chrono::TimeDelta::hours(1));
    assert_eq!(
        send(send_text(PSID, "RESPONSE", "x")).await.0,
        200,
        "a new message reopens it"
    );
    assert_eq!(graph.sent_messages().len(), 4);
}

#[tokio::test]
async fn injected_errors_apply_to_the_page_in_order() {
    let (graph, client) = (graph().await, client());
    graph.inject_error(PAGE, InjectedError::messenger(551));
    graph.inject_error(PAGE, InjectedError::messenger(613).times(2));
    graph.inject_error(PAGE, InjectedError::messenger(2));
    graph.inject_error(PAGE, InjectedError::messenger(190));
    let mut seen = Vec::new();
    for _ in 0..6 {
        let (status, body) = post(
            &client,
            &graph,
            &page_path(),
            Some(PAGE_TOKEN),
            &send_text(PSID, "RESPONSE", "x"),
        )
        .await;
        seen.push((
            status,
            body["error"]["code"].clone(),
            body["error"]["error_subcode"].clone(),
        ));
        if status == 400 && body["error"]["code"] == 551 {
            assert_eq!(
                body["error"]["message"],
                "(#551) This person isn't available right now."
            );
        }
        if body["error"]["code"] == 613 {
            assert_eq!(
                body["error"]["message"],
                "(#613) Calls to this api have exceeded the rate limit."
            );
        }
    }
    assert_eq!(
        seen,
        [
            (400, json!(551), json!(1545041)),
            (400, json!(613), Value::Null),
            (400, json!(613), Value::Null),
            (500, json!(2), Value::Null),
            (400, json!(190), Value::Null),
            (200, Value::Null, Value::Null),
        ]
    );
    let typing = json!({"recipient": {"id": PSID}, "sender_action": "typing_on"});
    graph.inject_error(IG, InjectedError::messenger(551));
    let ig_path = format!("/v25.0/{IG}/messages");
    assert_eq!(
        post(&client, &graph, &ig_path, Some(IG_TOKEN), &typing)
            .await
            .0,
        200,
        "actions aren't affected"
    );
    assert_eq!(graph.sent_messages().len(), 1);
}

#[tokio::test]
async fn pacing_refuses_page_sends_with_613() {
    let graph = FakeGraph::start_with(FakeGraphConfig {
        pacing: Some(1),
        ..FakeGraphConfig::default()
    })
    .await;
    graph.add_page(PAGE, PAGE_TOKEN);
    let client = client();
    let first = post(
        &client,
        &graph,
        &page_path(),
        Some(PAGE_TOKEN),
        &send_text(PSID, "RESPONSE", "a"),
    )
    .await;
    let second = post(
        &client,
        &graph,
        &page_path(),
        Some(PAGE_TOKEN),
        &send_text(PSID, "RESPONSE", "b"),
    )
    .await;
    assert_eq!(first.0, 200);
    assert_eq!((second.0, &second.1["error"]["code"]), (400, &json!(613)));
}

#[tokio::test]
async fn sender_actions_answer_only_the_recipient_and_are_not_sends() {
    let (graph, client) = (graph().await, client());
    let ig_path = format!("/v25.0/{IG}/messages");
    for (action, payload) in [
        ("typing_on", None),
        ("typing_off", None),
        ("mark_seen", None),
        (
            "react",
            Some(json!({"message_id": "aWdfbWVzc2FnZV9pdGVt", "reaction": "❤️"})),
        ),
        (
            "unreact",
            Some(json!({"message_id": "aWdfbWVzc2FnZV9pdGVt"})),
        ),
    ] {
        let mut body = json!({"recipient": {"id": IGSID}, "sender_action": action});
        if let Some(p) = payload {
            body["payload"] = p;
        }
        let (status, answer) = post(&client, &graph, &ig_path, Some(IG_TOKEN), &body).await;
        assert_eq!(
            (status, answer),
            (200, json!({"recipient_id": IGSID})),
            "{action}"
        );
    }
    let bad = [
        json!({"recipient": {"id": IGSID}, "sender_action": "dance"}),
        json!({"recipient": {"id": IGSID}, "sender_action": "react", "payload": {"reaction": "❤️"}}),
        json!({"recipient": {"id": IGSID}, "sender_action": "react", "payload": {"message_id": "m"}}),
        json!({"recipient": {"id": IGSID}, "sender_action": "typing_on", "messaging_type": "RESPONSE",
               "message": {"text": "x"}}),
    ];
    for body in bad {
        assert_code_100(
            &post(&client, &graph, &ig_path, Some(IG_TOKEN), &body).await,
            &body.to_string(),
        );
    }
    assert!(graph.sent_messages().is_empty());
    assert_eq!(graph.requests().len(), 9);
}

// --- the simulator ---

type Received = Arc<Mutex<Vec<(Option<String>, HeaderMap, Vec<u8>)>>>;

/// A receiver that stores each request and answers the hub handshake for
/// token "vt".
async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    let app = Router::new()
        .route(
            "/webhook",
            get(
                |State(r): State<Received>, RawQuery(q): RawQuery, headers: HeaderMap| async move {
                    r.lock()
                        .expect("lock")
                        .push((q.clone(), headers, Vec::new()));
                    let q = q.unwrap_or_default();
                    let ok = q.contains("hub.mode=subscribe") && q.contains("hub.verify_token=vt&");
                    let challenge = q.split('&').find_map(|p| p.strip_prefix("hub.challenge="));
                    match (ok, challenge) {
                        (true, Some(c)) => (axum::http::StatusCode::OK, c.to_owned()),
                        _ => (axum::http::StatusCode::FORBIDDEN, String::new()),
                    }
                },
            )
            .post(
                |State(r): State<Received>, headers: HeaderMap, body: Bytes| async move {
                    r.lock().expect("lock").push((None, headers, body.to_vec()));
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

fn hmac_hex(key: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// The single event of a one-entry delivery.
fn event(delivery: &Value) -> &Value {
    assert_eq!(delivery["entry"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        delivery["entry"][0]["messaging"].as_array().map(Vec::len),
        Some(1)
    );
    &delivery["entry"][0]["messaging"][0]
}

#[test]
fn messenger_deliveries_have_meta_shapes() {
    let sim = MetaSimulator::messenger("http://127.0.0.1:9/webhook", SECRET, PAGE);
    assert_eq!(sim.platform(), MetaPlatform::Messenger);
    let (d, mid) = sim.quick_reply(PSID, "Where is my order?", "ORDER_STATUS");
    assert_eq!(d["object"], "page");
    assert_eq!(d["entry"][0]["id"], PAGE);
    assert!(
        d["entry"][0]["time"]
            .as_i64()
            .is_some_and(|t| t > 1_700_000_000_000)
    );
    let e = event(&d);
    assert_eq!(
        (&e["sender"]["id"], &e["recipient"]["id"]),
        (&json!(PSID), &json!(PAGE))
    );
    assert!(
        e["timestamp"]
            .as_i64()
            .is_some_and(|t| t > 1_700_000_000_000),
        "ms, a number"
    );
    assert_eq!(
        e["message"],
        json!({"mid": mid, "text": "Where is my order?", "quick_reply": {"payload": "ORDER_STATUS"}})
    );
    assert!(mid.starts_with("m_") && mid.len() >= 42);

    let (d, pb_mid) = sim.postback(PSID, "Talk to an agent", "HUMAN_HANDOFF");
    assert_eq!(
        event(&d)["postback"],
        json!({"mid": pb_mid, "title": "Talk to an agent", "payload": "HUMAN_HANDOFF"})
    );
    let (d, _) = sim.attachment(PSID, "image", "https://lookaside.fbsbx.com/x.jpg");
    assert_eq!(
        event(&d)["message"]["attachments"],
        json!([{"type": "image", "payload": {"url": "https://lookaside.fbsbx.com/x.jpg"}}])
    );
    let d = sim.reaction(PSID, &mid, "❤️", false);
    assert_eq!(
        event(&d)["reaction"],
        json!({"mid": mid, "action": "react", "reaction": "love", "emoji": "❤️"})
    );
    let d = sim.edit(PSID, &mid, "Where is order 42?", 1);
    assert_eq!(
        event(&d)["message_edit"],
        json!({"mid": mid, "text": "Where is order 42?", "num_edit": 1})
    );

    let d = sim.echo(PSID, "m_ours", "On its way!");
    let e = event(&d);
    assert_eq!(
        (&e["sender"]["id"], &e["recipient"]["id"]),
        (&json!(PAGE), &json!(PSID))
    );
    assert_eq!(e["message"]["is_echo"], true);
    assert_eq!(e["message"]["text"], "On its way!");
    assert!(e["message"]["app_id"].is_number());

    let d = sim.delivery(PSID, &["m_ours"], 1_749_416_599_800);
    let e = event(&d);
    assert_eq!(
        e["delivery"],
        json!({"mids": ["m_ours"], "watermark": 1_749_416_599_800i64})
    );
    assert!(e.get("timestamp").is_none(), "as in MI-3");
    assert!(
        event(&sim.delivery(PSID, &[], 5))["delivery"]
            .get("mids")
            .is_none()
    );
    let d = sim.read_watermark(PSID, 1_749_416_599_800);
    assert_eq!(
        event(&d)["read"],
        json!({"watermark": 1_749_416_599_800i64})
    );
}

#[test]
fn instagram_deliveries_have_meta_shapes() {
    let sim = MetaSimulator::instagram("http://127.0.0.1:9/webhook", SECRET, IG);
    let (d, mid) = sim.story_mention(
        IGSID,
        "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1",
    );
    assert_eq!(
        (&d["object"], &d["entry"][0]["id"]),
        (&json!("instagram"), &json!(IG))
    );
    let e = event(&d);
    assert_eq!(e["recipient"]["id"], IG);
    assert_eq!(e["message"]["attachments"][0]["type"], "story_mention");
    assert!(!mid.starts_with("m_") && mid.len() > 100, "{mid}");
    let (d, _) = sim.story_reply(IGSID, "Que lindo!", "https://cdn/story.mp4");
    let reply = &event(&d)["message"]["reply_to"]["story"];
    assert_eq!(reply["url"], "https://cdn/story.mp4");
    assert!(reply["id"].is_string());
    assert_eq!(
        event(&sim.unsend(IGSID, &mid))["message"],
        json!({"mid": mid, "is_deleted": true})
    );
    assert_eq!(event(&sim.seen(IGSID, &mid))["read"], json!({"mid": mid}));
    let echo = sim.echo(IGSID, &mid, "Thanks for the mention!");
    assert!(
        event(&echo)["message"].get("app_id").is_none(),
        "as in MI-2"
    );
    for kind in ["video", "audio", "file", "share", "ig_reel", "fallback"] {
        let (d, _) = sim.attachment(IGSID, kind, "https://cdn/a");
        let a = &event(&d)["message"]["attachments"][0];
        assert_eq!(
            (&a["type"], &a["payload"]["url"]),
            (&json!(kind), &json!("https://cdn/a"))
        );
    }
}

#[test]
fn batch_merges_entries_in_order_one_event_each() {
    let sim = MetaSimulator::messenger("http://127.0.0.1:9/webhook", SECRET, PAGE);
    let other = MetaSimulator::messenger("http://127.0.0.1:9/webhook", SECRET, "200000000000001");
    let (a, mid_a) = sim.text(PSID, "Oi");
    let (b, mid_b) = other.postback(PSID, "Start", "GET_STARTED");
    let read = sim.read_watermark(PSID, 1);
    let batch = sim.batch(&[a, b, read]);
    assert_eq!(batch["object"], "page");
    let entries = batch["entry"].as_array().expect("entries");
    assert_eq!(entries.len(), 3);
    assert!(
        entries
            .iter()
            .all(|e| e["messaging"].as_array().map(Vec::len) == Some(1))
    );
    assert_eq!(entries[0]["messaging"][0]["message"]["mid"], mid_a.as_str());
    assert_eq!(entries[1]["id"], "200000000000001");
    assert_eq!(
        entries[1]["messaging"][0]["postback"]["mid"],
        mid_b.as_str()
    );
    assert!(entries[2]["messaging"][0]["read"].is_object());
}

#[test]
#[should_panic(expected = "merges only page deliveries")]
fn batch_refuses_the_other_platform() {
    let sim = MetaSimulator::messenger("http://127.0.0.1:9/webhook", SECRET, PAGE);
    let ig = MetaSimulator::instagram("http://127.0.0.1:9/webhook", SECRET, IG);
    sim.batch(&[ig.text(IGSID, "x").0]);
}

#[tokio::test]
async fn post_signs_ascii_escaped_json_and_duplicates_are_byte_identical() {
    let (url, received) = receiver().await;
    let sim = MetaSimulator::messenger(&url, SECRET, PAGE);
    let client = client();
    let (d, mid) = sim.text(PSID, "Café? 😀");
    for _ in 0..2 {
        let resp = sim.post(&client, &d).await;
        assert_eq!((resp.status, resp.body.as_str()), (200, "EVENT_RECEIVED"));
    }
    let got = received.lock().expect("lock").clone();
    assert_eq!(got.len(), 2);
    let (_, headers, body) = &got[0];
    assert_eq!(body, &got[1].2, "a retry is the same bytes");
    assert!(body.is_ascii());
    assert!(String::from_utf8_lossy(body).contains(r"Caf\u00e9? \ud83d\ude00"));
    let expected = format!("sha256={}", hmac_hex(SECRET, body));
    assert_eq!(
        headers["x-hub-signature-256"].to_str().ok(),
        Some(expected.as_str())
    );
    assert_eq!(sim.sign(body), expected);
    assert_eq!(headers["content-type"], "application/json");
    let parsed: Value = serde_json::from_slice(body).expect("JSON");
    assert_eq!(parsed, d);
    assert_eq!(
        parsed["entry"][0]["messaging"][0]["message"]["mid"],
        mid.as_str()
    );

    received.lock().expect("lock").clear();
    sim.post_with_signature(&client, &d, Some("sha256=00"))
        .await;
    sim.post_with_signature(&client, &d, None).await;
    let got = received.lock().expect("lock").clone();
    assert_eq!(got[0].1["x-hub-signature-256"], "sha256=00");
    assert!(got[1].1.get("x-hub-signature-256").is_none());
}

#[tokio::test]
async fn handshake_sends_the_hub_query_parameters() {
    let (url, received) = receiver().await;
    let sim = MetaSimulator::instagram(&url, SECRET, IG);
    let client = client();
    let ok = sim
        .handshake(&client, "subscribe", "vt", "1158201444")
        .await;
    assert_eq!((ok.status, ok.body.as_str()), (200, "1158201444"));
    let bad = sim
        .handshake(&client, "subscribe", "nope", "1158201444")
        .await;
    assert_eq!(bad.status, 403);
    let got = received.lock().expect("lock").clone();
    assert_eq!(
        got[0].0.as_deref(),
        Some("hub.mode=subscribe&hub.verify_token=vt&hub.challenge=1158201444")
    );
}

#[tokio::test]
async fn sends_of_a_linked_page_come_back_as_echo_then_delivery() {
    let (url, received) = receiver().await;
    let (graph, client) = (graph().await, client());
    let sim = MetaSimulator::messenger(&url, SECRET, PAGE);
    graph.deliver_meta_webhooks(sim);
    let body = json!({"recipient": {"id": PSID}, "messaging_type": "RESPONSE",
                      "message": {"text": "Olá!", "metadata": "conv-42"}});
    let (status, answer) = post(&client, &graph, &page_path(), Some(PAGE_TOKEN), &body).await;
    assert_eq!(status, 200);
    let mid = answer["message_id"].as_str().expect("mid").to_owned();
    assert_eq!(
        graph.accepted_sends()[0].callback_data.as_deref(),
        Some("conv-42")
    );

    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while received.lock().expect("lock").len() < 2 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let got = received.lock().expect("lock").clone();
    assert_eq!(got.len(), 2);
    let echo: Value = serde_json::from_slice(&got[0].2).expect("JSON");
    let e = event(&echo);
    assert_eq!(e["sender"]["id"], PAGE);
    assert_eq!(e["message"]["mid"], mid.as_str());
    assert_eq!(e["message"]["is_echo"], true);
    assert_eq!(e["message"]["metadata"], "conv-42");
    let receipt: Value = serde_json::from_slice(&got[1].2).expect("JSON");
    assert_eq!(event(&receipt)["delivery"]["mids"], json!([mid]));
    let sig = format!("sha256={}", hmac_hex(SECRET, &got[1].2));
    assert_eq!(
        got[1].1["x-hub-signature-256"].to_str().ok(),
        Some(sig.as_str())
    );
}
