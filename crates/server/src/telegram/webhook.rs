//! `POST /webhooks/telegram/{inbox_id}`: one `Update` for the bot of that
//! inbox, accepted only with the inbox's secret token. Its events go to
//! the intake in the channel-neutral vocabulary; a button press is
//! answered (`answerCallbackQuery`) once it is stored.

use std::sync::Arc;

use atende_channels::Adapter;
use atende_channels::inbound::{Content, Inbound};
use atende_channels::telegram::{self, BotApi};
use atende_domain::InboxId;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use serde_json::json;

use super::Telegram;
use crate::error::{ApiError, Code};
use crate::inbound::Routed;
use crate::state::AppState;

pub fn router(tg: Arc<Telegram>) -> Router<AppState> {
    Router::new()
        .route("/webhooks/telegram/{inbox_id}", post(receive))
        .layer(Extension(tg))
}

/// Checks the secret token, reads the update and hands its events to the
/// intake; answers 200 only after they are committed (Telegram delivers
/// again otherwise, and dedupe keeps what was stored from doubling).
async fn receive(
    State(st): State<AppState>,
    Extension(tg): Extension<Arc<Telegram>>,
    Path(inbox_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let rejected = |reason: &'static str| {
        metrics::counter!("atende_webhook_rejected_total", "channel" => "telegram", "reason" => reason).increment(1);
    };
    let Ok(inbox) = inbox_id.parse::<InboxId>() else {
        rejected("unrouted");
        return ApiError::not_found().into_response();
    };
    let route = match tg.route(&st.store, inbox).await {
        Ok(Some(r)) => r,
        // Not acknowledged: an inbox being created answers once it is
        // committed; a deleted one had its webhook removed.
        Ok(None) => {
            rejected("unrouted");
            return ApiError::not_found().into_response();
        }
        Err(e) => return ApiError::from(e).into_response(),
    };
    let bot = super::token_of(&route.secrets.0).and_then(BotApi::for_token);
    let secret = route.secret("secret_token").unwrap_or_default();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let Some(bot) = bot.filter(|b| b.verify(secret, &body, &header)) else {
        rejected("signature");
        return ApiError::new(
            Code::BadSignature,
            "Token secreto X-Telegram-Bot-Api-Secret-Token inválido.",
        )
        .into_response();
    };
    let events = match bot.parse(&body) {
        Ok(ev) => ev,
        Err(e) => return ApiError::bad_request(e.to_string()).into_response(),
    };
    let mut callbacks = Vec::new();
    let mut routed = Vec::with_capacity(events.len());
    let mut chat = None;
    for event in events {
        match event {
            Inbound::Ignored { what } => {
                tracing::debug!(inbox = %route.id, %what, "Telegram update ignored");
            }
            Inbound::Message(m) => {
                if let (Some(q), Content::InteractiveReply { .. }) =
                    (m.id.strip_prefix("cb:"), &m.content)
                {
                    callbacks.push(q.to_string());
                }
                chat = chat.or(m.sender.key.clone());
                routed.push(Routed {
                    route: route.clone(),
                    event: Inbound::Message(m),
                });
            }
            event => routed.push(Routed {
                route: route.clone(),
                event,
            }),
        }
    }
    if !routed.is_empty() {
        let key = crate::intake::lane_key(route.org_id, chat.as_deref());
        if let Err(e) = st.intake.submit(key, routed).await {
            return ApiError::internal(e).into_response();
        }
    }
    if !callbacks.is_empty()
        && let Some(token) = super::token_of(&route.secrets.0).map(str::to_string)
    {
        // The button stops spinning on the customer's screen; nothing
        // depends on it, so it does not hold the acknowledgement.
        tokio::spawn(async move {
            for id in callbacks {
                let body = json!({"callback_query_id": id});
                match tg.call(&token, "answerCallbackQuery", &body).await {
                    Ok((200, _)) => {}
                    Ok((status, b)) => {
                        let e = telegram::parse_send_response(status, &b).err();
                        tracing::warn!(status, error = ?e.map(|e| e.description), "answerCallbackQuery refused");
                    }
                    Err(e) => tracing::warn!(error = %e, "answerCallbackQuery failed"),
                }
            }
        });
    }
    metrics::counter!("atende_webhooks_total", "channel" => "telegram").increment(1);
    (StatusCode::OK, "ok").into_response()
}
