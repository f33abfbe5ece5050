//! Writer lanes: a connection of its own for each writer of a keyed intake
//! (the webhook intake's group commits) on PostgreSQL.
//!
//! A pool costs every transaction a checkout and, when the connection goes
//! back, a ping (sqlx's check that it is still usable, which also flushes
//! a pending rollback): a round trip per batch that the writer waits for
//! no more than it needs it. A lane keeps one connection, begins and ends
//! its transactions itself, and rolls back at once when a `Tx` is dropped
//! uncommitted. Its connection also never reads a table by a sequential
//! scan (`enable_seqscan = off`, set when it opens): the planner guesses
//! 100 rows for any JSON row set and, with a table it believes small
//! (fresh statistics are not guaranteed, and cached plans outlive them),
//! hashes the batch against every row of it rather than probing the index
//! once per key — a cost that grows with the table instead of the batch.
//! When it connects, a lane prepares the events append (SQL `PREPARE`), so
//! that its commit — the events row and `COMMIT` in one simple query —
//! runs a statement planned once instead of parsing and planning it anew.

use std::sync::Arc;

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{ConnectOptions, Connection};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::db::Db;
use crate::error::{Result, StoreError};
use crate::{Store, Tx};

/// The connection of a PostgreSQL lane.
#[derive(Debug, Default)]
pub(crate) struct PgLane {
    /// `None` until first used, and after an error that may have broken it
    /// (the next transaction connects again).
    conn: Option<PgConnection>,
    /// A transaction is open on it.
    open: bool,
}

/// A lane held by a transaction; dropping it uncommitted rolls back at
/// once (in a task of its own, which keeps the lane until it is done), so
/// no lock outlives the `Tx`.
pub(crate) struct LaneTx(Option<OwnedMutexGuard<PgLane>>);

impl LaneTx {
    pub(crate) fn conn(&mut self) -> Result<&mut PgConnection> {
        self.0
            .as_mut()
            .and_then(|l| l.conn.as_mut())
            .ok_or(StoreError::Database(sqlx::Error::PoolClosed))
    }

    /// Commits: `COMMIT` alone, unless `committed` says the last statement
    /// carried it.
    pub(crate) async fn commit(mut self, committed: bool) -> Result<()> {
        let mut lane = self.0.take().expect("a lane until committed");
        if !committed {
            let conn = lane.conn.as_mut().ok_or(sqlx::Error::PoolClosed)?;
            if let Err(e) = sqlx::raw_sql("COMMIT").execute(&mut *conn).await {
                // Whatever state the connection is in, it is not reused.
                lane.conn = None;
                lane.open = false;
                return Err(e.into());
            }
        }
        lane.open = false;
        Ok(())
    }
}

impl Drop for LaneTx {
    fn drop(&mut self) {
        let Some(mut lane) = self.0.take() else {
            return;
        };
        if !lane.open {
            return;
        }
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move {
                    let rolled_back = match lane.conn.as_mut() {
                        Some(c) => sqlx::raw_sql("ROLLBACK").execute(c).await.is_ok(),
                        None => true,
                    };
                    if !rolled_back {
                        lane.conn = None;
                    }
                    lane.open = false;
                });
            }
            // No runtime to roll back on: closing the connection makes the
            // server roll back.
            Err(_) => {
                lane.conn = None;
                lane.open = false;
            }
        }
    }
}

/// One writer's way into the store for keyed batches: on PostgreSQL a
/// connection of its own, on SQLite the shared write connection.
#[derive(Clone)]
pub struct WriterLane {
    store: Store,
    pg: Option<(Arc<Mutex<PgLane>>, Arc<PgConnectOptions>)>,
}

impl Store {
    /// A lane for one writer of a keyed intake (see [`WriterLane::begin`]).
    pub fn writer_lane(&self) -> WriterLane {
        let pg = match &self.db {
            Db::Pg(pool) => {
                let opts = pool.connect_options().as_ref().clone().options([
                    ("enable_seqscan", "off"),
                    // A plan left with a sequential scan carries its
                    // penalty (1e10) in its cost, far past the threshold
                    // that would compile it just in time, at every
                    // execution; these statements never gain from JIT.
                    ("jit", "off"),
                    // Statements with inlined literals rely on it (the
                    // default since PostgreSQL 9.1).
                    ("standard_conforming_strings", "on"),
                ]);
                Some((Arc::new(Mutex::new(PgLane::default())), Arc::new(opts)))
            }
            Db::Sqlite { .. } => None,
        };
        WriterLane {
            store: self.clone(),
            pg,
        }
    }
}

impl WriterLane {
    /// Starts a write transaction on the lane: on PostgreSQL on its own
    /// connection (waiting for a rollback of the last one to finish), on
    /// SQLite as [`Store::begin`].
    pub async fn begin(&self) -> Result<Tx> {
        let Some((lane, opts)) = &self.pg else {
            return self.store.begin().await;
        };
        let mut lane = lane.clone().lock_owned().await;
        if lane.conn.is_none() {
            let mut conn = opts.connect().await?;
            sqlx::raw_sql(sqlx::AssertSqlSafe(
                crate::events::PREPARE_APPEND_PG.as_str(),
            ))
            .execute(&mut conn)
            .await?;
            lane.conn = Some(conn);
        }
        let conn = lane.conn.as_mut().ok_or(sqlx::Error::PoolClosed)?;
        if let Err(e) = sqlx::raw_sql("BEGIN").execute(&mut *conn).await {
            lane.conn = None;
            return Err(e.into());
        }
        lane.open = true;
        Ok(Tx::on_lane(LaneTx(Some(lane)), self.store.backend()))
    }

    /// Closes the lane's connection (the store's pools close separately).
    pub async fn close(&self) {
        if let Some((lane, _)) = &self.pg
            && let Some(conn) = lane.lock().await.conn.take()
        {
            let _ = conn.close().await;
        }
    }
}
