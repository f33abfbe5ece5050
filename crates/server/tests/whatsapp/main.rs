//! End-to-end WhatsApp tests: the real server on port 0 with the testkit's
//! fake Graph API and customer simulator (SQLite, or PostgreSQL when
//! ATENDE_TEST_DATABASE_URL is set).

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod absence;
mod bulk;
mod campaigns;
mod flows;
mod hostile;
mod inbound;
mod monitoring;
mod outbound;
mod report_agile;
mod report_conversations;
mod reports;
mod routing;
mod send_rules;
mod support;
mod unknown_outcome;
