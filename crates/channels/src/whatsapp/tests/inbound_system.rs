//! System notices, first contact, unsupported types, coexistence edits and
//! revokes, and BSUID-only senders (channels.md §1.3, §1.4).

use super::inbound_types::{by_id, s};
use super::{TYPES_SYSTEM, messages};
use crate::whatsapp::Content;

#[test]
fn system_welcome_unsupported_edit_revoke_and_bsuid_rows() {
    let msgs = messages(TYPES_SYSTEM);
    let kinds: Vec<&str> = msgs.iter().map(|m| m.content.kind()).collect();
    assert_eq!(
        kinds,
        [
            "system",
            "request_welcome",
            "unsupported",
            "unsupported",
            "edit",
            "revoke",
            "text",
            "unsupported"
        ]
    );

    let system = by_id(&msgs, "wamid.SYSTEM");
    let Content::System {
        kind,
        new_id: new_wa_id,
        body,
        ..
    } = &system.content
    else {
        panic!("system expected, got {:?}", system.content);
    };
    assert_eq!(kind.as_deref(), Some("customer_changed_number"));
    assert_eq!(new_wa_id.as_deref(), Some("5511912345678"));
    assert!(
        body.as_deref()
            .is_some_and(|b| b.contains("changed their phone number"))
    );
    assert_eq!(
        system.from.as_deref(),
        Some("5511987654321"),
        "from stays the old number"
    );
    assert_eq!(system.profile_name.as_deref(), Some("João Silva"));

    assert_eq!(
        by_id(&msgs, "wamid.WELCOME").content,
        Content::RequestWelcome
    );

    let poll = by_id(&msgs, "wamid.UNSUPPORTED");
    assert_eq!(
        poll.content,
        Content::Unsupported {
            kind: "poll".into()
        }
    );
    assert_eq!(poll.errors.len(), 1);
    assert_eq!(poll.errors[0].code, 131_051);
    assert_eq!(
        poll.errors[0].details.as_deref(),
        Some("Message type is currently not supported.")
    );
    assert_eq!(poll.raw["unsupported"]["type"], "poll");

    let old = by_id(&msgs, "wamid.UNKNOWN");
    assert_eq!(
        old.content,
        Content::Unsupported {
            kind: "unknown".into()
        }
    );
    assert_eq!(old.errors[0].code, 131_051);

    let edit = by_id(&msgs, "wamid.EDIT");
    let Content::Edit {
        original_message_id,
        message,
    } = &edit.content
    else {
        panic!("edit expected, got {:?}", edit.content);
    };
    assert_eq!(original_message_id.as_deref(), Some("wamid.ORIGINAL"));
    assert_eq!(message["text"]["body"], "Texto corrigido");
    assert_eq!(edit.content.text().as_deref(), Some("Texto corrigido"));

    assert_eq!(
        by_id(&msgs, "wamid.REVOKE").content,
        Content::Revoke {
            original_message_id: s("wamid.ORIGINAL")
        }
    );

    let bsuid = by_id(&msgs, "wamid.BSUID-ONLY");
    assert_eq!(bsuid.from, None);
    assert_eq!(
        bsuid.from_user_id.as_deref(),
        Some("BR.88812345678901234567")
    );
    assert_eq!(bsuid.from_parent_user_id.as_deref(), Some("BR.ENT.5550001"));
    assert_eq!(bsuid.profile_name.as_deref(), Some("Ana"));
    assert_eq!(bsuid.username.as_deref(), Some("ana.costa"));
    assert!(
        bsuid
            .context
            .as_ref()
            .is_some_and(|c| c.forwarded && c.id.is_none())
    );

    let future = by_id(&msgs, "wamid.POLL-NEW-TYPE");
    assert_eq!(
        future.content,
        Content::Unsupported {
            kind: "poll_vote".into()
        }
    );
    assert_eq!(future.raw["poll_vote"]["option"], "A");
}
