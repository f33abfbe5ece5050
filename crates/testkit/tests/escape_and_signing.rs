//! ASCII-escaped JSON and webhook signatures, checked against an HMAC
//! computed here from SHA-256 alone.

use atende_testkit::{Simulator, ascii_escape_json};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// HMAC-SHA256 per RFC 2104, written out so it doesn't share code with the crate.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> String {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let ipad: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new()
        .chain_update(&ipad)
        .chain_update(msg)
        .finalize();
    hex::encode(
        Sha256::new()
            .chain_update(&opad)
            .chain_update(inner)
            .finalize(),
    )
}

fn simulator(secret: &str) -> Simulator {
    Simulator::new(
        "http://127.0.0.1:9/webhook",
        secret,
        "106540352242922",
        "15550783881",
        "102290129340398",
    )
}

/// channels.md §1.2's body, byte for byte (a literal `\u00e9`, no newline).
const SPEC_BODY: &str = r#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"Caf\u00e9 ok?"}}]},"field":"messages"}]}]}"#;

#[test]
fn escapes_accents_and_emoji_like_meta() {
    let v = json!({"text": {"body": "Café ok? 👍 São Paulo"}});
    let s = ascii_escape_json(&v);
    assert!(s.is_ascii());
    assert_eq!(
        s,
        r#"{"text":{"body":"Caf\u00e9 ok? \ud83d\udc4d S\u00e3o Paulo"}}"#
    );
    let back: Value = serde_json::from_str(&s).expect("valid JSON");
    assert_eq!(back, v);
}

#[test]
fn escaping_keeps_ascii_json_and_round_trips_everything() {
    let v = json!({"a": [1, 2.5, null, true], "b": "tab\there \"q\" \\ /", "ç😀": {"x": "€𝄞"}});
    let s = ascii_escape_json(&v);
    assert!(s.is_ascii());
    assert!(s.contains(r"\u20ac\ud834\udd1e"), "{s}");
    assert_eq!(serde_json::from_str::<Value>(&s).ok(), Some(v));
    assert_eq!(
        ascii_escape_json(&json!({"k": "plain"})),
        r#"{"k":"plain"}"#
    );
}

#[test]
fn hand_written_hmac_matches_the_spec_vector() {
    assert_eq!(
        hmac_sha256(b"secret", b"test"),
        "0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"
    );
}

#[test]
fn sign_matches_the_spec_vector_and_rejects_raw_utf8() {
    let sim = simulator("test_app_secret");
    assert_eq!(
        sim.sign(SPEC_BODY.as_bytes()),
        "sha256=a648b2df01bf35c7cb27d25388089e56cff5fb4640046c62e2d663be4e7153b8"
    );
    let raw = SPEC_BODY.replace(r"\u00e9", "é");
    let raw_sig = sim.sign(raw.as_bytes());
    assert_eq!(
        raw_sig,
        "sha256=58ac4c025a75f8974219338433627dd08986eab955535369a529ec4ae59808a9"
    );
    assert_ne!(raw_sig, sim.sign(SPEC_BODY.as_bytes()));
}

#[test]
fn sign_agrees_with_an_independent_hmac_on_simulated_payloads() {
    let sim = simulator("another-secret");
    let (_, payload) = sim.text_payload("5519987654321", "João", "Olá, tudo bem? 😀");
    let body = ascii_escape_json(&payload);
    let expected = format!("sha256={}", hmac_sha256(b"another-secret", body.as_bytes()));
    assert_eq!(sim.sign(body.as_bytes()), expected);
    assert_ne!(simulator("other").sign(body.as_bytes()), expected);
}
