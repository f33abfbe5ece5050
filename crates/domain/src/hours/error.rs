//! Why business hours were refused, naming the shift, day or date at
//! fault.

use std::fmt;

use chrono::NaiveDate;

use super::{ClockTime, DayOfWeek};
use crate::DomainError;

/// A shift as named in an error message: its position in `shifts` (from 1)
/// and its times, e.g. "turno 2 (13:30–18:00)".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShiftRef {
    /// Position in the `shifts` list, counting from 1.
    pub number: usize,
    /// The shift's `from`.
    pub from: ClockTime,
    /// The shift's `to`.
    pub to: ClockTime,
}

impl fmt::Display for ShiftRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "turno {} ({}–{})", self.number, self.from, self.to)
    }
}

/// Why business hours were refused. Messages are pt-BR and name the value at
/// fault: hours are an inbox's configuration, never personal data, so the
/// offending text is echoed (cut to 40 characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    /// A time zone that is not in the IANA database (names are
    /// case-sensitive).
    #[error("fuso horário desconhecido: \"{0}\"; use um nome IANA, como America/Sao_Paulo")]
    UnknownTimeZone(String),
    /// A time that is not `HH:MM` between `00:00` and `24:00`.
    #[error("horário inválido: \"{0}\"; use HH:MM, de 00:00 a 24:00")]
    InvalidTime(String),
    /// A shift with an empty `days`.
    #[error("turno {shift}: informe ao menos um dia da semana")]
    NoDays {
        /// Position of the shift, from 1.
        shift: usize,
    },
    /// A shift that lists a day twice.
    #[error("turno {shift}: o dia \"{day}\" aparece mais de uma vez")]
    RepeatedDay {
        /// Position of the shift, from 1.
        shift: usize,
        /// The repeated day.
        day: DayOfWeek,
    },
    /// A shift whose `to` is not after its `from`.
    #[error(
        "{shift}: o fim precisa ser depois do início; para atravessar a meia-noite, use dois turnos, um até 24:00 e outro a partir de 00:00"
    )]
    EndNotAfterStart {
        /// The shift.
        shift: ShiftRef,
    },
    /// Two shifts that share some minutes on a day.
    #[error("turnos sobrepostos {}: {first} e {second}", day.on_pt())]
    Overlap {
        /// The day they overlap on (the first one, in Monday-first order).
        day: DayOfWeek,
        /// The shift that starts first (or comes first in the list).
        first: ShiftRef,
        /// The other one.
        second: ShiftRef,
    },
    /// A date listed twice in `holidays`.
    #[error("feriado repetido: {}", date.format("%d/%m/%Y"))]
    RepeatedHoliday {
        /// The date.
        date: NaiveDate,
    },
}

/// So that callers handling [`DomainError`] get hours errors too, as
/// "valor inválido para horário de atendimento: …".
impl From<HoursError> for DomainError {
    fn from(error: HoursError) -> Self {
        DomainError::invalid_value("horário de atendimento", error.to_string())
    }
}
