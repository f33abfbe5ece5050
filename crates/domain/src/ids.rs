//! Typed identifiers. Each is a UUID (v7 when generated here, so ids sort by
//! creation time and index well) wrapped in its own type, so a `ContactId`
//! cannot be passed where a `ConversationId` is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::DomainError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered (UUID v7) id.
            #[must_use]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// The underlying UUID.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            /// Same as [`Self::new`]: a fresh id, never the nil UUID.
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = DomainError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim())
                    .map(Self)
                    .map_err(|_| DomainError::InvalidId { kind: $kind })
            }
        }

        impl From<Uuid> for $name {
            fn from(value: Uuid) -> Self {
                Self(value)
            }
        }

        impl From<$name> for Uuid {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

id_type!(
    /// A customer organization (tenant); resellers and agencies own others.
    OrgId,
    "organização"
);
id_type!(
    /// A user (admin, manager or agent) of an organization.
    UserId,
    "usuário"
);
id_type!(
    /// A department (team) that chats are forwarded to.
    DepartmentId,
    "departamento"
);
id_type!(
    /// An inbox: one connected channel account (a WhatsApp number, a page…).
    InboxId,
    "caixa de entrada"
);
id_type!(
    /// A contact (customer) of an organization.
    ContactId,
    "contato"
);
id_type!(
    /// A conversation: the thread between one contact and one inbox.
    ConversationId,
    "conversa"
);
id_type!(
    /// An attendance: one service episode inside a conversation, with a protocol.
    AttendanceId,
    "atendimento"
);
id_type!(
    /// A message of a conversation.
    MessageId,
    "mensagem"
);
id_type!(
    /// A tag (etiqueta) that can be put on contacts and chats.
    TagId,
    "etiqueta"
);
id_type!(
    /// A category of ready responses (LC-20).
    ReadyCategoryId,
    "categoria de respostas prontas"
);
id_type!(
    /// A ready response (LC-20): a short text agents insert in the composer.
    ReadyResponseId,
    "resposta pronta"
);
id_type!(
    /// A custom contact field defined by an organization.
    CustomFieldId,
    "campo personalizado"
);
id_type!(
    /// A campaign (LC-2): the marketing action a chat came from, such as a
    /// click-to-WhatsApp ad or (later) a broadcast.
    CampaignId,
    "campanha"
);
id_type!(
    /// An API token of a user, for integrations.
    ApiTokenId,
    "token de API"
);
id_type!(
    /// A bot flow (FL-1) of an organization.
    FlowId,
    "fluxo"
);
id_type!(
    /// A run of a bot flow for a contact on an inbox (FL-3).
    FlowRunId,
    "execução de fluxo"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_v7_and_distinct() {
        let a = ConversationId::new();
        let b = ConversationId::new();
        assert_ne!(a, b);
        assert_eq!(a.0.get_version_num(), 7);
        assert_ne!(OrgId::default().0, Uuid::nil());
    }

    #[test]
    fn text_round_trip() {
        let text = "0199a3b2-7c4e-7d10-8f00-1234567890ab";
        let id: ContactId = text.parse().expect("valid uuid");
        assert_eq!(id.to_string(), text);
        assert_eq!(Uuid::from(id), Uuid::parse_str(text).expect("uuid"));
        assert_eq!(ContactId::from(id.0), id);
    }

    #[test]
    fn bad_text_is_refused_with_kind() {
        let cases = [
            ("", "conversa"),
            ("12345", "conversa"),
            ("not-a-uuid", "conversa"),
        ];
        for (input, kind) in cases {
            assert_eq!(
                input.parse::<ConversationId>(),
                Err(DomainError::InvalidId { kind }),
                "{input:?}"
            );
        }
    }

    #[test]
    fn serde_is_transparent() {
        let id = MessageId(Uuid::parse_str("0199a3b2-7c4e-7d10-8f00-1234567890ab").expect("uuid"));
        let json = serde_json::to_string(&id).expect("serializes");
        assert_eq!(json, "\"0199a3b2-7c4e-7d10-8f00-1234567890ab\"");
        assert_eq!(
            serde_json::from_str::<MessageId>(&json).expect("parses"),
            id
        );
    }

    #[test]
    fn ids_order_by_creation_time() {
        let first = AttendanceId::new();
        let second = AttendanceId::new();
        assert!(first < second, "v7 ids generated later sort later");
    }
}
