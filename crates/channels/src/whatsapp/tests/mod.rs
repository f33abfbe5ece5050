//! Tests of the WhatsApp adapter. Webhook fixtures live in
//! `crates/channels/tests/fixtures/whatsapp/`: WA-1…WA-4 copied verbatim from
//! channels.md §1.11, the others written for every row of §1.4 and the
//! envelope cases of §1.3 and §5.

mod graph_answers;
mod inbound_system;
mod inbound_types;
mod outbound;
mod props;
mod send_response;
mod signature;
mod spec_fixtures;
mod webhook_envelope;

use super::{Event, InboundMessage, StatusUpdate, parse_webhook};

/// Includes a fixture file as bytes at compile time.
macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/whatsapp/",
            $name
        ))
        .as_slice()
    };
}

pub(crate) const WA1: &[u8] = fixture!("wa1_text.json");
pub(crate) const WA2: &[u8] = fixture!("wa2_media_batch.json");
pub(crate) const WA3: &[u8] = fixture!("wa3_statuses.json");
pub(crate) const WA4: &[u8] = fixture!("wa4_send_error_401.json");
pub(crate) const TYPES_MEDIA: &[u8] = fixture!("types_media.json");
pub(crate) const TYPES_INTERACTIVE: &[u8] = fixture!("types_interactive.json");
pub(crate) const TYPES_SYSTEM: &[u8] = fixture!("types_system.json");
pub(crate) const BATCH: &[u8] = fixture!("batch.json");
pub(crate) const TEMPLATE_STATUS: &[u8] = fixture!("template_status.json");
pub(crate) const VALUE_ERRORS: &[u8] = fixture!("value_errors.json");
pub(crate) const ECHOES: &[u8] = fixture!("echoes_and_unknown_status.json");

/// Every webhook fixture, for the property tests.
pub(crate) const WEBHOOK_FIXTURES: [&[u8]; 10] = [
    WA1,
    WA2,
    WA3,
    TYPES_MEDIA,
    TYPES_INTERACTIVE,
    TYPES_SYSTEM,
    BATCH,
    TEMPLATE_STATUS,
    VALUE_ERRORS,
    ECHOES,
];

/// The events of a fixture that must parse.
pub(crate) fn events(body: &[u8]) -> Vec<Event> {
    match parse_webhook(body) {
        Ok(events) => events,
        Err(e) => panic!("fixture should parse: {e}"),
    }
}

/// The inbound messages of a fixture, in order.
pub(crate) fn messages(body: &[u8]) -> Vec<InboundMessage> {
    events(body)
        .into_iter()
        .filter_map(|e| match e {
            Event::Message(m) => Some(m),
            _ => None,
        })
        .collect()
}

/// The status updates of a fixture, in order.
pub(crate) fn statuses(body: &[u8]) -> Vec<StatusUpdate> {
    events(body)
        .into_iter()
        .filter_map(|e| match e {
            Event::Status(s) => Some(s),
            _ => None,
        })
        .collect()
}
