//! WhatsApp Business Cloud API, the runtime of the first channel: webhook
//! verification and routing, delivery, templates, media. The rest of the
//! server reaches it through the channel seam (`runtime`, `crate::channel`).

mod credentials;
mod media;
pub mod outbound;
mod runtime;
mod template_build;
pub mod templates;
mod upload;
mod webhook;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use atende_domain::InboxId;
use atende_store::Store;
use atende_store::ingest::InboxRoute;
use tokio::sync::{Mutex, RwLock};

pub use credentials::{WhatsappConfig, WhatsappPatch};

use crate::config::Config;

/// Shared WhatsApp state: the HTTP client, the routing table of numbers,
/// and the per-number pacing of sends.
pub struct WhatsApp {
    pub http: reqwest::Client,
    pub graph_url: String,
    pub version: String,
    routes: RwLock<Routes>,
    pacer: Pacer,
}

#[derive(Default)]
struct Routes {
    by_phone: HashMap<String, Arc<InboxRoute>>,
    by_waba: HashMap<String, Vec<Arc<InboxRoute>>>,
    loaded: Option<Instant>,
}

/// The inbox of each number a delivery names, as looked up (`None`: no
/// inbox of ours).
pub type Found = HashMap<String, Option<Arc<InboxRoute>>>;

/// Who signed a delivery.
#[derive(Debug, PartialEq, Eq)]
pub enum Signer {
    /// The app whose secret signed it.
    App(String),
    /// It names inboxes of ours, but none of their apps signed it.
    Invalid,
    /// It names no inbox of ours (an unknown number: acknowledged, ignored).
    Unrouted,
}

/// At most this many numbers (or accounts) of one delivery are looked up,
/// and as many secrets tried.
const MAX_ROUTES: usize = 4;

/// The routing table is reloaded when older than this, or on a miss.
const ROUTES_TTL: Duration = Duration::from_secs(30);
const MIN_RELOAD_GAP: Duration = Duration::from_millis(500);

impl WhatsApp {
    pub fn new(config: &Config) -> WhatsApp {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(config.whatsapp_timeout_secs.max(1)))
            .connect_timeout(Duration::from_secs(10))
            .pool_max_idle_per_host(32)
            .build()
            .unwrap_or_default();
        WhatsApp {
            http,
            graph_url: config.whatsapp_graph_url.trim_end_matches('/').to_string(),
            version: config.whatsapp_api_version.clone(),
            routes: RwLock::default(),
            pacer: Pacer::new(config.whatsapp_pacing),
        }
    }

    async fn reload(&self, store: &Store, force: bool) -> Result<(), atende_store::StoreError> {
        let mut r = self.routes.write().await;
        let fresh = r
            .loaded
            .is_some_and(|t| t.elapsed() < if force { MIN_RELOAD_GAP } else { ROUTES_TTL });
        if fresh {
            return Ok(());
        }
        let list = store.inbox_routes("whatsapp").await?;
        let mut next = Routes {
            loaded: Some(Instant::now()),
            ..Routes::default()
        };
        for route in list.into_iter().map(Arc::new) {
            if let Some(pid) = route.external_id.clone() {
                next.by_phone.insert(pid, route.clone());
            }
            if let Some(waba) = route.setting("waba_id") {
                next.by_waba
                    .entry(waba.to_string())
                    .or_default()
                    .push(route.clone());
            }
        }
        *r = next;
        Ok(())
    }

    /// Forgets the routing table (an inbox was created, changed or deleted).
    pub async fn invalidate(&self) {
        self.routes.write().await.loaded = None;
    }

    /// The app secret that signed `body`, found by routing first: only the
    /// secrets of the inboxes the delivery names (its numbers and business
    /// accounts) are tried, so an unsigned body costs one pass whatever the
    /// number of tenants. `Unrouted` when it names no inbox of ours. The
    /// numbers it looked up are left in `found`, for routing the events.
    pub async fn signer(
        &self,
        store: &Store,
        events: &[atende_channels::whatsapp::Event],
        body: &[u8],
        header: Option<&str>,
        found: &mut Found,
    ) -> Result<Signer, atende_store::StoreError> {
        let mut secrets: Vec<String> = Vec::new();
        let mut note = |route: &InboxRoute| {
            if let Some(s) = route.secret("app_secret")
                && !secrets.iter().any(|x| x == s)
            {
                secrets.push(s.to_string());
            }
        };
        let (numbers, wabas) = named(events);
        // A delivery comes from one Meta app: a body naming many numbers or
        // accounts is not worth more than a few lookups and checks.
        for n in numbers.iter().take(MAX_ROUTES) {
            let route = self.route(store, n).await?;
            if let Some(route) = &route {
                note(route);
            }
            found.insert(n.to_string(), route);
        }
        for w in wabas.iter().take(MAX_ROUTES) {
            for route in self.routes_of_waba(store, w).await? {
                note(&route);
            }
        }
        if secrets.is_empty() {
            return Ok(Signer::Unrouted);
        }
        Ok(secrets
            .into_iter()
            .take(MAX_ROUTES)
            .find(|s| atende_channels::whatsapp::verify_signature(s, body, header))
            .map_or(Signer::Invalid, Signer::App))
    }

    /// The inbox of a phone number id, reloading once on a miss.
    pub async fn route(
        &self,
        store: &Store,
        phone_number_id: &str,
    ) -> Result<Option<Arc<InboxRoute>>, atende_store::StoreError> {
        for force in [false, true] {
            self.reload(store, force).await?;
            if let Some(r) = self.routes.read().await.by_phone.get(phone_number_id) {
                return Ok(Some(r.clone()));
            }
        }
        Ok(None)
    }

    /// Inboxes of a WhatsApp Business Account.
    pub async fn routes_of_waba(
        &self,
        store: &Store,
        waba_id: &str,
    ) -> Result<Vec<Arc<InboxRoute>>, atende_store::StoreError> {
        self.reload(store, false).await?;
        Ok(self
            .routes
            .read()
            .await
            .by_waba
            .get(waba_id)
            .cloned()
            .unwrap_or_default())
    }

    /// The inbox whose verify token matches (webhook set-up handshake).
    pub async fn verify_token_matches(
        &self,
        store: &Store,
        token: &str,
    ) -> Result<bool, atende_store::StoreError> {
        let list = store.inbox_routes("whatsapp").await?;
        Ok(list
            .iter()
            .filter_map(|r| r.secret("verify_token"))
            .any(|t| atende_channels::constant_eq(t.as_bytes(), token.as_bytes())))
    }

    /// Waits for this number's turn under the per-number send rate.
    pub async fn pace(&self, inbox: InboxId) {
        self.pacer.wait(inbox).await;
    }

    pub fn url(&self, path: &str) -> String {
        format!(
            "{}/{}/{}",
            self.graph_url,
            self.version,
            path.trim_start_matches('/')
        )
    }
}

/// The numbers and business accounts a delivery names, each once.
fn named(events: &[atende_channels::whatsapp::Event]) -> (Vec<&str>, Vec<&str>) {
    use atende_channels::whatsapp::Event;
    let mut numbers: Vec<&str> = Vec::new();
    let mut wabas: Vec<&str> = Vec::new();
    for e in events {
        match e {
            Event::Message(m) => numbers.push(&m.phone_number_id),
            Event::Status(s) => numbers.push(&s.phone_number_id),
            Event::TemplateStatus(t) => wabas.extend(t.waba_id.as_deref()),
            Event::ValueErrors {
                phone_number_id, ..
            } => numbers.extend(phone_number_id.as_deref()),
            Event::Ignored { .. } => {}
        }
    }
    numbers.sort_unstable();
    numbers.dedup();
    wabas.sort_unstable();
    wabas.dedup();
    (numbers, wabas)
}

/// Spaces sends to at most `rate` per second per inbox (evenly; per node).
struct Pacer {
    interval: Duration,
    next: Mutex<HashMap<InboxId, Instant>>,
}

impl Pacer {
    fn new(rate: u32) -> Pacer {
        Pacer {
            interval: Duration::from_secs_f64(1.0 / f64::from(rate.max(1))),
            next: Mutex::default(),
        }
    }

    async fn wait(&self, inbox: InboxId) {
        let at = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let slot = next
                .get(&inbox)
                .copied()
                .filter(|t| *t > now)
                .unwrap_or(now);
            next.insert(inbox, slot + self.interval);
            slot
        };
        tokio::time::sleep_until(at.into()).await;
    }
}
