use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn login_ok_sets_an_httponly_cookie_and_me_answers() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let r = client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": app.admin_email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["user"]["email"], app.admin_email.as_str());
    assert_eq!(body["user"]["org_id"], app.org_id.as_str());
    assert!(body["user"].get("password_hash").is_none());
    let me: Value = client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["id"], body["user"]["id"]);
}

#[tokio::test]
async fn wrong_credentials_are_401_and_repeated_failures_are_rate_limited() {
    let app = TestApp::spawn_with(|c| c.login_max_attempts = 3).await;
    let client = reqwest::Client::new();
    for _ in 0..3 {
        let r = client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": app.admin_email, "password": "errada"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_credentials");
    }
    let r = client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": app.admin_email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits while blocked"
    );
    assert!(r.headers().get("retry-after").is_some());
    let r = client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "nobody@example.com", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the address is blocked too"
    );
}

#[tokio::test]
async fn cookie_writes_need_the_csrf_token_and_bearer_tokens_do_not() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let r = admin
        .client
        .post(app.url("/api/v1/tags"))
        .json(&json!({"name": "VIP"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "csrf");
    assert_eq!(
        admin
            .post("/api/v1/tags", json!({"name": "VIP"}))
            .await
            .status(),
        StatusCode::CREATED
    );
    let token = admin
        .post_json("/api/v1/tokens", json!({"name": "CRM"}))
        .await["token"]
        .as_str()
        .unwrap()
        .to_string();
    let plain = reqwest::Client::new();
    let r = plain
        .post(app.url("/api/v1/tags"))
        .bearer_auth(&token)
        .json(&json!({"name": "Novo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let list: Value = plain
        .get(app.url("/api/v1/tokens"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list[0].get("token").is_none(), "token secret listed");
    let id = list[0]["id"].as_str().unwrap();
    assert_eq!(
        plain
            .delete(app.url(&format!("/api/v1/tokens/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        plain
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    assert_eq!(
        admin.post("/api/v1/auth/logout", json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        admin.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn malformed_json_is_400_naming_the_problem() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let r = admin
        .client
        .post(app.url("/api/v1/departments"))
        .header("x-csrf-token", &admin.csrf)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_json");
    assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    let r = admin
        .post("/api/v1/departments", json!({"nome": "x"}))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["error"]["message"].as_str().unwrap().contains("name"),
        "{body}"
    );
    let depts = admin.get_json("/api/v1/departments").await;
    assert_eq!(
        depts.as_array().unwrap().len(),
        0,
        "a bad request changed something"
    );
}

#[tokio::test]
async fn health_ready_metrics_and_openapi_answer() {
    let app = TestApp::spawn().await;
    let c = reqwest::Client::new();
    assert_eq!(
        c.get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    assert_eq!(
        c.get(app.url("/readyz")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let m = c
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains("atende_http_requests_total"), "{m}");
    let doc: Value = c
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for p in [
        "/api/v1/auth/login",
        "/api/v1/conversations",
        "/api/v1/conversations/{id}/messages",
        "/api/v1/events",
        "/api/v1/inboxes",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p} missing from OpenAPI");
    }
    assert_eq!(
        c.get(app.url("/api/docs/")).send().await.unwrap().status(),
        StatusCode::OK
    );
}

/// The web app answers every path of its own; server paths never fall
/// through to it.
#[tokio::test]
async fn the_web_app_serves_its_routes_and_never_shadows_the_api() {
    let app = TestApp::spawn().await;
    let c = reqwest::Client::new();
    let root = c.get(app.url("/")).send().await.unwrap();
    assert_eq!(root.status(), StatusCode::OK);
    assert!(
        root.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let root = root.text().await.unwrap();
    assert!(root.contains("<title>Atende</title>"), "{root}");
    let deep = c.get(app.url("/conversas?chat=1")).send().await.unwrap();
    assert_eq!(deep.status(), StatusCode::OK);
    assert_eq!(
        deep.text().await.unwrap(),
        root,
        "app routes get index.html"
    );
    for path in ["/api/v1/nada", "/webhooks/nada", "/media/nada"] {
        let r = c.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "not_found", "{path}");
    }
    let missing = c.get(app.url("/assets/nada.js")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

/// The web app's typed client is generated from `web/openapi.json`: it must
/// be the server's current document (`make api-types` regenerates both).
#[test]
fn the_web_apps_api_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/openapi.json");
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("web/openapi.json")).unwrap();
    let current = serde_json::to_value(atende_server::app::openapi()).unwrap();
    assert!(
        committed == current,
        "web/openapi.json is out of date: run `make api-types` and commit the result"
    );
}
