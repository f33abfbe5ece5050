//! The Telegram customer simulator against a small webhook receiver.

use atende_testkit::telegram::SECRET_HEADER;
use atende_testkit::{FakeTelegram, TelegramSimulator};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

type Received = Arc<Mutex<Vec<(HeaderMap, Vec<u8>)>>>;

const SECRET: &str = "tg-secret_1";
const TOKEN: &str = "7400123456:AAH-test_secret";
const BOT_ID: i64 = 7_400_123_456;
const CHAT: i64 = 5_093_842_217;

/// A receiver that stores each POST and answers 200.
async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    let app = Router::new()
        .route(
            "/tg/hook",
            post(
                |State(r): State<Received>, headers: HeaderMap, body: Bytes| async move {
                    r.lock().expect("lock").push((headers, body.to_vec()));
                    ""
                },
            ),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/tg/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

fn update_id(u: &Value) -> i64 {
    u["update_id"].as_i64().expect("update_id")
}

#[tokio::test]
async fn posts_updates_as_json_with_the_secret_header() {
    let (url, received) = receiver().await;
    let sim = TelegramSimulator::new(url, SECRET, BOT_ID);
    let client = reqwest::Client::new();

    let (text, text_id) = sim.text(CHAT, "Ana", "Meu pacote ainda não chegou");
    let (photo, photo_id) = sim.photo(CHAT, "Ana", "AgACAgEAAxkBAAIVkmZq", Some("Caixa amassada"));
    assert_eq!(photo_id, text_id + 1);
    assert_eq!(update_id(&photo), update_id(&text) + 1);
    assert_eq!(sim.post(&client, &text).await.status, 200);
    assert_eq!(sim.post(&client, &photo).await.status, 200);
    assert_eq!(sim.post_with_secret(&client, &text, None).await.status, 200);
    assert_eq!(
        sim.post_with_secret(&client, &text, Some("wrong"))
            .await
            .status,
        200
    );

    let got = received.lock().expect("lock").clone();
    assert_eq!(got.len(), 4);
    let (headers, body) = &got[0];
    assert_eq!(headers[SECRET_HEADER], SECRET);
    assert_eq!(headers["content-type"], "application/json");
    let parsed: Value = serde_json::from_slice(body).expect("JSON");
    assert_eq!(parsed, text);
    let m = &parsed["message"];
    assert_eq!(m["message_id"], text_id);
    assert_eq!(m["from"]["id"], CHAT);
    assert_eq!(m["from"]["is_bot"], false);
    assert_eq!(
        m["chat"],
        json!({"id": CHAT, "first_name": "Ana", "type": "private"})
    );
    assert_eq!(m["text"], "Meu pacote ainda não chegou");
    assert!(m["date"].as_i64().is_some());

    let photo: Value = serde_json::from_slice(&got[1].1).expect("JSON");
    let sizes = photo["message"]["photo"].as_array().expect("sizes");
    assert_eq!(sizes.len(), 3);
    assert_eq!(sizes[2]["file_id"], "AgACAgEAAxkBAAIVkmZq");
    assert!(sizes[0]["width"].as_i64() < sizes[2]["width"].as_i64());
    assert_eq!(photo["message"]["caption"], "Caixa amassada");

    assert!(got[2].0.get(SECRET_HEADER).is_none());
    assert_eq!(got[3].0[SECRET_HEADER], "wrong");
}

#[tokio::test]
async fn builders_cover_the_update_kinds() {
    let sim = TelegramSimulator::new("http://127.0.0.1:9/tg", SECRET, BOT_ID);
    let other_chat = TelegramSimulator::random_chat_id();
    let (a, a_id) = sim.text(CHAT, "Ana", "oi");
    let (b, b_id) = sim.text(other_chat, "Bia", "oi");
    assert!(a_id < 1_000_000 && b_id < 1_000_000);
    let mut ids = vec![update_id(&a), update_id(&b)];

    let (reply, _) = sim.reply(CHAT, "Ana", "ainda não", 1_000_003);
    assert_eq!(reply["message"]["reply_to_message"]["from"]["is_bot"], true);
    let (voice, _) = sim.voice(CHAT, "Ana", "AwACAgEAAxkBAAIVk2Zq");
    assert_eq!(voice["message"]["voice"]["mime_type"], "audio/ogg");
    let (doc, _) = sim.document(CHAT, "Ana", "BQACAgEAAxkB", "nota.pdf", "application/pdf");
    assert_eq!(doc["message"]["document"]["file_name"], "nota.pdf");
    let (venue, _) = sim.venue(CHAT, "Ana", -23.55, -46.63, "Loja Centro", "Rua A, 1");
    assert_eq!(venue["message"]["location"]["latitude"], -23.55);
    assert_eq!(venue["message"]["venue"]["title"], "Loja Centro");
    let (contact, _) = sim.contact(CHAT, "Ana", "+5511999990000", "Carlos", None);
    assert_eq!(contact["message"]["contact"]["first_name"], "Carlos");
    let album = sim.album(CHAT, "Ana", &["p1", "p2", "p3"], Some("fotos"));
    assert_eq!(album.len(), 3);
    let group = &album[0]["message"]["media_group_id"];
    assert!(
        group.is_string()
            && album
                .iter()
                .all(|u| &u["message"]["media_group_id"] == group)
    );
    assert_eq!(album[0]["message"]["caption"], "fotos");
    assert!(album[1]["message"].get("caption").is_none());
    let edited = sim.edited(CHAT, "Ana", a_id, "oi, boa tarde");
    assert!(edited["edited_message"]["edit_date"].as_i64().is_some());
    let (cb, cb_id) = sim.callback(CHAT, "Ana", 1_000_004, "csat:yes", "Sim");
    let q = &cb["callback_query"];
    assert_eq!(q["id"], json!(cb_id));
    assert_eq!(q["data"], "csat:yes");
    assert_eq!(q["message"]["from"]["id"], BOT_ID);
    assert_eq!(
        q["message"]["reply_markup"]["inline_keyboard"][0][0],
        json!({"text": "Sim", "callback_data": "csat:yes"})
    );
    let blocked = sim.blocked(CHAT, "Ana");
    let change = &blocked["my_chat_member"];
    assert_eq!(change["chat"]["type"], "private");
    assert_eq!(change["old_chat_member"]["status"], "member");
    assert_eq!(change["new_chat_member"]["status"], "kicked");
    assert_eq!(change["new_chat_member"]["user"]["id"], BOT_ID);
    let unblocked = sim.unblocked(CHAT, "Ana");
    assert_eq!(
        unblocked["my_chat_member"]["new_chat_member"]["status"],
        "member"
    );
    let (poll, _) = sim.poll(CHAT, "Ana", "Qual cor?", &["Azul", "Verde"]);
    assert_eq!(poll["message"]["poll"]["options"][1]["text"], "Verde");
    let reaction = sim.reaction(CHAT, "Ana", 1_000_000, "👍");
    assert_eq!(
        reaction["message_reaction"]["new_reaction"][0]["emoji"],
        "👍"
    );
    let (dice, _) = sim.unknown(CHAT, "Ana");
    assert!(dice["message"]["dice"].is_object());

    for u in [
        &reply, &voice, &doc, &venue, &contact, &album[0], &album[1], &album[2], &edited, &cb,
        &blocked, &unblocked, &poll, &reaction, &dice,
    ] {
        ids.push(update_id(u));
    }
    assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "{ids:?}");
    let (_, next) = sim.text(CHAT, "Ana", "de novo");
    assert_eq!(next, a_id + 11, "message ids count per chat");
}

#[tokio::test]
async fn a_linked_simulator_lets_the_bot_reply_to_customers() {
    let tg = FakeTelegram::start().await;
    tg.add_bot(TOKEN);
    let sim = TelegramSimulator::new("http://127.0.0.1:9/tg", SECRET, BOT_ID).linked(&tg);
    tg.add_file("AwACAgEAAxkBAAIVk2Zq", vec![1; 321], "audio/ogg");
    let (voice, voice_id) = sim.voice(CHAT, "Ana", "AwACAgEAAxkBAAIVk2Zq");
    assert_eq!(voice["message"]["voice"]["file_size"], 321);

    let client = reqwest::Client::new();
    let send = |body: Value| {
        let (client, url) = (
            client.clone(),
            format!("{}/bot{TOKEN}/sendMessage", tg.base_url()),
        );
        async move {
            let resp = client.post(url).json(&body).send().await.expect("answer");
            (
                resp.status().as_u16(),
                resp.json::<Value>().await.expect("json"),
            )
        }
    };
    let (status, body) = send(json!({"chat_id": CHAT, "text": "Recebido!", "reply_parameters": {"message_id": voice_id},
                                     "reply_markup": {"inline_keyboard": [[{"text": "Sim", "callback_data": "ok"}]]}})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["result"]["reply_to_message"]["voice"]["file_size"],
        321
    );

    let bot_msg = body["result"]["message_id"].as_i64().expect("id");
    let (reply, _) = sim.reply(CHAT, "Ana", "Valeu", bot_msg);
    assert_eq!(reply["message"]["reply_to_message"]["text"], "Recebido!");
    let (cb, _) = sim.callback(CHAT, "Ana", bot_msg, "ok", "Sim");
    assert_eq!(cb["callback_query"]["message"]["text"], "Recebido!");
}
