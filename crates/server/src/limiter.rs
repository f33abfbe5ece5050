//! Failed-login counting and request rates: leaves the server state and
//! the widget's visitor API hold.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counts failed logins per e-mail and per client address; after
/// `max_attempts` failures inside the window, further attempts are refused
/// until the window passes. Kept per process: a node only ever sees a share
/// of an attacker's attempts, so the limit is per node (documented).
pub struct LoginLimiter {
    max: u32,
    window: Duration,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    pub fn new(max: u32, window_secs: u64) -> LoginLimiter {
        LoginLimiter {
            max: max.max(1),
            window: Duration::from_secs(window_secs),
            failures: Mutex::default(),
        }
    }

    fn keys(email: &str, ip: Option<IpAddr>) -> Vec<String> {
        let mut k = vec![format!("e:{}", email.to_lowercase())];
        if let Some(ip) = ip {
            k.push(format!("i:{ip}"));
        }
        k
    }

    /// Seconds to wait when blocked.
    pub fn blocked(&self, email: &str, ip: Option<IpAddr>) -> Option<u64> {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        Self::keys(email, ip).iter().find_map(|k| {
            let (n, since) = map.get(k)?;
            let left = self.window.checked_sub(since.elapsed())?;
            (*n >= self.max).then_some(left.as_secs().max(1))
        })
    }

    pub fn failed(&self, email: &str, ip: Option<IpAddr>) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            let window = self.window;
            map.retain(|_, (_, since)| since.elapsed() < window);
        }
        for k in Self::keys(email, ip) {
            let e = map.entry(k).or_insert((0, Instant::now()));
            if e.1.elapsed() >= self.window {
                *e = (0, Instant::now());
            }
            e.0 += 1;
        }
    }

    pub fn succeeded(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("e:{}", email.to_lowercase()));
    }
}

/// Requests counted per key (a visitor, a client address) in fixed
/// windows; per process, like [`LoginLimiter`].
#[derive(Default)]
pub struct RateLimiter {
    counts: Mutex<HashMap<String, (u32, Instant)>>,
}

impl RateLimiter {
    /// Counts one request under `key`: refused, with the seconds to wait,
    /// when `max` were already counted in the current `window`.
    pub fn hit(&self, key: &str, max: u32, window: Duration) -> Result<(), u64> {
        let mut map = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < window);
        }
        let e = map.entry(key.to_string()).or_insert((0, Instant::now()));
        if e.1.elapsed() >= window {
            *e = (0, Instant::now());
        }
        if e.0 >= max {
            let left = window.saturating_sub(e.1.elapsed());
            return Err(left.as_secs().max(1));
        }
        e.0 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_blocks_after_max_failures_per_email() {
        let l = LoginLimiter::new(3, 60);
        for _ in 0..3 {
            assert!(l.blocked("a@b.co", None).is_none());
            l.failed("A@b.co", None);
        }
        assert!(l.blocked("a@b.co", None).is_some());
        assert!(l.blocked("other@b.co", None).is_none());
    }

    #[test]
    fn rate_limiter_refuses_past_the_max_per_key() {
        let l = RateLimiter::default();
        let w = Duration::from_secs(60);
        for _ in 0..2 {
            assert!(l.hit("v:1", 2, w).is_ok());
        }
        let wait = l.hit("v:1", 2, w).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(l.hit("v:2", 2, w).is_ok());
        assert!(l.hit("v:3", 1, Duration::ZERO).is_ok());
        assert!(
            l.hit("v:3", 1, Duration::ZERO).is_ok(),
            "a new window starts over"
        );
    }
}
