//! One fixture message per row of the channels.md §1.4 table.

use serde_json::json;

use super::{TYPES_INTERACTIVE, TYPES_MEDIA, messages};
use crate::whatsapp::{Content, InboundMessage, MediaKind};

/// The message with the given wamid.
pub(super) fn by_id<'a>(msgs: &'a [InboundMessage], wamid: &str) -> &'a InboundMessage {
    match msgs.iter().find(|m| m.wamid == wamid) {
        Some(m) => m,
        None => panic!("{wamid} missing from {msgs:?}"),
    }
}

/// Shorthand for an owned `Some` string.
pub(super) fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

#[test]
fn media_location_and_contacts_rows() {
    let msgs = messages(TYPES_MEDIA);
    let kinds: Vec<&str> = msgs.iter().map(|m| m.content.kind()).collect();
    assert_eq!(
        kinds,
        [
            "video", "document", "sticker", "location", "contacts", "image"
        ]
    );
    assert!(
        msgs.iter()
            .all(|m| m.profile_name.as_deref() == Some("João Silva"))
    );

    let Content::Media {
        kind, caption, url, ..
    } = &by_id(&msgs, "wamid.MEDIA-VIDEO").content
    else {
        panic!("video expected");
    };
    assert_eq!(
        (*kind, caption.as_deref()),
        (MediaKind::Video, Some("Olha o barulho"))
    );
    assert!(
        url.as_deref()
            .is_some_and(|u| u.starts_with("https://lookaside.fbsbx.com/"))
    );

    let doc = &by_id(&msgs, "wamid.MEDIA-DOCUMENT").content;
    let Content::Media {
        kind,
        filename,
        caption,
        id,
        mime_type,
        ..
    } = doc
    else {
        panic!("document expected, got {doc:?}");
    };
    assert_eq!(*kind, MediaKind::Document);
    assert_eq!(filename.as_deref(), Some("nota-fiscal-8812.pdf"));
    assert_eq!(caption.as_deref(), Some("Segue a nota"));
    assert_eq!(id.as_deref(), Some("2222222222222222"));
    assert_eq!(mime_type.as_deref(), Some("application/pdf"));

    let sticker = &by_id(&msgs, "wamid.MEDIA-STICKER").content;
    assert!(matches!(
        sticker,
        Content::Media {
            kind: MediaKind::Sticker,
            animated: true,
            voice: false,
            ..
        }
    ));

    assert_eq!(
        by_id(&msgs, "wamid.LOCATION").content,
        Content::Location {
            latitude: -23.5613,
            longitude: -46.6565,
            name: s("Loja Paulista"),
            address: s("Av. Paulista, 1578 - São Paulo"),
            url: s("https://example.com/loja"),
        }
    );
    assert_eq!(
        by_id(&msgs, "wamid.LOCATION").content.text().as_deref(),
        Some("Loja Paulista — Av. Paulista, 1578 - São Paulo")
    );

    let contacts = &by_id(&msgs, "wamid.CONTACTS").content;
    let Content::Contacts { contacts: cards } = contacts else {
        panic!("contacts expected, got {contacts:?}");
    };
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[0]["phones"][0]["wa_id"], "5511988887777");
    assert_eq!(contacts.text().as_deref(), Some("Maria Souza, Carlos Lima"));

    let failed = by_id(&msgs, "wamid.MEDIA-FAILED");
    assert_eq!(
        failed.timestamp, 1_749_417_006,
        "numeric timestamps are read too"
    );
    assert!(matches!(
        failed.content,
        Content::Media {
            kind: MediaKind::Image,
            id: None,
            ..
        }
    ));
    assert_eq!(failed.errors.len(), 1);
    assert_eq!(failed.errors[0].code, 131_052);
    assert!(
        failed.errors[0]
            .details
            .as_deref()
            .is_some_and(|d| d.starts_with("Media download failed"))
    );
}

#[test]
fn interactive_button_order_and_reaction_rows() {
    let msgs = messages(TYPES_INTERACTIVE);
    assert_eq!(msgs.len(), 8);

    let button = by_id(&msgs, "wamid.BUTTON-REPLY");
    assert_eq!(
        button.content,
        Content::InteractiveReply {
            kind: "button_reply".into(),
            id: s("yes"),
            title: s("Sim"),
            description: None,
            response_json: None
        }
    );
    assert_eq!(
        button.context.as_ref().and_then(|c| c.id.as_deref()),
        Some("wamid.OUR-BUTTONS")
    );
    assert_eq!(button.content.text().as_deref(), Some("Sim"));

    assert_eq!(
        by_id(&msgs, "wamid.LIST-REPLY").content,
        Content::InteractiveReply {
            kind: "list_reply".into(),
            id: s("r2"),
            title: s("Financeiro"),
            description: s("Boletos e notas"),
            response_json: None
        }
    );

    let flow = &by_id(&msgs, "wamid.NFM-REPLY").content;
    let Content::InteractiveReply {
        kind,
        id,
        title,
        response_json,
        ..
    } = flow
    else {
        panic!("nfm_reply expected, got {flow:?}");
    };
    assert_eq!(
        (kind.as_str(), id.as_deref(), title.as_deref()),
        ("nfm_reply", Some("flow"), Some("Sent"))
    );
    let answer: serde_json::Value =
        serde_json::from_str(response_json.as_deref().unwrap_or("null")).unwrap_or_default();
    assert_eq!(answer, json!({"flow_token": "tok-1", "cpf": "12345678909"}));

    let tap = by_id(&msgs, "wamid.TEMPLATE-BUTTON");
    assert_eq!(
        tap.content,
        Content::Button {
            payload: s("STOP_UPDATES"),
            text: s("Parar avisos")
        }
    );
    assert_eq!(
        tap.context.as_ref().and_then(|c| c.id.as_deref()),
        Some("wamid.OUR-TEMPLATE")
    );
    assert_eq!(tap.content.text().as_deref(), Some("Parar avisos"));

    let order = &by_id(&msgs, "wamid.ORDER").content;
    let Content::Order { order: o } = order else {
        panic!("order expected, got {order:?}");
    };
    assert_eq!(o["catalog_id"], "987654321");
    assert_eq!(o["product_items"][0]["quantity"], 2);
    assert_eq!(order.text().as_deref(), Some("Quero estes"));

    let reaction = |id: &str| by_id(&msgs, id).content.clone();
    assert_eq!(
        reaction("wamid.REACTION-ADD"),
        Content::Reaction {
            message_id: "wamid.OUR-REPLY".into(),
            emoji: s("👍")
        }
    );
    for removed in ["wamid.REACTION-EMPTY", "wamid.REACTION-MISSING"] {
        assert_eq!(
            reaction(removed),
            Content::Reaction {
                message_id: "wamid.OUR-REPLY".into(),
                emoji: None
            },
            "{removed}"
        );
        assert_eq!(reaction(removed).kind(), "reaction");
    }
}
