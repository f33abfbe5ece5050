//! Business hours per inbox (LC-22): when the inbox is attended, and, when
//! it is not, when it opens next, so the bot can say it ("abrimos amanhã às
//! 08:00") and offer a callback.
//!
//! An inbox's hours are a time zone, weekly shifts and holidays:
//!
//! ```json
//! {
//!   "time_zone": "America/Sao_Paulo",
//!   "shifts": [
//!     {"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "12:00"},
//!     {"days": ["mon", "tue", "wed", "thu", "fri"], "from": "13:30", "to": "18:00"},
//!     {"days": ["sat"], "from": "08:00", "to": "12:00"}
//!   ],
//!   "holidays": [{"date": "2026-12-25", "name": "Natal"}]
//! }
//! ```
//!
//! Everything is evaluated on the wall clock of the inbox's zone, which is
//! what the business writes and what its customers read, so daylight saving
//! time needs no special case in the configuration: a shift "08:00–18:00" is
//! 08:00–18:00 local on both sides of a change. Only the instants at which a
//! local time does not exist (the hour skipped when clocks go forward) need a
//! rule: see [`BusinessHours::status`].

mod business_hours;
mod error;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::macros::named_enum;

pub use business_hours::BusinessHours;
pub use error::{HoursError, ShiftRef};

/// How far ahead [`BusinessHours::status`] and
/// [`BusinessHours::next_opening`] look for a change, in days. Longer than a
/// year, so a yearly closure (and any holiday list) fits in it.
pub const HORIZON_DAYS: u32 = 366;

/// Minutes in a day; also the value of [`ClockTime::END_OF_DAY`].
const DAY_MINUTES: u16 = 24 * 60;

named_enum! {
    /// A day of the week, as written in a shift's `days`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum DayOfWeek ("dia da semana") {
        /// Segunda-feira.
        Mon = "mon",
        /// Terça-feira.
        Tue = "tue",
        /// Quarta-feira.
        Wed = "wed",
        /// Quinta-feira.
        Thu = "thu",
        /// Sexta-feira.
        Fri = "fri",
        /// Sábado.
        Sat = "sat",
        /// Domingo.
        Sun = "sun",
    }
}

impl DayOfWeek {
    /// The name the bot says, lower case: "segunda-feira", …, "domingo".
    pub const fn name_pt(self) -> &'static str {
        match self {
            Self::Mon => "segunda-feira",
            Self::Tue => "terça-feira",
            Self::Wed => "quarta-feira",
            Self::Thu => "quinta-feira",
            Self::Fri => "sexta-feira",
            Self::Sat => "sábado",
            Self::Sun => "domingo",
        }
    }

    /// "na segunda-feira", "no sábado", "no domingo".
    pub const fn on_pt(self) -> &'static str {
        match self {
            Self::Mon => "na segunda-feira",
            Self::Tue => "na terça-feira",
            Self::Wed => "na quarta-feira",
            Self::Thu => "na quinta-feira",
            Self::Fri => "na sexta-feira",
            Self::Sat => "no sábado",
            Self::Sun => "no domingo",
        }
    }

    /// Monday = 0, …, Sunday = 6 (the order of [`Self::ALL`]).
    const fn index(self) -> usize {
        self as usize
    }
}

impl From<Weekday> for DayOfWeek {
    fn from(day: Weekday) -> Self {
        Self::ALL[day.num_days_from_monday() as usize]
    }
}

impl From<DayOfWeek> for Weekday {
    fn from(day: DayOfWeek) -> Self {
        match day {
            DayOfWeek::Mon => Self::Mon,
            DayOfWeek::Tue => Self::Tue,
            DayOfWeek::Wed => Self::Wed,
            DayOfWeek::Thu => Self::Thu,
            DayOfWeek::Fri => Self::Fri,
            DayOfWeek::Sat => Self::Sat,
            DayOfWeek::Sun => Self::Sun,
        }
    }
}

/// A time of day on the wall clock, to the minute, written `"HH:MM"`, from
/// `"00:00"` to `"24:00"`. `"24:00"` is the end of the day: a shift's `to`
/// may be `"24:00"` to run until midnight, which `"23:59"` would not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime(u16);

impl ClockTime {
    /// `00:00`, the start of the day.
    pub const MIDNIGHT: Self = Self(0);
    /// `24:00`, the end of the day.
    pub const END_OF_DAY: Self = Self(DAY_MINUTES);

    /// `hour:minute`; `24:00` is allowed, any other hour above 23 or minute
    /// above 59 is refused.
    pub fn new(hour: u8, minute: u8) -> Result<Self, HoursError> {
        let minutes = u16::from(hour) * 60 + u16::from(minute);
        if minute > 59 || minutes > DAY_MINUTES {
            return Err(HoursError::InvalidTime(format!("{hour:02}:{minute:02}")));
        }
        Ok(Self(minutes))
    }

    /// Parses exactly `"HH:MM"` (two digits each), e.g. `"08:00"`, `"24:00"`.
    pub fn parse(input: &str) -> Result<Self, HoursError> {
        let invalid = || HoursError::InvalidTime(shown(input));
        let bytes = input.as_bytes();
        if bytes.len() != 5 || bytes[2] != b':' {
            return Err(invalid());
        }
        let two = |at: usize| -> Option<u8> {
            let (tens, units) = (bytes[at], bytes[at + 1]);
            (tens.is_ascii_digit() && units.is_ascii_digit())
                .then(|| (tens - b'0') * 10 + (units - b'0'))
        };
        let (Some(hour), Some(minute)) = (two(0), two(3)) else {
            return Err(invalid());
        };
        Self::new(hour, minute).map_err(|_| invalid())
    }

    /// Minutes since midnight, 0 to 1440.
    pub const fn minutes(self) -> u16 {
        self.0
    }

    /// The time as a [`NaiveTime`]; `None` for `24:00`, which is the next
    /// day's `00:00`.
    pub fn to_naive(self) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(u32::from(self.0 / 60), u32::from(self.0 % 60), 0)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl FromStr for ClockTime {
    type Err = HoursError;

    fn from_str(s: &str) -> Result<Self, HoursError> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ClockTime {
    type Error = HoursError;

    fn try_from(value: String) -> Result<Self, HoursError> {
        Self::parse(&value)
    }
}

impl From<ClockTime> for String {
    fn from(value: ClockTime) -> Self {
        value.to_string()
    }
}

/// A weekly shift: open on each of `days` from `from` until `to`, local
/// time, `from` included and `to` excluded (open at 11:59, closed at 12:00
/// for a shift ending at `"12:00"`).
///
/// `to` must be after `from` (it may be `"24:00"`): a shift does not cross
/// midnight. A night shift is written as two shifts, e.g. Friday
/// 22:00–24:00 and Saturday 00:00–02:00; they meet at midnight and count as
/// one continuous opening (its closing time is Saturday 02:00). One way to
/// write a thing keeps the weekday of every open minute obvious.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    /// The days the shift repeats on; at least one, none twice.
    pub days: Vec<DayOfWeek>,
    /// Opening time, included.
    pub from: ClockTime,
    /// Closing time, excluded; after `from`.
    pub to: ClockTime,
}

/// A date on which the inbox is closed all day, whatever its shifts say,
/// e.g. `{"date": "2026-12-25", "name": "Natal"}`. The date is the inbox's
/// local date. Each occurrence is listed with its year: yearly repetition is
/// not implied, since many Brazilian holidays (Carnaval, Corpus Christi) move.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// The local date, `"AAAA-MM-DD"` in JSON.
    pub date: NaiveDate,
    /// A name the bot may mention, e.g. "Natal".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Whether an inbox is attended at some instant, and until or from when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HoursStatus {
    /// Within a shift (and not on a holiday).
    Open {
        /// When this opening ends: the first instant at which the inbox is
        /// closed. Shifts that meet (12:00–12:00, or 24:00 and the next day's
        /// 00:00) are one opening. `None`: it does not close within
        /// [`HORIZON_DAYS`] (e.g. [`BusinessHours::always_open`]).
        closes_at: Option<DateTime<Utc>>,
    },
    /// Outside every shift, or on a holiday.
    Closed {
        /// When the next opening starts. `None`: no opening within
        /// [`HORIZON_DAYS`] (no shifts at all, or every shift day falls on a
        /// holiday for a year).
        opens_at: Option<DateTime<Utc>>,
    },
}

impl HoursStatus {
    /// Whether this is [`HoursStatus::Open`].
    pub const fn is_open(self) -> bool {
        matches!(self, Self::Open { .. })
    }
}

/// At most 40 characters of a refused input, for an error message.
fn shown(input: &str) -> String {
    const MAX: usize = 40;
    match input.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &input[..cut]),
        None => input.to_owned(),
    }
}

/// How the bot says an opening time to a contact, in pt-BR, on the wall
/// clock of `zone`, relative to `now`:
///
/// - same local date as `now`: "hoje às 13:30";
/// - the next date: "amanhã às 08:00";
/// - later: "segunda-feira, 28/12, às 08:00", with the year
///   ("segunda-feira, 28/12/2026, às 08:00") when 183 days or more ahead,
///   or in the past, where day and month alone would be ambiguous.
///
/// "à" instead of "às" for times with hour 0 or 1 ("à 01:30", like "à uma
/// hora"). Without "hoje"/"amanhã" the phrase fits after "abrimos" or
/// "voltamos a atender".
pub fn describe_opening(opens_at: DateTime<Utc>, zone: Tz, now: DateTime<Utc>) -> String {
    let local = opens_at.with_timezone(&zone);
    let today = now.with_timezone(&zone).date_naive();
    let date = local.date_naive();
    let article = if local.hour() < 2 { "à" } else { "às" };
    let time = format!("{article} {:02}:{:02}", local.hour(), local.minute());
    let days_ahead = (date - today).num_days();
    match days_ahead {
        0 => format!("hoje {time}"),
        1 => format!("amanhã {time}"),
        _ => {
            let weekday = DayOfWeek::from(date.weekday()).name_pt();
            let day = if (2..183).contains(&days_ahead) {
                date.format("%d/%m")
            } else {
                date.format("%d/%m/%Y")
            };
            format!("{weekday}, {day}, {time}")
        }
    }
}

#[cfg(test)]
mod tests;
