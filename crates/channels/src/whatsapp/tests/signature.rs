//! Signature and handshake checks, with the vectors of channels.md §1.2.

use crate::whatsapp::{sign, verify_challenge, verify_signature};

/// The exact one-line body of §1.2, with a literal `\u00e9` and no newline.
const ESCAPED_BODY: &str = r#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"Caf\u00e9 ok?"}}]},"field":"messages"}]}]}"#;

const ESCAPED_HEADER: &str =
    "sha256=a648b2df01bf35c7cb27d25388089e56cff5fb4640046c62e2d663be4e7153b8";
const RAW_UTF8_HEADER: &str =
    "sha256=58ac4c025a75f8974219338433627dd08986eab955535369a529ec4ae59808a9";
const SECRET: &str = "test_app_secret";

#[test]
fn hmac_of_test_with_key_secret_matches_the_known_vector() {
    assert_eq!(
        sign("secret", b"test"),
        "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"
    );
}

#[test]
fn the_escaped_body_gives_the_documented_header_and_verifies() {
    assert!(ESCAPED_BODY.contains(r"\u00e9") && !ESCAPED_BODY.ends_with('\n'));
    assert_eq!(sign(SECRET, ESCAPED_BODY.as_bytes()), ESCAPED_HEADER);
    assert!(verify_signature(
        SECRET,
        ESCAPED_BODY.as_bytes(),
        Some(ESCAPED_HEADER)
    ));
}

#[test]
fn the_same_json_with_a_raw_utf8_e_acute_does_not_verify() {
    let raw = ESCAPED_BODY.replace(r"\u00e9", "é");
    assert_ne!(raw, ESCAPED_BODY);
    assert_eq!(sign(SECRET, raw.as_bytes()), RAW_UTF8_HEADER);
    assert!(!verify_signature(
        SECRET,
        raw.as_bytes(),
        Some(ESCAPED_HEADER)
    ));
    assert!(verify_signature(
        SECRET,
        raw.as_bytes(),
        Some(RAW_UTF8_HEADER)
    ));
}

#[test]
fn bad_secrets_and_malformed_headers_are_refused() {
    let body = ESCAPED_BODY.as_bytes();
    let hex = ESCAPED_HEADER.trim_start_matches("sha256=");
    let refused: [(&str, Option<String>); 10] = [
        ("wrong secret", Some(ESCAPED_HEADER.to_owned())),
        (SECRET, None),
        (SECRET, Some(String::new())),
        (SECRET, Some(hex.to_owned())),
        (SECRET, Some(format!("sha1={hex}"))),
        (SECRET, Some(format!("SHA256={hex}"))),
        (SECRET, Some(format!("sha256={}", hex.to_uppercase()))),
        (SECRET, Some(format!("sha256={}", &hex[..62]))),
        (SECRET, Some(format!("sha256={}zz", &hex[..62]))),
        (SECRET, Some(format!("sha256={hex}00"))),
    ];
    for (secret, header) in refused {
        assert!(
            !verify_signature(secret, body, header.as_deref()),
            "{secret} / {header:?} must not verify"
        );
    }
    assert!(!verify_signature(SECRET, b"", Some(ESCAPED_HEADER)));
}

#[test]
fn sign_and_verify_round_trip_for_any_secret_length() {
    let long_secret = "k".repeat(200);
    for secret in ["", "s", SECRET, long_secret.as_str()] {
        let header = sign(secret, b"{}");
        assert!(verify_signature(secret, b"{}", Some(&header)), "{secret}");
        assert!(!verify_signature(secret, b"{ }", Some(&header)), "{secret}");
    }
}

/// `(mode, token, challenge, configured token, expected answer)`.
type ChallengeCase<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    &'a str,
    Option<&'a str>,
);

#[test]
fn challenge_is_echoed_only_for_subscribe_with_the_right_token() {
    let cases: [ChallengeCase; 9] = [
        (
            Some("subscribe"),
            Some("tok"),
            Some("1158201444"),
            "tok",
            Some("1158201444"),
        ),
        (Some("subscribe"), Some("tok"), None, "tok", None),
        (
            Some("subscribe"),
            Some("wrong"),
            Some("1158201444"),
            "tok",
            None,
        ),
        (
            Some("subscribe"),
            Some("tok2"),
            Some("1158201444"),
            "tok",
            None,
        ),
        (Some("subscribe"), None, Some("1158201444"), "tok", None),
        (
            Some("unsubscribe"),
            Some("tok"),
            Some("1158201444"),
            "tok",
            None,
        ),
        (
            Some("Subscribe"),
            Some("tok"),
            Some("1158201444"),
            "tok",
            None,
        ),
        (None, Some("tok"), Some("1158201444"), "tok", None),
        (Some("subscribe"), Some(""), Some("1158201444"), "", None),
    ];
    for (mode, token, challenge, expected, answer) in cases {
        assert_eq!(
            verify_challenge(mode, token, challenge, expected).as_deref(),
            answer,
            "mode={mode:?} token={token:?} challenge={challenge:?}"
        );
    }
}
