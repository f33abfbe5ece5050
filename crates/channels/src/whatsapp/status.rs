//! Delivery statuses, WhatsApp errors and template status webhooks
//! (channels.md §1.5, §1.6, §1.9).

use serde_json::Value;

use super::json::{array_at, i64_of, id_at, str_at, timestamp_at, value_at};

/// The `code` given to a [`WaError`] that arrived without a readable code.
///
/// Not a Meta code; it classifies as [`crate::ErrorClass::Permanent`], so a
/// malformed error never triggers a reauthorization (code 0 would).
pub const UNKNOWN_ERROR_CODE: i64 = -1;

/// Delivery status of a message we sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaStatus {
    /// Accepted by WhatsApp's servers.
    Sent,
    /// Delivered to the user's device (may be skipped before `Read`).
    Delivered,
    /// Read by the user; implies delivered.
    Read,
    /// A voice note played for the first time.
    Played,
    /// Not delivered; see the errors.
    Failed,
}

impl WaStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            WaStatus::Sent => "sent",
            WaStatus::Delivered => "delivered",
            WaStatus::Read => "read",
            WaStatus::Played => "played",
            WaStatus::Failed => "failed",
        }
    }

    /// The status with the given wire name; `None` for unknown names.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Sent,
            Self::Delivered,
            Self::Read,
            Self::Played,
            Self::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// One element of a webhook's `statuses[]`.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusUpdate {
    /// `metadata.phone_number_id` of the change (`""` if absent).
    pub phone_number_id: String,
    /// `wamid` of the message the status is about.
    pub wamid: String,
    /// The new status.
    pub status: WaStatus,
    /// Unix seconds (0 if absent or unreadable).
    pub timestamp: i64,
    /// Recipient phone digits (or group id).
    pub recipient_id: Option<String>,
    /// Recipient BSUID, when the user has one.
    pub recipient_user_id: Option<String>,
    /// Why a `failed` status failed.
    pub errors: Vec<WaError>,
    /// The `pricing` object verbatim; never hard-code pricing on it.
    pub pricing: Option<Value>,
    /// The `conversation` object verbatim (optional under per-message pricing).
    pub conversation: Option<Value>,
    /// Echo of the `biz_opaque_callback_data` we sent.
    pub biz_opaque_callback_data: Option<String>,
}

/// An error reported by WhatsApp in a webhook (`errors[]`): `code` is
/// [`UNKNOWN_ERROR_CODE`] when the payload had none, `details` is
/// `error_data.details` (or `error_data` itself when it is a plain string).
pub type WaError = crate::inbound::ProviderError;

impl WaError {
    /// Reads one error object; `None` when it is not an object.
    pub(crate) fn from_value(v: &Value) -> Option<Self> {
        if !v.is_object() {
            return None;
        }
        let details = match v.get("error_data") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(data) => str_at(data, "details"),
            None => None,
        };
        Some(Self {
            code: v.get("code").and_then(i64_of).unwrap_or(UNKNOWN_ERROR_CODE),
            title: str_at(v, "title"),
            message: str_at(v, "message"),
            details,
        })
    }

    /// Every error of the `errors[]` array at `v.errors`, in order.
    pub(crate) fn list(v: &Value) -> Vec<Self> {
        array_at(v, "errors")
            .iter()
            .filter_map(Self::from_value)
            .collect()
    }
}

impl StatusUpdate {
    /// Reads one `statuses[]` element. `None` (skip it) when it has no id or
    /// its status is not one we know: a future status must not break a batch.
    pub(crate) fn from_value(phone_number_id: &str, v: &Value) -> Option<Self> {
        let wamid = id_at(v, "id")?;
        let status = WaStatus::parse(v.get("status")?.as_str()?)?;
        Some(Self {
            phone_number_id: phone_number_id.to_owned(),
            wamid,
            status,
            timestamp: timestamp_at(v, "timestamp"),
            recipient_id: id_at(v, "recipient_id"),
            recipient_user_id: str_at(v, "recipient_user_id"),
            errors: WaError::list(v),
            pricing: value_at(v, "pricing"),
            conversation: value_at(v, "conversation"),
            biz_opaque_callback_data: str_at(v, "biz_opaque_callback_data"),
        })
    }
}

/// A `message_template_status_update` change: a template was approved,
/// rejected, paused, disabled…
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateStatusUpdate {
    /// The WABA id (`entry.id`).
    pub waba_id: Option<String>,
    /// The new status, e.g. `APPROVED`, `REJECTED`, `PAUSED`.
    pub event: Option<String>,
    /// `message_template_id` (an int64 number on the wire) as a string.
    pub template_id: Option<String>,
    /// `message_template_name`.
    pub name: Option<String>,
    /// `message_template_language`, e.g. `pt_BR`.
    pub language: Option<String>,
    /// Rejection reason, e.g. `NONE`, `INVALID_FORMAT`.
    pub reason: Option<String>,
    /// `message_template_category`.
    pub category: Option<String>,
    /// The change's `value` verbatim (`disable_info`, `rejection_info`, …).
    pub raw: Value,
}

impl TemplateStatusUpdate {
    /// Reads the `value` of a `message_template_status_update` change.
    pub(crate) fn from_value(waba_id: Option<&str>, v: &Value) -> Self {
        Self {
            waba_id: waba_id.map(str::to_owned),
            event: str_at(v, "event"),
            template_id: id_at(v, "message_template_id"),
            name: str_at(v, "message_template_name"),
            language: str_at(v, "message_template_language"),
            reason: str_at(v, "reason"),
            category: str_at(v, "message_template_category"),
            raw: v.clone(),
        }
    }
}
