//! The fake Bot API: tokens, webhooks, sends, errors, files.

use atende_testkit::{FakeTelegram, TgInjectedError};
use serde_json::{Value, json};
use std::time::Duration;

const TOKEN: &str = "7400123456:AAH-test_secret";
const CHAT: i64 = 5_093_842_217;

async fn fake() -> FakeTelegram {
    let tg = FakeTelegram::start().await;
    tg.add_bot(TOKEN);
    tg
}

/// POSTs `body` as JSON to `method` of `token`; returns status and envelope.
async fn call(tg: &FakeTelegram, token: &str, method: &str, body: Value) -> (u16, Value) {
    let url = format!("{}/bot{token}/{method}", tg.base_url());
    let resp = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("the fake answers");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// GETs an absolute URL; returns status and body bytes.
async fn get(url: &str) -> (u16, Vec<u8>) {
    let resp = reqwest::get(url).await.expect("the fake answers");
    let status = resp.status().as_u16();
    (
        status,
        resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
    )
}

/// POSTs `pairs` form-encoded to `method`; returns status and envelope.
async fn post_form(tg: &FakeTelegram, method: &str, pairs: &[(&str, &str)]) -> (u16, Value) {
    let mut url = reqwest::Url::parse("http://form.test/").expect("url");
    url.query_pairs_mut().extend_pairs(pairs);
    let resp = reqwest::Client::new()
        .post(format!("{}/bot{TOKEN}/{method}", tg.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(url.query().unwrap_or("").to_owned())
        .send()
        .await
        .expect("the fake answers");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A multipart part: name, `Some((file_name, mime))` for files, bytes.
type Part<'a> = (&'a str, Option<(&'a str, &'a str)>, &'a [u8]);

/// A multipart body of `parts`.
fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "----atende-test-boundary";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some((file_name, mime)) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {mime}\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_multipart(tg: &FakeTelegram, method: &str, parts: &[Part<'_>]) -> (u16, Value) {
    let (content_type, body) = multipart(parts);
    let resp = reqwest::Client::new()
        .post(format!("{}/bot{TOKEN}/{method}", tg.base_url()))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("the fake answers");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn unknown_or_revoked_tokens_get_401_and_unknown_methods_404() {
    let tg = fake().await;
    let unauthorized = json!({"ok": false, "error_code": 401, "description": "Unauthorized"});
    assert_eq!(
        call(&tg, "1:nope", "getMe", json!({})).await,
        (401, unauthorized.clone())
    );

    let (status, me) = call(&tg, TOKEN, "getme", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(me["result"]["id"], json!(7_400_123_456i64));
    assert_eq!(me["result"]["is_bot"], json!(true));
    assert_eq!(me["result"]["username"], json!("acme_support_bot"));
    assert_eq!(tg.bot_id(TOKEN), Some(7_400_123_456));

    let not_found = json!({"ok": false, "error_code": 404, "description": "Not Found"});
    assert_eq!(
        call(&tg, TOKEN, "sendTelepathy", json!({})).await,
        (404, not_found.clone())
    );
    let (status, _) = get(&format!("{}/nothing/here/at/all", tg.base_url())).await;
    assert_eq!(status, 404);

    tg.revoke_token(TOKEN);
    assert_eq!(
        call(&tg, TOKEN, "getMe", json!({})).await,
        (401, unauthorized)
    );
    assert_eq!(tg.bot_id(TOKEN), None);
    let methods: Vec<String> = tg.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["getMe", "getMe", "sendTelepathy", "getMe"]);
}

#[tokio::test]
async fn set_webhook_validates_and_stores_and_empty_url_removes() {
    let tg = fake().await;
    let (status, body) = call(
        &tg,
        TOKEN,
        "setWebhook",
        json!({"url": "https://atende.test/tg/1", "secret_token": "bad secret!"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["description"],
        "Bad Request: secret token contains unallowed characters"
    );
    let (status, _) = call(
        &tg,
        TOKEN,
        "setWebhook",
        json!({"url": "ftp://x.test/hook"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(tg.webhook(TOKEN), None);

    // Form-encoded, allowed_updates as a JSON string, as many clients send it.
    let (status, body) = post_form(
        &tg,
        "setWebhook",
        &[
            ("url", "http://127.0.0.1:9/tg/1"),
            ("secret_token", "s3cr3t_-X"),
            ("allowed_updates", r#"["message","callback_query"]"#),
            ("drop_pending_updates", "true"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"ok": true, "result": true, "description": "Webhook was set"})
    );
    let hook = tg.webhook(TOKEN).expect("set");
    assert_eq!(hook.url, "http://127.0.0.1:9/tg/1");
    assert_eq!(hook.secret_token.as_deref(), Some("s3cr3t_-X"));
    assert_eq!(
        hook.allowed_updates,
        Some(vec!["message".to_owned(), "callback_query".to_owned()])
    );
    assert!(hook.drop_pending_updates);

    let (_, info) = call(&tg, TOKEN, "getWebhookInfo", json!({})).await;
    assert_eq!(info["result"]["url"], "http://127.0.0.1:9/tg/1");
    assert_eq!(info["result"]["pending_update_count"], 0);
    assert_eq!(
        info["result"]["allowed_updates"],
        json!(["message", "callback_query"])
    );
    let (status, _) = call(&tg, TOKEN, "getUpdates", json!({})).await;
    assert_eq!(status, 409);

    let (_, body) = call(&tg, TOKEN, "setWebhook", json!({"url": ""})).await;
    assert_eq!(body["description"], "Webhook was deleted");
    assert_eq!(tg.webhook(TOKEN), None);
    let (_, info) = call(&tg, TOKEN, "getWebhookInfo", json!({})).await;
    assert_eq!(info["result"]["url"], "");
}

#[tokio::test]
async fn send_message_checks_text_chat_and_buttons() {
    let tg = fake().await;
    let too_long = "é".repeat(4097);
    let (status, body) = call(
        &tg,
        TOKEN,
        "sendMessage",
        json!({"chat_id": CHAT, "text": too_long}),
    )
    .await;
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Bad Request: message is too long"))
    );
    let (status, body) = call(
        &tg,
        TOKEN,
        "sendMessage",
        json!({"chat_id": CHAT, "text": ""}),
    )
    .await;
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Bad Request: message text is empty"))
    );
    let (status, body) = call(&tg, TOKEN, "sendMessage", json!({"text": "oi"})).await;
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Bad Request: chat not found"))
    );
    let (status, body) = call(
        &tg,
        TOKEN,
        "sendMessage",
        json!({"chat_id": CHAT, "text": "Avalie", "reply_markup":
               {"inline_keyboard": [[{"text": "Sim", "callback_data": "x".repeat(65)}]]}}),
    )
    .await;
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Bad Request: BUTTON_DATA_INVALID"))
    );
    let (status, body) = call(
        &tg,
        TOKEN,
        "sendMessage",
        json!({"chat_id": CHAT, "text": "Obrigado!", "parse_mode": "MarkdownV2"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body["description"]
            .as_str()
            .unwrap_or("")
            .contains("reserved")
    );
    assert!(tg.sent_messages().is_empty());

    let (status, body) = call(
        &tg,
        TOKEN,
        "sendMessage",
        json!({"chat_id": CHAT, "text": "é".repeat(4096), "reply_markup":
               {"inline_keyboard": [[{"text": "Sim", "callback_data": "csat:yes"}]]}}),
    )
    .await;
    assert_eq!(status, 200);
    let m = &body["result"];
    assert_eq!(m["message_id"], 1_000_000);
    assert_eq!(m["chat"], json!({"id": CHAT, "type": "private"}));
    assert_eq!(m["from"]["id"], 7_400_123_456i64);
    assert_eq!(
        m["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "csat:yes"
    );

    // Form encoding: the chat id as a string.
    let chat = CHAT.to_string();
    let (status, _) = post_form(
        &tg,
        "sendMessage",
        &[("chat_id", &chat), ("text", "Olá, Ana!")],
    )
    .await;
    assert_eq!(status, 200);
    let sends = tg.sent_messages();
    assert_eq!(sends.len(), 2);
    assert_eq!(sends[1].text(), Some("Olá, Ana!"));
    assert_eq!(sends[1].chat_id(), Some(CHAT));
    assert_eq!(sends[1].message_id(), Some(1_000_001));
}

#[tokio::test]
async fn replies_need_a_known_message_unless_allowed_without_it() {
    let tg = fake().await;
    let send = |reply: Value| {
        let tg = tg.clone();
        async move {
            call(
                &tg,
                TOKEN,
                "sendMessage",
                json!({"chat_id": CHAT, "text": "ok", "reply_parameters": reply}),
            )
            .await
        }
    };
    let (status, body) = send(json!({"message_id": 77})).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["description"],
        "Bad Request: message to be replied not found"
    );
    let (status, _) = send(json!({"message_id": 77, "allow_sending_without_reply": true})).await;
    assert_eq!(status, 200);
    let (status, body) = send(json!({"message_id": 1_000_000})).await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["reply_to_message"]["message_id"], 1_000_000);
    tg.remember_message(TOKEN, CHAT, 77);
    assert_eq!(send(json!({"message_id": 77})).await.0, 200);
}

#[tokio::test]
async fn injected_errors_apply_to_sends_in_order_then_clear() {
    let tg = fake().await;
    tg.inject_error(TOKEN, TgInjectedError::rate_limited(35));
    tg.inject_error(TOKEN, TgInjectedError::server_error().times(2));
    let text = json!({"chat_id": CHAT, "text": "Oi"});

    // Not a send: doesn't consume the injected error.
    let (status, _) = call(
        &tg,
        TOKEN,
        "sendChatAction",
        json!({"chat_id": CHAT, "action": "typing"}),
    )
    .await;
    assert_eq!(status, 200);

    let (status, body) = call(&tg, TOKEN, "sendMessage", text.clone()).await;
    assert_eq!(status, 429);
    assert_eq!(
        body,
        json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 35",
               "parameters": {"retry_after": 35}})
    );
    for _ in 0..2 {
        let (status, body) = call(&tg, TOKEN, "sendMessage", text.clone()).await;
        assert_eq!(
            (status, body["description"].as_str()),
            (500, Some("Internal Server Error"))
        );
    }
    let (status, body) = call(&tg, TOKEN, "sendMessage", text.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(tg.sent_messages().len(), 1);
    let statuses: Vec<u16> = tg.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 429, 500, 500, 200]);
}

#[tokio::test]
async fn blocked_and_deactivated_chats_get_403_until_unblocked() {
    let tg = fake().await;
    tg.block_chat(TOKEN, CHAT);
    let text = json!({"chat_id": CHAT, "text": "Oi"});
    let (status, body) = call(&tg, TOKEN, "sendMessage", text.clone()).await;
    assert_eq!(
        (status, body),
        (
            403,
            json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"})
        )
    );
    let (status, _) = call(
        &tg,
        TOKEN,
        "sendChatAction",
        json!({"chat_id": CHAT, "action": "typing"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = call(
        &tg,
        TOKEN,
        "sendMessage",
        json!({"chat_id": CHAT + 1, "text": "Oi"}),
    )
    .await;
    assert_eq!(status, 200);

    tg.deactivate_chat(TOKEN, CHAT);
    let (_, body) = call(&tg, TOKEN, "sendMessage", text.clone()).await;
    assert_eq!(body["description"], "Forbidden: user is deactivated");
    tg.unblock_chat(TOKEN, CHAT);
    assert_eq!(call(&tg, TOKEN, "sendMessage", text).await.0, 200);

    tg.inject_error(TOKEN, TgInjectedError::blocked());
    let (status, _) = call(
        &tg,
        TOKEN,
        "sendPhoto",
        json!({"chat_id": CHAT, "photo": "https://x.test/a.jpg"}),
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn get_file_downloads_until_the_link_expires_then_a_fresh_one_works() {
    let tg = fake().await;
    let voice = "AwACAgEAAxkBAAIVk2ZqAAHLvR3V8n1YVn0X2a7c8XyGAAKJBAACwqHgVhb0truM0uhwNQQ";
    tg.add_file(voice, b"OggS-voice".to_vec(), "audio/ogg");

    let (status, body) = call(&tg, TOKEN, "getFile", json!({"file_id": voice})).await;
    assert_eq!(status, 200);
    let file = &body["result"];
    assert_eq!(file["file_id"], voice);
    assert_eq!(file["file_size"], 10);
    let path = file["file_path"].as_str().expect("path").to_owned();
    assert!(
        path.starts_with("voice/file_") && path.ends_with(".oga"),
        "{path}"
    );

    let url = format!("{}/file/bot{TOKEN}/{path}", tg.base_url());
    assert_eq!(get(&url).await, (200, b"OggS-voice".to_vec()));
    let (status, _) = get(&format!("{}/file/bot1:other/{path}", tg.base_url())).await;
    assert_eq!(status, 404);

    tg.expire_file_links();
    assert_eq!(get(&url).await.0, 404);
    let (_, body) = call(&tg, TOKEN, "getFile", json!({"file_id": voice})).await;
    let fresh = body["result"]["file_path"]
        .as_str()
        .expect("path")
        .to_owned();
    assert_ne!(fresh, path);
    let fresh_url = format!("{}/file/bot{TOKEN}/{fresh}", tg.base_url());
    assert_eq!(get(&fresh_url).await.0, 200);

    tg.set_file_link_ttl(Duration::from_millis(50));
    tokio::time::sleep(Duration::from_millis(80)).await;
    assert_eq!(get(&fresh_url).await.0, 404);

    let (status, body) = call(&tg, TOKEN, "getFile", json!({"file_id": "nope"})).await;
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Bad Request: invalid file_id"))
    );
    let downloads = tg
        .requests()
        .into_iter()
        .filter(|r| r.method == "download")
        .count();
    assert_eq!(downloads, 5);
}

#[tokio::test]
async fn get_file_over_20_mb_is_too_big() {
    let tg = fake().await;
    let id = tg.new_file(
        "document",
        vec![0u8; 20 * 1024 * 1024 + 1],
        "application/pdf",
    );
    let (status, body) = call(&tg, TOKEN, "getFile", json!({"file_id": id})).await;
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Bad Request: file is too big"))
    );
}

#[tokio::test]
async fn multipart_photo_upload_is_recorded_stored_and_downloadable() {
    let tg = fake().await;
    let jpeg = vec![0xFFu8, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4];
    let markup = r#"{"inline_keyboard":[[{"text":"Ver","url":"https://acme.test/p/1"}]]}"#;
    let chat = CHAT.to_string();
    let (status, body) = post_multipart(
        &tg,
        "sendPhoto",
        &[
            ("chat_id", None, chat.as_bytes()),
            ("caption", None, "Seu pedido 📦".as_bytes()),
            ("reply_markup", None, markup.as_bytes()),
            ("photo", Some(("pedido.jpg", "image/jpeg")), &jpeg),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let sizes = body["result"]["photo"].as_array().expect("sizes");
    assert_eq!(sizes.len(), 2);
    assert_eq!(body["result"]["caption"], "Seu pedido 📦");

    let sent = tg.sent_messages();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].params["photo"],
        json!({"file_name": "pedido.jpg", "mime_type": "image/jpeg", "size": 8})
    );
    assert_eq!(
        sent[0].params["reply_markup"]["inline_keyboard"][0][0]["text"],
        "Ver"
    );
    assert_eq!(sent[0].caption(), Some("Seu pedido 📦"));
    let file_id = sent[0].file_id().expect("file id").to_owned();
    assert!(file_id.starts_with("AgAC"), "{file_id}");
    assert_eq!(
        tg.file(&file_id),
        Some((jpeg.clone(), "image/jpeg".to_owned()))
    );

    let (_, body) = call(&tg, TOKEN, "getFile", json!({"file_id": file_id})).await;
    let path = body["result"]["file_path"].as_str().expect("path");
    assert!(
        path.starts_with("photos/") && path.ends_with(".jpg"),
        "{path}"
    );
    let url = format!("{}/file/bot{TOKEN}/{path}", tg.base_url());
    assert_eq!(get(&url).await, (200, jpeg));

    // Reuse by file id.
    let (status, body) = call(
        &tg,
        TOKEN,
        "sendPhoto",
        json!({"chat_id": CHAT, "photo": file_id}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["photo"][1]["file_id"], json!(file_id));
    let (status, body) = call(
        &tg,
        TOKEN,
        "sendDocument",
        json!({"chat_id": CHAT, "document": "unknown-id"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["description"],
        "Bad Request: wrong file identifier/HTTP URL specified"
    );
}

#[tokio::test]
async fn oversized_uploads_and_captions_are_refused() {
    let tg = fake().await;
    let chat = CHAT.to_string();
    let big_photo = vec![7u8; 10 * 1024 * 1024 + 1];
    let (status, body) = post_multipart(
        &tg,
        "sendPhoto",
        &[
            ("chat_id", None, chat.as_bytes()),
            ("photo", Some(("a.jpg", "image/jpeg")), &big_photo),
        ],
    )
    .await;
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Bad Request: file is too big"))
    );

    let big_doc = vec![7u8; 50 * 1024 * 1024 + 1];
    let (status, body) = post_multipart(
        &tg,
        "sendDocument",
        &[
            ("chat_id", None, chat.as_bytes()),
            ("document", Some(("a.pdf", "application/pdf")), &big_doc),
        ],
    )
    .await;
    assert_eq!(
        (status, body),
        (
            413,
            json!({"ok": false, "error_code": 413, "description": "Request Entity Too Large"})
        )
    );

    let (status, body) = call(
        &tg,
        TOKEN,
        "sendVoice",
        json!({"chat_id": CHAT, "voice": "https://x.test/a.ogg", "caption": "x".repeat(1025)}),
    )
    .await;
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Bad Request: message caption is too long"))
    );
    assert!(tg.sent_messages().is_empty());
}

#[tokio::test]
async fn other_methods_answer_true_or_a_message() {
    let tg = fake().await;
    let (status, body) = call(
        &tg,
        TOKEN,
        "sendChatAction",
        json!({"chat_id": CHAT, "action": "dancing"}),
    )
    .await;
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Bad Request: wrong parameter action in request"))
    );
    let (_, body) = call(
        &tg,
        TOKEN,
        "answerCallbackQuery",
        json!({"callback_query_id": "4382913650923147801", "text": "Obrigado!"}),
    )
    .await;
    assert_eq!(body, json!({"ok": true, "result": true}));
    assert_eq!(tg.answered_callbacks(), ["4382913650923147801"]);
    let (_, body) = call(
        &tg,
        TOKEN,
        "setMessageReaction",
        json!({"chat_id": CHAT, "message_id": 5, "reaction": [{"type": "emoji", "emoji": "👍"}]}),
    )
    .await;
    assert_eq!(body["result"], true);
    let (status, _) = call(
        &tg,
        TOKEN,
        "setMessageReaction",
        json!({"chat_id": CHAT, "message_id": 5, "reaction": [{"type": "heart"}]}),
    )
    .await;
    assert_eq!(status, 400);

    // GET with a query string.
    let url = format!(
        "{}/bot{TOKEN}/sendLocation?chat_id={CHAT}&latitude=-23.55&longitude=-46.63",
        tg.base_url()
    );
    let resp = reqwest::get(url).await.expect("answer");
    let body: Value = resp.json().await.expect("json");
    assert_eq!(
        body["result"]["location"],
        json!({"latitude": -23.55, "longitude": -46.63})
    );
    let (_, body) = call(
        &tg,
        TOKEN,
        "sendContact",
        json!({"chat_id": CHAT, "phone_number": "+5511999990000", "first_name": "Loja"}),
    )
    .await;
    assert_eq!(body["result"]["contact"]["first_name"], "Loja");
    let (_, body) = call(
        &tg,
        TOKEN,
        "sendVoice",
        json!({"chat_id": CHAT, "voice": "https://x.test/a.ogg"}),
    )
    .await;
    assert_eq!(body["result"]["voice"]["mime_type"], "audio/ogg");

    let methods: Vec<String> = tg.sent_messages().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["sendLocation", "sendContact", "sendVoice"]);
    tg.clear_requests();
    assert!(tg.requests().is_empty());
}

#[tokio::test]
async fn chat_rate_answers_429_with_retry_after() {
    let tg = fake().await;
    tg.set_chat_rate(Some(1));
    let text = json!({"chat_id": CHAT, "text": "Oi"});
    assert_eq!(call(&tg, TOKEN, "sendMessage", text.clone()).await.0, 200);
    let (status, body) = call(&tg, TOKEN, "sendMessage", text.clone()).await;
    assert_eq!(status, 429);
    assert_eq!(body["parameters"]["retry_after"], 1);
    let other = json!({"chat_id": CHAT + 1, "text": "Oi"});
    assert_eq!(call(&tg, TOKEN, "sendMessage", other).await.0, 200);
}

#[tokio::test]
async fn wait_for_sends_wakes_on_sends_and_times_out() {
    let tg = fake().await;
    let sender = tg.clone();
    tokio::spawn(async move {
        for i in 0..3 {
            tokio::time::sleep(Duration::from_millis(20)).await;
            call(
                &sender,
                TOKEN,
                "sendMessage",
                json!({"chat_id": CHAT, "text": format!("m{i}")}),
            )
            .await;
        }
    });
    let sends = tg.wait_for_sends(3, Duration::from_secs(5)).await;
    assert_eq!(sends.len(), 3);
    assert_eq!(sends[2].text(), Some("m2"));
    let sends = tg.wait_for_sends(4, Duration::from_millis(50)).await;
    assert_eq!(sends.len(), 3);
    let url = format!("{}/__fake/messages", tg.base_url());
    let log: Value = reqwest::get(url)
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(log.as_array().map(Vec::len), Some(3));
    assert_eq!(log[0]["params"]["text"], "m0");
    assert_eq!(tg.requests().len(), 3, "the log endpoint isn't recorded");
}
