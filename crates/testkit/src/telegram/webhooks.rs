//! The bot's own methods the fake serves: `getMe`, `getUpdates` and the
//! webhook's (`setWebhook`, `deleteWebhook`, `getWebhookInfo`).

use super::errors::TgError;
use super::methods::{Caller, Done};
use super::params::Params;
use super::state::Inner;
use super::types::WebhookSet;
use serde_json::{Value, json};

pub(super) fn get_me(bot: &Caller) -> Value {
    let mut user = bot.user.clone();
    user["can_join_groups"] = json!(true);
    user["can_read_all_group_messages"] = json!(false);
    user["supports_inline_queries"] = json!(false);
    user
}

/// `getUpdates`: 409 while a webhook is set, else no updates (the fake
/// only delivers through the simulator).
pub(super) fn get_updates(inner: &Inner, bot: &Caller) -> Result<Done, TgError> {
    let state = inner.state();
    let has_webhook = state
        .bots
        .get(&bot.token)
        .is_some_and(|b| b.webhook.is_some());
    if has_webhook {
        return Err(TgError::new(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        ));
    }
    Ok(Done::new(json!([])))
}

/// `setWebhook`: an empty `url` removes the webhook. The fake accepts
/// `http://` URLs too, so tests can use loopback receivers.
pub(super) fn set_webhook(inner: &Inner, bot: &Caller, p: &Params) -> Result<Done, TgError> {
    let url = p.str("url").unwrap_or("").trim();
    if url.is_empty() {
        return Ok(delete_webhook(inner, bot));
    }
    let has_host = ["https://", "http://"]
        .iter()
        .any(|s| url.strip_prefix(s).is_some_and(|rest| !rest.is_empty()));
    if !has_host {
        return Err(TgError::bad_request(
            "bad webhook: An HTTPS URL must be provided for webhook",
        ));
    }
    let secret_token = p.str("secret_token").filter(|s| !s.is_empty());
    if let Some(secret) = secret_token {
        let allowed = secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !allowed || secret.len() > 256 {
            return Err(TgError::bad_request(
                "secret token contains unallowed characters",
            ));
        }
    }
    let allowed_updates = match p.get("allowed_updates") {
        None => None,
        Some(Value::Array(a)) => Some(
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
        ),
        Some(_) => {
            return Err(TgError::bad_request(
                "can't parse allowed updates: expected an Array",
            ));
        }
    };
    let set = WebhookSet {
        url: url.to_owned(),
        secret_token: secret_token.map(str::to_owned),
        allowed_updates,
        max_connections: p.int("max_connections"),
        drop_pending_updates: p.bool("drop_pending_updates"),
    };
    let mut state = inner.state();
    let Some(b) = state.bots.get_mut(&bot.token) else {
        return Err(TgError::unauthorized());
    };
    let same = b.webhook.as_ref().is_some_and(|w| {
        w.url == set.url
            && w.secret_token == set.secret_token
            && w.allowed_updates == set.allowed_updates
    });
    b.webhook = Some(set);
    Ok(Done {
        description: Some(if same {
            "Webhook is already set"
        } else {
            "Webhook was set"
        }),
        ..Done::new(json!(true))
    })
}

pub(super) fn delete_webhook(inner: &Inner, bot: &Caller) -> Done {
    let had = inner
        .state()
        .bots
        .get_mut(&bot.token)
        .and_then(|b| b.webhook.take())
        .is_some();
    Done {
        description: Some(if had {
            "Webhook was deleted"
        } else {
            "Webhook is already deleted"
        }),
        ..Done::new(json!(true))
    }
}

pub(super) fn webhook_info(inner: &Inner, bot: &Caller) -> Value {
    let state = inner.state();
    let webhook = state.bots.get(&bot.token).and_then(|b| b.webhook.as_ref());
    let mut info = json!({
        "url": webhook.map_or("", |w| w.url.as_str()),
        "has_custom_certificate": false,
        "pending_update_count": 0,
    });
    if let Some(w) = webhook {
        info["max_connections"] = json!(w.max_connections.unwrap_or(40));
        if let Some(a) = &w.allowed_updates {
            info["allowed_updates"] = json!(a);
        }
    }
    info
}
