//! The data of a full conversation history (RP-1), as the caller hands it
//! to [`history_pdf`](crate::history_pdf).
//!
//! Times are [`NaiveDateTime`]s already converted to the wall-clock time of
//! the zone named by [`History::time_zone`]: the caller (who knows the
//! organisation's zone) converts, this crate only formats them the pt-BR way
//! (`24/02/2026 13:30`).

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Everything one contact said and was told in a period: the bot's and the
/// humans' messages, the attendances with their protocols, system lines and,
/// when asked for, internal notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Who the history is about.
    pub contact: Contact,
    /// First day of the period (inclusive), in the report's zone.
    pub from: NaiveDate,
    /// Last day of the period (inclusive), in the report's zone.
    pub to: NaiveDate,
    /// When the report was generated, in the report's zone.
    pub generated_at: NaiveDateTime,
    /// How the zone of every time in the report is named to the reader,
    /// e.g. `"horário de Brasília (UTC−03:00)"`.
    pub time_zone: String,
    /// Whether internal notes are printed. When `false` every message with
    /// `internal: true` is left out (and not counted), whatever the caller
    /// put in `items`.
    pub include_internal: bool,
    /// Messages and attendance events. They are printed in time order; items
    /// with the same time keep the order they have here.
    pub items: Vec<Item>,
}

/// The contact's identification printed in the header. Absent fields are
/// printed as "—".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    /// Display name.
    pub name: String,
    /// Phone, already formatted for reading (e.g. `+55 11 98765-4321`).
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// The contact's identifier in Atende.
    pub id: String,
}

/// One line of the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Item {
    /// An attendance was opened or closed.
    Attendance(AttendanceEvent),
    /// A message from the contact, the bot, an agent or the system.
    Message(Message),
}

impl Item {
    /// When it happened.
    pub fn at(&self) -> NaiveDateTime {
        match self {
            Item::Attendance(a) => a.at,
            Item::Message(m) => m.at,
        }
    }
}

/// Whether an attendance starts or ends at this point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceState {
    /// The attendance was opened (a protocol was issued).
    Opened,
    /// The attendance was closed.
    Closed,
}

/// The opening or closing of an attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceEvent {
    /// Opened or closed.
    pub state: AttendanceState,
    /// The attendance's protocol number (17 digits), as shown to the contact.
    pub protocol: String,
    /// When it was opened or closed.
    pub at: NaiveDateTime,
    /// The department the attendance was in.
    pub department: Option<String>,
    /// The agent assigned to it at that moment.
    pub agent: Option<String>,
    /// Who opened or closed it (an agent's name, "Bot", "Cliente", …).
    pub by: Option<String>,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorKind {
    /// The contact (customer).
    Contact,
    /// The bot running a flow.
    Bot,
    /// A human agent.
    Agent,
    /// Atende itself: transfers, warnings such as
    /// "--- Mensagem template não enviada, verifique o fluxo ---".
    System,
}

/// A message of the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// When it was sent or received.
    pub at: NaiveDateTime,
    /// Who wrote it.
    pub author: AuthorKind,
    /// The author's name; when absent, the kind is printed ("Cliente",
    /// "Bot", "Atendente").
    pub author_name: Option<String>,
    /// The text as written. It is printed literally, never read as markup.
    pub text: String,
    /// An internal note, seen only by agents. Printed only when
    /// [`History::include_internal`] is set, marked "Nota interna".
    pub internal: bool,
    /// An attached file, printed as a link.
    pub media: Option<MediaLink>,
    /// The channel it came or went through ("WhatsApp", "Telegram",
    /// "Webchat"…), printed with its author.
    #[serde(default)]
    pub channel: Option<String>,
}

/// A link to a message's file. Links are temporary: the PDF says they
/// expire 72 hours after it was generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaLink {
    /// What kind of file it is.
    pub kind: MediaKind,
    /// The file name shown as the link's text.
    pub name: String,
    /// Where to download it. Only `http(s)` URLs become links; anything else
    /// prints the name without a link.
    pub url: String,
}

/// The kind of an attached file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// A photo or picture.
    Image,
    /// A video.
    Video,
    /// A voice message or audio file.
    Audio,
    /// A document (PDF, spreadsheet, …).
    Document,
    /// A sticker.
    Sticker,
    /// Anything else.
    File,
}

impl MediaKind {
    /// The pt-BR label.
    pub fn label(self) -> &'static str {
        match self {
            MediaKind::Image => "Imagem",
            MediaKind::Video => "Vídeo",
            MediaKind::Audio => "Áudio",
            MediaKind::Document => "Documento",
            MediaKind::Sticker => "Figurinha",
            MediaKind::File => "Arquivo",
        }
    }
}
