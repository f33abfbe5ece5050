//! The storage contract: the same tests on SQLite and, when
//! `ATENDE_TEST_DATABASE_URL` is set, on PostgreSQL.

mod chats;
mod events;
mod flows;
mod jobs;
mod lanes;
mod schema;

use atende_domain::{OrgId, Permissions, Role};
use atende_store::Store;
use atende_store::accounts::{NewUser, User};
use atende_store::directory::{Inbox, NewInbox};

pub async fn org(store: &Store, name: &str) -> OrgId {
    let mut tx = store.begin().await.unwrap();
    let o = tx.create_org(name, "agency", None).await.unwrap();
    tx.commit().await.unwrap();
    o.id
}

pub async fn user(store: &Store, org: OrgId, email: &str, role: Role) -> User {
    let mut tx = store.begin().await.unwrap();
    let u = tx
        .create_user(NewUser {
            org_id: org,
            email: email.into(),
            name: email.into(),
            password_hash: "x".into(),
            role,
            permissions: Permissions::for_role(role),
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    u
}

pub async fn inbox(store: &Store, org: OrgId, phone_number_id: &str) -> Inbox {
    let mut tx = store.begin().await.unwrap();
    let i = tx
        .create_inbox(NewInbox {
            org_id: org,
            name: format!("WhatsApp {phone_number_id}"),
            channel: "whatsapp".into(),
            external_id: Some(phone_number_id.into()),
            settings: serde_json::json!({}),
            secrets: serde_json::json!({"access_token": "t"}),
            chatbot_enabled: true,
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    i
}
