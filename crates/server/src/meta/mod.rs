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

use std::sync::Arc;
use std::time::Duration;

use atende_channels::meta::Product;
use atende_store::Store;
use atende_store::ingest::InboxRoute;

pub use credentials::MetaConfig;

use crate::channel::routes::RouteTable;
use crate::config::Config;

/// What Messenger and Instagram share: the HTTP client, the Graph API's
/// address and the routing table of pages and accounts.
pub struct MetaShared {
    http: reqwest::Client,
    graph_url: String,
    version: String,
    /// Pages and accounts, by product and id.
    routes: RouteTable<(ProductKey, String)>,
    /// Customers whose names were asked (`profile`), by inbox.
    asked: std::sync::Mutex<std::collections::HashSet<(atende_domain::InboxId, String)>>,
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

/// A Meta inbox's routing key: its product and page or account id.
fn account_key(channel: &str, route: &InboxRoute) -> Option<(ProductKey, String)> {
    let product = match channel {
        "messenger" => ProductKey::Messenger,
        "instagram" => ProductKey::Instagram,
        _ => return None,
    };
    Some((product, route.external_id.clone()?))
}

/// The channel (inbox `channel` column) of a product.
fn channel_name(p: Product) -> &'static str {
    match p {
        Product::Messenger => "messenger",
        Product::Instagram => "instagram",
    }
}

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
            routes: RouteTable::new(&["messenger", "instagram"], account_key),
            asked: Default::default(),
        })
    }

    /// `POST {graph}/{version}/{account}/messages`.
    fn messages_url(&self, account: &str) -> String {
        format!("{}/{}/{account}/messages", self.graph_url, self.version)
    }

    /// The inbox of a page or account, reloading once on a miss.
    async fn route(
        &self,
        store: &Store,
        product: Product,
        account: &str,
    ) -> Result<Option<Arc<InboxRoute>>, atende_store::StoreError> {
        self.routes
            .get(store, &(product.into(), account.to_string()))
            .await
    }

    /// Whether `token` is the verify token of a Messenger or Instagram
    /// inbox (the webhook's set-up handshake).
    async fn verify_token_matches(
        &self,
        store: &Store,
        token: &str,
    ) -> Result<bool, atende_store::StoreError> {
        self.routes
            .any(store, |r| {
                r.secret("verify_token")
                    .is_some_and(|t| atende_channels::constant_eq(t.as_bytes(), token.as_bytes()))
            })
            .await
    }

    async fn invalidate(&self) {
        self.routes.invalidate().await;
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
