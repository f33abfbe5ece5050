//! An inbox's business hours, checked once when built: whether it is open
//! at an instant and when that changes, on the wall clock of its zone.

use std::str::FromStr;

use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{
    ClockTime, DayOfWeek, HORIZON_DAYS, Holiday, HoursError, HoursStatus, Shift, ShiftRef,
    describe_opening, shown,
};

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
