//! Envelope cases: batching, routing, template statuses, value errors,
//! unknown fields and statuses, and bodies that are not webhooks.

use super::{BATCH, ECHOES, TEMPLATE_STATUS, VALUE_ERRORS, events, statuses};
use crate::whatsapp::{Content, Event, ParseError, UNKNOWN_ERROR_CODE, WaStatus, parse_webhook};

/// A compact description of an event, for order assertions.
fn describe(e: &Event) -> String {
    match e {
        Event::Message(m) => format!("message {} @{}", m.wamid, m.phone_number_id),
        Event::Status(s) => format!(
            "status {} {} @{}",
            s.wamid,
            s.status.as_str(),
            s.phone_number_id
        ),
        Event::TemplateStatus(t) => format!("template {:?}", t.name),
        Event::ValueErrors { errors, .. } => format!("errors {}", errors.len()),
        Event::Ignored { field } => format!("ignored {field}"),
    }
}

#[test]
fn a_batch_of_two_entries_by_two_changes_keeps_order_and_routing() {
    let got: Vec<String> = events(BATCH).iter().map(describe).collect();
    assert_eq!(
        got,
        [
            "message wamid.BATCH-1 @900000000000001",
            "status wamid.OUT-1 delivered @900000000000002",
            "status wamid.OUT-2 sent @900000000000001",
            "status wamid.OUT-2 delivered @900000000000001",
            "message wamid.BATCH-2 @900000000000002",
            "message wamid.BATCH-3 @900000000000002",
        ]
    );
    let names: Vec<Option<String>> = events(BATCH)
        .into_iter()
        .filter_map(|e| match e {
            Event::Message(m) => Some(m.profile_name),
            _ => None,
        })
        .collect();
    assert_eq!(
        names,
        [
            Some("Cliente Um".into()),
            Some("Cliente Dois".into()),
            Some("Cliente Dois".into())
        ]
    );
}

#[test]
fn template_status_updates_read_numeric_and_string_ids() {
    let all = events(TEMPLATE_STATUS);
    let [
        Event::TemplateStatus(approved),
        Event::TemplateStatus(rejected),
    ] = all.as_slice()
    else {
        panic!("two template statuses expected, got {all:?}");
    };
    assert_eq!(approved.waba_id.as_deref(), Some("102290129340398"));
    assert_eq!(approved.event.as_deref(), Some("APPROVED"));
    assert_eq!(approved.template_id.as_deref(), Some("594425479261596"));
    assert_eq!(approved.name.as_deref(), Some("pedido_enviado"));
    assert_eq!(approved.language.as_deref(), Some("pt_BR"));
    assert_eq!(approved.reason.as_deref(), Some("NONE"));
    assert_eq!(approved.category.as_deref(), Some("UTILITY"));
    assert_eq!(rejected.template_id.as_deref(), Some("594425479261597"));
    assert_eq!(rejected.reason.as_deref(), Some("PROMOTIONAL"));
    assert_eq!(rejected.category, None);
    assert_eq!(
        rejected.raw["rejection_info"]["recommendation"],
        "Use a categoria MARKETING."
    );
}

#[test]
fn value_level_errors_become_one_event() {
    let all = events(VALUE_ERRORS);
    let [
        Event::ValueErrors {
            phone_number_id,
            errors,
        },
    ] = all.as_slice()
    else {
        panic!("one ValueErrors expected, got {all:?}");
    };
    assert_eq!(phone_number_id.as_deref(), Some("106540352242922"));
    let codes: Vec<i64> = errors.iter().map(|e| e.code).collect();
    assert_eq!(codes, [131_000, 130_501, UNKNOWN_ERROR_CODE]);
    assert_eq!(
        errors[0].details.as_deref(),
        Some("Message failed to send because of an unknown error.")
    );
    assert_eq!(
        errors[1].details.as_deref(),
        Some("Inbound media larger than 100 MB."),
        "string error_data"
    );
    assert_eq!(errors[2].title.as_deref(), Some("No code at all"));
}

#[test]
fn unknown_fields_are_ignored_and_unknown_statuses_skipped() {
    let got: Vec<String> = events(ECHOES).iter().map(describe).collect();
    assert_eq!(
        got,
        [
            "ignored smb_message_echoes",
            "status wamid.OUT-9 delivered @106540352242922",
            "status wamid.OUT-9 played @106540352242922",
            "ignored account_update",
        ]
    );
    let delivered = &statuses(ECHOES)[0];
    assert_eq!(delivered.status, WaStatus::Delivered);
    assert_eq!(
        delivered.recipient_user_id.as_deref(),
        Some("US.13491208655302741918")
    );
    assert_eq!(
        delivered.biz_opaque_callback_data.as_deref(),
        Some("att=42;msg=7")
    );
    assert_eq!(
        delivered
            .pricing
            .as_ref()
            .map(|p| p["pricing_model"].clone()),
        Some("PMP".into())
    );
    assert_eq!(delivered.conversation, None);
}

#[test]
fn malformed_json_is_a_json_error_with_its_position() {
    let err = parse_webhook(b"{\"object\": \"whatsapp_business_account\",\n \"entry\": [}")
        .expect_err("must fail");
    let ParseError::Json(msg) = &err else {
        panic!("Json error expected, got {err:?}");
    };
    assert!(msg.contains("line 2"), "{msg}");
    assert!(err.to_string().starts_with("JSON inválido: "), "{err}");
    assert!(matches!(parse_webhook(b""), Err(ParseError::Json(_))));
    assert!(matches!(
        parse_webhook(b"\xff\xfe"),
        Err(ParseError::Json(_))
    ));
}

#[test]
fn json_that_is_not_a_whatsapp_webhook_is_a_shape_error() {
    for body in [
        r#"[]"#,
        r#""whatsapp_business_account""#,
        r#"42"#,
        r#"null"#,
        r#"{"object":"page","entry":[]}"#,
        r#"{"object":"instagram","entry":[]}"#,
        r#"{"object":7}"#,
    ] {
        assert!(
            matches!(parse_webhook(body.as_bytes()), Err(ParseError::Shape(_))),
            "{body}"
        );
    }
}

#[test]
fn lenient_envelopes_give_what_they_can() {
    let cases: [(&str, usize); 7] = [
        (r#"{}"#, 0),
        (r#"{"object":null,"entry":[]}"#, 0),
        (r#"{"entry":{"id":"x"}}"#, 0),
        (r#"{"entry":[1,"x",null,{"changes":"no"}]}"#, 0),
        (r#"{"entry":[{"changes":[{"value":{}}]}]}"#, 1),
        (
            r#"{"entry":[{"changes":[{"field":"messages","value":[]}]}]}"#,
            0,
        ),
        (
            r#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"type":"text"}],"statuses":[{"id":"w","status":7}]}}]}]}"#,
            0,
        ),
    ];
    for (body, count) in cases {
        match parse_webhook(body.as_bytes()) {
            Ok(events) => assert_eq!(events.len(), count, "{body}: {events:?}"),
            Err(e) => panic!("{body} should parse: {e}"),
        }
    }
}

#[test]
fn garbage_values_degrade_to_defaults() {
    let body = r#"{"entry":[{"changes":[{"field":"messages","value":{
        "metadata":{"phone_number_id":106540352242922},
        "messages":[
          {"id":"w1","timestamp":"yesterday","type":"text","text":"not an object"},
          {"id":"w2","type":"location","location":{"latitude":"NaN","longitude":1}},
          {"id":"w3","type":"reaction","reaction":{"emoji":"x"}},
          {"id":"w4"}]}}]}]}"#;
    let all = events(body.as_bytes());
    let msgs: Vec<_> = all
        .iter()
        .filter_map(|e| {
            if let Event::Message(m) = e {
                Some(m)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(msgs.len(), 4);
    assert_eq!(msgs[0].phone_number_id, "106540352242922");
    assert_eq!((msgs[0].timestamp, msgs[0].from.as_deref()), (0, None));
    assert_eq!(
        msgs[0].content,
        Content::Text {
            body: String::new()
        }
    );
    assert_eq!(msgs[0].content.text(), None);
    assert_eq!(
        msgs[1].content,
        Content::Unsupported {
            kind: "location".into()
        }
    );
    assert_eq!(
        msgs[2].content,
        Content::Unsupported {
            kind: "reaction".into()
        }
    );
    assert_eq!(
        msgs[3].content,
        Content::Unsupported {
            kind: "unknown".into()
        }
    );
    assert!(
        msgs.iter()
            .all(|m| m.context.is_none() && m.referral.is_none() && m.profile_name.is_none())
    );
}
