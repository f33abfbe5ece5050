use std::time::Duration;

use atende_testkit::TgInjectedError;
use serde_json::{Value, json};

use crate::support::{TOKEN, Tg};

#[tokio::test]
async fn an_agent_reply_reaches_telegram_with_the_exact_body_and_is_sent() {
    let tg = Tg::start().await;
    let chat = 5_500_000_005;
    let (update, customer_msg) = tg.sim.text(chat, "Gil", "Qual o prazo?");
    tg.post(&update).await;
    let conv = tg.conversation_of("Gil").await;
    let msg = tg
        .reply(&conv, json!({"text": "Olá {nome}, 3 dias."}))
        .await;
    assert_eq!(msg["text"], "Olá Gil, 3 dias.");
    let sent = tg.fake.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(sent[0].token, TOKEN);
    assert_eq!(sent[0].method, "sendMessage");
    assert_eq!(
        sent[0].params,
        json!({"chat_id": chat, "text": "Olá Gil, 3 dias."})
    );
    let m = tg.settled(&conv, msg["id"].as_str().unwrap()).await;
    assert_eq!(m["status"], "sent");
    let bot_msg = sent[0].message_id().unwrap();
    assert_eq!(m["provider_id"], format!("{chat}:{bot_msg}"));

    // A reaction to the customer's message goes as setMessageReaction.
    let inbound = tg.messages(&conv).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    tg.reply(
        &conv,
        json!({"reaction": {"message_id": inbound, "emoji": "👍"}}),
    )
    .await;
    let call = tg
        .until(async || {
            tg.fake
                .requests()
                .into_iter()
                .find(|r| r.method == "setMessageReaction")
        })
        .await;
    assert_eq!(
        call.params,
        json!({"chat_id": chat, "message_id": customer_msg, "reaction": [{"type": "emoji", "emoji": "👍"}]})
    );
}

#[tokio::test]
async fn no_window_on_telegram_a_day_old_chat_still_takes_free_text() {
    let tg = Tg::start().await;
    let chat = 5_500_000_015;
    let (mut update, _) = tg.sim.text(chat, "Hugo", "Oi");
    update["message"]["date"] = json!(chrono::Utc::now().timestamp() - 3 * 24 * 3600);
    tg.post(&update).await;
    let conv = tg.conversation_of("Hugo").await;
    assert_eq!(tg.admin.conversation(&conv).await["window"], "none");
    let msg = tg
        .reply(&conv, json!({"text": "Ainda posso responder"}))
        .await;
    assert_eq!(
        tg.settled(&conv, msg["id"].as_str().unwrap()).await["status"],
        "sent"
    );
    // Templates do not exist on Telegram.
    let r = tg
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"template": {"name": "x", "language": "pt_BR"}}),
        )
        .await;
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn a_long_text_goes_as_several_messages_in_order() {
    let tg = Tg::start().await;
    let name = "Ivo Maximiliano da Silva";
    let conv = tg
        .customer_writes(5_500_000_006, name, "Mande o contrato")
        .await;
    // Telegram's limit is the API's: a full text goes as one message.
    let msg = tg.reply(&conv, json!({"text": "a".repeat(4096)})).await;
    let sent = tg.fake.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(sent[0].text().unwrap().len(), 4096);
    assert_eq!(
        tg.settled(&conv, msg["id"].as_str().unwrap()).await["status"],
        "sent"
    );
    // Within the API's 4,096 characters, the name fills past Telegram's.
    let text = "{nome} ".repeat(585);
    let msg = tg.reply(&conv, json!({"text": text})).await;
    let full = format!("{name} ").repeat(585);
    let sent = tg.fake.wait_for_sends(5, Duration::from_secs(10)).await;
    assert_eq!(sent.len(), 5, "14,625 characters are four messages");
    let pieces: Vec<&str> = sent[1..]
        .iter()
        .map(|r| r.text().unwrap().trim_end())
        .collect();
    assert!(pieces.iter().all(|p| p.chars().count() <= 4096));
    // Cut at spaces: nothing lost, no word broken.
    assert_eq!(pieces.join(" "), full.trim_end());
    let m = tg.settled(&conv, msg["id"].as_str().unwrap()).await;
    assert_eq!(m["status"], "sent");
}

#[tokio::test]
async fn a_rate_limit_waits_exactly_retry_after_then_sends() {
    let tg = Tg::start().await;
    let conv = tg.customer_writes(5_500_000_007, "Júlia", "Oi").await;
    tg.fake
        .inject_error(TOKEN, TgInjectedError::rate_limited(2));
    let msg = tg.reply(&conv, json!({"text": "Já volto"})).await;
    let sent = tg.fake.wait_for_sends(1, Duration::from_secs(10)).await;
    let calls: Vec<_> = tg
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "sendMessage")
        .collect();
    assert_eq!(calls.len(), 2, "one refused, one taken");
    assert_eq!(calls[0].status, 429);
    let waited = sent[0].at - calls[0].at;
    assert!(
        waited >= chrono::Duration::milliseconds(1_950),
        "retried after {waited}, before retry_after"
    );
    let m = tg.settled(&conv, msg["id"].as_str().unwrap()).await;
    assert_eq!(m["status"], "sent");
}

#[tokio::test]
async fn a_blocked_bot_fails_the_message_with_the_reason_and_never_retries() {
    let tg = Tg::start_with(|c| c.job_retry_base_ms = 20).await;
    let chat = 5_500_000_008;
    let conv = tg.customer_writes(chat, "Lia", "Oi").await;
    tg.fake.block_chat(TOKEN, chat);
    let msg = tg.reply(&conv, json!({"text": "Olá"})).await;
    let m = tg.settled(&conv, msg["id"].as_str().unwrap()).await;
    assert_eq!(m["status"], "failed");
    assert_eq!(m["error_code"], "403");
    assert!(
        m["error_text"].as_str().unwrap().contains("bloqueou o bot"),
        "{m}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let tries = tg
        .fake
        .requests()
        .iter()
        .filter(|r| r.method == "sendMessage")
        .count();
    assert_eq!(tries, 1, "403 is not retried");

    // A passing server error is retried until it goes.
    tg.fake.unblock_chat(TOKEN, chat);
    tg.fake
        .inject_error(TOKEN, TgInjectedError::server_error().times(2));
    let msg = tg.reply(&conv, json!({"text": "Tente de novo"})).await;
    let m = tg.settled(&conv, msg["id"].as_str().unwrap()).await;
    assert_eq!(m["status"], "sent");
}

#[tokio::test]
async fn an_uploaded_file_goes_with_its_message_and_a_voice_note_as_voice() {
    let tg = Tg::start().await;
    let conv = tg
        .customer_writes(5_500_000_009, "Mel", "Manda a foto")
        .await;
    let upload = |name: &str, mime: &str, bytes: Vec<u8>| {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_string())
            .mime_str(mime)
            .unwrap();
        tg.admin
            .client
            .post(
                tg.app
                    .url(&format!("/api/v1/inboxes/{}/media", tg.inbox_id)),
            )
            .header("x-csrf-token", &tg.admin.csrf)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
    };
    let r = upload("foto.png", "image/png", vec![7u8; 2048])
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let photo: Value = r.json().await.unwrap();
    let msg = tg
        .reply(
            &conv,
            json!({"media": {"kind": "image", "id": photo["id"], "caption": "Aqui está"}}),
        )
        .await;
    let sent = tg.fake.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(sent[0].method, "sendPhoto");
    assert_eq!(sent[0].params["photo"]["size"], 2048);
    assert_eq!(sent[0].params["caption"], "Aqui está");
    assert_eq!(
        tg.settled(&conv, msg["id"].as_str().unwrap()).await["status"],
        "sent"
    );

    let r = upload("audio.ogg", "audio/ogg", vec![1u8; 512])
        .await
        .unwrap();
    let voice: Value = r.json().await.unwrap();
    tg.reply(
        &conv,
        json!({"media": {"kind": "audio", "id": voice["id"]}}),
    )
    .await;
    let sent = tg.fake.wait_for_sends(2, Duration::from_secs(10)).await;
    assert_eq!(sent[1].method, "sendVoice");
    assert_eq!(sent[1].params["voice"]["size"], 512);
    assert!(
        tg.fake
            .requests()
            .iter()
            .any(|r| r.method == "sendChatAction" && r.params["action"] == "upload_photo")
    );

    // A place and a contact card.
    tg.reply(
        &conv,
        json!({"location": {"latitude": -23.5, "longitude": -46.6, "name": "Loja"}}),
    )
    .await;
    let sent = tg.fake.wait_for_sends(3, Duration::from_secs(10)).await;
    assert_eq!(sent[2].method, "sendLocation");
    assert_eq!(sent[2].params["latitude"], -23.5);
}
