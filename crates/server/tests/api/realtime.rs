//! Real-time delivery: the events log read by polling (LC-13 resync) and the
//! WebSocket stream, both filtered by LC-1 visibility.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use crate::helpers::{
    Session, TestApp, add_member, create_department, create_inbox, seed_conversation,
};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

async fn note(s: &Session, conv: &str, text: &str) -> String {
    let r = s
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": text, "internal": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let m: Value = r.json().await.unwrap();
    m["id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poller_gets_every_event_once_in_order_while_writers_race() {
    let app = TestApp::spawn().await;
    let admin = Arc::new(app.admin().await);
    let reader = app.admin().await;
    let inbox = create_inbox(&admin, "PNID-1").await;
    let mut convs = Vec::new();
    for n in 0..8 {
        convs.push(
            seed_conversation(&app, &inbox, &format!("551190000{n:04}"), &format!("C{n}")).await,
        );
    }
    let start = reader.get_json("/api/v1/events?after=0&limit=5000").await["last_seq"]
        .as_i64()
        .unwrap();
    let done = Arc::new(AtomicBool::new(false));

    let poller = {
        let done = done.clone();
        tokio::spawn(async move {
            let mut after = start;
            let mut got: Vec<Value> = Vec::new();
            for _ in 0..20_000 {
                // Read the flag before asking, so the last pass starts after
                // every writer has finished.
                let finished = done.load(Ordering::SeqCst);
                let page = reader
                    .get_json(&format!("/api/v1/events?after={after}&limit=10"))
                    .await;
                let last = page["last_seq"].as_i64().unwrap();
                assert!(last >= after, "last_seq went back");
                after = last;
                got.extend(page["events"].as_array().unwrap().iter().cloned());
                if page["has_more"] == true {
                    continue;
                }
                if finished {
                    return got;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            panic!("the poller never caught up");
        })
    };

    let writers: Vec<_> = convs
        .iter()
        .map(|conv| {
            let s = admin.clone();
            let conv = conv.clone();
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for n in 0..15 {
                    ids.push(note(&s, &conv, &format!("nota {n}")).await);
                }
                ids
            })
        })
        .collect();
    let mut written = BTreeSet::new();
    for w in writers {
        written.extend(w.await.unwrap());
    }
    assert_eq!(written.len(), 120);
    done.store(true, Ordering::SeqCst);
    let got = poller.await.unwrap();

    let seqs: Vec<i64> = got.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.iter().all(|&s| s > start));
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "seq not strictly increasing: {seqs:?}"
    );
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for e in got.iter().filter(|e| e["kind"] == "message.created") {
        let id = e["payload"]["message"]["id"].as_str().unwrap().to_string();
        *seen.entry(id).or_default() += 1;
    }
    let once: BTreeSet<String> = seen
        .iter()
        .filter(|(_, n)| **n == 1)
        .map(|(id, _)| id.clone())
        .collect();
    assert!(seen.values().all(|&n| n == 1), "an event came twice");
    assert_eq!(once, written, "events missed or foreign");
}

/// An upgrade request carrying `headers`.
fn ws_request(
    app: &TestApp,
    headers: &[(&'static str, &str)],
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let mut req = app.ws_url().into_client_request().unwrap();
    for (name, value) in headers {
        req.headers_mut()
            .insert(*name, value.parse().expect("header value"));
    }
    req
}

/// Connects to the event stream with `headers`; returns the socket and the
/// `last_seq` of its hello.
async fn connect(app: &TestApp, headers: &[(&'static str, &str)]) -> (Ws, i64) {
    let req = ws_request(app, headers);
    let (mut ws, resp) = connect_async(req).await.expect("WebSocket upgrade");
    assert_eq!(resp.status(), StatusCode::SWITCHING_PROTOCOLS);
    let hello = next_frame(&mut ws).await;
    assert_eq!(hello["type"], "hello", "{hello}");
    (ws, hello["last_seq"].as_i64().unwrap())
}

/// The next JSON text frame (control frames skipped), checked against the
/// `ServerFrame` schema of the OpenAPI document: the web app's frame types
/// are generated from it, so a frame that drifts from it fails here.
async fn next_frame(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("no frame within 10 s")
            .expect("socket closed")
            .expect("socket error");
        if let Message::Text(t) = msg {
            let frame: Value = serde_json::from_str(t.as_str()).unwrap();
            let doc = openapi();
            let schema = &doc["components"]["schemas"]["ServerFrame"];
            assert!(schema.is_object(), "ServerFrame is not in the document");
            let mut errors = Vec::new();
            crate::schema::check(doc, schema, &frame, "frame", &mut errors);
            assert!(
                errors.is_empty(),
                "{frame} does not match ServerFrame: {errors:?}"
            );
            return frame;
        }
    }
}

/// The server's OpenAPI document, as JSON.
fn openapi() -> &'static Value {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| serde_json::to_value(atende_server::app::openapi()).unwrap())
}

/// The next event frame's event (counter updates skipped).
async fn next_event(ws: &mut Ws) -> Value {
    loop {
        let f = next_frame(ws).await;
        if f["type"] == "counts" {
            continue;
        }
        assert_eq!(f["type"], "event", "{f}");
        return f["event"].clone();
    }
}

/// The next counter update (events skipped).
async fn next_counts(ws: &mut Ws) -> Value {
    loop {
        let f = next_frame(ws).await;
        if f["type"] == "counts" {
            return f["counts"].clone();
        }
    }
}

/// Reads events until the `message.created` of `message_id`; returns every
/// event read, that one last.
async fn events_until(ws: &mut Ws, message_id: &str) -> Vec<Value> {
    let mut out = Vec::new();
    loop {
        let e = next_event(ws).await;
        let hit = e["kind"] == "message.created" && e["payload"]["message"]["id"] == message_id;
        out.push(e);
        if hit {
            return out;
        }
    }
}

#[tokio::test]
async fn the_socket_shows_an_agent_only_the_chats_it_may_see() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let inbox = create_inbox(&admin, "PNID-1").await;
    let dept_a = create_department(&admin, "Vendas").await;
    let dept_b = create_department(&admin, "Suporte").await;
    let ana = app.named_user(&admin, "agent", "Ana").await;
    let manager = app.named_user(&admin, "manager", "Gerente").await;
    add_member(&admin, &dept_a, &ana.user_id).await;
    let chat_a = seed_conversation(&app, &inbox, "5511900000001", "Cliente A").await;
    let chat_b = seed_conversation(&app, &inbox, "5511900000002", "Cliente B").await;
    for (c, d) in [(&chat_a, &dept_a), (&chat_b, &dept_b)] {
        let r = admin
            .post(
                &format!("/api/v1/conversations/{c}/assign"),
                json!({"department_id": d}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let cookie = app.session_cookie(&ana.email).await;
    // A browser on our own origin sends its Origin along with the cookie.
    let (mut ana_ws, ana_hello) =
        connect(&app, &[("cookie", &cookie), ("origin", &app.addr)]).await;
    let token = manager.create_token("painel").await;
    let (mut mgr_ws, mgr_hello) =
        connect(&app, &[("authorization", &format!("Bearer {token}"))]).await;

    let in_b = note(&admin, &chat_b, "nota no departamento B").await;
    let in_a = note(&admin, &chat_a, "nota no departamento A").await;

    // Department B's event came first: had Ana received it, it would precede.
    let seen = events_until(&mut ana_ws, &in_a).await;
    for e in &seen {
        assert_eq!(e["conversation_id"], chat_a.as_str(), "Ana got {e}");
        assert!(e["seq"].as_i64().unwrap() > ana_hello);
    }
    let seen = events_until(&mut mgr_ws, &in_a).await;
    let chats: Vec<&str> = seen
        .iter()
        .map(|e| e["conversation_id"].as_str().unwrap())
        .collect();
    assert!(
        seen.iter()
            .any(|e| e["payload"]["message"]["id"] == in_b.as_str()),
        "the manager missed department B's note: {seen:?}"
    );
    assert!(
        chats.iter().all(|c| *c == chat_a || *c == chat_b),
        "{chats:?}"
    );
    let seqs: Vec<i64> = seen.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs[0] > mgr_hello && seqs.windows(2).all(|w| w[0] < w[1]));
    // The same filter applies to the log.
    let log = ana
        .get_json(&format!("/api/v1/events?after={ana_hello}"))
        .await;
    let text = log["events"].to_string();
    assert!(text.contains(&in_a) && !text.contains(&in_b) && !text.contains(&chat_b));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_socket_continues_exactly_after_its_hello() {
    let app = TestApp::spawn().await;
    let admin = Arc::new(app.admin().await);
    let inbox = create_inbox(&admin, "PNID-1").await;
    let chat = seed_conversation(&app, &inbox, "5511900000001", "Cliente").await;
    let token = admin.create_token("painel").await;
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (admin, stop, chat) = (admin.clone(), stop.clone(), chat.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                note(&admin, &chat, &format!("nota {n}")).await;
                n += 1;
            }
        })
    };
    // The admin sees every event, so the stream after hello has no gaps.
    for _ in 0..50 {
        let (mut ws, hello) = connect(&app, &[("authorization", &format!("Bearer {token}"))]).await;
        let first = next_event(&mut ws).await;
        assert_eq!(
            first["seq"].as_i64().unwrap(),
            hello + 1,
            "events between hello and the first frame were lost"
        );
        let second = next_event(&mut ws).await;
        assert_eq!(second["seq"].as_i64().unwrap(), hello + 2);
    }
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
}

#[tokio::test]
async fn an_unauthenticated_upgrade_is_401() {
    let app = TestApp::spawn().await;
    let attempts = [
        None,
        Some(("cookie", "atende_session=forjado")),
        Some(("authorization", "Bearer atd_forjado")),
    ];
    for extra in attempts {
        let req = ws_request(&app, extra.as_slice());
        match connect_async(req).await {
            Err(WsError::Http(resp)) => {
                assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{extra:?}")
            }
            Err(e) => panic!("{extra:?}: unexpected error {e}"),
            Ok(_) => panic!("{extra:?}: upgraded without credentials"),
        }
    }
}

#[tokio::test]
async fn a_cookie_upgrade_from_another_origin_is_refused() {
    let app = TestApp::spawn().await;
    let cookie = app.session_cookie(&app.admin_email).await;
    let req = ws_request(
        &app,
        &[("cookie", &cookie), ("origin", "https://evil.example")],
    );
    match connect_async(req).await {
        Err(WsError::Http(resp)) => assert_eq!(resp.status(), StatusCode::FORBIDDEN),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("a cross-site upgrade was accepted"),
    }
    // The same cookie from our own origin is fine.
    let (_ws, hello) = connect(&app, &[("cookie", &cookie), ("origin", &app.addr)]).await;
    assert!(hello >= 0);
}

/// Events committed without being published here (another node, or a
/// publish that lost the race) are filled in from the log, in order.
#[tokio::test]
async fn gaps_on_the_socket_are_filled_from_the_log_in_order() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let inbox = create_inbox(&admin, "PNID-GAP").await;
    let chat = seed_conversation(&app, &inbox, "5511900000002", "Cliente").await;
    let token = admin.create_token("painel").await;
    let (mut ws, hello) = connect(&app, &[("authorization", &format!("Bearer {token}"))]).await;
    // Committed straight through the store: nothing is published on the bus.
    seed_conversation(&app, &inbox, "5511900000003", "Outra").await;
    note(&admin, &chat, "depois").await;
    let mut seqs = Vec::new();
    loop {
        let e = next_event(&mut ws).await;
        seqs.push(e["seq"].as_i64().unwrap());
        if e["kind"] == "message.created" && e["payload"]["message"]["text"] == "depois" {
            break;
        }
        assert!(seqs.len() < 50, "the published event never arrived");
    }
    assert!(
        seqs.len() >= 4,
        "the unpublished events were not filled in: {seqs:?}"
    );
    assert_eq!(
        seqs,
        ((hello + 1)..=(hello + seqs.len() as i64)).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn tab_counters_come_after_hello_and_follow_assignments() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let inbox = create_inbox(&admin, "PNID-1").await;
    let vendas = create_department(&admin, "Vendas").await;
    let suporte = create_department(&admin, "Suporte").await;
    let ana = app.named_user(&admin, "agent", "Ana").await;
    add_member(&admin, &vendas, &ana.user_id).await;
    let chat = seed_conversation(&app, &inbox, "5511900000001", "Cliente A").await;
    let other = seed_conversation(&app, &inbox, "5511900000002", "Cliente B").await;
    let r = admin
        .post(
            &format!("/api/v1/conversations/{other}/assign"),
            json!({"department_id": suporte}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // The REST answer and the first frame after hello agree.
    let rest = ana.get_json("/api/v1/conversations/counts").await;
    let cookie = app.session_cookie(&ana.email).await;
    let (mut ws, _) = connect(&app, &[("cookie", &cookie), ("origin", &app.addr)]).await;
    let first = next_frame(&mut ws).await;
    assert_eq!(first["type"], "counts", "{first}");
    assert_eq!(first["counts"], rest);
    // Support's chat is invisible to Ana: only her visible chat counts.
    assert_eq!(rest["all"], 1, "{rest}");
    assert_eq!(rest["mine"], 0, "{rest}");

    // Assigning the chat to Ana moves it into Mine and In service.
    let r = admin
        .post(
            &format!("/api/v1/conversations/{chat}/assign"),
            json!({"agent_id": ana.user_id}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let pushed = next_counts(&mut ws).await;
    assert_eq!(pushed["all"], 1, "{pushed}");
    assert_eq!(pushed["mine"], 1, "{pushed}");
    assert_eq!(pushed["in_service"], 1, "{pushed}");
    assert_eq!(pushed["open"], 0, "{pushed}");
    assert_eq!(ana.get_json("/api/v1/conversations/counts").await, pushed);

    // Each view's count is the size of the list the same user gets.
    for view in ["all", "open", "mine", "in_service"] {
        let page = ana
            .get_json(&format!("/api/v1/conversations?view={view}&limit=200"))
            .await;
        assert_eq!(
            page["items"].as_array().unwrap().len() as i64,
            pushed[view].as_i64().unwrap(),
            "{view}"
        );
    }
}

/// Waits for the server to close the socket; returns the close code.
async fn closed_with(ws: &mut Ws) -> Option<u16> {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("the socket stayed open for 10 s")
        {
            None | Some(Err(_)) => return None,
            Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => {}
        }
    }
}

/// Module permissions hold on the stream as on REST (DESIGN §8): without
/// the chat module, no message, chat or contact event reaches a user.
#[tokio::test]
async fn a_user_without_the_chat_module_receives_no_chat_or_contact_event() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let inbox = create_inbox(&admin, "PNID-1").await;
    let analyst = app.named_user(&admin, "manager", "Analista").await;
    let r = admin
        .patch(
            &format!("/api/v1/users/{}", analyst.user_id),
            json!({"permissions": {"modules": {"reports": "view"}, "capabilities": []}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let token = analyst.create_token("painel").await;
    let (mut ws, hello) = connect(&app, &[("authorization", &format!("Bearer {token}"))]).await;
    let chat = seed_conversation(&app, &inbox, "5511900000001", "Cliente Sigiloso").await;
    note(&admin, &chat, "texto confidencial").await;
    // A tag is everyone's: it arrives, and nothing of the chat before it.
    admin
        .post_json("/api/v1/tags", json!({"name": "VIP", "color": "#ff0000"}))
        .await;
    let e = next_event(&mut ws).await;
    assert_eq!(e["kind"], "tag.created", "{e}");
    let log = analyst
        .get_json(&format!("/api/v1/events?after={hello}"))
        .await;
    let text = log["events"].to_string();
    assert!(
        !text.contains("confidencial") && !text.contains("Sigiloso") && !text.contains(&chat),
        "{text}"
    );
    assert!(text.contains("tag.created"), "{text}");
}

/// LC-19: a colleague who chose to be invisible shows as offline to others,
/// on the stream as in `GET /agents`; they see their own status.
#[tokio::test]
async fn an_invisible_colleague_shows_as_offline_on_the_stream() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ana = app.named_user(&admin, "agent", "Ana").await;
    let before = admin.get_json("/api/v1/events?after=0").await["last_seq"]
        .as_i64()
        .unwrap();
    let r = ana
        .patch(
            &format!("/api/v1/users/{}", ana.user_id),
            json!({"status": "invisible"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let others = admin
        .get_json(&format!("/api/v1/events?after={before}"))
        .await;
    let theirs = ana
        .get_json(&format!("/api/v1/events?after={before}"))
        .await;
    let status = |page: &Value| {
        page["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| {
                e["kind"] == "user.updated" && e["payload"]["user_id"] == ana.user_id.as_str()
            })
            .map(|e| e["payload"]["status"].clone())
    };
    assert_eq!(status(&others), Some(json!("offline")));
    assert_eq!(status(&theirs), Some(json!("invisible")));
}

/// A socket never outlives its right to see: logout and deactivation close
/// it (4401), a lost "see all chats" applies to the next frame.
#[tokio::test]
async fn logout_deactivation_and_lost_rights_reach_an_open_socket() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let inbox = create_inbox(&admin, "PNID-1").await;

    // Logout.
    let ana = app.named_user(&admin, "agent", "Ana").await;
    let cookie = app.session_cookie(&ana.email).await;
    let (mut ws, _) = connect(&app, &[("cookie", &cookie), ("origin", &app.addr)]).await;
    let csrf = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/logout"))
        .header("cookie", &cookie)
        .header("x-csrf-token", csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(closed_with(&mut ws).await, Some(4401));

    // Deactivation.
    let bruno = app.named_user(&admin, "agent", "Bruno").await;
    let token = bruno.create_token("celular").await;
    let (mut ws, _) = connect(&app, &[("authorization", &format!("Bearer {token}"))]).await;
    let r = admin
        .patch(
            &format!("/api/v1/users/{}", bruno.user_id),
            json!({"active": false}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    assert_eq!(closed_with(&mut ws).await, Some(4401));

    // "See all chats" taken away: another department's chat stops arriving.
    let manager = app.named_user(&admin, "manager", "Gerente").await;
    let token = manager.create_token("painel").await;
    let (mut ws, _) = connect(&app, &[("authorization", &format!("Bearer {token}"))]).await;
    let other = create_department(&admin, "Suporte").await;
    let chat = seed_conversation(&app, &inbox, "5511900000009", "Cliente").await;
    let r = admin
        .post(
            &format!("/api/v1/conversations/{chat}/assign"),
            json!({"department_id": other}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let seen = note(&admin, &chat, "antes").await;
    events_until(&mut ws, &seen).await;
    let r = admin
        .patch(
            &format!("/api/v1/users/{}", manager.user_id),
            json!({"permissions": {"modules": {"chat": "view_edit"}, "capabilities": []}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    note(&admin, &chat, "depois").await;
    let tag = admin
        .post_json(
            "/api/v1/tags",
            json!({"name": "Marcador", "color": "#00ff00"}),
        )
        .await;
    loop {
        let e = next_event(&mut ws).await;
        assert_ne!(e["conversation_id"], chat.as_str(), "still streamed: {e}");
        if e["kind"] == "tag.created" && e["payload"]["id"] == tag["id"] {
            break;
        }
    }
}

/// LC-13: the client's heartbeat is answered, so it can tell a dead
/// connection from a quiet one.
#[tokio::test]
async fn the_socket_answers_the_clients_heartbeat() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let token = admin.create_token("painel").await;
    let (mut ws, _) = connect(&app, &[("authorization", &format!("Bearer {token}"))]).await;
    use futures::SinkExt;
    ws.send(Message::Text(r#"{"type":"ping"}"#.into()))
        .await
        .unwrap();
    loop {
        let f = next_frame(&mut ws).await;
        if f["type"] == "pong" {
            break;
        }
        assert_eq!(f["type"], "counts", "{f}");
    }
}
