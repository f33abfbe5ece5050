//! Roles and module permissions (AD-1), own-profile edits, inbox secrets and
//! authentication failures.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Session, TestApp, assert_error, create_department, create_inbox};

/// One request and the status each role gets.
struct Case {
    method: Method,
    path: String,
    body: Option<Value>,
    agent: u16,
    manager: u16,
    admin: u16,
}

fn case(method: Method, path: String, body: Option<Value>, expect: [u16; 3]) -> Case {
    let [agent, manager, admin] = expect;
    Case {
        method,
        path,
        body,
        agent,
        manager,
        admin,
    }
}

/// The table, for `role` (names and keys are unique per role so that every
/// allowed request can succeed). Expectations follow `Permissions::for_role`:
/// agents edit only the chat; managers edit departments, tags and custom
/// fields but only view users and inboxes; admins edit everything.
fn table(role: &str, victim: &str, inbox: &str, doomed_department: &str) -> Vec<Case> {
    let uniq = uuid::Uuid::new_v4().simple().to_string();
    vec![
        case(
            Method::POST,
            "/api/v1/users".into(),
            Some(
                json!({"email": format!("novo-{uniq}@example.com"), "name": "Novo",
                        "password": PASSWORD, "role": "agent"}),
            ),
            [403, 403, 201],
        ),
        case(
            Method::PATCH,
            format!("/api/v1/users/{victim}"),
            Some(json!({"role": "manager"})),
            [403, 403, 200],
        ),
        case(Method::GET, "/api/v1/users".into(), None, [403, 200, 200]),
        case(
            Method::POST,
            "/api/v1/departments".into(),
            Some(json!({"name": format!("Depto {role}")})),
            [403, 201, 201],
        ),
        case(
            Method::DELETE,
            format!("/api/v1/departments/{doomed_department}"),
            None,
            [403, 204, 204],
        ),
        case(
            Method::POST,
            "/api/v1/inboxes".into(),
            Some(json!({"name": "Outra", "channel": "whatsapp", "whatsapp": {
                "phone_number_id": format!("PNID-{uniq}"), "waba_id": "W", "access_token": "t",
                "app_secret": "s", "verify_token": "v"}})),
            [403, 403, 201],
        ),
        case(
            Method::PATCH,
            format!("/api/v1/inboxes/{inbox}"),
            Some(json!({"name": format!("Caixa {role}")})),
            [403, 403, 200],
        ),
        // Everyone who chats lists inboxes (no secrets): agents pick one for a new chat.
        case(Method::GET, "/api/v1/inboxes".into(), None, [200, 200, 200]),
        case(
            Method::POST,
            "/api/v1/tags".into(),
            Some(json!({"name": format!("Etiqueta {role}")})),
            [403, 201, 201],
        ),
        case(
            Method::POST,
            "/api/v1/custom-fields".into(),
            Some(json!({"key": format!("plano_{role}"), "label": "Plano", "field_type": "text"})),
            [403, 201, 201],
        ),
        case(Method::GET, "/api/v1/tags".into(), None, [200, 200, 200]),
    ]
}

#[tokio::test]
async fn each_role_gets_exactly_what_its_default_permissions_allow() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let agent = app.user(&admin, "agent").await;
    let manager = app.user(&admin, "manager").await;
    let inbox = create_inbox(&admin, "PNID-1").await;
    for (role, session) in [("agent", &agent), ("manager", &manager), ("admin", &admin)] {
        let victim = app.user(&admin, "agent").await.user_id;
        let doomed = create_department(&admin, &format!("Excluir {role}")).await;
        for c in table(role, &victim, &inbox, &doomed) {
            let expected = match role {
                "agent" => c.agent,
                "manager" => c.manager,
                _ => c.admin,
            };
            let r = session.send(c.method.clone(), &c.path, c.body).await;
            let status = r.status().as_u16();
            let text = r.text().await.unwrap();
            assert_eq!(
                status, expected,
                "{role}: {} {} answered {text}",
                c.method, c.path
            );
            if status == 403 {
                let v: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["error"]["code"], "forbidden", "{role}: {}", c.path);
            }
        }
        // A refused request changed nothing.
        let v = admin.get_json(&format!("/api/v1/users/{victim}")).await;
        let depts = admin.get_json("/api/v1/departments").await.to_string();
        if role == "agent" {
            assert_eq!(v["role"], "agent");
            assert!(depts.contains(&doomed), "agent deleted a department");
        } else {
            assert!(!depts.contains(&doomed), "{role} could not delete");
        }
    }
    let names: Vec<String> = admin
        .get_json("/api/v1/tags")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    assert!(!names.contains(&"Etiqueta agent".to_string()), "{names:?}");
    assert!(names.contains(&"Etiqueta manager".to_string()), "{names:?}");
}

/// Gives `user` the Users module with edit access on top of its permissions.
async fn grant_users_edit(admin: &Session, user: &Session) {
    let me = admin
        .get_json(&format!("/api/v1/users/{}", user.user_id))
        .await;
    let mut perms = me["permissions"].clone();
    perms["modules"]["users"] = json!("view_edit");
    let r = admin
        .patch(
            &format!("/api/v1/users/{}", user.user_id),
            json!({"permissions": perms}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_manager_grants_neither_admin_nor_permissions_it_lacks() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let manager = app.user(&admin, "manager").await;
    grant_users_edit(&admin, &manager).await;
    let count = || async {
        admin
            .get_json("/api/v1/users")
            .await
            .as_array()
            .unwrap()
            .len()
    };
    let before = count().await;
    let new = |role: &str, perms: Option<Value>| {
        let mut b = json!({"email": format!("x-{}@example.com", uuid::Uuid::new_v4().simple()),
                           "name": "X", "password": PASSWORD, "role": role});
        if let Some(p) = perms {
            b["permissions"] = p;
        }
        b
    };
    for body in [
        new("admin", None),
        new("agent", Some(json!({"modules": {"settings": "view_edit"}}))),
        new("agent", Some(json!({"modules": {"inboxes": "view_edit"}}))),
        new("agent", Some(json!({"capabilities": ["support_code"]}))),
    ] {
        let r = manager.post("/api/v1/users", body.clone()).await;
        assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    }
    assert_eq!(count().await, before, "a refused grant created a user");
    // What it has, it may give.
    let r = manager
        .post(
            "/api/v1/users",
            new("agent", Some(json!({"modules": {"chat": "view_edit"}}))),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let agent: Value = r.json().await.unwrap();
    let agent_id = agent["id"].as_str().unwrap();
    let r = manager
        .patch(
            &format!("/api/v1/users/{agent_id}"),
            json!({"role": "admin"}),
        )
        .await;
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = manager
        .patch(
            &format!("/api/v1/users/{agent_id}"),
            json!({"permissions": {"modules": {"chat": "view_edit"}, "capabilities": ["support_code"]}}),
        )
        .await;
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = manager
        .patch(
            &format!("/api/v1/users/{}", manager.user_id),
            json!({"permissions": {"modules": {"settings": "view_edit"}}}),
        )
        .await;
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let v = admin.get_json(&format!("/api/v1/users/{agent_id}")).await;
    assert_eq!(v["role"], "agent");
    assert_eq!(v["permissions"]["capabilities"], json!([]));
}

#[tokio::test]
async fn a_manager_cannot_take_over_or_demote_an_admin() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let manager = app.user(&admin, "manager").await;
    grant_users_edit(&admin, &manager).await;
    let path = format!("/api/v1/users/{}", admin.user_id);
    for body in [
        json!({"password": "tomada-de-conta-1"}),
        json!({"role": "agent"}),
        json!({"active": false}),
        json!({"name": "Ex-admin"}),
    ] {
        let r = manager.patch(&path, body.clone()).await;
        assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let v = admin.get_json(&path).await;
    assert_eq!(v["role"], "admin");
    assert_eq!(v["active"], true);
    assert_eq!(v["name"], "Administrador");
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": app.admin_email, "password": "tomada-de-conta-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn users_edit_their_own_profile_but_not_their_own_role() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let agent = app.user(&admin, "agent").await;
    let other = app.user(&admin, "agent").await;
    let me = format!("/api/v1/users/{}", agent.user_id);
    let r = agent
        .patch(
            &me,
            json!({"name": "Ana Paula", "status": "paused",
                   "default_closing_message": "Obrigada pelo contato!"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["name"], "Ana Paula");
    assert_eq!(v["status"], "paused");
    assert_eq!(v["default_closing_message"], "Obrigada pelo contato!");
    let v = admin.get_json(&me).await;
    assert_eq!(v["name"], "Ana Paula");
    assert_eq!(v["status"], "paused");
    for body in [
        json!({"role": "admin"}),
        json!({"role": "agent"}),
        json!({"permissions": {"modules": {"users": "view_edit"}}}),
        json!({"active": false}),
    ] {
        let r = agent.patch(&me, body.clone()).await;
        assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let r = agent
        .patch(
            &format!("/api/v1/users/{}", other.user_id),
            json!({"name": "Outro nome"}),
        )
        .await;
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = agent.patch(&me, json!({"status": "dormindo"})).await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    let v = agent.get_json(&me).await;
    assert_eq!(v["role"], "agent");
    assert_eq!(v["active"], true);
    assert_eq!(v["status"], "paused");
}

#[tokio::test]
async fn inbox_secrets_never_leave_the_server() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let manager = app.user(&admin, "manager").await;
    let secrets = ["EAAtoken-ultra-secreto-1", "app-secret-42", "verify-me-7"];
    let r = admin
        .post(
            "/api/v1/inboxes",
            json!({"name": "WhatsApp", "channel": "whatsapp", "whatsapp": {
                "phone_number_id": "PNID-9", "waba_id": "WABA9", "access_token": secrets[0],
                "app_secret": secrets[1], "verify_token": secrets[2]}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created = r.text().await.unwrap();
    let v: Value = serde_json::from_str(&created).unwrap();
    let id = v["id"].as_str().unwrap().to_string();
    let mut set: Vec<String> = serde_json::from_value(v["secrets_set"].clone()).unwrap();
    set.sort();
    assert_eq!(set, ["access_token", "app_secret", "verify_token"]);
    assert_eq!(v["settings"]["phone_number_id"], "PNID-9");
    let mut texts = vec![created];
    for s in [&admin, &manager] {
        for path in [
            "/api/v1/inboxes".to_string(),
            format!("/api/v1/inboxes/{id}"),
            "/api/v1/events?after=0".to_string(),
        ] {
            let r = s.get(&path).await;
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            texts.push(r.text().await.unwrap());
        }
    }
    // New credentials (e.g. after "Error validating access token").
    let fresh = ["EAAnovo-token-2", "novo-app-secret-43", "novo-verify-8"];
    let r = admin
        .patch(
            &format!("/api/v1/inboxes/{id}"),
            json!({"whatsapp": {"phone_number_id": "PNID-10", "waba_id": "WABA9",
                   "access_token": fresh[0], "app_secret": fresh[1], "verify_token": fresh[2]}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let patched = r.text().await.unwrap();
    let v: Value = serde_json::from_str(&patched).unwrap();
    assert_eq!(v["settings"]["phone_number_id"], "PNID-10");
    assert_eq!(v["needs_reauth"], false);
    assert_eq!(v["secrets_set"].as_array().unwrap().len(), 3);
    texts.push(patched);
    let r = admin.get(&format!("/api/v1/inboxes/{id}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    texts.push(r.text().await.unwrap());
    texts.push(
        admin
            .get("/api/v1/events?after=0")
            .await
            .text()
            .await
            .unwrap(),
    );
    for text in &texts {
        for s in secrets.iter().chain(fresh.iter()) {
            assert!(!text.contains(s), "secret {s:?} leaked: {text}");
        }
    }
    // The new credentials are the ones kept, for the channel to use.
    let org = app.org_id.parse().unwrap();
    let stored = app.store().inbox(org, id.parse().unwrap()).await.unwrap();
    assert_eq!(stored.secrets.0["access_token"], fresh[0]);
    assert_eq!(stored.secrets.0["app_secret"], fresh[1]);
    assert_eq!(stored.external_id.as_deref(), Some("PNID-10"));
}

#[tokio::test]
async fn missing_invalid_revoked_and_deactivated_credentials_are_401() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let agent = app.user(&admin, "agent").await;
    let plain = reqwest::Client::new();
    for (method, path) in [
        (Method::GET, "/api/v1/me"),
        (Method::GET, "/api/v1/conversations"),
        (Method::GET, "/api/v1/events?after=0"),
        (Method::POST, "/api/v1/tags"),
        (Method::GET, "/api/v1/users"),
    ] {
        let r = plain
            .request(method.clone(), app.url(path))
            .json(&json!({"name": "x"}))
            .send()
            .await
            .unwrap();
        assert_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
        let r = plain
            .request(method, app.url(path))
            .header("cookie", "atende_session=forjado")
            .send()
            .await
            .unwrap();
        assert_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let bad = admin.with_token("atd_nao-existe");
    assert_error(
        bad.get("/api/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // A revoked token stops working at once.
    let token = admin.create_token("CRM").await;
    let api = admin.with_token(&token);
    assert_eq!(api.get("/api/v1/me").await.status(), StatusCode::OK);
    let id = admin.get_json("/api/v1/tokens").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        admin.delete(&format!("/api/v1/tokens/{id}")).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_error(
        api.get("/api/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        api.post("/api/v1/tags", json!({"name": "x"})).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // A deactivated user's session and tokens stop working too.
    let agent_token = agent.create_token("pessoal").await;
    let r = admin
        .patch(
            &format!("/api/v1/users/{}", agent.user_id),
            json!({"active": false}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_error(
        agent.get("/api/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        agent.with_token(&agent_token).get("/api/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_eq!(admin.get_json("/api/v1/tags").await, json!([]));
}

/// Every signed-in user sees their colleagues' names, presence and
/// departments (to forward chats, to name agents), but no e-mail; an
/// invisible colleague shows as offline; other organizations stay out.
#[tokio::test]
async fn any_user_lists_colleagues_without_private_fields() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ana = app.named_user(&admin, "agent", "Ana Atendente").await;
    let bruno = app.named_user(&admin, "agent", "Bruno Sombra").await;
    let dept = create_department(&admin, "Suporte").await;
    crate::helpers::add_member(&admin, &dept, &ana.user_id).await;
    let r = bruno
        .patch(
            &format!("/api/v1/users/{}", bruno.user_id),
            json!({"status": "invisible"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let other = app.other_org().await;

    // Ana has no Users module: /users is closed to her, /agents is not.
    assert_error(
        ana.get("/api/v1/users").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let list = ana.get_json("/api/v1/agents").await;
    let list = list.as_array().unwrap();
    let find = |id: &str| list.iter().find(|a| a["id"] == id).cloned();
    let me = find(&ana.user_id).expect("Ana listed");
    assert_eq!(me["name"], "Ana Atendente");
    assert_eq!(me["departments"], json!([dept]));
    assert!(
        me.get("email").is_none() && me.get("permissions").is_none(),
        "{me}"
    );
    assert_eq!(
        find(&bruno.user_id).expect("Bruno listed")["status"],
        "offline"
    );
    assert!(
        find(&other.user_id).is_none(),
        "another organization's user"
    );
    // Bruno sees himself as he is.
    let own = bruno.get_json("/api/v1/agents").await;
    let own = own
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == bruno.user_id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(own["status"], "invisible");
}

/// The organization keeps someone who can manage its users: the last
/// active administrator can neither demote, deactivate nor strip
/// themselves (409 `last_admin`, nothing changed); with a second
/// administrator, they can.
#[tokio::test]
async fn the_last_administrator_cannot_lock_the_organization_out() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let me: Value = admin.get_json("/api/v1/me").await;
    let id = me["id"]
        .as_str()
        .or(me["user"]["id"].as_str())
        .unwrap()
        .to_string();
    let path = format!("/api/v1/users/{id}");
    for body in [
        json!({"role": "manager"}),
        json!({"active": false}),
        json!({"permissions": {"modules": {"users": "view"}, "capabilities": []}}),
    ] {
        let r = admin.send(Method::PATCH, &path, Some(body.clone())).await;
        assert_error(r, StatusCode::CONFLICT, "last_admin").await;
    }
    let still: Value = admin.get_json(&path).await;
    assert_eq!(still["role"], "admin");
    assert_eq!(still["active"], true);
    // A second administrator: now the first may step down.
    let r = admin
        .send(
            Method::POST,
            "/api/v1/users",
            Some(json!({"email": "segunda@example.com", "name": "Segunda", "password": PASSWORD, "role": "admin"})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = admin
        .send(Method::PATCH, &path, Some(json!({"role": "manager"})))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
}
