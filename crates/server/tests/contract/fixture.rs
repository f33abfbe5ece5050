//! Organization A, with a user of each role and one of everything an
//! operation's path can name; and its fingerprint, to tell whether a call
//! changed anything.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::helpers::{
    Session, TestApp, add_member, create_department, create_inbox, seed_conversation,
};

pub struct Fixture {
    pub app: TestApp,
    pub admin: Session,
    pub manager: Session,
    pub agent: Session,
    /// Ids by the resource they name (`inbox`, `tag`, …).
    pub ids: BTreeMap<&'static str, String>,
}

fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

impl Fixture {
    pub async fn new() -> Fixture {
        let app = TestApp::spawn().await;
        let admin = app.admin().await;
        let manager = app.named_user(&admin, "manager", "Gerente").await;
        let agent = app.named_user(&admin, "agent", "Agente").await;
        let target = app.named_user(&admin, "agent", "Alvo").await;
        let mut ids = BTreeMap::new();
        let inbox = create_inbox(&admin, "PNID-CONTRACT").await;
        let department = create_department(&admin, "Vendas").await;
        add_member(&admin, &department, &agent.user_id).await;
        add_member(&admin, &department, &target.user_id).await;
        let conversation = seed_conversation(&app, &inbox, "5511987650001", "Cliente").await;
        let r = admin
            .post(
                &format!("/api/v1/conversations/{conversation}/assign"),
                json!({"department_id": department}),
            )
            .await;
        assert!(r.status().is_success(), "assign: {}", r.status());
        let contact = admin.conversation(&conversation).await["contact"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let tag = id(&admin
            .post_json("/api/v1/tags", json!({"name": "VIP", "color": "#ff0000"}))
            .await);
        let field = id(&admin
            .post_json(
                "/api/v1/custom-fields",
                json!({"key": "plano", "label": "Plano", "field_type": "text"}),
            )
            .await);
        let campaign = id(&admin
            .post_json("/api/v1/campaigns", json!({"name": "Black Friday"}))
            .await);
        let category = id(&admin
            .post_json("/api/v1/ready-responses", json!({"name": "Saudações"}))
            .await);
        let response = id(&admin
            .post_json(
                &format!("/api/v1/ready-responses/{category}/responses"),
                json!({"title": "Oi", "text": "Olá, {nome}!"}),
            )
            .await);
        let token = id(&admin
            .post_json("/api/v1/tokens", json!({"name": "CRM"}))
            .await);
        let flow = admin
            .post_json(
                "/api/v1/flows/import",
                json!({"document": {"schema": 1, "name": "Pesquisa", "start": "oi",
                    "steps": {"oi": {"type": "send", "content": {"kind": "text", "text": "Oi"}}}}}),
            )
            .await;
        let flow = flow["flow"]["id"].as_str().unwrap().to_string();
        for (k, v) in [
            ("org", app.org_id.clone()),
            ("inbox", inbox),
            ("department", department),
            ("user", target.user_id.clone()),
            ("conversation", conversation),
            ("contact", contact),
            ("tag", tag),
            ("field", field),
            ("campaign", campaign),
            ("category", category),
            ("response", response),
            ("token", token),
            ("flow", flow),
            // Nothing of these exists yet in a new organization: a made-up
            // id still shows the permission and the isolation.
            ("report", uuid::Uuid::now_v7().to_string()),
            ("session", uuid::Uuid::now_v7().to_string()),
            ("ticket", uuid::Uuid::now_v7().to_string()),
            ("out_of_hours", uuid::Uuid::now_v7().to_string()),
        ] {
            ids.insert(k, v);
        }
        Fixture {
            app,
            admin,
            manager,
            agent,
            ids,
        }
    }

    fn get(&self, k: &str) -> String {
        self.ids[k].clone()
    }

    /// `path` with its parameters named by this organization's ids.
    pub fn fill(&self, path: &str) -> String {
        let segments: Vec<&str> = path.split('/').collect();
        let mut out = Vec::with_capacity(segments.len());
        for (i, seg) in segments.iter().enumerate() {
            let prev = if i > 0 { segments[i - 1] } else { "" };
            let prev2 = if i > 1 { segments[i - 2] } else { "" };
            let v = match (*seg, prev, prev2) {
                ("{user_id}", _, _) => self.get("user"),
                ("{inbox_id}", _, _) => self.get("inbox"),
                ("{category_id}", _, _) => self.get("category"),
                ("{id}", "responses", _) => self.get("response"),
                ("{id}", "conversations", "reports") => self.get("session"),
                ("{id}", "tickets", "reports") => self.get("ticket"),
                ("{id}", res, _) => self.get(match res {
                    "campaigns" => "campaign",
                    "contacts" => "contact",
                    "conversations" => "conversation",
                    "custom-fields" => "field",
                    "departments" => "department",
                    "flows" => "flow",
                    "inboxes" => "inbox",
                    "orgs" => "org",
                    "out-of-hours" => "out_of_hours",
                    "ready-responses" => "category",
                    "reports" => "report",
                    "tags" => "tag",
                    "tokens" => "token",
                    "users" => "user",
                    other => panic!("no fixture for {{id}} of {other} ({path})"),
                }),
                (s, _, _) if s.starts_with('{') => panic!("no fixture for {s} in {path}"),
                (s, _, _) => s.to_string(),
            };
            out.push(v);
        }
        out.join("/")
    }

    /// Ids for body fields, by name: a made-up body names things that exist.
    pub fn known(&self) -> impl Fn(&str) -> Option<Value> + '_ {
        move |field: &str| {
            let k = match field {
                "inbox_id" => "inbox",
                "department_id" => "department",
                "user_id" | "agent_id" | "suggested_agent_id" => "user",
                "conversation_id" => "conversation",
                "contact_id" => "contact",
                "campaign_id" => "campaign",
                "flow_id" => "flow",
                "tags" => return Some(json!([self.get("tag")])),
                "email" => {
                    return Some(json!(format!(
                        "x-{}@example.com",
                        uuid::Uuid::new_v4().simple()
                    )));
                }
                "password" => return Some(json!("senha-forte-123")),
                "phone" => return Some(json!("11987654321")),
                _ => return None,
            };
            Some(json!(self.get(k)))
        }
    }

    /// What organization A holds, as its administrator reads it: equal
    /// before and after means nothing changed. Reports count by what they
    /// are, not their progress, which their jobs move on their own.
    pub async fn fingerprint(&self) -> String {
        let mut out = String::new();
        for path in [
            "/api/v1/users",
            "/api/v1/departments",
            "/api/v1/tags",
            "/api/v1/custom-fields",
            "/api/v1/inboxes",
            "/api/v1/campaigns",
            "/api/v1/ready-responses",
            "/api/v1/flows",
            "/api/v1/tokens",
            "/api/v1/conversations?view=all",
            "/api/v1/reports",
            "/api/v1/absences",
        ] {
            let mut v = self.admin.get_json(path).await;
            if path == "/api/v1/reports" {
                v = Value::Array(
                    v.as_array()
                        .unwrap()
                        .iter()
                        .map(|r| json!([r["id"], r["kind"], r["title"]]))
                        .collect(),
                );
            }
            out.push_str(&format!("{path} {v}\n"));
        }
        out
    }

    /// The fingerprint once background work (reports, flow runs) started by
    /// earlier calls has stopped changing it.
    pub async fn settled(&self) -> String {
        let mut last = self.fingerprint().await;
        for _ in 0..50 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let now = self.fingerprint().await;
            if now == last {
                return now;
            }
            last = now;
        }
        last
    }
}
