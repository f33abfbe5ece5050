//! A widget inbox: its settings (secrets never returned), the script and
//! the chat page a browser loads, and the public settings the widget reads.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::support::{SITE, Wc};

#[tokio::test]
async fn a_widget_inbox_keeps_its_settings_and_never_returns_its_secret() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let secret = "s3cret-of-the-site-0123456789";
    let r = admin
        .post(
            "/api/v1/inboxes",
            json!({"name": "Site da Loja", "channel": "widget", "widget": {
                "allowed_origins": ["HTTPS://Loja.example/", "http://127.0.0.1:8081"],
                "title": "Fale com a gente", "greeting": "Olá! Como podemos ajudar?", "color": "#0A7D4F",
                "prechat": {"name": "required", "email": "optional"},
                "closed_message": "Voltamos amanhã às 8h.", "identity_secret": secret}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let inbox: Value = r.json().await.unwrap();
    let s = &inbox["settings"];
    assert_eq!(s["allowed_origins"], json!([SITE, "http://127.0.0.1:8081"]));
    assert_eq!(s["color"], "#0a7d4f");
    assert_eq!(
        s["prechat"],
        json!({"name": "required", "email": "optional", "phone": "off"})
    );
    assert_eq!(s["identity_verification"], true);
    assert!(s["public_key"].as_str().unwrap().starts_with("wc_"));
    assert_eq!(inbox["secrets_set"], json!(["identity_secret"]));
    let listed = admin.get("/api/v1/inboxes").await.text().await.unwrap();
    assert!(
        !listed.contains(secret),
        "the identity secret is never returned"
    );

    // A patch changes what it names and keeps the rest.
    let id = inbox["id"].as_str().unwrap();
    let r = admin
        .patch(
            &format!("/api/v1/inboxes/{id}"),
            json!({"widget": {"greeting": "Oi!", "identity_verification": false}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let patched: Value = r.json().await.unwrap();
    assert_eq!(patched["settings"]["greeting"], "Oi!");
    assert_eq!(patched["settings"]["allowed_origins"], s["allowed_origins"]);
    assert_eq!(patched["settings"]["public_key"], s["public_key"]);
    assert_eq!(patched["settings"]["identity_verification"], false);
    assert_eq!(patched["secrets_set"], json!([]));
}

#[tokio::test]
async fn bad_widget_settings_are_refused_and_store_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for (widget, code) in [
        (json!({}), "invalid"),
        (json!({"allowed_origins": []}), "invalid"),
        (json!({"allowed_origins": ["loja.example"]}), "invalid"),
        (
            json!({"allowed_origins": [SITE], "color": "verde"}),
            "invalid",
        ),
        (
            json!({"allowed_origins": [SITE], "prechat": {"name": "sometimes"}}),
            "invalid_body",
        ),
        (
            json!({"allowed_origins": [SITE], "identity_secret": "curto"}),
            "invalid",
        ),
    ] {
        let r = admin
            .post(
                "/api/v1/inboxes",
                json!({"name": "Site", "channel": "widget", "widget": widget}),
            )
            .await;
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        assert!(status == 422 || status == 400, "{widget}: {status} {body}");
        assert_eq!(body["error"]["code"], code, "{widget}: {body}");
    }
    let r = admin
        .post(
            "/api/v1/inboxes",
            json!({"name": "Site", "channel": "widget"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let inboxes = admin.get_json("/api/v1/inboxes").await;
    assert!(
        inboxes
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["channel"] != "widget"),
        "nothing was stored: {inboxes}"
    );
}

#[tokio::test]
async fn the_widget_reads_its_settings_and_business_hours() {
    let wc = Wc::start_with(json!({"allowed_origins": [SITE], "greeting": "Olá!",
        "prechat": {"name": "required", "phone": "optional"}, "closed_message": "Estamos fechados."}))
    .await;
    let path = format!("/widget/v1/inboxes/{}/settings", wc.inbox_id);
    let a = wc.call(Method::GET, &path, None, None).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["title"], "Site", "the inbox's name by default");
    assert_eq!(a.body["greeting"], "Olá!");
    assert_eq!(a.body["color"], "#1f6feb");
    assert_eq!(
        a.body["prechat"],
        json!({"name": "required", "email": "off", "phone": "optional"})
    );
    assert_eq!(a.body["open"], true);
    assert_eq!(a.body["identity_verification"], false);
    assert!(a.body["max_file_bytes"].as_u64().unwrap() >= 10 * 1024 * 1024);
    assert_eq!(
        a.headers.get("access-control-allow-origin").unwrap(),
        SITE,
        "the embedding site reads the answer"
    );
    // No shifts at all: always closed (LC-22).
    let r = wc
        .admin
        .send(
            Method::PUT,
            &format!("/api/v1/inboxes/{}/business-hours", wc.inbox_id),
            Some(json!({"hours": {"time_zone": "America/Sao_Paulo", "shifts": []}})),
        )
        .await;
    assert_eq!(r.status(), 204);
    let a = wc.call(Method::GET, &path, None, None).await;
    assert_eq!(a.body["open"], false);
    assert_eq!(a.body["closed_message"], "Estamos fechados.");

    // Unknown or non-widget inboxes do not exist for the widget.
    let a = wc
        .call(
            Method::GET,
            &format!("/widget/v1/inboxes/{}/settings", uuid::Uuid::now_v7()),
            None,
            None,
        )
        .await;
    assert_eq!(a.status, 404);
    let a = wc
        .call(Method::GET, "/widget/v1/inboxes/nope/settings", None, None)
        .await;
    assert_eq!(a.status, 404);
}

#[tokio::test]
async fn the_script_is_served_compressed_and_cached_and_the_chat_page_framed_only_by_allowed_sites()
{
    let wc = Wc::start().await;
    let r = wc
        .http
        .get(wc.app.url("/widget/v1/widget.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(h["content-encoding"], "gzip");
    let etag = h["etag"].to_str().unwrap().to_string();
    let packed = r.bytes().await.unwrap();
    assert!(
        packed.len() < 40 * 1024,
        "{} bytes compressed",
        packed.len()
    );
    assert_eq!(packed.len(), atende_server::widget::page::script_gzip_len());
    let plain = wc
        .http
        .get(wc.app.url("/widget/v1/widget.js"))
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert!(plain.text().await.unwrap().contains("AtendeWidget"));
    let again = wc
        .http
        .get(wc.app.url("/widget/v1/widget.js"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    let page = wc
        .http
        .get(
            wc.app
                .url(&format!("/widget/v1/inboxes/{}/chat", wc.inbox_id)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains(&format!("frame-ancestors 'self' {SITE}")),
        "{csp}"
    );
    assert!(page.headers().get("x-frame-options").is_none());
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("data-inbox=\"{}\"", wc.inbox_id)));
    // The console itself still refuses to be framed.
    let console = wc
        .http
        .get(wc.app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(console.headers()["x-frame-options"], "DENY");
    // The visitor API is documented on its own.
    let doc: Value = wc
        .http
        .get(wc.app.url("/widget/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/widget/v1/inboxes/{inbox_id}/settings",
        "/widget/v1/inboxes/{inbox_id}/contacts",
        "/widget/v1/conversations/{conversation_id}/messages",
        "/widget/v1/conversations/{conversation_id}/uploads",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
}
