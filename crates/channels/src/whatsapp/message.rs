//! The normalized inbound message (channels.md §1.4).

use serde_json::Value;

use super::json::{bool_at, str_at, value_at};
use super::status::WaError;
pub use crate::inbound::{Content, Context, MediaKind};

/// One element of a webhook's `messages[]`, normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    /// `metadata.phone_number_id` of the change: the number that received it
    /// (`""` if absent). Route on this, one endpoint serves many numbers.
    pub phone_number_id: String,
    /// `metadata.display_phone_number` of the change.
    pub display_phone_number: Option<String>,
    /// `messages[].id`, the opaque `wamid.…`; the deduplication key.
    pub wamid: String,
    /// The sender's phone digits (`wa_id`); may be absent under BSUID.
    pub from: Option<String>,
    /// The sender's business-scoped user id (BSUID), e.g. `US.1349…`.
    pub from_user_id: Option<String>,
    /// The sender's parent BSUID, e.g. `US.ENT.…`.
    pub from_parent_user_id: Option<String>,
    /// `profile.name` of the matching entry of `contacts[]`.
    pub profile_name: Option<String>,
    /// `profile.username` of the matching entry of `contacts[]`.
    pub username: Option<String>,
    /// Unix seconds (0 if absent or unreadable).
    pub timestamp: i64,
    /// What the message carries.
    pub content: Content,
    /// Quoted message, forward flags or product enquiry.
    pub context: Option<Context>,
    /// Click-to-WhatsApp ad or post referral, verbatim.
    pub referral: Option<Value>,
    /// Message-level errors (e.g. 131051 on `unsupported`, media download).
    pub errors: Vec<WaError>,
    /// The `messages[]` object verbatim, for storage and placeholders.
    pub raw: Value,
}

impl Context {
    /// Reads a `context` object; `None` when it carries nothing known.
    pub(crate) fn from_value(v: &Value) -> Option<Self> {
        let ctx = Self {
            from: str_at(v, "from"),
            id: str_at(v, "id"),
            forwarded: bool_at(v, "forwarded"),
            frequently_forwarded: bool_at(v, "frequently_forwarded"),
            referred_product: value_at(v, "referred_product"),
        };
        let empty = ctx.from.is_none()
            && ctx.id.is_none()
            && !ctx.forwarded
            && !ctx.frequently_forwarded
            && ctx.referred_product.is_none();
        (!empty).then_some(ctx)
    }
}
