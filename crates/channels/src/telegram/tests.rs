//! The Telegram adapter against channels.md §3.6's fixtures.

use serde_json::json;

use super::*;
use crate::inbound::{Content, MediaKind};

const TOKEN: &str = "7400123456:AAH-secret";

fn bot() -> BotApi {
    BotApi::for_token(TOKEN).unwrap()
}

fn one(body: serde_json::Value) -> Inbound {
    let mut events = bot().parse(body.to_string().as_bytes()).unwrap();
    assert_eq!(events.len(), 1);
    events.remove(0)
}

fn message(body: serde_json::Value) -> crate::inbound::Message {
    match one(body) {
        Inbound::Message(m) => m,
        other => panic!("not a message: {other:?}"),
    }
}

#[test]
fn the_bot_id_comes_from_its_token() {
    assert_eq!(bot().bot_id(), "7400123456");
    for bad in ["", "abc:def", "123", "123:", ":abc"] {
        assert_eq!(BotApi::for_token(bad), None, "{bad}");
    }
}

#[test]
fn only_the_exact_secret_token_verifies() {
    let b = bot();
    let header = |v: Option<&'static str>| {
        move |name: &str| {
            (name == SECRET_HEADER)
                .then(|| v.map(str::to_string))
                .flatten()
        }
    };
    assert!(b.verify("s3cr3t_-A", b"{}", &header(Some("s3cr3t_-A"))));
    assert!(!b.verify("s3cr3t_-A", b"{}", &header(Some("s3cr3t_-B"))));
    assert!(!b.verify("s3cr3t_-A", b"{}", &header(Some("s3cr3t_-A "))));
    assert!(!b.verify("s3cr3t_-A", b"{}", &header(None)));
    assert!(!b.verify("", b"{}", &header(Some(""))));
}

/// TG-1: a private text replying to one of our messages.
#[test]
fn tg1_a_reply_names_the_message_it_quotes() {
    let m = message(json!({"update_id":824519301,"message":{"message_id":5521,
        "from":{"id":5093842217_i64,"is_bot":false,"first_name":"Ana","last_name":"Lopes","username":"analopes","language_code":"pt-br"},
        "chat":{"id":5093842217_i64,"first_name":"Ana","last_name":"Lopes","username":"analopes","type":"private"},
        "date":1749416383,"text":"My package still hasn't arrived",
        "reply_to_message":{"message_id":5519,"from":{"id":7400123456_i64,"is_bot":true,"first_name":"Acme Support","username":"acme_support_bot"},
            "chat":{"id":5093842217_i64,"first_name":"Ana","last_name":"Lopes","username":"analopes","type":"private"},"date":1749416001,"text":"Hi Ana! How can we help?"}}}));
    assert_eq!(m.address, "7400123456");
    assert_eq!(m.id, "5093842217:5521");
    assert_eq!(m.sender.key.as_deref(), Some("5093842217"));
    assert_eq!(m.sender.name.as_deref(), Some("Ana Lopes"));
    assert_eq!(m.sender.username.as_deref(), Some("analopes"));
    assert_eq!(m.timestamp, 1749416383);
    assert_eq!(
        m.content,
        Content::Text {
            body: "My package still hasn't arrived".into()
        }
    );
    let ctx = m.context.unwrap();
    assert_eq!(ctx.id.as_deref(), Some("5093842217:5519"));
    assert_eq!(ctx.from.as_deref(), Some("7400123456"));
}

/// TG-2: a photo keeps its largest size and caption; a voice note is audio
/// marked as voice.
#[test]
fn tg2_photo_takes_the_largest_size_and_voice_is_a_voice_note() {
    let photo = message(json!({"update_id":824519302,"message":{"message_id":5522,
        "from":{"id":5093842217_i64,"is_bot":false,"first_name":"Ana","username":"analopes","language_code":"pt-br"},
        "chat":{"id":5093842217_i64,"first_name":"Ana","username":"analopes","type":"private"},"date":1749416401,
        "photo":[{"file_id":"small","file_unique_id":"AQADtawxG8Kh4FZ4","file_size":1583,"width":90,"height":67},
                 {"file_id":"large","file_unique_id":"AQADtawxG8Kh4FZ-","file_size":84211,"width":1280,"height":960}],
        "caption":"Box arrived crushed"}}));
    match photo.content {
        Content::Media {
            kind,
            id,
            caption,
            voice,
            ..
        } => {
            assert_eq!(
                (kind, id.as_deref(), caption.as_deref(), voice),
                (
                    MediaKind::Image,
                    Some("large"),
                    Some("Box arrived crushed"),
                    false
                )
            );
        }
        other => panic!("{other:?}"),
    }
    let voice = message(
        json!({"update_id":824519303,"message":{"message_id":5523,"from":{"id":5093842217_i64,"is_bot":false,"first_name":"Ana"},
        "chat":{"id":5093842217_i64,"first_name":"Ana","type":"private"},"date":1749416420,
        "voice":{"duration":4,"mime_type":"audio/ogg","file_id":"AwACAgEAAxkB","file_unique_id":"AgADiQQAAsKh4FY","file_size":11833}}}),
    );
    match voice.content {
        Content::Media {
            kind,
            id,
            mime_type,
            voice,
            ..
        } => {
            assert_eq!(
                (kind, id.as_deref(), mime_type.as_deref(), voice),
                (
                    MediaKind::Audio,
                    Some("AwACAgEAAxkB"),
                    Some("audio/ogg"),
                    true
                )
            );
        }
        other => panic!("{other:?}"),
    }
}

/// TG-3: a button press is a reply with the button's data and text.
#[test]
fn tg3_a_button_press_is_a_reply_naming_the_button() {
    let m = message(
        json!({"update_id":824519304,"callback_query":{"id":"4382913650923147801","from":{"id":5093842217_i64,"is_bot":false,"first_name":"Ana"},
        "message":{"message_id":5524,"from":{"id":7400123456_i64,"is_bot":true,"first_name":"Acme Support","username":"acme_support_bot"},
            "chat":{"id":5093842217_i64,"first_name":"Ana","type":"private"},"date":1749416430,"text":"Was this helpful?",
            "reply_markup":{"inline_keyboard":[[{"text":"Yes","callback_data":"csat:yes"},{"text":"No","callback_data":"csat:no"}]]}},
        "chat_instance":"-3719925318837412566","data":"csat:yes"}}),
    );
    assert_eq!(m.id, "cb:4382913650923147801");
    assert_eq!(m.sender.key.as_deref(), Some("5093842217"));
    assert_eq!(
        m.content,
        Content::InteractiveReply {
            kind: "button_reply".into(),
            id: Some("csat:yes".into()),
            title: Some("Yes".into()),
            description: None,
            response_json: None,
        }
    );
    assert_eq!(m.context.unwrap().id.as_deref(), Some("5093842217:5524"));
}

#[test]
fn places_contacts_edits_and_blocks_are_read() {
    let base = |extra: serde_json::Value| {
        let mut m = json!({"message_id": 7, "chat": {"id": 42, "type": "private", "first_name": "Bia"}, "date": 1700000000});
        m.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        m
    };
    let venue = message(json!({"update_id": 1, "message": base(json!({
        "location": {"latitude": -23.5, "longitude": -46.6},
        "venue": {"location": {"latitude": -23.5, "longitude": -46.6}, "title": "Loja", "address": "Av. Paulista, 1000"}}))}));
    assert!(
        matches!(venue.content, Content::Location { latitude, name: Some(ref n), .. } if latitude == -23.5 && n == "Loja")
    );
    let card = message(
        json!({"update_id": 2, "message": base(json!({"contact": {"phone_number": "+5511999990000", "first_name": "Caio", "last_name": "Reis"}}))}),
    );
    match card.content {
        Content::Contacts { contacts } => {
            assert_eq!(contacts[0]["name"]["formatted_name"], "Caio Reis");
            assert_eq!(contacts[0]["phones"][0]["phone"], "+5511999990000");
        }
        other => panic!("{other:?}"),
    }
    let edit = message(
        json!({"update_id": 3, "edited_message": base(json!({"text": "corrigido", "edit_date": 1700000100}))}),
    );
    assert_eq!(edit.id, "42:7:e1700000100");
    assert!(
        matches!(edit.content, Content::Edit { original_message_id: Some(ref id), .. } if id == "42:7")
    );
    let blocked = message(
        json!({"update_id": 4, "my_chat_member": {"chat": {"id": 42, "type": "private", "first_name": "Bia"},
        "from": {"id": 42, "first_name": "Bia"}, "date": 1700000200,
        "old_chat_member": {"status": "member", "user": {"id": 7400123456_i64}},
        "new_chat_member": {"status": "kicked", "user": {"id": 7400123456_i64}, "until_date": 0}}}),
    );
    assert!(
        matches!(blocked.content, Content::System { kind: Some(ref k), .. } if k == "blocked_bot")
    );
    let sticker = message(
        json!({"update_id": 5, "message": base(json!({"sticker": {"file_id": "st", "file_unique_id": "u", "type": "regular", "width": 512, "height": 512, "is_animated": true, "is_video": false}}))}),
    );
    assert!(matches!(
        sticker.content,
        Content::Media {
            kind: MediaKind::Sticker,
            animated: true,
            ..
        }
    ));
    let poll = message(json!({"update_id": 6, "message": base(json!({"poll": {"id": "p"}}))}));
    assert_eq!(
        poll.content,
        Content::Unsupported {
            kind: "poll".into()
        }
    );
}

#[test]
fn other_updates_are_ignored_and_bad_bodies_refused() {
    assert_eq!(
        one(json!({"update_id": 9, "channel_post": {"message_id": 1}})),
        Inbound::Ignored {
            what: "channel_post".into()
        }
    );
    assert!(matches!(bot().parse(b"{]"), Err(ParseError::NotJson(_))));
    assert_eq!(
        bot().parse(b"{\"message\": {}}"),
        Err(ParseError::NoUpdateId)
    );
}

#[test]
fn sends_build_their_method_and_body() {
    let b = bot();
    let menu = Outbound::Text {
        text: "Escolha:".into(),
        buttons: vec![vec![
            Button {
                text: "Vendas".into(),
                data: "menu:vendas".into(),
            },
            Button {
                text: "Longo".into(),
                data: "é".repeat(40),
            },
        ]],
    };
    assert_eq!(menu.method(), "sendMessage");
    let body = b.send_body(
        &ChatId(5093842217),
        &menu,
        Some("5093842217:5521"),
        Some("ignored"),
    );
    assert_eq!(body["chat_id"], 5093842217_i64);
    assert_eq!(body["reply_parameters"]["message_id"], 5521);
    assert_eq!(
        body["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "menu:vendas"
    );
    let data = body["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
        .as_str()
        .unwrap();
    assert_eq!(data.len(), 64);
    assert!(body.get("biz_opaque_callback_data").is_none());
    let voice = Outbound::Media {
        kind: MediaKind::Audio,
        file: "AwAC".into(),
        caption: None,
        voice: true,
    };
    assert_eq!(voice.method(), "sendVoice");
    assert_eq!(
        b.send_body(&ChatId(-100), &voice, None, None),
        json!({"chat_id": -100, "voice": "AwAC"})
    );
    let photo = Outbound::Media {
        kind: MediaKind::Image,
        file: "https://x/y.jpg".into(),
        caption: Some("c".repeat(2000)),
        voice: false,
    };
    let body = b.send_body(&ChatId(1), &photo, None, None);
    assert_eq!(
        (photo.method(), body["photo"].as_str()),
        ("sendPhoto", Some("https://x/y.jpg"))
    );
    assert_eq!(body["caption"].as_str().unwrap().chars().count(), 1024);
}

#[test]
fn long_texts_split_at_line_breaks_within_the_limit() {
    let text = format!("{}\n{}", "a".repeat(4000), "b".repeat(5000));
    let parts = split_text(&text);
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[0], "a".repeat(4000));
    assert!(parts.iter().all(|p| p.chars().count() <= TEXT_LIMIT));
    assert_eq!(parts[1..].concat(), "b".repeat(5000));
    assert_eq!(split_text("oi"), vec!["oi".to_string()]);
    assert_eq!(split_text(""), vec![String::new()]);
}

/// TG-3's answers: success, a flood wait (exactly `retry_after`), a
/// blocked bot (not retried), a bad token.
#[test]
fn answers_are_read_and_classified() {
    let b = bot();
    let ok = json!({"ok":true,"result":{"message_id":5525,"chat":{"id":5093842217_i64,"type":"private"},"date":1749416440,"text":"Thanks for the feedback!"}});
    assert_eq!(
        b.read_send(200, ok.to_string().as_bytes())
            .unwrap()
            .message_id,
        Some(5525)
    );
    let flood = json!({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}});
    let e = b.read_send(429, flood.to_string().as_bytes()).unwrap_err();
    assert_eq!(
        (b.classify(&e), e.retry_after),
        (ErrorClass::RateLimited, Some(35))
    );
    let blocked =
        json!({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"});
    let e = b
        .read_send(403, blocked.to_string().as_bytes())
        .unwrap_err();
    assert_eq!(
        (b.classify(&e), e.description.as_str()),
        (
            ErrorClass::Permanent,
            "Forbidden: bot was blocked by the user"
        )
    );
    let token = json!({"ok":false,"error_code":401,"description":"Unauthorized"});
    assert_eq!(
        b.classify(&b.read_send(401, token.to_string().as_bytes()).unwrap_err()),
        ErrorClass::Reauth
    );
    let gateway = b.read_send(502, b"<html>Bad Gateway</html>").unwrap_err();
    assert_eq!(
        (gateway.class, gateway.description.as_str()),
        (ErrorClass::Retryable, "<html>Bad Gateway</html>")
    );
}
