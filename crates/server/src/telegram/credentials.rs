//! A Telegram inbox's credentials: the API's `telegram` object (the bot's
//! token, from @BotFather), checked and split into what the store keeps:
//! the bot's id the inbox is known by, and the token with the webhook's
//! secret, which are never returned.

use atende_channels::telegram::BotApi;
use rand::distr::{Alphanumeric, SampleString};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::channel::Credentials;
use crate::error::{ApiError, ApiResult, Code};

/// A Telegram bot's credentials.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TelegramConfig {
    /// The token @BotFather gave: `<bot id>:<secret>`.
    #[schema(
        min_length = 1,
        pattern = r"^\s*\d+:\S+\s*$",
        example = "123456789:AAE-exampletoken"
    )]
    pub bot_token: String,
}

/// A new token for a Telegram inbox (e.g. after "Unauthorized"); blank or
/// absent keeps the current one.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TelegramPatch {
    pub bot_token: Option<String>,
}

/// The credentials `given` for a new inbox, or over the `current` ones. A
/// new token gets a new webhook secret.
pub(super) fn credentials(
    given: Value,
    current: Option<(&Value, &Value)>,
) -> ApiResult<Credentials> {
    let malformed = |e: serde_json::Error| {
        ApiError::new(
            Code::InvalidBody,
            format!("Credenciais em \"telegram\": {e}."),
        )
    };
    let token = match current {
        None => Some(
            serde_json::from_value::<TelegramConfig>(given)
                .map_err(malformed)?
                .bot_token,
        ),
        Some(_) => {
            serde_json::from_value::<TelegramPatch>(given)
                .map_err(malformed)?
                .bot_token
        }
    }
    .map(|t| t.trim().to_string())
    .filter(|t| !t.is_empty());
    let (token, secret) = match (token, current) {
        (Some(t), _) => (t, Alphanumeric.sample_string(&mut rand::rng(), 48)),
        (None, Some((_, secrets))) => (
            super::token_of(secrets).unwrap_or_default().to_string(),
            secrets
                .get("secret_token")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        ),
        (None, None) => (String::new(), String::new()),
    };
    let Some(bot) = BotApi::for_token(&token) else {
        return Err(ApiError::invalid(
            "O campo telegram.bot_token deve ser o token que o @BotFather deu (número do bot, dois-pontos e o segredo).",
        ));
    };
    Ok(Credentials {
        external_id: bot.bot_id().to_string(),
        settings: json!({"bot_id": bot.bot_id()}),
        secrets: json!({"bot_token": token, "secret_token": secret}),
    })
}
