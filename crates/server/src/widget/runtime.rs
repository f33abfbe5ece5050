//! The widget behind the channel seam ([`Channel`]). Its "provider" is this
//! server: a message is delivered when it is stored (the visitor's stream
//! and history show it), files stay in our uploads, and there are no
//! templates and no window.

use std::sync::Arc;

use atende_domain::{ChannelKind, ReceiptStatus};
use atende_store::Job;
use atende_store::chats::Message;
use atende_store::directory::Inbox;
use axum::Router;
use serde_json::Value;

use super::Widget;
use crate::channel::{Channel, Credentials, Fetched, Io, JobResult};
use crate::chat::delivery;
use crate::error::ApiResult;
use crate::state::AppState;

impl Widget {
    /// Delivers an agent's or a bot's message: it is already in the
    /// visitor's stream and history, so it is `sent`, and `delivered` at
    /// once when the visitor is connected here.
    async fn deliver(&self, st: &AppState, job: &Job, msg: Message, inbox: Inbox) -> JobResult {
        if msg.kind == "template" {
            return delivery::fail(
                st,
                job,
                msg.org_id,
                msg.id,
                "invalid_message",
                "O widget não tem mensagens template.",
            )
            .await;
        }
        let online = self.is_online(msg.conversation_id);
        let provider_id = msg.id.to_string();
        let outcome = delivery::sent(st, job, &msg, &inbox, Some(&provider_id)).await?;
        if online {
            let mut tx = st.store.begin().await?;
            tx.update_receipt(msg.org_id, msg.id, ReceiptStatus::Delivered, None, None)
                .await?;
            st.commit(tx).await?;
        }
        Ok(outcome)
    }

    /// A file kept in our uploads (a visitor's), read back for the media
    /// download job.
    async fn read_upload(&self, inbox: &Inbox, id: &str, cap: usize) -> Fetched {
        let upload = match self.store.upload(inbox.org_id, inbox.id, id).await {
            Ok(Some(u)) => u,
            Ok(None) => return Fetched::Gone("O arquivo não foi encontrado.".into()),
            Err(e) => return Fetched::Retry(e.to_string()),
        };
        if upload.size as usize > cap {
            return Fetched::Gone("O arquivo passa do limite.".into());
        }
        match tokio::fs::read(self.media_dir.join(&upload.path)).await {
            Ok(bytes) => Fetched::File {
                bytes,
                mime: Some(upload.mime_type),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Fetched::Gone("O arquivo não foi encontrado.".into())
            }
            Err(e) => Fetched::Retry(e.to_string()),
        }
    }
}

impl Channel<AppState> for Widget {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Widget
    }

    fn webhooks(self: Arc<Self>) -> Router<AppState> {
        super::routes::router(self)
    }

    fn forget_routes(&self) -> Io<'_, ()> {
        Box::pin(self.invalidate())
    }

    fn send<'a>(
        &'a self,
        st: &'a AppState,
        job: &'a Job,
        msg: Message,
        inbox: Inbox,
    ) -> Io<'a, JobResult> {
        Box::pin(self.deliver(st, job, msg, inbox))
    }

    fn mark_read<'a>(
        &'a self,
        st: &'a AppState,
        job: &'a Job,
        _inbox: Inbox,
        _provider_id: &'a str,
    ) -> Io<'a, JobResult> {
        // The visitor's stream shows the chat's read event itself.
        Box::pin(delivery::finish(st, job))
    }

    fn fetch_media<'a>(
        &'a self,
        inbox: &'a Inbox,
        provider_media_id: &'a str,
        cap: usize,
    ) -> Io<'a, Fetched> {
        Box::pin(self.read_upload(inbox, provider_media_id, cap))
    }

    fn upload<'a>(
        &'a self,
        _inbox: &'a Inbox,
        _filename: Option<&'a str>,
        _mime: &'a str,
        _bytes: &'a [u8],
    ) -> Io<'a, ApiResult<String>> {
        // The caller keeps the file under this id; the visitor gets it by a
        // signed link.
        Box::pin(async { Ok(super::new_upload(None)) })
    }

    fn accepts_media(&self, _kind: &str, mime: &str, size: i64) -> Result<(), String> {
        super::accepts(mime, size)
    }

    fn credentials(
        &self,
        given: Value,
        current: Option<(&Value, &Value)>,
    ) -> ApiResult<Credentials> {
        super::credentials::credentials(given, current)
    }

    fn sync_templates<'a>(
        &'a self,
        st: &'a AppState,
        job: &'a Job,
        _inbox: Inbox,
    ) -> Io<'a, JobResult> {
        Box::pin(delivery::finish(st, job))
    }
}
