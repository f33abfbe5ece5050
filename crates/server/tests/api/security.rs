//! Security headers on everything the server answers (DESIGN §8): the
//! console, the API and errors carry a strict Content-Security-Policy, no
//! framing, no sniffing and no referrer.

use crate::helpers::TestApp;

fn assert_hardened(r: &reqwest::Response, what: &str) {
    let h = r.headers();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"))
        .to_str()
        .unwrap();
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(part), "{what}: {csp}");
    }
    assert!(!csp.contains("unsafe-eval"), "{what}: {csp}");
    assert!(
        !csp.split(';')
            .any(|d| d.trim().starts_with("script-src") && d.contains("unsafe-inline")),
        "{what}: {csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["referrer-policy"], "no-referrer", "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
}

#[tokio::test]
async fn the_console_the_api_and_errors_carry_the_security_headers() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let anon = reqwest::Client::new();
    let console = anon.get(app.url("/")).send().await.unwrap();
    assert_hardened(&console, "console");
    let me = admin.get("/api/v1/me").await;
    assert_eq!(me.status(), 200);
    assert_hardened(&me, "API");
    let denied = anon.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(denied.status(), 401);
    assert_hardened(&denied, "API error");
    let spec = anon
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_hardened(&spec, "OpenAPI document");
}
