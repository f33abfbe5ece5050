use std::collections::HashSet;
use std::time::Duration;

use atende_store::NewEvent;
use atende_store::testing::TestDb;
use serde_json::json;

/// Eight writers append events concurrently while a reader polls
/// `after = N`: the reader must see every event exactly once, in order,
/// with no gap, even though transactions commit in any order.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_reader_sees_every_event_once_in_order() {
    let db = TestDb::new().await;
    let store = db.store.clone();
    let org = super::org(&store, "Org").await;
    const WRITERS: usize = 8;
    const PER_WRITER: usize = 40;
    let mut handles = Vec::new();
    for w in 0..WRITERS {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            for i in 0..PER_WRITER {
                let mut tx = store.begin().await.unwrap();
                // Some work inside the transaction widens the race window.
                tx.emit(NewEvent {
                    org_id: org,
                    kind: "test.event",
                    chat: None,
                    payload: json!({"w": w, "i": i}),
                });
                if i % 3 == 0 {
                    tx.emit(NewEvent {
                        org_id: org,
                        kind: "test.event",
                        chat: None,
                        payload: json!({"w": w, "i": i, "second": true}),
                    });
                }
                tokio::time::sleep(Duration::from_micros((w * 37 + i * 11) as u64 % 700)).await;
                tx.commit().await.unwrap();
            }
        }));
    }
    let expected = WRITERS * (PER_WRITER + PER_WRITER.div_ceil(3));
    let reader = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut after = 0i64;
            let mut seen = Vec::new();
            let deadline = std::time::Instant::now() + Duration::from_secs(60);
            while seen.len() < expected && std::time::Instant::now() < deadline {
                let page = store.events_after(org, after, 7).await.unwrap();
                for e in &page {
                    assert!(e.seq > after, "out of order: {} after {after}", e.seq);
                    after = e.seq;
                    seen.push(e.seq);
                }
                if page.is_empty() {
                    tokio::task::yield_now().await;
                }
            }
            seen
        })
    };
    for h in handles {
        h.await.unwrap();
    }
    let seen = reader.await.unwrap();
    assert_eq!(seen.len(), expected);
    assert_eq!(
        seen,
        (1..=expected as i64).collect::<Vec<_>>(),
        "a gap or a duplicate"
    );
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), expected);
    assert_eq!(store.last_event_seq(org).await.unwrap(), expected as i64);
}

#[tokio::test]
async fn sequences_are_per_organization_and_rolled_back_events_vanish() {
    let db = TestDb::new().await;
    let store = &db.store;
    let a = super::org(store, "A").await;
    let b = super::org(store, "B").await;
    let mut tx = store.begin().await.unwrap();
    tx.emit(NewEvent {
        org_id: a,
        kind: "x",
        chat: None,
        payload: json!({}),
    });
    tx.emit(NewEvent {
        org_id: b,
        kind: "x",
        chat: None,
        payload: json!({}),
    });
    tx.emit(NewEvent {
        org_id: a,
        kind: "x",
        chat: None,
        payload: json!({}),
    });
    let committed = tx.commit().await.unwrap();
    assert_eq!(committed.len(), 3);
    let mut tx = store.begin().await.unwrap();
    tx.emit(NewEvent {
        org_id: a,
        kind: "lost",
        chat: None,
        payload: json!({}),
    });
    drop(tx);
    let ea = store.events_after(a, 0, 100).await.unwrap();
    let eb = store.events_after(b, 0, 100).await.unwrap();
    assert_eq!(ea.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(eb.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1]);
    assert!(ea.iter().all(|e| e.kind == "x"));
}
