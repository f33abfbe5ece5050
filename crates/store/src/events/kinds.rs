//! The kinds of event and their payloads, as one tagged enum: what a
//! transaction emits, what the events log keeps (the kind in its column,
//! the payload as JSON) and what clients receive (`{"kind", "payload"}`).
//! The OpenAPI document lists every kind with its payload, so clients
//! generate their types instead of parsing.
//!
//! Times in payloads are epoch milliseconds, as the store keeps them.

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

/// Declares [`ChatEvent`] from `Variant(Payload) = "kind"` lines, with
/// the kind of each variant and its payload's (de)serialization.
macro_rules! chat_events {
    ($($(#[$doc:meta])* $variant:ident($payload:ty) = $kind:tt,)*) => {
        /// One state change, as the events log keeps it and clients receive
        /// it: `{"kind": "message.created", "payload": {…}}`.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
        #[serde(tag = "kind", content = "payload")]
        pub enum ChatEvent {
            $($(#[$doc])* #[serde(rename = $kind)] $variant($payload),)*
        }

        impl ChatEvent {
            /// Every kind, in declaration order.
            pub const KINDS: &[&str] = &[$($kind),*];

            /// The kind, as stored and sent (`message.created`…).
            pub fn kind(&self) -> &'static str {
                match self {
                    $(ChatEvent::$variant(_) => $kind,)*
                }
            }

            /// Serializes the payload alone (the events log keeps the kind
            /// in its own column).
            fn serialize_payload<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(ChatEvent::$variant(p) => p.serialize(s),)*
                }
            }

            /// The event of a stored kind and payload.
            pub(crate) fn from_parts(kind: &str, payload: Value) -> serde_json::Result<Self> {
                match kind {
                    $($kind => serde_json::from_value(payload).map(ChatEvent::$variant),)*
                    other => Err(serde::de::Error::custom(format!("unknown event kind {other:?}"))),
                }
            }
        }
    };
}

/// An event's payload without its kind, serialized in place.
pub(crate) struct PayloadOf<'a>(pub(crate) &'a ChatEvent);

impl Serialize for PayloadOf<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_payload(s)
    }
}

chat_events! {
    /// A message was added to a chat (inbound, outbound, internal note or
    /// system line).
    MessageCreated(MessageCreated) = "message.created",
    /// A message's delivery status or its payload (reactions, edits) changed.
    MessageUpdated(MessageUpdated) = "message.updated",
    /// A message's file was linked, downloaded or failed.
    MediaUpdated(MediaUpdated) = "media.updated",
    /// A chat started (its first message or a new chat by an agent).
    ConversationCreated(ConversationCreated) = "conversation.created",
    /// A chat was given to a department or agent, or left the queue.
    ConversationAssigned(Assignment) = "conversation.assigned",
    /// Sent to the audience a chat leaves when it is reassigned (the event
    /// carries the old scope; the payload the new assignment).
    ConversationMoved(Assignment) = "conversation.moved",
    /// The chat was read (LC-7).
    ConversationRead(UnreadCount) = "conversation.read",
    /// The chat was marked unread (LC-7).
    ConversationUnread(UnreadCount) = "conversation.unread",
    /// The chat's tags after a change.
    ConversationTagged(ConversationTagged) = "conversation.tagged",
    /// The chat's campaign after a change (LC-2).
    ConversationCampaign(ConversationCampaign) = "conversation.campaign",
    /// A bot flow started or stopped running for the chat (LC-7).
    ConversationFlow(ConversationFlow) = "conversation.flow",
    /// A colleague asks the serving agent to hand the chat over (LC-18).
    TransferRequested(TransferRequested) = "conversation.transfer_requested",
    /// An attendance opened, with its protocol (AD-6).
    AttendanceOpened(AttendanceOpened) = "attendance.opened",
    /// The attendance closed (LC-11).
    AttendanceClosed(AttendanceClosed) = "attendance.closed",
    /// A closing was scheduled (LC-12).
    CloseScheduled(CloseScheduled) = "attendance.close_scheduled",
    /// A scheduled closing was cancelled.
    CloseCancelled(CloseCancelled) = "attendance.close_cancelled",
    /// A contact was created (first message, import or by hand).
    ContactCreated(ContactCreated) = "contact.created",
    /// A contact's name or fields changed.
    ContactUpdated(ContactUpdated) = "contact.updated",
    /// A user was created.
    UserCreated(UserCreated) = "user.created",
    /// A user's name or status changed.
    UserUpdated(UserUpdated) = "user.updated",
    /// A department was created.
    DepartmentCreated(Named) = "department.created",
    /// A department was renamed or its distribution changed.
    DepartmentUpdated(DepartmentUpdated) = "department.updated",
    /// A department was deleted.
    DepartmentDeleted(Deleted) = "department.deleted",
    /// A user joined a department.
    MemberAdded(Membership) = "department.member_added",
    /// A user left a department.
    MemberRemoved(Membership) = "department.member_removed",
    /// An inbox was created.
    InboxCreated(InboxCreated) = "inbox.created",
    /// An inbox's name, number or credentials state changed.
    InboxUpdated(InboxUpdated) = "inbox.updated",
    /// An inbox was deleted.
    InboxDeleted(Deleted) = "inbox.deleted",
    /// A tag was created.
    TagCreated(TagChanged) = "tag.created",
    /// A tag was renamed or recoloured.
    TagUpdated(TagChanged) = "tag.updated",
    /// A tag was deleted.
    TagDeleted(Deleted) = "tag.deleted",
    /// A custom field was created.
    FieldCreated(FieldChanged) = "custom_field.created",
    /// A custom field changed.
    FieldUpdated(FieldChanged) = "custom_field.updated",
    /// A custom field was deleted.
    FieldDeleted(Deleted) = "custom_field.deleted",
    /// A campaign was created.
    CampaignCreated(Named) = "campaign.created",
    /// A campaign was renamed.
    CampaignUpdated(Named) = "campaign.updated",
    /// A campaign was deleted.
    CampaignDeleted(Deleted) = "campaign.deleted",
    /// A ready response or its category changed (created, edited, deleted).
    ReadyResponsesChanged(ReadyResponsesChanged) = "ready_responses.changed",
    /// A template's review status changed at the provider.
    TemplateUpdated(TemplateUpdated) = "template.updated",
    /// An inbox's templates were read again from the provider.
    TemplatesSynced(TemplatesSynced) = "templates.synced",
    /// A flow version was published.
    FlowPublished(FlowPublished) = "flow.published",
    /// A requested report is ready or failed.
    ReportUpdated(ReportUpdated) = "report.updated",
}

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
    /// `online`, `paused`, `invisible` or `offline`. Another user's
    /// `invisible` reaches colleagues as `offline` (LC-19).
    pub status: String,
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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use serde_json::json;

    use super::*;

    fn read() -> ChatEvent {
        ChatEvent::ConversationRead(UnreadCount {
            conversation_id: ConversationId(Uuid::nil()),
            unread: 0,
        })
    }

    #[test]
    fn kinds_are_unique() {
        let kinds: HashSet<_> = ChatEvent::KINDS.iter().collect();
        assert_eq!(kinds.len(), ChatEvent::KINDS.len());
    }

    /// Clients get `{"kind", "payload"}`; the log keeps the payload alone
    /// and reads it back as the same event.
    #[test]
    fn an_event_is_its_kind_and_payload_on_the_wire_and_in_the_log() {
        let e = read();
        let payload = json!({"conversation_id": Uuid::nil(), "unread": 0});
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"kind": "conversation.read", "payload": payload})
        );
        let stored = serde_json::to_string(&PayloadOf(&e)).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&stored).unwrap(), payload);
        assert_eq!(ChatEvent::from_parts(e.kind(), payload).unwrap(), e);
    }

    /// What the log cannot read as one of the kinds is refused, not guessed.
    #[test]
    fn unknown_kinds_and_fields_are_refused() {
        assert!(ChatEvent::from_parts("conversation.renamed", json!({})).is_err());
        let extra = json!({"conversation_id": Uuid::nil(), "unread": 0, "extra": 1});
        assert!(ChatEvent::from_parts("conversation.read", extra).is_err());
        let missing = json!({"conversation_id": Uuid::nil()});
        assert!(ChatEvent::from_parts("conversation.read", missing).is_err());
    }
}
