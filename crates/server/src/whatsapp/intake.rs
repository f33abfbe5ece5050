//! Group commit of webhook events: deliveries that arrive together are
//! applied in one transaction and all answered after its commit. This keeps
//! "200 only after commit" while paying one commit (and one hold of the
//! organization's event-counter row) per batch instead of per message.

use std::sync::Arc;

use atende_channels::whatsapp::{Event, InboundMessage};
use atende_store::ingest::InboxRoute;
use atende_store::{Backend, StoreError, WriterLane};
use tokio::sync::mpsc;

use super::lanes::Item;
use crate::state::AppState;

/// Most deliveries applied in one transaction.
const MAX_BATCH: usize = 256;

/// Starts the writers behind `st.intake`: one on SQLite (a single writer
/// anyway), two on PostgreSQL so that batches overlap their round trips
/// (they serialize only on the organization's event counter, at the end).
/// More writers make smaller batches: four measured slower than two (P1,
/// bench/RESULTS.md).
pub fn start(st: &AppState) {
    let writers = match st.store.backend() {
        Backend::Sqlite => 1,
        Backend::Postgres => 2,
    };
    let lanes = (0..writers)
        .map(|_| {
            let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
            tokio::spawn(writer(st.clone(), rx));
            tx
        })
        .collect();
    st.intake.install(lanes);
}

async fn writer(st: AppState, mut rx: mpsc::Receiver<Item>) {
    // The writer's own connection on PostgreSQL (`WriterLane`).
    let lane = st.store.writer_lane();
    loop {
        let Some(first) = rx.recv().await else {
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
    let mut plain: Vec<(Arc<InboxRoute>, &InboundMessage)> = Vec::new();
    // Inboxes whose own number (CT-1) this batch already checked.
    let mut numbered: Vec<&str> = Vec::new();
    let mut renumbered = false;
    for item in items {
        for event in &item.events {
            if let Event::Message(m) = event
                && !numbered.contains(&m.phone_number_id.as_str())
            {
                numbered.push(&m.phone_number_id);
                renumbered |= record_number(st, &mut tx, &item.secret, m).await?;
            }
            match event {
                Event::Message(m) if super::ingest::is_plain(m) => {
                    if let Some(route) =
                        super::ingest::routed(st, &item.secret, &m.phone_number_id).await?
                    {
                        plain.push((route, m));
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
    if renumbered {
        // The cached routes still hold the old settings.
        st.whatsapp.invalidate().await;
    }
    Ok(())
}

/// Keeps the inbox's own number (the webhook's `display_phone_number`) in
/// its settings when the number is new or changed. Returns whether it
/// wrote.
async fn record_number(
    st: &AppState,
    tx: &mut atende_store::Tx,
    secret: &str,
    m: &InboundMessage,
) -> Result<bool, StoreError> {
    let Some(number) = m.display_phone_number.as_deref().filter(|n| !n.is_empty()) else {
        return Ok(false);
    };
    // Unknown numbers and other apps' are logged where the message is
    // applied.
    let Some(route) = st
        .whatsapp
        .route(&st.store, &m.phone_number_id)
        .await?
        .filter(|r| super::webhook::signed_by(r, secret))
    else {
        return Ok(false);
    };
    if route.setting("display_phone_number") == Some(number) {
        return Ok(false);
    }
    tx.record_inbox_number(route.org_id, route.id, number).await
}

async fn flush(
    tx: &mut atende_store::Tx,
    plain: &mut Vec<(Arc<InboxRoute>, &InboundMessage)>,
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
