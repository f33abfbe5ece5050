//! Persistence for Atende: one API over SQLite (embedded default) and
//! PostgreSQL, the ordered events log and the durable jobs queue.
//!
//! Most SQL is written once and runs on both backends (`$N` placeholders,
//! `RETURNING`, `ON CONFLICT`); the few statements that differ sit behind a
//! `match` on [`Backend`]. Every query on customer data filters on `org_id`.

mod db;
mod error;
pub mod events;
mod fold;
pub mod jobs;
mod lane;
pub mod monitoring;
pub mod presence;
mod rows;
mod tx;

pub mod absences;
pub mod accounts;
pub mod agile;
pub mod bulk;
pub mod campaigns;
pub mod chat_sessions;
pub mod chats;
pub mod contacts;
pub mod directory;
pub mod flows;
pub mod ingest;
pub mod ready;
mod receipts;
pub mod reports;
pub mod routing;

pub use db::{Backend, Store, StoreOptions};
pub use error::{Result, StoreError};
pub use events::{Event, NewEvent};
pub use jobs::{Job, NewJob};
pub use lane::WriterLane;
pub use sqlx::types::Json;
pub use tx::Tx;

/// Milliseconds since the Unix epoch: the one time representation stored.
pub type Millis = i64;

/// The current time in [`Millis`]: the one clock of the server (tests,
/// with the `testing` feature, may set it).
pub fn now_ms() -> Millis {
    #[cfg(feature = "testing")]
    if let Some(at) = testing::clock() {
        return at;
    }
    chrono::Utc::now().timestamp_millis()
}

/// The current time, from the same clock as [`now_ms`].
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(now_ms()).unwrap_or_default()
}

/// Runs `$body` with `$p` bound to the backend's pool (reads).
macro_rules! with_pool {
    ($store:expr, $p:ident => $body:expr) => {
        match &$store.db {
            $crate::db::Db::Sqlite { read: $p, .. } => $body,
            $crate::db::Db::Pg($p) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the transaction's connection.
macro_rules! with_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx.conn().await? {
            $crate::tx::TxConn::Sqlite($c) => $body,
            $crate::tx::TxConn::Pg($c) => $body,
        }
    };
}

/// Binds a list of [`rows::Arg`]s, in order, to a query of either backend.
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                $crate::rows::Arg::Id(u) => q.bind(*u),
                $crate::rows::Arg::Int(i) => q.bind(*i),
                $crate::rows::Arg::Text(t) => q.bind(t.as_str()),
            };
        }
        q
    }};
}

pub(crate) use bind_args;
pub(crate) use with_pool;
pub(crate) use with_tx;

#[cfg(feature = "testing")]
pub mod testing;
