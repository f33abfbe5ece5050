//! Attendance protocols (AD-6): `AAAAMMDD` + a 9-digit sequence, 17 digits.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{DomainError, Result};

/// The calendar whose day a protocol's date is: Brasília's, so an attendance
/// opened at 22:00 of the 22nd in São Paulo reads 22, not the UTC 23rd.
pub const PROTOCOL_TIME_ZONE: chrono_tz::Tz = chrono_tz::America::Sao_Paulo;

/// The day a protocol opened at `now` carries.
pub fn protocol_day(now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    now.with_timezone(&PROTOCOL_TIME_ZONE).date_naive()
}

/// Number of digits of a protocol.
pub const PROTOCOL_LEN: usize = 17;
/// Largest sequence that fits the 9 digits after the date.
pub const MAX_PROTOCOL_SEQUENCE: u64 = 999_999_999;

/// The protocol of an attendance, generated when it opens: the opening date
/// as `AAAAMMDD` followed by a sequence of 9 digits, 17 digits in all, e.g.
/// `20251007092633646`.
///
/// Uniqueness is not a property of the value: the store allocates the
/// sequence from a counter per organization and per day (and a unique index
/// on `(org_id, protocol)` backs it), so two attendances of one organization
/// never share a protocol. The sequence starts at 1.
///
/// Ordering is by text, which is chronological by day and then by sequence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Protocol(String);

impl Protocol {
    /// The protocol for `date` and `sequence` (1 to 999 999 999), zero-padded.
    pub fn new(date: NaiveDate, sequence: u64) -> Result<Self> {
        if !(1..=MAX_PROTOCOL_SEQUENCE).contains(&sequence) || !(0..=9999).contains(&date.year()) {
            return Err(DomainError::InvalidProtocol);
        }
        Ok(Self(format!("{}{sequence:09}", date.format("%Y%m%d"))))
    }

    /// Parses 17 ASCII digits whose first 8 are a real date and whose last 9
    /// are not all zero (spaces around are ignored).
    pub fn parse(input: &str) -> Result<Self> {
        let text = input.trim();
        if text.len() != PROTOCOL_LEN || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::InvalidProtocol);
        }
        let date = parse_date(&text[..8]).ok_or(DomainError::InvalidProtocol)?;
        let sequence = text[8..]
            .parse::<u64>()
            .map_err(|_| DomainError::InvalidProtocol)?;
        Self::new(date, sequence)
    }

    /// The date the attendance opened.
    pub fn date(&self) -> NaiveDate {
        parse_date(&self.0[..8]).expect("a Protocol always starts with a valid date")
    }

    /// The sequence within the organization's day.
    pub fn sequence(&self) -> u64 {
        self.0[8..]
            .parse()
            .expect("a Protocol always ends with 9 digits")
    }

    /// The 17 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `YYYYMMDD` (8 ASCII digits already checked) to a date, if it exists.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let year = text[..4].parse().ok()?;
    let month = text[4..6].parse().ok()?;
    let day = text[6..8].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Protocol {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Protocol {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self> {
        Self::parse(&value)
    }
}

impl From<Protocol> for String {
    fn from(value: Protocol) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seed 001 l. 45, the rule and its example.
    const SEED: &str = "protocolos gerados na plataforma sempre começam com AAAAMMDD e uma sequência de números, totalizando 17 números. Exemplo: 20251007092633646.";

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn parse_table() {
        let cases: [(&str, Option<(NaiveDate, u64)>); 11] = [
            ("20251007092633646", Some((date(2025, 10, 7), 92_633_646))),
            (" 20240229000000001 ", Some((date(2024, 2, 29), 1))),
            ("20251231999999999", Some((date(2025, 12, 31), 999_999_999))),
            ("2025100709263364", None),   // 16 digits
            ("202510070926336460", None), // 18 digits
            ("20251007O92633646", None),  // letter O
            ("20251307092633646", None),  // month 13
            ("20250229092633646", None),  // 2025 is not a leap year
            ("20251000092633646", None),  // day 0
            ("20251007000000000", None),  // sequence 0
            ("+2025100709263364", None),
        ];
        for (input, expected) in cases {
            let result = Protocol::parse(input);
            match expected {
                Some((day, sequence)) => {
                    let protocol = result.unwrap_or_else(|e| panic!("{input:?}: {e} ({SEED})"));
                    assert_eq!(protocol.date(), day, "{input:?}");
                    assert_eq!(protocol.sequence(), sequence, "{input:?}");
                    assert_eq!(protocol.as_str(), input.trim());
                    assert_eq!(protocol.as_str().len(), PROTOCOL_LEN);
                }
                None => assert_eq!(
                    result,
                    Err(DomainError::InvalidProtocol),
                    "{input:?} ({SEED})"
                ),
            }
        }
    }

    #[test]
    fn new_table() {
        let cases: [(NaiveDate, u64, Option<&str>); 6] = [
            (date(2025, 10, 7), 92_633_646, Some("20251007092633646")),
            (date(2025, 10, 7), 1, Some("20251007000000001")),
            (date(2025, 1, 5), 999_999_999, Some("20250105999999999")),
            (date(2025, 10, 7), 0, None),
            (date(2025, 10, 7), 1_000_000_000, None),
            (date(10000, 1, 1), 1, None), // would not fit AAAA
        ];
        for (day, sequence, expected) in cases {
            let result = Protocol::new(day, sequence);
            match expected {
                Some(text) => {
                    let protocol = result.unwrap_or_else(|e| panic!("{day} {sequence}: {e}"));
                    assert_eq!(protocol.as_str(), text, "{SEED}");
                    assert_eq!(Protocol::parse(text), Ok(protocol));
                }
                None => assert_eq!(
                    result,
                    Err(DomainError::InvalidProtocol),
                    "{day} {sequence}"
                ),
            }
        }
    }

    #[test]
    fn order_and_serde() {
        let earlier = Protocol::new(date(2025, 10, 6), 999).expect("valid");
        let later = Protocol::new(date(2025, 10, 7), 1).expect("valid");
        assert!(earlier < later);
        let json = serde_json::to_string(&later).expect("serializes");
        assert_eq!(json, "\"20251007000000001\"");
        assert_eq!(
            serde_json::from_str::<Protocol>(&json).expect("parses"),
            later
        );
        assert!(serde_json::from_str::<Protocol>("\"20251307092633646\"").is_err());
    }

    #[test]
    fn the_date_is_brasilias_day() {
        use chrono::TimeZone;
        // 01:30 UTC on the 23rd is 22:30 on the 22nd in São Paulo.
        let late = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 1, 30, 0)
            .unwrap();
        assert_eq!(protocol_day(late), date(2026, 11, 22));
        let morning = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
            .unwrap();
        assert_eq!(protocol_day(morning), date(2026, 11, 23));
    }
}
