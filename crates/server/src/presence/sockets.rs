//! The users with a console socket open on this node (LC-19).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use atende_domain::UserId;

/// The users with console sockets open on this node, and how many each.
#[derive(Default)]
pub struct Sockets(Mutex<HashMap<UserId, usize>>);

impl Sockets {
    /// Counts a socket of `user` until the guard drops.
    pub fn open(self: &Arc<Self>, user: UserId) -> SocketGuard {
        *self.lock().entry(user).or_default() += 1;
        SocketGuard {
            sockets: self.clone(),
            user,
        }
    }

    /// The users with a socket here now.
    pub fn users(&self) -> Vec<UserId> {
        self.lock().keys().copied().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<UserId, usize>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One open socket (see [`Sockets::open`]).
pub struct SocketGuard {
    sockets: Arc<Sockets>,
    user: UserId,
}

impl Drop for SocketGuard {
    fn drop(&mut self) {
        let mut map = self.sockets.lock();
        if let Some(n) = map.get_mut(&self.user) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.user);
            }
        }
    }
}
