//! Messenger (Facebook Pages) and Instagram Direct through Meta's
//! Messenger Platform (channels.md §2): one webhook for both products
//! (`object` `page` or `instagram`), signed like WhatsApp's; every
//! `entry[]` and every `messaging[]` event read into channel-neutral
//! events; the Send API's body and answer; behind [`crate::Adapter`] as
//! [`SendApi`]. Pure translation: the server's runtime does the HTTP.
//!
//! An event's address is our page's or Instagram account's id (the
//! `recipient` of a customer's event, the `sender` of an echo), which is
//! what an inbox is routed by; the customer is keyed on their
//! page-scoped id (PSID) or Instagram-scoped id (IGSID).

mod outbound;
mod response;
mod webhook;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

pub use outbound::{
    Attachment, MessagingType, Outbound, QUICK_REPLIES_LIMIT, QUICK_REPLY_TITLE_LIMIT, QuickReply,
    TEXT_LIMIT,
};
pub use response::{SendError, Sent, classify, parse_send_response};
pub use webhook::{ParseError, Product, parse_webhook};

use serde_json::Value;

use crate::ErrorClass;
use crate::adapter::Adapter;
use crate::inbound::Inbound;

/// The Send API of one page or Instagram account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendApi;

/// Whom a send goes to: the customer's PSID or IGSID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient(pub String);

impl Adapter for SendApi {
    type Recipient = Recipient;
    type Outbound = Outbound;
    type Sent = Sent;
    type SendError = SendError;
    type ParseError = ParseError;

    /// `X-Hub-Signature-256` over the raw bytes with the app secret, as
    /// WhatsApp's (channels.md §2.1; the legacy `X-Hub-Signature` is
    /// ignored).
    fn verify(&self, secret: &str, body: &[u8], header: &dyn Fn(&str) -> Option<String>) -> bool {
        crate::whatsapp::verify_signature(secret, body, header("x-hub-signature-256").as_deref())
    }

    fn parse(&self, body: &[u8]) -> Result<Vec<Inbound>, ParseError> {
        parse_webhook(body).map(|(_, events)| events)
    }

    /// Meta has no field echoed back in receipts: `callback` is not sent.
    /// Quoting (`reply_to`) is not part of the Send API.
    fn send_body(
        &self,
        to: &Recipient,
        message: &Outbound,
        _reply_to: Option<&str>,
        _callback: Option<&str>,
    ) -> Value {
        message.body(to)
    }

    fn read_send(&self, http_status: u16, body: &[u8]) -> Result<Sent, SendError> {
        parse_send_response(http_status, body)
    }

    fn classify(&self, error: &SendError) -> ErrorClass {
        error.class
    }
}
