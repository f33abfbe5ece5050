//! The Meta adapter against channels.md §2.6's fixtures.

use serde_json::json;

use super::*;
use crate::inbound::{Content, Delivery, Inbound, MediaKind};

pub(super) const MI1: &str = r#"{"object":"page","entry":[
 {"id":"104729158213345","time":1749416383512,"messaging":[{"sender":{"id":"6754893210987654"},"recipient":{"id":"104729158213345"},"timestamp":1749416383170,
   "message":{"mid":"m_Zk3bF1sV0aQ8yH2xT9pL4cRgN7uE6wJ5oI1mK0dS3fA9hG2jB8vC4xZ7nQ1","text":"Where is my order?","quick_reply":{"payload":"ORDER_STATUS"}}}]},
 {"id":"104729158213345","time":1749416384020,"messaging":[{"sender":{"id":"6754893210987654"},"recipient":{"id":"104729158213345"},"timestamp":1749416383991,
   "postback":{"mid":"m_Pq8sL2tY6uH1jK4gF7dS0aZ3xC9vB5nM2wE8rT1yU6iO4pA7sD0fG3hJ9kL","title":"Talk to an agent","payload":"HUMAN_HANDOFF"}}]}]}"#;

pub(super) const MI2: &str = r#"{"object":"instagram","entry":[
 {"id":"17841405822304914","time":1749416500321,"messaging":[{"sender":{"id":"7123456789012345"},"recipient":{"id":"17841405822304914"},"timestamp":1749416499876,
   "message":{"mid":"aWdfZAG1-img","attachments":[{"type":"image","payload":{"url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=18012345678901234&signature=AbCdEf"}}]}}]},
 {"id":"17841405822304914","time":1749416501002,"messaging":[{"sender":{"id":"7123456789012345"},"recipient":{"id":"17841405822304914"},"timestamp":1749416500950,
   "message":{"mid":"aWdfZAG1-story","attachments":[{"type":"story_mention","payload":{"url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17999999999999999&signature=XyZ"}}]}}]},
 {"id":"17841405822304914","time":1749416560114,"messaging":[{"sender":{"id":"17841405822304914"},"recipient":{"id":"7123456789012345"},"timestamp":1749416560001,
   "message":{"mid":"aWdfZAG1-echo","text":"Thanks for the mention!","is_echo":true}}]}]}"#;

pub(super) const MI3: &str = r#"{"object":"page","entry":[
 {"id":"104729158213345","time":1749416600100,"messaging":[{"sender":{"id":"6754893210987654"},"recipient":{"id":"104729158213345"},
   "delivery":{"mids":["m_Ab12Cd34"],"watermark":1749416599800}}]},
 {"id":"104729158213345","time":1749416605200,"messaging":[{"sender":{"id":"6754893210987654"},"recipient":{"id":"104729158213345"},"timestamp":1749416605000,
   "read":{"watermark":1749416599800}}]}]}"#;

fn parse(body: &str) -> (Product, Vec<Inbound>) {
    parse_webhook(body.as_bytes()).unwrap()
}

fn message(e: &Inbound) -> &crate::inbound::Message {
    match e {
        Inbound::Message(m) => m,
        other => panic!("not a message: {other:?}"),
    }
}

#[test]
fn mi1_every_entry_is_read_a_quick_reply_and_a_postback() {
    let (product, events) = parse(MI1);
    assert_eq!(product, Product::Messenger);
    assert_eq!(events.len(), 2, "never only the first entry");
    let q = message(&events[0]);
    assert_eq!(q.address, "104729158213345");
    assert_eq!(q.sender.key.as_deref(), Some("6754893210987654"));
    assert_eq!(q.timestamp, 1_749_416_383);
    assert!(q.id.starts_with("m_Zk3"));
    assert_eq!(
        q.content,
        Content::InteractiveReply {
            kind: "quick_reply".into(),
            id: Some("ORDER_STATUS".into()),
            title: Some("Where is my order?".into()),
            description: None,
            response_json: None,
        }
    );
    let p = message(&events[1]);
    assert!(
        matches!(&p.content, Content::InteractiveReply { kind, id: Some(id), title: Some(t), .. }
        if kind == "postback" && id == "HUMAN_HANDOFF" && t == "Talk to an agent")
    );
    assert!(p.id.starts_with("m_Pq8"));
}

#[test]
fn mi2_an_image_a_story_mention_and_an_echo_that_is_never_the_customers() {
    let (product, events) = parse(MI2);
    assert_eq!(product, Product::Instagram);
    assert_eq!(events.len(), 3);
    let img = message(&events[0]);
    let Content::Media { kind, id, url, .. } = &img.content else {
        panic!("{img:?}")
    };
    assert_eq!(*kind, MediaKind::Image);
    assert!(
        url.as_deref()
            .unwrap()
            .starts_with("https://lookaside.fbsbx.com/")
    );
    assert_eq!(id, url, "the CDN link is what the file is fetched by");
    let story = message(&events[1]);
    assert!(
        matches!(&story.content, Content::StoryMention { url: Some(u) } if u.contains("17999999999999999"))
    );
    let Inbound::Receipt(echo) = &events[2] else {
        panic!("an echo is a receipt of our send: {:?}", events[2])
    };
    assert_eq!(
        echo.address, "17841405822304914",
        "ours is the echo's sender"
    );
    assert_eq!(echo.recipient.as_deref(), Some("7123456789012345"));
    assert_eq!(echo.state, Delivery::Sent);
    assert_eq!(echo.id, "aWdfZAG1-echo");
}

#[test]
fn mi3_delivery_names_its_mids_and_both_receipts_carry_a_watermark() {
    let (_, events) = parse(MI3);
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(
        matches!(&events[0], Inbound::Receipt(r) if r.id == "m_Ab12Cd34" && r.state == Delivery::Delivered)
    );
    assert_eq!(
        events[1],
        Inbound::Watermark(crate::inbound::Watermark {
            address: "104729158213345".into(),
            recipient: "6754893210987654".into(),
            state: Delivery::Delivered,
            up_to: 1_749_416_599_800,
        })
    );
    assert!(
        matches!(&events[2], Inbound::Watermark(w) if w.state == Delivery::Read && w.up_to == 1_749_416_599_800)
    );
}

#[test]
fn reactions_edits_unsends_shares_and_instagram_reads() {
    let body = json!({"object": "instagram", "entry": [{"id": "178", "time": 1, "messaging": [
        {"sender": {"id": "71"}, "recipient": {"id": "178"}, "timestamp": 2000,
         "reaction": {"mid": "m1", "action": "react", "reaction": "love", "emoji": "❤️"}},
        {"sender": {"id": "71"}, "recipient": {"id": "178"}, "timestamp": 3000,
         "reaction": {"mid": "m1", "action": "unreact"}},
        {"sender": {"id": "71"}, "recipient": {"id": "178"}, "timestamp": 4000,
         "message_edit": {"mid": "m2", "text": "novo", "num_edit": 1}},
        {"sender": {"id": "71"}, "recipient": {"id": "178"}, "timestamp": 5000,
         "message": {"mid": "m3", "is_deleted": true}},
        {"sender": {"id": "71"}, "recipient": {"id": "178"}, "timestamp": 6000,
         "message": {"mid": "m4", "attachments": [{"type": "ig_reel", "payload": {"url": "https://ig/reel/1", "title": "Reel"}},
                                                  {"type": "share", "payload": {"url": "javascript:alert(1)"}}]}},
        {"sender": {"id": "71"}, "recipient": {"id": "178"}, "timestamp": 7000, "read": {"mid": "m9"}},
        {"sender": {"id": "71"}, "recipient": {"id": "178"}, "timestamp": 8000, "message": {"mid": "m5", "is_unsupported": true}},
        {"sender": {"id": "71"}, "recipient": {"id": "178"}, "timestamp": 9000, "optin": {}}
    ]}]});
    let (_, ev) = parse(&body.to_string());
    assert_eq!(ev.len(), 9, "{ev:?}");
    assert!(
        matches!(&message(&ev[0]).content, Content::Reaction { message_id, emoji: Some(e) } if message_id == "m1" && e == "❤️")
    );
    assert!(matches!(
        &message(&ev[1]).content,
        Content::Reaction { emoji: None, .. }
    ));
    assert_ne!(message(&ev[0]).id, message(&ev[1]).id);
    let edit = message(&ev[2]);
    assert!(
        matches!(&edit.content, Content::Edit { original_message_id: Some(o), .. } if o == "m2")
    );
    assert_eq!(edit.content.text().as_deref(), Some("novo"));
    assert!(
        matches!(&message(&ev[3]).content, Content::Revoke { original_message_id: Some(o) } if o == "m3")
    );
    assert_eq!(
        message(&ev[4]).content,
        Content::Text {
            body: "Reel https://ig/reel/1".into()
        }
    );
    assert_eq!(message(&ev[4]).id, "m4");
    let share = message(&ev[5]);
    assert_eq!(share.id, "m4:1");
    assert!(
        matches!(&share.content, Content::Unsupported { kind } if kind == "share"),
        "a javascript: link is dropped"
    );
    assert!(matches!(&ev[6], Inbound::Receipt(r) if r.id == "m9" && r.state == Delivery::Read));
    assert!(matches!(
        &message(&ev[7]).content,
        Content::Unsupported { .. }
    ));
    assert!(matches!(&ev[8], Inbound::Ignored { what } if what == "optin"));
}

#[test]
fn bad_bodies_and_other_objects_are_refused() {
    assert!(matches!(parse_webhook(b"{"), Err(ParseError::NotJson(_))));
    assert!(matches!(
        parse_webhook(br#"{"object":"whatsapp_business_account","entry":[]}"#),
        Err(ParseError::UnknownObject(o)) if o == "whatsapp_business_account"
    ));
    let (_, ev) = parse(r#"{"object":"page"}"#);
    assert!(ev.is_empty());
}

#[test]
fn sends_build_the_send_api_body_with_the_windows_messaging_type() {
    let to = Recipient("6754893210987654".into());
    let text = Outbound::Text {
        text: "Olá".into(),
        quick_replies: vec![QuickReply {
            title: "Segunda via do boleto agora".into(),
            payload: "BOLETO".into(),
        }],
        messaging: MessagingType::Response,
    };
    assert_eq!(
        SendApi.send_body(&to, &text, None, Some("ours")),
        json!({"recipient": {"id": "6754893210987654"}, "messaging_type": "RESPONSE",
               "message": {"text": "Olá", "quick_replies": [{"content_type": "text", "title": "Segunda via do bolet", "payload": "BOLETO"}]}})
    );
    let human = Outbound::Attachment {
        kind: Attachment::Image,
        url: "https://x/y.png".into(),
        messaging: MessagingType::HumanAgent,
    };
    assert_eq!(
        human.body(&to),
        json!({"recipient": {"id": "6754893210987654"}, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT",
               "message": {"attachment": {"type": "image", "payload": {"url": "https://x/y.png", "is_reusable": true}}}})
    );
    let react = Outbound::Reaction {
        message_id: "m1".into(),
        emoji: Some("👍".into()),
    };
    assert_eq!(
        react.body(&to),
        json!({"recipient": {"id": "6754893210987654"}, "sender_action": "react", "payload": {"message_id": "m1", "reaction": "👍"}})
    );
}

#[test]
fn answers_are_read_and_errors_classified() {
    let ok = parse_send_response(200, br#"{"recipient_id":"675","message_id":"m_abc"}"#).unwrap();
    assert_eq!(ok.message_id.as_deref(), Some("m_abc"));
    let action = parse_send_response(200, br#"{"recipient_id":"675"}"#).unwrap();
    assert_eq!(action.message_id, None, "a sender action has no message");
    assert_eq!(ok.recipient_id.as_deref(), Some("675"));
    let window = parse_send_response(
        400,
        br#"{"error":{"message":"(#10) This message is sent outside of allowed window.","type":"OAuthException","code":10,"error_subcode":2018278,"fbtrace_id":"Av"}}"#,
    )
    .unwrap_err();
    assert!(window.outside_window());
    assert_eq!(window.class, crate::ErrorClass::Permanent);
    for (status, body, class) in [
        (
            400,
            r#"{"error":{"code":190,"message":"token"}}"#,
            crate::ErrorClass::Reauth,
        ),
        (
            400,
            r#"{"error":{"code":613,"message":"rate"}}"#,
            crate::ErrorClass::RateLimited,
        ),
        (
            400,
            r#"{"error":{"code":4,"message":"rate"}}"#,
            crate::ErrorClass::RateLimited,
        ),
        (
            400,
            r#"{"error":{"code":551,"error_subcode":1545041,"message":"unavailable"}}"#,
            crate::ErrorClass::Permanent,
        ),
        (
            500,
            r#"{"error":{"code":2,"message":"temporary"}}"#,
            crate::ErrorClass::Retryable,
        ),
        (503, "<html>", crate::ErrorClass::Retryable),
        (200, "{}", crate::ErrorClass::Retryable),
    ] {
        let e = parse_send_response(status, body.as_bytes()).unwrap_err();
        assert_eq!(e.class, class, "{status} {body}");
    }
    assert!(
        parse_send_response(400, br#"{"error":{"code":551,"message":"x"}}"#)
            .unwrap_err()
            .unavailable()
    );
}
