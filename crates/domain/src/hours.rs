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

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::macros::named_enum;

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

/// At most 40 characters of a refused input, for an error message.
fn shown(input: &str) -> String {
    const MAX: usize = 40;
    match input.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &input[..cut]),
        None => input.to_owned(),
    }
}

/// The business hours of an inbox, valid by construction (see
/// [`BusinessHours::new`]); JSON as in the [module documentation](crate::hours),
/// checked the same way when deserialized, unknown keys refused.
///
/// No shifts means **always closed**: the inbox is never within its hours
/// and has no next opening. "Always open" is a shift of every day from
/// 00:00 to 24:00, see [`BusinessHours::always_open`]. (An inbox for which
/// nobody configured hours is the caller's business: typically it has no
/// `BusinessHours` at all and is treated as open.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "HoursJson", into = "HoursJson")]
pub struct BusinessHours {
    zone: Tz,
    shifts: Vec<Shift>,
    holidays: Vec<Holiday>,
    /// Per day (Monday first), the open minutes `[from, to)` of its shifts,
    /// sorted, with shifts that meet merged. Derived from `shifts`.
    week: [Vec<(u16, u16)>; 7],
}

/// The JSON form of [`BusinessHours`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HoursJson {
    time_zone: String,
    shifts: Vec<Shift>,
    #[serde(default)]
    holidays: Vec<Holiday>,
}

impl TryFrom<HoursJson> for BusinessHours {
    type Error = HoursError;

    fn try_from(json: HoursJson) -> Result<Self, HoursError> {
        Self::new(&json.time_zone, json.shifts, json.holidays)
    }
}

impl From<BusinessHours> for HoursJson {
    fn from(hours: BusinessHours) -> Self {
        Self {
            time_zone: hours.zone.name().to_owned(),
            shifts: hours.shifts,
            holidays: hours.holidays,
        }
    }
}

impl BusinessHours {
    /// Checks and builds business hours. Refuses, naming the culprit:
    /// a time zone not in the IANA database ([`HoursError::UnknownTimeZone`]);
    /// a shift without days or with a day twice; a shift whose `to` is not
    /// after its `from`; two shifts that overlap on some day (shifts that only
    /// meet, 08:00–12:00 and 12:00–18:00, are fine); a holiday listed twice.
    /// Shifts are numbered from 1 in messages, in the order given.
    ///
    /// The shifts and holidays are kept as given (order included), so the
    /// JSON reads back as it was written.
    pub fn new(
        time_zone: &str,
        shifts: Vec<Shift>,
        holidays: Vec<Holiday>,
    ) -> Result<Self, HoursError> {
        let zone =
            Tz::from_str(time_zone).map_err(|_| HoursError::UnknownTimeZone(shown(time_zone)))?;
        let mut spans: [Vec<(u16, u16, ShiftRef)>; 7] = Default::default();
        for (position, shift) in shifts.iter().enumerate() {
            let number = position + 1;
            let shift_ref = ShiftRef {
                number,
                from: shift.from,
                to: shift.to,
            };
            if shift.days.is_empty() {
                return Err(HoursError::NoDays { shift: number });
            }
            if shift.to <= shift.from {
                return Err(HoursError::EndNotAfterStart { shift: shift_ref });
            }
            for (i, day) in shift.days.iter().enumerate() {
                if shift.days[..i].contains(day) {
                    return Err(HoursError::RepeatedDay {
                        shift: number,
                        day: *day,
                    });
                }
                spans[day.index()].push((shift.from.0, shift.to.0, shift_ref));
            }
        }
        let mut week: [Vec<(u16, u16)>; 7] = Default::default();
        for (day, day_spans) in DayOfWeek::ALL.iter().zip(spans.iter_mut()) {
            day_spans.sort_by_key(|&(from, to, shift)| (from, to, shift.number));
            let merged = &mut week[day.index()];
            // The span reaching furthest so far, to name it in an overlap.
            let mut furthest: Option<(u16, ShiftRef)> = None;
            for &(from, to, shift) in day_spans.iter() {
                if let Some((end, earlier)) = furthest
                    && from < end
                {
                    return Err(HoursError::Overlap {
                        day: *day,
                        first: earlier,
                        second: shift,
                    });
                }
                if furthest.is_none_or(|(end, _)| to > end) {
                    furthest = Some((to, shift));
                }
                match merged.last_mut() {
                    Some(last) if last.1 == from => last.1 = to,
                    _ => merged.push((from, to)),
                }
            }
        }
        for (i, holiday) in holidays.iter().enumerate() {
            if holidays[..i].iter().any(|h| h.date == holiday.date) {
                return Err(HoursError::RepeatedHoliday { date: holiday.date });
            }
        }
        Ok(Self {
            zone,
            shifts,
            holidays,
            week,
        })
    }

    /// Open all the time: every day 00:00–24:00, zone UTC (the zone does not
    /// matter without holidays), no holidays. To be open all the time except
    /// on holidays, build the same shift with [`Self::new`] in the inbox's
    /// zone.
    pub fn always_open() -> Self {
        let every_day = Shift {
            days: DayOfWeek::ALL.to_vec(),
            from: ClockTime::MIDNIGHT,
            to: ClockTime::END_OF_DAY,
        };
        Self::new("UTC", vec![every_day], Vec::new())
            .expect("every day 00:00–24:00 in UTC is valid")
    }

    /// The IANA name of the zone, as given (e.g. `"America/Sao_Paulo"`).
    pub fn time_zone(&self) -> &'static str {
        self.zone.name()
    }

    /// The zone, for callers that format times themselves.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The shifts, in the order given.
    pub fn shifts(&self) -> &[Shift] {
        &self.shifts
    }

    /// The holidays, in the order given.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    /// The holiday on the local date of `at`, if any, so the bot can say
    /// why it is closed ("hoje é feriado: Natal").
    pub fn holiday_at(&self, at: DateTime<Utc>) -> Option<&Holiday> {
        self.holiday_on(at.with_timezone(&self.zone).date_naive())
    }

    fn holiday_on(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays.iter().find(|h| h.date == date)
    }

    /// Whether the inbox is attended at `at`: its local date (in the
    /// inbox's zone) is not a holiday and its local time, to the minute,
    /// is within a shift of its local weekday (`from` included, `to`
    /// excluded). When clocks go back, a local time that happens twice is
    /// open both times if its shift is, and closed both times if not: a
    /// shift from 01:30 on that night (clocks going from 02:00 back to
    /// 01:00) closes at the change and reopens at the second 01:30. The
    /// wall clock is what the business and its contacts read, so it decides.
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&self.zone);
        if self.holiday_on(local.date_naive()).is_some() {
            return false;
        }
        let minute = (local.hour() * 60 + local.minute()) as u16;
        let day = DayOfWeek::from(local.weekday());
        self.week[day.index()]
            .iter()
            .any(|&(from, to)| (from..to).contains(&minute))
    }

    /// Whether the inbox is open at `at` and until when, or closed and from
    /// when. Changes are looked for up to [`HORIZON_DAYS`] local days ahead.
    ///
    /// Times are instants of the wall clock as [`Self::is_open`] reads it.
    /// Where a shift starts at a local time that does not exist because the
    /// clocks go forward (02:30 on the day New York jumps from 02:00 to
    /// 03:00), it starts at the first instant after the gap (03:00 local, the
    /// instant of the change); a shift that ends in a gap ends at the same
    /// instant. A time that happens twice when clocks go back opens at its
    /// first occurrence.
    pub fn status(&self, at: DateTime<Utc>) -> HoursStatus {
        if self.is_open(at) {
            HoursStatus::Open {
                closes_at: self.next_change(at, false),
            }
        } else {
            HoursStatus::Closed {
                opens_at: self.next_change(at, true),
            }
        }
    }

    /// The start of the next opening strictly after `at`, within
    /// [`HORIZON_DAYS`]. When closed at `at` this is when it opens (the
    /// `opens_at` of [`Self::status`]); when open, it is the opening after
    /// the current one closes (e.g. at 10:00 on a weekday, 13:30 after the
    /// lunch break). `None`: no such opening within the horizon.
    pub fn next_opening(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.status(at) {
            HoursStatus::Closed { opens_at } => opens_at,
            HoursStatus::Open { closes_at } => self.next_change(closes_at?, true),
        }
    }

    /// How the bot says `opens_at` to a contact at `now`, in the inbox's
    /// zone: see [`describe_opening`].
    pub fn describe_opening(&self, opens_at: DateTime<Utc>, now: DateTime<Utc>) -> String {
        describe_opening(opens_at, self.zone, now)
    }

    /// The first instant after `at` at which [`Self::is_open`] equals `open`,
    /// within the horizon.
    ///
    /// Openness only changes where the wall clock crosses a shift boundary,
    /// where the local date changes, and where the clock jumps (a change of
    /// UTC offset). Those instants are listed day by day, from `at`'s local
    /// date on, and the first one after `at` with the wanted state wins.
    /// Candidates of a day are never later than those of the next, so the
    /// first hit is the earliest.
    fn next_change(&self, at: DateTime<Utc>, open: bool) -> Option<DateTime<Utc>> {
        let mut date = at.with_timezone(&self.zone).date_naive();
        for _ in 0..=HORIZON_DAYS {
            let next = date.succ_opt()?;
            let mut candidates = self.changes_on(date, next);
            candidates.sort_unstable();
            if let Some(hit) = candidates
                .into_iter()
                .find(|&t| t > at && self.is_open(t) == open)
            {
                return Some(hit);
            }
            date = next;
        }
        None
    }

    /// The instants of local `date` (whose next day is `next`) at which
    /// openness may change: the start of the day, an offset change during
    /// it, and every existing instant whose local time is a shift boundary.
    /// Boundaries inside a gap are covered by the offset change; `24:00` is
    /// the next day's start.
    fn changes_on(&self, date: NaiveDate, next: NaiveDate) -> Vec<DateTime<Utc>> {
        let zone = self.zone;
        let start = first_instant(zone, date.and_time(NaiveTime::MIN));
        let end = first_instant(zone, next.and_time(NaiveTime::MIN));
        let mut instants = vec![start];
        if end - start > TimeDelta::seconds(1) {
            instants.extend(offset_change(zone, start, end - TimeDelta::seconds(1)));
        }
        let day = DayOfWeek::from(date.weekday());
        for &(from, to) in &self.week[day.index()] {
            for minutes in [from, to] {
                let Some(time) = ClockTime(minutes).to_naive() else {
                    continue;
                };
                match zone.from_local_datetime(&date.and_time(time)) {
                    LocalResult::Single(t) => instants.push(t.to_utc()),
                    LocalResult::Ambiguous(first, second) => {
                        instants.extend([first.to_utc(), second.to_utc()]);
                    }
                    LocalResult::None => {}
                }
            }
        }
        instants
    }
}

/// The UTC offset of `zone` at `at`, in seconds.
fn offset_seconds(zone: Tz, at: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

/// The first instant in `(low, high]` whose offset differs from the offset
/// at `low`, to the second, assuming the offset changes at most once in
/// between; `None` when the offsets at both ends are equal. With `low` and
/// `high` on whole seconds (as all callers' are), so is the result.
fn offset_change(zone: Tz, low: DateTime<Utc>, high: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let before = offset_seconds(zone, low);
    if offset_seconds(zone, high) == before {
        return None;
    }
    let (mut low, mut high) = (low, high);
    while high - low > TimeDelta::seconds(1) {
        let middle = low + TimeDelta::seconds((high - low).num_seconds() / 2);
        if offset_seconds(zone, middle) == before {
            low = middle;
        } else {
            high = middle;
        }
    }
    Some(high)
}

/// The first instant whose wall-clock time in `zone` is `local` or, when
/// `local` falls in a gap (clocks going forward), the first instant after
/// the gap, i.e. the instant of the change.
fn first_instant(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.to_utc(),
        LocalResult::None => {
            // Read with the offset after the gap, `local` is an instant
            // before the change; with the offset before it, one after.
            let naive = local.and_utc();
            let day = TimeDelta::days(1);
            let before = offset_seconds(zone, naive - day);
            let after = offset_seconds(zone, naive + day);
            let low = naive - TimeDelta::seconds(after.into());
            let high = naive - TimeDelta::seconds(before.into());
            offset_change(zone, low, high).unwrap_or(high)
        }
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
