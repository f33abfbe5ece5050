//! The payload of each event kind (see [`super::ChatEvent`]). Every
//! payload refuses fields it does not know, so the OpenAPI document says
//! `additionalProperties: false` and a drift between what the server sends
//! and what it documents fails the tests that check frames against it.

use atende_domain::{
    AttendanceId, CampaignId, ContactId, ConversationId, CustomFieldId, DepartmentId, FlowId,
    InboxId, MessageId, ReadyCategoryId, ReadyResponseId, TagId, UserId,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::Millis;
use crate::chats::{Contact, Conversation};

/// A message as events carry it: the stored row without the provider's raw
/// payload (clients that need it read the message).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = EventMessage)]
pub struct EventMessage {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub inbox_id: InboxId,
    /// `in` or `out`.
    pub direction: String,
    /// `contact`, `agent`, `bot` or `system`.
    pub author_kind: String,
    pub author_id: Option<UserId>,
    pub internal: bool,
    /// `text`, `image`, `template`… (as `MessageOut.kind`).
    pub kind: String,
    pub text: Option<String>,
    /// The content's details (as `MessageOut.payload`, without `raw`).
    #[schema(value_type = Object)]
    pub payload: Map<String, Value>,
    /// `queued`, `sent`, `delivered`, `read` or `failed`.
    pub status: String,
    pub provider_id: Option<String>,
    pub error_code: Option<String>,
    pub error_text: Option<String>,
    /// Epoch milliseconds.
    #[schema(value_type = i64)]
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageCreated {
    pub message: EventMessage,
}

/// What changed in a message: its delivery status, or its payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageUpdated {
    pub message_id: MessageId,
    pub conversation_id: ConversationId,
    /// The new delivery status (receipt changes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_text: Option<String>,
    /// The new text (the contact edited the message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The new payload (reactions, edits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub payload: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MediaUpdated {
    pub message_id: MessageId,
    #[schema(value_type = String, format = Uuid)]
    pub media_id: Uuid,
    /// `pending`, `ready`, `failed`… (as `MediaOut.status`).
    pub status: String,
    pub mime_type: Option<String>,
    pub size: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationCreated {
    pub conversation: Conversation,
}

/// A chat's assignment after a change, and who made it (none: the system).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub conversation_id: ConversationId,
    pub department_id: Option<DepartmentId>,
    pub agent_id: Option<UserId>,
    pub by: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnreadCount {
    pub conversation_id: ConversationId,
    pub unread: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationTagged {
    pub conversation_id: ConversationId,
    pub tags: Vec<TagId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationCampaign {
    pub conversation_id: ConversationId,
    /// None: the chat has no campaign now.
    pub campaign_id: Option<CampaignId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationFlow {
    pub conversation_id: ConversationId,
    pub flow_running: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequested {
    pub conversation_id: ConversationId,
    /// The agent serving the chat, who is asked.
    pub agent_id: UserId,
    pub requested_by: UserId,
    pub requested_by_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceOpened {
    pub conversation_id: ConversationId,
    pub attendance_id: AttendanceId,
    pub protocol: String,
    pub department_id: Option<DepartmentId>,
    pub agent_id: Option<UserId>,
    pub by: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceClosed {
    pub conversation_id: ConversationId,
    pub attendance_id: AttendanceId,
    pub protocol: Option<String>,
    pub by: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseScheduled {
    pub conversation_id: ConversationId,
    pub attendance_id: AttendanceId,
    /// When the closing is due, epoch milliseconds.
    #[schema(value_type = i64)]
    pub close_at: Millis,
    /// Whether a reply from the contact keeps the closing (LC-12).
    pub keep_on_reply: bool,
    pub by: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseCancelled {
    pub conversation_id: ConversationId,
    pub attendance_id: AttendanceId,
    pub by: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactCreated {
    pub contact: Contact,
}

/// A contact changed. Edits by hand go to each of its chats (with the
/// chat's id, the changed field names and the block state); a name the
/// channel's profile brought goes once, without them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactUpdated {
    pub contact_id: ContactId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<ConversationId>,
    /// The names of the fields that changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserCreated {
    pub user_id: UserId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdated {
    pub user_id: UserId,
    pub name: String,
    /// `online`, `paused`, `invisible` or `offline` (every socket gone for
    /// the organization's `away_minutes`). Another user's `invisible`
    /// reaches colleagues as `offline` (LC-19).
    pub status: String,
    /// Why they paused, when they gave a reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// Since when the status holds (epoch milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_since: Option<i64>,
}

impl UserUpdated {
    /// The event telling others how `u` shows now.
    pub fn of(u: &crate::accounts::User) -> Self {
        UserUpdated {
            user_id: u.id,
            name: u.name.clone(),
            status: u.presence().to_string(),
            status_reason: u.status_reason.clone(),
            status_since: u.status_since,
        }
    }
}

/// A record with an id and a name (departments, campaigns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Named {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentUpdated {
    pub id: DepartmentId,
    pub name: String,
    /// The new distribution, when it changed.
    pub distribution: Option<String>,
}

/// The id of a deleted record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Deleted {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    pub department_id: DepartmentId,
    pub user_id: UserId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InboxCreated {
    pub id: InboxId,
    pub name: String,
    /// The channel kind (`whatsapp`…).
    pub channel: String,
}

/// What changed in an inbox; absent fields did not change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InboxUpdated {
    pub id: InboxId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The number the provider reports for the inbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_phone_number: Option<String>,
    /// Whether the inbox needs new credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_reauth: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagChanged {
    pub id: TagId,
    pub name: String,
    pub color: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldChanged {
    pub id: CustomFieldId,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadyResponsesChanged {
    pub category_id: ReadyCategoryId,
    /// The response that changed (none: the category itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_id: Option<ReadyResponseId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateUpdated {
    pub inbox_id: InboxId,
    pub name: Option<String>,
    pub language: Option<String>,
    /// The provider's review status (`APPROVED`, `REJECTED`…).
    pub status: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplatesSynced {
    pub inbox_id: InboxId,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowPublished {
    pub flow_id: FlowId,
    pub version: i64,
    pub by: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportUpdated {
    #[schema(value_type = String, format = Uuid)]
    pub report_id: Uuid,
    /// `ready` or `failed`.
    pub status: String,
}
