//! Group commit of webhook events: deliveries that arrive together are
//! applied in one transaction and all answered after its commit. This keeps
//! "200 only after commit" while paying one commit (and one hold of the
//! organization's event-counter row) per batch instead of per message.

use std::sync::Arc;

use atende_channels::whatsapp::{Event, InboundMessage};
use atende_store::ingest::InboxRoute;
use atende_store::{Backend, StoreError};
use tokio::sync::{Mutex, mpsc, oneshot};

use crate::state::AppState;

/// Most deliveries applied in one transaction.
const MAX_BATCH: usize = 256;

struct Item {
    secret: String,
    events: Vec<Event>,
    done: oneshot::Sender<Result<(), String>>,
}

/// The queue in front of the ingest writers.
#[derive(Clone)]
pub struct Intake {
    tx: mpsc::Sender<Item>,
    rx: Arc<Mutex<mpsc::Receiver<Item>>>,
}

impl Default for Intake {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel(8 * MAX_BATCH);
        Intake {
            tx,
            rx: Arc::new(Mutex::new(rx)),
        }
    }
}

impl Intake {
    /// Starts the writers: one on SQLite (a single writer anyway), eight on
    /// PostgreSQL so batches overlap their round trips.
    pub fn start(&self, st: &AppState) {
        let writers = match st.store.backend() {
            Backend::Sqlite => 1,
            Backend::Postgres => 8,
        };
        // Each writer runs on a thread of its own: between its statements
        // it must not wait behind the HTTP tasks on the shared workers.
        for i in 0..writers {
            let (st, rx) = (st.clone(), self.rx.clone());
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("ingest writer runtime");
            std::thread::Builder::new()
                .name(format!("ingest-{i}"))
                .spawn(move || rt.block_on(writer(st, rx)))
                .expect("ingest writer thread");
        }
    }

    /// Applies `events` (verified as signed with `secret`) durably; returns
    /// once they are committed.
    pub async fn submit(&self, secret: String, events: Vec<Event>) -> Result<(), String> {
        let (done, wait) = oneshot::channel();
        self.tx
            .send(Item {
                secret,
                events,
                done,
            })
            .await
            .map_err(|_| "ingest stopped".to_string())?;
        wait.await.map_err(|_| "ingest stopped".to_string())?
    }
}

async fn writer(st: AppState, rx: Arc<Mutex<mpsc::Receiver<Item>>>) {
    loop {
        let batch = {
            let mut rx = rx.lock().await;
            let Some(first) = rx.recv().await else { return };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(item) => batch.push(item),
                    Err(_) => break,
                }
            }
            batch
        };
        metrics::histogram!("atende_ingest_batch_size").record(batch.len() as f64);
        let t0 = std::time::Instant::now();
        let res = apply(&st, &batch).await;
        metrics::histogram!("atende_ingest_batch_seconds").record(t0.elapsed().as_secs_f64());
        tracing::debug!(
            size = batch.len(),
            elapsed_us = t0.elapsed().as_micros() as u64,
            "ingest batch"
        );
        match res {
            Ok(()) => {
                for item in batch {
                    let _ = item.done.send(Ok(()));
                }
            }
            // One bad delivery must not fail its neighbours: retry each alone.
            Err(e) if batch.len() > 1 => {
                tracing::warn!(error = %e, size = batch.len(), "ingest batch failed; applying one by one");
                for item in batch {
                    let r = apply(&st, std::slice::from_ref(&item))
                        .await
                        .map_err(|e| e.to_string());
                    let _ = item.done.send(r);
                }
            }
            Err(e) => {
                for item in batch {
                    let _ = item.done.send(Err(e.to_string()));
                }
            }
        }
    }
}

async fn apply(st: &AppState, items: &[Item]) -> Result<(), StoreError> {
    let mut tx = st.store.begin().await?;
    // Plain messages are buffered and written in bulk; anything else first
    // flushes the buffer, so events apply in the order they arrived.
    let mut plain: Vec<(Arc<InboxRoute>, InboundMessage)> = Vec::new();
    for item in items {
        for event in &item.events {
            match event {
                Event::Message(m) if super::ingest::is_plain(m) => {
                    if let Some(route) =
                        super::ingest::routed(st, &item.secret, &m.phone_number_id).await?
                    {
                        plain.push((route, m.clone()));
                    }
                }
                other => {
                    flush(&mut tx, &mut plain).await?;
                    super::ingest::apply(st, &mut tx, &item.secret, other.clone()).await?;
                }
            }
        }
    }
    flush(&mut tx, &mut plain).await?;
    let wake = tx.enqueued_jobs();
    st.commit(tx).await?;
    if wake {
        st.jobs_notify.notify_waiters();
    }
    Ok(())
}

async fn flush(
    tx: &mut atende_store::Tx,
    plain: &mut Vec<(Arc<InboxRoute>, InboundMessage)>,
) -> Result<(), StoreError> {
    while !plain.is_empty() {
        let inbox = plain[0].0.id;
        let route = plain[0].0.clone();
        let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(plain)
            .into_iter()
            .partition(|(r, _)| r.id == inbox);
        *plain = rest;
        super::ingest::apply_plain(tx, &route, mine.into_iter().map(|(_, m)| m).collect()).await?;
    }
    Ok(())
}
