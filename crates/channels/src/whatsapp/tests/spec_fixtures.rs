//! The fixtures of channels.md §1.11 parse to the expected events.

use super::{WA1, WA2, WA3, events, messages, statuses};
use crate::ErrorClass;
use crate::whatsapp::{Content, Event, MediaKind, WaStatus, error_class};

#[test]
fn wa1_text_reply_with_referral_and_bsuid() {
    let all = events(WA1);
    assert_eq!(all.len(), 1);
    let msgs = messages(WA1);
    let [m] = msgs.as_slice() else {
        panic!("one message expected, got {msgs:?}");
    };
    assert_eq!(m.phone_number_id, "106540352242922");
    assert_eq!(m.display_phone_number.as_deref(), Some("15550783881"));
    assert_eq!(
        m.wamid,
        "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwMjk3QjZBN0Y1QTJCRTYA"
    );
    assert_eq!(m.from.as_deref(), Some("16505551234"));
    assert_eq!(m.from_user_id.as_deref(), Some("US.13491208655302741918"));
    assert_eq!(m.from_parent_user_id, None);
    assert_eq!(m.profile_name.as_deref(), Some("Sheena Nelson"));
    assert_eq!(m.timestamp, 1_749_416_383);
    assert_eq!(
        m.content,
        Content::Text {
            body: "Does it come in another color?".to_owned()
        }
    );
    assert_eq!(m.content.kind(), "text");
    assert_eq!(
        m.content.text().as_deref(),
        Some("Does it come in another color?")
    );
    let ctx = m.context.as_ref().expect("context");
    assert_eq!(
        ctx.id.as_deref(),
        Some("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA")
    );
    assert_eq!(ctx.from.as_deref(), Some("15550783881"));
    assert!(!ctx.forwarded && !ctx.frequently_forwarded);
    let referral = m.referral.as_ref().expect("referral");
    assert_eq!(referral["source_type"], "ad");
    assert_eq!(
        referral["ctwa_clid"],
        "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a"
    );
    assert!(m.errors.is_empty());
    assert_eq!(m.raw["id"], m.wamid.as_str());
    assert_eq!(m.raw["referral"]["headline"], "Spring sale");
}

#[test]
fn wa2_two_media_messages_in_order() {
    let msgs = messages(WA2);
    let [image, audio] = msgs.as_slice() else {
        panic!("two messages expected, got {msgs:?}");
    };
    assert_eq!(
        image.wamid,
        "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQ0QjlGRjE2QTI3NDg1OTc3QjQA"
    );
    assert_eq!(image.timestamp, 1_749_416_401);
    assert_eq!(image.profile_name.as_deref(), Some("Sheena Nelson"));
    assert_eq!(
        image.content,
        Content::Media {
            kind: MediaKind::Image,
            id: Some("1003383421387256".to_owned()),
            url: Some(
                "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256&ext=1749420001&hash=ATuL9x"
                    .to_owned()
            ),
            mime_type: Some("image/jpeg".to_owned()),
            sha256: Some("E1e3N6bK3r8uRrhbyUeFsn0yqUJ5X2r1X9m2x9cHfWk=".to_owned()),
            caption: Some("This one is broken".to_owned()),
            filename: None,
            voice: false,
            animated: false,
        }
    );
    assert_eq!(image.content.text().as_deref(), Some("This one is broken"));
    assert_eq!(
        audio.wamid,
        "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQ1QzFBRDk4MkE5NTYxQkY3MUQA"
    );
    assert_eq!(audio.timestamp, 1_749_416_409);
    assert_eq!(audio.content.kind(), "audio");
    let Content::Media {
        kind,
        id,
        url,
        mime_type,
        voice,
        caption,
        ..
    } = &audio.content
    else {
        panic!("audio expected, got {:?}", audio.content);
    };
    assert_eq!(*kind, MediaKind::Audio);
    assert!(*voice);
    assert_eq!(id.as_deref(), Some("2287091934832119"));
    assert_eq!(mime_type.as_deref(), Some("audio/ogg; codecs=opus"));
    assert_eq!((url, caption), (&None, &None));
    assert_eq!(audio.content.text(), None);
}

#[test]
fn wa3_read_then_failed_131047_without_contacts() {
    assert!(events(WA3).iter().all(|e| matches!(e, Event::Status(_))));
    let all = statuses(WA3);
    let [read, failed] = all.as_slice() else {
        panic!("two statuses expected, got {all:?}");
    };
    assert_eq!(read.status, WaStatus::Read);
    assert_eq!(read.phone_number_id, "106540352242922");
    assert_eq!(
        read.wamid,
        "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
    );
    assert_eq!(read.timestamp, 1_749_416_520);
    assert_eq!(read.recipient_id.as_deref(), Some("16505551234"));
    assert_eq!(
        read.pricing.as_ref().map(|p| p["type"].clone()),
        Some("free_customer_service".into())
    );
    assert_eq!(
        read.conversation
            .as_ref()
            .map(|c| c["origin"]["type"].clone()),
        Some("service".into())
    );
    assert!(read.errors.is_empty());

    assert_eq!(failed.status, WaStatus::Failed);
    assert_eq!(
        failed.wamid,
        "wamid.HBgLMTY1MDU1NTk4NzYVAgARGBIyQjE4RjQ0QkE1QjA5OTI0QkUA"
    );
    assert_eq!(failed.recipient_id.as_deref(), Some("16505559876"));
    assert_eq!((&failed.pricing, &failed.conversation), (&None, &None));
    let [err] = failed.errors.as_slice() else {
        panic!("one error expected, got {:?}", failed.errors);
    };
    assert_eq!(err.code, 131_047);
    assert_eq!(err.title.as_deref(), Some("Re-engagement message"));
    assert_eq!(err.message.as_deref(), Some("Re-engagement message"));
    assert_eq!(
        err.details.as_deref(),
        Some(
            "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
        )
    );
    assert_eq!(error_class(err.code), ErrorClass::Permanent);
}
