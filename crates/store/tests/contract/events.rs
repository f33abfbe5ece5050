use std::collections::HashSet;
use std::time::Duration;

use atende_domain::UserId;
use atende_store::events::{ChatEvent, UnreadCount, UserUpdated};
use atende_store::testing::TestDb;
use atende_store::{NewEvent, Store, WriterLane};

/// An event carrying `n` and `text`, for the tests of the log itself.
pub fn note(n: i64, text: &str) -> ChatEvent {
    ChatEvent::UserUpdated(UserUpdated {
        user_id: UserId(uuid::Uuid::nil()),
        name: text.to_string(),
        status: n.to_string(),
        status_reason: None,
        status_since: None,
    })
}

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
                tx.emit(NewEvent::org(org, note(i as i64, &format!("w{w}"))));
                if i % 3 == 0 {
                    tx.emit(NewEvent::org(org, note(i as i64, &format!("w{w} second"))));
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
    tx.emit(NewEvent::org(a, note(0, "x")));
    tx.emit(NewEvent::org(b, note(0, "x")));
    tx.emit(NewEvent::org(a, note(0, "x")));
    let committed = tx.commit().await.unwrap();
    assert_eq!(committed.len(), 3);
    let mut tx = store.begin().await.unwrap();
    tx.emit(NewEvent::org(a, note(0, "lost")));
    drop(tx);
    let ea = store.events_after(a, 0, 100).await.unwrap();
    let eb = store.events_after(b, 0, 100).await.unwrap();
    assert_eq!(ea.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(eb.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1]);
    assert!(ea.iter().all(|e| e.event == note(0, "x")));
}

/// On SQLite and on writer lanes the last statement of a commit carries the
/// `COMMIT` itself: when that statement fails, the commit fails, nothing of
/// the transaction stays, and the next transaction runs normally.
#[tokio::test]
async fn a_commit_whose_last_statement_fails_keeps_nothing() {
    let db = TestDb::new().await;
    commit_that_fails_keeps_nothing(&db.store, None).await;
}

/// The test above, on the store's write transactions or on `lane`'s.
pub async fn commit_that_fails_keeps_nothing(store: &Store, lane: Option<&WriterLane>) {
    let begin = async || match lane {
        Some(l) => l.begin().await.unwrap(),
        None => store.begin().await.unwrap(),
    };
    let org = super::org(store, "Org").await;
    let mut tx = begin().await;
    tx.create_org("Perdida", "agency", None).await.unwrap();
    tx.emit(NewEvent::org(org, note(0, "kept")));
    // An event of an organization that does not exist breaks the events
    // row's foreign key: the statement that appends it fails.
    tx.emit(NewEvent::org(
        atende_domain::OrgId::new(),
        note(0, "orphan"),
    ));
    assert!(tx.commit().await.is_err());
    assert!(store.org_by_name("Perdida").await.unwrap().is_none());
    assert!(store.events_after(org, 0, 10).await.unwrap().is_empty());
    assert_eq!(store.last_event_seq(org).await.unwrap(), 0);
    let mut tx = begin().await;
    tx.emit(NewEvent::org(org, note(0, "next")));
    let committed = tx.commit().await.unwrap();
    assert_eq!(committed.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1]);
    let read: Vec<ChatEvent> = store
        .events_after(org, 0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(read, [note(0, "next")]);
}

/// The events of one transaction share a stored row, but readers get them
/// one by one with their own sequence numbers, chat scopes and payloads,
/// and a page may start or stop anywhere inside the group.
#[tokio::test]
async fn grouped_events_read_back_one_by_one_from_any_point() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let mut tx = store.begin().await.unwrap();
    tx.emit(NewEvent::org(org, note(0, "single")));
    tx.commit().await.unwrap();
    let dept = atende_domain::DepartmentId::new();
    let convs: Vec<atende_domain::ConversationId> = (0..5)
        .map(|_| atende_domain::ConversationId::new())
        .collect();
    let mut tx = store.begin().await.unwrap();
    for (i, conv) in convs.iter().enumerate() {
        tx.emit(NewEvent {
            org_id: org,
            chat: Some(atende_store::events::ChatScope {
                conversation_id: *conv,
                attendance_open: i != 4,
                department_id: (i == 1).then_some(dept),
                agent_id: None,
            }),
            event: if i % 2 == 0 {
                note(i as i64 + 1, &format!("Olá {i}"))
            } else {
                ChatEvent::ConversationRead(UnreadCount {
                    conversation_id: *conv,
                    unread: i as i64 + 1,
                })
            },
        });
    }
    let committed = tx.commit().await.unwrap();
    assert_eq!(
        committed.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![2, 3, 4, 5, 6]
    );

    let all = store.events_after(org, 0, 100).await.unwrap();
    assert_eq!(
        all.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=6).collect::<Vec<_>>()
    );
    assert_eq!(all[0].event, note(0, "single"));
    assert_eq!(all[0].chat(), None);
    for (e, c) in all[1..].iter().zip(&committed) {
        assert_eq!(e.kind(), c.kind());
        assert_eq!(e.chat(), c.chat());
        assert_eq!(e.event, c.event);
    }
    assert_eq!(all[2].department_id, Some(dept));
    assert!(!all[5].attendance_open);

    // A page that starts inside the group and one that stops inside it.
    let mid = store.events_after(org, 3, 2).await.unwrap();
    assert_eq!(mid.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![4, 5]);
    assert_eq!(mid[0].event, note(3, "Olá 2"));
    let head = store.events_after(org, 0, 3).await.unwrap();
    assert_eq!(
        head.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    let tail = store.events_after(org, 5, 10).await.unwrap();
    assert_eq!(tail.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![6]);
    assert!(store.events_after(org, 6, 10).await.unwrap().is_empty());
    assert_eq!(store.last_event_seq(org).await.unwrap(), 6);
}

/// On SQLite, committed pages reach the database file without the writer
/// checkpointing them itself: a checkpointer beside it copies the WAL.
#[tokio::test]
async fn sqlite_commits_reach_the_database_file_in_the_background() {
    let db = TestDb::new().await;
    let Some(path) = db
        .url
        .strip_prefix("sqlite://")
        .map(std::path::PathBuf::from)
    else {
        return; // PostgreSQL: nothing to check
    };
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let size = || std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let before = size();
    // About 200 pages of events: far below the writer's own checkpoint
    // threshold (4,000 pages).
    for i in 0..20 {
        let mut tx = store.begin().await.unwrap();
        for j in 0..10 {
            tx.emit(NewEvent::org(org, note(i * 10 + j, &"x".repeat(4000))));
        }
        tx.commit().await.unwrap();
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while size() < before + 400_000 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        size() >= before + 400_000,
        "the database file grew from {before} to {} bytes only",
        size()
    );
}
