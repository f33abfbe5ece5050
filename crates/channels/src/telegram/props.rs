//! Property tests: no update, answer or secret makes the adapter panic,
//! and a send's body always keeps Telegram's limits.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::inbound::MediaKind;
use crate::mutate::{apply, mutation};

/// Updates of every kind the adapter reads (channels.md §3.2, §3.6).
const FIXTURES: [&[u8]; 8] = [
    br#"{"update_id":10000,"message":{"message_id":1365,"date":1441645532,"chat":{"id":1111111,"type":"private","first_name":"Ana"},"from":{"id":1111111,"is_bot":false,"first_name":"Ana","username":"ana"},"text":"Oi","reply_to_message":{"message_id":1364,"date":1441645500,"chat":{"id":1111111,"type":"private"},"from":{"id":7400123456,"is_bot":true,"first_name":"Bot"},"text":"Ola"}}}"#,
    br#"{"update_id":10001,"message":{"message_id":1366,"date":1441645533,"chat":{"id":5123456789,"type":"private"},"photo":[{"file_id":"s","file_unique_id":"u1","width":90,"height":90},{"file_id":"l","file_unique_id":"u2","width":800,"height":800,"file_size":81234}],"caption":"nota","media_group_id":"1376"}}"#,
    br#"{"update_id":10002,"message":{"message_id":7,"date":1,"chat":{"id":-1001234567890,"type":"supergroup","title":"G"},"voice":{"file_id":"v","file_unique_id":"uv","duration":4,"mime_type":"audio/ogg","file_size":11833}}}"#,
    br#"{"update_id":10003,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":1111111,"is_bot":false,"first_name":"Ana"},"chat_instance":"-1","data":"opt_1","message":{"message_id":1370,"date":1,"chat":{"id":1111111,"type":"private"},"text":"Escolha","reply_markup":{"inline_keyboard":[[{"text":"Vendas","callback_data":"opt_1"}]]}}}}"#,
    br#"{"update_id":10004,"edited_message":{"message_id":1365,"date":1,"edit_date":2,"chat":{"id":1111111,"type":"private"},"text":"Oi!"}}"#,
    br#"{"update_id":10005,"my_chat_member":{"chat":{"id":1111111,"type":"private","first_name":"Ana"},"from":{"id":1111111,"first_name":"Ana"},"date":3,"old_chat_member":{"status":"member"},"new_chat_member":{"status":"kicked"}}}"#,
    br#"{"update_id":10006,"message":{"message_id":9,"date":1,"chat":{"id":2,"type":"private"},"venue":{"location":{"latitude":-23.5,"longitude":-46.6},"title":"Loja","address":"Rua A"},"location":{"latitude":-23.5,"longitude":-46.6}}}"#,
    br#"{"update_id":10007,"message":{"message_id":10,"date":1,"chat":{"id":2,"type":"private"},"contact":{"phone_number":"+5511988887777","first_name":"Bruno","last_name":"Lima","user_id":3}}}"#,
];

/// Keys the parser looks for, so random trees reach its deeper paths.
const KEYS: &[&str] = &[
    "update_id",
    "message",
    "edited_message",
    "business_message",
    "callback_query",
    "my_chat_member",
    "message_id",
    "date",
    "edit_date",
    "chat",
    "id",
    "type",
    "from",
    "first_name",
    "last_name",
    "username",
    "text",
    "caption",
    "photo",
    "file_id",
    "file_name",
    "mime_type",
    "file_size",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "document",
    "sticker",
    "is_animated",
    "is_video",
    "location",
    "latitude",
    "longitude",
    "venue",
    "title",
    "address",
    "contact",
    "phone_number",
    "reply_to_message",
    "forward_origin",
    "data",
    "reply_markup",
    "inline_keyboard",
    "callback_data",
    "new_chat_member",
    "status",
    "media_group_id",
];

/// Random JSON trees of the parser's keys and words.
const WORDS: &[&str] = &["private", "kicked", "member", "group", "", "opt_1"];

fn json_tree() -> impl Strategy<Value = Value> {
    crate::mutate::json_tree(KEYS, WORDS)
}

/// Parses and touches every event, the way the server will.
fn parse_and_walk(body: &[u8]) {
    if let Ok(events) = parse_update("7400123456", body) {
        for event in events {
            if let Inbound::Message(m) = event {
                let _ = (m.content.text(), m.address, m.id);
            }
        }
    }
}

proptest! {
    #[test]
    fn parse_update_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..2048)) {
        parse_and_walk(&body);
    }

    #[test]
    fn parse_update_never_panics_on_mutated_fixtures(
        which in 0..FIXTURES.len(),
        edits in prop::collection::vec(mutation(), 1..8),
    ) {
        let mut body = FIXTURES[which].to_vec();
        for edit in &edits {
            apply(&mut body, edit);
        }
        parse_and_walk(&body);
    }

    #[test]
    fn parse_update_never_panics_on_random_trees(tree in json_tree(), key in prop::sample::select(KEYS)) {
        parse_and_walk(json!({"update_id": 1, key: tree.clone()}).to_string().as_bytes());
        parse_and_walk(json!({"update_id": 1, "message": tree}).to_string().as_bytes());
    }

    #[test]
    fn answers_never_panic(status in any::<u16>(), body in prop::collection::vec(any::<u8>(), 0..512), tree in json_tree()) {
        let _ = parse_send_response(status, &body);
        let _ = parse_send_response(status, tree.to_string().as_bytes());
        let _ = parse_send_response(status, json!({"ok": false, "parameters": tree}).to_string().as_bytes());
    }

    #[test]
    fn only_the_secret_itself_verifies(secret in "[A-Za-z0-9_-]{1,64}", given in any::<Option<String>>()) {
        prop_assert_eq!(verify_secret(&secret, given.as_deref()), given.as_deref() == Some(secret.as_str()));
        prop_assert!(verify_secret(&secret, Some(&secret)));
    }

    #[test]
    fn sends_keep_telegrams_limits(text in ".{0,9000}", data in ".{1,200}", reply in any::<Option<String>>(), chat in any::<i64>()) {
        let pieces = split_text(&text);
        prop_assert!(pieces.iter().all(|p| p.chars().count() <= TEXT_LIMIT));
        prop_assert_eq!(pieces.concat().chars().filter(|c| !c.is_whitespace()).count(),
            text.chars().filter(|c| !c.is_whitespace()).count());
        let send = Outbound::Text { text: pieces[0].clone(), buttons: vec![vec![Button { text: "b".into(), data }]] };
        let body = send.body(&ChatId(chat), reply.as_deref());
        let cb = body.pointer("/reply_markup/inline_keyboard/0/0/callback_data").and_then(Value::as_str).unwrap_or_default();
        prop_assert!(cb.len() <= 64 && !cb.is_empty());
        let media = Outbound::Media { kind: MediaKind::Image, file: "f".into(), caption: Some(text.clone()), voice: false };
        let body = media.body(&ChatId(chat), None);
        prop_assert!(body["caption"].as_str().map_or(0, |c| c.chars().count()) <= 1024);
    }
}
