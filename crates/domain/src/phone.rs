//! Phone numbers in E.164, with the Brazilian rules written out by hand:
//! area codes (DDD), the mobile ninth digit and the trunk/carrier prefixes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{DomainError, Result};

/// Brazil's country calling code.
const BR: &str = "55";

/// Every Brazilian area code (DDD) in use, per Anatel's numbering plan.
/// Codes such as 20, 23, 25, 26, 29, 30, 36, 39, 40, 50, 52, 56–60, 70, 72,
/// 76, 78, 80 and 90 do not exist.
pub const BR_AREA_CODES: [u8; 67] = [
    11, 12, 13, 14, 15, 16, 17, 18, 19, // SP
    21, 22, 24, // RJ
    27, 28, // ES
    31, 32, 33, 34, 35, 37, 38, // MG
    41, 42, 43, 44, 45, 46, // PR
    47, 48, 49, // SC
    51, 53, 54, 55, // RS
    61, // DF
    62, 64, // GO
    63, // TO
    65, 66, // MT
    67, // MS
    68, // AC
    69, // RO
    71, 73, 74, 75, 77, // BA
    79, // SE
    81, 87, // PE
    82, // AL
    83, // PB
    84, // RN
    85, 88, // CE
    86, 89, // PI
    91, 93, 94, // PA
    92, 97, // AM
    95, // RR
    96, // AP
    98, 99, // MA
];

/// A phone number in E.164: `+` followed by 8 to 15 digits. Brazilian
/// numbers are always stored with a valid DDD and, for mobiles, the ninth
/// digit, so one person has one spelling whatever the input looked like.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneE164(String);

impl PhoneE164 {
    /// Parses a number as a Brazilian user would type it.
    ///
    /// Accepts spaces, dashes, dots, slashes and parentheses anywhere, and:
    /// - national numbers: `(11) 98765-4321`, `11 3265-4321`;
    /// - with the country code: `+55 11 98765-4321`, `5511987654321`;
    /// - with the trunk prefix `0`: `011 98765 4321`;
    /// - with the trunk prefix and a two-digit carrier code (CSP), as in
    ///   `0 21 11 98765-4321`: the carrier code is dropped, because it selects
    ///   a long-distance carrier and is not part of the number.
    ///
    /// An input that starts with `+` or `00` is an explicit international
    /// number and is handed to [`Self::parse_international`], so a foreign
    /// number pasted into a Brazilian form still works. A number without DDD
    /// (8 or 9 digits) is refused: the area cannot be guessed.
    pub fn parse_br(input: &str) -> Result<Self> {
        let raw = Raw::scan(input)?;
        if raw.international {
            return Self::from_international_digits(&raw.digits);
        }
        let digits = raw.digits.as_str();
        let national = match (digits.strip_prefix('0'), digits.len()) {
            // 0 + carrier code (2 digits) + DDD + 8 or 9 digits.
            (Some(rest), 13 | 14) => &rest[2..],
            (Some(rest), _) => rest,
            // Country code without '+': national numbers are at most 11
            // digits, so 12 or 13 digits starting with 55 carry the country.
            (None, 12 | 13) if digits.starts_with(BR) => &digits[2..],
            (None, _) => digits,
        };
        Self::from_br_national(national)
    }

    /// Parses a number given with its country code, e.g. `+351 912 345 678`,
    /// `0044 20 7946 0958` or a WhatsApp `wa_id` such as `5511987654321`.
    ///
    /// Spaces, dashes, parentheses and dots are removed, then a leading `+` or
    /// `00`; what remains must be 8 to 15 digits not starting with 0. Numbers
    /// with country code 55 go through the Brazilian rules (valid DDD, ninth
    /// digit added to mobiles), so `551187654321` becomes `+5511987654321`.
    pub fn parse_international(input: &str) -> Result<Self> {
        let raw = Raw::scan(input)?;
        Self::from_international_digits(&raw.digits)
    }

    fn from_international_digits(digits: &str) -> Result<Self> {
        if !(8..=15).contains(&digits.len()) {
            return Err(invalid("com o código do país são de 8 a 15 dígitos"));
        }
        if digits.starts_with('0') {
            return Err(invalid("o código do país não começa com 0"));
        }
        match digits.strip_prefix(BR) {
            Some(national) => Self::from_br_national(national),
            None => Ok(Self(format!("+{digits}"))),
        }
    }

    /// `national` is DDD + local number, digits only.
    fn from_br_national(national: &str) -> Result<Self> {
        if national.len() < 10 {
            return Err(invalid("informe o DDD e o número"));
        }
        if national.len() > 11 {
            return Err(invalid("número brasileiro longo demais"));
        }
        let (ddd, local) = national.split_at(2);
        if !is_area_code(ddd) {
            return Err(DomainError::InvalidPhone(format!("DDD {ddd} não existe")));
        }
        let first = local.as_bytes()[0];
        let local = match (local.len(), first) {
            (9, b'9') => local.to_owned(),
            (9, _) => return Err(invalid("celular com 9 dígitos começa com 9")),
            // Landline: stays as it is.
            (8, b'2'..=b'5') => local.to_owned(),
            // Mobile written without the ninth digit (old habit, and how
            // WhatsApp's wa_id often spells Brazilian mobiles).
            (8, b'6'..=b'9') => format!("9{local}"),
            _ => return Err(invalid("o número local não pode começar com 0 ou 1")),
        };
        Ok(Self(format!("+{BR}{ddd}{local}")))
    }

    /// The E.164 text, e.g. `+5511987654321`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits without the `+`, e.g. `5511987654321` (the form WhatsApp uses).
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }

    /// For reading: a Brazilian number as `+55 11 98765-4321` (landlines
    /// `+55 11 3456-7890`); others as stored.
    pub fn display(&self) -> String {
        let d = self.digits();
        match d.strip_prefix(BR) {
            Some(rest) if rest.len() == 10 || rest.len() == 11 => {
                let (ddd, local) = rest.split_at(2);
                let (a, b) = local.split_at(local.len() - 4);
                format!("+{BR} {ddd} {a}-{b}")
            }
            _ => self.0.clone(),
        }
    }

    /// Whether this is a Brazilian mobile number (`+55 DDD 9XXXX-XXXX`).
    pub fn is_br_mobile(&self) -> bool {
        self.digits()
            .strip_prefix(BR)
            .is_some_and(|national| national.len() == 11)
    }

    /// The 8 digits after the ninth digit of a Brazilian mobile number whose
    /// old, eight-digit form is still meaningful (starts with 6–9).
    fn br_mobile_rest(&self) -> Option<&str> {
        let national = self.digits().strip_prefix(BR)?;
        let rest = national.get(2..)?.strip_prefix('9')?;
        (rest.len() == 8 && matches!(rest.as_bytes()[0], b'6'..=b'9')).then_some(rest)
    }

    /// The digit spellings under which a provider may know this number:
    /// for a Brazilian mobile, with the ninth digit first and then without
    /// it (`5511987654321`, `551187654321`), because WhatsApp's `wa_id` for
    /// Brazil often omits it; for any other number, just [`Self::digits`].
    pub fn wa_id_variants(&self) -> Vec<String> {
        let mut variants = vec![self.digits().to_owned()];
        if let Some(rest) = self.br_mobile_rest() {
            let ddd = &self.digits()[2..4];
            variants.push(format!("{BR}{ddd}{rest}"));
        }
        variants
    }
}

fn invalid(reason: &str) -> DomainError {
    DomainError::InvalidPhone(reason.to_owned())
}

fn is_area_code(ddd: &str) -> bool {
    ddd.parse::<u8>()
        .is_ok_and(|code| BR_AREA_CODES.contains(&code))
}

/// Input reduced to its digits, remembering an international prefix.
struct Raw {
    digits: String,
    international: bool,
}

impl Raw {
    fn scan(input: &str) -> Result<Self> {
        let trimmed = input.trim();
        let (plus, body) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(body.len());
        for c in body.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '-' | '(' | ')' | '.' | '/' => {}
                c if c.is_whitespace() => {}
                _ => return Err(invalid("use apenas números, espaços, traços e parênteses")),
            }
        }
        if digits.is_empty() {
            return Err(invalid("nenhum número informado"));
        }
        if plus {
            return Ok(Self {
                digits,
                international: true,
            });
        }
        match digits.strip_prefix("00") {
            Some(rest) => Ok(Self {
                digits: rest.to_owned(),
                international: true,
            }),
            None => Ok(Self {
                digits,
                international: false,
            }),
        }
    }
}

impl fmt::Display for PhoneE164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PhoneE164 {
    type Err = DomainError;

    /// Same as [`PhoneE164::parse_international`]: stored and wire forms
    /// always carry the country code.
    fn from_str(s: &str) -> Result<Self> {
        Self::parse_international(s)
    }
}

impl TryFrom<String> for PhoneE164 {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self> {
        Self::parse_international(&value)
    }
}

impl From<PhoneE164> for String {
    fn from(value: PhoneE164) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests;
