//! WhatsApp Business Cloud API (channels.md §1).
//!
//! - [`CloudApi`]: the channel's [`crate::adapter::Adapter`], over the
//!   functions below.
//! - [`verify_signature`], [`verify_challenge`]: authenticate webhooks.
//! - [`parse_webhook`]: a POST body into [`Event`]s, every entry, change,
//!   message and status in order; each converts into a channel-neutral
//!   [`crate::inbound::Inbound`].
//! - [`send_body`], [`mark_read_body`] and the `*_url` functions: requests.
//! - [`parse_send_response`], [`classify`], [`error_class`]: answers and
//!   errors into [`Sent`] or a classified [`SendError`].
//! - [`parse_templates_page`], [`parse_media_info`], [`parse_upload_response`]:
//!   the other Graph answers the server needs.

mod adapter;
mod content;
mod graph;
mod json;
mod message;
mod neutral;
mod outbound;
mod response;
mod signature;
mod status;
mod urls;
mod webhook;

#[cfg(test)]
mod tests;

pub use adapter::CloudApi;
pub use graph::{
    MediaInfo, TemplateInfo, parse_media_info, parse_templates_page, parse_upload_response,
};
pub use message::{Content, Context, InboundMessage, MediaKind};
pub use outbound::{MediaRef, Outbound, Recipient, mark_read_body, send_body};
pub use response::{SendError, Sent, classify, error_class, parse_send_response};
pub use signature::{sign, verify_challenge, verify_signature};
pub use status::{StatusUpdate, TemplateStatusUpdate, UNKNOWN_ERROR_CODE, WaError, WaStatus};
pub use urls::{DEFAULT_VERSION, media_url, messages_url, templates_url, upload_url};
pub use webhook::{Event, ParseError, parse_webhook};
