//! Pieces of the SQL that builds a benchmark's data set straight in the
//! database, the same on SQLite and PostgreSQL.

use atende_store::Backend;

/// A deterministic id: one byte naming the table, then the number.
pub fn id_sql(backend: Backend, table: u8, n: &str) -> String {
    match backend {
        Backend::Sqlite => format!("unhex(printf('{table:02x}%030x', {n}))"),
        Backend::Postgres => {
            format!("CAST('{table:02x}' || lpad(to_hex(CAST({n} AS BIGINT)), 30, '0') AS uuid)")
        }
    }
}

/// The id [`id_sql`] gives `n` of `table`.
pub fn id_of(table: u8, n: u64) -> uuid::Uuid {
    uuid::Uuid::from_u128(((table as u128) << 120) | n as u128)
}

/// `SELECT … FROM` a series `i` of 0..n.
pub fn series(backend: Backend, n: i64) -> String {
    match backend {
        Backend::Sqlite => format!(
            "(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {}) SELECT i FROM s) AS s",
            n - 1
        ),
        Backend::Postgres => format!("generate_series(0, {}) AS s(i)", n - 1),
    }
}
