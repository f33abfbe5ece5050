use serde_json::Value;

use crate::support::Tg;

/// The stored messages of a conversation as `(kind, text)`.
async fn kinds(tg: &Tg, conv: &str) -> Vec<(String, String)> {
    tg.messages(conv)
        .await
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap_or_default().to_string(),
                m["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_message_type_is_stored_once_in_the_contacts_chat() {
    let tg = Tg::start().await;
    let chat = 5_123_456_789;
    let name = "Sônia";
    tg.fake
        .add_file("ph-large", b"\x89PNG-bytes".to_vec(), "image/jpeg");
    tg.fake
        .add_file("doc-1", b"%PDF-1.7 contrato".to_vec(), "application/pdf");
    tg.fake
        .add_file("voice-1", b"OggS-voice".to_vec(), "audio/ogg");
    let conv = tg.customer_writes(chat, name, "Oi, bom dia!").await;
    let c = tg.admin.conversation(&conv).await;
    assert_eq!(c["channel"], "telegram");
    assert_eq!(c["window"], "none", "Telegram has no 24 h window");
    assert_eq!(c["window_expires_at"], Value::Null);
    let s = &tg.sim;
    let updates = vec![
        s.photo(chat, name, "ph-large", Some("A nota")).0,
        s.document(chat, name, "doc-1", "contrato.pdf", "application/pdf")
            .0,
        s.voice(chat, name, "voice-1").0,
        s.audio(chat, name, "audio-1", "audio/mpeg").0,
        s.video(chat, name, "video-1", None).0,
        s.sticker(chat, name, "sticker-1").0,
        s.location(chat, name, -23.55, -46.63).0,
        s.venue(chat, name, -22.9, -43.2, "Loja Centro", "Rua A, 1")
            .0,
        s.contact(chat, name, "+5511988887777", "Bruno", Some("Lima"))
            .0,
        s.poll(chat, name, "Melhor horário?", &["Manhã", "Tarde"]).0,
    ];
    for u in &updates {
        tg.post(u).await;
    }
    // Telegram delivers again after a lost answer: nothing doubles.
    for u in &updates {
        tg.post(u).await;
    }
    let got = kinds(&tg, &conv).await;
    let want = [
        ("text", "Oi, bom dia!"),
        ("image", "A nota"),
        ("document", ""),
        ("audio", ""),
        ("audio", ""),
        ("video", ""),
        ("sticker", ""),
        ("location", ""),
        ("location", "Loja Centro — Rua A, 1"),
        ("contacts", "Bruno Lima"),
        ("unsupported", ""),
    ];
    let kinds_only: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds_only,
        want.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        "{got:?}"
    );
    assert_eq!(got[1].1, "A nota");
    assert_eq!(got[8].1, "Loja Centro — Rua A, 1");
    assert_eq!(got[9].1, "Bruno Lima");
    // The largest photo size is fetched through getFile and kept.
    let photo = tg
        .until(async || {
            tg.messages(&conv)
                .await
                .into_iter()
                .find(|m| m["kind"] == "image" && m["media"]["status"] == "stored")
        })
        .await;
    assert_eq!(photo["media"]["size"], 10);
    let url = photo["media"]["url"].as_str().unwrap();
    // Links are made with the public URL; the test server is local.
    let url = tg.app.url(url.trim_start_matches(crate::support::PUBLIC));
    let file: Vec<u8> = tg
        .admin
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    assert_eq!(file, b"\x89PNG-bytes");
    // A file Telegram does not have fails on its own; the message stays.
    let audio = tg
        .until(async || {
            tg.messages(&conv)
                .await
                .into_iter()
                .find(|m| m["kind"] == "audio" && m["media"]["status"] == "failed")
        })
        .await;
    assert!(audio["media"]["error"].as_str().is_some());
}

#[tokio::test]
async fn out_of_order_albums_and_replies_keep_every_message() {
    let tg = Tg::start().await;
    let chat = 6_100_000_001;
    let conv = tg.customer_writes(chat, "Caio", "Primeira").await;
    let album = tg
        .sim
        .album(chat, "Caio", &["a1", "a2", "a3"], Some("Fotos"));
    // Out of order: the last photo first.
    for u in album.iter().rev() {
        tg.post(u).await;
    }
    let (second, _) = tg.sim.text(chat, "Caio", "Segunda");
    let (third, _) = tg.sim.text(chat, "Caio", "Terceira");
    tg.post(&third).await;
    tg.post(&second).await;
    let got = kinds(&tg, &conv).await;
    assert_eq!(got.len(), 6, "{got:?}");
    assert_eq!(got.iter().filter(|(k, _)| k == "image").count(), 3);
    let groups: Vec<Value> = tg
        .messages(&conv)
        .await
        .iter()
        .filter(|m| m["kind"] == "image")
        .map(|m| m["payload"]["raw"]["media_group_id"].clone())
        .collect();
    assert!(groups.iter().all(|g| g.is_string() && *g == groups[0]));
}

#[tokio::test]
async fn a_bad_or_missing_secret_is_401_and_stores_nothing() {
    let tg = Tg::start().await;
    let (update, _) = tg.sim.text(7_000_000_001, "Intruso", "forjado");
    for secret in [Some("wrong-secret"), None, Some("")] {
        let r = tg.sim.post_with_secret(&tg.http, &update, secret).await;
        assert_eq!(r.status, 401, "{secret:?}: {}", r.body);
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["error"]["code"], "bad_signature");
    }
    // Another inbox's path, or no inbox: not acknowledged, nothing stored.
    let other = tg
        .app
        .url("/webhooks/telegram/0190b6a4-0000-7000-8000-000000000000");
    let r = tg
        .http
        .post(other)
        .header("x-telegram-bot-api-secret-token", "x")
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = tg.sim.post_raw(&tg.http, b"{not json".to_vec(), None).await;
    assert_eq!(
        r.status, 401,
        "the secret is checked before the body is read"
    );
    assert!(tg.conversations().await.is_empty());
}

#[tokio::test]
async fn a_button_press_is_a_reply_and_is_answered() {
    let tg = Tg::start().await;
    let chat = 5_200_000_002;
    let conv = tg.customer_writes(chat, "Davi", "Oi").await;
    let (update, query) = tg
        .sim
        .callback(chat, "Davi", 1_000_000, "opt_vendas", "Vendas");
    tg.post(&update).await;
    tg.post(&update).await;
    let msgs = tg.messages(&conv).await;
    let replies: Vec<&Value> = msgs.iter().filter(|m| m["kind"] == "interactive").collect();
    assert_eq!(replies.len(), 1, "{msgs:?}");
    assert_eq!(replies[0]["text"], "Vendas");
    let answered = tg
        .until(async || Some(tg.fake.answered_callbacks()).filter(|a| !a.is_empty()))
        .await;
    assert!(answered.contains(&query), "{answered:?}");
}

#[tokio::test]
async fn an_edit_updates_the_message_and_a_block_shows_in_the_chat() {
    let tg = Tg::start().await;
    let chat = 5_300_000_003;
    let (update, id) = tg.sim.text(chat, "Eva", "Pedido 123");
    tg.post(&update).await;
    let conv = tg.conversation_of("Eva").await;
    let edit = tg.sim.edited(chat, "Eva", id, "Pedido 124");
    tg.post(&edit).await;
    tg.post(&edit).await;
    let msgs = tg.messages(&conv).await;
    assert_eq!(msgs.len(), 1, "an edit is not a new message: {msgs:?}");
    assert_eq!(
        msgs[0]["text"], "Pedido 124",
        "the message shows its new text"
    );
    assert_eq!(msgs[0]["payload"]["original_text"], "Pedido 123");
    assert!(msgs[0]["payload"]["edited"]["at"].as_i64().unwrap() > 0);
    // A second edit keeps the first text as the original.
    let edit2 = tg.sim.edited(chat, "Eva", id, "Pedido 125");
    tg.post(&edit2).await;
    let msgs = tg.messages(&conv).await;
    assert_eq!(msgs[0]["text"], "Pedido 125");
    assert_eq!(msgs[0]["payload"]["original_text"], "Pedido 123");

    tg.post(&tg.sim.blocked(chat, "Eva")).await;
    let msgs = tg.messages(&conv).await;
    let last = msgs.last().unwrap();
    assert_eq!(last["author_kind"], "system");
    assert_eq!(last["text"], "O contato bloqueou o bot.");
}

#[tokio::test]
async fn each_chat_row_previews_its_newest_message() {
    let tg = Tg::start().await;
    let chat = 5_600_000_006;
    let conv = tg.customer_writes(chat, "Rui", "Oi").await;
    let row = async || {
        tg.conversations()
            .await
            .into_iter()
            .find(|c| c["id"] == conv.as_str())
            .unwrap()["last_message"]
            .clone()
    };
    assert_eq!(
        row().await,
        serde_json::json!({"kind": "text", "text": "Oi", "internal": false, "direction": "in", "author_kind": "contact"})
    );
    tg.post(&tg.sim.photo(chat, "Rui", "ph-x", None).0).await;
    let last = row().await;
    assert_eq!(
        (last["kind"].as_str(), &last["text"]),
        (Some("image"), &Value::Null)
    );
    // An agent's note: marked internal; the "assumiu" line is not a preview.
    tg.reply(
        &conv,
        serde_json::json!({"text": "Cliente VIP", "internal": true}),
    )
    .await;
    let last = row().await;
    assert_eq!(last["internal"], true);
    assert_eq!(last["author_kind"], "agent");
    assert_eq!(last["text"], "Cliente VIP");
    // A long text is cut to one line of 140 characters.
    let long = format!("Linha um\n{}", "palavra ".repeat(40));
    tg.post(&tg.sim.text(chat, "Rui", &long).0).await;
    let text = row().await["text"].as_str().unwrap().to_string();
    assert_eq!(text.chars().count(), 140);
    assert!(
        text.starts_with("Linha um palavra") && text.ends_with('…'),
        "{text}"
    );
    // The single chat's own read says the same.
    assert_eq!(
        tg.admin.conversation(&conv).await["last_message"]["text"],
        text
    );
}
