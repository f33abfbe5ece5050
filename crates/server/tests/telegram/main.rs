//! End-to-end Telegram tests: the real server on port 0 with the
//! testkit's fake Bot API and customer simulator (SQLite, or PostgreSQL
//! when ATENDE_TEST_DATABASE_URL is set).

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod flows;
mod inbound;
mod inboxes;
mod outbound;
mod support;
