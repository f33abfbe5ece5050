use atende_testkit::FakeTelegram;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};
use crate::support::{PUBLIC, TOKEN, Tg};

#[tokio::test]
async fn creating_an_inbox_points_the_bot_at_it_and_keeps_the_token_secret() {
    let tg = Tg::start().await;
    let hook = tg.fake.webhook(TOKEN).unwrap();
    let secret = hook.secret_token.clone().unwrap();
    assert!(secret.len() >= 32 && secret.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(
        hook.allowed_updates.unwrap(),
        [
            "message",
            "edited_message",
            "callback_query",
            "my_chat_member"
        ]
    );
    let inbox = tg
        .admin
        .get_json(&format!("/api/v1/inboxes/{}", tg.inbox_id))
        .await;
    assert_eq!(inbox["channel"], "telegram");
    assert_eq!(inbox["settings"], json!({"bot_id": "7012345678"}));
    let text = inbox.to_string();
    assert!(!text.contains(TOKEN) && !text.contains(&secret), "{text}");
    let mut set: Vec<&str> = inbox["secrets_set"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    set.sort_unstable();
    assert_eq!(set, ["bot_token", "secret_token"]);

    // The same bot twice: refused, and the first inbox keeps its webhook.
    let r = tg
        .admin
        .post(
            "/api/v1/inboxes",
            json!({"name": "De novo", "channel": "telegram", "telegram": {"bot_token": TOKEN}}),
        )
        .await;
    assert_error(r, StatusCode::CONFLICT, "conflict").await;
    assert_eq!(tg.fake.webhook(TOKEN).unwrap().url, hook.url);

    // Deleting the inbox removes the webhook.
    let r = tg
        .admin
        .delete(&format!("/api/v1/inboxes/{}", tg.inbox_id))
        .await;
    assert_eq!(r.status(), 204);
    assert!(tg.fake.webhook(TOKEN).is_none_or(|w| w.url.is_empty()));
}

#[tokio::test]
async fn a_token_telegram_refuses_or_a_malformed_one_creates_nothing() {
    let fake = FakeTelegram::start().await;
    let base = fake.base_url();
    let app = TestApp::spawn_with(move |c| {
        c.telegram_api_url = base;
        c.public_url = PUBLIC.into();
    })
    .await;
    let admin = app.admin().await;
    let r = admin
        .post(
            "/api/v1/inboxes",
            json!({"name": "Bot", "channel": "telegram", "telegram": {"bot_token": "999:unknown"}}),
        )
        .await;
    let body = assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "provider_refused").await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("BotFather")
    );
    for bad in [
        json!({"bot_token": "not-a-token"}),
        json!({"bot_token": " "}),
        json!({}),
    ] {
        let r = admin
            .post(
                "/api/v1/inboxes",
                json!({"name": "Bot", "channel": "telegram", "telegram": bad}),
            )
            .await;
        assert!(
            r.status() == StatusCode::UNPROCESSABLE_ENTITY || r.status() == StatusCode::BAD_REQUEST,
            "{bad}: {}",
            r.status()
        );
    }
    // Credentials of another channel, or of two, are refused.
    let r = admin
        .post(
            "/api/v1/inboxes",
            json!({"name": "Bot", "channel": "telegram", "whatsapp": {"phone_number_id": "1"}}),
        )
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert!(
        admin
            .get_json("/api/v1/inboxes")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_revoked_token_marks_the_inbox_and_a_new_one_clears_it() {
    let tg = Tg::start().await;
    let conv = tg.customer_writes(5_400_000_004, "Fábio", "Oi").await;
    let old_secret = tg.fake.webhook(TOKEN).unwrap().secret_token;
    tg.fake.revoke_token(TOKEN);
    let msg = tg.reply(&conv, json!({"text": "Olá"})).await;
    let m = tg.settled(&conv, msg["id"].as_str().unwrap()).await;
    assert_eq!(m["status"], "failed");
    assert!(m["error_text"].as_str().unwrap().contains("token"), "{m}");
    let inbox = tg
        .admin
        .get_json(&format!("/api/v1/inboxes/{}", tg.inbox_id))
        .await;
    assert_eq!(inbox["needs_reauth"], true);

    let new_token = "7012345678:AAE-new-token";
    tg.fake.add_bot(new_token);
    let r = tg
        .admin
        .patch(
            &format!("/api/v1/inboxes/{}", tg.inbox_id),
            json!({"telegram": {"bot_token": new_token}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let inbox: Value = r.json().await.unwrap();
    assert_eq!(inbox["needs_reauth"], false);
    let hook = tg.fake.webhook(new_token).expect("webhook set again");
    assert_ne!(
        hook.secret_token, old_secret,
        "a new token gets a new secret"
    );
    // The old secret no longer opens the webhook.
    let (update, _) = tg.sim.text(5_400_000_004, "Fábio", "Ainda aí?");
    let r = tg.sim.post(&tg.http, &update).await;
    assert_eq!(r.status, 401);
}
