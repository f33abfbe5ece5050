//! The fake's shared state and the checks every endpoint makes.

use super::errors::{self, GraphError, InjectedError};
use super::{AcceptedSend, FakeGraphConfig, FakeTemplate, RecordedRequest};
use crate::{MetaSimulator, Simulator};
use axum::http::{HeaderMap, header};
use chrono::{DateTime, Utc};
use rand::Rng;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// A registered business phone number.
pub(crate) struct Number {
    pub(crate) waba_id: String,
    pub(crate) token: String,
}

/// A registered Messenger page or Instagram professional account.
pub(crate) struct Page {
    pub(crate) token: String,
    /// Registration order, so `/me` picks the first page of a shared token.
    pub(crate) order: u64,
}

/// Media bytes held under a media id.
pub(crate) struct StoredMedia {
    pub(crate) bytes: Vec<u8>,
    pub(crate) mime_type: String,
}

/// One recorded request, with its arrival number.
pub(crate) struct Logged {
    pub(crate) seq: u64,
    pub(crate) request: RecordedRequest,
    pub(crate) is_send: bool,
}

/// Mutable state behind one lock; no lock is held across an await.
pub(crate) struct State {
    pub(crate) numbers: HashMap<String, Number>,
    pub(crate) injected: HashMap<String, VecDeque<InjectedError>>,
    pub(crate) pacing: HashMap<String, VecDeque<Instant>>,
    pub(crate) templates: HashMap<String, Vec<FakeTemplate>>,
    pub(crate) media: HashMap<String, StoredMedia>,
    pub(crate) media_ttl: Duration,
    pub(crate) log: Vec<Logged>,
    /// Every send taken, in order, recorded before its answer leaves.
    pub(crate) accepted: Vec<AcceptedSend>,
    /// Numbers whose sends are answered only after this delay.
    pub(crate) answer_delay: HashMap<String, Duration>,
    /// Numbers whose sends get `sent` status webhooks, and where to.
    pub(crate) status_hooks: HashMap<String, Simulator>,
    /// Messenger pages and Instagram accounts, by id.
    pub(crate) pages: HashMap<String, Page>,
    /// When each (page, user) pair last heard from the user; pairs not
    /// here have an open window.
    pub(crate) windows: HashMap<(String, String), DateTime<Utc>>,
    /// Pages whose sends get echo and delivery webhooks, and where to.
    pub(crate) meta_hooks: HashMap<String, MetaSimulator>,
    /// Messenger and Instagram customers' profiles, by their id.
    pub(crate) profiles: HashMap<String, serde_json::Value>,
}

/// Everything the fake's handlers share.
pub(crate) struct Inner {
    pub(crate) config: FakeGraphConfig,
    pub(crate) base_url: String,
    /// Key for signing download URLs, random per fake.
    pub(crate) url_key: [u8; 32],
    pub(crate) sends: Notify,
    seq: AtomicU64,
    state: Mutex<State>,
}

impl Inner {
    pub(crate) fn new(config: FakeGraphConfig, base_url: String) -> Inner {
        let mut url_key = [0u8; 32];
        rand::rng().fill(&mut url_key);
        Inner {
            config,
            base_url,
            url_key,
            sends: Notify::new(),
            seq: AtomicU64::new(0),
            state: Mutex::new(State {
                numbers: HashMap::new(),
                injected: HashMap::new(),
                pacing: HashMap::new(),
                templates: HashMap::new(),
                media: HashMap::new(),
                media_ttl: Duration::from_secs(5 * 60),
                log: Vec::new(),
                accepted: Vec::new(),
                answer_delay: HashMap::new(),
                status_hooks: HashMap::new(),
                pages: HashMap::new(),
                windows: HashMap::new(),
                meta_hooks: HashMap::new(),
                profiles: HashMap::new(),
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

    /// Recorded requests in arrival order, optionally only successful sends.
    pub(crate) fn recorded(&self, only_sends: bool) -> Vec<RecordedRequest> {
        let state = self.state();
        let mut logged: Vec<&Logged> = state
            .log
            .iter()
            .filter(|l| !only_sends || l.is_send)
            .collect();
        logged.sort_by_key(|l| l.seq);
        logged.into_iter().map(|l| l.request.clone()).collect()
    }

    /// Stores media under a new id and returns the id.
    pub(crate) fn store_media(&self, bytes: Vec<u8>, mime_type: &str) -> String {
        let id = super::numeric_id();
        let media = StoredMedia {
            bytes,
            mime_type: mime_type.to_owned(),
        };
        self.state().media.insert(id.clone(), media);
        id
    }

    /// 400 unless `ver` is the version this fake serves.
    pub(crate) fn check_version(&self, ver: &str) -> Result<(), GraphError> {
        if ver == self.config.version {
            return Ok(());
        }
        let message = format!(
            "(#100) Unsupported API version '{ver}'; this fake serves {}",
            self.config.version
        );
        Err(errors::graph_error(400, 100, None, &message, None))
    }

    /// The WABA of `phone_number_id` if it is known (else 400 code 100) and
    /// the bearer token is its token (else 401 code 190).
    pub(crate) fn authorize_number(
        &self,
        headers: &HeaderMap,
        phone_number_id: &str,
    ) -> Result<String, GraphError> {
        let state = self.state();
        let Some(number) = state.numbers.get(phone_number_id) else {
            return Err(errors::unknown_object(phone_number_id, 400));
        };
        match bearer(headers) {
            None => Err(errors::missing_token()),
            Some(token) if token == number.token => Ok(number.waba_id.clone()),
            Some(_) => Err(errors::invalid_token()),
        }
    }

    /// Ok if the bearer token is the token of any known number (else 401 code 190).
    pub(crate) fn authorize_any(&self, headers: &HeaderMap) -> Result<(), GraphError> {
        let Some(token) = bearer(headers) else {
            return Err(errors::missing_token());
        };
        let state = self.state();
        if state.numbers.values().any(|n| n.token == token) {
            Ok(())
        } else {
            Err(errors::invalid_token())
        }
    }

    /// Counts a send against the number's per-second pacing; 429 code 130429
    /// when the last second already holds `pacing` sends.
    pub(crate) fn admit(&self, phone_number_id: &str) -> Result<(), GraphError> {
        if self.within_pacing(phone_number_id) {
            Ok(())
        } else {
            Err(InjectedError::code(130429).to_error())
        }
    }

    /// Counts a send from `id` (number or page) against the per-second
    /// pacing; false, counting nothing, when the last second is full.
    pub(crate) fn within_pacing(&self, id: &str) -> bool {
        let Some(limit) = self.config.pacing else {
            return true;
        };
        let now = Instant::now();
        let mut state = self.state();
        let window = state.pacing.entry(id.to_owned()).or_default();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            window.pop_front();
        }
        if window.len() >= limit as usize {
            return false;
        }
        window.push_back(now);
        true
    }

    /// Whether `id` is a registered page or Instagram account.
    pub(crate) fn is_page(&self, id: &str) -> bool {
        self.state().pages.contains_key(id)
    }

    /// The page a Send API call acts for: `id` itself when `token` is its
    /// token, or for `me` the first page registered with `token`; else 400
    /// code 190.
    pub(crate) fn authorize_page(
        &self,
        id: &str,
        token: Option<&str>,
    ) -> Result<String, GraphError> {
        let Some(token) = token else {
            return Err(errors::invalid_page_token());
        };
        let state = self.state();
        let found = if id == "me" {
            state
                .pages
                .iter()
                .filter(|(_, p)| p.token == token)
                .min_by_key(|(_, p)| p.order)
                .map(|(id, _)| id.clone())
        } else {
            state
                .pages
                .get(id)
                .filter(|p| p.token == token)
                .map(|_| id.to_owned())
        };
        found.ok_or_else(errors::invalid_page_token)
    }

    /// Takes one use of the first injected error queued for the number.
    pub(crate) fn take_injected(&self, phone_number_id: &str) -> Option<InjectedError> {
        let mut state = self.state();
        let queue = state.injected.get_mut(phone_number_id)?;
        let first = queue.front_mut()?;
        let e = first.clone();
        if first.times <= 1 {
            queue.pop_front();
        } else {
            first.times -= 1;
        }
        Some(e)
    }
}

/// The token of an `Authorization: Bearer <token>` header.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
