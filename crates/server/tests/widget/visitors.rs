//! Visitors: the pre-chat form, sessions and their refresh, verified
//! identities, allowed sites and rate limits.

use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::support::{SITE, Wc};

fn contacts(wc: &Wc) -> String {
    format!("/widget/v1/inboxes/{}/contacts", wc.inbox_id)
}

#[tokio::test]
async fn the_pre_chat_form_is_checked_and_the_visitor_becomes_a_contact() {
    let wc = Wc::start_with(json!({"allowed_origins": [SITE],
        "prechat": {"name": "required", "email": "optional", "phone": "off"}}))
    .await;
    for (fields, why) in [
        (json!({}), "name is required"),
        (json!({"name": "  "}), "a blank name"),
        (json!({"name": "Lia", "email": "lia@"}), "a bad e-mail"),
        (json!({"name": "Lia", "phone": "12"}), "a bad phone"),
        (json!({"name": "Lia", "age": 3}), "an unknown field"),
    ] {
        let a = wc
            .call(Method::POST, &contacts(&wc), None, Some(fields))
            .await;
        assert!(
            a.status == 422 || a.status == 400,
            "{why}: {} {}",
            a.status,
            a.body
        );
    }
    let a = wc
        .call(
            Method::POST,
            &contacts(&wc),
            None,
            Some(json!({"name": "Lia Souza", "email": "Lia@Example.com"})),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["name"], "Lia Souza");
    let contact = wc
        .admin
        .get_json(&format!(
            "/api/v1/contacts/{}",
            a.body["contact_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(contact["name"], "Lia Souza");
    assert_eq!(contact["email"], "lia@example.com");

    // The session refreshes: same contact and conversation, a new token.
    let token = a.body["session_token"].as_str().unwrap();
    let r = wc
        .call(
            Method::POST,
            &contacts(&wc),
            None,
            Some(json!({"session_token": token})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["contact_id"], a.body["contact_id"]);
    assert_eq!(r.body["conversation_id"], a.body["conversation_id"]);
    // A forged or foreign token is refused, and creates nothing.
    let forged = format!("{}x", &token[..token.len() - 1]);
    let r = wc
        .call(
            Method::POST,
            &contacts(&wc),
            None,
            Some(json!({"session_token": forged})),
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.body);
    let other = Wc::start().await;
    let r = other
        .call(
            Method::POST,
            &contacts(&other),
            None,
            Some(json!({"session_token": token})),
        )
        .await;
    assert_eq!(
        r.status, 401,
        "a token of another server's inbox: {}",
        r.body
    );
}

#[tokio::test]
async fn anonymous_visitors_are_contacts_of_their_own() {
    let wc = Wc::start().await;
    let a = wc.visitor(json!({})).await;
    let b = wc.visitor(json!({})).await;
    assert_ne!(a.contact_id, b.contact_id);
    assert_ne!(a.conversation_id, b.conversation_id);
    let c = wc
        .admin
        .get_json(&format!("/api/v1/contacts/{}", a.contact_id))
        .await;
    assert!(c["name"].as_str().unwrap().starts_with("Visitante "), "{c}");
}

#[tokio::test]
async fn a_site_user_whose_id_verifies_is_one_contact_on_every_device() {
    let secret = "identity-secret-of-loja-0001";
    let wc = Wc::start_with(json!({"allowed_origins": [SITE], "identity_secret": secret})).await;
    let sign = |id: &str| {
        let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        m.update(id.as_bytes());
        hex::encode(m.finalize().into_bytes())
    };
    let phone = wc
        .visitor(json!({"identifier": "cliente-42", "identifier_hash": sign("cliente-42"), "name": "Rui"}))
        .await;
    let laptop = wc
        .visitor(json!({"identifier": "cliente-42", "identifier_hash": sign("cliente-42")}))
        .await;
    assert_eq!(phone.contact_id, laptop.contact_id);
    assert_eq!(phone.conversation_id, laptop.conversation_id);
    // A wrong signature is refused; no signature stays anonymous.
    let a = wc
        .call(
            Method::POST,
            &contacts(&wc),
            None,
            Some(json!({"identifier": "cliente-42", "identifier_hash": sign("cliente-43")})),
        )
        .await;
    assert_eq!(a.status, 401, "{}", a.body);
    let anon = wc.visitor(json!({"identifier": "cliente-42"})).await;
    assert_ne!(anon.contact_id, phone.contact_id);
}

#[tokio::test]
async fn only_allowed_sites_may_use_the_widget() {
    let wc = Wc::start().await;
    let v = wc.visitor(json!({})).await;
    let evil = Some("https://evil.example");
    let settings = format!("/widget/v1/inboxes/{}/settings", wc.inbox_id);
    let messages = format!("/widget/v1/conversations/{}/messages", v.conversation_id);
    let contacts_path = contacts(&wc);
    for (method, path, token, body) in [
        (Method::GET, settings.as_str(), None, None),
        (Method::POST, contacts_path.as_str(), None, Some(json!({}))),
        (Method::GET, messages.as_str(), Some(v.token.as_str()), None),
        (
            Method::POST,
            messages.as_str(),
            Some(v.token.as_str()),
            Some(json!({"client_message_id": "x1", "text": "oi"})),
        ),
    ] {
        let a = wc.call_from(evil, method.clone(), path, token, body).await;
        assert_eq!(a.status, 403, "{method} {path}: {}", a.body);
        assert_eq!(a.body["error"]["code"], "bad_origin");
    }
    assert!(
        wc.history(&v).await["messages"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing stored"
    );
    // Servers and apps (no Origin) use the API with the visitor's token.
    let a = wc
        .call_from(None, Method::GET, &messages, Some(&v.token), None)
        .await;
    assert_eq!(a.status, 200);
    // A preflight lets the site send the token and JSON.
    let r = wc
        .http
        .request(Method::OPTIONS, wc.app.url(&messages))
        .header("origin", SITE)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(r.headers()["access-control-allow-origin"], SITE);
    let allowed = r.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"));
}

#[tokio::test]
async fn a_visitor_is_rate_limited_and_told_when_to_try_again() {
    let wc = Wc::start().await;
    let v = wc.visitor(json!({})).await;
    let mut refused: Option<Value> = None;
    for n in 0..40 {
        let a = wc
            .send(
                &v,
                json!({"client_message_id": format!("m{n}"), "text": format!("oi {n}")}),
            )
            .await;
        if a.status == 429 {
            refused = Some(a.body);
            break;
        }
        assert_eq!(a.status, 201, "{}", a.body);
    }
    let body = refused.expect("the visitor was limited");
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(body["error"]["details"]["retry_after"].as_u64().unwrap() >= 1);
    // A repeat of a stored message is not counted: it is answered.
    let a = wc
        .send(&v, json!({"client_message_id": "m0", "text": "oi 0"}))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    // Another visitor is not limited by the first.
    let w = wc.visitor(json!({})).await;
    wc.says(&w, "olá").await;
}

#[tokio::test]
async fn truncated_and_mutated_bodies_never_fail_the_server() {
    let wc = Wc::start().await;
    let v = wc.visitor(json!({})).await;
    let wc1 = r#"{"client_message_id":"7f3c2a9e-1b4d-4c8e-9f2a-6d5e4c3b2a10","text":"Hi, I need help with billing"}"#;
    let contact = r#"{"name":"Lia","email":"lia@example.com","phone":"+5511999990000"}"#;
    let mut bodies: Vec<String> = Vec::new();
    for base in [wc1, contact] {
        for cut in (0..base.len()).step_by(3) {
            bodies.push(base[..cut].to_string());
        }
        for (i, _) in base.char_indices().step_by(5) {
            for with in ["\"", "{", "]", "\\u0000", "9e999", "null", "\u{1F600}"] {
                let mut b = base.to_string();
                b.replace_range(
                    i..i + base[i..].chars().next().map_or(0, char::len_utf8),
                    with,
                );
                bodies.push(b);
            }
        }
    }
    bodies.extend(
        [
            "[]",
            "42",
            "null",
            "\"x\"",
            "{\"text\":{\"a\":1}}",
            "{\"client_message_id\":1e400}",
        ]
        .map(String::from),
    );
    let paths = [
        (
            format!("/widget/v1/conversations/{}/messages", v.conversation_id),
            Some(v.token.clone()),
        ),
        (format!("/widget/v1/inboxes/{}/contacts", wc.inbox_id), None),
    ];
    let mut answered = 0;
    for body in &bodies {
        for (path, token) in &paths {
            let mut req = wc
                .http
                .post(wc.app.url(path))
                .header("origin", SITE)
                .header("content-type", "application/json")
                .body(body.clone());
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let r = req.send().await.unwrap();
            let status = r.status().as_u16();
            let text = r.text().await.unwrap_or_default();
            assert!(status < 500, "{path} {body:?}: {status} {text}");
            if status >= 400 && status != 429 {
                let e: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{text}"));
                assert!(e["error"]["code"].is_string(), "{text}");
            }
            answered += 1;
        }
    }
    assert!(answered > 200, "{answered} bodies tried");
}
