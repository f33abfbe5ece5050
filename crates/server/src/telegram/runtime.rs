//! Telegram behind the channel seam ([`Channel`]).

use std::sync::Arc;

use atende_channels::telegram;
use atende_domain::ChannelKind;
use atende_store::Job;
use atende_store::chats::Message;
use atende_store::directory::Inbox;
use axum::Router;
use serde_json::{Value, json};

use super::Telegram;
use crate::channel::{Channel, Credentials, Fetched, Io, JobResult};
use crate::chat::delivery;
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

/// The updates a bot's webhook asks for: messages, their edits, button
/// presses and the user blocking or unblocking the bot.
const ALLOWED_UPDATES: [&str; 4] = [
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
];

impl Telegram {
    /// `setWebhook` for an inbox: its URL and secret token.
    async fn set_webhook(&self, inbox: &Inbox) -> ApiResult<()> {
        let (Some(token), Some(secret)) = (
            super::token_of(&inbox.secrets.0),
            inbox.secrets.0.get("secret_token").and_then(Value::as_str),
        ) else {
            return Err(ApiError::invalid("Informe o token do bot."));
        };
        let body = json!({
            "url": self.webhook_url(inbox.id),
            "secret_token": secret,
            "allowed_updates": ALLOWED_UPDATES,
            "max_connections": 40,
        });
        let (status, answer) = self.call(token, "setWebhook", &body).await.map_err(|e| {
            ApiError::new(
                Code::ProviderUnreachable,
                format!("O Telegram não respondeu: {e}"),
            )
        })?;
        match telegram::parse_send_response(status, &answer) {
            Ok(_) => Ok(()),
            Err(e) if e.http_status == 401 || e.code == Some(401) || e.code == Some(404) => {
                Err(ApiError::new(
                    Code::ProviderRefused,
                    "O Telegram não reconhece este token de bot. Copie o token que o @BotFather deu.",
                ))
            }
            Err(e) => Err(ApiError::new(
                Code::ProviderRefused,
                format!("O Telegram recusou o webhook: {}", e.description),
            )),
        }
    }
}

impl Channel<AppState> for Telegram {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Telegram
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
        _inbox: Inbox,
        _provider_id: &'a str,
    ) -> Io<'a, JobResult> {
        Box::pin(super::outbound::mark_read(st, job))
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
        _inbox: &'a Inbox,
        _filename: Option<&'a str>,
        _mime: &'a str,
        _bytes: &'a [u8],
    ) -> Io<'a, ApiResult<String>> {
        Box::pin(async { super::media::upload() })
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

    fn connect<'a>(&'a self, inbox: &'a Inbox) -> Io<'a, ApiResult<()>> {
        Box::pin(self.set_webhook(inbox))
    }

    fn disconnect<'a>(&'a self, inbox: &'a Inbox) -> Io<'a, ()> {
        Box::pin(async move {
            let Some(token) = super::token_of(&inbox.secrets.0) else {
                return;
            };
            match self.call(token, "deleteWebhook", &json!({})).await {
                Ok((200, _)) => {}
                Ok((status, _)) => {
                    tracing::warn!(inbox = %inbox.id, status, "deleteWebhook refused");
                }
                Err(e) => tracing::warn!(inbox = %inbox.id, error = %e, "deleteWebhook failed"),
            }
        })
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
