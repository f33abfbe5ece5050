//! What happens to the neutral events only Meta's channels send today:
//! story mentions and receipt watermarks, applied in a transaction as the
//! intake does (SQLite, or PostgreSQL with ATENDE_TEST_DATABASE_URL).

use std::sync::Arc;

use atende_channels::inbound::{Content, Delivery, Inbound, Message, Sender, Watermark};
use atende_domain::{AuthorKind, ContentKind, Direction, OrgId, ReceiptStatus};
use atende_store::chats::NewMessage;
use atende_store::testing::TestDb;
use serde_json::json;

use super::{Routed, take};

const ACCOUNT: &str = "17841405822304914";
const CUSTOMER: &str = "7123456789012345";

async fn instagram(db: &TestDb) -> (OrgId, Arc<atende_store::ingest::InboxRoute>) {
    let b =
        crate::bootstrap::bootstrap(&db.store, "Loja", "a@example.com", "senha-forte-123", false)
            .await
            .unwrap();
    let org: OrgId = b.org_id.parse().unwrap();
    let mut tx = db.store.begin().await.unwrap();
    tx.create_inbox(atende_store::directory::NewInbox {
        org_id: org,
        name: "Instagram".into(),
        channel: "instagram".into(),
        external_id: Some(ACCOUNT.into()),
        settings: json!({}),
        secrets: json!({}),
        chatbot_enabled: false,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let route = db.store.inbox_routes("instagram").await.unwrap().remove(0);
    (org, Arc::new(route))
}

fn from_customer(id: &str, at: i64, content: Content) -> Inbound {
    Inbound::Message(Message {
        address: ACCOUNT.into(),
        own_number: None,
        id: id.into(),
        sender: Sender {
            key: Some(CUSTOMER.into()),
            ..Sender::default()
        },
        timestamp: at,
        content,
        context: None,
        referral: None,
        errors: vec![],
        raw: json!({"mid": id, "attachments": [{"payload": {"url": "https://cdn/story"}}]}),
    })
}

async fn apply(db: &TestDb, route: &Arc<atende_store::ingest::InboxRoute>, event: Inbound) {
    let mut tx = db.store.begin().await.unwrap();
    take(
        &mut tx,
        Routed {
            route: route.clone(),
            event,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_story_mention_updates_the_chat_and_opens_nothing() {
    let db = TestDb::new().await;
    let (org, route) = instagram(&db).await;
    let now = chrono::Utc::now().timestamp();
    let mention = Content::StoryMention {
        url: Some("https://cdn/story".into()),
    };
    apply(
        &db,
        &route,
        from_customer("mid-story", now, mention.clone()),
    )
    .await;
    apply(&db, &route, from_customer("mid-story", now, mention)).await;
    let mut tx = db.store.begin().await.unwrap();
    let chats = tx
        .known_chats(org, route.id, &[CUSTOMER.to_string()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let chat = &chats[CUSTOMER];
    let conv = db
        .store
        .conversation(org, chat.conversation_id.unwrap())
        .await
        .unwrap();
    assert_eq!(
        conv.attendance_id, None,
        "no attendance: only in Todos os chats"
    );
    let msgs = db.store.messages(org, conv.id, None, 50).await.unwrap();
    assert_eq!(msgs.len(), 1, "stored once");
    assert_eq!(msgs[0].kind, ContentKind::StoryMention.as_str());
    let p = &msgs[0].payload.0;
    assert_eq!(p["story"]["url"], "https://cdn/story");
    assert_eq!(p["story"]["expires_at"], (now * 1000) + 24 * 3_600_000);
    assert_eq!(
        p["raw"],
        json!({"mid": "mid-story"}),
        "nothing of the story but its link"
    );

    // The customer then writes: the normal rules open an attendance.
    apply(
        &db,
        &route,
        from_customer("mid-text", now, Content::Text { body: "Oi".into() }),
    )
    .await;
    let conv = db.store.conversation(org, conv.id).await.unwrap();
    assert!(conv.attendance_id.is_some());
}

#[tokio::test]
async fn a_watermark_moves_every_earlier_send_forward_only() {
    let db = TestDb::new().await;
    let (org, route) = instagram(&db).await;
    apply(
        &db,
        &route,
        from_customer("mid-1", 1, Content::Text { body: "Oi".into() }),
    )
    .await;
    let mut tx = db.store.begin().await.unwrap();
    let conv_id = tx
        .known_chats(org, route.id, &[CUSTOMER.to_string()])
        .await
        .unwrap()[CUSTOMER]
        .conversation_id
        .unwrap();
    let conv = tx.conversation(org, conv_id).await.unwrap();
    let mut ours = vec![];
    for (n, status) in [
        ReceiptStatus::Sent,
        ReceiptStatus::Read,
        ReceiptStatus::Sent,
        ReceiptStatus::Queued,
    ]
    .into_iter()
    .enumerate()
    {
        let m = tx
            .insert_message(NewMessage {
                direction: Direction::Out,
                author_kind: AuthorKind::Agent,
                internal: false,
                status,
                provider_id: Some(format!("m_out{n}")),
                ..NewMessage::system(&conv, format!("resposta {n}"))
            })
            .await
            .unwrap()
            .unwrap();
        ours.push(m);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    tx.commit().await.unwrap();
    let status_of = async |i: usize| db.store.message(org, ours[i].id).await.unwrap().status;
    let cut = ours[1].created_at;
    apply(
        &db,
        &route,
        Inbound::Watermark(Watermark {
            address: ACCOUNT.into(),
            recipient: CUSTOMER.into(),
            state: Delivery::Delivered,
            up_to: cut,
        }),
    )
    .await;
    assert_eq!(status_of(0).await, "delivered");
    assert_eq!(status_of(1).await, "read", "never back");
    assert_eq!(status_of(2).await, "sent", "after the watermark");
    apply(
        &db,
        &route,
        Inbound::Watermark(Watermark {
            address: ACCOUNT.into(),
            recipient: CUSTOMER.into(),
            state: Delivery::Read,
            up_to: ours[3].created_at,
        }),
    )
    .await;
    assert_eq!(status_of(0).await, "read");
    assert_eq!(status_of(2).await, "read");
    assert_eq!(status_of(3).await, "queued", "not taken by Meta yet");
}
