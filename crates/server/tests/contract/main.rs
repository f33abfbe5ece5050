//! The safety net generated from the OpenAPI document: every operation the
//! server documents is tried as another organization, as each role, and with
//! malformed bodies, and must answer as the role table says, change nothing
//! it may not, and never fail with a 5xx (SQLite, or PostgreSQL when
//! ATENDE_TEST_DATABASE_URL is set). A new operation without a line in the
//! role table fails the suite.

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod fixture;
mod net;
mod openapi;
mod roles;
mod schema;
