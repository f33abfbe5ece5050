//! Property tests: no body or answer makes the adapter panic.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::mutate::{apply, mutation};

const FIXTURES: [&str; 3] = [super::tests::MI1, super::tests::MI2, super::tests::MI3];

/// Keys the parser looks for, so random trees reach its deeper paths.
const KEYS: &[&str] = &[
    "object",
    "entry",
    "id",
    "time",
    "messaging",
    "standby",
    "changes",
    "sender",
    "recipient",
    "timestamp",
    "message",
    "mid",
    "text",
    "attachments",
    "type",
    "payload",
    "url",
    "title",
    "sticker_id",
    "quick_reply",
    "reply_to",
    "story",
    "referral",
    "is_echo",
    "is_deleted",
    "is_unsupported",
    "postback",
    "reaction",
    "action",
    "emoji",
    "message_edit",
    "num_edit",
    "delivery",
    "mids",
    "watermark",
    "read",
];

/// Random JSON trees of the parser's keys and words.
const WORDS: &[&str] = &[
    "page",
    "instagram",
    "image",
    "story_mention",
    "share",
    "unreact",
    "https://x/y",
    "",
];

fn json_tree() -> impl Strategy<Value = Value> {
    crate::mutate::json_tree(KEYS, WORDS)
}

fn parse_and_walk(body: &[u8]) {
    if let Ok((_, events)) = parse_webhook(body) {
        for e in events {
            let _ = e.address();
            if let crate::inbound::Inbound::Message(m) = e {
                let _ = m.content.text();
            }
        }
    }
}

proptest! {
    #[test]
    fn parse_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..2048)) {
        parse_and_walk(&body);
    }

    #[test]
    fn parse_never_panics_on_mutated_fixtures(which in 0..FIXTURES.len(), edits in prop::collection::vec(mutation(), 1..8)) {
        let mut body = FIXTURES[which].as_bytes().to_vec();
        for edit in &edits {
            apply(&mut body, edit);
        }
        parse_and_walk(&body);
    }

    #[test]
    fn parse_never_panics_on_random_trees(tree in json_tree(), object in prop::sample::select(&["page", "instagram"][..])) {
        parse_and_walk(json!({"object": object, "entry": [{"id": "1", "messaging": [tree.clone()]}]}).to_string().as_bytes());
        parse_and_walk(json!({"object": object, "entry": tree}).to_string().as_bytes());
    }

    #[test]
    fn answers_never_panic(status in any::<u16>(), body in prop::collection::vec(any::<u8>(), 0..512), tree in json_tree()) {
        let _ = parse_send_response(status, &body);
        let _ = parse_send_response(status, json!({"error": tree}).to_string().as_bytes());
    }
}
