//! End-to-end tests of the web-chat widget's visitor API: the real server
//! on port 0, visitors calling it as the widget does from a customer's site
//! (SQLite, or PostgreSQL when ATENDE_TEST_DATABASE_URL is set).

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod conversation;
mod inboxes;
mod stream;
mod support;
mod visitors;
