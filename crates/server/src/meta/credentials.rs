//! A Messenger or Instagram inbox's credentials: the API's `meta` object
//! (the page's or the Instagram account's id, the page access token, the
//! app's secret and the webhook's verify token), checked and split into
//! what the store keeps.

use atende_channels::meta::Product;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::channel::Credentials;
use crate::error::{ApiError, ApiResult, Code};

/// Credentials of a Facebook page (Messenger: `page_id`) or of an
/// Instagram professional account (Instagram: `account_id`).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct MetaConfig {
    /// The Facebook page's id (Messenger).
    pub page_id: Option<String>,
    /// The Instagram professional account's id (Instagram).
    pub account_id: Option<String>,
    /// The page access token.
    pub access_token: Option<String>,
    /// The Meta app's secret (signs the webhooks).
    pub app_secret: Option<String>,
    /// The token the webhook's set-up handshake must present.
    pub verify_token: Option<String>,
}

/// The name of a product's account id field.
fn id_field(product: Product) -> &'static str {
    match product {
        Product::Messenger => "page_id",
        Product::Instagram => "account_id",
    }
}

/// The credentials `given` for a new inbox, or over the `current` ones
/// (blank or absent fields keep theirs).
pub(super) fn credentials(
    product: Product,
    given: Value,
    current: Option<(&Value, &Value)>,
) -> ApiResult<Credentials> {
    let given: MetaConfig = serde_json::from_value(given)
        .map_err(|e| ApiError::new(Code::InvalidBody, format!("Credenciais em \"meta\": {e}.")))?;
    let id_key = id_field(product);
    let other = match product {
        Product::Messenger => given.account_id.as_deref(),
        Product::Instagram => given.page_id.as_deref(),
    };
    if other.is_some_and(|v| !v.trim().is_empty()) {
        return Err(ApiError::invalid(format!(
            "Informe meta.{id_key} para {}.",
            label(product)
        )));
    }
    let id = match product {
        Product::Messenger => given.page_id,
        Product::Instagram => given.account_id,
    };
    let pick = |new: Option<String>, old: Option<&Value>, key: &str| {
        new.map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .or_else(|| {
                old.and_then(|o| o.get(key))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_default()
    };
    let (settings, secrets) = (current.map(|c| c.0), current.map(|c| c.1));
    let id = pick(id, settings, id_key);
    let access_token = pick(given.access_token, secrets, "access_token");
    let app_secret = pick(given.app_secret, secrets, "app_secret");
    let verify_token = pick(given.verify_token, secrets, "verify_token");
    for (k, v) in [
        (id_key, &id),
        ("access_token", &access_token),
        ("app_secret", &app_secret),
        ("verify_token", &verify_token),
    ] {
        if v.is_empty() {
            return Err(ApiError::invalid(format!(
                "O campo meta.{k} é obrigatório."
            )));
        }
    }
    if !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::invalid(format!(
            "meta.{id_key} é o número que a Meta mostra para a conta."
        )));
    }
    Ok(Credentials {
        external_id: id.clone(),
        settings: json!({ id_key: id }),
        secrets: json!({"access_token": access_token, "app_secret": app_secret, "verify_token": verify_token}),
    })
}

/// The product's name as people know it.
pub(super) fn label(product: Product) -> &'static str {
    match product {
        Product::Messenger => "Messenger",
        Product::Instagram => "Instagram",
    }
}
