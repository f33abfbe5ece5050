//! Customers writing to a Messenger page or an Instagram professional
//! account: builds the webhook deliveries Meta sends (channels.md §2.2–2.3,
//! fixtures MI-1–MI-3) and POSTs them signed with the app secret, byte for
//! byte like [`crate::Simulator`] (ASCII-escaped JSON, `X-Hub-Signature-256`).
//! The builders are in `events.rs`; none of them posts, so tests can post a
//! delivery twice, reorder deliveries or [batch](MetaSimulator::batch) them.
//!
//! ```no_run
//! use atende_testkit::{FakeGraph, InjectedError, MetaSimulator};
//! use std::time::Duration;
//!
//! # async fn example(webhook_url: String) {
//! let graph = FakeGraph::start().await; // point the server's Meta Graph URL at graph.base_url()
//! graph.add_page("104729158213345", "EAAB-page-token");
//! graph.inject_error("104729158213345", InjectedError::messenger(551));
//!
//! let customers = MetaSimulator::messenger(webhook_url, "app-secret", "104729158213345");
//! let client = reqwest::Client::new();
//! let (text, _mid) = customers.text("6754893210987654", "Where is my order?");
//! let (postback, _) = customers.postback("6754893210987654", "Talk to an agent", "HUMAN_HANDOFF");
//! assert_eq!(customers.post(&client, &customers.batch(&[text, postback])).await.status, 200);
//!
//! let sends = graph.wait_for_sends(1, Duration::from_secs(5)).await;
//! let reply_mid = sends[0].message_id();
//! # let _ = reply_mid;
//! # }
//! ```

mod events;

use crate::simulator::{hub_handshake, hub_signature, post_hub};
use crate::{WebhookResponse, ascii_escape_json};
use rand::Rng;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Which of Meta's messaging products a [`MetaSimulator`] plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetaPlatform {
    /// A Facebook Page's Messenger inbox; deliveries have `object: "page"`.
    Messenger,
    /// An Instagram professional account's DMs; `object: "instagram"`.
    Instagram,
}

impl MetaPlatform {
    /// The delivery's `object`: `"page"` or `"instagram"`.
    pub fn object(self) -> &'static str {
        match self {
            MetaPlatform::Messenger => "page",
            MetaPlatform::Instagram => "instagram",
        }
    }
}

/// Customers of one page or Instagram account posting to one callback URL.
/// Cheap to clone; clones share the timestamp clock, which never repeats a
/// millisecond, so events built in order have increasing timestamps.
#[derive(Clone)]
pub struct MetaSimulator {
    webhook_url: String,
    app_secret: String,
    platform: MetaPlatform,
    account_id: String,
    app_id: String,
    last_timestamp: Arc<AtomicI64>,
}

impl fmt::Debug for MetaSimulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetaSimulator")
            .field("webhook_url", &self.webhook_url)
            .field("app_secret", &"<redacted>")
            .field("platform", &self.platform)
            .field("account_id", &self.account_id)
            .field("app_id", &self.app_id)
            .finish()
    }
}

impl MetaSimulator {
    /// Customers of Messenger page `page_id`, posting to `webhook_url` and
    /// signing with `app_secret`.
    pub fn messenger(
        webhook_url: impl Into<String>,
        app_secret: impl Into<String>,
        page_id: impl Into<String>,
    ) -> MetaSimulator {
        MetaSimulator::new(MetaPlatform::Messenger, webhook_url, app_secret, page_id)
    }

    /// Customers of Instagram professional account `ig_account_id`, posting
    /// to `webhook_url` and signing with `app_secret`.
    pub fn instagram(
        webhook_url: impl Into<String>,
        app_secret: impl Into<String>,
        ig_account_id: impl Into<String>,
    ) -> MetaSimulator {
        MetaSimulator::new(
            MetaPlatform::Instagram,
            webhook_url,
            app_secret,
            ig_account_id,
        )
    }

    fn new(
        platform: MetaPlatform,
        webhook_url: impl Into<String>,
        app_secret: impl Into<String>,
        account_id: impl Into<String>,
    ) -> MetaSimulator {
        MetaSimulator {
            webhook_url: webhook_url.into(),
            app_secret: app_secret.into(),
            platform,
            account_id: account_id.into(),
            app_id: "1517776481860111".to_owned(),
            last_timestamp: Arc::default(),
        }
    }

    /// The same simulator, with Messenger echoes naming `app_id` as the app
    /// that sent them (default `1517776481860111`).
    pub fn with_app_id(mut self, app_id: &str) -> MetaSimulator {
        app_id.clone_into(&mut self.app_id);
        self
    }

    /// Messenger or Instagram.
    pub fn platform(&self) -> MetaPlatform {
        self.platform
    }

    /// The page or Instagram account id (`entry[].id`, `recipient.id`).
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// The app id Messenger echoes carry.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The URL deliveries are posted to.
    pub fn webhook_url(&self) -> &str {
        &self.webhook_url
    }

    /// A realistic user id for this page: a 16-digit PSID (Messenger) or a
    /// 16-digit IGSID (Instagram).
    pub fn random_user_id() -> String {
        rand::rng()
            .random_range(1_000_000_000_000_000u64..10_000_000_000_000_000)
            .to_string()
    }

    /// `sha256=<lowercase hex HMAC-SHA256 of body keyed with the app secret>`,
    /// the value of `X-Hub-Signature-256`.
    pub fn sign(&self, body: &[u8]) -> String {
        hub_signature(&self.app_secret, body)
    }

    /// Serializes `delivery` as Meta does ([`ascii_escape_json`]), signs it
    /// and POSTs it to the webhook URL.
    pub async fn post(&self, client: &reqwest::Client, delivery: &Value) -> WebhookResponse {
        let body = ascii_escape_json(delivery).into_bytes();
        let signature = self.sign(&body);
        post_hub(client, &self.webhook_url, body, Some(&signature)).await
    }

    /// POSTs `delivery` ASCII-escaped, with `X-Hub-Signature-256: signature`
    /// when given, or without the header (to test bad or missing signatures).
    pub async fn post_with_signature(
        &self,
        client: &reqwest::Client,
        delivery: &Value,
        signature: Option<&str>,
    ) -> WebhookResponse {
        let body = ascii_escape_json(delivery).into_bytes();
        post_hub(client, &self.webhook_url, body, signature).await
    }

    /// POSTs `body` as is (e.g. re-encoded UTF-8 or malformed JSON), with an
    /// optional `X-Hub-Signature-256`.
    pub async fn post_raw(
        &self,
        client: &reqwest::Client,
        body: Vec<u8>,
        signature: Option<&str>,
    ) -> WebhookResponse {
        post_hub(client, &self.webhook_url, body, signature).await
    }

    /// The verification handshake: `GET webhook_url?hub.mode=mode&
    /// hub.verify_token=…&hub.challenge=…` (Meta sends mode `subscribe`).
    pub async fn handshake(
        &self,
        client: &reqwest::Client,
        mode: &str,
        verify_token: &str,
        challenge: &str,
    ) -> WebhookResponse {
        hub_handshake(client, &self.webhook_url, mode, verify_token, challenge).await
    }

    /// Whether this plays Messenger.
    pub(crate) fn is_messenger(&self) -> bool {
        self.platform == MetaPlatform::Messenger
    }

    /// Now in Unix ms, at least one more than the last one handed out.
    pub(crate) fn next_timestamp(&self) -> i64 {
        let now = chrono::Utc::now().timestamp_millis();
        let mut last = self.last_timestamp.load(Ordering::Relaxed);
        loop {
            let next = now.max(last + 1);
            match self.last_timestamp.compare_exchange_weak(
                last,
                next,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return next,
                Err(seen) => last = seen,
            }
        }
    }
}
