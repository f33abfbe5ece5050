//! The queues in front of the webhook writers: what the HTTP side holds to
//! hand verified events over and wait for their commit. The writers that
//! drain them are `intake` (started with the server); this side needs
//! nothing of the server's state.

use std::sync::{Arc, OnceLock};

use atende_channels::whatsapp::Event;
use tokio::sync::{mpsc, oneshot};

/// One delivery's verified events, and who waits for their commit.
pub(crate) struct Item {
    pub(crate) secret: String,
    pub(crate) events: Vec<Event>,
    pub(crate) done: oneshot::Sender<Result<(), String>>,
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
    pub(crate) fn install(&self, lanes: Vec<mpsc::Sender<Item>>) {
        let _ = self.lanes.set(lanes);
    }

    /// Applies `events` (verified as signed with `secret`) durably; returns
    /// once they are committed. `key` picks the writer: the same key (the
    /// organization and customer) always goes to the same one.
    pub async fn submit(&self, key: u64, secret: String, events: Vec<Event>) -> Result<(), String> {
        let lanes = self.lanes.get().ok_or("ingest not started")?;
        let lane = &lanes[(key % lanes.len() as u64) as usize];
        let (done, wait) = oneshot::channel();
        lane.send(Item {
            secret,
            events,
            done,
        })
        .await
        .map_err(|_| "ingest stopped".to_string())?;
        wait.await.map_err(|_| "ingest stopped".to_string())?
    }
}
