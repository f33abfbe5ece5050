//! Tenant isolation: another organization's ids name nothing. Every endpoint
//! answers 404 for them, changes nothing, and no list shows them.

use reqwest::Method;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    Session, TestApp, add_member, assert_error, create_department, create_inbox, seed_conversation,
};

/// What org A owns, by id.
struct OrgA {
    org: String,
    admin: String,
    department: String,
    user: String,
    inbox: String,
    tag: String,
    field: String,
    token_id: String,
    token: String,
    conversation: String,
}

impl OrgA {
    fn ids(&self) -> [&str; 10] {
        [
            &self.org,
            &self.admin,
            &self.department,
            &self.user,
            &self.inbox,
            &self.tag,
            &self.field,
            &self.token_id,
            &self.token,
            &self.conversation,
        ]
    }
}

async fn populate(app: &TestApp, admin: &Session) -> OrgA {
    let department = create_department(admin, "Suporte A").await;
    let agent = app.named_user(admin, "agent", "Agente A").await;
    add_member(admin, &department, &agent.user_id).await;
    let inbox = create_inbox(admin, "PNID-A").await;
    let tag = admin
        .post_json("/api/v1/tags", json!({"name": "VIP A", "color": "#ff0000"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let field = admin
        .post_json(
            "/api/v1/custom-fields",
            json!({"key": "plano", "label": "Plano", "field_type": "text"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = admin
        .post_json("/api/v1/tokens", json!({"name": "CRM A"}))
        .await;
    let conversation = seed_conversation(app, &inbox, "5511988880001", "Cliente A").await;
    OrgA {
        org: app.org_id.clone(),
        admin: admin.user_id.clone(),
        department,
        user: agent.user_id,
        inbox,
        tag,
        field,
        token_id: t["id"].as_str().unwrap().to_string(),
        token: t["token"].as_str().unwrap().to_string(),
        conversation,
    }
}

/// Everything org A can read about what it owns, to compare before/after.
async fn snapshot(admin: &Session, a: &OrgA) -> Vec<Value> {
    let mut out = Vec::new();
    for path in [
        format!("/api/v1/users/{}", a.user),
        "/api/v1/users".to_string(),
        "/api/v1/departments".to_string(),
        format!("/api/v1/departments/{}/members", a.department),
        format!("/api/v1/inboxes/{}", a.inbox),
        "/api/v1/tags".to_string(),
        "/api/v1/custom-fields".to_string(),
        "/api/v1/tokens".to_string(),
        format!("/api/v1/orgs/{}", a.org),
        format!("/api/v1/conversations/{}", a.conversation),
        format!("/api/v1/conversations/{}/messages", a.conversation),
        "/api/v1/events?after=0&limit=5000".to_string(),
    ] {
        out.push(admin.get_json(&path).await);
    }
    out
}

#[tokio::test]
async fn another_organizations_ids_are_404_everywhere_and_change_nothing() {
    let app = TestApp::spawn().await;
    let admin_a = app.admin().await;
    let a = populate(&app, &admin_a).await;
    let before = snapshot(&admin_a, &a).await;

    let b = app.other_org().await;
    let dept_b = create_department(&b, "Suporte B").await;
    let b_user = b.user_id.clone();
    let wa = json!({"phone_number_id": "PNID-B", "waba_id": "W", "access_token": "t",
                    "app_secret": "s", "verify_token": "v"});
    let conv = |rest: &str| format!("/api/v1/conversations/{}{rest}", a.conversation);
    let cases: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/api/v1/users/{}", a.user), None),
        (
            Method::PATCH,
            format!("/api/v1/users/{}", a.user),
            Some(json!({"name": "Invasor"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/users/{}", a.user),
            Some(json!({"role": "admin", "active": false})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/departments/{}", a.department),
            Some(json!({"name": "Invasor"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/departments/{}", a.department),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/departments/{}/members", a.department),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/departments/{}/members", a.department),
            Some(json!({"user_id": a.user})),
        ),
        (
            Method::POST,
            format!("/api/v1/departments/{}/members", a.department),
            Some(json!({"user_id": b_user})),
        ),
        (
            Method::POST,
            format!("/api/v1/departments/{dept_b}/members"),
            Some(json!({"user_id": a.user})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/departments/{}/members/{}", a.department, a.user),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/departments/{dept_b}/members/{}", a.user),
            None,
        ),
        (Method::GET, format!("/api/v1/inboxes/{}", a.inbox), None),
        (
            Method::PATCH,
            format!("/api/v1/inboxes/{}", a.inbox),
            Some(json!({"name": "Invasor", "chatbot_enabled": false})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/inboxes/{}", a.inbox),
            Some(json!({"whatsapp": wa})),
        ),
        (Method::DELETE, format!("/api/v1/inboxes/{}", a.inbox), None),
        (
            Method::PATCH,
            format!("/api/v1/tags/{}", a.tag),
            Some(json!({"name": "Invasor"})),
        ),
        (Method::DELETE, format!("/api/v1/tags/{}", a.tag), None),
        (
            Method::PATCH,
            format!("/api/v1/custom-fields/{}", a.field),
            Some(json!({"label": "Invasor"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/custom-fields/{}", a.field),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/tokens/{}", a.token_id),
            None,
        ),
        (Method::GET, format!("/api/v1/orgs/{}", a.org), None),
        (
            Method::PATCH,
            format!("/api/v1/orgs/{}", a.org),
            Some(json!({"name": "Invasor"})),
        ),
        (Method::GET, conv(""), None),
        (Method::GET, conv("/messages"), None),
        (
            Method::POST,
            conv("/messages"),
            Some(json!({"text": "Olá de outra empresa"})),
        ),
        (
            Method::POST,
            conv("/messages"),
            Some(json!({"text": "nota", "internal": true})),
        ),
        (
            Method::POST,
            conv("/assign"),
            Some(json!({"agent_id": b_user})),
        ),
        (
            Method::POST,
            conv("/assign"),
            Some(json!({"department_id": dept_b})),
        ),
        (Method::POST, conv("/close"), None),
        (Method::POST, conv("/close"), Some(json!({"in_minutes": 5}))),
        (Method::DELETE, conv("/close"), None),
        (Method::POST, conv("/read"), None),
        (Method::POST, conv("/unread"), None),
    ];
    for (method, path, body) in cases {
        let r = b.send(method.clone(), &path, body).await;
        let status = r.status();
        let text = r.text().await.unwrap();
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["error"]["code"], "not_found", "{method} {path}: {text}");
    }

    // Org B's own lists show nothing of org A.
    let b_org = b.get_json("/api/v1/me").await["user"]["org_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(b_org, a.org);
    for path in [
        "/api/v1/users",
        "/api/v1/departments",
        "/api/v1/inboxes",
        "/api/v1/tags",
        "/api/v1/custom-fields",
        "/api/v1/tokens",
        "/api/v1/orgs",
        "/api/v1/conversations?view=all",
        "/api/v1/events?after=0&limit=5000",
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let text = r.text().await.unwrap();
        for id in a.ids() {
            assert!(!text.contains(id), "{path} shows org A's {id}: {text}");
        }
        for name in [
            "Suporte A",
            "Agente A",
            "VIP A",
            "Plano",
            "Cliente A",
            "CRM A",
        ] {
            assert!(!text.contains(name), "{path} shows org A's {name:?}");
        }
    }
    let users = b.get_json("/api/v1/users").await;
    assert_eq!(users.as_array().unwrap().len(), 1, "{users}");
    assert_eq!(users[0]["id"], b_user.as_str());
    let depts = b.get_json("/api/v1/departments").await;
    assert_eq!(depts.as_array().unwrap().len(), 1, "{depts}");
    assert_eq!(depts[0]["id"], dept_b.as_str());
    for path in ["/api/v1/inboxes", "/api/v1/tags", "/api/v1/custom-fields"] {
        assert_eq!(b.get_json(path).await, json!([]), "{path}");
    }
    let chats = b.get_json("/api/v1/conversations?view=all").await;
    assert_eq!(chats["items"], json!([]));
    let events = b.get_json("/api/v1/events?after=0&limit=5000").await;
    for e in events["events"].as_array().unwrap() {
        assert!(e["conversation_id"].is_null(), "{e}");
    }

    // Org A sees exactly what it had, and no event was appended to its log.
    let after = snapshot(&admin_a, &a).await;
    assert_eq!(before, after, "a refused request changed org A");
    let me = admin_a.with_token(&a.token).get("/api/v1/me").await;
    assert_eq!(me.status(), StatusCode::OK, "org A's token was revoked");
}

#[tokio::test]
async fn a_malformed_or_wrong_kind_of_id_in_a_path_is_404() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let dept = create_department(&admin, "Vendas").await;
    let inbox = create_inbox(&admin, "PNID-1").await;
    let conv = seed_conversation(&app, &inbox, "5511977770001", "Cliente").await;
    let cases: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/users/nao-e-um-id".into(), None),
        (
            Method::PATCH,
            "/api/v1/users/123".into(),
            Some(json!({"name": "x"})),
        ),
        (
            Method::PATCH,
            "/api/v1/departments/abc".into(),
            Some(json!({"name": "x"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/departments/{dept}/members/xyz"),
            None,
        ),
        (Method::GET, "/api/v1/inboxes/%20".into(), None),
        (Method::DELETE, "/api/v1/tags/0".into(), None),
        (Method::DELETE, "/api/v1/custom-fields/zz".into(), None),
        (Method::DELETE, "/api/v1/tokens/zz".into(), None),
        (Method::GET, "/api/v1/orgs/zz".into(), None),
        (Method::GET, "/api/v1/conversations/zz".into(), None),
        (
            Method::GET,
            "/api/v1/conversations/zz/messages".into(),
            None,
        ),
        (
            Method::POST,
            "/api/v1/conversations/zz/messages".into(),
            Some(json!({"text": "oi"})),
        ),
        (Method::POST, "/api/v1/conversations/zz/close".into(), None),
        // Well-formed ids of the wrong kind name nothing either.
        (Method::GET, format!("/api/v1/conversations/{dept}"), None),
        (Method::GET, format!("/api/v1/users/{conv}"), None),
        (Method::GET, format!("/api/v1/inboxes/{conv}"), None),
        (Method::GET, format!("/api/v1/orgs/{inbox}"), None),
    ];
    for (method, path, body) in cases {
        let r = admin.send(method, &path, body).await;
        assert_error(r, StatusCode::NOT_FOUND, "not_found").await;
    }
}
