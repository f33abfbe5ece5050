//! Flows, runs and routing reads (FL-1..FL-3): one active run per contact
//! per inbox, people taking over stop the run, versions count up, and the
//! routing load counts open attendances.

use atende_domain::{AuthorKind, ContentKind, Direction, ReceiptStatus, Role};
use atende_store::StoreError;
use atende_store::chats::NewMessage;
use atende_store::flows::{NewRun, Trigger};
use atende_store::testing::TestDb;
use serde_json::json;

#[tokio::test]
async fn a_contact_has_one_active_run_per_inbox_and_an_attendance_stops_it() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let mut tx = store.begin().await.unwrap();
    let flow = tx
        .create_flow(org, "Boas-vindas", &json!({"name": "Boas-vindas"}))
        .await
        .unwrap();
    let v1 = tx
        .publish_flow(org, flow.id, &json!({"v": 1}), None)
        .await
        .unwrap();
    let v2 = tx
        .publish_flow(org, flow.id, &json!({"v": 2}), None)
        .await
        .unwrap();
    assert_eq!((v1.version, v2.version), (1, 2));
    assert_eq!(tx.published_version(org, flow.id).await.unwrap(), Some(2));
    let c = tx
        .upsert_contact(org, inbox.id, "5511999990000", "Ana", None)
        .await
        .unwrap();
    let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
    let new = NewRun {
        flow_id: flow.id,
        version: 2,
        conversation: conv.clone(),
        trigger: Trigger::Entry,
        batch: Some("lote 1".into()),
        client: None,
        input_after: None,
    };
    let run = tx.start_run(new.clone()).await.unwrap();
    tx.commit().await.unwrap();

    // The chat shows the automation mark (LC-7).
    assert!(store.conversation(org, conv.id).await.unwrap().flow_running);
    // A second active run for the contact on the inbox is refused.
    let mut tx = store.begin().await.unwrap();
    let conv = tx.conversation(org, conv.id).await.unwrap();
    let again = tx
        .start_run(NewRun {
            conversation: conv.clone(),
            ..new.clone()
        })
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    drop(tx);

    // Answers: only the contact's messages after the watermark, in order.
    let mut tx = store.begin().await.unwrap();
    for (i, text) in ["primeira", "segunda"].iter().enumerate() {
        tx.insert_message(NewMessage {
            org_id: org,
            conversation_id: conv.id,
            inbox_id: inbox.id,
            direction: Direction::In,
            author_kind: AuthorKind::Contact,
            author_id: None,
            internal: false,
            kind: ContentKind::Text,
            text: Some((*text).into()),
            payload: json!({}),
            status: ReceiptStatus::Delivered,
            provider_id: Some(format!("wamid.{i}")),
            provider_at: None,
        })
        .await
        .unwrap();
    }
    let mut run = tx.flow_run(org, run.id).await.unwrap();
    let first = tx.next_answer(&run).await.unwrap().unwrap();
    assert_eq!(first.text.as_deref(), Some("primeira"));
    run.input_after = first.created_at;
    run.input_after_id = Some(first.id);
    let second = tx.next_answer(&run).await.unwrap().unwrap();
    assert_eq!(second.text.as_deref(), Some("segunda"));
    run.input_after = second.created_at;
    run.input_after_id = Some(second.id);
    assert!(tx.next_answer(&run).await.unwrap().is_none());
    tx.save_run(&run).await.unwrap();

    // People take over: the run stops where it is and the mark goes.
    let conv = tx.conversation(org, conv.id).await.unwrap();
    let opened = tx.open_attendance(&conv, None, None, None).await.unwrap();
    assert!(!opened.flow_running);
    tx.commit().await.unwrap();
    let stopped = store.flow_run(org, run.id).await.unwrap();
    assert_eq!(stopped.status, "stopped");
    assert_eq!(stopped.outcome.as_deref(), Some("attendance"));
    assert_eq!(stopped.batch.as_deref(), Some("lote 1"));
    assert!(!store.conversation(org, conv.id).await.unwrap().flow_running);

    // A flow with an active run, or that is an inbox's entry flow, stays.
    let mut tx = store.begin().await.unwrap();
    tx.set_entry_flow(org, inbox.id, Some(flow.id))
        .await
        .unwrap();
    assert!(matches!(
        tx.delete_flow(org, flow.id).await,
        Err(StoreError::Invalid(_))
    ));
    tx.set_entry_flow(org, inbox.id, None).await.unwrap();
    tx.delete_flow(org, flow.id).await.unwrap();
    tx.commit().await.unwrap();
    assert!(store.flows(org).await.unwrap().is_empty());
}

#[tokio::test]
async fn routing_counts_open_chats_and_queues_first_in_first_out() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let ana = super::user(store, org, "ana@x.co", Role::Agent).await;
    let bia = super::user(store, org, "bia@x.co", Role::Agent).await;
    let mut tx = store.begin().await.unwrap();
    let sales = tx.create_department(org, "Vendas").await.unwrap();
    tx.add_member(org, sales.id, ana.id).await.unwrap();
    tx.add_member(org, sales.id, bia.id).await.unwrap();
    let mut convs = Vec::new();
    for i in 0..3 {
        let c = tx
            .upsert_contact(org, inbox.id, &format!("55119999900{i:02}"), "C", None)
            .await
            .unwrap();
        let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
        convs.push(conv);
    }
    let a0 = tx
        .open_attendance(&convs[0], Some(sales.id), Some(ana.id), None)
        .await
        .unwrap();
    let q1 = tx
        .open_attendance(&convs[1], Some(sales.id), None, None)
        .await
        .unwrap();
    let q2 = tx
        .open_attendance(&convs[2], Some(sales.id), None, None)
        .await
        .unwrap();
    // q2 queued first, q1 later: the older one comes first.
    tx.set_queued(org, q2.attendance_id.unwrap(), Some(1_000))
        .await
        .unwrap();
    tx.set_queued(org, q1.attendance_id.unwrap(), Some(2_000))
        .await
        .unwrap();
    let load = tx.routing_candidates(org, sales.id).await.unwrap();
    let of = |id| load.iter().find(|c| c.id == id).unwrap();
    assert_eq!(of(ana.id).open_chats, 1);
    assert_eq!(of(bia.id).open_chats, 0);
    assert_eq!(of(ana.id).max_chats, 5, "the default capacity");
    assert!(of(ana.id).available, "new users are online");
    assert_eq!(
        tx.next_queued_for(org, bia.id).await.unwrap(),
        Some(q2.id),
        "FIFO"
    );
    assert_eq!(tx.agents_online(org, Some(sales.id)).await.unwrap(), 2);
    assert_eq!(
        tx.last_agent_of(org, a0.contact_id).await.unwrap(),
        Some(ana.id)
    );
    tx.commit().await.unwrap();
}
