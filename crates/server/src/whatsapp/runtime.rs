//! WhatsApp behind the channel seam ([`Channel`]).

use std::sync::Arc;

use atende_domain::ChannelKind;
use atende_store::Job;
use atende_store::chats::Message;
use atende_store::directory::Inbox;
use atende_store::ingest::Template;
use axum::Router;
use serde_json::Value;

use super::WhatsApp;
use crate::channel::{BuiltTemplate, Channel, Credentials, Fetched, Io, JobResult};
use crate::chat::compose::template_request::TemplateSend;
use crate::error::ApiResult;
use crate::state::AppState;

impl Channel<AppState> for WhatsApp {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Whatsapp
    }

    fn webhooks(self: Arc<Self>) -> Router<AppState> {
        super::webhook::router(self)
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
        Box::pin(super::outbound::send(self, st, job, msg, inbox))
    }

    fn mark_read<'a>(
        &'a self,
        st: &'a AppState,
        job: &'a Job,
        inbox: Inbox,
        provider_id: &'a str,
    ) -> Io<'a, JobResult> {
        Box::pin(super::outbound::mark_read(
            self,
            st,
            job,
            inbox,
            provider_id,
        ))
    }

    fn fetch_media<'a>(
        &'a self,
        inbox: &'a Inbox,
        provider_media_id: &'a str,
        cap: usize,
    ) -> Io<'a, Fetched> {
        Box::pin(super::media::fetch(self, inbox, provider_media_id, cap))
    }

    fn upload<'a>(
        &'a self,
        inbox: &'a Inbox,
        filename: Option<&'a str>,
        mime: &'a str,
        bytes: &'a [u8],
    ) -> Io<'a, ApiResult<String>> {
        Box::pin(super::upload::push(self, inbox, filename, mime, bytes))
    }

    fn accepts_media(&self, kind: &str, mime: &str, size: i64) -> Result<(), String> {
        super::media::accepts(kind, mime, size)
    }

    fn credentials(
        &self,
        given: Value,
        current: Option<(&Value, &Value)>,
    ) -> ApiResult<Credentials> {
        super::credentials::credentials(given, current)
    }

    fn has_templates(&self) -> bool {
        true
    }

    fn build_template(
        &self,
        template: &Template,
        given: &TemplateSend,
        fill: &dyn Fn(&str) -> String,
    ) -> ApiResult<BuiltTemplate> {
        super::template_build::build(template, given, fill)
    }

    fn template_preview(&self, components: &Value) -> String {
        super::template_build::preview(components)
    }

    fn sync_templates<'a>(
        &'a self,
        st: &'a AppState,
        job: &'a Job,
        inbox: Inbox,
    ) -> Io<'a, JobResult> {
        Box::pin(super::templates::sync(self, st, job, inbox))
    }
}
