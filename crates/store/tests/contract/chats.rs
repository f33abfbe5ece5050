use std::collections::HashSet;

use atende_domain::{
    AssignmentAction, AuthorKind, ChatView, ContentKind, Direction, OrgId, ReceiptStatus, Role,
    UserId, Viewer,
};
use atende_store::chats::{ChatOrder, ConversationQuery, NewMessage};
use atende_store::testing::TestDb;
use atende_store::{Store, StoreError};
use serde_json::json;

fn inbound(conv: &atende_store::chats::Conversation, provider_id: &str, text: &str) -> NewMessage {
    NewMessage {
        org_id: conv.org_id,
        conversation_id: conv.id,
        inbox_id: conv.inbox_id,
        direction: Direction::In,
        author_kind: AuthorKind::Contact,
        author_id: None,
        internal: false,
        kind: ContentKind::Text,
        text: Some(text.into()),
        payload: json!({}),
        status: ReceiptStatus::Delivered,
        provider_id: Some(provider_id.into()),
        provider_at: Some(atende_store::now_ms() - 1000),
    }
}

fn query(org: OrgId, viewer: UserId, see_all: bool, view: ChatView) -> ConversationQuery {
    ConversationQuery {
        limit: 200,
        ..ConversationQuery::new(org, viewer, see_all, view)
    }
}

async fn ids(store: &Store, q: &ConversationQuery) -> HashSet<atende_domain::ConversationId> {
    store
        .conversations(q)
        .await
        .unwrap()
        .0
        .into_iter()
        .map(|c| c.id)
        .collect()
}

/// The SQL of each LC-1 view selects exactly the chats the domain rule puts
/// in that view, for every viewer, over every kind of assignment.
#[tokio::test]
async fn chat_list_views_match_the_domain_rules() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let ana = super::user(store, org, "ana@x.co", Role::Agent).await;
    let bia = super::user(store, org, "bia@x.co", Role::Agent).await;
    let mut tx = store.begin().await.unwrap();
    let sales = tx.create_department(org, "Vendas").await.unwrap();
    let support = tx.create_department(org, "Suporte").await.unwrap();
    tx.add_member(org, sales.id, ana.id).await.unwrap();
    tx.add_member(org, support.id, bia.id).await.unwrap();
    // Every shape of chat: no attendance, open unassigned, department only,
    // agent only, department + agent, and closed.
    let mut convs = Vec::new();
    for i in 0..9 {
        let c = tx
            .upsert_contact(
                org,
                inbox.id,
                &format!("55119999900{i:02}"),
                &format!("Cliente {i}"),
                None,
            )
            .await
            .unwrap();
        let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
        let conv = match i {
            0 => conv,
            1 => tx.open_attendance(&conv, None, None, None).await.unwrap(),
            2 => tx
                .open_attendance(&conv, Some(sales.id), None, None)
                .await
                .unwrap(),
            3 => tx
                .open_attendance(&conv, Some(support.id), None, None)
                .await
                .unwrap(),
            4 => tx
                .open_attendance(&conv, None, Some(ana.id), None)
                .await
                .unwrap(),
            5 => tx
                .open_attendance(&conv, None, Some(bia.id), None)
                .await
                .unwrap(),
            6 => {
                let c = tx
                    .open_attendance(&conv, Some(support.id), None, None)
                    .await
                    .unwrap();
                tx.assign(&c, AssignmentAction::AgentReplied(bia.id), None, None)
                    .await
                    .unwrap()
                    .0
            }
            7 => {
                let c = tx
                    .open_attendance(&conv, Some(sales.id), Some(bia.id), None)
                    .await
                    .unwrap();
                tx.close_attendance(&c, None, atende_domain::monitoring::Ended::Agent, None)
                    .await
                    .unwrap()
            }
            _ => tx
                .open_attendance(&conv, Some(support.id), Some(bia.id), None)
                .await
                .unwrap(),
        };
        convs.push(conv);
    }
    tx.commit().await.unwrap();
    let ana_depts = [sales.id];
    let bia_depts = [support.id];
    for (who, depts, see_all) in [
        (ana.id, &ana_depts[..], false),
        (bia.id, &bia_depts[..], false),
        (ana.id, &ana_depts[..], true),
    ] {
        let viewer = Viewer {
            user_id: who,
            departments: depts,
            see_all_chats: see_all,
        };
        for view in ChatView::ALL {
            let got = ids(store, &query(org, who, see_all, *view)).await;
            let want: HashSet<_> = convs
                .iter()
                .filter(|c| atende_domain::in_view(&c.chat_state(), &viewer, *view))
                .map(|c| c.id)
                .collect();
            assert_eq!(
                got, want,
                "view {view:?} for viewer {who} (see_all={see_all})"
            );
        }
    }
    // The agent and department filters read the copy kept with the chat's
    // activity (migration 0011): it follows openings, assignments and
    // closings.
    let all = query(org, ana.id, true, ChatView::All);
    let mut cases: Vec<(ConversationQuery, HashSet<_>)> = Vec::new();
    for agent in [ana.id, bia.id] {
        let want = convs.iter().filter(|c| c.agent_id == Some(agent));
        let q = ConversationQuery {
            agent: Some(agent),
            ..all.clone()
        };
        cases.push((q, want.map(|c| c.id).collect()));
    }
    for department in [sales.id, support.id] {
        let want = convs.iter().filter(|c| c.department_id == Some(department));
        let q = ConversationQuery {
            department: Some(department),
            ..all.clone()
        };
        cases.push((q, want.map(|c| c.id).collect()));
    }
    for (q, want) in cases {
        assert!(!want.is_empty());
        let filter = (q.agent, q.department);
        assert_eq!(ids(store, &q).await, want, "filter {filter:?}");
    }
}

#[tokio::test]
async fn pagination_walks_every_chat_once_in_each_order() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let admin = super::user(store, org, "adm@x.co", Role::Admin).await;
    let mut tx = store.begin().await.unwrap();
    for i in 0..23 {
        let c = tx
            .upsert_contact(
                org,
                inbox.id,
                &format!("5511988887{i:03}"),
                &format!("C{i}"),
                None,
            )
            .await
            .unwrap();
        let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
        if i % 2 == 0 {
            tx.open_attendance(&conv, None, None, None).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    for (order, expected) in [
        (ChatOrder::Newest, 23),
        (ChatOrder::Oldest, 23),
        (ChatOrder::NewestOpening, 12),
        (ChatOrder::OldestOpening, 12),
    ] {
        let mut q = query(org, admin.id, true, ChatView::All);
        q.order = order;
        q.limit = 5;
        let mut seen = Vec::new();
        loop {
            let (items, next) = store.conversations(&q).await.unwrap();
            seen.extend(items.iter().map(|i| i.id));
            match next {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(seen.len(), expected, "{order:?}");
        assert_eq!(
            seen.iter().collect::<HashSet<_>>().len(),
            expected,
            "{order:?} repeated a chat"
        );
    }
    let mut q = query(org, admin.id, true, ChatView::All);
    q.cursor = Some("garbage".into());
    assert!(matches!(
        store.conversations(&q).await,
        Err(StoreError::Invalid(_))
    ));
}

#[tokio::test]
async fn duplicate_provider_message_is_stored_once_and_receipts_only_move_forward() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let mut tx = store.begin().await.unwrap();
    let c = tx
        .upsert_contact(
            org,
            inbox.id,
            "5511999990000",
            "Maria",
            Some("+5511999990000"),
        )
        .await
        .unwrap();
    let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
    let m = tx
        .insert_message(inbound(&conv, "wamid.1", "Oi"))
        .await
        .unwrap();
    assert!(m.is_some());
    assert!(
        tx.insert_message(inbound(&conv, "wamid.1", "Oi"))
            .await
            .unwrap()
            .is_none()
    );
    let mut out = inbound(&conv, "", "Olá!");
    out.direction = Direction::Out;
    out.author_kind = AuthorKind::Agent;
    out.provider_id = None;
    out.status = ReceiptStatus::Queued;
    let sent = tx.insert_message(out).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    let msgs = store.messages(org, conv.id, None, 50).await.unwrap();
    assert_eq!(msgs.len(), 2);
    assert_eq!(store.conversation(org, conv.id).await.unwrap().unread, 1);
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.update_receipt(org, sent.id, ReceiptStatus::Read, Some("wamid.out"), None)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        tx.update_receipt(org, sent.id, ReceiptStatus::Delivered, None, None)
            .await
            .unwrap()
            .is_none(),
        "went backwards"
    );
    tx.commit().await.unwrap();
    assert_eq!(store.message(org, sent.id).await.unwrap().status, "read");
}

#[tokio::test]
async fn protocols_are_unique_17_digit_and_per_organization() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let mut protocols = HashSet::new();
    for i in 0..15 {
        let mut tx = store.begin().await.unwrap();
        let c = tx
            .upsert_contact(org, inbox.id, &format!("5511977770{i:03}"), "X", None)
            .await
            .unwrap();
        let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
        let conv = tx.open_attendance(&conv, None, None, None).await.unwrap();
        tx.commit().await.unwrap();
        let p = conv.protocol.unwrap();
        assert_eq!(p.len(), 17);
        let today = atende_domain::protocol::protocol_day(chrono::Utc::now());
        assert!(
            p.starts_with(&today.format("%Y%m%d").to_string()),
            "Brasília's day: {p}"
        );
        assert!(protocols.insert(p));
    }
}

#[tokio::test]
async fn another_organizations_ids_are_not_found() {
    let db = TestDb::new().await;
    let store = &db.store;
    let a = super::org(store, "A").await;
    let b = super::org(store, "B").await;
    let inbox = super::inbox(store, a, "100").await;
    let user_a = super::user(store, a, "a@x.co", Role::Admin).await;
    let mut tx = store.begin().await.unwrap();
    let c = tx
        .upsert_contact(a, inbox.id, "5511999990000", "Maria", None)
        .await
        .unwrap();
    let conv = tx.conversation_for(a, inbox.id, c.id).await.unwrap();
    let dept = tx.create_department(a, "Vendas").await.unwrap();
    tx.commit().await.unwrap();
    assert!(matches!(
        store.conversation(b, conv.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.contact(b, c.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.inbox(b, inbox.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.user(b, user_a.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.department(b, dept.id).await,
        Err(StoreError::NotFound)
    ));
    let mut tx = store.begin().await.unwrap();
    assert!(matches!(
        tx.delete_department(b, dept.id).await,
        Err(StoreError::NotFound)
    ));
    drop(tx);
    let mut q = query(b, user_a.id, true, ChatView::All);
    q.limit = 10;
    assert!(store.conversations(&q).await.unwrap().0.is_empty());
}

#[tokio::test]
async fn contact_reply_cancels_a_scheduled_closing_unless_kept() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let mut tx = store.begin().await.unwrap();
    let c = tx
        .upsert_contact(org, inbox.id, "5511999990000", "Maria", None)
        .await
        .unwrap();
    let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
    let conv = tx.open_attendance(&conv, None, None, None).await.unwrap();
    tx.schedule_close(&conv, atende_store::now_ms() + 60_000, false, None, None)
        .await
        .unwrap();
    tx.insert_message(inbound(&conv, "wamid.2", "Ainda preciso de ajuda"))
        .await
        .unwrap();
    let att = tx
        .attendance(org, conv.attendance_id.unwrap())
        .await
        .unwrap();
    assert_eq!(att.close_at, None, "reply should cancel the closing");
    tx.schedule_close(&conv, atende_store::now_ms() + 60_000, true, None, None)
        .await
        .unwrap();
    tx.insert_message(inbound(&conv, "wamid.3", "Obrigada"))
        .await
        .unwrap();
    let att = tx
        .attendance(org, conv.attendance_id.unwrap())
        .await
        .unwrap();
    assert!(att.close_at.is_some(), "a kept closing survives the reply");
    tx.commit().await.unwrap();
}

/// The bulk path of inbound messages (webhook batches) cancels scheduled
/// closings the same way, and only those a reply should cancel.
#[tokio::test]
async fn bulk_replies_cancel_scheduled_closings_unless_kept() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let mut tx = store.begin().await.unwrap();
    let mut chats = Vec::new();
    for (phone, keep) in [("5511999990001", false), ("5511999990002", true)] {
        let c = tx
            .upsert_contact(org, inbox.id, phone, "Cliente", None)
            .await
            .unwrap();
        let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
        let conv = tx.open_attendance(&conv, None, None, None).await.unwrap();
        tx.schedule_close(&conv, atende_store::now_ms() + 60_000, keep, None, None)
            .await
            .unwrap();
        chats.push(conv);
    }
    // A third chat with no closing scheduled is in the same batch.
    let c = tx
        .upsert_contact(org, inbox.id, "5511999990003", "Outro", None)
        .await
        .unwrap();
    let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
    let conv = tx.open_attendance(&conv, None, None, None).await.unwrap();
    chats.push(conv);
    let rows = chats
        .iter()
        .enumerate()
        .map(|(i, conv)| inbound(conv, &format!("wamid.b{i}"), "Oi"))
        .collect();
    let stored = tx.insert_inbound_bulk(org, inbox.id, rows).await.unwrap();
    assert_eq!(stored.len(), 3);
    let attendance = |i: usize| chats[i].attendance_id.unwrap();
    let cancelled = tx.attendance(org, attendance(0)).await.unwrap();
    assert_eq!(cancelled.close_at, None, "the reply cancels the closing");
    let kept = tx.attendance(org, attendance(1)).await.unwrap();
    assert!(kept.close_at.is_some(), "a kept closing survives the reply");
    let none = tx.attendance(org, attendance(2)).await.unwrap();
    assert_eq!(none.close_at, None);
    tx.commit().await.unwrap();
}

/// The bulk path stores each provider id once: messages already stored are
/// skipped, only the new ones count as unread and come back (for their
/// events), and a batch of nothing but duplicates changes nothing.
#[tokio::test]
async fn bulk_insert_skips_stored_messages_and_counts_only_new_ones() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let mut tx = store.begin().await.unwrap();
    let mut convs = Vec::new();
    for phone in ["5511999990001", "5511999990002"] {
        let c = tx
            .upsert_contact(org, inbox.id, phone, "Cliente", None)
            .await
            .unwrap();
        convs.push(tx.conversation_for(org, inbox.id, c.id).await.unwrap());
    }
    tx.insert_inbound_bulk(org, inbox.id, vec![inbound(&convs[0], "wamid.old", "Oi")])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let rows = vec![
        inbound(&convs[0], "wamid.old", "Oi"),
        inbound(&convs[0], "wamid.new0", "Tudo bem?"),
        inbound(&convs[1], "wamid.new1", "Bom dia"),
    ];
    let stored = tx.insert_inbound_bulk(org, inbox.id, rows).await.unwrap();
    let committed = tx.commit().await.unwrap();
    let mut ids: Vec<_> = stored
        .iter()
        .map(|m| m.provider_id.clone().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["wamid.new0", "wamid.new1"]);
    assert_eq!(committed.len(), 2, "one message.created per new message");
    assert_eq!(
        store.conversation(org, convs[0].id).await.unwrap().unread,
        2
    );
    assert_eq!(
        store.conversation(org, convs[1].id).await.unwrap().unread,
        1
    );
    assert_eq!(
        store
            .messages(org, convs[0].id, None, 50)
            .await
            .unwrap()
            .len(),
        2
    );
    // Nothing but duplicates: nothing stored, counted or announced.
    let mut tx = store.begin().await.unwrap();
    let rows = vec![
        inbound(&convs[0], "wamid.new0", "Tudo bem?"),
        inbound(&convs[1], "wamid.new1", "Bom dia"),
    ];
    assert!(
        tx.insert_inbound_bulk(org, inbox.id, rows)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(tx.commit().await.unwrap().is_empty());
    assert_eq!(
        store.conversation(org, convs[0].id).await.unwrap().unread,
        2
    );
    assert_eq!(
        store.conversation(org, convs[1].id).await.unwrap().unread,
        1
    );
}

/// A contact's last interaction is its newest customer message, whichever
/// path stored it and on whichever of its chats.
#[tokio::test]
async fn last_interaction_is_the_newest_customer_message() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let other = super::inbox(store, org, "200").await;
    let mut tx = store.begin().await.unwrap();
    let c = tx
        .upsert_contact(org, inbox.id, "5511999990000", "Maria", None)
        .await
        .unwrap();
    assert_eq!(
        tx.contact(org, c.id).await.unwrap().last_interaction_at,
        None
    );
    let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
    let mut first = inbound(&conv, "wamid.1", "Oi");
    first.provider_at = Some(1_000_000);
    tx.insert_message(first).await.unwrap();
    assert_eq!(
        tx.contact(org, c.id).await.unwrap().last_interaction_at,
        Some(1_000_000)
    );
    // A reply of ours is not the contact's interaction.
    let mut reply = inbound(&conv, "", "Olá!");
    reply.direction = Direction::Out;
    reply.provider_id = None;
    reply.status = ReceiptStatus::Queued;
    reply.provider_at = None;
    tx.insert_message(reply).await.unwrap();
    assert_eq!(
        tx.contact(org, c.id).await.unwrap().last_interaction_at,
        Some(1_000_000)
    );
    // A newer message on another inbox's chat, through the bulk path.
    tx.link_identity(org, other.id, "5511999990000", c.id)
        .await
        .unwrap();
    let conv2 = tx.conversation_for(org, other.id, c.id).await.unwrap();
    let mut later = inbound(&conv2, "wamid.2", "Voltei");
    later.provider_at = Some(2_000_000);
    tx.insert_inbound_bulk(org, other.id, vec![later])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let read = store.contact(org, c.id).await.unwrap();
    assert_eq!(read.last_interaction_at, Some(2_000_000));
}

#[tokio::test]
async fn a_send_retried_with_the_same_key_stores_one_message() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let mut tx = store.begin().await.unwrap();
    let c = tx
        .upsert_contact(org, inbox.id, "5511999990000", "Maria", None)
        .await
        .unwrap();
    let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
    let mut out = inbound(&conv, "", "Olá!");
    out.direction = Direction::Out;
    out.provider_id = None;
    let first = tx
        .insert_message_keyed(out.clone(), Some("k-1".into()))
        .await
        .unwrap();
    assert!(first.is_some());
    assert!(
        tx.insert_message_keyed(out.clone(), Some("k-1".into()))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        tx.insert_message_keyed(out.clone(), Some("k-2".into()))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        tx.insert_message_keyed(out.clone(), None)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        tx.insert_message_keyed(out, None).await.unwrap().is_some(),
        "no key, no dedupe"
    );
    tx.commit().await.unwrap();
    let found = store
        .message_by_client_key(org, conv.id, "k-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, first.unwrap().id);
    assert_eq!(
        store.messages(org, conv.id, None, 50).await.unwrap().len(),
        4
    );
}

/// A status that arrives before its message has a provider id is kept and
/// applied when the id is set (the webhook raced the send's answer).
#[tokio::test]
async fn early_statuses_wait_for_their_message() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let mut tx = store.begin().await.unwrap();
    let c = tx
        .upsert_contact(org, inbox.id, "5511999990000", "Maria", None)
        .await
        .unwrap();
    let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
    let mut out = inbound(&conv, "", "Olá!");
    out.direction = Direction::Out;
    out.provider_id = None;
    out.status = ReceiptStatus::Queued;
    let msg = tx.insert_message(out).await.unwrap().unwrap();
    tx.save_pending_status(org, inbox.id, "wamid.X", ReceiptStatus::Read, None)
        .await
        .unwrap();
    tx.save_pending_status(org, inbox.id, "wamid.X", ReceiptStatus::Delivered, None)
        .await
        .unwrap();
    tx.save_pending_status(org, inbox.id, "wamid.X", ReceiptStatus::Read, None)
        .await
        .unwrap();
    let sent = tx
        .update_receipt(org, msg.id, ReceiptStatus::Sent, Some("wamid.X"), None)
        .await
        .unwrap()
        .unwrap();
    tx.apply_pending_statuses(&sent).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(store.message(org, msg.id).await.unwrap().status, "read");
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.message_by_provider_id(inbox.id, "wamid.X")
            .await
            .unwrap()
            .is_some()
    );
    tx.apply_pending_statuses(&sent).await.unwrap(); // nothing left: a no-op
    tx.commit().await.unwrap();
}

/// CH-5: a late delivery of an older message never moves the window back.
#[tokio::test]
async fn the_session_window_only_moves_forward() {
    let db = TestDb::new().await;
    let store = &db.store;
    let org = super::org(store, "Org").await;
    let inbox = super::inbox(store, org, "100").await;
    let mut tx = store.begin().await.unwrap();
    let c = tx
        .upsert_contact(org, inbox.id, "5511999990000", "Maria", None)
        .await
        .unwrap();
    let conv = tx.conversation_for(org, inbox.id, c.id).await.unwrap();
    let mut newer = inbound(&conv, "wamid.new", "nova");
    newer.provider_at = Some(2_000_000);
    tx.insert_message(newer).await.unwrap();
    let mut older = inbound(&conv, "wamid.old", "antiga");
    older.provider_at = Some(1_000_000);
    tx.insert_message(older.clone()).await.unwrap();
    let mut bulk_older = older;
    bulk_older.provider_id = Some("wamid.older".into());
    tx.insert_inbound_bulk(org, inbox.id, vec![bulk_older])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        store
            .conversation(org, conv.id)
            .await
            .unwrap()
            .last_inbound_at,
        Some(2_000_000)
    );
}
