use std::time::Duration;

use atende_testkit::{FakeGraph, Simulator};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp};

pub const PHONE_ID: &str = "106540352242922";
pub const WABA: &str = "102290129340398";
pub const TOKEN: &str = "EAAtoken";
pub const APP_SECRET: &str = "test_app_secret";

/// A server wired to a fake Graph API, with one WhatsApp inbox.
pub struct Wa {
    pub app: TestApp,
    pub graph: FakeGraph,
    pub admin: Session,
    pub inbox_id: String,
    pub sim: Simulator,
    pub http: reqwest::Client,
}

impl Wa {
    pub async fn start() -> Wa {
        Wa::start_with(|_| {}).await
    }

    /// Starts with a configuration `tune` adjusts.
    pub async fn start_with(tune: impl FnOnce(&mut atende_server::config::Config)) -> Wa {
        let graph = FakeGraph::start().await;
        graph.add_number(PHONE_ID, WABA, TOKEN);
        let base = graph.base_url();
        let version = graph.version();
        let app = TestApp::spawn_with(move |c| {
            c.whatsapp_graph_url = base;
            c.whatsapp_api_version = version;
            c.max_body_bytes = 256 * 1024;
            tune(c);
        })
        .await;
        let admin = app.admin().await;
        let inbox = admin
            .post_json(
                "/api/v1/inboxes",
                json!({"name": "WhatsApp", "channel": "whatsapp", "whatsapp": {"phone_number_id": PHONE_ID, "waba_id": WABA,
                    "access_token": TOKEN, "app_secret": APP_SECRET, "verify_token": "verifica"}}),
            )
            .await;
        let sim = Simulator::new(
            app.url("/webhooks/whatsapp"),
            APP_SECRET,
            PHONE_ID,
            "5511900000000",
            WABA,
        );
        Wa {
            inbox_id: inbox["id"].as_str().unwrap().to_string(),
            app,
            graph,
            admin,
            sim,
            http: reqwest::Client::new(),
        }
    }

    pub async fn conversations(&self) -> Vec<Value> {
        self.admin.get_json("/api/v1/conversations?view=all").await["items"]
            .as_array()
            .unwrap()
            .clone()
    }

    pub async fn messages(&self, conv: &str) -> Vec<Value> {
        self.admin
            .get_json(&format!("/api/v1/conversations/{conv}/messages"))
            .await["items"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// Polls `f` until it returns Some (up to 10 s).
    pub async fn until<T>(&self, mut f: impl AsyncFnMut() -> Option<T>) -> T {
        for _ in 0..200 {
            if let Some(v) = f().await {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("condition not reached in 10 s");
    }

    /// A customer writes; returns the conversation id.
    pub async fn customer_writes(&self, wa_id: &str, name: &str, text: &str) -> String {
        let (_, payload) = self.sim.text_payload(wa_id, name, text);
        let r = self.sim.post(&self.http, &payload).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let convs = self.conversations().await;
        convs
            .iter()
            .find(|c| c["contact"]["phone"] == format!("+{wa_id}"))
            .expect("conversation")["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Uploads a file to the inbox's number; returns the response.
    pub async fn upload(&self, name: &str, mime: &str, bytes: &[u8]) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec())
            .file_name(name.to_string())
            .mime_str(mime)
            .unwrap();
        let form = reqwest::multipart::Form::new().part("file", part);
        self.admin
            .client
            .post(
                self.app
                    .url(&format!("/api/v1/inboxes/{}/media", self.inbox_id)),
            )
            .header("x-csrf-token", &self.admin.csrf)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Waits until the inbox's templates are synced.
    pub async fn synced_templates(&self) -> Vec<Value> {
        let path = format!("/api/v1/inboxes/{}/templates", self.inbox_id);
        self.until(async || {
            self.admin
                .get_json(&path)
                .await
                .as_array()
                .filter(|l| !l.is_empty())
                .cloned()
        })
        .await
    }
}
