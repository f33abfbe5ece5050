//! `kill -9` during a burst of job-producing API calls (scheduled closings,
//! LC-11): after a restart every acknowledged job completes exactly once.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atende_domain::{ConversationId, InboxId, OrgId};
use atende_store::directory::NewInbox;
use atende_store::testing::TestDb;
use serde_json::{Value, json};

use crate::server::start;

const PASSWORD: &str = "senha-forte-123";

async fn seed(db: &TestDb, n: usize) -> (OrgId, Vec<ConversationId>) {
    let b = atende_server::bootstrap::bootstrap(
        &db.store,
        "Kill9",
        "admin@kill9.test",
        PASSWORD,
        false,
    )
    .await
    .unwrap();
    let org: OrgId = b.org_id.parse().unwrap();
    let mut tx = db.store.begin().await.unwrap();
    let inbox = tx
        .create_inbox(NewInbox {
            org_id: org,
            name: "WA".into(),
            channel: "whatsapp".into(),
            external_id: Some("k9".into()),
            settings: json!({}),
            secrets: json!({}),
            chatbot_enabled: true,
        })
        .await
        .unwrap();
    let inbox_id: InboxId = inbox.id;
    let mut convs = Vec::new();
    for i in 0..n {
        let c = tx
            .upsert_contact(
                org,
                inbox_id,
                &format!("55119{i:08}"),
                &format!("Cliente {i}"),
                None,
            )
            .await
            .unwrap();
        let conv = tx.conversation_for(org, inbox_id, c.id).await.unwrap();
        // The contact wrote just now: the closing message is within the
        // 24 h window (CH-5) and may be sent.
        tx.insert_message(atende_store::chats::NewMessage {
            org_id: org,
            conversation_id: conv.id,
            inbox_id,
            direction: atende_domain::Direction::In,
            author_kind: atende_domain::AuthorKind::Contact,
            author_id: None,
            internal: false,
            kind: atende_domain::ContentKind::Text,
            text: Some("Oi".into()),
            payload: json!({}),
            status: atende_domain::ReceiptStatus::Delivered,
            provider_id: Some(format!("wamid.k9.{i}")),
            provider_at: Some(atende_store::now_ms()),
        })
        .await
        .unwrap();
        let conv = tx.conversation_for(org, inbox_id, c.id).await.unwrap();
        let conv = tx.open_attendance(&conv, None, None, None).await.unwrap();
        convs.push(conv.id);
    }
    tx.commit().await.unwrap();
    (org, convs)
}

async fn login(addr: &str) -> (reqwest::Client, String) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let r = client
        .post(format!("{addr}/api/v1/auth/login"))
        .json(&json!({"email": "admin@kill9.test", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let v: Value = r.json().await.unwrap();
    (client, v["csrf_token"].as_str().unwrap().to_string())
}

/// Closing lines written for a conversation (the effect of its job).
async fn closing_lines(db: &TestDb, org: OrgId, conv: ConversationId) -> usize {
    let msgs = db.store.messages(org, conv, None, 200).await.unwrap();
    msgs.iter()
        .filter(|m| {
            m.author_kind == "system" && m.text.as_deref().unwrap_or("").contains("encerrado")
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_scheduled_closings_survive_kill_9_and_apply_once() {
    let total: usize = std::env::var("ATENDE_KILL9_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let db = TestDb::new().await;
    let (org, convs) = seed(&db, total).await;
    let dir = tempfile::tempdir().unwrap();
    let envs = [
        ("ATENDE_DATABASE_URL", db.url.as_str()),
        ("ATENDE_LISTEN", "127.0.0.1:0"),
        ("ATENDE_WORKERS", "2"),
        ("ATENDE_JOB_LEASE_SECS", "3"),
        ("ATENDE_LOG", "warn,atende_server::app=info"),
    ];
    let mut server = start(dir.path(), &envs);
    let (client, csrf) = login(&server.addr).await;

    // Fire the burst from 8 concurrent clients; kill -9 the server once a
    // third of the calls have been acknowledged. Half the closings are due
    // half a second later, so some run in the workers when the process dies.
    let acked: Arc<Mutex<HashSet<ConversationId>>> = Arc::default();
    let queue = Arc::new(Mutex::new(convs.clone()));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (client, csrf, addr, acked, queue) = (
            client.clone(),
            csrf.clone(),
            server.addr.clone(),
            acked.clone(),
            queue.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let Some(conv) = queue.lock().unwrap().pop() else {
                    return;
                };
                let delay = if conv.0.as_u128() % 2 == 0 { 500 } else { 2000 };
                let at = chrono::Utc::now() + chrono::Duration::milliseconds(delay);
                let r = client
                    .post(format!("{addr}/api/v1/conversations/{conv}/close"))
                    .header("x-csrf-token", &csrf)
                    .json(&json!({"at": at.to_rfc3339(), "message": "Obrigado pelo contato!"}))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().as_u16() == 202 => {
                        acked.lock().unwrap().insert(conv);
                    }
                    Ok(r) if r.status().is_client_error() => panic!("unexpected {}", r.status()),
                    _ => return, // the server died under us
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < total / 3 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= total / 3,
        "only {} calls acknowledged",
        acked.len()
    );
    assert!(
        acked.len() < total,
        "the kill came after the burst; nothing was interrupted"
    );

    // Restart: the workers pick up whatever was pending or leased (leases of
    // the killed process expire after 3 s here).
    let restarted = Instant::now();
    let _server = start(dir.path(), &envs);
    eprintln!("restart took {:?}", restarted.elapsed());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut open = 0;
        for c in &acked {
            if db
                .store
                .conversation(org, *c)
                .await
                .unwrap()
                .attendance_id
                .is_some()
            {
                open += 1;
            }
        }
        if open == 0 {
            eprintln!("closings done {:?} after restart", restarted.elapsed());
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{open} acknowledged closings never ran after restart"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for c in &convs {
        let lines = closing_lines(&db, org, *c).await;
        if acked.contains(c) {
            assert_eq!(
                lines, 1,
                "acknowledged closing of {c} applied {lines} times"
            );
            let msgs = db.store.messages(org, *c, None, 200).await.unwrap();
            let farewells = msgs
                .iter()
                .filter(|m| m.payload.0.get("closing") == Some(&json!(true)))
                .count();
            assert_eq!(
                farewells, 1,
                "closing message of {c} written {farewells} times"
            );
        } else {
            assert!(
                lines <= 1,
                "unacknowledged closing of {c} applied {lines} times"
            );
        }
    }
    let counts = db.store.job_counts().await.unwrap();
    assert_eq!(counts.dead, 0);
}
