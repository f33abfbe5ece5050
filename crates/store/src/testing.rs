//! Throw-away databases for tests: a temporary SQLite file by default, or a
//! fresh PostgreSQL database (created and dropped per test) when
//! `ATENDE_TEST_DATABASE_URL` is set.

use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::{Backend, Store, StoreOptions};

/// The time the test set, if it did (`i64::MIN`: the real clock).
static CLOCK: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(i64::MIN);

pub(crate) fn clock() -> Option<i64> {
    let at = CLOCK.load(std::sync::atomic::Ordering::SeqCst);
    (at != i64::MIN).then_some(at)
}

/// Stops the server's clock at `at` (epoch milliseconds) until set again:
/// a test of durations computes them by hand. The
/// clock is the process's: the test runner gives each test its own.
pub fn freeze_clock(at: i64) {
    CLOCK.store(at, std::sync::atomic::Ordering::SeqCst);
}

/// A migrated database that disappears when dropped.
pub struct TestDb {
    pub store: Store,
    /// The URL a separate process (the `atende` binary) can open.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// The backend the tests run on (from the environment).
    pub fn backend() -> Backend {
        if std::env::var("ATENDE_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub async fn new() -> TestDb {
        match std::env::var("ATENDE_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(admin_url) => {
                let name = format!("atende_t_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnectOptions::from_str(&admin_url)
                    .expect("ATENDE_TEST_DATABASE_URL")
                    .connect()
                    .await
                    .expect("connect to PostgreSQL");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                conn.close().await.ok();
                let url = with_database(&admin_url, &name);
                let store = Store::open(&StoreOptions {
                    url: url.clone(),
                    max_connections: 10,
                })
                .await
                .expect("open test database");
                TestDb {
                    store,
                    url,
                    cleanup: Cleanup::Postgres { admin_url, name },
                }
            }
            None => {
                let dir = tempfile::tempdir().expect("tempdir");
                let url = format!("sqlite://{}", dir.path().join("atende.db").display());
                let store = Store::open(&StoreOptions::new(&url))
                    .await
                    .expect("open test database");
                TestDb {
                    store,
                    url,
                    cleanup: Cleanup::Sqlite(dir),
                }
            }
        }
    }
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let prefix = match base.rfind('/') {
        Some(i) if i > base.find("://").map_or(0, |p| p + 2) => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop may run inside the test's runtime: use a private one on a
            // thread. WITH (FORCE) ends the pool's remaining connections.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async move {
                    if let Ok(mut conn) = PgConnectOptions::from_str(&admin_url)
                        .expect("url")
                        .connect()
                        .await
                    {
                        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .execute(&mut conn)
                        .await;
                    }
                });
            })
            .join();
        }
    }
}

/// One inbound message row for [`raw_insert_messages`].
pub struct RawMessage {
    pub conversation_id: atende_domain::ConversationId,
    pub text: String,
    pub payload: serde_json::Value,
    pub provider_id: String,
}

/// The raw insert reference of the ingest benchmark (P1): `rows` inserted
/// into `messages` of `org`/`inbox` with plain multi-row `INSERT`s, `batch`
/// rows per transaction, in order: what the database itself takes for
/// those rows, with none of the product's work. Returns rows per second.
pub async fn raw_insert_messages(
    store: &Store,
    org: atende_domain::OrgId,
    inbox: atende_domain::InboxId,
    rows: &[RawMessage],
    batch: usize,
) -> crate::Result<f64> {
    use crate::now_ms;
    let start = std::time::Instant::now();
    for chunk in rows.chunks(batch) {
        let mut sql = String::from(
            "INSERT INTO messages (id, org_id, conversation_id, inbox_id, direction, author_kind, internal, kind, text, payload, status, provider_id, created_at) VALUES ",
        );
        // Positional `?` on SQLite: it resolves `$N` names by a linear
        // search each, quadratic in a statement of thousands of them.
        let mut n = 0;
        let mut next = || match store.backend() {
            crate::Backend::Sqlite => "?".to_string(),
            crate::Backend::Postgres => {
                n += 1;
                format!("${n}")
            }
        };
        for r in 0..chunk.len() {
            if r > 0 {
                sql.push_str(", ");
            }
            let (id, org, conv, inbox, text, payload, provider, at) = (
                next(),
                next(),
                next(),
                next(),
                next(),
                next(),
                next(),
                next(),
            );
            sql.push_str(&format!("({id}, {org}, {conv}, {inbox}, 'in', 'contact', FALSE, 'text', {text}, {payload}, 'delivered', {provider}, {at})"));
        }
        let mut tx = store.begin().await?;
        let now = now_ms();
        crate::with_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for m in chunk {
                q = q.bind(uuid::Uuid::now_v7()).bind(org).bind(m.conversation_id).bind(inbox).bind(m.text.as_str())
                    .bind(sqlx::types::Json(&m.payload)).bind(m.provider_id.as_str()).bind(now);
            }
            q.execute(c).await?.rows_affected()
        });
        tx.commit().await?;
    }
    Ok(rows.len() as f64 / start.elapsed().as_secs_f64())
}

/// Moves a report's download expiry to the past (tests of the expiry).
pub async fn expire_report(store: &Store, id: uuid::Uuid) -> crate::Result<()> {
    let sql = "UPDATE reports SET expires_at = $2 WHERE id = $1";
    let mut tx = store.begin().await?;
    crate::with_tx!(tx, c => sqlx::query(sql).bind(id).bind(crate::now_ms() - 1).execute(c).await?.rows_affected());
    tx.commit().await.map(|_| ())
}

/// Moves a conversation's past `by_ms` milliseconds back in time: its
/// messages, sessions, attendances, flow runs and activity (tests of
/// periods and of sessions opened by a later message).
pub async fn age_conversation(
    store: &Store,
    conversation: atende_domain::ConversationId,
    by_ms: i64,
) -> crate::Result<()> {
    let statements = [
        "UPDATE messages SET created_at = created_at - $2 WHERE conversation_id = $1",
        "UPDATE chat_sessions SET started_at = started_at - $2, until_at = until_at - $2 WHERE conversation_id = $1",
        "UPDATE attendances SET opened_at = opened_at - $2, assigned_at = assigned_at - $2, \
         first_reply_at = first_reply_at - $2, closed_at = closed_at - $2, queued_at = queued_at - $2 \
         WHERE conversation_id = $1",
        "UPDATE conversations SET opened_at = opened_at - $2 WHERE id = $1",
        "UPDATE flow_runs SET started_at = started_at - $2, updated_at = updated_at - $2, \
         finished_at = finished_at - $2 WHERE conversation_id = $1",
        "UPDATE chat_activity SET last_message_at = last_message_at - $2, \
         last_inbound_at = last_inbound_at - $2 WHERE conversation_id = $1",
    ];
    let mut tx = store.begin().await?;
    for sql in statements {
        crate::with_tx!(tx, c => sqlx::query(sql).bind(conversation).bind(by_ms).execute(c).await?.rows_affected());
    }
    tx.commit().await.map(|_| ())
}

/// Sets when an attendance opened (tests of paging across attendances
/// opened in the same millisecond).
pub async fn set_attendance_opened(
    store: &Store,
    attendance: atende_domain::AttendanceId,
    at: i64,
) -> crate::Result<()> {
    let sql = "UPDATE attendances SET opened_at = $2 WHERE id = $1";
    let mut tx = store.begin().await?;
    crate::with_tx!(tx, c => sqlx::query(sql).bind(attendance).bind(at).execute(c).await?.rows_affected());
    tx.commit().await.map(|_| ())
}

/// Messages stored in `org` (benchmarks check that every acknowledged
/// delivery is stored once).
pub async fn count_messages(store: &Store, org: atende_domain::OrgId) -> crate::Result<i64> {
    let sql = "SELECT COUNT(*) FROM messages WHERE org_id = $1";
    Ok(crate::with_pool!(store, p => sqlx::query_scalar(sql).bind(org).fetch_one(p).await?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_replaces_the_path() {
        assert_eq!(
            super::with_database("postgres://u@h:5432/test", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            super::with_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(
            super::with_database("postgres://u@h", "x"),
            "postgres://u@h/x"
        );
    }
}
