//! End-to-end Messenger and Instagram tests: the real server on port 0 with
//! the testkit's fake Graph API (Send API) and Meta customer simulator
//! (SQLite, or PostgreSQL when ATENDE_TEST_DATABASE_URL is set).

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod inbound;
mod outbound;
mod support;
