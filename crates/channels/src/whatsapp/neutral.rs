//! WhatsApp's events in Atende's channel-neutral vocabulary
//! ([`crate::inbound`]).

use super::message::InboundMessage;
use super::status::{StatusUpdate, TemplateStatusUpdate, WaStatus};
use super::webhook::Event;
use crate::inbound::{Delivery, Inbound, Message, Receipt, Sender, TemplateStatus};

impl From<Event> for Inbound {
    fn from(event: Event) -> Inbound {
        match event {
            Event::Message(m) => Inbound::Message(m.into()),
            Event::Status(s) => Inbound::Receipt(s.into()),
            Event::TemplateStatus(t) => Inbound::TemplateStatus(t.into()),
            Event::ValueErrors {
                phone_number_id,
                errors,
            } => Inbound::Problem {
                address: phone_number_id,
                errors,
            },
            Event::Ignored { field } => Inbound::Ignored { what: field },
        }
    }
}

impl From<InboundMessage> for Message {
    /// The contact is keyed on the phone (`wa_id`) when present, else on the
    /// business-scoped user id (BSUID); a BSUID next to the phone is an alias
    /// of the same contact.
    fn from(m: InboundMessage) -> Message {
        let alias = m
            .from_user_id
            .clone()
            .filter(|b| Some(b) != m.from.as_ref());
        Message {
            address: m.phone_number_id,
            own_number: m.display_phone_number,
            id: m.wamid,
            sender: Sender {
                key: m.from.clone().or(m.from_user_id),
                phone: m.from,
                alias,
                name: m.profile_name,
                username: m.username,
            },
            timestamp: m.timestamp,
            content: m.content,
            context: m.context,
            referral: m.referral,
            errors: m.errors,
            raw: m.raw,
        }
    }
}

impl From<StatusUpdate> for Receipt {
    fn from(s: StatusUpdate) -> Receipt {
        Receipt {
            address: s.phone_number_id,
            id: s.wamid,
            state: match s.status {
                WaStatus::Sent => Delivery::Sent,
                WaStatus::Delivered => Delivery::Delivered,
                WaStatus::Read | WaStatus::Played => Delivery::Read,
                WaStatus::Failed => Delivery::Failed,
            },
            recipient: s.recipient_id.or(s.recipient_user_id),
            timestamp: s.timestamp,
            errors: s.errors,
            callback: s.biz_opaque_callback_data,
        }
    }
}

impl From<TemplateStatusUpdate> for TemplateStatus {
    fn from(t: TemplateStatusUpdate) -> TemplateStatus {
        TemplateStatus {
            account: t.waba_id,
            status: t.event,
            template_id: t.template_id,
            name: t.name,
            language: t.language,
            reason: t.reason,
        }
    }
}
