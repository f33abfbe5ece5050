//! Send answers and the error classification table of channels.md §1.6.

use super::WA4;
use crate::ErrorClass::{self, Permanent, RateLimited, Reauth, Retryable};
use crate::whatsapp::{SendError, Sent, classify, error_class, parse_send_response};

fn err(status: u16, body: &str) -> SendError {
    match parse_send_response(status, body.as_bytes()) {
        Err(e) => e,
        Ok(sent) => panic!("{status} {body} should fail, got {sent:?}"),
    }
}

#[test]
fn success_with_and_without_message_status() {
    let plain = r#"{"messaging_product":"whatsapp","contacts":[{"input":"+16505551234","wa_id":"16505551234"}],"messages":[{"id":"wamid.OK1"}]}"#;
    assert_eq!(
        parse_send_response(200, plain.as_bytes()),
        Ok(Sent {
            wamid: "wamid.OK1".into(),
            wa_id: Some("16505551234".into()),
            user_id: None,
            message_status: None
        })
    );
    let template = r#"{"messaging_product":"whatsapp","contacts":[{"input":"US.1349","user_id":"US.1349"}],"messages":[{"id":"wamid.OK2","message_status":"accepted"}]}"#;
    assert_eq!(
        parse_send_response(200, template.as_bytes()),
        Ok(Sent {
            wamid: "wamid.OK2".into(),
            wa_id: None,
            user_id: Some("US.1349".into()),
            message_status: Some("accepted".into())
        })
    );
}

#[test]
fn a_2xx_without_an_id_is_retryable() {
    for body in [
        "",
        "{}",
        r#"{"messages":[]}"#,
        r#"{"messages":[{"message_status":"accepted"}]}"#,
        "<html>",
    ] {
        let e = err(200, body);
        assert_eq!(
            (e.class, e.http_status, e.code),
            (Retryable, 200, None),
            "{body}"
        );
        assert!(!e.message.is_empty());
    }
}

#[test]
fn wa4_expired_token_is_reauth_and_keeps_the_message() {
    let e = match parse_send_response(401, WA4) {
        Err(e) => e,
        Ok(sent) => panic!("WA-4 must fail, got {sent:?}"),
    };
    assert_eq!(e.class, Reauth);
    assert_eq!(e.http_status, 401);
    assert_eq!((e.code, e.subcode), (Some(190), Some(463)));
    assert!(
        e.message
            .starts_with("Error validating access token: Session has expired"),
        "{}",
        e.message
    );
    assert_eq!(e.to_string(), e.message);
    assert_eq!(e.fbtrace_id.as_deref(), Some("ACEyrTehk6IAd0lm05Ixogh"));
    assert_eq!(e.details, None);
}

#[test]
fn graph_errors_are_read_and_classified() {
    let window = err(
        400,
        r#"{"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,
            "error_data":{"messaging_product":"whatsapp","details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
            "fbtrace_id":"AbC"}}"#,
    );
    assert_eq!((window.class, window.code), (Permanent, Some(131_047)));
    assert_eq!(window.message, "(#131047) Re-engagement message");
    assert!(
        window
            .details
            .as_deref()
            .is_some_and(|d| d.contains("24 hours"))
    );

    let throttled = err(
        429,
        r#"{"error":{"message":"(#130429) Rate limit hit","code":130429,"error_data":{"details":"Cloud API message throughput has been reached."}}}"#,
    );
    assert_eq!(
        (throttled.class, throttled.code),
        (RateLimited, Some(130_429))
    );

    let template = err(
        400,
        r#"{"error":{"message":"(#132001) Template name does not exist in the translation","code":"132001","error_data":"template missing"}}"#,
    );
    assert_eq!(
        (template.class, template.code, template.details.as_deref()),
        (Permanent, Some(132_001), Some("template missing"))
    );

    let transient = err(
        400,
        r#"{"error":{"message":"Please retry","code":100,"is_transient":true}}"#,
    );
    assert_eq!(transient.class, Retryable);

    let no_message = err(400, r#"{"error":{"code":100}}"#);
    assert!(no_message.message.contains("400"), "{}", no_message.message);
}

#[test]
fn unreadable_error_bodies_keep_an_excerpt() {
    let garbage = format!("<html>{}</html>", "x".repeat(500));
    let e = err(500, &garbage);
    assert_eq!((e.class, e.code, e.http_status), (Retryable, None, 500));
    assert_eq!(e.message.chars().count(), 200);
    assert!(e.message.starts_with("<html>xxx"));

    let accents = "é".repeat(300);
    assert_eq!(
        err(502, &accents).message,
        "é".repeat(200),
        "cut on characters, not bytes"
    );
    assert!(err(503, "").message.contains("503"));
    assert_eq!(err(404, r#"{"error":"nope"}"#).class, Permanent);
    assert_eq!(err(401, "Unauthorized").class, Reauth);
}

#[test]
fn classification_table() {
    let table: [(u16, Option<i64>, ErrorClass); 30] = [
        (401, Some(0), Reauth),
        (401, Some(190), Reauth),
        (400, Some(190), Reauth),
        (401, None, Reauth),
        (500, Some(190), Reauth),
        (400, Some(4), RateLimited),
        (400, Some(80007), RateLimited),
        (429, Some(130_429), RateLimited),
        (400, Some(131_056), RateLimited),
        (429, None, RateLimited),
        (500, Some(131_000), Retryable),
        (400, Some(1), Retryable),
        (400, Some(2), Retryable),
        (500, None, Retryable),
        (503, None, Retryable),
        (408, None, Retryable),
        (400, Some(131_047), Permanent),
        (400, Some(131_026), Permanent),
        (404, Some(132_001), Permanent),
        (400, Some(100), Permanent),
        (400, Some(131_008), Permanent),
        (400, Some(131_009), Permanent),
        (400, Some(368), Permanent),
        (403, Some(10), Permanent),
        (403, Some(200), Permanent),
        (403, Some(299), Permanent),
        (400, Some(131_051), Permanent),
        (400, None, Permanent),
        (404, None, Permanent),
        (200, Some(-1), Permanent),
    ];
    for (status, code, class) in table {
        assert_eq!(classify(status, code), class, "HTTP {status} code {code:?}");
    }
    let async_table = [
        (131_047, Permanent),
        (131_026, Permanent),
        (131_000, Retryable),
        (130_429, RateLimited),
        (131_056, RateLimited),
        (190, Reauth),
        (0, Reauth),
        (132_015, Permanent),
    ];
    for (code, class) in async_table {
        assert_eq!(error_class(code), class, "code {code}");
    }
}
