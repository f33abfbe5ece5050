//! The contract every channel's adapter keeps (DESIGN §2a): pure
//! translation, no I/O. A channel's runtime in the server does the HTTP,
//! the pacing and the routing, and asks its adapter to check a delivery,
//! read it into channel-neutral events, build the body of a send and read
//! the provider's answer. Each adapter is tested with plain tables.

use serde_json::Value;

use crate::ErrorClass;
use crate::inbound::Inbound;

/// A channel's adapter.
pub trait Adapter {
    /// Who a send goes to (a phone number, a provider's user id…).
    type Recipient;
    /// What the channel sends, in its provider's shapes.
    type Outbound;
    /// What the provider answers for an accepted send.
    type Sent;
    /// A send the provider refused, or an answer that could not be used.
    type SendError: std::error::Error;
    /// Why a delivery's body could not be read.
    type ParseError: std::error::Error;

    /// Whether a delivery comes from the provider: its body exactly as
    /// received, its headers by lower-case name, and the inbox's secret.
    /// Constant time where a secret is compared.
    fn verify(&self, secret: &str, body: &[u8], header: &dyn Fn(&str) -> Option<String>) -> bool;

    /// A verified delivery's events, channel-neutral, in the order they
    /// arrived; each says the address it is routed by.
    fn parse(&self, body: &[u8]) -> Result<Vec<Inbound>, Self::ParseError>;

    /// The JSON body that sends `message` to `to`, quoting `reply_to` and
    /// carrying `callback` (our id of the message, echoed back in its
    /// receipts) where the provider allows it.
    fn send_body(
        &self,
        to: &Self::Recipient,
        message: &Self::Outbound,
        reply_to: Option<&str>,
        callback: Option<&str>,
    ) -> Value;

    /// Reads the provider's answer to a send.
    fn read_send(&self, http_status: u16, body: &[u8]) -> Result<Self::Sent, Self::SendError>;

    /// What to do about a refused send: retry, wait, give up or ask for
    /// new credentials.
    fn classify(&self, error: &Self::SendError) -> ErrorClass;
}
