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
//!
//! A lane sends no `BEGIN` of its own: it travels with the transaction's
//! first statement (the batch's lookup of known chats), or alone if that
//! statement cannot carry it. And when it connects, a lane prepares (SQL
//! `PREPARE`) the statements that run as simple queries with their values
//! written in — that lookup, and the events append that goes with the
//! `COMMIT` — so they are parsed and planned once per connection, not per
//! batch. A batch is then three round trips: `BEGIN` with the lookup, the
//! insert with the conversations' update, the events row with `COMMIT`.

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
    /// A transaction is open on it (its `BEGIN` has been sent).
    open: bool,
}

/// What a lane prepares when it connects.
fn prepared() -> String {
    format!(
        "{}; {}",
        crate::events::prepare_append_pg(),
        crate::bulk::prepare_known_chats()
    )
}

/// `text` as an SQL string literal (`standard_conforming_strings` is on for
/// lanes: only quotes are doubled; JSON text carries no NUL byte).
pub(crate) fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A UUID (or NULL) as an SQL literal.
pub(crate) fn uuid_literal<T: std::fmt::Display>(id: Option<T>) -> String {
    id.map_or_else(|| "NULL".to_string(), |u| format!("'{u}'::uuid"))
}

/// A lane held by a transaction; dropping it uncommitted rolls back at
/// once (in a task of its own, which keeps the lane until it is done), so
/// no lock outlives the `Tx`.
pub(crate) struct LaneTx(Option<OwnedMutexGuard<PgLane>>);

impl LaneTx {
    /// The connection, for a statement of the transaction: `BEGIN` is sent
    /// first, alone, if no statement has carried it yet.
    pub(crate) async fn conn(&mut self) -> Result<&mut PgConnection> {
        let lane = self
            .0
            .as_mut()
            .ok_or(StoreError::Database(sqlx::Error::PoolClosed))?;
        if !lane.open {
            let conn = lane.conn.as_mut().ok_or(sqlx::Error::PoolClosed)?;
            if let Err(e) = sqlx::raw_sql("BEGIN").execute(conn).await {
                lane.conn = None;
                return Err(e.into());
            }
            lane.open = true;
        }
        Ok(lane.conn.as_mut().ok_or(sqlx::Error::PoolClosed)?)
    }

    /// `BEGIN; ` if the transaction has not begun (the caller then sends
    /// it in front of a simple query, through this transaction), else
    /// nothing.
    pub(crate) fn begin_prefix(&mut self) -> &'static str {
        match self.0.as_mut() {
            Some(lane) if !lane.open => {
                lane.open = true;
                "BEGIN; "
            }
            _ => "",
        }
    }

    /// Commits: `COMMIT` alone, unless `committed` says the last statement
    /// carried it or nothing was sent at all.
    pub(crate) async fn commit(mut self, committed: bool) -> Result<()> {
        let mut lane = self.0.take().expect("a lane until committed");
        if !committed && lane.open {
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
    /// connection (waiting for a rollback of the last one to finish; the
    /// `BEGIN` goes with the first statement), on SQLite as
    /// [`Store::begin`].
    pub async fn begin(&self) -> Result<Tx> {
        let Some((lane, opts)) = &self.pg else {
            return self.store.begin().await;
        };
        let mut lane = lane.clone().lock_owned().await;
        if lane.conn.is_none() {
            let mut conn = opts.connect().await?;
            sqlx::raw_sql(sqlx::AssertSqlSafe(prepared()))
                .execute(&mut conn)
                .await?;
            lane.conn = Some(conn);
        }
        if lane.open {
            // Not expected (a dropped transaction is rolled back before the
            // lane is free), but never begin inside another transaction.
            let conn = lane.conn.as_mut().ok_or(sqlx::Error::PoolClosed)?;
            if sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await.is_err() {
                lane.conn = None;
                return Err(StoreError::Database(sqlx::Error::PoolClosed));
            }
            lane.open = false;
        }
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
