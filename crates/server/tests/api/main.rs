//! Black-box API tests: the real server on port 0, a fresh database per test
//! (SQLite, or PostgreSQL when ATENDE_TEST_DATABASE_URL is set).

mod auth;
mod chats;
mod contacts;
mod helpers;
mod isolation;
mod permissions;
mod ready;
mod realtime;
#[path = "../contract/schema.rs"]
mod schema;
mod security;
