//! Live monitoring (RP-5) and presence (LC-19) over a scripted day: the
//! server's clock is frozen at 08:00 in Brasília and moved by hand, so every
//! number and list is checked against values computed by hand from the
//! script (docs/monitoring.md defines each).

use atende_store::testing::freeze_clock;
use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{Session, assert_error};
use crate::support::Wa;

const MIN: i64 = 60_000;
/// 2026-03-10 08:00 in Brasília (11:00 UTC).
const EIGHT: i64 = 1_773_140_400_000;

/// Moves the server's and the simulated provider's clocks to `hh:mm`.
fn at(h: i64, m: i64) {
    let t = EIGHT + ((h - 8) * 60 + m) * MIN;
    freeze_clock(t);
    atende_testkit::simulator::set_clock(t);
}

/// "2026-03-10T11:23:00.000Z" for 08:23 in Brasília.
fn iso(h: i64, m: i64) -> String {
    format!("2026-03-10T{:02}:{:02}:00.000Z", h + 3, m)
}

async fn assign(wa: &Wa, conv: &str, agent: &Session) {
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/assign"),
            json!({"agent_id": agent.user_id, "confirm": true}),
        )
        .await;
    assert!(r.status().is_success(), "assign: {}", r.status());
}

async fn reply(agent: &Session, conv: &str, text: &str) {
    let r = agent
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": text}),
        )
        .await;
    assert_eq!(r.status(), 202, "reply");
}

async fn tag(wa: &Wa, conv: &str, tags: &[&str]) {
    let r = wa
        .admin
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/conversations/{conv}/tags"),
            Some(json!({"tags": tags})),
        )
        .await;
    assert_eq!(r.status(), 200, "tags");
}

async fn set_status(s: &Session, body: Value) -> reqwest::Response {
    s.send(reqwest::Method::PUT, "/api/v1/me/status", Some(body))
        .await
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens the agent's console socket (they are here while it is open).
async fn connect(wa: &Wa, email: &str) -> Ws {
    let cookie = wa.app.session_cookie(email).await;
    let mut req = wa.app.ws_url().into_client_request().unwrap();
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    req.headers_mut()
        .insert("origin", wa.app.addr.parse().unwrap());
    let (mut ws, _) = connect_async(req).await.expect("WebSocket upgrade");
    let hello = ws.next().await.expect("hello").expect("frame");
    assert!(hello.to_string().contains("hello"), "{hello}");
    ws
}

/// Closes the socket and waits until the server has let it go.
async fn hang_up(mut ws: Ws) {
    ws.close(None).await.unwrap();
    while ws.next().await.is_some() {}
}

async fn status_of(viewer: &Session, name: &str) -> String {
    let agents = viewer.get_json("/api/v1/agents").await;
    let a = agents
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {agents}"))
        .clone();
    a["status"].as_str().unwrap().to_string()
}

async fn closed(wa: &Wa, conv: &str) -> bool {
    wa.admin.conversation(conv).await["attendance_open"] == false
}

#[tokio::test]
async fn a_scripted_day_gives_every_number_and_list() {
    at(8, 0);
    let wa = Wa::start_with(|c| c.presence_sweep_ms = 50).await;
    let admin = &wa.admin;
    // Settings: an hour without a word from the customer ends a ticket;
    // five minutes without a socket makes an agent offline.
    let s = admin
        .patch(
            "/api/v1/settings",
            json!({"pause_reasons": ["Almoço", "Reunião"], "away_minutes": 5, "ticket_expiry_hours": 1}),
        )
        .await;
    assert_eq!(s.status(), 200);
    let dept = admin
        .post_json("/api/v1/departments", json!({"name": "Vendas"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut team = Vec::new();
    for name in ["Ana", "Bia", "Caio"] {
        let a = wa.app.named_user(admin, "agent", name).await;
        let r = admin
            .post(
                &format!("/api/v1/departments/{dept}/members"),
                json!({"user_id": a.user_id}),
            )
            .await;
        assert!(r.status().is_success());
        team.push(a);
    }
    let (ana, bia, caio) = (&team[0], &team[1], &team[2]);
    let venda = admin
        .post_json("/api/v1/tags", json!({"name": "Venda"}))
        .await["id"]
        .clone();
    let duvida = admin
        .post_json("/api/v1/tags", json!({"name": "Dúvida"}))
        .await["id"]
        .clone();
    let (venda, duvida) = (venda.as_str().unwrap(), duvida.as_str().unwrap());

    // 08:00 Ana and Bia open the console and keep it open; Caio closes his
    // at once: away after 08:05.
    let _consoles = (
        connect(&wa, &ana.email).await,
        connect(&wa, &bia.email).await,
    );
    hang_up(connect(&wa, &caio.email).await).await;
    // 08:00 A, 08:05 B, 08:10 C write: three tickets in the queue.
    let a = wa.customer_writes("5511911110001", "Alice", "Oi").await;
    at(8, 5);
    let b = wa
        .customer_writes("5511911110002", "Bruno", "Bom dia")
        .await;
    at(8, 10);
    let c = wa.customer_writes("5511911110003", "Carla", "Olá").await;
    wa.until(async || (status_of(bia, "Caio").await == "offline").then_some(()))
        .await;
    // 08:20 A goes to Ana, who replies at 08:23; tagged at 08:30, when B
    // goes to Bia (who never replies).
    at(8, 20);
    assign(&wa, &a, ana).await;
    at(8, 23);
    reply(ana, &a, "Olá, Alice!").await;
    at(8, 30);
    tag(&wa, &a, &[venda]).await;
    assign(&wa, &b, bia).await;
    at(8, 31);
    tag(&wa, &b, &[duvida]).await;
    // 08:40 and 08:41 A writes twice; Ana answers at 08:45 and closes at 08:50.
    at(8, 40);
    wa.customer_writes("5511911110001", "Alice", "Uma dúvida")
        .await;
    at(8, 41);
    wa.customer_writes("5511911110001", "Alice", "Sobre o preço")
        .await;
    at(8, 45);
    reply(ana, &a, "Custa R$ 10.").await;
    at(8, 50);
    let r = ana
        .post(&format!("/api/v1/conversations/{a}/close"), json!({}))
        .await;
    assert!(r.status().is_success(), "close: {}", r.status());
    // 09:00 Bia pauses for lunch; Ana goes invisible.
    at(9, 0);
    let r = set_status(bia, json!({"status": "paused", "reason": "Almoço"})).await;
    assert_eq!(r.status(), 200);
    let me: Value = r.json().await.unwrap();
    assert_eq!(
        (me["status"].as_str(), me["status_reason"].as_str()),
        (Some("paused"), Some("Almoço"))
    );
    assert_eq!(
        set_status(ana, json!({"status": "invisible"}))
            .await
            .status(),
        200
    );
    // 09:11 B (last word 08:05, assigned) and C (08:10, never assigned)
    // have been silent for over an hour: abandoned and lost.
    at(9, 11);
    wa.until(async || (closed(&wa, &b).await && closed(&wa, &c).await).then_some(()))
        .await;
    // 09:20 D waits in the queue; 09:30 E writes, goes to Ana at 09:31, who
    // replies at 09:33 (tagged at 09:34); 09:35 F writes and goes to Caio
    // at 09:36, still without a reply.
    at(9, 20);
    let d = wa.customer_writes("5511911110004", "Davi", "Oi").await;
    at(9, 30);
    let e = wa.customer_writes("5511911110005", "Eva", "Oi").await;
    at(9, 31);
    assign(&wa, &e, ana).await;
    at(9, 33);
    reply(ana, &e, "Oi, Eva!").await;
    at(9, 34);
    tag(&wa, &e, &[venda]).await;
    at(9, 35);
    let f = wa.customer_writes("5511911110006", "Fabio", "Alô").await;
    at(9, 36);
    assign(&wa, &f, caio).await;
    at(9, 40);

    let m = admin.get_json("/api/v1/monitoring").await;
    assert_eq!(m["now"], iso(9, 40));
    assert_eq!(m["day_start"], iso(0, 0));
    assert_eq!(
        m["queue"],
        json!({"count": 1, "longest_wait_seconds": 1200.0, "longest_wait_since": iso(9, 20)})
    );
    assert_eq!(m["in_service"], 1, "E: assigned and replied");
    assert_eq!(
        m["first_reply"],
        json!({"avg_seconds": 150.0, "max_seconds": 240.0}),
        "A 3 min and E 2 min; F's 4 min still running"
    );
    assert_eq!(m["reply_avg_seconds"], 620.0, "(23 + 5 + 3) min / 3");
    assert_eq!(
        m["attendance_avg_seconds"], 3540.0,
        "A 50 min, B 66 min, C 61 min"
    );
    assert_eq!(
        m["today"],
        json!({"total": 6, "open": 3, "closed": 1, "abandoned": 1, "lost": 1})
    );
    assert_eq!(
        m["agents"],
        json!({"online": 0, "paused": 1, "invisible": 1, "offline": 1, "avg_tickets": 2.0}),
        "E and F served, by Bia alone working"
    );
    let rows = m["agent_rows"].as_array().unwrap();
    let row = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap().clone();
    let pick = |r: Value| {
        json!([
            r["status"],
            r["status_reason"],
            r["status_since"],
            r["open_tickets"],
            r["capacity"],
            r["ended_today"],
            r["first_reply_avg_seconds"]
        ])
    };
    assert_eq!(rows.len(), 3, "the department's agents: {rows:?}");
    assert_eq!(
        pick(row("Ana")),
        json!(["invisible", null, iso(9, 0), 1, 5, 1, 150.0])
    );
    assert_eq!(
        pick(row("Bia")),
        json!(["paused", "Almoço", iso(9, 0), 0, 5, 1, null])
    );
    assert_eq!(
        pick(row("Caio")),
        json!(["offline", null, iso(8, 10), 1, 5, 0, null])
    );
    assert_eq!(
        m["tags"],
        json!([{"tag_id": venda, "name": "Venda", "count": 2}, {"tag_id": duvida, "name": "Dúvida", "count": 1}])
    );
    let queued = m["queued_tickets"].as_array().unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(
        (
            queued[0]["position"].as_i64(),
            queued[0]["conversation_id"].as_str(),
            queued[0]["contact_name"].as_str(),
            queued[0]["waiting_since"].as_str()
        ),
        (
            Some(1),
            Some(d.as_str()),
            Some("Davi"),
            Some(iso(9, 20).as_str())
        )
    );
    let serving: Vec<Value> = m["in_service_tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            json!([
                t["conversation_id"],
                t["agent_name"],
                t["first_reply_at"],
                t["waiting_since"],
                t["last_message"]["text"]
            ])
        })
        .collect();
    assert_eq!(
        serving,
        [
            json!([f, "Caio", null, iso(9, 35), "Alô"]),
            json!([e, "Ana", iso(9, 33), null, "Oi, Eva!"]),
        ],
        "the longest waiting for a reply first"
    );
    let hours = m["hours"].as_array().unwrap();
    assert_eq!(hours.len(), 10, "00:00 to 09:00");
    let hour = |i: usize| {
        let h = &hours[i];
        json!([
            h["start"],
            h["opened"],
            h["closed"],
            h["lost"],
            h["abandoned"],
            h["first_reply_avg_seconds"]
        ])
    };
    assert_eq!(hour(0), json!([iso(0, 0), 0, 0, 0, 0, null]));
    assert_eq!(hour(8), json!([iso(8, 0), 3, 1, 0, 0, 180.0]));
    assert_eq!(hour(9), json!([iso(9, 0), 3, 0, 1, 1, 120.0]));

    // The day's export, hour by hour, with a total.
    let r = admin.get("/api/v1/monitoring/export?format=csv").await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("monitoramento-2026-03-10.csv")
    );
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 12, "header, 00:00 to 09:00, total: {csv}");
    assert!(
        lines[0].starts_with("Hora;Tickets abertos;Fechados;Perdidos;Abandonados"),
        "{csv}"
    );
    assert_eq!(lines[1], "00:00;0;0;0;0;0;;;0;;");
    assert_eq!(lines[9], "08:00;3;1;0;0;1;180;180;2;840;3000");
    assert_eq!(lines[10], "09:00;3;0;1;1;1;120;120;1;180;3810");
    assert_eq!(lines[11], "Total;6;1;1;1;2;150;180;3;620;3540");
    let r = admin
        .get("/api/v1/monitoring/export?format=xlsx&day=2026-03-09")
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"), "a zip: XLSX");
    let r = admin
        .get("/api/v1/monitoring/export?format=csv&day=2026-03-11")
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "tomorrow");
    assert_error(
        bia.get("/api/v1/monitoring/export?format=csv").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // The inbox's numbers are the organization's (it has one inbox).
    let one = admin
        .get_json(&format!("/api/v1/monitoring?inbox_id={}", wa.inbox_id))
        .await;
    assert_eq!(
        (one["today"].clone(), one["queue"].clone()),
        (m["today"].clone(), m["queue"].clone())
    );
    let unknown = admin
        .get(&format!(
            "/api/v1/monitoring?inbox_id={}",
            uuid::Uuid::new_v4()
        ))
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    // Agents do not have the analytics capability.
    assert_error(
        bia.get("/api/v1/monitoring").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Colleagues never see Ana invisible: offline in the list and events.
    assert_eq!(status_of(bia, "Ana").await, "offline");
    assert_eq!(status_of(ana, "Ana").await, "invisible", "she sees herself");
    assert_eq!(status_of(ana, "Bia").await, "paused");
    let events = bia.get_json("/api/v1/events?after=0&limit=5000").await;
    let hers: Vec<&Value> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "user.updated" && e["payload"]["user_id"] == json!(ana.user_id))
        .collect();
    assert!(!hers.is_empty());
    assert!(
        hers.iter().all(|e| e["payload"]["status"] != "invisible"),
        "{hers:?}"
    );
    // The history of Bia's and Caio's presence.
    let intervals = wa
        .app
        .store()
        .presence_intervals(
            wa.app.org_id.parse::<uuid::Uuid>().unwrap().into(),
            None,
            EIGHT - MIN,
            EIGHT + 3 * 60 * MIN,
        )
        .await
        .unwrap();
    let of = |s: &Session| {
        let id: uuid::Uuid = s.user_id.parse().unwrap();
        intervals
            .iter()
            .filter(|i| i.user_id.0 == id)
            .map(|i| (i.status.clone(), i.reason.clone(), i.started_at, i.ended_at))
            .collect::<Vec<_>>()
    };
    let nine = EIGHT + 60 * MIN;
    assert_eq!(
        of(bia),
        [
            ("online".to_string(), None, EIGHT, Some(nine)),
            ("paused".to_string(), Some("Almoço".to_string()), nine, None)
        ]
    );
    assert_eq!(
        of(caio),
        [
            ("online".to_string(), None, EIGHT, Some(EIGHT + 10 * MIN)),
            ("offline".to_string(), None, EIGHT + 10 * MIN, None)
        ]
    );
    // 09:45 Caio comes back as he left: online, and counted again.
    at(9, 45);
    let _back = connect(&wa, &caio.email).await;
    assert_eq!(status_of(bia, "Caio").await, "online");
    let m = admin.get_json("/api/v1/monitoring").await;
    assert_eq!(m["agents"]["online"], 1);
    assert_eq!(m["agents"]["avg_tickets"], 1.0, "two served by two working");
}

#[tokio::test]
async fn status_and_settings_refuse_what_does_not_fit_and_change_nothing() {
    let wa = Wa::start().await;
    let agent = wa.app.named_user(&wa.admin, "agent", "Rita").await;
    for (body, why) in [
        (json!({"status": "away"}), "unknown status"),
        (
            json!({"status": "online", "reason": "Almoço"}),
            "a reason without a pause",
        ),
        (
            json!({"status": "paused", "reason": "Almoço"}),
            "no such reason",
        ),
    ] {
        let r = set_status(&agent, body).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
    }
    let me = agent.get_json("/api/v1/me").await;
    assert_eq!(
        (me["status"].as_str(), me["status_reason"].clone()),
        (Some("online"), Value::Null)
    );
    // Only the Settings module may change the settings.
    let r = agent
        .patch("/api/v1/settings", json!({"away_minutes": 10}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    for body in [
        json!({"away_minutes": 0}),
        json!({"ticket_expiry_hours": 721}),
        json!({"pause_reasons": ["Almoço", "almoço"]}),
        json!({"pause_reasons": [" "]}),
    ] {
        let r = wa.admin.patch("/api/v1/settings", body.clone()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let s = agent.get_json("/api/v1/settings").await;
    assert_eq!(
        s,
        json!({"pause_reasons": [], "away_minutes": 5, "ticket_expiry_hours": 24})
    );
    // A pause with a reason the organization keeps, and back.
    let s = wa
        .admin
        .patch("/api/v1/settings", json!({"pause_reasons": ["Almoço"]}))
        .await;
    assert_eq!(s.status(), 200);
    let r = set_status(&agent, json!({"status": "paused", "reason": "Almoço"})).await;
    assert_eq!(r.status(), 200);
    let me = agent.get_json("/api/v1/me").await;
    assert_eq!(
        (me["status"].as_str(), me["status_reason"].as_str()),
        (Some("paused"), Some("Almoço"))
    );
    let r = set_status(&agent, json!({"status": "online"})).await;
    assert_eq!(r.status(), 200);
    let me = agent.get_json("/api/v1/me").await;
    assert_eq!(
        (me["status"].as_str(), me["status_reason"].clone()),
        (Some("online"), Value::Null)
    );
}

/// The next JSON text frame of the monitoring stream (within 2 s).
async fn next_frame(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(2), ws.next())
            .await
            .expect("a frame within 2 s")
            .expect("open")
            .expect("frame");
        if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

#[tokio::test]
async fn the_stream_pushes_what_changed_as_it_changes() {
    let wa = Wa::start().await;
    let cookie = wa.app.session_cookie(&wa.admin.email).await;
    let url = wa.app.ws_url().replace("/ws", "/monitoring/stream");
    let mut req = url.as_str().into_client_request().unwrap();
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    req.headers_mut()
        .insert("origin", wa.app.addr.parse().unwrap());
    let (mut ws, _) = connect_async(req).await.expect("upgrade");
    let first = next_frame(&mut ws).await;
    assert_eq!(first["type"], "snapshot");
    assert_eq!(first["snapshot"]["queue"]["count"], 0);
    // A customer writes: the queue grows, in one delta.
    let conv = wa.customer_writes("5511922220001", "Gil", "Oi").await;
    let d = next_frame(&mut ws).await;
    assert_eq!(d["type"], "delta", "{d}");
    assert_eq!(d["changes"]["queue"]["count"], 1, "{d}");
    assert_eq!(d["changes"]["today"]["total"], 1, "{d}");
    assert!(
        d["changes"].get("agents").is_none(),
        "unchanged parts stay out: {d}"
    );
    // The admin answers: the chat leaves the queue and is in service.
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "Olá!"}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let mut in_service = None;
    for _ in 0..5 {
        let d = next_frame(&mut ws).await;
        if d["changes"]["in_service"] == 1 {
            in_service = Some(d);
            break;
        }
    }
    let d = in_service.expect("in service");
    assert_eq!(d["changes"]["queue"]["count"], 0, "{d}");
    // The scope can change on the same socket.
    use futures::SinkExt;
    let scope = json!({"type": "scope", "inbox_id": wa.inbox_id}).to_string();
    ws.send(tokio_tungstenite::tungstenite::Message::Text(scope.into()))
        .await
        .unwrap();
    let s = next_frame(&mut ws).await;
    assert_eq!(
        (s["type"].as_str(), s["snapshot"]["inbox_id"].as_str()),
        (Some("snapshot"), Some(wa.inbox_id.as_str()))
    );
    // An agent may not watch.
    let agent = wa.app.named_user(&wa.admin, "agent", "Rui").await;
    let cookie = wa.app.session_cookie(&agent.email).await;
    let mut req = url.as_str().into_client_request().unwrap();
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    req.headers_mut()
        .insert("origin", wa.app.addr.parse().unwrap());
    match connect_async(req).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 403),
        other => panic!("expected 403, got {other:?}"),
    }
}

#[tokio::test]
async fn routing_skips_an_agent_away_and_hands_them_the_queue_when_they_come_back() {
    at(8, 0);
    let wa = Wa::start_with(|c| c.presence_sweep_ms = 50).await;
    let admin = &wa.admin;
    let dept = admin
        .post_json(
            "/api/v1/departments",
            json!({"name": "Vendas", "distribution": "auto"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let ana = wa.app.named_user(admin, "agent", "Ana").await;
    let r = admin
        .post(
            &format!("/api/v1/departments/{dept}/members"),
            json!({"user_id": ana.user_id}),
        )
        .await;
    assert!(r.status().is_success());
    let r = admin
        .post(
            "/api/v1/flows/import",
            json!({"entry_inbox": wa.inbox_id, "document": {"schema": 1, "name": "Triagem", "start": "passa",
                "steps": {"passa": {"type": "open_attendance", "target": {"to": "department", "department": "Vendas"}}}}}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    // Ana closes her console at 08:00; by 08:06 she is away.
    hang_up(connect(&wa, &ana.email).await).await;
    at(8, 6);
    wa.until(async || (status_of(admin, "Ana").await == "offline").then_some(()))
        .await;
    // A chat handed over now waits in the queue: nobody is there.
    let conv = wa.customer_writes("5511933330001", "Hugo", "Oi").await;
    let queued = wa
        .until(async || {
            let c = admin.conversation(&conv).await;
            (c["attendance_open"] == true && c["flow_running"] == false).then_some(c)
        })
        .await;
    assert!(queued["agent_id"].is_null(), "{queued}");
    assert_eq!(queued["department_id"], dept.as_str());
    // She opens the console again: back online as she left, the chat is hers.
    at(8, 10);
    let _console = connect(&wa, &ana.email).await;
    let c = wa
        .until(async || {
            let c = admin.conversation(&conv).await;
            c["agent_id"].is_string().then_some(c)
        })
        .await;
    assert_eq!(c["agent_id"], ana.user_id.as_str());
    assert_eq!(status_of(admin, "Ana").await, "online");
}
