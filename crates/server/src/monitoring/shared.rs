//! Snapshots shared by the streams watching the same scope: after an event,
//! the first stream that needs a fresh one makes it and the others take it,
//! so the cost follows the events, not the number of watchers.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// By key: when the value was begun, and the value.
pub struct Shared<K, T>(Mutex<HashMap<K, (Instant, Arc<T>)>>);

impl<K, T> Default for Shared<K, T> {
    fn default() -> Self {
        Shared(Mutex::new(HashMap::new()))
    }
}

impl<K: Eq + Hash + Copy, T> Shared<K, T> {
    /// The value of `key` begun no earlier than `fresher_than`: the one kept,
    /// or a new one from `make` (kept for the next caller). Values older
    /// than a minute are dropped.
    pub async fn get<E>(
        &self,
        key: K,
        fresher_than: Instant,
        make: impl Future<Output = Result<T, E>>,
    ) -> Result<Arc<T>, E> {
        if let Some((at, value)) = self.lock().get(&key)
            && *at >= fresher_than
        {
            return Ok(value.clone());
        }
        let begun = Instant::now();
        let value = Arc::new(make.await?);
        let mut map = self.lock();
        map.retain(|_, (at, _)| at.elapsed() < Duration::from_secs(60));
        map.insert(key, (begun, value.clone()));
        Ok(value)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<K, (Instant, Arc<T>)>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
