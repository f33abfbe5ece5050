//! A channel's routing table: its inboxes by the key its deliveries are
//! routed by (Telegram and the widget: the inbox's id in the path; Meta:
//! the page or account), read from the store and kept for a while. A
//! miss reloads at once (an inbox just created), at most every
//! [`MIN_RELOAD_GAP`], so unknown keys cannot make every request read the
//! store; an inbox created, changed or deleted here forgets the table.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;
use std::time::{Duration, Instant};

use atende_store::ingest::InboxRoute;
use atende_store::{Store, StoreError};
use tokio::sync::RwLock;

/// The table is reloaded when older than this, or on a miss.
pub const ROUTES_TTL: Duration = Duration::from_secs(30);
/// Shortest time between two reloads on a miss.
pub const MIN_RELOAD_GAP: Duration = Duration::from_millis(500);

/// The inboxes of some channels, by their routing key.
pub struct RouteTable<K> {
    channels: &'static [&'static str],
    key: fn(&str, &InboxRoute) -> Option<K>,
    table: RwLock<Table<K>>,
}

struct Table<K> {
    by_key: HashMap<K, Arc<InboxRoute>>,
    loaded: Option<Instant>,
}

impl<K: Eq + Hash> RouteTable<K> {
    /// The inboxes of `channels`, each under the key `key` gives it (from
    /// its channel and route; none: not routed).
    pub fn new(
        channels: &'static [&'static str],
        key: fn(&str, &InboxRoute) -> Option<K>,
    ) -> RouteTable<K> {
        RouteTable {
            channels,
            key,
            table: RwLock::new(Table {
                by_key: HashMap::new(),
                loaded: None,
            }),
        }
    }

    async fn reload(&self, store: &Store, force: bool) -> Result<(), StoreError> {
        let mut t = self.table.write().await;
        let fresh = t
            .loaded
            .is_some_and(|at| at.elapsed() < if force { MIN_RELOAD_GAP } else { ROUTES_TTL });
        if fresh {
            return Ok(());
        }
        let mut by_key = HashMap::new();
        for channel in self.channels {
            for route in store.inbox_routes(channel).await? {
                if let Some(k) = (self.key)(channel, &route) {
                    by_key.insert(k, Arc::new(route));
                }
            }
        }
        *t = Table {
            by_key,
            loaded: Some(Instant::now()),
        };
        Ok(())
    }

    /// The inbox under `key`, reloading once on a miss.
    pub async fn get(&self, store: &Store, key: &K) -> Result<Option<Arc<InboxRoute>>, StoreError> {
        for force in [false, true] {
            self.reload(store, force).await?;
            if let Some(r) = self.table.read().await.by_key.get(key) {
                return Ok(Some(r.clone()));
            }
        }
        Ok(None)
    }

    /// Whether any inbox satisfies `f` (reloading first when stale).
    pub async fn any(
        &self,
        store: &Store,
        f: impl Fn(&InboxRoute) -> bool,
    ) -> Result<bool, StoreError> {
        self.reload(store, false).await?;
        Ok(self.table.read().await.by_key.values().any(|r| f(r)))
    }

    /// Forgets the table (an inbox was created, changed or deleted).
    pub async fn invalidate(&self) {
        self.table.write().await.loaded = None;
    }
}
