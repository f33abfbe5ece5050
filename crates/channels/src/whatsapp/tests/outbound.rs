//! Request bodies and URLs against the shapes of channels.md §1.7–§1.9.

use serde_json::{Value, json};

use crate::whatsapp::{
    DEFAULT_VERSION, MediaKind, MediaRef, Outbound, Recipient, mark_read_body, media_url,
    messages_url, send_body, templates_url, upload_url,
};

fn phone() -> Recipient {
    Recipient::Phone("+16505551234".to_owned())
}

/// `{"messaging_product","recipient_type","to","type", <type>: payload}`.
fn base(kind: &str, payload: Value) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "16505551234",
        "type": kind,
        kind: payload,
    })
}

#[test]
fn text_location_contacts_and_reaction_bodies() {
    let text = Outbound::Text {
        body: "Olá!".into(),
        preview_url: true,
    };
    assert_eq!(
        send_body(&phone(), &text, None, None),
        base("text", json!({"body": "Olá!", "preview_url": true}))
    );

    let location = Outbound::Location {
        latitude: 37.48,
        longitude: -122.14,
        name: Some("HQ".into()),
        address: Some("1 Hacker Way".into()),
    };
    assert_eq!(
        send_body(&phone(), &location, None, None),
        base(
            "location",
            json!({"latitude": 37.48, "longitude": -122.14, "name": "HQ", "address": "1 Hacker Way"})
        )
    );
    let bare = Outbound::Location {
        latitude: 1.5,
        longitude: 2.0,
        name: None,
        address: None,
    };
    assert_eq!(
        send_body(&phone(), &bare, None, None),
        base("location", json!({"latitude": 1.5, "longitude": 2.0}))
    );

    let card = json!({"name": {"formatted_name": "Jane Doe", "first_name": "Jane"},
                      "phones": [{"phone": "+16505550000", "type": "CELL", "wa_id": "16505550000"}]});
    let contacts = Outbound::Contacts {
        contacts: vec![card.clone()],
    };
    assert_eq!(
        send_body(&phone(), &contacts, None, None),
        base("contacts", json!([card]))
    );

    let react = Outbound::Reaction {
        message_id: "wamid.X".into(),
        emoji: "👍".into(),
    };
    assert_eq!(
        send_body(&phone(), &react, None, None),
        base("reaction", json!({"message_id": "wamid.X", "emoji": "👍"}))
    );
    let unreact = Outbound::Reaction {
        message_id: "wamid.X".into(),
        emoji: String::new(),
    };
    assert_eq!(
        send_body(&phone(), &unreact, None, None),
        base("reaction", json!({"message_id": "wamid.X", "emoji": ""}))
    );
}

#[test]
fn media_bodies_keep_caption_and_filename_only_where_allowed() {
    let media = |kind, media, caption: Option<&str>, filename: Option<&str>| Outbound::Media {
        kind,
        media,
        caption: caption.map(str::to_owned),
        filename: filename.map(str::to_owned),
    };
    let link = || MediaRef::Link("https://example.com/f".into());
    let id = || MediaRef::Id("1037543291543636".into());
    let cases = [
        (
            media(MediaKind::Image, id(), None, None),
            json!({"id": "1037543291543636"}),
        ),
        (
            media(MediaKind::Image, link(), Some("Foto"), Some("x.jpg")),
            json!({"link": "https://example.com/f", "caption": "Foto"}),
        ),
        (
            media(MediaKind::Video, link(), Some("Vídeo"), None),
            json!({"link": "https://example.com/f", "caption": "Vídeo"}),
        ),
        (
            media(MediaKind::Audio, id(), Some("ignored"), Some("a.ogg")),
            json!({"id": "1037543291543636"}),
        ),
        (
            media(
                MediaKind::Document,
                link(),
                Some("Sua nota"),
                Some("invoice.pdf"),
            ),
            json!({"link": "https://example.com/f", "caption": "Sua nota", "filename": "invoice.pdf"}),
        ),
        (
            media(MediaKind::Sticker, id(), Some("ignored"), None),
            json!({"id": "1037543291543636"}),
        ),
    ];
    for (msg, payload) in cases {
        let Outbound::Media { kind, .. } = &msg else {
            unreachable!()
        };
        assert_eq!(
            send_body(&phone(), &msg, None, None),
            base(kind.as_str(), payload),
            "{msg:?}"
        );
    }
}

#[test]
fn template_body_matches_the_spec_example() {
    let components = vec![
        json!({"type":"header","parameters":[{"type":"image","image":{"link":"https://example.com/box.png"}}]}),
        json!({"type":"body","parameters":[
            {"type":"text","text":"Sheena"},
            {"type":"currency","currency":{"fallback_value":"$100.99","code":"USD","amount_1000":100990}},
            {"type":"date_time","date_time":{"fallback_value":"May 3, 2026"}}]}),
        json!({"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"STOP_UPDATES"}]}),
        json!({"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"ord-8812"}]}),
    ];
    let msg = Outbound::Template {
        name: "order_update".into(),
        language: "en_US".into(),
        components: components.clone(),
    };
    // §1.7's example plus the base body's `recipient_type`.
    let expected = json!({"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234","type":"template",
        "template":{"name":"order_update","language":{"code":"en_US"},"components":components}});
    assert_eq!(send_body(&phone(), &msg, None, None), expected);

    let plain = Outbound::Template {
        name: "hello_world".into(),
        language: "pt_BR".into(),
        components: vec![],
    };
    assert_eq!(
        send_body(&phone(), &plain, None, None),
        base(
            "template",
            json!({"name": "hello_world", "language": {"code": "pt_BR"}})
        )
    );
}

#[test]
fn interactive_reply_context_bsuid_and_callback_data() {
    let buttons = json!({"type":"button","body":{"text":"Confirma?"},
        "action":{"buttons":[{"type":"reply","reply":{"id":"yes","title":"Sim"}}]}});
    let msg = Outbound::Interactive {
        interactive: buttons.clone(),
    };
    assert_eq!(
        send_body(&phone(), &msg, None, None),
        base("interactive", buttons.clone())
    );

    let to = Recipient::UserId("US.13491208655302741918".into());
    let text = Outbound::Text {
        body: "Oi".into(),
        preview_url: false,
    };
    assert_eq!(
        send_body(&to, &text, Some("wamid.QUOTED"), Some("att=42")),
        json!({"messaging_product":"whatsapp","recipient_type":"individual","recipient":"US.13491208655302741918",
               "type":"text","text":{"body":"Oi","preview_url":false},
               "context":{"message_id":"wamid.QUOTED"},"biz_opaque_callback_data":"att=42"})
    );
    let spaced = Recipient::Phone("+55 (11) 98765-4321".into());
    assert_eq!(send_body(&spaced, &text, None, None)["to"], "5511987654321");
}

#[test]
fn mark_read_and_typing_bodies() {
    assert_eq!(
        mark_read_body("wamid.A", false),
        json!({"messaging_product":"whatsapp","status":"read","message_id":"wamid.A"})
    );
    assert_eq!(
        mark_read_body("wamid.A", true),
        json!({"messaging_product":"whatsapp","status":"read","message_id":"wamid.A","typing_indicator":{"type":"text"}})
    );
}

#[test]
fn graph_urls() {
    let base = "https://graph.facebook.com";
    assert_eq!(DEFAULT_VERSION, "v25.0");
    assert_eq!(
        messages_url(base, "v25.0", "106540352242922"),
        "https://graph.facebook.com/v25.0/106540352242922/messages"
    );
    assert_eq!(
        messages_url("http://127.0.0.1:9000/", "v26.0", "1"),
        "http://127.0.0.1:9000/v26.0/1/messages"
    );
    assert_eq!(
        media_url(base, DEFAULT_VERSION, "1003383421387256"),
        "https://graph.facebook.com/v25.0/1003383421387256"
    );
    assert_eq!(
        media_url(base, "v25.0", "a/../b"),
        "https://graph.facebook.com/v25.0/a%2F..%2Fb"
    );
    assert_eq!(
        upload_url(base, "v25.0", "106540352242922"),
        "https://graph.facebook.com/v25.0/106540352242922/media"
    );
    let first = "https://graph.facebook.com/v25.0/102290129340398/message_templates?fields=name,status,category,language,components,parameter_format&limit=100";
    assert_eq!(templates_url(base, "v25.0", "102290129340398", None), first);
    assert_eq!(
        templates_url(base, "v25.0", "102290129340398", Some("QVFI+a/b=")),
        format!("{first}&after=QVFI%2Ba%2Fb%3D")
    );
}
