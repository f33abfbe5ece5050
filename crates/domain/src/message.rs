//! Vocabulary of messages and channels: direction, author, content kind,
//! delivery receipts and the types of custom contact fields.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::macros::named_enum;
use crate::{Cnpj, Cpf, DomainError, Email, PhoneE164, Result};

named_enum! {
    /// Whether a message came from the contact or went to them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Direction ("direção") {
        /// From the contact.
        In = "in",
        /// To the contact.
        Out = "out",
    }
}

named_enum! {
    /// Who wrote a message.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum AuthorKind ("autor") {
        /// The contact.
        Contact = "contact",
        /// A bot flow.
        Bot = "bot",
        /// A user of the platform.
        Agent = "agent",
        /// The platform itself (assignment lines, notices).
        System = "system",
    }
}

named_enum! {
    /// What a message carries.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ContentKind ("tipo de conteúdo") {
        /// Plain text.
        Text = "text",
        /// A picture.
        Image = "image",
        /// Audio or a voice note.
        Audio = "audio",
        /// A video.
        Video = "video",
        /// A file.
        Document = "document",
        /// A sticker.
        Sticker = "sticker",
        /// A location pin.
        Location = "location",
        /// One or more contact cards.
        Contacts = "contacts",
        /// A WhatsApp template message.
        Template = "template",
        /// Buttons or a list menu, or the contact's answer to one.
        Interactive = "interactive",
        /// An emoji reaction to another message.
        Reaction = "reaction",
        /// The contact mentioned the business in an Instagram story.
        StoryMention = "story_mention",
        /// Anything the platform cannot show.
        Unsupported = "unsupported",
    }
}

named_enum! {
    /// Delivery state of an outbound message. Do not compare with `<`: use
    /// [`ReceiptStatus::advance`], which knows the rule for `Failed`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ReceiptStatus ("status de entrega") {
        /// Stored, not yet handed to the provider.
        Queued = "queued",
        /// Accepted by the provider.
        Sent = "sent",
        /// Reached the contact's device (grey check).
        Delivered = "delivered",
        /// Read by the contact (green check).
        Read = "read",
        /// Refused by the provider (red ✕ with its code and text).
        Failed = "failed",
    }
}

impl ReceiptStatus {
    /// Progress along `queued 0 < sent 1 < delivered 2 < read 3`. `Failed`
    /// answers the send, so it ranks with `Sent` (1); its own rule is in
    /// [`Self::advance`].
    pub const fn rank(self) -> u8 {
        match self {
            Self::Queued => 0,
            Self::Sent | Self::Failed => 1,
            Self::Delivered => 2,
            Self::Read => 3,
        }
    }

    /// The status after a report of `next`, or `None` if the report must be
    /// ignored. Statuses only move forward (status webhooks arrive out of
    /// order, so `delivered` after `read` is dropped). `Failed` may follow
    /// `Queued` or `Sent`; after `Failed`, a later `Delivered` or `Read` is
    /// accepted because the provider says the message did arrive.
    pub const fn advance(self, next: ReceiptStatus) -> Option<ReceiptStatus> {
        let moves = match (self, next) {
            (Self::Queued | Self::Sent, Self::Failed) => true,
            (_, Self::Failed) => false,
            (Self::Failed, Self::Delivered | Self::Read) => true,
            (Self::Failed, _) => false,
            _ => next.rank() > self.rank(),
        };
        if moves { Some(next) } else { None }
    }
}

named_enum! {
    /// The kind of channel an inbox connects.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ChannelKind ("canal") {
        /// WhatsApp Business Cloud API.
        Whatsapp = "whatsapp",
        /// Instagram Direct.
        Instagram = "instagram",
        /// Facebook Messenger.
        Messenger = "messenger",
        /// Telegram bot.
        Telegram = "telegram",
        /// The web-chat widget.
        Widget = "widget",
    }
}

impl ChannelKind {
    /// The channel's name as people know it.
    pub const fn label(self) -> &'static str {
        match self {
            ChannelKind::Whatsapp => "WhatsApp",
            ChannelKind::Instagram => "Instagram",
            ChannelKind::Messenger => "Messenger",
            ChannelKind::Telegram => "Telegram",
            ChannelKind::Widget => "Webchat",
        }
    }

    /// Whether the channel limits free-form replies to a window after the
    /// contact's last message (CH-5: WhatsApp's 24 h; Meta's 24 h, and 7
    /// days for a person's reply). Telegram and the widget have none.
    pub const fn has_session_window(self) -> bool {
        matches!(
            self,
            ChannelKind::Whatsapp | ChannelKind::Instagram | ChannelKind::Messenger
        )
    }

    /// How long after the contact's last message a person (not a bot) may
    /// still reply free-form, when longer than the session window: Meta's
    /// `HUMAN_AGENT` tag, 7 days (channels.md §2.5).
    pub const fn human_reply_hours(self) -> Option<i64> {
        match self {
            ChannelKind::Instagram | ChannelKind::Messenger => Some(7 * 24),
            _ => None,
        }
    }
}

named_enum! {
    /// The type of a custom contact field; it decides which values it takes.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum CustomFieldType ("tipo de campo") {
        /// Any text.
        Text = "text",
        /// A number (`.` as decimal separator).
        Number = "number",
        /// A date `AAAA-MM-DD`.
        Date = "date",
        /// `true` or `false`.
        Boolean = "boolean",
        /// An e-mail address.
        Email = "email",
        /// A phone number.
        Phone = "phone",
        /// A CPF.
        Cpf = "cpf",
        /// A CNPJ.
        Cnpj = "cnpj",
        /// An image URL or stored path (usable as `{campo}` to send it).
        Image = "image",
        /// One of the field's options.
        Option = "option",
    }
}

impl CustomFieldType {
    /// Checks a value (in its text form) against the type. E-mail, phone,
    /// CPF and CNPJ use their parsers and return their errors; the others
    /// return [`DomainError::InvalidValue`]. Whether an `Option` value is one
    /// of the field's options is checked by the caller, who knows them.
    pub fn validate(&self, value: &str) -> Result<()> {
        let trimmed = value.trim();
        let invalid = |reason: &str| Err(DomainError::invalid_value(self.label_pt(), reason));
        match self {
            Self::Text => Ok(()),
            Self::Number => match trimmed.parse::<f64>() {
                Ok(n) if n.is_finite() => Ok(()),
                _ => invalid("não é um número (use ponto como separador decimal)"),
            },
            Self::Date if is_iso_date(trimmed) => Ok(()),
            Self::Date => invalid("use uma data válida no formato AAAA-MM-DD"),
            Self::Boolean if matches!(trimmed, "true" | "false") => Ok(()),
            Self::Boolean => invalid("use true ou false"),
            Self::Email => Email::parse(value).map(drop),
            Self::Phone => PhoneE164::parse_br(value).map(drop),
            Self::Cpf => Cpf::parse(value).map(drop),
            Self::Cnpj => Cnpj::parse(value).map(drop),
            Self::Image | Self::Option if trimmed.is_empty() => invalid("não pode ficar vazio"),
            Self::Image | Self::Option => Ok(()),
        }
    }

    /// The type's name in the field editor.
    pub const fn label_pt(self) -> &'static str {
        match self {
            Self::Text => "texto",
            Self::Number => "número",
            Self::Date => "data",
            Self::Boolean => "sim/não",
            Self::Email => "e-mail",
            Self::Phone => "telefone",
            Self::Cpf => "CPF",
            Self::Cnpj => "CNPJ",
            Self::Image => "imagem",
            Self::Option => "opção",
        }
    }
}

/// `AAAA-MM-DD` exactly (chrono alone would also take `2025-1-5`).
fn is_iso_date(text: &str) -> bool {
    let shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shape && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

#[cfg(test)]
mod tests;
