//! Template list pages, media metadata and upload answers (§1.8, §1.9).

use serde_json::json;

use crate::whatsapp::{ParseError, parse_media_info, parse_templates_page, parse_upload_response};

const PAGE_WITH_NEXT: &str = r#"{"data":[
  {"name":"pedido_enviado","parameter_format":"POSITIONAL","components":[{"type":"BODY","text":"Seu pedido {{1}} saiu."}],"language":"pt_BR","status":"APPROVED","category":"UTILITY","id":"594425479261596"},
  {"name":"promo","components":[],"language":"pt_BR","status":"REJECTED","category":"MARKETING","id":594425479261597},
  {"name":"no_id","language":"pt_BR","status":"APPROVED","category":"UTILITY"}],
 "paging":{"cursors":{"before":"QVFIUmxB","after":"QVFI+Ym9/dA=="},"next":"https://graph.facebook.com/v25.0/102290129340398/message_templates?after=QVFI%2BYm9%2FdA%3D%3D"}}"#;

#[test]
fn a_templates_page_with_next_gives_the_after_cursor() {
    let (templates, after) = match parse_templates_page(PAGE_WITH_NEXT.as_bytes()) {
        Ok(page) => page,
        Err(e) => panic!("page should parse: {e}"),
    };
    assert_eq!(after.as_deref(), Some("QVFI+Ym9/dA=="));
    let names: Vec<&str> = templates.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["pedido_enviado", "promo"],
        "entries without id are skipped"
    );
    let first = &templates[0];
    assert_eq!(first.id, "594425479261596");
    assert_eq!(
        (
            first.language.as_str(),
            first.status.as_str(),
            first.category.as_str()
        ),
        ("pt_BR", "APPROVED", "UTILITY")
    );
    assert_eq!(first.parameter_format.as_deref(), Some("POSITIONAL"));
    assert_eq!(
        first.components,
        json!([{"type":"BODY","text":"Seu pedido {{1}} saiu."}])
    );
    assert_eq!(templates[1].id, "594425479261597");
    assert_eq!(templates[1].parameter_format, None);
}

#[test]
fn the_last_page_has_no_cursor() {
    let last = r#"{"data":[{"id":"1","name":"a","language":"en_US","status":"PAUSED","category":"MARKETING"}],
                   "paging":{"cursors":{"before":"QQ","after":"Qg"}}}"#;
    let Ok((templates, after)) = parse_templates_page(last.as_bytes()) else {
        panic!("last page should parse");
    };
    assert_eq!((templates.len(), after), (1, None));
    assert_eq!(templates[0].components, json!([]));
    let Ok((empty, none)) = parse_templates_page(br#"{"data":[]}"#) else {
        panic!("empty page should parse");
    };
    assert!(empty.is_empty() && none.is_none());
}

#[test]
fn a_templates_answer_without_data_is_an_error() {
    let error = br#"{"error":{"message":"(#100) Invalid parameter","code":100}}"#;
    assert!(matches!(
        parse_templates_page(error),
        Err(ParseError::Shape(_))
    ));
    assert!(matches!(
        parse_templates_page(b"[]"),
        Err(ParseError::Shape(_))
    ));
    assert!(matches!(
        parse_templates_page(b"{"),
        Err(ParseError::Json(_))
    ));
}

#[test]
fn media_info_reads_file_size_as_string_or_number() {
    let as_string = br#"{"messaging_product":"whatsapp","url":"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2&hash=3","mime_type":"image/jpeg","sha256":"abc=","file_size":"303833","id":"1003383421387256"}"#;
    let Ok(info) = parse_media_info(as_string) else {
        panic!("media info should parse");
    };
    assert_eq!(info.file_size, Some(303_833));
    assert_eq!(info.id.as_deref(), Some("1003383421387256"));
    assert_eq!(info.mime_type.as_deref(), Some("image/jpeg"));
    assert_eq!(info.sha256.as_deref(), Some("abc="));
    assert!(info.url.starts_with("https://lookaside.fbsbx.com/"));

    let as_number = br#"{"url":"https://x/y","file_size":303833}"#;
    assert_eq!(
        parse_media_info(as_number).ok().and_then(|i| i.file_size),
        Some(303_833)
    );
    let odd = br#"{"url":"https://x/y","file_size":"big"}"#;
    assert_eq!(
        parse_media_info(odd).ok().map(|i| (i.file_size, i.id)),
        Some((None, None))
    );
    assert!(matches!(
        parse_media_info(br#"{"id":"1"}"#),
        Err(ParseError::Shape(_))
    ));
    assert!(matches!(
        parse_media_info(b"not json"),
        Err(ParseError::Json(_))
    ));
}

#[test]
fn upload_answers_give_the_media_id() {
    assert_eq!(
        parse_upload_response(br#"{"id":"1037543291543636"}"#)
            .ok()
            .as_deref(),
        Some("1037543291543636")
    );
    assert_eq!(
        parse_upload_response(br#"{"id":1037543291543636}"#)
            .ok()
            .as_deref(),
        Some("1037543291543636")
    );
    assert!(matches!(
        parse_upload_response(br#"{"error":{"code":131053}}"#),
        Err(ParseError::Shape(_))
    ));
    assert!(matches!(
        parse_upload_response(br#"{"id":""}"#),
        Err(ParseError::Shape(_))
    ));
    assert!(matches!(
        parse_upload_response(b""),
        Err(ParseError::Json(_))
    ));
}
