//! Writer lanes (`Store::writer_lane`): on PostgreSQL a connection of the
//! writer's own, whose commit carries the events row with its values
//! written into the statement; on SQLite the shared write connection.

use std::time::Duration;

use atende_domain::{ConversationId, InboxId, MessageId};
use atende_store::NewEvent;
use atende_store::events::{ChatEvent, ChatScope, EventMessage, MessageCreated};
use atende_store::testing::TestDb;
use serde_json::{Value, json};

/// Texts that SQL literals must carry unchanged.
fn awkward() -> Value {
    json!({
        "quote": "d'água, ''dupla'', '",
        "backslash": "C:\\pasta\\novo \\' \\\\",
        "dollar": "$1 $$ $tag$ ?",
        "statement": "'); DROP TABLE events; --",
        "unicode": "ação 😀 \u{7f} \t\n",
        "nested": [{"a": "'"}, null, 1.5, -7, true]
    })
}

/// A message event whose text and payload carry [`awkward`] texts.
fn awkward_message(label: &str, conversation_id: ConversationId, inbox_id: InboxId) -> ChatEvent {
    let mut payload = awkward().as_object().cloned().unwrap();
    payload.insert("label".into(), json!(label));
    ChatEvent::MessageCreated(MessageCreated {
        message: EventMessage {
            id: MessageId::new(),
            conversation_id,
            inbox_id,
            direction: "in".into(),
            author_kind: "contact".into(),
            author_id: None,
            internal: false,
            kind: "text".into(),
            text: Some(format!(
                "{label}: d'água ''; DROP TABLE events; -- $1 😀 \\'"
            )),
            payload,
            status: "received".into(),
            provider_id: None,
            error_code: None,
            error_text: None,
            created_at: 1_700_000_000_000,
        },
    })
}

/// Events committed through a lane read back exactly as emitted, one alone
/// (with its chat scope) and a group, numbered in order.
#[tokio::test]
async fn a_lane_commits_events_that_read_back_exactly() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "pn-lane").await;
    let lane = store.writer_lane();

    let mut tx = lane.begin().await.unwrap();
    let c = tx
        .upsert_contact(org, inbox.id, "5511999990001", "Lia", None)
        .await
        .unwrap();
    let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
    let scope = ChatScope {
        conversation_id: conv.id,
        attendance_open: true,
        department_id: None,
        agent_id: None,
    };
    tx.commit().await.unwrap();

    let emitted: Vec<ChatEvent> = ["one", "two", "three"]
        .iter()
        .map(|l| awkward_message(l, conv.id, inbox.id))
        .collect();
    let mut tx = lane.begin().await.unwrap();
    tx.emit(NewEvent::chat(org, scope, emitted[0].clone()));
    let one = tx.commit().await.unwrap();
    let mut tx = lane.begin().await.unwrap();
    for e in &emitted[1..] {
        tx.emit(NewEvent::org(org, e.clone()));
    }
    let group = tx.commit().await.unwrap();

    let first = one[0].seq;
    assert_eq!(
        group.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [first + 1, first + 2]
    );
    let read = store.events_after(org, first - 1, 10).await.unwrap();
    let got: Vec<(i64, Option<_>, &ChatEvent)> = read
        .iter()
        .map(|e| (e.seq, e.conversation_id, &e.event))
        .collect();
    assert_eq!(
        got,
        [
            (first, Some(conv.id), &emitted[0]),
            (first + 1, None, &emitted[1]),
            (first + 2, None, &emitted[2]),
        ]
    );
    assert!(read[0].attendance_open);
    assert_eq!(store.last_event_seq(org).await.unwrap(), first + 2);
}

/// When the statement that carries the `COMMIT` fails, nothing of the
/// transaction stays and the lane goes on with the next one.
#[tokio::test]
async fn a_lane_commit_that_fails_keeps_nothing_and_the_lane_goes_on() {
    let db = TestDb::new().await;
    let lane = db.store.writer_lane();
    super::events::commit_that_fails_keeps_nothing(&db.store, Some(&lane)).await;
}

/// A lane's transaction dropped without a commit is rolled back at once:
/// the rows it locked are free for others right away, and the lane's next
/// transaction starts clean.
#[tokio::test]
async fn a_dropped_lane_transaction_rolls_back_at_once() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "pn-lane").await;
    let mut tx = store.begin().await.unwrap();
    let c = tx
        .upsert_contact(org, inbox.id, "5511999990002", "Rui", None)
        .await
        .unwrap();
    let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
    tx.commit().await.unwrap();

    let lane = store.writer_lane();
    let mut tx = lane.begin().await.unwrap();
    // Locks the conversation (PostgreSQL) and writes a row.
    tx.conversation(org, conv.id).await.unwrap();
    tx.create_org("Solta", "agency", None).await.unwrap();
    drop(tx);

    // Another transaction takes the same conversation without waiting for
    // the lane to be used again.
    let other = async {
        let mut tx = store.begin().await.unwrap();
        let c = tx.conversation(org, conv.id).await.unwrap();
        tx.mark_unread(&c).await.unwrap();
        tx.commit().await.unwrap();
    };
    tokio::time::timeout(Duration::from_secs(5), other)
        .await
        .expect("the dropped transaction's lock was released");
    assert!(store.org_by_name("Solta").await.unwrap().is_none());

    let mut tx = lane.begin().await.unwrap();
    tx.create_org("Depois", "agency", None).await.unwrap();
    tx.commit().await.unwrap();
    assert!(store.org_by_name("Depois").await.unwrap().is_some());
}

/// The known-chats lookup on a lane (on PostgreSQL a prepared statement
/// run with its keys written in, carrying the transaction's `BEGIN`) finds
/// what a plain transaction finds, keys with quotes included, and holds
/// the conversations it read locked until the lane commits.
#[tokio::test]
async fn a_lane_looks_up_known_chats_and_keeps_them_locked_until_commit() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "pn-lane").await;
    let mut keys = vec!["5511999990003".to_string(), "d'água '' \\".to_string()];
    let mut tx = store.begin().await.unwrap();
    let mut convs = Vec::new();
    for key in &keys {
        let c = tx
            .upsert_contact(org, inbox.id, key, "Eva", None)
            .await
            .unwrap();
        convs.push(tx.conversation_for(org, inbox.id, c.id).await.unwrap());
    }
    tx.commit().await.unwrap();
    keys.push("5511000000000".to_string());
    keys.sort();

    let mut tx = store.begin().await.unwrap();
    let plain = tx.known_chats(org, inbox.id, &keys).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(plain.len(), 2, "{plain:?}");

    let lane = store.writer_lane();
    let mut tx = lane.begin().await.unwrap();
    let laned = tx.known_chats(org, inbox.id, &keys).await.unwrap();
    let sorted = |m: &std::collections::HashMap<String, atende_store::bulk::KnownChat>| {
        let mut v: Vec<String> = m.values().map(|k| format!("{k:?}")).collect();
        v.sort();
        v
    };
    assert_eq!(sorted(&laned), sorted(&plain));

    // Until the lane commits, nobody else changes those conversations.
    let conv = convs[1].id;
    let other = tokio::spawn({
        let store = store.clone();
        async move {
            let mut tx = store.begin().await.unwrap();
            let c = tx.conversation(org, conv).await.unwrap();
            tx.mark_unread(&c).await.unwrap();
            tx.commit().await.unwrap();
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!other.is_finished(), "the lookup's lock was not held");
    tx.commit().await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), other)
        .await
        .expect("the lock was released at commit")
        .unwrap();
}
