//! Customers writing to a bot: POSTs `Update`s to the server's webhook with
//! `X-Telegram-Bot-Api-Secret-Token`, as Telegram does (channels.md §3.1).
//! The builders are in `updates.rs`.

use super::FakeTelegram;
use crate::WebhookResponse;
use rand::Rng;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

/// The header Telegram puts the webhook's secret token in.
pub const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

/// Customers of one bot posting updates to one webhook URL. Cheap to clone;
/// clones share the update and message counters.
///
/// `update_id`s increase from a random base; `message_id`s increase per
/// chat from a random base below 500 000 (the fake numbers the bot's own
/// messages from 1 000 000). Chats are private (chat id = user id) unless
/// the id is negative (a group).
#[derive(Clone)]
pub struct TelegramSimulator {
    webhook_url: String,
    secret_token: String,
    bot_id: i64,
    bot_first_name: String,
    bot_username: String,
    next_update: Arc<AtomicI64>,
    message_base: i64,
    last_message: Arc<Mutex<HashMap<i64, i64>>>,
    fake: Option<FakeTelegram>,
}

impl fmt::Debug for TelegramSimulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TelegramSimulator")
            .field("webhook_url", &self.webhook_url)
            .field("secret_token", &"<redacted>")
            .field("bot_id", &self.bot_id)
            .field("linked", &self.fake.is_some())
            .finish()
    }
}

impl TelegramSimulator {
    /// Customers of bot `bot_id`, posting to `webhook_url` with
    /// `secret_token` in the secret header (no header when empty). The bot
    /// shows as "Acme Support" (`@acme_support_bot`), like
    /// [`FakeTelegram::add_bot`].
    pub fn new(
        webhook_url: impl Into<String>,
        secret_token: impl Into<String>,
        bot_id: i64,
    ) -> TelegramSimulator {
        let mut rng = rand::rng();
        TelegramSimulator {
            webhook_url: webhook_url.into(),
            secret_token: secret_token.into(),
            bot_id,
            bot_first_name: "Acme Support".to_owned(),
            bot_username: "acme_support_bot".to_owned(),
            next_update: Arc::new(AtomicI64::new(rng.random_range(100_000_000..900_000_000))),
            message_base: rng.random_range(1_000..500_000),
            last_message: Arc::default(),
            fake: None,
        }
    }

    /// The same simulator, showing the bot with this name and username.
    pub fn with_bot_name(mut self, first_name: &str, username: &str) -> TelegramSimulator {
        first_name.clone_into(&mut self.bot_first_name);
        username.clone_into(&mut self.bot_username);
        self
    }

    /// The same simulator, telling `fake` about every customer message it
    /// builds, so the bot can reply to them (`reply_parameters`); updates
    /// then also carry the real sizes of files stored in the fake, and
    /// replies and callbacks quote the bot's messages as the fake sent them.
    pub fn linked(mut self, fake: &FakeTelegram) -> TelegramSimulator {
        self.fake = Some(fake.clone());
        self
    }

    /// The bot's id.
    pub fn bot_id(&self) -> i64 {
        self.bot_id
    }

    /// The URL updates are posted to.
    pub fn webhook_url(&self) -> &str {
        &self.webhook_url
    }

    /// A realistic private chat id (= user id): 10 digits, often above 2³².
    pub fn random_chat_id() -> i64 {
        rand::rng().random_range(1_000_000_000..9_000_000_000)
    }

    /// POSTs `update` as JSON with the secret header (when the secret isn't empty).
    pub async fn post(&self, client: &reqwest::Client, update: &Value) -> WebhookResponse {
        let secret = Some(self.secret_token.as_str()).filter(|s| !s.is_empty());
        self.post_with_secret(client, update, secret).await
    }

    /// POSTs `update` with `secret` in the secret header, or without the
    /// header when `None` (to test wrong or missing secrets).
    pub async fn post_with_secret(
        &self,
        client: &reqwest::Client,
        update: &Value,
        secret: Option<&str>,
    ) -> WebhookResponse {
        let body = serde_json::to_vec(update).unwrap_or_default();
        self.post_raw(client, body, secret).await
    }

    /// POSTs `body` as is (e.g. malformed JSON) with an optional secret header.
    pub async fn post_raw(
        &self,
        client: &reqwest::Client,
        body: Vec<u8>,
        secret: Option<&str>,
    ) -> WebhookResponse {
        let mut request = client
            .post(&self.webhook_url)
            .header(CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(secret) = secret {
            request = request.header(SECRET_HEADER, secret);
        }
        crate::simulator::respond(request.send().await).await
    }

    /// The next `update_id`.
    pub(crate) fn next_update_id(&self) -> i64 {
        self.next_update.fetch_add(1, Ordering::Relaxed)
    }

    /// The next customer `message_id` in `chat`.
    pub(crate) fn next_message_id(&self, chat: i64) -> i64 {
        let mut last = self.last_message.lock().unwrap_or_else(|e| e.into_inner());
        let id = last.entry(chat).or_insert(self.message_base - 1);
        *id += 1;
        *id
    }

    /// The bot as a Telegram `User`.
    pub(crate) fn bot_user(&self) -> Value {
        json!({
            "id": self.bot_id,
            "is_bot": true,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        })
    }

    /// Tells a linked fake about a customer message.
    pub(crate) fn note(&self, chat: i64, message: &Value) {
        if let Some(fake) = &self.fake {
            fake.inner().remember(self.bot_id, chat, message);
        }
    }

    /// A message of `chat` the linked fake knows (e.g. one the bot sent).
    pub(crate) fn known_message(&self, chat: i64, message_id: i64) -> Option<Value> {
        let fake = self.fake.as_ref()?;
        let state = fake.inner().state();
        state
            .messages
            .get(&(self.bot_id, chat, message_id))
            .cloned()
    }

    /// The size of a file stored in the linked fake.
    pub(crate) fn file_size(&self, file_id: &str) -> Option<usize> {
        let fake = self.fake.as_ref()?;
        let state = fake.inner().state();
        state.files.get(file_id).map(|f| f.bytes.len())
    }
}
