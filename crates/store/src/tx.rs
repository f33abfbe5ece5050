use sqlx::{PgConnection, Postgres, SqliteConnection, Transaction};
use tokio::sync::OwnedMutexGuard;

use crate::db::{Db, Store, WriteLane};
use crate::error::{Result, StoreError};
use crate::events::{Event, NewEvent};

enum TxInner {
    /// The SQLite write connection, held for the whole transaction (begun
    /// with `BEGIN IMMEDIATE`; `lane.dirty` until committed).
    Sqlite(OwnedMutexGuard<WriteLane>),
    Pg(Transaction<'static, Postgres>),
}

const CLOSED: StoreError = StoreError::Database(sqlx::Error::PoolClosed);

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
            Db::Sqlite { write, .. } => {
                let mut lane = write.clone().lock_owned().await;
                let WriteLane { conn, dirty } = &mut *lane;
                let conn = conn.as_mut().ok_or(CLOSED)?;
                if *dirty {
                    // The last transaction was dropped without a commit (an
                    // error if it had already ended: nothing to undo).
                    let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
                }
                *dirty = true;
                sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *conn).await?;
                TxInner::Sqlite(lane)
            }
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
            // The lane is only handed out with its connection present.
            TxInner::Sqlite(lane) => match lane.conn.as_mut() {
                Some(c) => TxConn::Sqlite(c),
                None => unreachable!("a transaction holds an open write connection"),
            },
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
            TxInner::Sqlite(mut lane) => {
                let WriteLane { conn, dirty } = &mut *lane;
                let conn = conn.as_mut().ok_or(CLOSED)?;
                sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
                *dirty = false;
            }
            TxInner::Pg(t) => t.commit().await?,
        }
        Ok(committed)
    }
}
