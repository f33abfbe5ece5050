//! The channel seam on the server's side: what a channel's runtime does
//! (take its webhooks, deliver, mark read, fetch and push media, keep its
//! message templates) and the registry that finds the runtime of an
//! inbox's channel. Code outside a channel's own module reaches it only
//! through [`Channel`]: adding a channel is its adapter (in
//! `atende-channels`), its runtime module here, one line where the state
//! builds the [`Registry`], and its migration.
//!
//! `routes` is the routing table the channels routed by a key share.
//!
//! The seam does not know the server's state: it is generic over it (`S`),
//! so the state can hold the registry without the two importing each other.

pub mod routes;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use atende_domain::ChannelKind;
use atende_store::chats::Message;
use atende_store::directory::Inbox;
use atende_store::ingest::Template;
use atende_store::{Job, StoreError};
use axum::Router;
use serde_json::Value;

use crate::chat::compose::template_request::TemplateSend;
use crate::chat::send::UploadRef;
use crate::error::ApiResult;
use crate::jobs::Outcome;

/// A boxed future borrowing the runtime: the trait's methods are called
/// through `dyn Channel`.
pub type Io<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a job handler of a channel returns.
pub type JobResult = Result<Outcome, StoreError>;

/// What fetching an inbound file from the provider gave.
#[derive(Debug)]
pub enum Fetched {
    /// The file, with the type the provider gave.
    File {
        bytes: Vec<u8>,
        mime: Option<String>,
    },
    /// The provider does not have it (any more) or it is over the limit:
    /// recorded as failed, with why; the message stays.
    Gone(String),
    /// A passing failure: try again later.
    Retry(String),
}

/// A template send as the channel built it (CH-6): the components its
/// provider takes, the text the thread shows, and the header's uploaded
/// file, if any.
pub struct BuiltTemplate {
    pub components: Vec<Value>,
    pub text: String,
    pub upload: Option<UploadRef>,
}

/// What an inbox keeps of its channel's credentials: the provider's id its
/// deliveries are routed by, settings anyone managing inboxes may read,
/// and secrets that are never returned.
pub struct Credentials {
    pub external_id: String,
    pub settings: Value,
    pub secrets: Value,
}

/// A channel's runtime: its HTTP client, credentials, pacing and routing
/// table, behind the operations the rest of the server needs.
pub trait Channel<S>: Send + Sync {
    /// Which channel this is.
    fn kind(&self) -> ChannelKind;

    /// The channel's webhook routes (verified, routed, handed to the
    /// intake).
    fn webhooks(self: Arc<Self>) -> Router<S>;

    /// Forgets cached routes: an inbox was created, changed or deleted.
    fn forget_routes(&self) -> Io<'_, ()>;

    /// Delivers a queued outbound message (the `send` job).
    fn send<'a>(&'a self, st: &'a S, job: &'a Job, msg: Message, inbox: Inbox)
    -> Io<'a, JobResult>;

    /// Tells the provider the contact's messages up to `provider_id` were
    /// read (the `mark_read` job).
    fn mark_read<'a>(
        &'a self,
        st: &'a S,
        job: &'a Job,
        inbox: Inbox,
        provider_id: &'a str,
    ) -> Io<'a, JobResult>;

    /// Fetches an inbound file by the provider's id, at most `cap` bytes.
    fn fetch_media<'a>(
        &'a self,
        inbox: &'a Inbox,
        provider_media_id: &'a str,
        cap: usize,
    ) -> Io<'a, Fetched>;

    /// Hands a file to the provider for sending; returns the provider's id
    /// of it, which a message then sends.
    fn upload<'a>(
        &'a self,
        inbox: &'a Inbox,
        filename: Option<&'a str>,
        mime: &'a str,
        bytes: &'a [u8],
    ) -> Io<'a, ApiResult<String>>;

    /// Whether the provider takes a file of this MIME type and size as
    /// `kind` (`image`, `video`, `audio`, `sticker`, `document`); the
    /// refusal says why, in pt-BR, with the channel's limits.
    fn accepts_media(&self, kind: &str, mime: &str, size: i64) -> Result<(), String>;

    /// Checks the credentials an admin gave (the API request's object
    /// named after the channel) for a new inbox, or, with the inbox's
    /// `current` settings and secrets, the ones they replace (blank or
    /// absent fields keep theirs), and splits them into what the store
    /// keeps. Malformed or incomplete credentials are refused with why.
    fn credentials(
        &self,
        given: Value,
        current: Option<(&Value, &Value)>,
    ) -> ApiResult<Credentials>;

    /// Points the provider at a new inbox, or at one whose credentials
    /// changed (Telegram's `setWebhook`), once it has its id and before it
    /// is committed: a refusal undoes the creation or the change, with why.
    /// Channels set up on the provider's side need nothing.
    fn connect<'a>(&'a self, _inbox: &'a Inbox) -> Io<'a, ApiResult<()>> {
        Box::pin(async { Ok(()) })
    }

    /// Tells the provider to stop delivering to a deleted inbox (best
    /// effort: the inbox is gone either way).
    fn disconnect<'a>(&'a self, _inbox: &'a Inbox) -> Io<'a, ()> {
        Box::pin(async {})
    }

    /// Whether the channel has message templates (CH-6); channels without
    /// them keep the defaults of this and the next two.
    fn has_templates(&self) -> bool {
        false
    }

    /// Builds a template send from the values an agent, a flow or an
    /// integrator gave, checked against the synced `template`; `fill`
    /// fills `{nome}` and custom-field variables (CH-10). Only channels
    /// with templates are asked.
    fn build_template(
        &self,
        _template: &Template,
        _given: &TemplateSend,
        _fill: &dyn Fn(&str) -> String,
    ) -> ApiResult<BuiltTemplate> {
        Err(crate::error::ApiError::invalid(format!(
            "Mensagens template não existem no {}.",
            self.kind().label()
        )))
    }

    /// A synced template's text with its example values, as the template
    /// list shows it.
    fn template_preview(&self, _components: &Value) -> String {
        String::new()
    }

    /// Pulls an inbox's message templates (the `sync_templates` job).
    fn sync_templates<'a>(&'a self, st: &'a S, job: &'a Job, inbox: Inbox) -> Io<'a, JobResult>;
}

/// The runtimes of the channels this server serves, by kind.
pub struct Registry<S> {
    channels: HashMap<ChannelKind, Arc<dyn Channel<S>>>,
}

impl<S> Registry<S> {
    /// A registry of these runtimes (the last of a kind wins).
    pub fn new(channels: impl IntoIterator<Item = Arc<dyn Channel<S>>>) -> Registry<S> {
        Registry {
            channels: channels.into_iter().map(|c| (c.kind(), c)).collect(),
        }
    }

    /// The runtime of a channel; `None` when this server does not serve it
    /// (or the inbox's channel is unknown to this build).
    pub fn get(&self, kind: Option<ChannelKind>) -> Option<&Arc<dyn Channel<S>>> {
        self.channels.get(&kind?)
    }

    /// Every runtime.
    pub fn all(&self) -> impl Iterator<Item = &Arc<dyn Channel<S>>> {
        self.channels.values()
    }

    /// Forgets every channel's cached routes.
    pub async fn forget_routes(&self) {
        for c in self.channels.values() {
            c.forget_routes().await;
        }
    }
}
