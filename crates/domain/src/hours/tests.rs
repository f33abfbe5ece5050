use chrono::{TimeDelta, TimeZone};
use chrono_tz::America::{New_York, Sao_Paulo};

use super::*;
use crate::DomainError;
use crate::macros::assert_names;

/// LC-22, the requirement.
const LC22: &str = "Horário de atendimento por caixa de entrada; fora dele, o robô informa o próximo horário de abertura e oferece retorno.";
/// Choices of this module, documented on the items they concern.
const CHOICE: &str = "escolha documentada em hours.rs";

/// An instant given as the local wall-clock time in `zone` (must exist and be
/// unique).
fn local(zone: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    zone.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("an existing, unambiguous local time")
        .to_utc()
}

/// São Paulo wall-clock time, December 2026.
fn sp(d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    local(Sao_Paulo, 2026, 12, d, h, mi)
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("valid time")
}

fn t(s: &str) -> ClockTime {
    ClockTime::parse(s).expect("valid time")
}

fn shift(days: &[DayOfWeek], from: &str, to: &str) -> Shift {
    Shift {
        days: days.to_vec(),
        from: t(from),
        to: t(to),
    }
}

const WEEKDAYS: [DayOfWeek; 5] = [
    DayOfWeek::Mon,
    DayOfWeek::Tue,
    DayOfWeek::Wed,
    DayOfWeek::Thu,
    DayOfWeek::Fri,
];

fn holiday(y: i32, m: u32, d: u32, name: Option<&str>) -> Holiday {
    Holiday {
        date: NaiveDate::from_ymd_opt(y, m, d).expect("valid date"),
        name: name.map(str::to_owned),
    }
}

/// Mon–Fri 08:00–12:00 and 13:30–18:00, Sat 08:00–12:00, São Paulo, closed
/// on Christmas 2026 (a Friday).
fn office() -> BusinessHours {
    BusinessHours::new(
        "America/Sao_Paulo",
        vec![
            shift(&WEEKDAYS, "08:00", "12:00"),
            shift(&WEEKDAYS, "13:30", "18:00"),
            shift(&[DayOfWeek::Sat], "08:00", "12:00"),
        ],
        vec![holiday(2026, 12, 25, Some("Natal"))],
    )
    .expect("valid hours")
}

const OFFICE_JSON: &str = r#"{"time_zone":"America/Sao_Paulo","shifts":[{"days":["mon","tue","wed","thu","fri"],"from":"08:00","to":"12:00"},{"days":["mon","tue","wed","thu","fri"],"from":"13:30","to":"18:00"},{"days":["sat"],"from":"08:00","to":"12:00"}],"holidays":[{"date":"2026-12-25","name":"Natal"}]}"#;

fn open_until(closes_at: DateTime<Utc>) -> HoursStatus {
    HoursStatus::Open {
        closes_at: Some(closes_at),
    }
}

fn closed_until(opens_at: DateTime<Utc>) -> HoursStatus {
    HoursStatus::Closed {
        opens_at: Some(opens_at),
    }
}

#[test]
fn calendar_of_the_tests() {
    let weekday = |d: u32| {
        NaiveDate::from_ymd_opt(2026, 12, d)
            .expect("valid date")
            .weekday()
    };
    assert_eq!(weekday(21), Weekday::Mon);
    assert_eq!(weekday(25), Weekday::Fri);
    assert_eq!(weekday(26), Weekday::Sat);
    assert_eq!(weekday(28), Weekday::Mon);
    // São Paulo has had no daylight saving time since 2019: UTC−3.
    assert_eq!(sp(21, 8, 0), utc(2026, 12, 21, 11, 0));
}

#[test]
fn split_shifts() {
    let hours = office();
    // Monday 21/12/2026.
    let cases = [
        (sp(21, 7, 59), closed_until(sp(21, 8, 0))),
        (sp(21, 8, 0), open_until(sp(21, 12, 0))),
        (sp(21, 11, 59), open_until(sp(21, 12, 0))),
        (sp(21, 12, 0), closed_until(sp(21, 13, 30))),
        (sp(21, 12, 30), closed_until(sp(21, 13, 30))),
        (sp(21, 13, 29), closed_until(sp(21, 13, 30))),
        (sp(21, 13, 30), open_until(sp(21, 18, 0))),
        (sp(21, 17, 59), open_until(sp(21, 18, 0))),
        (sp(21, 18, 0), closed_until(sp(22, 8, 0))),
        (sp(21, 23, 59), closed_until(sp(22, 8, 0))),
    ];
    for (at, expected) in cases {
        assert_eq!(hours.status(at), expected, "{at} ({LC22})");
        assert_eq!(hours.is_open(at), expected.is_open(), "{at}");
    }
    // Seconds count: 11:59:59 is still open, 12:00:00 is not.
    let second = TimeDelta::seconds(1);
    assert!(hours.is_open(sp(21, 12, 0) - second));
    assert!(!hours.is_open(sp(21, 8, 0) - second));
}

#[test]
fn weekend_closed() {
    let hours = office();
    // Saturday 19/12 morning open, afternoon closed; Sunday closed; both
    // reopen on Monday 21/12 at 08:00.
    let cases = [
        (sp(19, 10, 0), open_until(sp(19, 12, 0))),
        (sp(19, 12, 0), closed_until(sp(21, 8, 0))),
        (sp(19, 15, 0), closed_until(sp(21, 8, 0))),
        (sp(20, 0, 0), closed_until(sp(21, 8, 0))),
        (sp(20, 10, 0), closed_until(sp(21, 8, 0))),
    ];
    for (at, expected) in cases {
        assert_eq!(hours.status(at), expected, "{at} ({LC22})");
    }
}

#[test]
fn holiday_closed_until_next_working_day() {
    let hours = office();
    // Friday 25/12 is Christmas: closed all day, by the local date.
    for at in [sp(25, 0, 0), sp(25, 10, 0), sp(25, 14, 0), sp(25, 23, 59)] {
        assert_eq!(hours.status(at), closed_until(sp(26, 8, 0)), "{at}");
        assert_eq!(
            hours.holiday_at(at),
            Some(&holiday(2026, 12, 25, Some("Natal")))
        );
    }
    // The evening before, the next opening skips the holiday.
    assert_eq!(hours.status(sp(24, 19, 0)), closed_until(sp(26, 8, 0)));
    // 25/12 02:00Z is still the 24th in São Paulo (23:00): not the holiday.
    assert_eq!(hours.holiday_at(utc(2026, 12, 25, 2, 0)), None);
    assert!(hours.holiday_at(utc(2026, 12, 25, 3, 0)).is_some());
    // After Saturday's morning, Monday 28/12.
    assert_eq!(hours.status(sp(26, 12, 0)), closed_until(sp(28, 8, 0)));
}

#[test]
fn holiday_cuts_a_shift_across_midnight() {
    // Thursday 22:00–24:00 and Friday 00:00–02:00 form one night; Friday
    // 25/12 is a holiday, so the night ends at midnight.
    let hours = BusinessHours::new(
        "America/Sao_Paulo",
        vec![
            shift(&[DayOfWeek::Thu], "22:00", "24:00"),
            shift(&[DayOfWeek::Fri], "00:00", "02:00"),
        ],
        vec![holiday(2026, 12, 25, None)],
    )
    .expect("valid hours");
    assert_eq!(hours.status(sp(24, 23, 0)), open_until(sp(25, 0, 0)));
    // The next Thursday's night opens on 31/12 and runs to 01/01 02:00.
    assert_eq!(hours.status(sp(25, 1, 0)), closed_until(sp(31, 22, 0)));
    assert_eq!(
        hours.status(sp(31, 23, 0)),
        open_until(local(Sao_Paulo, 2027, 1, 1, 2, 0))
    );
}

#[test]
fn next_opening_across_a_week() {
    // Only Wednesday 09:00–10:00.
    let hours = BusinessHours::new(
        "America/Sao_Paulo",
        vec![shift(&[DayOfWeek::Wed], "09:00", "10:00")],
        Vec::new(),
    )
    .expect("valid hours");
    assert_eq!(hours.status(sp(23, 10, 0)), closed_until(sp(30, 9, 0)));
    assert_eq!(hours.status(sp(24, 0, 0)), closed_until(sp(30, 9, 0)));
    assert_eq!(hours.status(sp(30, 8, 59)), closed_until(sp(30, 9, 0)));
    // next_opening skips the current opening when open.
    assert_eq!(hours.next_opening(sp(23, 9, 30)), Some(sp(30, 9, 0)));
    assert_eq!(hours.next_opening(sp(23, 8, 0)), Some(sp(23, 9, 0)));
}

#[test]
fn next_opening_when_open_is_the_one_after() {
    let hours = office();
    let cases = [
        // Monday morning: after lunch.
        (sp(21, 10, 0), Some(sp(21, 13, 30))),
        // Monday afternoon: Tuesday.
        (sp(21, 15, 0), Some(sp(22, 8, 0))),
        // Closed: the same as status' opens_at.
        (sp(21, 12, 30), Some(sp(21, 13, 30))),
        // Thursday afternoon: Friday is Christmas, so Saturday.
        (sp(24, 15, 0), Some(sp(26, 8, 0))),
    ];
    for (at, expected) in cases {
        assert_eq!(hours.next_opening(at), expected, "{at} ({CHOICE})");
    }
}

#[test]
fn end_of_day_and_shifts_that_meet() {
    let hours = BusinessHours::new(
        "America/Sao_Paulo",
        vec![
            shift(&[DayOfWeek::Fri], "22:00", "24:00"),
            shift(&[DayOfWeek::Sat], "00:00", "02:00"),
            shift(&[DayOfWeek::Sun], "18:00", "24:00"),
            // Meets the first Friday shift at 22:00: one opening.
            shift(&[DayOfWeek::Fri], "20:00", "22:00"),
        ],
        Vec::new(),
    )
    .expect("shifts that meet do not overlap");
    let cases = [
        (sp(18, 19, 59), closed_until(sp(18, 20, 0))),
        (sp(18, 21, 0), open_until(sp(19, 2, 0))),
        (sp(18, 23, 59), open_until(sp(19, 2, 0))),
        (sp(19, 0, 0), open_until(sp(19, 2, 0))),
        (sp(19, 2, 0), closed_until(sp(20, 18, 0))),
        // Sunday until 24:00: closed from Monday 00:00.
        (sp(20, 23, 59), open_until(sp(21, 0, 0))),
        (sp(21, 0, 0), closed_until(sp(25, 20, 0))),
    ];
    for (at, expected) in cases {
        assert_eq!(hours.status(at), expected, "{at} ({CHOICE})");
    }
}

#[test]
fn zone_offsets() {
    let shifts = vec![shift(&WEEKDAYS, "08:00", "18:00")];
    let sao_paulo =
        BusinessHours::new("America/Sao_Paulo", shifts.clone(), Vec::new()).expect("valid");
    let in_utc = BusinessHours::new("UTC", shifts, Vec::new()).expect("valid");
    // Monday 21/12/2026: 08:00 in São Paulo is 11:00Z.
    let cases = [
        (utc(2026, 12, 21, 7, 59), false, false),
        (utc(2026, 12, 21, 8, 0), true, false),
        (utc(2026, 12, 21, 10, 59), true, false),
        (utc(2026, 12, 21, 11, 0), true, true),
        (utc(2026, 12, 21, 17, 59), true, true),
        (utc(2026, 12, 21, 18, 0), false, true),
        (utc(2026, 12, 21, 20, 59), false, true),
        (utc(2026, 12, 21, 21, 0), false, false),
        // Saturday 00:30Z is still Friday 21:30 in São Paulo.
        (utc(2026, 12, 26, 0, 30), false, false),
    ];
    for (at, open_utc, open_sp) in cases {
        assert_eq!(in_utc.is_open(at), open_utc, "UTC {at}");
        assert_eq!(sao_paulo.is_open(at), open_sp, "São Paulo {at}");
    }
    assert_eq!(
        sao_paulo.status(utc(2026, 12, 21, 5, 0)),
        closed_until(utc(2026, 12, 21, 11, 0))
    );
    assert_eq!(
        in_utc.status(utc(2026, 12, 21, 5, 0)),
        closed_until(utc(2026, 12, 21, 8, 0))
    );
    assert_eq!(
        sao_paulo.status(utc(2026, 12, 21, 12, 0)),
        open_until(utc(2026, 12, 21, 21, 0))
    );
}

#[test]
fn daylight_saving_spring_forward() {
    // New York, Sunday 08/03/2026: at 02:00 EST (07:00Z) clocks jump to
    // 03:00 EDT. A shift from 02:30 starts at the first instant after the
    // gap, 03:00 EDT; it ends at 05:00 EDT (09:00Z).
    let hours = BusinessHours::new(
        "America/New_York",
        vec![shift(&[DayOfWeek::Sun], "02:30", "05:00")],
        Vec::new(),
    )
    .expect("valid hours");
    let change = utc(2026, 3, 8, 7, 0);
    assert_eq!(change.with_timezone(&New_York).hour(), 3);
    let second = TimeDelta::seconds(1);
    assert!(!hours.is_open(change - second));
    assert!(hours.is_open(change));
    let cases = [
        (utc(2026, 3, 8, 6, 0), closed_until(change)),
        (change - second, closed_until(change)),
        (change, open_until(utc(2026, 3, 8, 9, 0))),
        // The next Sunday (EDT, UTC−4): 02:30 is 06:30Z.
        (utc(2026, 3, 8, 9, 0), closed_until(utc(2026, 3, 15, 6, 30))),
        // The Sunday before (EST, UTC−5): 02:30 is 07:30Z.
        (utc(2026, 3, 1, 0, 0), closed_until(utc(2026, 3, 1, 7, 30))),
    ];
    for (at, expected) in cases {
        assert_eq!(hours.status(at), expected, "{at} ({CHOICE})");
    }
    // Weekday shifts keep their local times across the change.
    let office = BusinessHours::new(
        "America/New_York",
        vec![shift(&WEEKDAYS, "09:00", "17:00")],
        Vec::new(),
    )
    .expect("valid hours");
    assert_eq!(
        office.status(utc(2026, 3, 6, 22, 0)),
        closed_until(utc(2026, 3, 9, 13, 0)),
        "Monday 09:00 EDT"
    );
    assert_eq!(
        office.status(utc(2026, 3, 6, 13, 0)),
        closed_until(utc(2026, 3, 6, 14, 0)),
        "Friday 09:00 EST"
    );
    assert_eq!(
        office.status(utc(2026, 3, 6, 15, 0)),
        open_until(utc(2026, 3, 6, 22, 0)),
        "Friday 17:00 EST"
    );
}

#[test]
fn daylight_saving_fall_back() {
    // New York, Sunday 01/11/2026: at 02:00 EDT (06:00Z) clocks go back to
    // 01:00 EST, so 01:00–02:00 happens twice.
    let night = BusinessHours::new(
        "America/New_York",
        vec![shift(&[DayOfWeek::Sun], "00:00", "01:30")],
        Vec::new(),
    )
    .expect("valid hours");
    let cases = [
        // 00:00 EDT is 04:00Z; 01:30 EDT is 05:30Z.
        (utc(2026, 11, 1, 4, 10), open_until(utc(2026, 11, 1, 5, 30))),
        // Closed until the clock reads 01:00 again (01:00 EST, 06:00Z)…
        (
            utc(2026, 11, 1, 5, 45),
            closed_until(utc(2026, 11, 1, 6, 0)),
        ),
        // …then open until 01:30 EST (06:30Z).
        (utc(2026, 11, 1, 6, 0), open_until(utc(2026, 11, 1, 6, 30))),
    ];
    for (at, expected) in cases {
        assert_eq!(night.status(at), expected, "{at} ({CHOICE})");
    }
    // A shift starting at a repeated time opens at its first occurrence.
    let early = BusinessHours::new(
        "America/New_York",
        vec![shift(&[DayOfWeek::Sun], "01:30", "03:00")],
        Vec::new(),
    )
    .expect("valid hours");
    assert_eq!(
        early.status(utc(2026, 11, 1, 4, 0)),
        closed_until(utc(2026, 11, 1, 5, 30))
    );
    // The wall clock rules: when it goes back from 02:00 EDT to 01:00 EST
    // (06:00Z) it reads a time before the shift again, closed until the
    // second 01:30 (06:30Z); then open until 03:00 EST (08:00Z).
    let cases = [
        (utc(2026, 11, 1, 5, 30), open_until(utc(2026, 11, 1, 6, 0))),
        (
            utc(2026, 11, 1, 6, 0),
            closed_until(utc(2026, 11, 1, 6, 30)),
        ),
        (utc(2026, 11, 1, 6, 30), open_until(utc(2026, 11, 1, 8, 0))),
    ];
    for (at, expected) in cases {
        assert_eq!(early.status(at), expected, "{at} ({CHOICE})");
    }
}

#[test]
fn always_open_and_always_closed() {
    let open = BusinessHours::always_open();
    let closed = BusinessHours::new("America/Sao_Paulo", Vec::new(), Vec::new())
        .expect("no shifts is valid");
    for at in [sp(21, 0, 0), sp(26, 12, 0), sp(27, 23, 59)] {
        assert_eq!(
            open.status(at),
            HoursStatus::Open { closes_at: None },
            "{CHOICE}"
        );
        assert_eq!(open.next_opening(at), None);
        assert_eq!(
            closed.status(at),
            HoursStatus::Closed { opens_at: None },
            "{CHOICE}"
        );
        assert_eq!(closed.next_opening(at), None);
    }
    assert_eq!(
        serde_json::to_string(&open).expect("serializes"),
        r#"{"time_zone":"UTC","shifts":[{"days":["mon","tue","wed","thu","fri","sat","sun"],"from":"00:00","to":"24:00"}],"holidays":[]}"#
    );
    // Open all the time except on holidays.
    let except = BusinessHours::new(
        "America/Sao_Paulo",
        open.shifts().to_vec(),
        vec![holiday(2026, 12, 25, Some("Natal"))],
    )
    .expect("valid hours");
    assert_eq!(except.status(sp(24, 12, 0)), open_until(sp(25, 0, 0)));
    assert_eq!(except.status(sp(25, 12, 0)), closed_until(sp(26, 0, 0)));
}

#[test]
fn horizon_is_a_year() {
    // Only holidays on every Monday for more than a year: no opening.
    let mondays: Vec<Holiday> = (0..60)
        .map(|week| Holiday {
            date: NaiveDate::from_ymd_opt(2026, 12, 21).expect("valid date")
                + TimeDelta::weeks(week),
            name: None,
        })
        .collect();
    let hours = BusinessHours::new(
        "America/Sao_Paulo",
        vec![shift(&[DayOfWeek::Mon], "08:00", "18:00")],
        mondays,
    )
    .expect("valid hours");
    assert_eq!(
        hours.status(sp(20, 12, 0)),
        HoursStatus::Closed { opens_at: None },
        "{CHOICE}"
    );
}

#[test]
fn validation_errors() {
    let mon = &[DayOfWeek::Mon][..];
    let cases: Vec<(&str, Vec<Shift>, Vec<Holiday>, &str)> = vec![
        (
            "America/Sao_Pãulo",
            Vec::new(),
            Vec::new(),
            "fuso horário desconhecido: \"America/Sao_Pãulo\"; use um nome IANA, como America/Sao_Paulo",
        ),
        (
            "america/sao_paulo",
            Vec::new(),
            Vec::new(),
            "fuso horário desconhecido: \"america/sao_paulo\"; use um nome IANA, como America/Sao_Paulo",
        ),
        (
            "UTC",
            vec![shift(&[], "08:00", "12:00")],
            Vec::new(),
            "turno 1: informe ao menos um dia da semana",
        ),
        (
            "UTC",
            vec![
                shift(mon, "08:00", "12:00"),
                shift(&[DayOfWeek::Sat, DayOfWeek::Sat], "08:00", "12:00"),
            ],
            Vec::new(),
            "turno 2: o dia \"sat\" aparece mais de uma vez",
        ),
        (
            "UTC",
            vec![shift(mon, "13:00", "12:00")],
            Vec::new(),
            "turno 1 (13:00–12:00): o fim precisa ser depois do início; para atravessar a meia-noite, use dois turnos, um até 24:00 e outro a partir de 00:00",
        ),
        (
            "UTC",
            vec![shift(mon, "08:00", "08:00")],
            Vec::new(),
            "turno 1 (08:00–08:00): o fim precisa ser depois do início; para atravessar a meia-noite, use dois turnos, um até 24:00 e outro a partir de 00:00",
        ),
        (
            "UTC",
            vec![shift(mon, "22:00", "02:00")],
            Vec::new(),
            "turno 1 (22:00–02:00): o fim precisa ser depois do início; para atravessar a meia-noite, use dois turnos, um até 24:00 e outro a partir de 00:00",
        ),
        (
            "UTC",
            vec![
                shift(&WEEKDAYS, "08:00", "12:00"),
                shift(&[DayOfWeek::Sat], "08:00", "12:00"),
                shift(&[DayOfWeek::Wed], "11:00", "14:00"),
            ],
            Vec::new(),
            "turnos sobrepostos na quarta-feira: turno 1 (08:00–12:00) e turno 3 (11:00–14:00)",
        ),
        (
            // The later shift in the list starts first: named first.
            "UTC",
            vec![
                shift(&[DayOfWeek::Sun], "10:00", "11:00"),
                shift(&[DayOfWeek::Sun], "08:00", "18:00"),
            ],
            Vec::new(),
            "turnos sobrepostos no domingo: turno 2 (08:00–18:00) e turno 1 (10:00–11:00)",
        ),
        (
            // A long shift covering two others: the overlap with it is found.
            "UTC",
            vec![
                shift(&[DayOfWeek::Sat], "08:00", "18:00"),
                shift(&[DayOfWeek::Sat], "09:00", "09:30"),
            ],
            Vec::new(),
            "turnos sobrepostos no sábado: turno 1 (08:00–18:00) e turno 2 (09:00–09:30)",
        ),
        (
            "UTC",
            vec![
                shift(&[DayOfWeek::Tue], "08:00", "18:00"),
                shift(&[DayOfWeek::Tue], "08:00", "18:00"),
            ],
            Vec::new(),
            "turnos sobrepostos na terça-feira: turno 1 (08:00–18:00) e turno 2 (08:00–18:00)",
        ),
        (
            "UTC",
            Vec::new(),
            vec![
                holiday(2026, 12, 25, Some("Natal")),
                holiday(2026, 1, 1, None),
                holiday(2026, 12, 25, None),
            ],
            "feriado repetido: 25/12/2026",
        ),
    ];
    for (zone, shifts, holidays, message) in cases {
        let error = BusinessHours::new(zone, shifts, holidays).expect_err(message);
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn long_inputs_are_cut_in_messages() {
    let zone = "X".repeat(100);
    let error = BusinessHours::new(&zone, Vec::new(), Vec::new()).expect_err("unknown zone");
    assert_eq!(
        error,
        HoursError::UnknownTimeZone(format!("{}…", "X".repeat(40)))
    );
}

#[test]
fn errors_convert_to_domain_errors() {
    let error: DomainError = HoursError::RepeatedHoliday {
        date: NaiveDate::from_ymd_opt(2026, 12, 25).expect("valid date"),
    }
    .into();
    assert_eq!(
        error.to_string(),
        "valor inválido para horário de atendimento: feriado repetido: 25/12/2026"
    );
}

#[test]
fn clock_times() {
    let valid = [
        ("00:00", 0),
        ("08:00", 480),
        ("13:30", 810),
        ("23:59", 1439),
        ("24:00", 1440),
    ];
    for (text, minutes) in valid {
        let time = t(text);
        assert_eq!(time.minutes(), minutes);
        assert_eq!(time.to_string(), text);
    }
    assert_eq!(t("24:00"), ClockTime::END_OF_DAY);
    assert_eq!(t("00:00"), ClockTime::MIDNIGHT);
    assert_eq!(t("24:00").to_naive(), None);
    assert_eq!(t("13:30").to_naive(), NaiveTime::from_hms_opt(13, 30, 0));
    assert_eq!(ClockTime::new(13, 30), Ok(t("13:30")));
    for text in [
        "8:00",
        "08:0",
        "08h00",
        "08:60",
        "24:01",
        "25:00",
        "-1:00",
        "",
        "08:00:00",
        " 08:00",
        "０８:00",
    ] {
        assert_eq!(
            text.parse::<ClockTime>(),
            Err(HoursError::InvalidTime(text.to_owned())),
            "{text}"
        );
    }
    assert_eq!(
        ClockTime::parse("24:30").map_err(|e| e.to_string()),
        Err("horário inválido: \"24:30\"; use HH:MM, de 00:00 a 24:00".to_owned())
    );
    assert_eq!(
        ClockTime::new(12, 60),
        Err(HoursError::InvalidTime("12:60".to_owned()))
    );
}

#[test]
fn days_of_week() {
    assert_names!(DayOfWeek, ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
    let names = [
        (Weekday::Mon, "segunda-feira"),
        (Weekday::Tue, "terça-feira"),
        (Weekday::Wed, "quarta-feira"),
        (Weekday::Thu, "quinta-feira"),
        (Weekday::Fri, "sexta-feira"),
        (Weekday::Sat, "sábado"),
        (Weekday::Sun, "domingo"),
    ];
    for (weekday, name) in names {
        let day = DayOfWeek::from(weekday);
        assert_eq!(day.name_pt(), name);
        assert_eq!(Weekday::from(day), weekday);
    }
    assert_eq!(DayOfWeek::Sat.on_pt(), "no sábado");
    assert_eq!(DayOfWeek::Fri.on_pt(), "na sexta-feira");
}

#[test]
fn serde_round_trip() {
    let hours = office();
    assert_eq!(
        serde_json::to_string(&hours).expect("serializes"),
        OFFICE_JSON
    );
    let back: BusinessHours = serde_json::from_str(OFFICE_JSON).expect("deserializes");
    assert_eq!(back, hours);
    assert_eq!(back.time_zone(), "America/Sao_Paulo");
    assert_eq!(back.zone(), Sao_Paulo);
    assert_eq!(back.shifts().len(), 3);
    assert_eq!(back.holidays().len(), 1);

    // Written by hand: spaces, no holidays, a holiday without a name, an
    // alias zone kept as written.
    let by_hand = r#"{
        "time_zone": "Brazil/East",
        "shifts": [{"days": ["sat", "sun"], "from": "09:00", "to": "24:00"}],
        "holidays": [{"date": "2027-01-01"}]
    }"#;
    let parsed: BusinessHours = serde_json::from_str(by_hand).expect("deserializes");
    assert_eq!(
        serde_json::to_string(&parsed).expect("serializes"),
        r#"{"time_zone":"Brazil/East","shifts":[{"days":["sat","sun"],"from":"09:00","to":"24:00"}],"holidays":[{"date":"2027-01-01"}]}"#
    );
    let no_holidays: BusinessHours =
        serde_json::from_str(r#"{"time_zone":"UTC","shifts":[]}"#).expect("holidays optional");
    assert!(no_holidays.holidays().is_empty());
}

#[test]
fn serde_refuses_bad_input() {
    let cases = [
        // Unknown keys, at every level.
        (
            r#"{"time_zone":"UTC","shifts":[],"holidays":[],"closed":true}"#,
            "unknown field `closed`",
        ),
        (
            r#"{"time_zone":"UTC","shifts":[{"days":["mon"],"from":"08:00","to":"12:00","until":"13:00"}]}"#,
            "unknown field `until`",
        ),
        (
            r#"{"time_zone":"UTC","shifts":[],"holidays":[{"date":"2026-12-25","nome":"Natal"}]}"#,
            "unknown field `nome`",
        ),
        // Shifts are required: a forgotten key must not mean "always closed".
        (r#"{"time_zone":"UTC"}"#, "missing field `shifts`"),
        // Validation runs on deserialization, with the pt-BR messages.
        (
            r#"{"time_zone":"Mars/Olympus","shifts":[]}"#,
            "fuso horário desconhecido: \"Mars/Olympus\"",
        ),
        (
            r#"{"time_zone":"UTC","shifts":[{"days":["mon"],"from":"8h","to":"12:00"}]}"#,
            "horário inválido: \"8h\"",
        ),
        (
            r#"{"time_zone":"UTC","shifts":[{"days":["mon"],"from":"18:00","to":"08:00"}]}"#,
            "turno 1 (18:00–08:00): o fim precisa ser depois do início",
        ),
        (
            r#"{"time_zone":"UTC","shifts":[{"days":["seg"],"from":"08:00","to":"12:00"}]}"#,
            "unknown variant `seg`",
        ),
        (
            r#"{"time_zone":"UTC","shifts":[],"holidays":[{"date":"2026-02-30"}]}"#,
            "input is out of range",
        ),
    ];
    for (json, message) in cases {
        let error = serde_json::from_str::<BusinessHours>(json).expect_err(json);
        assert!(
            error.to_string().contains(message),
            "{json}: {error} should contain {message}"
        );
    }
}

#[test]
fn descriptions_in_portuguese() {
    let hours = office();
    let now = sp(21, 12, 30);
    let cases = [
        (sp(21, 13, 30), "hoje às 13:30"),
        (sp(22, 8, 0), "amanhã às 08:00"),
        (sp(23, 8, 0), "quarta-feira, 23/12, às 08:00"),
        (sp(26, 8, 0), "sábado, 26/12, às 08:00"),
        (sp(28, 8, 0), "segunda-feira, 28/12, às 08:00"),
        (sp(27, 9, 15), "domingo, 27/12, às 09:15"),
        (
            local(Sao_Paulo, 2027, 1, 1, 9, 0),
            "sexta-feira, 01/01, às 09:00",
        ),
        // Singular article for hours 0 and 1.
        (sp(22, 0, 0), "amanhã à 00:00"),
        (sp(22, 1, 30), "amanhã à 01:30"),
        (sp(22, 2, 0), "amanhã às 02:00"),
        // 183 days or more ahead, or in the past: with the year.
        (
            local(Sao_Paulo, 2027, 6, 21, 8, 0),
            "segunda-feira, 21/06, às 08:00",
        ),
        (
            local(Sao_Paulo, 2027, 6, 22, 8, 0),
            "terça-feira, 22/06/2027, às 08:00",
        ),
        (sp(14, 8, 0), "segunda-feira, 14/12/2026, às 08:00"),
    ];
    for (opens_at, text) in cases {
        assert_eq!(hours.describe_opening(opens_at, now), text, "{LC22}");
    }
    // Days are the inbox's local days: at 23:30 in São Paulo (02:30Z of
    // the next UTC day), 08:00 the next morning is "amanhã".
    let late = sp(21, 23, 30);
    assert_eq!(late, utc(2026, 12, 22, 2, 30));
    assert_eq!(
        hours.describe_opening(sp(22, 8, 0), late),
        "amanhã às 08:00"
    );
    assert_eq!(
        describe_opening(sp(22, 8, 0), chrono_tz::UTC, late),
        "hoje às 11:00"
    );
}

#[test]
fn what_the_bot_says_outside_hours() {
    // LC-22 end to end: closed on Christmas, the bot tells the next opening.
    let hours = office();
    let now = sp(25, 10, 0);
    let HoursStatus::Closed {
        opens_at: Some(opens_at),
    } = hours.status(now)
    else {
        panic!("closed on Christmas");
    };
    let holiday = hours.holiday_at(now).and_then(|h| h.name.as_deref());
    assert_eq!(holiday, Some("Natal"));
    assert_eq!(hours.describe_opening(opens_at, now), "amanhã às 08:00");
    let at_weekend = sp(26, 14, 0);
    let next = hours.next_opening(at_weekend).expect("opens on Monday");
    assert_eq!(
        hours.describe_opening(next, at_weekend),
        "segunda-feira, 28/12, às 08:00",
        "{LC22}"
    );
}

#[test]
fn daylight_saving_gap_at_midnight() {
    // São Paulo still had daylight saving time in 2018: on Sunday
    // 04/11/2018 the clock jumped from 00:00 (−03, 03:00Z) to 01:00 (−02),
    // so that day had no midnight. A shift from 00:00 starts at 01:00.
    let hours = BusinessHours::new(
        "America/Sao_Paulo",
        vec![
            shift(&[DayOfWeek::Sat], "20:00", "22:00"),
            shift(&[DayOfWeek::Sun], "00:00", "02:00"),
        ],
        Vec::new(),
    )
    .expect("valid hours");
    let change = utc(2018, 11, 4, 3, 0);
    assert_eq!(
        hours.status(utc(2018, 11, 4, 2, 0)),
        closed_until(change),
        "{CHOICE}"
    );
    assert_eq!(
        hours.status(change),
        open_until(utc(2018, 11, 4, 4, 0)),
        "02:00 −02"
    );
    assert_eq!(
        hours.describe_opening(change, utc(2018, 11, 4, 2, 0)),
        "amanhã à 01:00"
    );
}
