//! Fakes of the outside world for Atende's tests, its `atende demo` command
//! and its benchmarks.
//!
//! - [`graph::FakeGraph`] plays Meta's Graph API for the WhatsApp Cloud API:
//!   sends, mark-as-read, media upload/retrieve/download and templates, with
//!   error injection and pacing (see `shared/product/channels.md` §1 and §6);
//!   and the Messenger and Instagram Send API (`/{page_id}/messages`,
//!   `/me/messages`, §2.4–2.5) with windows and error injection.
//! - [`simulator::Simulator`] plays customers writing in: it builds webhook
//!   envelopes and POSTs them signed with the app secret, exactly as Meta does
//!   (ASCII-escaped JSON, `X-Hub-Signature-256`).
//! - [`meta::MetaSimulator`] does the same for customers of a Messenger page
//!   or an Instagram account (§2.2–2.3): messages, postbacks, reactions,
//!   edits, echoes, receipts, batches.
//! - [`telegram::FakeTelegram`] plays Telegram's Bot API: webhooks, sends of
//!   text, media, locations and contacts, chat actions, callback answers,
//!   getFile with expiring download links, with error injection and pacing
//!   (channels.md §3 and §6).
//! - [`telegram::TelegramSimulator`] plays customers writing to a bot: it
//!   builds `Update`s and POSTs them with `X-Telegram-Bot-Api-Secret-Token`.
//!
//! This crate depends on no other Atende crate on purpose: it is the outside
//! world, so it re-implements signing and wire shapes on its own.
//!
//! ```no_run
//! use atende_testkit::{FakeGraph, InjectedError, Simulator};
//! use std::time::Duration;
//!
//! # async fn example(webhook_url: String) {
//! let graph = FakeGraph::start().await; // point ATENDE_WHATSAPP_GRAPH_URL at graph.base_url()
//! graph.add_number("106540352242922", "102290129340398", "EAAG-token");
//! graph.inject_error("106540352242922", InjectedError::code(131047));
//!
//! let customers = Simulator::new(webhook_url, "app-secret", "106540352242922", "15550783881", "102290129340398");
//! let client = reqwest::Client::new();
//! let (_wamid, payload) = customers.text_payload("5519987654321", "Sônia", "Oi, boa tarde!");
//! assert_eq!(customers.post(&client, &payload).await.status, 200);
//!
//! let sends = graph.wait_for_sends(1, Duration::from_secs(5)).await;
//! let reply_wamid = sends[0].wamid();
//! # let _ = reply_wamid;
//! # }
//! ```

pub mod conversation;
mod escape;
pub mod graph;
mod ids;
pub mod meta;
pub mod simulator;
pub mod telegram;
mod url;

pub use escape::ascii_escape_json;
pub use graph::{
    AcceptedSend, FakeGraph, FakeGraphConfig, FakeTemplate, InjectedError, RecordedRequest,
};
pub use meta::{MetaPlatform, MetaSimulator};
pub use simulator::{Simulator, WebhookResponse};
pub use telegram::{FakeTelegram, TelegramSimulator, TgInjectedError, TgRequest};
