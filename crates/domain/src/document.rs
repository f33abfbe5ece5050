//! Brazilian taxpayer documents: CPF (people) and CNPJ (companies), with their
//! mod-11 check digits computed by hand.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{DomainError, Result};

/// A valid CPF: 11 digits with correct check digits, not all equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cpf(String);

/// A valid CNPJ: 14 digits with correct check digits, not all equal.
///
/// Only the numeric CNPJ is accepted; the alphanumeric CNPJ announced by the
/// Receita Federal (letters in the first 12 positions) is not yet supported.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cnpj(String);

/// Either document, as a contact's "CPF/CNPJ" field holds it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Document {
    /// A person's CPF.
    Cpf(Cpf),
    /// A company's CNPJ.
    Cnpj(Cnpj),
}

const CNPJ_WEIGHTS: [u32; 13] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/// Digits of `input` after removing the usual punctuation (`.`, `-`, `/`,
/// spaces); `None` if anything else is present.
fn digits_of(input: &str) -> Option<Vec<u8>> {
    let mut digits = Vec::with_capacity(14);
    for c in input.trim().chars() {
        match c {
            '0'..='9' => digits.push(c as u8 - b'0'),
            '.' | '-' | '/' => {}
            c if c.is_whitespace() => {}
            _ => return None,
        }
    }
    Some(digits)
}

fn all_same(digits: &[u8]) -> bool {
    digits.windows(2).all(|pair| pair[0] == pair[1])
}

fn to_text(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// Sum of `digits[i] * weights[i]`.
fn weighted_sum(digits: &[u8], weights: impl IntoIterator<Item = u32>) -> u32 {
    digits
        .iter()
        .zip(weights)
        .map(|(&d, w)| u32::from(d) * w)
        .sum()
}

/// CPF check digit over `digits` (9 or 10 of them): weights run from
/// `len + 1` down to 2; the digit is `sum * 10 mod 11`, with 10 read as 0.
fn cpf_check_digit(digits: &[u8]) -> u8 {
    let top = digits.len() as u32 + 1;
    let rest = weighted_sum(digits, (2..=top).rev()) * 10 % 11;
    (rest % 10) as u8
}

/// CNPJ check digit over `digits` (12 or 13): weights are the tail of
/// 6,5,4,3,2,9,8,7,6,5,4,3,2; a remainder below 2 gives 0, else `11 - r`.
fn cnpj_check_digit(digits: &[u8]) -> u8 {
    let weights = &CNPJ_WEIGHTS[CNPJ_WEIGHTS.len() - digits.len()..];
    let rest = weighted_sum(digits, weights.iter().copied()) % 11;
    if rest < 2 { 0 } else { (11 - rest) as u8 }
}

impl Cpf {
    /// Parses `123.456.789-09` or `12345678909`.
    pub fn parse(input: &str) -> Result<Self> {
        let digits = digits_of(input).ok_or(DomainError::InvalidCpf)?;
        if digits.len() != 11 || all_same(&digits) {
            return Err(DomainError::InvalidCpf);
        }
        if cpf_check_digit(&digits[..9]) != digits[9]
            || cpf_check_digit(&digits[..10]) != digits[10]
        {
            return Err(DomainError::InvalidCpf);
        }
        Ok(Self(to_text(&digits)))
    }

    /// The 11 digits, e.g. `12345678909`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// With punctuation, e.g. `123.456.789-09`.
    pub fn formatted(&self) -> String {
        let d = &self.0;
        format!("{}.{}.{}-{}", &d[..3], &d[3..6], &d[6..9], &d[9..])
    }
}

impl Cnpj {
    /// Parses `12.345.678/0001-95` or `12345678000195`.
    pub fn parse(input: &str) -> Result<Self> {
        let digits = digits_of(input).ok_or(DomainError::InvalidCnpj)?;
        if digits.len() != 14 || all_same(&digits) {
            return Err(DomainError::InvalidCnpj);
        }
        if cnpj_check_digit(&digits[..12]) != digits[12]
            || cnpj_check_digit(&digits[..13]) != digits[13]
        {
            return Err(DomainError::InvalidCnpj);
        }
        Ok(Self(to_text(&digits)))
    }

    /// The 14 digits, e.g. `12345678000195`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// With punctuation, e.g. `12.345.678/0001-95`.
    pub fn formatted(&self) -> String {
        let d = &self.0;
        format!(
            "{}.{}.{}/{}-{}",
            &d[..2],
            &d[2..5],
            &d[5..8],
            &d[8..12],
            &d[12..]
        )
    }
}

impl Document {
    /// Parses a CPF or a CNPJ, deciding by the number of digits (11 or 14).
    pub fn parse(input: &str) -> Result<Self> {
        match digits_of(input).map(|d| d.len()) {
            Some(11) => Cpf::parse(input).map(Self::Cpf),
            Some(14) => Cnpj::parse(input).map(Self::Cnpj),
            _ => Err(DomainError::InvalidDocument),
        }
    }

    /// Digits only.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Cpf(cpf) => cpf.as_str(),
            Self::Cnpj(cnpj) => cnpj.as_str(),
        }
    }

    /// With punctuation.
    pub fn formatted(&self) -> String {
        match self {
            Self::Cpf(cpf) => cpf.formatted(),
            Self::Cnpj(cnpj) => cnpj.formatted(),
        }
    }
}

macro_rules! text_impls {
    ($name:ident) => {
        impl fmt::Display for $name {
            /// The formatted spelling, with punctuation.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.formatted())
            }
        }

        impl FromStr for $name {
            type Err = DomainError;

            fn from_str(s: &str) -> Result<Self> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = DomainError;

            fn try_from(value: String) -> Result<Self> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            /// Digits only: the stored and wire form.
            fn from(value: $name) -> Self {
                value.as_str().to_owned()
            }
        }
    };
}

text_impls!(Cpf);
text_impls!(Cnpj);
text_impls!(Document);

#[cfg(test)]
mod tests;
