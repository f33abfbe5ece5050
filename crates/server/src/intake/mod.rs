//! Group commit of verified, routed webhook events, whatever their channel:
//! deliveries that arrive together are applied in one transaction and all
//! answered after its commit. This keeps "200 only after commit" while
//! paying one commit (and one hold of the organization's event-counter row)
//! per batch instead of per message.
//!
//! [`Intake`] is the handle the state holds and the webhooks submit to; it
//! needs nothing of the server's state. The writers behind it are
//! [`writers`], started and stopped by the application.

pub mod writers;

use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};

use crate::inbound::Routed;

/// Most deliveries applied in one transaction.
const MAX_BATCH: usize = 256;

/// The key that picks a delivery's writer ([`Intake::submit`]): its
/// organization and customer (the channel's key of them), so one customer's
/// contact and conversation are only ever written by one writer and never
/// raced for, while an organization's customers spread over the writers.
pub fn lane_key(org: atende_domain::OrgId, customer: Option<&str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    org.hash(&mut h);
    customer.hash(&mut h);
    h.finish()
}

/// One delivery's routed events, and who waits for their commit.
struct Item {
    events: Vec<Routed>,
    done: oneshot::Sender<Result<(), String>>,
}

/// The queues in front of the ingest writers, one per writer. Deliveries
/// are spread by organization and customer, so one customer's contact and
/// conversation are only ever written by one writer: no two writers race
/// to create the same contact or lock the same rows in opposite orders.
#[derive(Clone, Default)]
pub struct Intake {
    lanes: Arc<OnceLock<Vec<mpsc::Sender<Item>>>>,
}

impl Intake {
    /// Connects the writers' queues (once; later calls are ignored).
    fn install(&self, lanes: Vec<mpsc::Sender<Item>>) {
        let _ = self.lanes.set(lanes);
    }

    /// Applies `events` durably; returns once they are committed. `key`
    /// picks the writer: the same key (the organization and customer)
    /// always goes to the same one.
    pub async fn submit(&self, key: u64, events: Vec<Routed>) -> Result<(), String> {
        let lanes = self.lanes.get().ok_or("ingest not started")?;
        let lane = &lanes[(key % lanes.len() as u64) as usize];
        let (done, wait) = oneshot::channel();
        lane.send(Item { events, done })
            .await
            .map_err(|_| "ingest stopped".to_string())?;
        wait.await.map_err(|_| "ingest stopped".to_string())?
    }
}
