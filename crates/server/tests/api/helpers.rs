//! A real server on port 0 over a fresh database, and a client for it.

use atende_server::{Application, Config};
use atende_store::Store;
use atende_store::testing::TestDb;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

pub struct TestApp {
    pub addr: String,
    pub db: TestDb,
    pub org_id: String,
    pub admin_email: String,
    /// The data dir (media files); removed with the app.
    _data: tempfile::TempDir,
}

pub const PASSWORD: &str = "senha-forte-123";

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(tune: impl FnOnce(&mut Config)) -> TestApp {
        let db = TestDb::new().await;
        let data = tempfile::tempdir().expect("data dir");
        let mut config = Config {
            listen: "127.0.0.1:0".into(),
            database_url: db.url.clone(),
            data_dir: data.path().to_path_buf(),
            workers: 1,
            ..Config::default()
        };
        config.secret_key = atende_server::config::Secret::new("test-secret");
        tune(&mut config);
        atende_server::ops::init_metrics();
        let app = Application::build_with_store(config, db.store.clone())
            .await
            .expect("build app");
        let addr = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        let admin_email = format!("admin-{}@example.com", uuid::Uuid::new_v4().simple());
        let b = atende_server::bootstrap::bootstrap(
            &db.store,
            "Empresa Teste",
            &admin_email,
            PASSWORD,
            true,
        )
        .await
        .expect("bootstrap");
        TestApp {
            addr,
            db,
            org_id: b.org_id,
            admin_email,
            _data: data,
        }
    }

    pub fn store(&self) -> &Store {
        &self.db.store
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.addr, path)
    }

    /// A logged-in client (cookie + CSRF token) for `email`.
    pub async fn login(&self, email: &str, password: &str) -> Session {
        let client = Client::builder().cookie_store(true).build().unwrap();
        let r = client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login of {email} failed");
        let body: Value = r.json().await.unwrap();
        Session {
            base: self.addr.clone(),
            client,
            csrf: body["csrf_token"].as_str().unwrap().to_string(),
            user_id: body["user"]["id"].as_str().unwrap().to_string(),
            email: email.to_string(),
            name: body["user"]["name"].as_str().unwrap().to_string(),
            bearer: None,
        }
    }

    pub async fn admin(&self) -> Session {
        self.login(&self.admin_email.clone(), PASSWORD).await
    }

    /// Creates a user with `role` through the API and logs them in.
    pub async fn user(&self, admin: &Session, role: &str) -> Session {
        self.named_user(admin, role, &format!("{role} user")).await
    }

    /// Creates a user with `role` and display name `name`, and logs them in.
    pub async fn named_user(&self, admin: &Session, role: &str, name: &str) -> Session {
        let email = format!("{role}-{}@example.com", uuid::Uuid::new_v4().simple());
        let r = admin
            .post(
                "/api/v1/users",
                json!({"email": email, "name": name, "password": PASSWORD, "role": role}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        self.login(&email, PASSWORD).await
    }

    /// Logs `email` in with a plain client and returns the `Cookie` header
    /// value of the new session (`atende_session=…`), for WebSocket clients.
    pub async fn session_cookie(&self, email: &str) -> String {
        let r = Client::new()
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login of {email} failed");
        let set = r.headers()["set-cookie"].to_str().unwrap();
        set.split(';').next().unwrap().trim().to_string()
    }

    /// The WebSocket URL of the event stream.
    pub fn ws_url(&self) -> String {
        format!("{}/api/v1/ws", self.addr.replacen("http://", "ws://", 1))
    }

    /// A second, unrelated organization with its own admin session.
    pub async fn other_org(&self) -> Session {
        let email = format!("other-{}@example.com", uuid::Uuid::new_v4().simple());
        atende_server::bootstrap::bootstrap(
            &self.db.store,
            &format!("Outra {}", uuid::Uuid::new_v4().simple()),
            &email,
            PASSWORD,
            false,
        )
        .await
        .unwrap();
        self.login(&email, PASSWORD).await
    }
}

/// A client bound to one user.
pub struct Session {
    pub base: String,
    pub client: Client,
    pub csrf: String,
    pub user_id: String,
    pub email: String,
    /// The user's display name (system lines name who acted).
    pub name: String,
    pub bearer: Option<String>,
}

impl Session {
    fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let b = self
            .client
            .request(method, format!("{}{}", self.base, path));
        match &self.bearer {
            Some(t) => b.bearer_auth(t),
            None => b.header("x-csrf-token", &self.csrf),
        }
    }
    pub async fn get(&self, path: &str) -> Response {
        self.req(reqwest::Method::GET, path).send().await.unwrap()
    }
    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.req(reqwest::Method::POST, path)
            .json(&body)
            .send()
            .await
            .unwrap()
    }
    /// Any method, with an optional JSON body.
    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Response {
        let b = self.req(method, path);
        let b = match body {
            Some(v) => b.json(&v),
            None => b,
        };
        b.send().await.unwrap()
    }
    /// A POST without any body.
    pub async fn post_empty(&self, path: &str) -> Response {
        self.req(reqwest::Method::POST, path).send().await.unwrap()
    }
    pub async fn patch(&self, path: &str, body: Value) -> Response {
        self.req(reqwest::Method::PATCH, path)
            .json(&body)
            .send()
            .await
            .unwrap()
    }
    pub async fn delete(&self, path: &str) -> Response {
        self.req(reqwest::Method::DELETE, path)
            .send()
            .await
            .unwrap()
    }
    pub async fn get_json(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.json().await.unwrap()
    }
    pub async fn post_json(&self, path: &str, body: Value) -> Value {
        let r = self.post(path, body).await;
        assert!(r.status().is_success(), "POST {path}: {}", r.status());
        r.json().await.unwrap()
    }

    /// The same user acting through an API token (`Authorization: Bearer`).
    pub fn with_token(&self, token: &str) -> Session {
        Session {
            base: self.base.clone(),
            client: Client::new(),
            csrf: String::new(),
            user_id: self.user_id.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            bearer: Some(token.to_string()),
        }
    }

    /// Creates an API token for this user; returns its secret.
    pub async fn create_token(&self, name: &str) -> String {
        let body = self
            .post_json("/api/v1/tokens", json!({"name": name}))
            .await;
        body["token"].as_str().unwrap().to_string()
    }

    /// `GET /conversations/{id}`.
    pub async fn conversation(&self, id: &str) -> Value {
        self.get_json(&format!("/api/v1/conversations/{id}")).await
    }

    /// Every message of a conversation, oldest first (one page of 200).
    pub async fn messages(&self, id: &str) -> Vec<Value> {
        let page = self
            .get_json(&format!("/api/v1/conversations/{id}/messages?limit=200"))
            .await;
        page["items"].as_array().unwrap().clone()
    }
}

/// Asserts an error answer: its status and `{"error":{"code"}}`; returns the body.
pub async fn assert_error(r: Response, status: StatusCode, code: &str) -> Value {
    let url = r.url().to_string();
    assert_eq!(r.status(), status, "{url}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], code, "{url}: {body}");
    body
}

/// Creates a department through the API; returns its id.
pub async fn create_department(admin: &Session, name: &str) -> String {
    let body = admin
        .post_json("/api/v1/departments", json!({"name": name}))
        .await;
    body["id"].as_str().unwrap().to_string()
}

/// Adds `user_id` to a department through the API.
pub async fn add_member(admin: &Session, department_id: &str, user_id: &str) {
    let r = admin
        .post(
            &format!("/api/v1/departments/{department_id}/members"),
            json!({"user_id": user_id}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

/// Seeds a conversation (contact writing on a WhatsApp inbox) straight
/// through the store, as the channel ingest will; returns its id.
pub async fn seed_conversation(app: &TestApp, inbox_id: &str, wa_id: &str, name: &str) -> String {
    use atende_domain::{AuthorKind, ContentKind, Direction, InboxId, OrgId, ReceiptStatus};
    use atende_store::chats::NewMessage;
    let org: OrgId = app.org_id.parse().unwrap();
    let inbox: InboxId = inbox_id.parse().unwrap();
    let mut tx = app.store().begin().await.unwrap();
    let c = tx
        .upsert_contact(org, inbox, wa_id, name, Some(&format!("+{wa_id}")))
        .await
        .unwrap();
    let conv = tx.conversation_for(org, inbox, c.id).await.unwrap();
    tx.insert_message(NewMessage {
        org_id: org,
        conversation_id: conv.id,
        inbox_id: inbox,
        direction: Direction::In,
        author_kind: AuthorKind::Contact,
        author_id: None,
        internal: false,
        kind: ContentKind::Text,
        text: Some("Olá, preciso de ajuda".into()),
        payload: json!({}),
        status: ReceiptStatus::Delivered,
        provider_id: Some(format!("wamid.{}", uuid::Uuid::new_v4().simple())),
        provider_at: Some(atende_store::now_ms()),
    })
    .await
    .unwrap();
    let events = tx.commit().await.unwrap();
    assert!(!events.is_empty());
    conv.id.to_string()
}

/// Creates a WhatsApp inbox through the API; returns its id.
pub async fn create_inbox(admin: &Session, phone_number_id: &str) -> String {
    let body = admin
        .post_json(
            "/api/v1/inboxes",
            json!({"name": "WhatsApp Vendas", "channel": "whatsapp", "whatsapp": {
                "phone_number_id": phone_number_id, "waba_id": "WABA1", "access_token": "EAAtoken",
                "app_secret": "appsecret", "verify_token": "verify"}}),
        )
        .await;
    body["id"].as_str().unwrap().to_string()
}
