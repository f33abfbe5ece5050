//! The one state struct handed to every handler.

use std::sync::Arc;

use atende_store::{Event, Store};
use tokio::sync::broadcast;

use crate::config::Config;
use crate::limiter::LoginLimiter;

/// Cheap to clone: one reference count (axum clones the state for every
/// request and middleware; a struct of shared fields would touch one count
/// per field, each a cache line the two cores pass back and forth).
#[derive(Clone)]
pub struct AppState(Arc<State>);

impl std::ops::Deref for AppState {
    type Target = State;

    fn deref(&self) -> &State {
        &self.0
    }
}

/// Monitoring snapshots by scope (organization, inbox or every inbox).
pub type SharedSnapshots = crate::monitoring::shared::Shared<
    (atende_domain::OrgId, Option<atende_domain::InboxId>),
    crate::monitoring::wire::Snapshot,
>;

/// What [`AppState`] shares.
pub struct State {
    pub store: Store,
    pub config: Arc<Config>,
    /// Committed events, published after commit (in-process bus).
    pub bus: broadcast::Sender<Arc<Event>>,
    pub login_limiter: Arc<LoginLimiter>,
    /// Wakes the job workers when a job was enqueued.
    pub jobs_notify: Arc<tokio::sync::Notify>,
    /// The runtimes of the channels served, by kind (the channel seam).
    pub channels: crate::channel::Registry<AppState>,
    /// Bot flows' HTTP client and parsed versions.
    pub flows: crate::flows::Flows,
    /// Group-committing queue of verified webhook events.
    pub intake: crate::intake::Intake,
    /// Users whose sign-in or rights just changed on this node (logout, a
    /// revoked token, an edit of the user): their open WebSockets read their
    /// credentials again at once instead of at their next periodic check.
    pub auth_changed: broadcast::Sender<atende_domain::UserId>,
    /// Who starts or stops typing in a chat, between live connections.
    pub typing: broadcast::Sender<Arc<crate::chat::typing::Typing>>,
    /// The users with a console socket open on this node (LC-19).
    pub sockets: Arc<crate::presence::sockets::Sockets>,
    /// Monitoring snapshots shared by the streams watching one scope.
    pub monitoring: Arc<SharedSnapshots>,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> AppState {
        let (bus, _) = broadcast::channel(16_384);
        let limiter = LoginLimiter::new(config.login_max_attempts, config.login_window_secs);
        // One line per channel served.
        let meta = crate::meta::MetaShared::new(&config);
        let widget = crate::widget::Widget::new(&config, store.clone());
        let channels = crate::channel::Registry::new([
            Arc::new(crate::whatsapp::WhatsApp::new(&config))
                as Arc<dyn crate::channel::Channel<AppState>>,
            Arc::new(crate::telegram::Telegram::new(&config)),
            Arc::new(crate::meta::Meta::new(
                atende_channels::meta::Product::Messenger,
                meta.clone(),
            )),
            Arc::new(crate::meta::Meta::new(
                atende_channels::meta::Product::Instagram,
                meta,
            )),
            Arc::new(widget),
        ]);
        let flows = crate::flows::Flows::new(config.flow_http_internal);
        AppState(Arc::new(State {
            store,
            config: Arc::new(config),
            bus,
            login_limiter: Arc::new(limiter),
            jobs_notify: Arc::new(tokio::sync::Notify::new()),
            channels,
            flows,
            intake: Default::default(),
            auth_changed: broadcast::channel(1024).0,
            typing: broadcast::channel(1024).0,
            sockets: Arc::default(),
            monitoring: Arc::default(),
        }))
    }

    /// Commits a transaction and publishes its events.
    pub async fn commit(&self, tx: atende_store::Tx) -> Result<(), atende_store::StoreError> {
        let events = tx.commit().await?;
        self.publish(events);
        Ok(())
    }

    /// Publishes committed events to live subscribers (WebSockets).
    pub fn publish(&self, events: Vec<Event>) {
        for e in events {
            // No subscriber is fine: readers resync through /events.
            let _ = self.bus.send(Arc::new(e));
        }
    }
}
