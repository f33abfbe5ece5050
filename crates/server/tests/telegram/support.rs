use std::time::Duration;

use atende_testkit::{FakeTelegram, TelegramSimulator};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp};

pub const TOKEN: &str = "7012345678:AAE-test-token_x";
pub const BOT_ID: i64 = 7_012_345_678;
pub const PUBLIC: &str = "https://atende.example";

/// A server wired to a fake Bot API, with one Telegram inbox.
pub struct Tg {
    pub app: TestApp,
    pub fake: FakeTelegram,
    pub admin: Session,
    pub inbox_id: String,
    pub sim: TelegramSimulator,
    pub http: reqwest::Client,
}

impl Tg {
    pub async fn start() -> Tg {
        Tg::start_with(|_| {}).await
    }

    /// Starts with a configuration `tune` adjusts.
    pub async fn start_with(tune: impl FnOnce(&mut atende_server::config::Config)) -> Tg {
        let fake = FakeTelegram::start().await;
        fake.add_bot(TOKEN);
        let base = fake.base_url();
        let app = TestApp::spawn_with(move |c| {
            c.telegram_api_url = base;
            c.public_url = PUBLIC.into();
            tune(c);
        })
        .await;
        let admin = app.admin().await;
        let r = admin
            .post(
                "/api/v1/inboxes",
                json!({"name": "Telegram", "channel": "telegram", "telegram": {"bot_token": TOKEN}}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let inbox: Value = r.json().await.unwrap();
        let inbox_id = inbox["id"].as_str().unwrap().to_string();
        let hook = fake
            .webhook(TOKEN)
            .expect("the server set the bot's webhook");
        let path = format!("/webhooks/telegram/{inbox_id}");
        assert_eq!(hook.url, format!("{PUBLIC}{path}"));
        let sim = TelegramSimulator::new(
            app.url(&path),
            hook.secret_token.unwrap_or_default(),
            BOT_ID,
        )
        .linked(&fake);
        Tg {
            app,
            fake,
            admin,
            inbox_id,
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
        self.admin.messages(conv).await
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

    /// Posts an update; asserts it was acknowledged.
    pub async fn post(&self, update: &Value) {
        let r = self.sim.post(&self.http, update).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }

    /// A customer writes; returns the conversation id.
    pub async fn customer_writes(&self, chat: i64, name: &str, text: &str) -> String {
        let (update, _) = self.sim.text(chat, name, text);
        self.post(&update).await;
        self.conversation_of(name).await
    }

    /// The conversation of the contact called `name`.
    pub async fn conversation_of(&self, name: &str) -> String {
        self.conversations()
            .await
            .iter()
            .find(|c| c["contact"]["name"] == name)
            .expect("conversation")["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// An agent sends `body` in the chat; returns the stored message.
    pub async fn reply(&self, conv: &str, body: Value) -> Value {
        let r = self
            .admin
            .post(&format!("/api/v1/conversations/{conv}/messages"), body)
            .await;
        assert_eq!(r.status(), 202);
        r.json().await.unwrap()
    }

    /// Waits until message `id` of `conv` has left `queued`; returns it.
    pub async fn settled(&self, conv: &str, id: &str) -> Value {
        self.until(async || {
            self.messages(conv)
                .await
                .into_iter()
                .find(|m| m["id"] == id && m["status"] != "queued")
        })
        .await
    }
}
