//! The group-commit writers behind [`super::Intake`]: each takes what is
//! waiting on its queue, applies it in one transaction through
//! `crate::inbound`, and answers every delivery after the commit.

use std::sync::Arc;

use atende_channels::inbound::{Inbound, Message};
use atende_store::ingest::InboxRoute;
use atende_store::{Backend, StoreError, WriterLane};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::{Item, MAX_BATCH};
use crate::inbound::{Routed, apply_plain, is_plain, take};
use crate::state::AppState;

/// Starts the writers behind `st.intake`: one on SQLite (a single writer
/// anyway), two on PostgreSQL so that batches overlap their round trips
/// (they serialize only on the organization's event counter, at the end).
/// More writers make smaller batches: four measured slower than two (P1,
/// bench/RESULTS.md).
pub fn start(st: &AppState) -> Writers {
    let writers = match st.store.backend() {
        Backend::Sqlite => 1,
        Backend::Postgres => 2,
    };
    let (stop, stopped) = watch::channel(false);
    let mut handles = Vec::new();
    let lanes = (0..writers)
        .map(|_| {
            let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
            handles.push(tokio::spawn(writer(st.clone(), rx, stopped.clone())));
            tx
        })
        .collect();
    st.intake.install(lanes);
    Writers { stop, handles }
}

/// The running writers, stopped by the application's shutdown.
pub struct Writers {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

impl Writers {
    /// Takes no more deliveries, applies (and answers) the ones already
    /// queued, and returns once every writer has closed its connection.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for h in self.handles {
            let _ = h.await;
        }
    }
}

async fn writer(st: AppState, mut rx: mpsc::Receiver<Item>, mut stop: watch::Receiver<bool>) {
    // The writer's own connection on PostgreSQL (`WriterLane`).
    let lane = st.store.writer_lane();
    let mut stopping = false;
    loop {
        let next = tokio::select! {
            item = rx.recv() => item,
            _ = stop.changed(), if !stopping => {
                // Refuse new deliveries; drain what is queued, then end.
                stopping = true;
                rx.close();
                continue;
            }
        };
        let Some(first) = next else {
            lane.close().await;
            return;
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(item) => batch.push(item),
                Err(_) => break,
            }
        }
        metrics::histogram!("atende_ingest_batch_size").record(batch.len() as f64);
        let t0 = std::time::Instant::now();
        let res = apply(&st, &lane, &batch).await;
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
                    let r = apply(&st, &lane, std::slice::from_ref(&item))
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

async fn apply(st: &AppState, lane: &WriterLane, items: &[Item]) -> Result<(), StoreError> {
    let mut tx = lane.begin().await?;
    // Plain messages are buffered and written in bulk; anything else first
    // flushes the buffer, so events apply in the order they arrived.
    let mut plain: Vec<(&Arc<InboxRoute>, &Message)> = Vec::new();
    // Inboxes whose own number (CT-1) this batch already checked.
    let mut numbered: Vec<atende_domain::InboxId> = Vec::new();
    let mut renumbered = Vec::new();
    for item in items {
        for Routed { route, event } in &item.events {
            if let Inbound::Message(m) = event
                && !numbered.contains(&route.id)
            {
                numbered.push(route.id);
                if record_number(&mut tx, route, m).await? {
                    renumbered.push(route.kind());
                }
            }
            match event {
                Inbound::Message(m) if is_plain(m) => plain.push((route, m)),
                other => {
                    flush(&mut tx, &mut plain).await?;
                    let routed = Routed {
                        route: route.clone(),
                        event: other.clone(),
                    };
                    take(&mut tx, routed).await?;
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
    for kind in renumbered {
        // The cached routes still hold the old settings.
        if let Some(channel) = st.channels.get(kind) {
            channel.forget_routes().await;
        }
    }
    Ok(())
}

/// Keeps the inbox's own number (how customers see it: WhatsApp's
/// `display_phone_number`) in its settings when the number is new or
/// changed. Returns whether it wrote.
async fn record_number(
    tx: &mut atende_store::Tx,
    route: &InboxRoute,
    m: &Message,
) -> Result<bool, StoreError> {
    let Some(number) = m.own_number.as_deref().filter(|n| !n.is_empty()) else {
        return Ok(false);
    };
    if route.setting("display_phone_number") == Some(number) {
        return Ok(false);
    }
    tx.record_inbox_number(route.org_id, route.id, number).await
}

async fn flush(
    tx: &mut atende_store::Tx,
    plain: &mut Vec<(&Arc<InboxRoute>, &Message)>,
) -> Result<(), StoreError> {
    while !plain.is_empty() {
        let inbox = plain[0].0.id;
        let route = plain[0].0.clone();
        let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(plain)
            .into_iter()
            .partition(|(r, _)| r.id == inbox);
        *plain = rest;
        apply_plain(tx, &route, mine.into_iter().map(|(_, m)| m).collect()).await?;
    }
    Ok(())
}
