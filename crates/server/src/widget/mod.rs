//! The web-chat widget (CH-4, channels.md §4): our own channel, so its
//! "provider" is this server. A customer's site embeds one tag
//! (`<script src="…/widget/v1/widget.js" data-inbox="…" async>`); the
//! script talks to the visitor API under `/widget/v1`:
//!
//! - `GET /widget/v1/inboxes/{inbox_id}/settings`: what the widget shows
//!   (title, colour, greeting, pre-chat form, business hours);
//! - `POST /widget/v1/inboxes/{inbox_id}/contacts`: a visitor becomes a
//!   contact with a conversation and a session token (a verified identity
//!   when the site signed its user's id with the inbox's secret);
//! - with `Authorization: Bearer <session token>`: the conversation's
//!   messages (history, and sending with `client_message_id` as the
//!   idempotency key), file uploads, and a WebSocket stream of messages,
//!   receipts and typing.
//!
//! A visitor's message enters through the same intake as every channel's
//! webhook (`crate::inbound`), so flows, attendances, blocks and absence
//! apply unchanged; an agent's reply reaches the visitor as the stored
//! message's event. The rest of the server reaches the widget through the
//! channel seam (`runtime`).

mod contacts;
mod credentials;
mod messages;
pub mod page;
pub mod routes;
mod runtime;
mod session;
mod stream;
mod visitor;
mod wire;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use atende_domain::{ContactId, ConversationId, InboxId};
use atende_store::Store;
use atende_store::ingest::InboxRoute;

pub use credentials::{Prechat, WidgetConfig};

use crate::channel::routes::RouteTable;
use crate::config::Config;
use crate::limiter::RateLimiter;

/// The widget's runtime: the routing table of widget inboxes, the visitors
/// connected to this node and the visitor API's rate limits.
pub struct Widget {
    store: Store,
    media_dir: std::path::PathBuf,
    /// Widget inboxes, by id.
    routes: RouteTable<InboxId>,
    /// Open visitor streams per conversation on this node: an agent's
    /// message to a connected visitor is delivered as soon as it is sent.
    online: Mutex<HashMap<ConversationId, usize>>,
    limits: RateLimiter,
}

/// Prefix of the widget's ids: of files handed to it (visitors' and
/// agents' uploads, kept with us in the uploads table) and of visitors'
/// messages.
const PREFIX: &str = "wc:";

/// The provider id of a visitor's message: their own id of it, within
/// their contact (the intake deduplicates on it).
fn provider_id(contact: ContactId, client_message_id: &str) -> String {
    format!("{PREFIX}{contact}:{client_message_id}")
}

/// The visitor's own id of a message, from its provider id.
fn client_id_of(provider_id: &str) -> Option<&str> {
    provider_id
        .strip_prefix(PREFIX)?
        .split_once(':')
        .map(|(_, c)| c)
}

/// A new id for a file a visitor of `conv` uploads (or, without one, an
/// agent sends to a visitor).
fn new_upload(conv: Option<ConversationId>) -> String {
    match conv {
        Some(c) => format!("{PREFIX}{c}:{}", uuid::Uuid::now_v7()),
        None => format!("{PREFIX}{}", uuid::Uuid::now_v7()),
    }
}

/// The conversation whose visitor uploaded a file, from its id.
fn upload_of(id: &str) -> Option<ConversationId> {
    id.strip_prefix(PREFIX)?.split_once(':')?.0.parse().ok()
}

/// Largest file a visitor may send, and an agent send to a visitor.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// The file types a visitor may send and an agent send to a visitor: what
/// browsers show or play, PDFs, office documents and text. Nothing a
/// browser would run (HTML, SVG, scripts).
pub const ACCEPTED: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "audio/mpeg",
    "audio/ogg",
    "audio/aac",
    "audio/mp4",
    "audio/webm",
    "audio/wav",
    "video/mp4",
    "video/webm",
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/zip",
];

/// Whether a file may go through the widget.
fn accepts(mime: &str, size: i64) -> Result<(), String> {
    let mime = crate::security::mime_base(mime);
    if !ACCEPTED.contains(&mime.as_str()) {
        return Err(format!(
            "O widget não aceita arquivos do tipo {mime}: envie imagens, áudios, vídeos, PDFs ou documentos."
        ));
    }
    if size > MAX_FILE_BYTES as i64 {
        return Err(format!(
            "O arquivo passa do limite de {} MB do widget.",
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    Ok(())
}

impl Widget {
    pub fn new(config: &Config, store: Store) -> Widget {
        Widget {
            store,
            media_dir: config.data_dir.join("media"),
            routes: RouteTable::new(&["widget"], |_, r| Some(r.id)),
            online: Mutex::default(),
            limits: RateLimiter::default(),
        }
    }

    /// The widget inbox with this id, reloading once on a miss.
    async fn route(
        &self,
        inbox: InboxId,
    ) -> Result<Option<Arc<InboxRoute>>, atende_store::StoreError> {
        self.routes.get(&self.store, &inbox).await
    }

    async fn invalidate(&self) {
        self.routes.invalidate().await;
    }

    /// Whether a visitor of this conversation has a stream open here.
    fn is_online(&self, conv: ConversationId) -> bool {
        self.online
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&conv)
            .is_some_and(|n| *n > 0)
    }

    /// Counts a visitor's stream while the guard lives.
    fn connect(self: &Arc<Self>, conv: ConversationId) -> Online {
        *self
            .online
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(conv)
            .or_default() += 1;
        Online {
            widget: self.clone(),
            conv,
        }
    }
}

/// A visitor's open stream, counted in [`Widget::online`].
struct Online {
    widget: Arc<Widget>,
    conv: ConversationId,
}

impl Drop for Online {
    fn drop(&mut self) {
        let mut map = self.widget.online.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.conv) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.conv);
            }
        }
    }
}
