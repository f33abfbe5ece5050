use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Connection;
use sqlx::sqlite::SqliteConnection;
use tokio::sync::Mutex;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::error::{Result, StoreError};

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub(crate) enum Db {
    /// SQLite allows one writer at a time: writes go through one connection
    /// behind a fair lock (so they queue in order instead of spinning on
    /// SQLITE_BUSY, and a transaction costs no pool checkout or release
    /// ping), reads through a pool of readers (WAL lets them run beside the
    /// writer).
    Sqlite {
        write: Arc<Mutex<WriteLane>>,
        read: SqlitePool,
    },
    Pg(PgPool),
}

/// The SQLite write connection.
#[derive(Debug)]
pub(crate) struct WriteLane {
    /// `None` once the store is closed.
    pub(crate) conn: Option<SqliteConnection>,
    /// A transaction was left open (its `Tx` dropped without commit): it is
    /// rolled back before the next one begins.
    pub(crate) dirty: bool,
}

/// WAL pages after which the writer itself checkpoints (SQLite's
/// `wal_autocheckpoint`; its default is 1,000). The background checkpointer
/// normally copies the pages long before, so the writer's checkpoint only
/// finishes the last few and restarts the log.
const WRITER_CHECKPOINT_PAGES: u32 = 4_000;
/// How often the background checkpointer copies the WAL into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// Copies committed WAL pages into the database file from a connection of
/// its own, beside the writer (a `PASSIVE` checkpoint never blocks it), so
/// that the writer's commits do not pay for the copy and its `fsync`. Stops
/// when the store is dropped or closed.
async fn checkpoint_wal(mut conn: SqliteConnection, lane: std::sync::Weak<Mutex<WriteLane>>) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match lane.upgrade() {
            Some(l) if l.try_lock().map_or(true, |w| w.conn.is_some()) => {}
            _ => break,
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&mut conn)
            .await
        {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
    }
    let _ = conn.close().await;
}

/// Connection settings.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `sqlite://path/to/file.db` or `postgres://…`.
    pub url: String,
    /// Maximum connections (PostgreSQL) or readers (SQLite).
    pub max_connections: u32,
}

impl StoreOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
        }
    }
}

/// Handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) db: Db,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static PG_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Connects without running migrations. SQLite files (and their folder)
    /// are created when missing.
    pub async fn connect(opts: &StoreOptions) -> Result<Store> {
        let url = opts.url.as_str();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let co = PgConnectOptions::from_str(url)?;
            // No ping before every checkout: a dead connection fails its
            // query and is replaced; a round trip per transaction is not free.
            let pool = PgPoolOptions::new()
                .max_connections(opts.max_connections)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(co)
                .await?;
            return Ok(Store { db: Db::Pg(pool) });
        }
        if !url.starts_with("sqlite:") {
            return Err(StoreError::Invalid(format!(
                "database URL must start with sqlite:// or postgres://, got {url:?}"
            )));
        }
        let co = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-32000");
        if let Some(dir) = co
            .get_filename()
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Invalid(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        // The writer's batch statements return a row per message or chat:
        // a deeper row buffer lets SQLite's thread finish a statement
        // without waiting for the caller to drain every 50 rows.
        let write = Arc::new(Mutex::new(WriteLane {
            conn: Some(
                SqliteConnection::connect_with(
                    &co.clone()
                        .row_buffer_size(1024)
                        .pragma("wal_autocheckpoint", WRITER_CHECKPOINT_PAGES.to_string()),
                )
                .await?,
            ),
            dirty: false,
        }));
        let checkpointer = SqliteConnection::connect_with(&co).await?;
        tokio::spawn(checkpoint_wal(checkpointer, Arc::downgrade(&write)));
        let read = SqlitePoolOptions::new()
            .max_connections(opts.max_connections.max(1))
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(co.read_only(true))
            .await?;
        Ok(Store {
            db: Db::Sqlite { write, read },
        })
    }

    /// Connects and applies pending migrations.
    pub async fn open(opts: &StoreOptions) -> Result<Store> {
        let store = Store::connect(opts).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the embedded migrations of this backend.
    pub async fn migrate(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite { write, .. } => {
                let mut lane = write.lock().await;
                let conn = lane
                    .conn
                    .as_mut()
                    .ok_or(StoreError::Database(sqlx::Error::PoolClosed))?;
                SQLITE_MIGRATIONS.run(conn).await?
            }
            Db::Pg(pool) => PG_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Pg(_) => Backend::Postgres,
        }
    }

    /// True when the database answers a trivial query (`/readyz`).
    pub async fn ping(&self) -> bool {
        crate::with_pool!(self, p => sqlx::query("SELECT 1").execute(p).await.is_ok())
    }

    /// Table name → sorted column names, for the schema parity test.
    pub async fn schema(&self) -> Result<std::collections::BTreeMap<String, Vec<String>>> {
        let rows: Vec<(String, String)> = match &self.db {
            Db::Sqlite { read, .. } => {
                sqlx::query_as(
                    "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
                )
                .fetch_all(read)
                .await?
            }
            Db::Pg(pool) => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'",
                )
                .fetch_all(pool)
                .await?
            }
        };
        let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (t, c) in rows {
            out.entry(t).or_default().push(c);
        }
        for cols in out.values_mut() {
            cols.sort();
        }
        Ok(out)
    }

    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite { write, read } => {
                read.close().await;
                if let Some(conn) = write.lock().await.conn.take() {
                    let _ = conn.close().await;
                }
            }
            Db::Pg(p) => p.close().await,
        }
    }
}
