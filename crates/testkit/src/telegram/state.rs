//! The fake's shared state and the checks every send makes.

use super::errors::{TgError, TgInjectedError};
use super::files::Kind;
use super::{TgRequest, WebhookSet};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// The first `message_id` the fake gives a bot's message in a chat; the
/// simulator numbers customers' messages below it, so they never collide.
pub(crate) const BOT_MESSAGE_BASE: i64 = 1_000_000;

/// A registered bot.
pub(crate) struct Bot {
    pub(crate) id: i64,
    pub(crate) first_name: String,
    pub(crate) username: String,
    pub(crate) webhook: Option<WebhookSet>,
}

impl Bot {
    /// The bot as a Telegram `User`.
    pub(crate) fn user(&self) -> Value {
        json!({
            "id": self.id,
            "is_bot": true,
            "first_name": self.first_name,
            "username": self.username,
        })
    }
}

/// Why sends to a chat fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChatBlock {
    Blocked,
    Deactivated,
}

/// File bytes held under a file id.
pub(crate) struct StoredFile {
    pub(crate) kind: Kind,
    pub(crate) unique_id: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) mime_type: String,
    pub(crate) file_name: Option<String>,
    /// Extension of the `file_path` getFile hands out, e.g. `"jpg"`.
    pub(crate) ext: String,
}

/// A `file_path` handed out by getFile.
pub(crate) struct FileLink {
    pub(crate) file_id: String,
    /// The token that asked; only it can download.
    pub(crate) token: String,
    pub(crate) issued: Instant,
    pub(crate) expired: bool,
}

/// One recorded call, with its arrival number.
pub(crate) struct Logged {
    pub(crate) seq: u64,
    pub(crate) request: TgRequest,
    pub(crate) is_send: bool,
}

/// Mutable state behind one lock; no lock is held across an await.
#[derive(Default)]
pub(crate) struct State {
    /// By token.
    pub(crate) bots: HashMap<String, Bot>,
    /// By bot id.
    pub(crate) injected: HashMap<i64, VecDeque<TgInjectedError>>,
    /// By (bot id, chat id).
    pub(crate) blocks: HashMap<(i64, i64), ChatBlock>,
    pub(crate) chat_rate: Option<u32>,
    pub(crate) pacing: HashMap<(i64, i64), VecDeque<Instant>>,
    /// Last bot message id per (bot id, chat id).
    pub(crate) last_message: HashMap<(i64, i64), i64>,
    /// Messages replies may point at, by (bot id, chat id, message id): the
    /// bots' own as answered, customers' as a linked simulator built them.
    pub(crate) messages: HashMap<(i64, i64, i64), Value>,
    pub(crate) files: HashMap<String, StoredFile>,
    /// By file path.
    pub(crate) links: HashMap<String, FileLink>,
    pub(crate) file_seq: u64,
    pub(crate) link_ttl: Duration,
    pub(crate) answered: Vec<String>,
    pub(crate) log: Vec<Logged>,
}

/// Everything the fake's handlers share.
pub(crate) struct Inner {
    pub(crate) base_url: String,
    pub(crate) sends: Notify,
    seq: AtomicU64,
    state: Mutex<State>,
}

impl Inner {
    pub(crate) fn new(base_url: String) -> Inner {
        Inner {
            base_url,
            sends: Notify::new(),
            seq: AtomicU64::new(0),
            state: Mutex::new(State {
                link_ttl: Duration::from_secs(60 * 60),
                ..State::default()
            }),
        }
    }

    /// Locks the state; a panic elsewhere while locked doesn't poison the fake.
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next arrival number.
    pub(crate) fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed)
    }

    /// Records a call; wakes `wait_for_sends` callers for successful sends.
    pub(crate) fn log(&self, seq: u64, request: TgRequest, is_send: bool) {
        self.state().log.push(Logged {
            seq,
            request,
            is_send,
        });
        if is_send {
            self.sends.notify_waiters();
        }
    }

    /// Recorded calls in arrival order, optionally only successful sends.
    pub(crate) fn recorded(&self, only_sends: bool) -> Vec<TgRequest> {
        let state = self.state();
        let mut logged: Vec<&Logged> = state
            .log
            .iter()
            .filter(|l| !only_sends || l.is_send)
            .collect();
        logged.sort_by_key(|l| l.seq);
        logged.into_iter().map(|l| l.request.clone()).collect()
    }

    /// The checks a send to `chat` passes before it is taken, in order: the
    /// first injected error of the bot, a blocked or deactivated chat, the
    /// per-chat pacing.
    pub(crate) fn admit_send(&self, bot_id: i64, chat: i64) -> Result<(), TgError> {
        if let Some(e) = self.take_injected(bot_id) {
            return Err(e.to_error());
        }
        self.check_block(bot_id, chat)?;
        self.pace(bot_id, chat)
    }

    /// 403 when the chat blocked the bot or the user is deactivated.
    pub(crate) fn check_block(&self, bot_id: i64, chat: i64) -> Result<(), TgError> {
        match self.state().blocks.get(&(bot_id, chat)) {
            None => Ok(()),
            Some(ChatBlock::Blocked) => Err(TgError::forbidden("bot was blocked by the user")),
            Some(ChatBlock::Deactivated) => Err(TgError::forbidden("user is deactivated")),
        }
    }

    /// Takes one use of the first injected error queued for the bot.
    fn take_injected(&self, bot_id: i64) -> Option<TgInjectedError> {
        let mut state = self.state();
        let queue = state.injected.get_mut(&bot_id)?;
        let first = queue.front_mut()?;
        let e = first.clone();
        if first.times <= 1 {
            queue.pop_front();
        } else {
            first.times -= 1;
        }
        Some(e)
    }

    /// Counts a send against the per-chat rate; 429 with the seconds until
    /// the oldest send in the window leaves it (at least 1).
    fn pace(&self, bot_id: i64, chat: i64) -> Result<(), TgError> {
        let mut state = self.state();
        let Some(limit) = state.chat_rate else {
            return Ok(());
        };
        let now = Instant::now();
        let window = state.pacing.entry((bot_id, chat)).or_default();
        let second = Duration::from_secs(1);
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= second)
        {
            window.pop_front();
        }
        if window.len() >= limit.max(1) as usize {
            let wait = window
                .front()
                .map(|t| second.saturating_sub(now.duration_since(*t)))
                .unwrap_or(second);
            return Err(TgError::too_many(wait.as_secs_f64().ceil().max(1.0) as u64));
        }
        window.push_back(now);
        Ok(())
    }

    /// A new bot message id in `chat`.
    pub(crate) fn next_message_id(&self, bot_id: i64, chat: i64) -> i64 {
        let mut state = self.state();
        let last = state
            .last_message
            .entry((bot_id, chat))
            .or_insert(BOT_MESSAGE_BASE - 1);
        *last += 1;
        *last
    }

    /// Remembers `message` (which has `message_id`) of `chat` as a reply
    /// target, without its own `reply_to_message`.
    pub(crate) fn remember(&self, bot_id: i64, chat: i64, message: &Value) {
        let Some(id) = message.get("message_id").and_then(Value::as_i64) else {
            return;
        };
        let mut message = message.clone();
        if let Some(m) = message.as_object_mut() {
            m.remove("reply_to_message");
        }
        self.state().messages.insert((bot_id, chat, id), message);
    }
}
