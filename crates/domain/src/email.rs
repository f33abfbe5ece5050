//! E-mail addresses, normalised so that exact search (seed 000: "E-mail e ID
//! utilizam busca exata") finds a contact whatever the capitalisation.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{DomainError, Result};

/// Longest address allowed (RFC 5321 path limit less the angle brackets).
const MAX_LEN: usize = 254;
/// Longest local part (RFC 5321).
const MAX_LOCAL_LEN: usize = 64;

/// An e-mail address: trimmed, lower-case, `local@domain.tld`.
///
/// The check is deliberately shallow (shape, not deliverability): one `@`, a
/// non-empty local part of at most 64 characters, a domain with at least one
/// dot, no empty labels and no whitespace anywhere, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses and normalises an address.
    pub fn parse(input: &str) -> Result<Self> {
        let text = input.trim().to_lowercase();
        if text.is_empty() || text.len() > MAX_LEN || text.chars().any(char::is_whitespace) {
            return Err(DomainError::InvalidEmail);
        }
        let (local, domain) = text.split_once('@').ok_or(DomainError::InvalidEmail)?;
        let domain_ok = domain.contains('.') && domain.split('.').all(|label| !label.is_empty());
        if local.is_empty() || local.len() > MAX_LOCAL_LEN || domain.contains('@') || !domain_ok {
            return Err(DomainError::InvalidEmail);
        }
        Ok(Self(text))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Email {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Email {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seed 000: e-mail search is exact, so the stored form must be canonical.
    const SEED_EXACT: &str = "E-mail e ID utilizam busca exata.";
    /// Seed 004 l. 110: a contact card carries an e-mail.
    const SEED_CARD: &str = "Informe o nome do contato, o e-mail e/ou telefone.";

    #[test]
    fn parse_table() {
        let long_local = format!("{}@exemplo.com.br", "a".repeat(65));
        let too_long = format!("{}@{}.com", "a".repeat(60), "b".repeat(200));
        let cases: Vec<(&str, Option<&str>, &str)> = vec![
            (
                "maria@exemplo.com.br",
                Some("maria@exemplo.com.br"),
                SEED_CARD,
            ),
            (
                "  Maria.Silva@Exemplo.COM ",
                Some("maria.silva@exemplo.com"),
                SEED_EXACT,
            ),
            (
                "joão+vendas@empresa.com.br",
                Some("joão+vendas@empresa.com.br"),
                SEED_CARD,
            ),
            ("", None, SEED_CARD),
            ("maria", None, SEED_CARD),
            ("@exemplo.com", None, SEED_CARD),
            ("maria@", None, SEED_CARD),
            ("maria@exemplo", None, SEED_CARD),
            ("maria@@exemplo.com", None, SEED_CARD),
            ("maria@a@exemplo.com", None, SEED_CARD),
            ("maria silva@exemplo.com", None, SEED_CARD),
            ("maria@exemplo..com", None, SEED_CARD),
            ("maria@.exemplo.com", None, SEED_CARD),
            ("maria@exemplo.com.", None, SEED_CARD),
            (long_local.as_str(), None, SEED_CARD),
            (too_long.as_str(), None, SEED_CARD),
        ];
        for (input, expected, seed) in cases {
            let result = Email::parse(input);
            match expected {
                Some(normalised) => {
                    let email = result.unwrap_or_else(|e| panic!("{input:?}: {e} ({seed})"));
                    assert_eq!(email.as_str(), normalised);
                    assert_eq!(email.to_string(), normalised);
                }
                None => assert_eq!(result, Err(DomainError::InvalidEmail), "{input:?} ({seed})"),
            }
        }
    }

    #[test]
    fn serde_normalises() {
        let email: Email = serde_json::from_str("\"Ana@Exemplo.com\"").expect("valid");
        assert_eq!(email.as_str(), "ana@exemplo.com");
        assert_eq!(
            serde_json::to_string(&email).expect("serializes"),
            "\"ana@exemplo.com\""
        );
        assert!(serde_json::from_str::<Email>("\"ana\"").is_err());
    }
}
