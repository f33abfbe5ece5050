//! `kill -9` during webhook ingest: every delivery answered 200 is present
//! after a restart, and none is stored twice. CI runs a small burst;
//! `bench/kill9-ingest.sh` runs it at full speed on a release build
//! (ATENDE_BIN, ATENDE_KILL9_MESSAGES, ATENDE_KILL9_CONCURRENCY).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atende_domain::OrgId;
use atende_store::directory::NewInbox;
use atende_store::testing::TestDb;
use atende_testkit::Simulator;
use serde_json::json;

use crate::server::start;

const PHONE_ID: &str = "777000111";
const SECRET: &str = "kill9-secret";

fn env_num(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_webhook_survives_kill_9_exactly_once() {
    let total = env_num("ATENDE_KILL9_MESSAGES", 600);
    let concurrency = env_num("ATENDE_KILL9_CONCURRENCY", 16);
    let db = TestDb::new().await;
    let b = atende_server::bootstrap::bootstrap(
        &db.store,
        "Ingest",
        "admin@ingest.test",
        "senha-forte-123",
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
            external_id: Some(PHONE_ID.into()),
            settings: json!({"phone_number_id": PHONE_ID, "waba_id": "1"}),
            secrets: json!({"access_token": "t", "app_secret": SECRET, "verify_token": "v"}),
            chatbot_enabled: false,
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let envs = [
        ("ATENDE_DATABASE_URL", db.url.as_str()),
        ("ATENDE_LISTEN", "127.0.0.1:0"),
        ("ATENDE_LOG", "warn,atende_server::app=info"),
    ];
    let mut server = start(dir.path(), &envs);
    let sim = Simulator::new(
        format!("{}/webhooks/whatsapp", server.addr),
        SECRET,
        PHONE_ID,
        "5511900000000",
        "1",
    );
    let payloads: Vec<(String, serde_json::Value)> = (0..total)
        .map(|i| {
            sim.text_payload(
                &format!("55219{:08}", i % 200),
                "Cliente",
                &format!("mensagem {i}"),
            )
        })
        .collect();
    let queue = Arc::new(Mutex::new(payloads));
    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (sim, queue, acked) = (sim.clone(), queue.clone(), acked.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap();
            loop {
                let Some((wamid, payload)) = queue.lock().unwrap().pop() else {
                    return;
                };
                let r = sim.post(&http, &payload).await;
                match r.status {
                    200 => {
                        acked.lock().unwrap().insert(wamid);
                    }
                    0 => return, // connection refused or reset: the server is gone
                    s => panic!("unexpected HTTP {s}: {}", r.body),
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while acked.lock().unwrap().len() < total / 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let rate = acked.lock().unwrap().len() as f64 / started.elapsed().as_secs_f64();
    server.child.kill().unwrap(); // SIGKILL mid-burst
    server.child.wait().unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() < total, "the kill came after the burst");
    eprintln!(
        "kill -9 after {} acknowledged deliveries at {rate:.0} msg/s",
        acked.len()
    );

    // Restart on the same database, then check every acknowledged wamid.
    let _server = start(dir.path(), &envs);
    let mut tx = db.store.begin().await.unwrap();
    for wamid in &acked {
        assert!(
            tx.message_by_provider_id(inbox.id, wamid)
                .await
                .unwrap()
                .is_some(),
            "acknowledged {wamid} lost"
        );
    }
    drop(tx);
    // No duplicates: the unique index guarantees it; count to prove it.
    let mut count = 0usize;
    let mut q = atende_store::chats::ConversationQuery::new(
        org,
        b.user_id.parse().unwrap(),
        true,
        atende_domain::ChatView::All,
    );
    q.limit = 200;
    let mut wamids = HashSet::new();
    loop {
        let (items, next) = db.store.conversations(&q).await.unwrap();
        for c in &items {
            for m in db.store.messages(org, c.id, None, 200).await.unwrap() {
                if let Some(p) = m.provider_id {
                    count += 1;
                    wamids.insert(p);
                }
            }
        }
        match next {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(count, wamids.len(), "a delivery was stored twice");
    assert!(wamids.is_superset(&acked));
}
