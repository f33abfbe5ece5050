use sqlx::{PgConnection, Postgres, SqliteConnection, Transaction};
use tokio::sync::OwnedMutexGuard;

use crate::db::{Db, Store, WriteLane};
use crate::error::{Result, StoreError};
use crate::events::{Event, NewEvent};
use crate::lane::LaneTx;

enum TxInner {
    /// The SQLite write connection, held for the whole transaction
    /// (`lane.dirty` until committed). `BEGIN IMMEDIATE` is sent with the
    /// transaction's first statement (see [`Tx::begin_prefix`]) rather than
    /// on its own: every statement is a round trip to the connection's
    /// worker thread, and those round trips, not SQLite, bound the ingest.
    Sqlite {
        lane: OwnedMutexGuard<WriteLane>,
        begun: bool,
    },
    Pg(Transaction<'static, Postgres>),
    /// A writer lane's own PostgreSQL connection (see [`crate::lane`]).
    Lane(LaneTx),
}

const CLOSED: StoreError = StoreError::Database(sqlx::Error::PoolClosed);

/// What SQLite runs to open a write transaction, alone or in front of the
/// transaction's first statement: `IMMEDIATE` takes the write lock at once,
/// so no statement of the transaction can fail later for want of it.
const SQLITE_BEGIN: &str = "BEGIN IMMEDIATE; ";

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
                    *dirty = false;
                }
                TxInner::Sqlite { lane, begun: false }
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
    /// A transaction begun on a writer lane.
    pub(crate) fn on_lane(lane: LaneTx, backend: crate::Backend) -> Tx {
        Tx {
            inner: TxInner::Lane(lane),
            backend,
            enqueued: false,
            events: Vec::new(),
        }
    }

    /// Whether the transaction runs on a writer lane, whose last statement
    /// can carry the `COMMIT` (see [`crate::events`]).
    pub(crate) fn on_a_lane(&self) -> bool {
        matches!(self.inner, TxInner::Lane(_))
    }

    /// The transaction's connection, for one statement. On SQLite and on
    /// writer lanes a transaction not yet begun is begun first (a round
    /// trip of its own; statements that can carry the `BEGIN` use
    /// [`Tx::begin_prefix`] or [`Tx::simple_begin_prefix`]).
    pub(crate) async fn conn(&mut self) -> Result<TxConn<'_>> {
        match &mut self.inner {
            TxInner::Sqlite { lane, begun } => {
                let WriteLane { conn, dirty } = &mut **lane;
                let conn = conn.as_mut().ok_or(CLOSED)?;
                if !*begun {
                    *dirty = true;
                    sqlx::raw_sql(SQLITE_BEGIN).execute(&mut *conn).await?;
                    *begun = true;
                }
                Ok(TxConn::Sqlite(conn))
            }
            TxInner::Pg(t) => Ok(TxConn::Pg(t)),
            TxInner::Lane(l) => Ok(TxConn::Pg(l.conn().await?)),
        }
    }

    /// The text to put in front of the next statement: on SQLite, when the
    /// transaction has not begun yet, `BEGIN IMMEDIATE; ` — the statement
    /// then opens the transaction in the same round trip (SQLite's driver
    /// runs the statements of one query text in order, stopping at the
    /// first error, which leaves the lane dirty and rolled back later).
    /// Empty otherwise. The statement must then run through this `Tx`.
    pub(crate) fn begin_prefix(&mut self) -> &'static str {
        match &mut self.inner {
            TxInner::Sqlite { lane, begun } if !*begun => {
                lane.dirty = true;
                *begun = true;
                SQLITE_BEGIN
            }
            _ => "",
        }
    }

    /// Like [`Tx::begin_prefix`], for a simple query (no bound values,
    /// `sqlx::raw_sql`): on a writer lane too, whose `BEGIN` can travel
    /// with such a query only.
    pub(crate) fn simple_begin_prefix(&mut self) -> &'static str {
        match &mut self.inner {
            TxInner::Lane(l) => l.begin_prefix(),
            _ => self.begin_prefix(),
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
    /// On SQLite and on writer lanes the last event row and the `COMMIT` go
    /// in one round trip.
    pub async fn commit(mut self) -> Result<Vec<Event>> {
        let events = std::mem::take(&mut self.events);
        let committed = crate::events::append(&mut self, events).await?;
        match self.inner {
            TxInner::Sqlite { mut lane, begun } => {
                if begun {
                    let WriteLane { conn, dirty } = &mut *lane;
                    let conn = conn.as_mut().ok_or(CLOSED)?;
                    if !committed.folded {
                        sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
                    }
                    *dirty = false;
                }
            }
            TxInner::Pg(t) => t.commit().await?,
            TxInner::Lane(l) => l.commit(committed.folded).await?,
        }
        Ok(committed.events)
    }
}
