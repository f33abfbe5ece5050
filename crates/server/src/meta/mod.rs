//! Messenger and Instagram Direct through Meta's Messenger Platform, the
//! runtime of their inboxes (channels.md §2): one webhook for both
//! (`GET|POST /webhooks/meta`), delivery through the Send API, media from
//! Meta's CDN. Each product is its own channel behind the seam
//! (`runtime`, `crate::channel`), sharing this state; the wire shapes are
//! the adapter's (`atende_channels::meta`).

mod credentials;
mod outbound;
mod profile;
mod runtime;
mod webhook;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use atende_channels::meta::Product;
use atende_store::Store;
use atende_store::ingest::InboxRoute;
use tokio::sync::RwLock;

pub use credentials::MetaConfig;

use crate::config::Config;

/// What Messenger and Instagram share: the HTTP client, the Graph API's
/// address and the routing table of pages and accounts.
pub struct MetaShared {
    http: reqwest::Client,
    graph_url: String,
    version: String,
    routes: RwLock<Routes>,
    /// Customers whose names were asked (`profile`), by inbox.
    asked: std::sync::Mutex<std::collections::HashSet<(atende_domain::InboxId, String)>>,
}

#[derive(Default)]
struct Routes {
    /// By product and page or account id.
    by_account: HashMap<(ProductKey, String), Arc<InboxRoute>>,
    loaded: Option<Instant>,
}

/// `Product` as a map key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ProductKey {
    Messenger,
    Instagram,
}

impl From<Product> for ProductKey {
    fn from(p: Product) -> Self {
        match p {
            Product::Messenger => ProductKey::Messenger,
            Product::Instagram => ProductKey::Instagram,
        }
    }
}

/// The channel (inbox `channel` column) of a product.
fn channel_name(p: Product) -> &'static str {
    match p {
        Product::Messenger => "messenger",
        Product::Instagram => "instagram",
    }
}

/// The routing table is reloaded when older than this, or on a miss.
const ROUTES_TTL: Duration = Duration::from_secs(30);
const MIN_RELOAD_GAP: Duration = Duration::from_millis(500);

/// At most this many accounts of one delivery are looked up, and as many
/// secrets tried.
const MAX_ROUTES: usize = 4;

impl MetaShared {
    pub fn new(config: &Config) -> Arc<MetaShared> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(config.whatsapp_timeout_secs.max(1)))
            .connect_timeout(Duration::from_secs(10))
            .pool_max_idle_per_host(32)
            .build()
            .unwrap_or_default();
        let base = if config.meta_graph_url.trim().is_empty() {
            &config.whatsapp_graph_url
        } else {
            &config.meta_graph_url
        };
        Arc::new(MetaShared {
            http,
            graph_url: base.trim_end_matches('/').to_string(),
            version: config.whatsapp_api_version.clone(),
            routes: RwLock::default(),
            asked: Default::default(),
        })
    }

    /// `POST {graph}/{version}/{account}/messages`.
    fn messages_url(&self, account: &str) -> String {
        format!("{}/{}/{account}/messages", self.graph_url, self.version)
    }

    async fn reload(&self, store: &Store, force: bool) -> Result<(), atende_store::StoreError> {
        let mut r = self.routes.write().await;
        let fresh = r
            .loaded
            .is_some_and(|t| t.elapsed() < if force { MIN_RELOAD_GAP } else { ROUTES_TTL });
        if fresh {
            return Ok(());
        }
        let mut next = Routes {
            loaded: Some(Instant::now()),
            ..Routes::default()
        };
        for product in [Product::Messenger, Product::Instagram] {
            for route in store.inbox_routes(channel_name(product)).await? {
                if let Some(id) = route.external_id.clone() {
                    next.by_account
                        .insert((product.into(), id), Arc::new(route));
                }
            }
        }
        *r = next;
        Ok(())
    }

    /// The inbox of a page or account, reloading once on a miss.
    async fn route(
        &self,
        store: &Store,
        product: Product,
        account: &str,
    ) -> Result<Option<Arc<InboxRoute>>, atende_store::StoreError> {
        let key = (product.into(), account.to_string());
        for force in [false, true] {
            self.reload(store, force).await?;
            if let Some(r) = self.routes.read().await.by_account.get(&key) {
                return Ok(Some(r.clone()));
            }
        }
        Ok(None)
    }

    /// Whether `token` is the verify token of a Messenger or Instagram
    /// inbox (the webhook's set-up handshake).
    async fn verify_token_matches(
        &self,
        store: &Store,
        token: &str,
    ) -> Result<bool, atende_store::StoreError> {
        self.reload(store, false).await?;
        Ok(self
            .routes
            .read()
            .await
            .by_account
            .values()
            .filter_map(|r| r.secret("verify_token"))
            .any(|t| atende_channels::constant_eq(t.as_bytes(), token.as_bytes())))
    }

    async fn invalidate(&self) {
        self.routes.write().await.loaded = None;
    }
}

/// Messenger's or Instagram's runtime (one per product, sharing
/// [`MetaShared`]).
pub struct Meta {
    product: Product,
    shared: Arc<MetaShared>,
}

impl Meta {
    pub fn new(product: Product, shared: Arc<MetaShared>) -> Meta {
        Meta { product, shared }
    }
}
