//! Telegram Bot API, the runtime of a bot's inbox (channels.md §3): the
//! webhook the bot is pointed at when its inbox is created, delivery,
//! media. The rest of the server reaches it through the channel seam
//! (`runtime`, `crate::channel`); the wire shapes are the adapter's
//! (`atende_channels::telegram`).
//!
//! Telegram routes by URL: each inbox has its own webhook path
//! (`/webhooks/telegram/{inbox_id}`) and secret token, so a delivery is
//! routed before it is read and checked against that inbox's secret alone.

mod credentials;
mod media;
mod outbound;
mod runtime;
mod webhook;

use std::sync::Arc;
use std::time::Duration;

use atende_domain::InboxId;
use atende_store::Store;
use atende_store::ingest::InboxRoute;
use serde_json::Value;

pub use credentials::{TelegramConfig, TelegramPatch};

use crate::channel::routes::RouteTable;
use crate::config::Config;

/// Shared Telegram state: the HTTP client, the Bot API's address and the
/// routing table of inboxes.
pub struct Telegram {
    http: reqwest::Client,
    api_url: String,
    public_url: String,
    /// Bots' inboxes, by inbox id (the webhook's path).
    routes: RouteTable<InboxId>,
}

/// Prefix of the ids an upload gets (`media::upload`): Telegram has no
/// upload apart from a send, so the file goes with its message.
const LOCAL: &str = "local:";

/// What a Bot API call answered: its HTTP status and body.
pub(crate) type Answer = (u16, axum::body::Bytes);

impl Telegram {
    pub fn new(config: &Config) -> Telegram {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(config.whatsapp_timeout_secs.max(1)))
            .connect_timeout(Duration::from_secs(10))
            .pool_max_idle_per_host(32)
            .build()
            .unwrap_or_default();
        Telegram {
            http,
            api_url: config.telegram_api_url.trim_end_matches('/').to_string(),
            public_url: config.public_url.trim_end_matches('/').to_string(),
            routes: RouteTable::new(&["telegram"], |_, r| Some(r.id)),
        }
    }

    fn method_url(&self, token: &str, method: &str) -> String {
        format!("{}/bot{token}/{method}", self.api_url)
    }

    fn file_url(&self, token: &str, path: &str) -> String {
        format!(
            "{}/file/bot{token}/{}",
            self.api_url,
            path.trim_start_matches('/')
        )
    }

    /// The URL Telegram posts an inbox's updates to.
    fn webhook_url(&self, inbox: InboxId) -> String {
        format!("{}/webhooks/telegram/{inbox}", self.public_url)
    }

    /// Calls a Bot API method with a JSON body.
    async fn call(&self, token: &str, method: &str, body: &Value) -> reqwest::Result<Answer> {
        let r = self
            .http
            .post(self.method_url(token, method))
            .json(body)
            .send()
            .await?;
        let status = r.status().as_u16();
        Ok((status, r.bytes().await?))
    }

    /// The inbox a webhook path names, reloading once on a miss.
    async fn route(
        &self,
        store: &Store,
        inbox: InboxId,
    ) -> Result<Option<Arc<InboxRoute>>, atende_store::StoreError> {
        self.routes.get(store, &inbox).await
    }

    /// Forgets the routing table (an inbox was created, changed or deleted).
    async fn invalidate(&self) {
        self.routes.invalidate().await;
    }
}

/// The bot token an inbox keeps.
fn token_of(secrets: &Value) -> Option<&str> {
    secrets.get("bot_token").and_then(Value::as_str)
}
