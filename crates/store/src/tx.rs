use sqlx::{PgConnection, Postgres, Sqlite, SqliteConnection, Transaction};

use crate::db::{Db, Store};
use crate::error::Result;
use crate::events::{Event, NewEvent};

enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

pub(crate) enum TxConn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Pg(&'a mut PgConnection),
}

/// A write transaction. Changes made through it are invisible until
/// [`Tx::commit`], which also appends the events emitted with [`Tx::emit`] to
/// the log — so an event exists exactly when the change it describes does.
/// Dropping a `Tx` without committing rolls everything back.
pub struct Tx {
    inner: TxInner,
    pub(crate) backend: crate::Backend,
    pub(crate) enqueued: bool,
    events: Vec<NewEvent>,
}

impl Store {
    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx> {
        let inner = match &self.db {
            Db::Sqlite { write, .. } => TxInner::Sqlite(write.begin().await?),
            Db::Pg(pool) => TxInner::Pg(pool.begin().await?),
        };
        Ok(Tx {
            inner,
            backend: self.backend(),
            enqueued: false,
            events: Vec::new(),
        })
    }
}

impl Tx {
    pub(crate) fn conn(&mut self) -> TxConn<'_> {
        match &mut self.inner {
            TxInner::Sqlite(t) => TxConn::Sqlite(t),
            TxInner::Pg(t) => TxConn::Pg(t),
        }
    }

    /// Whether a job was enqueued in this transaction (workers to wake).
    pub fn enqueued_jobs(&self) -> bool {
        self.enqueued
    }

    /// Queues an event to be appended to the log at commit.
    pub fn emit(&mut self, event: NewEvent) {
        self.events.push(event);
    }

    /// Appends the queued events (allocating their sequence numbers last, so
    /// the per-organization counter row is held as briefly as possible) and
    /// commits. Returns the committed events, for publishing on the bus.
    pub async fn commit(mut self) -> Result<Vec<Event>> {
        let events = std::mem::take(&mut self.events);
        let committed = crate::events::append(&mut self, events).await?;
        match self.inner {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Pg(t) => t.commit().await?,
        }
        Ok(committed)
    }
}
