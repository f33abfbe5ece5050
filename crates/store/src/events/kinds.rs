//! The kinds of event and their payloads, as one tagged enum: what a
//! transaction emits, what the events log keeps (the kind in its column,
//! the payload as JSON) and what clients receive (`{"kind", "payload"}`).
//! The OpenAPI document lists every kind with its payload, so clients
//! generate their types instead of parsing.
//!
//! Times in payloads are epoch milliseconds, as the store keeps them.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::payloads::*;

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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use serde_json::json;

    use atende_domain::ConversationId;
    use uuid::Uuid;

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
