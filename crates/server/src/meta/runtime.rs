//! Messenger and Instagram behind the channel seam ([`Channel`]).

use std::sync::Arc;

use atende_channels::meta::Product;
use atende_domain::ChannelKind;
use atende_store::Job;
use atende_store::chats::Message;
use atende_store::directory::Inbox;
use axum::Router;
use serde_json::Value;

use super::Meta;
use crate::channel::{Channel, Credentials, Fetched, Io, JobResult};
use crate::chat::delivery;
use crate::error::ApiResult;
use crate::state::AppState;

const MB: i64 = 1024 * 1024;

impl Channel<AppState> for Meta {
    fn kind(&self) -> ChannelKind {
        match self.product {
            Product::Messenger => ChannelKind::Messenger,
            Product::Instagram => ChannelKind::Instagram,
        }
    }

    /// One endpoint serves both products: Messenger's runtime mounts it.
    fn webhooks(self: Arc<Self>) -> Router<AppState> {
        match self.product {
            Product::Messenger => super::webhook::router(self.shared.clone()),
            Product::Instagram => Router::new(),
        }
    }

    fn forget_routes(&self) -> Io<'_, ()> {
        Box::pin(self.shared.invalidate())
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

    /// A file from Meta's CDN (its link is the id); an expired link is
    /// gone (Meta gives no new one).
    fn fetch_media<'a>(&'a self, _inbox: &'a Inbox, url: &'a str, cap: usize) -> Io<'a, Fetched> {
        Box::pin(async move {
            if atende_channels::web_link(url).is_none() {
                return Fetched::Gone("link de mídia inválido".into());
            }
            let mut r = match self.shared.http.get(url).send().await {
                Ok(r) => r,
                Err(e) => return Fetched::Retry(format!("media download: {e}")),
            };
            match r.status().as_u16() {
                200..=299 => {}
                403 | 404 | 410 => return Fetched::Gone("o link da mídia expirou".into()),
                s => return Fetched::Retry(format!("media download: HTTP {s}")),
            }
            let mime = r
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let mut out = Vec::new();
            loop {
                match r.chunk().await {
                    Ok(Some(c)) if out.len() + c.len() > cap => {
                        return Fetched::Gone("arquivo maior que o limite".into());
                    }
                    Ok(Some(c)) => out.extend_from_slice(&c),
                    Ok(None) => return Fetched::File { bytes: out, mime },
                    Err(e) => return Fetched::Retry(format!("media download: {e}")),
                }
            }
        })
    }

    /// Meta fetches files from a link: the upload stays with us until its
    /// message goes, as a signed link to our copy.
    fn upload<'a>(
        &'a self,
        _inbox: &'a Inbox,
        _filename: Option<&'a str>,
        _mime: &'a str,
        _bytes: &'a [u8],
    ) -> Io<'a, ApiResult<String>> {
        Box::pin(async {
            Ok(format!(
                "{}{}",
                super::outbound::LOCAL,
                uuid::Uuid::now_v7()
            ))
        })
    }

    /// Attachments up to 25 MB (images JPEG, PNG or GIF; MP4 video; MP3,
    /// OGG, M4A or WAV audio; any file).
    fn accepts_media(&self, kind: &str, mime: &str, size: i64) -> Result<(), String> {
        let base = crate::security::mime_base(mime);
        let product = super::credentials::label(self.product);
        let (types, label): (&[&str], &str) = match kind {
            "image" | "sticker" => (
                &["image/jpeg", "image/png", "image/gif", "image/webp"],
                "Imagens: JPEG, PNG ou GIF até 25 MB",
            ),
            "video" => (&["video/mp4"], "Vídeos: MP4 até 25 MB"),
            "audio" => (
                &[
                    "audio/mpeg",
                    "audio/ogg",
                    "audio/mp4",
                    "audio/x-m4a",
                    "audio/aac",
                    "audio/wav",
                ],
                "Áudios: MP3, OGG, M4A ou WAV até 25 MB",
            ),
            _ => (&[], "Arquivos: até 25 MB"),
        };
        if (!types.is_empty() && !types.contains(&base.as_str())) || size > 25 * MB {
            return Err(format!(
                "O {product} não aceita este arquivo como {kind} ({base}). {label}."
            ));
        }
        Ok(())
    }

    fn credentials(
        &self,
        given: Value,
        current: Option<(&Value, &Value)>,
    ) -> ApiResult<Credentials> {
        super::credentials::credentials(self.product, given, current)
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
