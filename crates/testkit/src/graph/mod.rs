//! A fake of Meta's Graph API for the WhatsApp Cloud API (channels.md
//! §1.7–1.9) and the Messenger and Instagram Send API (§2.4–2.5).
//!
//! [`FakeGraph::start`] serves it on a loopback port; point the server's
//! Graph base URLs at [`FakeGraph::base_url`]. Every request is recorded.
//! `POST /{ver}/{id}/messages` is a Send API call when `id` is a page or
//! Instagram account registered with [`FakeGraph::add_page`] (or `me`), a
//! Cloud API send otherwise.

mod errors;
mod media;
mod messages;
mod pages;
mod profiles;
mod record;
mod state;
mod templates;
mod types;

pub use errors::InjectedError;
pub use types::{AcceptedSend, FakeTemplate, RecordedRequest};

use crate::{MetaSimulator, Simulator};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng;
use state::{Inner, Number, Page, StoredMedia};
use std::sync::Arc;
use std::time::Duration;

/// Largest request body the fake accepts (documents may be 100 MB).
const BODY_LIMIT: usize = 128 * 1024 * 1024;

/// How a [`FakeGraph`] behaves.
#[derive(Clone, Debug)]
pub struct FakeGraphConfig {
    /// The Graph API version served, e.g. `"v25.0"`; other versions get 400.
    pub version: String,
    /// Max accepted sends per second per phone number or page; sends over
    /// it get HTTP 429 code 130429 (pages: 400 code 613). `None` means
    /// unlimited.
    pub pacing: Option<u32>,
}

impl Default for FakeGraphConfig {
    fn default() -> Self {
        FakeGraphConfig {
            version: "v25.0".to_owned(),
            pacing: None,
        }
    }
}

/// A running fake Graph API. Cheap to clone; clones share the same server.
#[derive(Clone)]
pub struct FakeGraph {
    inner: Arc<Inner>,
}

impl FakeGraph {
    /// Starts the fake with the default config on `127.0.0.1:0`, spawned on
    /// the current tokio runtime.
    ///
    /// # Panics
    /// If no loopback port can be bound.
    pub async fn start() -> FakeGraph {
        FakeGraph::start_with(FakeGraphConfig::default()).await
    }

    /// Starts the fake with `config` on `127.0.0.1:0`, spawned on the current
    /// tokio runtime.
    ///
    /// # Panics
    /// If no loopback port can be bound.
    pub async fn start_with(config: FakeGraphConfig) -> FakeGraph {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("the fake Graph API needs a loopback port");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let inner = Arc::new(Inner::new(config, format!("http://{addr}")));
        let app = router(inner.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "fake Graph API stopped");
            }
        });
        FakeGraph { inner }
    }

    /// `http://127.0.0.1:PORT`, what the server's Graph base URL should be.
    pub fn base_url(&self) -> String {
        self.inner.base_url.clone()
    }

    /// The Graph API version served, e.g. `"v25.0"`.
    pub fn version(&self) -> String {
        self.inner.config.version.clone()
    }

    /// Registers a phone number of `waba_id` that accepts `access_token`.
    /// Sends to unknown phone ids get 400 code 100; a wrong or missing bearer
    /// token gets 401 code 190.
    pub fn add_number(&self, phone_number_id: &str, waba_id: &str, access_token: &str) {
        self.inner.state().numbers.insert(
            phone_number_id.to_owned(),
            Number {
                waba_id: waba_id.to_owned(),
                token: access_token.to_owned(),
            },
        );
    }

    /// Replaces the token a number or page accepts (the old one then gets
    /// code 190). Does nothing for an unknown id.
    pub fn set_access_token(&self, phone_number_id: &str, token: &str) {
        let mut state = self.inner.state();
        if let Some(n) = state.numbers.get_mut(phone_number_id) {
            n.token = token.to_owned();
        }
        if let Some(p) = state.pages.get_mut(phone_number_id) {
            p.token = token.to_owned();
        }
    }

    /// Registers a Messenger page, or an Instagram professional account id
    /// (same endpoint shape), that accepts `access_token` as bearer or as
    /// the `access_token` query parameter. `POST /{ver}/{page_id}/messages`
    /// then takes Send API calls; `POST /{ver}/me/messages` acts for the
    /// first page registered with the call's token. A wrong or missing token
    /// gets 400 code 190 (`Invalid OAuth access token.`).
    pub fn add_page(&self, page_id: &str, access_token: &str) {
        let mut state = self.inner.state();
        let order = state
            .pages
            .get(page_id)
            .map_or(state.pages.len() as u64, |p| p.order);
        let page = Page {
            token: access_token.to_owned(),
            order,
        };
        state.pages.insert(page_id.to_owned(), page);
    }

    /// Records when `user_id` last wrote to `page_id`. Messages to them with
    /// `RESPONSE` or `UPDATE` then need it within 24 h, and `MESSAGE_TAG` +
    /// `HUMAN_AGENT` within 7 days; otherwise 400 code 10 subcode 2018278
    /// (MI-3). Other tags ignore windows; sender actions too. Users never
    /// set are inside every window.
    pub fn set_window(&self, page_id: &str, user_id: &str, last_user_message_at: DateTime<Utc>) {
        let key = (page_id.to_owned(), user_id.to_owned());
        self.inner.state().windows.insert(key, last_user_message_at);
    }

    /// Closes the standard window of (`page_id`, `user_id`): the user last
    /// wrote 25 h ago, so only `HUMAN_AGENT` (or another tag) gets through.
    pub fn close_window(&self, page_id: &str, user_id: &str) {
        self.set_window(page_id, user_id, Utc::now() - TimeDelta::hours(25));
    }

    /// Closes the human-agent window too: the user last wrote 8 days ago,
    /// so `HUMAN_AGENT` sends also get 400 code 10 subcode 2018278.
    pub fn expire_human_window(&self, page_id: &str, user_id: &str) {
        self.set_window(page_id, user_id, Utc::now() - TimeDelta::days(8));
    }

    /// Queues `e`: the next `e.times` sends to that number, or messages from
    /// that page (not sender actions), fail with it; later injected errors
    /// apply after it, in order. For pages use [`InjectedError::messenger`].
    pub fn inject_error(&self, phone_number_id: &str, mut e: InjectedError) {
        e.times = e.times.max(1);
        let mut state = self.inner.state();
        state
            .injected
            .entry(phone_number_id.to_owned())
            .or_default()
            .push_back(e);
    }

    /// Holds the answer to every send taken from `phone_number_id` (or page) for
    /// `delay` (`None`: answer at once). The send is taken, recorded in
    /// [`FakeGraph::accepted_sends`] and its status webhook posted before
    /// the delay, so a client that gives up waiting sees a send whose
    /// outcome it does not know, as when Meta's answer is lost.
    pub fn set_answer_delay(&self, phone_number_id: &str, delay: Option<Duration>) {
        let mut state = self.inner.state();
        match delay {
            Some(d) => state.answer_delay.insert(phone_number_id.to_owned(), d),
            None => state.answer_delay.remove(phone_number_id),
        };
    }

    /// After every send taken from the simulator's number, posts a `sent`
    /// status webhook through it (signed, echoing the send's
    /// `biz_opaque_callback_data`), retrying until the server answers 200,
    /// as Meta does.
    pub fn deliver_statuses(&self, sim: Simulator) {
        self.inner
            .state()
            .status_hooks
            .insert(sim.phone_number_id().to_owned(), sim);
    }

    /// After every message taken from the simulator's page or Instagram
    /// account, posts its echo through it (`is_echo`, the send's mid, text
    /// or attachment and `metadata`) and, on Messenger, then a delivery
    /// receipt for it, signed and retried until the server answers 200.
    pub fn deliver_meta_webhooks(&self, sim: MetaSimulator) {
        self.inner
            .state()
            .meta_hooks
            .insert(sim.account_id().to_owned(), sim);
    }

    /// Every send taken, in order, recorded the moment it was taken (a send
    /// whose answer the client never read counts too). Send API messages
    /// count, with the page id and `m_…` id in place of number and wamid.
    pub fn accepted_sends(&self) -> Vec<AcceptedSend> {
        self.inner.state().accepted.clone()
    }

    /// Every request received, in arrival order (failures included).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.recorded(false)
    }

    /// Only the successful `POST …/messages` sends (no mark-read, no Send API
    /// sender actions), in arrival order.
    pub fn sent_messages(&self) -> Vec<RecordedRequest> {
        self.inner.recorded(true)
    }

    /// Forgets every recorded request (e.g. between demo rounds, so the log
    /// doesn't grow without bound); later sends count from zero.
    pub fn clear_requests(&self) {
        self.inner.state().log.clear();
    }

    /// Waits until at least `n` sends succeeded and returns them all; at the
    /// timeout returns those that arrived (possibly fewer than `n`).
    pub async fn wait_for_sends(&self, n: usize, timeout: Duration) -> Vec<RecordedRequest> {
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

    /// Adds (or replaces, by name and language) a template of `waba_id`.
    pub fn add_template(&self, waba_id: &str, t: FakeTemplate) {
        let mut state = self.inner.state();
        let list = state.templates.entry(waba_id.to_owned()).or_default();
        list.retain(|x| !(x.name == t.name && x.language == t.language));
        list.push(t);
    }

    /// The templates of `waba_id`, including those the server created.
    pub fn templates(&self, waba_id: &str) -> Vec<FakeTemplate> {
        let state = self.inner.state();
        state.templates.get(waba_id).cloned().unwrap_or_default()
    }

    /// Sets the status of every language of template `name` of `waba_id`
    /// (e.g. approves one the server created). Returns how many changed.
    pub fn set_template_status(&self, waba_id: &str, name: &str, status: &str) -> usize {
        let mut state = self.inner.state();
        let Some(list) = state.templates.get_mut(waba_id) else {
            return 0;
        };
        let mut changed = 0;
        for t in list.iter_mut().filter(|t| t.name == name) {
            t.status = status.to_owned();
            changed += 1;
        }
        changed
    }

    /// Stores media as if a customer had sent it; returns its media id, which
    /// the server can retrieve (`GET /{ver}/{id}`) and download.
    pub fn add_media(&self, bytes: Vec<u8>, mime_type: &str) -> String {
        self.inner.store_media(bytes, mime_type)
    }

    /// The bytes and MIME type stored under `media_id` (uploaded by the
    /// server or added with [`FakeGraph::add_media`]); `None` if unknown or deleted.
    pub fn uploaded(&self, media_id: &str) -> Option<(Vec<u8>, String)> {
        let state = self.inner.state();
        let m: &StoredMedia = state.media.get(media_id)?;
        Some((m.bytes.clone(), m.mime_type.clone()))
    }

    /// The profile the User Profile API answers for a Messenger or
    /// Instagram customer (`{"first_name", "last_name"}` or `{"name",
    /// "username"}`).
    pub fn add_profile(&self, user_id: &str, profile: serde_json::Value) {
        self.inner
            .state()
            .profiles
            .insert(user_id.to_owned(), profile);
    }

    /// How long download URLs handed out from now on stay valid (default 5 min).
    pub fn set_media_url_ttl(&self, ttl: Duration) {
        self.inner.state().media_ttl = ttl;
    }
}

/// The fake's routes, every one behind the recording middleware.
fn router(inner: Arc<Inner>) -> Router {
    Router::new()
        .route("/{ver}/{id}/messages", post(messages::send))
        .route("/{ver}/{id}/media", post(media::upload))
        .route(
            "/{ver}/{id}/message_templates",
            get(templates::list).post(templates::create),
        )
        .route("/{ver}/{id}", get(profiles::object).delete(media::delete))
        .route("/download/{media_id}", get(media::download))
        .fallback(unknown_path)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            inner.clone(),
            record::record,
        ))
        // Not part of Graph and not recorded: what the fake received, for
        // people and browser tests looking at a running demo.
        .route("/__fake/messages", get(sent_log))
        .with_state(inner)
}

/// The successful message sends received so far, oldest first.
async fn sent_log(
    axum::extract::State(inner): axum::extract::State<Arc<Inner>>,
) -> axum::Json<Vec<RecordedRequest>> {
    axum::Json(inner.recorded(true))
}

/// What Graph answers for a path it has no handler for.
async fn unknown_path(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let message = format!("Unknown path components: {}", uri.path());
    errors::graph_error(400, 2500, None, &message, None).into_response()
}

/// A random 16-digit numeric id, the shape of Graph media and template ids.
pub(crate) fn numeric_id() -> String {
    rand::rng()
        .random_range(1_000_000_000_000_000u64..10_000_000_000_000_000)
        .to_string()
}
