//! The chat through the API: LC-1 views, LC-9 assignment, internal notes
//! (LC-8), closing (LC-11), pagination and read state (LC-7).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    Session, TestApp, add_member, assert_error, create_department, create_inbox, seed_conversation,
};

/// Two departments, an agent in each, a manager with "see all chats".
struct Team {
    app: TestApp,
    admin: Session,
    ana: Session,
    bia: Session,
    manager: Session,
    dept_a: String,
    dept_b: String,
    inbox: String,
}

async fn team() -> Team {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let inbox = create_inbox(&admin, "PNID-1").await;
    let dept_a = create_department(&admin, "Vendas").await;
    let dept_b = create_department(&admin, "Suporte").await;
    let ana = app.named_user(&admin, "agent", "Ana").await;
    let bia = app.named_user(&admin, "agent", "Bia").await;
    let manager = app.named_user(&admin, "manager", "Gerente").await;
    add_member(&admin, &dept_a, &ana.user_id).await;
    add_member(&admin, &dept_b, &bia.user_id).await;
    Team {
        app,
        admin,
        ana,
        bia,
        manager,
        dept_a,
        dept_b,
        inbox,
    }
}

impl Team {
    async fn chat(&self, n: u32) -> String {
        seed_conversation(
            &self.app,
            &self.inbox,
            &format!("55119{n:08}"),
            &format!("Cliente {n}"),
        )
        .await
    }
}

fn messages_path(id: &str) -> String {
    format!("/api/v1/conversations/{id}/messages")
}

async fn assign(s: &Session, id: &str, body: Value) -> reqwest::Response {
    s.post(&format!("/api/v1/conversations/{id}/assign"), body)
        .await
}

/// Ids in one LC-1 view for `s`.
async fn view(s: &Session, v: &str) -> BTreeSet<String> {
    let page = s
        .get_json(&format!("/api/v1/conversations?view={v}&limit=200"))
        .await;
    assert!(page["next_cursor"].is_null());
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

fn set(ids: &[&String]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// Texts of the system lines of a conversation, oldest first.
async fn system_lines(s: &Session, id: &str) -> Vec<String> {
    s.messages(id)
        .await
        .iter()
        .filter(|m| m["author_kind"] == "system")
        .map(|m| {
            assert_eq!(m["internal"], true, "a system line is internal: {m}");
            m["text"].as_str().unwrap().to_string()
        })
        .collect()
}

#[tokio::test]
async fn each_chat_is_in_the_views_seed_004_lists_for_each_user() {
    let t = team().await;
    let in_dept_a = t.chat(1).await;
    let with_bia = t.chat(2).await;
    let untouched = t.chat(3).await;
    let in_dept_b = t.chat(4).await;
    let r = assign(&t.admin, &in_dept_a, json!({"department_id": t.dept_a})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["department_id"], t.dept_a.as_str());
    assert!(v["agent_id"].is_null());
    assert_eq!(v["attendance_open"], true);
    let r = assign(&t.admin, &with_bia, json!({"agent_id": t.bia.user_id})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = assign(&t.admin, &in_dept_b, json!({"department_id": t.dept_b})).await;
    assert_eq!(r.status(), StatusCode::OK);

    let expect = [
        // (who, all, open, mine, in_service)
        (
            &t.ana,
            set(&[&in_dept_a, &with_bia, &untouched]),
            set(&[&in_dept_a]),
            set(&[]),
            set(&[&with_bia]),
        ),
        (
            &t.bia,
            set(&[&in_dept_b, &with_bia, &untouched]),
            set(&[&in_dept_b]),
            set(&[&with_bia]),
            set(&[&with_bia]),
        ),
        (
            &t.manager,
            set(&[&in_dept_a, &with_bia, &untouched, &in_dept_b]),
            set(&[&in_dept_a, &in_dept_b]),
            set(&[]),
            set(&[&with_bia]),
        ),
    ];
    for (who, all, open, mine, in_service) in expect {
        assert_eq!(view(who, "all").await, all, "{}: all", who.name);
        assert_eq!(view(who, "open").await, open, "{}: open", who.name);
        assert_eq!(view(who, "mine").await, mine, "{}: mine", who.name);
        assert_eq!(
            view(who, "in_service").await,
            in_service,
            "{}: in_service",
            who.name
        );
    }
    // The default view is All.
    let page = t.ana.get_json("/api/v1/conversations").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    assert_error(
        t.ana.get("/api/v1/conversations?view=todos").await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;

    // The views each chat reports for its reader.
    let views = |v: Value| v["views"].clone();
    assert_eq!(
        views(t.ana.conversation(&in_dept_a).await),
        json!(["all", "open"])
    );
    assert_eq!(
        views(t.bia.conversation(&with_bia).await),
        json!(["all", "mine", "in_service"])
    );
    assert_eq!(
        views(t.ana.conversation(&with_bia).await),
        json!(["all", "in_service"])
    );
    assert_eq!(views(t.ana.conversation(&untouched).await), json!(["all"]));
    assert_eq!(
        views(t.manager.conversation(&in_dept_b).await),
        json!(["all", "open"])
    );

    // Ana cannot reach department B's chat at all; the manager can.
    for r in [
        t.ana
            .get(&format!("/api/v1/conversations/{in_dept_b}"))
            .await,
        t.ana.get(&messages_path(&in_dept_b)).await,
        t.ana
            .post(&messages_path(&in_dept_b), json!({"text": "oi"}))
            .await,
        assign(&t.ana, &in_dept_b, json!({"agent_id": t.ana.user_id})).await,
        t.ana
            .post_empty(&format!("/api/v1/conversations/{in_dept_b}/close"))
            .await,
    ] {
        assert_error(r, StatusCode::NOT_FOUND, "not_found").await;
    }
    assert_error(
        t.bia
            .get(&format!("/api/v1/conversations/{in_dept_a}"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let v = t.manager.conversation(&in_dept_b).await;
    assert_eq!(v["department_id"], t.dept_b.as_str());
    assert_eq!(t.manager.messages(&in_dept_b).await.len(), 2);
    let v = t.bia.conversation(&in_dept_b).await;
    assert_eq!(v["attendance_open"], true);
}

#[tokio::test]
async fn replies_forwards_and_closing_assign_as_lc9_says() {
    let t = team().await;
    // An agent replying to an unassigned chat becomes its agent.
    let c1 = t.chat(1).await;
    let r = t
        .ana
        .post(&messages_path(&c1), json!({"text": "Olá!"}))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let m: Value = r.json().await.unwrap();
    assert_eq!(m["status"], "queued");
    assert_eq!(m["text"], "Olá!");
    assert_eq!(m["direction"], "out");
    assert_eq!(m["author_kind"], "agent");
    assert_eq!(m["author_id"], t.ana.user_id.as_str());
    assert_eq!(m["internal"], false);
    let v = t.ana.conversation(&c1).await;
    assert_eq!(v["agent_id"], t.ana.user_id.as_str());
    assert_eq!(v["attendance_open"], true);
    assert!(v["department_id"].is_null());
    let protocol = v["protocol"].as_str().unwrap();
    assert!(
        protocol.len() == 17 && protocol.bytes().all(|b| b.is_ascii_digit()),
        "{protocol}"
    );
    let lines = system_lines(&t.ana, &c1).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("Ana"), "{lines:?}");

    // A department's chat: the replying agent joins, the department stays.
    let c2 = t.chat(2).await;
    let r = assign(&t.admin, &c2, json!({"department_id": t.dept_a})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .ana
        .post(&messages_path(&c2), json!({"text": "Bom dia"}))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let v = t.ana.conversation(&c2).await;
    assert_eq!(v["agent_id"], t.ana.user_id.as_str());
    assert_eq!(v["department_id"], t.dept_a.as_str());
    let protocol = v["protocol"].clone();

    // A second agent replying does not replace the first.
    let r = t
        .admin
        .post(&messages_path(&c2), json!({"text": "Complementando"}))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let v = t.ana.conversation(&c2).await;
    assert_eq!(v["agent_id"], t.ana.user_id.as_str());
    assert_eq!(v["department_id"], t.dept_a.as_str());
    assert_eq!(v["protocol"], protocol, "a reply opened a new attendance");
    let lines = system_lines(&t.admin, &c2).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].contains("Vendas") && lines[0].contains(&t.admin.name),
        "{lines:?}"
    );
    assert!(lines[1].contains("Ana"), "{lines:?}");

    // Changing the agent needs confirmation.
    let r = assign(&t.admin, &c2, json!({"agent_id": t.bia.user_id})).await;
    assert_error(r, StatusCode::CONFLICT, "confirm_agent_change").await;
    let v = t.admin.conversation(&c2).await;
    assert_eq!(v["agent_id"], t.ana.user_id.as_str());
    assert_eq!(v["department_id"], t.dept_a.as_str());
    assert_eq!(system_lines(&t.admin, &c2).await.len(), 2);
    let r = assign(
        &t.admin,
        &c2,
        json!({"agent_id": t.bia.user_id, "confirm": true}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["agent_id"], t.bia.user_id.as_str());
    assert!(v["department_id"].is_null(), "forward to agent keeps dept");
    let lines = system_lines(&t.admin, &c2).await;
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[2].contains("Bia") && lines[2].contains(&t.admin.name),
        "{lines:?}"
    );
    // Forwarding to the agent it already has asks nothing and says nothing.
    let r = assign(&t.admin, &c2, json!({"agent_id": t.bia.user_id})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(system_lines(&t.admin, &c2).await.len(), 3);
    let r = assign(
        &t.admin,
        &c2,
        json!({"agent_id": t.bia.user_id, "department_id": t.dept_a}),
    )
    .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;

    // Closing removes agent and department and says who closed.
    let r = t
        .admin
        .post_empty(&format!("/api/v1/conversations/{c2}/close"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["attendance_open"], false);
    assert!(v["agent_id"].is_null() && v["department_id"].is_null());
    assert_eq!(v["views"], json!(["all"]));
    let lines = system_lines(&t.admin, &c2).await;
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(
        lines[3].contains("encerrado")
            && lines[3].contains(&t.admin.name)
            && lines[3].contains(protocol.as_str().unwrap()),
        "{lines:?}"
    );
    let r = t
        .admin
        .post_empty(&format!("/api/v1/conversations/{c2}/close"))
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "not_open").await;
    // The next reply opens a new attendance with a new protocol.
    let r = t
        .ana
        .post(&messages_path(&c2), json!({"text": "Voltei"}))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let v = t.ana.conversation(&c2).await;
    assert_eq!(v["agent_id"], t.ana.user_id.as_str());
    assert_ne!(v["protocol"], protocol);
}

#[tokio::test]
async fn internal_notes_are_stored_read_and_neither_assign_nor_send() {
    let t = team().await;
    let c = t.chat(1).await;
    let jobs = || async {
        let j = t.app.store().job_counts().await.unwrap();
        j.pending + j.done + j.dead
    };
    let before = jobs().await;
    for (body, text) in [
        (json!({"text": "nota", "internal": true}), "nota"),
        (json!({"text": "/interna segunda nota"}), "segunda nota"),
    ] {
        let r = t.ana.post(&messages_path(&c), body).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
        let m: Value = r.json().await.unwrap();
        assert_eq!(m["internal"], true);
        assert_eq!(m["status"], "read");
        assert_eq!(m["text"], text);
    }
    let v = t.ana.conversation(&c).await;
    assert!(v["agent_id"].is_null());
    assert_eq!(v["attendance_open"], false);
    assert!(v["protocol"].is_null());
    let stored: Vec<Value> = t.ana.messages(&c).await;
    let notes: Vec<&Value> = stored
        .iter()
        .filter(|m| m["author_kind"] == "agent")
        .collect();
    assert_eq!(notes.len(), 2);
    assert!(notes.iter().all(|m| m["internal"] == true));
    assert_eq!(system_lines(&t.ana, &c).await, Vec::<String>::new());
    assert_eq!(jobs().await, before, "an internal note enqueued a job");
    // Control: a real reply does enqueue its delivery.
    let r = t
        .ana
        .post(&messages_path(&c), json!({"text": "Resposta"}))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(jobs().await, before + 1);
}

#[tokio::test]
async fn empty_and_too_long_texts_are_422() {
    let t = team().await;
    let c = t.chat(1).await;
    let count = t.ana.messages(&c).await.len();
    for text in [
        String::new(),
        "   \n ".into(),
        "/interna".into(),
        "/interna   ".into(),
        "a".repeat(4097),
        "é".repeat(4097),
    ] {
        let r = t.ana.post(&messages_path(&c), json!({"text": text})).await;
        assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    }
    let v = t.ana.conversation(&c).await;
    assert!(v["agent_id"].is_null(), "a refused reply assigned the chat");
    assert_eq!(t.ana.messages(&c).await.len(), count);
    // 4096 characters (not bytes) is the limit.
    let r = t
        .ana
        .post(
            &messages_path(&c),
            json!({"text": "é".repeat(4096), "internal": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn a_scheduled_closing_can_be_cancelled_and_otherwise_happens_once() {
    let t = team().await;
    let c = t.chat(1).await;
    let close = format!("/api/v1/conversations/{c}/close");
    let r = t.ana.post(&messages_path(&c), json!({"text": "Oi"})).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);

    let r = t.ana.post(&close, json!({"in_minutes": 5})).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["attendance_open"], true);
    let v = t.ana.conversation(&c).await;
    assert_eq!(v["attendance_open"], true);
    assert_eq!(v["agent_id"], t.ana.user_id.as_str());
    let r = t.ana.delete(&close).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_error(
        t.ana.delete(&close).await,
        StatusCode::NOT_FOUND,
        "no_scheduled_close",
    )
    .await;
    let past = (chrono::Utc::now() - chrono::Duration::seconds(5)).to_rfc3339();
    for body in [
        json!({"in_minutes": 0}),
        json!({"in_minutes": -3}),
        json!({"in_minutes": 10_081}),
        json!({"at": past}),
        json!({"at": "amanhã"}),
        json!({"in_minutes": 5, "at": "2099-01-01T00:00:00Z"}),
    ] {
        let r = t.ana.post(&close, body.clone()).await;
        assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    }
    assert_error(
        t.ana.delete(&close).await,
        StatusCode::NOT_FOUND,
        "no_scheduled_close",
    )
    .await;

    let at = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let r = t.ana.post(&close, json!({"at": at})).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["attendance_open"], true);
    let deadline = Instant::now() + Duration::from_secs(15);
    let closed = loop {
        let v = t.admin.conversation(&c).await;
        if v["attendance_open"] == false {
            break v;
        }
        assert!(
            Instant::now() < deadline,
            "the scheduled closing never happened"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(closed["agent_id"].is_null() && closed["department_id"].is_null());
    let lines: Vec<String> = system_lines(&t.admin, &c)
        .await
        .into_iter()
        .filter(|l| l.contains("encerrado"))
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("Ana"), "{lines:?}");
}

#[tokio::test]
async fn the_chat_list_pages_through_every_chat_once() {
    let t = team().await;
    let mut seeded = BTreeSet::new();
    for n in 0..5 {
        seeded.insert(t.chat(n).await);
    }
    let mut seen = Vec::new();
    let mut last_at: Option<String> = None;
    let mut path = "/api/v1/conversations?limit=2".to_string();
    for _ in 0..10 {
        let page = t.admin.get_json(&path).await;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        for c in items {
            let at = c["last_message_at"].as_str().unwrap().to_string();
            if let Some(prev) = &last_at {
                assert!(at <= *prev, "not newest first");
            }
            last_at = Some(at);
            seen.push(c["id"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(cur) => path = format!("/api/v1/conversations?limit=2&cursor={cur}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), seeded);
    for cur in [
        "garbage",
        "123_nao-uuid",
        "x_00000000-0000-0000-0000-000000000000",
    ] {
        let r = t
            .admin
            .get(&format!("/api/v1/conversations?cursor={cur}"))
            .await;
        assert_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    }
}

#[tokio::test]
async fn messages_come_oldest_first_and_page_backwards_without_repeats() {
    let t = team().await;
    let c = t.chat(1).await;
    for n in 1..=9 {
        let r = t
            .ana
            .post(
                &messages_path(&c),
                json!({"text": format!("nota {n}"), "internal": true}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    let all = t.ana.messages(&c).await;
    let texts: Vec<&str> = all.iter().map(|m| m["text"].as_str().unwrap()).collect();
    let mut expected = vec!["Olá, preciso de ajuda".to_string()];
    expected.extend((1..=9).map(|n| format!("nota {n}")));
    assert_eq!(texts, expected);
    let times: Vec<&str> = all
        .iter()
        .map(|m| m["created_at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    let mut pages: Vec<Vec<Value>> = Vec::new();
    let mut path = format!("{}?limit=4", messages_path(&c));
    for _ in 0..10 {
        let page = t.ana.get_json(&path).await;
        let items = page["items"].as_array().unwrap().clone();
        assert!(items.len() <= 4);
        pages.push(items);
        match page["next_cursor"].as_str() {
            Some(cur) => path = format!("{}?limit=4&before={cur}", messages_path(&c)),
            None => break,
        }
    }
    assert_eq!(pages[0].len(), 4);
    assert_eq!(
        pages[0][3]["text"], "nota 9",
        "the first page is the newest"
    );
    let walked: Vec<Value> = pages.into_iter().rev().flatten().collect();
    assert_eq!(walked, all, "paging back skipped or repeated messages");
    assert_error(
        t.ana
            .get(&format!("{}?before=nao-e-id", messages_path(&c)))
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn read_and_unread_set_the_counter() {
    let t = team().await;
    let c = t.chat(1).await;
    assert_eq!(t.ana.conversation(&c).await["unread"], 1);
    let unread_ids = |s: &'static str| {
        let ana = &t.ana;
        async move { view(ana, &format!("all&unread={s}")).await }
    };
    assert!(unread_ids("true").await.contains(&c));
    let r = t
        .ana
        .post_empty(&format!("/api/v1/conversations/{c}/read"))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(t.ana.conversation(&c).await["unread"], 0);
    assert!(!unread_ids("true").await.contains(&c));
    let r = t
        .ana
        .post_empty(&format!("/api/v1/conversations/{c}/unread"))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(t.ana.conversation(&c).await["unread"].as_i64().unwrap() >= 1);
    assert!(unread_ids("true").await.contains(&c));
}

#[tokio::test]
async fn asking_the_serving_agent_for_a_transfer() {
    let t = team().await;
    let chat = t.chat(1).await;
    let path = format!("/api/v1/conversations/{chat}/transfer-request");
    // Nobody serves it yet: nothing to ask.
    assert_error(
        t.manager.post_empty(&path).await,
        StatusCode::CONFLICT,
        "not_served_by_another_agent",
    )
    .await;
    let r = assign(&t.admin, &chat, json!({"agent_id": t.ana.user_id})).await;
    assert_eq!(r.status(), StatusCode::OK);
    // Ana serves it: she cannot ask herself.
    assert_error(
        t.ana.post_empty(&path).await,
        StatusCode::CONFLICT,
        "not_served_by_another_agent",
    )
    .await;
    let r = t.manager.post_empty(&path).await;
    assert_eq!(r.status(), StatusCode::OK);
    let last = t.ana.messages(&chat).await.pop().unwrap();
    assert_eq!(last["author_kind"], "system");
    assert_eq!(
        last["text"],
        "Gerente pediu a transferência deste atendimento."
    );
    let events = t.ana.get_json("/api/v1/events?after=0&limit=5000").await;
    let asked = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "conversation.transfer_requested")
        .expect("Ana is told");
    assert_eq!(asked["payload"]["agent_id"], t.ana.user_id.as_str());
    assert_eq!(asked["payload"]["requested_by"], t.manager.user_id.as_str());
    // Another organization's user cannot even find the chat.
    let other = t.app.other_org().await;
    assert_error(
        other.post_empty(&path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn searching_inside_a_conversation() {
    let t = team().await;
    let chat = t.chat(1).await;
    for text in [
        "Pedido 123 enviado",
        "Cupom de 50% no PEDIDO seguinte",
        "código pedido_9",
        "Outra coisa",
        "AÇÃO CONFIRMADA",
    ] {
        let r = t
            .admin
            .post(
                &messages_path(&chat),
                json!({"text": text, "internal": true}),
            )
            .await;
        assert!(r.status().is_success());
    }
    let search = |q: &str| format!("/api/v1/conversations/{chat}/messages/search?q={q}");
    let texts = |v: Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["text"].as_str().unwrap().to_string())
            .collect()
    };
    // Case is ignored; newest first.
    assert_eq!(
        texts(t.admin.get_json(&search("pedido")).await),
        vec![
            "código pedido_9",
            "Cupom de 50% no PEDIDO seguinte",
            "Pedido 123 enviado"
        ]
    );
    // % and _ are plain characters, not wildcards.
    assert_eq!(
        texts(t.admin.get_json(&search("50%25")).await),
        vec!["Cupom de 50% no PEDIDO seguinte"]
    );
    assert_eq!(
        texts(t.admin.get_json(&search("o_9")).await),
        vec!["código pedido_9"]
    );
    assert_eq!(
        texts(t.admin.get_json(&search("xyz")).await),
        Vec::<String>::new()
    );
    assert_error(
        t.admin.get(&search("p")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    // Only for those who see the chat.
    let other = t.app.other_org().await;
    assert_error(
        other.get(&search("pedido")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn closing_asks_its_fields_and_refuses_without_the_mandatory_ones() {
    let t = team().await;
    for body in [
        json!({"key": "motivo", "label": "Motivo do contato", "field_type": "option", "target": "attendance",
               "options": ["Dúvida", "Compra"], "ask_at_closing": true, "required_at_closing": true}),
        json!({"key": "nota", "label": "Observação", "field_type": "text", "target": "attendance",
               "ask_at_closing": true}),
        json!({"key": "cidade", "label": "Cidade", "field_type": "text", "target": "contact",
               "ask_at_closing": true}),
        json!({"key": "plano", "label": "Plano", "field_type": "text", "target": "contact"}),
    ] {
        let r = t.admin.post("/api/v1/custom-fields", body).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let c = t.chat(1).await;
    let r = t.ana.post(&messages_path(&c), json!({"text": "Oi"})).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let fields_path = format!("/api/v1/conversations/{c}/closing-fields");
    let fields = t.ana.get_json(&fields_path).await;
    let keys: Vec<(&str, bool)> = fields
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["key"].as_str().unwrap(), f["required"].as_bool().unwrap()))
        .collect();
    assert_eq!(keys.len(), 3, "only fields asked at closing: {fields}");
    assert!(keys.contains(&("motivo", true)) && keys.contains(&("cidade", false)));
    let close = format!("/api/v1/conversations/{c}/close");
    // Refusals change nothing: the attendance stays open and no value is kept.
    let e = assert_error(
        t.ana.post(&close, json!({"fields": {"nota": "x"}})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "closing_field_required",
    )
    .await;
    assert_eq!(e["error"]["details"]["key"], "motivo");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Motivo do contato")
    );
    for fields in [
        json!({"motivo": "Reclamação"}),
        json!({"motivo": "Dúvida", "plano": "Ouro"}),
        json!({"motivo": "Dúvida", "nada": "x"}),
    ] {
        let r = t.ana.post(&close, json!({"fields": fields})).await;
        assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    }
    assert_eq!(t.ana.conversation(&c).await["attendance_open"], true);
    let value_of = |list: &Value, key: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(
        value_of(&t.ana.get_json(&fields_path).await, "nota"),
        Value::Null
    );
    // Scheduled: the values are saved at once, on the attendance and the contact.
    let r = t
        .ana
        .post(
            &close,
            json!({"in_minutes": 30, "fields": {"motivo": "Compra", "nota": "Quer parcelar", "cidade": "Recife"}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let now = t.ana.get_json(&fields_path).await;
    assert_eq!(value_of(&now, "motivo"), "Compra");
    assert_eq!(value_of(&now, "nota"), "Quer parcelar");
    assert_eq!(value_of(&now, "cidade"), "Recife");
    let contact_id = t.ana.conversation(&c).await["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let contact = t
        .admin
        .get_json(&format!("/api/v1/contacts/{contact_id}"))
        .await;
    assert_eq!(contact["custom"]["cidade"], "Recife");
    // Closing now keeps the mandatory value from before and clears the note
    // ("Excluir valor atual"); clearing a mandatory one is refused.
    let r = t
        .ana
        .post(&close, json!({"fields": {"motivo": null}}))
        .await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "closing_field_required",
    )
    .await;
    let r = t
        .ana
        .post(&close, json!({"fields": {"nota": null, "cidade": ""}}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(t.ana.conversation(&c).await["attendance_open"], false);
    let contact = t
        .admin
        .get_json(&format!("/api/v1/contacts/{contact_id}"))
        .await;
    assert!(contact["custom"].get("cidade").is_none(), "{contact}");
}
