//! Agent presence on the server (LC-19): a console socket keeps its agent
//! here. Each node keeps the users it has sockets for; its sweep marks them
//! seen, then marks away those whose sockets (on every node) have all been
//! gone for the organization's `away_minutes`. Away agents count as
//! offline for routing and monitoring, and come back as they left when a
//! socket returns. The sweep also ends the tickets whose customer session
//! expired.

use std::time::Duration;

use atende_domain::{OrgId, UserId};
use atende_store::accounts::User;
use atende_store::events::{ChatEvent, UserUpdated};
use atende_store::{NewEvent, StoreError, Tx};
use tokio::sync::watch;

use crate::state::AppState;

pub mod sockets;

/// Tells everyone how `u` shows now.
pub fn announce(tx: &mut Tx, u: &User) {
    tx.emit(NewEvent::org(
        u.org_id,
        ChatEvent::UserUpdated(UserUpdated::of(u)),
    ));
}

/// A socket of `user` opened. Coming back from away, they show again as
/// they left, and the chats queued for them come.
pub async fn seen(st: &AppState, org: OrgId, user: UserId) -> Result<(), StoreError> {
    let mut tx = st.store.begin().await?;
    if let Some(u) = tx.seen(org, user).await? {
        announce(&mut tx, &u);
        crate::flows::routing::drain_queue(&mut tx, org, u.id).await?;
    }
    st.commit(tx).await
}

/// One sweep: agents gone long enough become away, and tickets whose
/// customer session expired end (RP-5 counts them lost or abandoned).
pub async fn sweep(st: &AppState) -> Result<(), StoreError> {
    let mut tx = st.store.begin().await?;
    tx.touch(&st.sockets.users()).await?;
    for u in tx.sweep_away().await? {
        announce(&mut tx, &u);
    }
    st.commit(tx).await?;
    crate::chat::close::expire_sessions(st).await
}

/// Sweeps every `presence_sweep_ms` until `shutdown` turns true.
pub async fn run_sweeps(st: AppState, mut shutdown: watch::Receiver<bool>) {
    let every = Duration::from_millis(st.config.presence_sweep_ms.max(10));
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.reset();
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(e) = sweep(&st).await {
                    tracing::warn!(error = %e, "presence sweep failed");
                }
            }
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}
