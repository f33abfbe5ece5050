//! The one error type of the domain crate.
//!
//! Messages are pt-BR because they reach the user (the server puts them in
//! `{"error": {"message": …}}`). They never echo the rejected input back, so a
//! message can be logged without leaking a phone number or a document.

/// Why a value was refused by a domain constructor or rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A phone number that is not a valid Brazilian or international number.
    /// The payload says what is wrong (pt-BR).
    #[error("telefone inválido: {0}")]
    InvalidPhone(String),
    /// A CPF with the wrong length, wrong check digits or all digits equal.
    #[error("CPF inválido")]
    InvalidCpf,
    /// A CNPJ with the wrong length, wrong check digits or all digits equal.
    #[error("CNPJ inválido")]
    InvalidCnpj,
    /// A document that is neither 11 (CPF) nor 14 (CNPJ) digits long.
    #[error("documento inválido: informe um CPF (11 dígitos) ou um CNPJ (14 dígitos)")]
    InvalidDocument,
    /// An e-mail address that does not have the shape `local@domain.tld`.
    #[error("e-mail inválido")]
    InvalidEmail,
    /// A protocol that is not 17 digits starting with a valid date `AAAAMMDD`.
    #[error("protocolo inválido: são 17 números começando com a data AAAAMMDD")]
    InvalidProtocol,
    /// An identifier that is not a UUID.
    #[error("identificador inválido para {kind}")]
    InvalidId {
        /// What the id identifies (pt-BR), e.g. "conversa".
        kind: &'static str,
    },
    /// A value that does not fit the field it is meant for.
    #[error("valor inválido para {field}: {reason}")]
    InvalidValue {
        /// The field (or field type) that refused the value.
        field: String,
        /// What is wrong, in pt-BR.
        reason: String,
    },
    /// A name that is not one of the variants of an enumeration.
    #[error("valor desconhecido para {kind}: {value}")]
    UnknownVariant {
        /// The enumeration (pt-BR), e.g. "papel".
        kind: &'static str,
        /// The name that was not recognised.
        value: String,
    },
}

impl DomainError {
    /// Shorthand for [`DomainError::InvalidValue`].
    pub fn invalid_value(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidValue {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Result alias of the domain crate.
pub type Result<T> = std::result::Result<T, DomainError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_pt_br() {
        let cases = [
            (
                DomainError::InvalidPhone("DDD 20 não existe".into()),
                "telefone inválido: DDD 20 não existe",
            ),
            (DomainError::InvalidCpf, "CPF inválido"),
            (DomainError::InvalidCnpj, "CNPJ inválido"),
            (DomainError::InvalidEmail, "e-mail inválido"),
            (
                DomainError::invalid_value("número", "não é um número"),
                "valor inválido para número: não é um número",
            ),
            (
                DomainError::UnknownVariant {
                    kind: "papel",
                    value: "root".into(),
                },
                "valor desconhecido para papel: root",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
