//! A WhatsApp inbox's credentials: the API's `whatsapp` object (all five
//! for a new inbox; some of them to replace on an existing one), checked
//! and split into what the store keeps: the phone number id the webhook
//! routes by, the public settings and the secrets.

use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::channel::Credentials;
use crate::error::{ApiError, ApiResult, Code};

/// WhatsApp Cloud API credentials of one phone number.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatsappConfig {
    #[schema(min_length = 1, pattern = r"\S")]
    pub phone_number_id: String,
    #[schema(min_length = 1, pattern = r"\S")]
    pub waba_id: String,
    #[schema(min_length = 1, pattern = r"\S")]
    pub access_token: String,
    #[schema(min_length = 1, pattern = r"\S")]
    pub app_secret: String,
    #[schema(min_length = 1, pattern = r"\S")]
    pub verify_token: String,
}

/// Some WhatsApp credentials of an inbox; the others stay as they are.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct WhatsappPatch {
    pub phone_number_id: Option<String>,
    pub waba_id: Option<String>,
    pub access_token: Option<String>,
    pub app_secret: Option<String>,
    pub verify_token: Option<String>,
}

impl WhatsappPatch {
    /// The inbox's credentials with this patch applied: blank or absent
    /// fields keep their stored values.
    fn over(self, settings: &Value, secrets: &Value) -> WhatsappConfig {
        let pick = |new: Option<String>, old: &Value, key: &str| {
            new.filter(|v| !v.trim().is_empty()).unwrap_or_else(|| {
                old.get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            })
        };
        WhatsappConfig {
            phone_number_id: pick(self.phone_number_id, settings, "phone_number_id"),
            waba_id: pick(self.waba_id, settings, "waba_id"),
            access_token: pick(self.access_token, secrets, "access_token"),
            app_secret: pick(self.app_secret, secrets, "app_secret"),
            verify_token: pick(self.verify_token, secrets, "verify_token"),
        }
    }
}

/// The credentials `given` for a new inbox, or over the `current` ones.
pub(super) fn credentials(
    given: Value,
    current: Option<(&Value, &Value)>,
) -> ApiResult<Credentials> {
    // As a malformed request body is answered (the object is part of it).
    let malformed = |e: serde_json::Error| {
        ApiError::new(
            Code::InvalidBody,
            format!("Credenciais em \"whatsapp\": {e}."),
        )
    };
    let w = match current {
        None => serde_json::from_value::<WhatsappConfig>(given).map_err(malformed)?,
        Some((settings, secrets)) => serde_json::from_value::<WhatsappPatch>(given)
            .map_err(malformed)?
            .over(settings, secrets),
    };
    for (k, v) in [
        ("phone_number_id", &w.phone_number_id),
        ("waba_id", &w.waba_id),
        ("access_token", &w.access_token),
        ("app_secret", &w.app_secret),
        ("verify_token", &w.verify_token),
    ] {
        if v.trim().is_empty() {
            return Err(ApiError::invalid(format!(
                "O campo whatsapp.{k} é obrigatório."
            )));
        }
    }
    let pid = w.phone_number_id.trim().to_string();
    Ok(Credentials {
        external_id: pid.clone(),
        settings: json!({"phone_number_id": pid, "waba_id": w.waba_id.trim()}),
        secrets: json!({"access_token": w.access_token.trim(), "app_secret": w.app_secret.trim(), "verify_token": w.verify_token.trim()}),
    })
}
