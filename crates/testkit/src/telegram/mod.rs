//! A fake of Telegram's Bot API and a simulator of customers writing to a
//! bot (channels.md §3 and §6).
//!
//! [`FakeTelegram::start`] serves `/bot<token>/<method>` and
//! `/file/bot<token>/<file_path>` on a loopback port; point the server's
//! Bot API base URL at [`FakeTelegram::base_url`]. Every call is recorded.
//! [`TelegramSimulator`] builds `Update`s and POSTs them to the server's
//! webhook with `X-Telegram-Bot-Api-Secret-Token`.
//!
//! Message ids: the fake numbers a bot's messages per chat from 1 000 000;
//! the simulator numbers customers' messages per chat from a random base
//! below 500 000, so the two never collide.
//!
//! ```no_run
//! use atende_testkit::{FakeTelegram, TelegramSimulator, TgInjectedError};
//! use std::time::Duration;
//!
//! # async fn example(webhook_url: String) {
//! const TOKEN: &str = "7400123456:AAH-secret";
//! let tg = FakeTelegram::start().await; // point the server's Bot API base URL at tg.base_url()
//! tg.add_bot(TOKEN);
//! tg.inject_error(TOKEN, TgInjectedError::rate_limited(3)); // the first reply gets 429
//!
//! let customers = TelegramSimulator::new(webhook_url, "hook-secret", 7400123456).linked(&tg);
//! let client = reqwest::Client::new();
//! let (update, _message_id) = customers.text(5093842217, "Ana", "Oi, boa tarde!");
//! assert_eq!(customers.post(&client, &update).await.status, 200);
//!
//! let sends = tg.wait_for_sends(1, Duration::from_secs(5)).await;
//! assert_eq!(sends[0].chat_id(), Some(5093842217));
//! # }
//! ```

mod actions;
mod errors;
mod files;
mod markup;
mod methods;
mod params;
mod simulator;
mod state;
mod types;
mod updates;
mod webhooks;

pub use errors::TgInjectedError;
pub use simulator::{SECRET_HEADER, TelegramSimulator};
pub use types::{TgRequest, WebhookSet};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use state::{Bot, ChatBlock, Inner};
use std::sync::Arc;
use std::time::Duration;

/// Largest request body the fake reads (uploads over 50 MB get 413 anyway).
const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// A running fake Bot API. Cheap to clone; clones share the same server.
#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Inner>,
}

impl FakeTelegram {
    /// Starts the fake on `127.0.0.1:0`, spawned on the current tokio runtime.
    ///
    /// # Panics
    /// If no loopback port can be bound.
    pub async fn start() -> FakeTelegram {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("the fake Bot API needs a loopback port");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let inner = Arc::new(Inner::new(format!("http://{addr}")));
        let app = router(inner.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "fake Bot API stopped");
            }
        });
        FakeTelegram { inner }
    }

    /// `http://127.0.0.1:PORT`: calls go to `{base_url}/bot<token>/<method>`,
    /// downloads to `{base_url}/file/bot<token>/<file_path>`.
    pub fn base_url(&self) -> String {
        self.inner.base_url.clone()
    }

    /// Registers a bot answering to `token` (`<bot id>:<secret>`), named like
    /// the fixtures' "Acme Support" (`@acme_support_bot`). Calls with other
    /// tokens get 401 `Unauthorized`.
    ///
    /// # Panics
    /// If `token` isn't `<digits>:<secret>`.
    pub fn add_bot(&self, token: &str) {
        self.add_bot_named(token, "Acme Support", "acme_support_bot");
    }

    /// Registers a bot answering to `token` with its display name and
    /// username (without `@`).
    ///
    /// # Panics
    /// If `token` isn't `<digits>:<secret>`.
    pub fn add_bot_named(&self, token: &str, first_name: &str, username: &str) {
        let bot = Bot {
            id: token_bot_id(token),
            first_name: first_name.to_owned(),
            username: username.to_owned(),
            webhook: None,
        };
        self.inner.state().bots.insert(token.to_owned(), bot);
    }

    /// The id of the bot registered with `token` (the digits before `:`);
    /// `None` if it isn't registered (or was revoked).
    pub fn bot_id(&self, token: &str) -> Option<i64> {
        self.inner.state().bots.get(token).map(|b| b.id)
    }

    /// Forgets `token`: every call with it gets 401 `Unauthorized` and its
    /// file links 404, as after the owner revoked it in @BotFather. Message
    /// numbering, blocks and files of the bot stay; register the new token
    /// with [`FakeTelegram::add_bot`].
    pub fn revoke_token(&self, token: &str) {
        self.inner.state().bots.remove(token);
    }

    /// The webhook the bot of `token` set, if any.
    pub fn webhook(&self, token: &str) -> Option<WebhookSet> {
        let state = self.inner.state();
        state.bots.get(token).and_then(|b| b.webhook.clone())
    }

    /// Queues `e`: the next `e.times` sends of the bot (`sendMessage`, media,
    /// location and contact sends that passed validation) fail with it; later
    /// injected errors apply after it, in order. Other methods are not affected.
    ///
    /// # Panics
    /// If `token` isn't `<digits>:<secret>`.
    pub fn inject_error(&self, token: &str, mut e: TgInjectedError) {
        e.times = e.times.max(1);
        let id = token_bot_id(token);
        self.inner
            .state()
            .injected
            .entry(id)
            .or_default()
            .push_back(e);
    }

    /// The customer of `chat_id` blocked the bot: sends, chat actions and
    /// reactions to it get 403 `Forbidden: bot was blocked by the user`
    /// until [`FakeTelegram::unblock_chat`].
    ///
    /// # Panics
    /// If `token` isn't `<digits>:<secret>`.
    pub fn block_chat(&self, token: &str, chat_id: i64) {
        let key = (token_bot_id(token), chat_id);
        self.inner.state().blocks.insert(key, ChatBlock::Blocked);
    }

    /// The customer of `chat_id` deleted their account: like
    /// [`FakeTelegram::block_chat`] with 403 `Forbidden: user is deactivated`.
    ///
    /// # Panics
    /// If `token` isn't `<digits>:<secret>`.
    pub fn deactivate_chat(&self, token: &str, chat_id: i64) {
        let key = (token_bot_id(token), chat_id);
        self.inner
            .state()
            .blocks
            .insert(key, ChatBlock::Deactivated);
    }

    /// Undoes [`FakeTelegram::block_chat`] and [`FakeTelegram::deactivate_chat`].
    ///
    /// # Panics
    /// If `token` isn't `<digits>:<secret>`.
    pub fn unblock_chat(&self, token: &str, chat_id: i64) {
        let key = (token_bot_id(token), chat_id);
        self.inner.state().blocks.remove(&key);
    }

    /// Max sends per second per (bot, chat); sends over it get 429 with the
    /// seconds until the window frees as `retry_after`. `None` (the
    /// default) means unlimited. Telegram's real limit is about 1/s per chat.
    pub fn set_chat_rate(&self, per_second: Option<u32>) {
        let mut state = self.inner.state();
        state.chat_rate = per_second;
        state.pacing.clear();
    }

    /// Makes `message_id` of `chat_id` a message the bot can reply to
    /// (`reply_parameters`). The bot's own messages are known already;
    /// customers' ones are known when the simulator is
    /// [linked](TelegramSimulator::linked) to this fake.
    ///
    /// # Panics
    /// If `token` isn't `<digits>:<secret>`.
    pub fn remember_message(&self, token: &str, chat_id: i64, message_id: i64) {
        let message = serde_json::json!({
            "message_id": message_id,
            "chat": {"id": chat_id, "type": "private"},
            "date": chrono::Utc::now().timestamp(),
        });
        self.inner.remember(token_bot_id(token), chat_id, &message);
    }

    /// Stores a file as if a customer had sent it, under `file_id` (e.g. the
    /// id a simulated update carries), so getFile and downloads work. Its
    /// `file_path` directory follows the id's Telegram prefix or `mime_type`.
    pub fn add_file(&self, file_id: &str, bytes: Vec<u8>, mime_type: &str) {
        self.inner
            .store_file(Some(file_id), None, bytes, mime_type, None);
    }

    /// Stores a file under a new Telegram-like id of `kind` (`"photo"`,
    /// `"document"`, `"voice"`, `"audio"`, `"video"`, `"sticker"`,
    /// `"animation"`; others count as documents) and returns the id.
    pub fn new_file(&self, kind: &str, bytes: Vec<u8>, mime_type: &str) -> String {
        let kind = files::kind(kind);
        self.inner
            .store_file(None, Some(kind), bytes, mime_type, None)
    }

    /// The bytes and MIME type stored under `file_id` (added, or uploaded
    /// by a send); `None` if unknown. Files sent by URL have no bytes.
    pub fn file(&self, file_id: &str) -> Option<(Vec<u8>, String)> {
        let state = self.inner.state();
        let f = state.files.get(file_id)?;
        Some((f.bytes.clone(), f.mime_type.clone()))
    }

    /// How long a `file_path` from getFile stays downloadable (default 1 h).
    /// Checked at download time, so shortening it also ages links already
    /// handed out.
    pub fn set_file_link_ttl(&self, ttl: Duration) {
        self.inner.state().link_ttl = ttl;
    }

    /// Expires every `file_path` handed out so far: downloads get 404 until
    /// the client calls getFile again.
    pub fn expire_file_links(&self) {
        for link in self.inner.state().links.values_mut() {
            link.expired = true;
        }
    }

    /// The `callback_query_id`s answered with answerCallbackQuery, in order.
    pub fn answered_callbacks(&self) -> Vec<String> {
        self.inner.state().answered.clone()
    }

    /// Every call received, in arrival order (failures and downloads included).
    pub fn requests(&self) -> Vec<TgRequest> {
        self.inner.recorded(false)
    }

    /// Only the successful sends (`sendMessage`, media, location, contact;
    /// not chat actions), in arrival order.
    pub fn sent_messages(&self) -> Vec<TgRequest> {
        self.inner.recorded(true)
    }

    /// Forgets every recorded call; later sends count from zero.
    pub fn clear_requests(&self) {
        self.inner.state().log.clear();
    }

    /// Waits until at least `n` sends succeeded and returns them all; at the
    /// timeout returns those that arrived (possibly fewer than `n`).
    pub async fn wait_for_sends(&self, n: usize, timeout: Duration) -> Vec<TgRequest> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.sends.notified();
            tokio::pin!(notified);
            // Registered before checking, so a send in between still wakes us.
            notified.as_mut().enable();
            let sends = self.sent_messages();
            if sends.len() >= n {
                return sends;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.sent_messages();
            }
        }
    }

    /// The shared state, for the simulator.
    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

/// The bot id of a token: the digits before `:`.
///
/// # Panics
/// If `token` isn't `<digits>:<secret>`.
fn token_bot_id(token: &str) -> i64 {
    token
        .split_once(':')
        .filter(|(_, secret)| !secret.is_empty())
        .and_then(|(id, _)| id.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .unwrap_or_else(|| panic!("a bot token is `<digits>:<secret>`, got {token:?}"))
}

/// The fake's routes.
fn router(inner: Arc<Inner>) -> Router {
    Router::new()
        .route(
            "/{bot_token}/{method}",
            get(methods::call).post(methods::call),
        )
        .route("/file/{bot_token}/{*file_path}", get(files::download))
        // Not part of the Bot API and not recorded: what the fake sent, for
        // people and browser tests looking at a running demo.
        .route("/__fake/messages", get(sent_log))
        .fallback(unknown_path)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(inner)
}

/// The successful sends received so far, oldest first.
async fn sent_log(
    axum::extract::State(inner): axum::extract::State<Arc<Inner>>,
) -> axum::Json<Vec<TgRequest>> {
    axum::Json(inner.recorded(true))
}

/// What the Bot API answers for a path it has no handler for.
async fn unknown_path() -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let e = errors::TgError::not_found();
    (axum::http::StatusCode::NOT_FOUND, axum::Json(e.body())).into_response()
}
