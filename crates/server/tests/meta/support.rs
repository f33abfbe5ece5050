use std::time::Duration;

use atende_testkit::{FakeGraph, MetaSimulator};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp};

pub const PAGE: &str = "104729158213345";
pub const IG: &str = "17841405822304914";
pub const TOKEN: &str = "EAAG-page-token";
pub const SECRET: &str = "meta_app_secret";

/// A server wired to a fake Graph API, with a Messenger and an Instagram
/// inbox of one app.
pub struct Mt {
    pub app: TestApp,
    pub graph: FakeGraph,
    pub admin: Session,
    pub messenger: MetaSimulator,
    pub instagram: MetaSimulator,
    pub http: reqwest::Client,
}

impl Mt {
    pub async fn start() -> Mt {
        Mt::start_with(|_| {}).await
    }

    pub async fn start_with(tune: impl FnOnce(&mut atende_server::config::Config)) -> Mt {
        let graph = FakeGraph::start().await;
        graph.add_page(PAGE, TOKEN);
        graph.add_page(IG, TOKEN);
        let (base, version) = (graph.base_url(), graph.version());
        let app = TestApp::spawn_with(move |c| {
            c.meta_graph_url = base;
            c.whatsapp_api_version = version;
            c.public_url = "https://atende.example".into();
            tune(c);
        })
        .await;
        let admin = app.admin().await;
        for (channel, key, id) in [
            ("messenger", "page_id", PAGE),
            ("instagram", "account_id", IG),
        ] {
            let r = admin
                .post(
                    "/api/v1/inboxes",
                    json!({"name": channel, "channel": channel, "meta": {key: id, "access_token": TOKEN,
                        "app_secret": SECRET, "verify_token": "verifica"}}),
                )
                .await;
            assert_eq!(r.status(), 201, "{channel}");
        }
        let url = app.url("/webhooks/meta");
        Mt {
            messenger: MetaSimulator::messenger(url.clone(), SECRET, PAGE),
            instagram: MetaSimulator::instagram(url, SECRET, IG),
            app,
            graph,
            admin,
            http: reqwest::Client::new(),
        }
    }

    pub async fn conversations(&self) -> Vec<Value> {
        self.admin.get_json("/api/v1/conversations?view=all").await["items"]
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

    /// Posts a delivery through `sim`; asserts it was acknowledged.
    pub async fn post(&self, sim: &MetaSimulator, delivery: &Value) {
        let r = sim.post(&self.http, delivery).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }

    /// The conversation of a channel's only customer.
    pub async fn conversation_on(&self, channel: &str) -> String {
        self.until(async || {
            self.conversations()
                .await
                .into_iter()
                .find(|c| c["channel"] == channel)
                .map(|c| c["id"].as_str().unwrap().to_string())
        })
        .await
    }

    /// An agent sends `body`; returns the stored message.
    pub async fn reply(&self, conv: &str, body: Value) -> Value {
        let r = self
            .admin
            .post(&format!("/api/v1/conversations/{conv}/messages"), body)
            .await;
        assert_eq!(r.status(), 202);
        r.json().await.unwrap()
    }

    /// Message `id` of `conv` once `ok` holds for it.
    pub async fn message_when(&self, conv: &str, id: &str, ok: impl Fn(&Value) -> bool) -> Value {
        self.until(async || {
            self.admin
                .messages(conv)
                .await
                .into_iter()
                .find(|m| m["id"] == id && ok(m))
        })
        .await
    }
}
