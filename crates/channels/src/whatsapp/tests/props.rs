//! Property tests: no input makes the adapter panic.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::WEBHOOK_FIXTURES;
use crate::mutate::{apply, mutation};
use crate::whatsapp::{
    Event, parse_media_info, parse_send_response, parse_templates_page, parse_webhook, sign,
    verify_signature,
};

/// Keys the parser looks for, so random trees reach its deeper paths.
const KEYS: &[&str] = &[
    "id",
    "changes",
    "field",
    "value",
    "metadata",
    "phone_number_id",
    "display_phone_number",
    "messages",
    "statuses",
    "errors",
    "contacts",
    "profile",
    "name",
    "username",
    "wa_id",
    "user_id",
    "from",
    "from_user_id",
    "type",
    "text",
    "body",
    "image",
    "audio",
    "document",
    "sticker",
    "location",
    "latitude",
    "longitude",
    "interactive",
    "button_reply",
    "list_reply",
    "nfm_reply",
    "response_json",
    "button",
    "reaction",
    "emoji",
    "message_id",
    "system",
    "context",
    "forwarded",
    "referral",
    "status",
    "timestamp",
    "code",
    "error_data",
    "details",
    "pricing",
    "conversation",
    "message_template_id",
    "unsupported",
    "edit",
    "revoke",
    "order",
    "caption",
    "voice",
    "animated",
    "object",
];

/// String values that select parser branches.
const WORDS: &[&str] = &[
    "messages",
    "message_template_status_update",
    "smb_message_echoes",
    "text",
    "image",
    "video",
    "audio",
    "document",
    "sticker",
    "location",
    "contacts",
    "interactive",
    "button_reply",
    "list_reply",
    "nfm_reply",
    "button",
    "reaction",
    "order",
    "system",
    "request_welcome",
    "unsupported",
    "unknown",
    "edit",
    "revoke",
    "sent",
    "delivered",
    "read",
    "played",
    "failed",
    "1749416383",
    "-23.5",
    "whatsapp_business_account",
    "",
];

/// Random JSON trees of the parser's keys and words.
fn json_tree() -> impl Strategy<Value = Value> {
    crate::mutate::json_tree(KEYS, WORDS)
}

/// Parses and touches every event, the way the server will.
fn parse_and_walk(body: &[u8]) {
    if let Ok(events) = parse_webhook(body) {
        for event in events {
            if let Event::Message(m) = event {
                let _ = (m.content.kind(), m.content.text());
            }
        }
    }
}

/// The body signed in the header property.
const SIGNED: &[u8] = br#"{"object":"whatsapp_business_account"}"#;

proptest! {
    #[test]
    fn parse_webhook_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..2048)) {
        parse_and_walk(&body);
    }

    #[test]
    fn parse_webhook_never_panics_on_mutated_fixtures(
        which in 0..WEBHOOK_FIXTURES.len(),
        edits in prop::collection::vec(mutation(), 1..8),
    ) {
        let mut body = WEBHOOK_FIXTURES[which].to_vec();
        for edit in &edits {
            apply(&mut body, edit);
        }
        parse_and_walk(&body);
    }

    #[test]
    fn parse_webhook_never_panics_on_random_trees(tree in json_tree(), deep in any::<bool>()) {
        let entry = if deep {
            json!([{"id": "1", "changes": [{"field": "messages", "value": tree}]}])
        } else {
            tree
        };
        let body = json!({"object": "whatsapp_business_account", "entry": entry});
        parse_and_walk(body.to_string().as_bytes());
    }

    #[test]
    fn other_parsers_never_panic(status in any::<u16>(), body in prop::collection::vec(any::<u8>(), 0..512), tree in json_tree()) {
        let _ = parse_send_response(status, &body);
        let tree_body = tree.to_string();
        let _ = parse_send_response(status, tree_body.as_bytes());
        let _ = parse_send_response(status, json!({"error": tree}).to_string().as_bytes());
        let _ = parse_templates_page(tree_body.as_bytes());
        let _ = parse_media_info(tree_body.as_bytes());
    }

    #[test]
    fn verify_signature_never_panics_on_headers(header in any::<String>(), hexish in "[0-9a-fA-F]{0,70}") {
        let valid = sign("secret", SIGNED);
        let accepted = verify_signature("secret", SIGNED, Some(&header));
        prop_assert_eq!(accepted, header == valid);
        let prefixed = format!("sha256={hexish}");
        let accepted = verify_signature("secret", SIGNED, Some(&prefixed));
        prop_assert_eq!(accepted, prefixed == valid);
    }

    #[test]
    fn signatures_round_trip(secret in ".{0,80}", body in prop::collection::vec(any::<u8>(), 0..256)) {
        let header = sign(&secret, &body);
        prop_assert!(verify_signature(&secret, &body, Some(&header)));
        let mut other = body.clone();
        other.push(b' ');
        prop_assert!(!verify_signature(&secret, &other, Some(&header)));
    }
}
