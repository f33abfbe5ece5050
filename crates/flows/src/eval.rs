//! What the executor decides without I/O: whether a contact's answer fits
//! an `ask` step (and the value stored for it), and whether a
//! `condition` step's rules hold for the run's fields.

use std::collections::BTreeMap;

use atende_domain::{Document, Email, PhoneE164};
use chrono::NaiveDate;

use crate::model::{Answer, Match, Op, Rule};

/// Why an answer does not fit its question (for logs and run records; the
/// contact gets the step's own `invalid_message`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("resposta vazia")]
    Empty,
    #[error("não é um número")]
    NotANumber,
    #[error("fora do intervalo permitido")]
    OutOfRange,
    #[error("e-mail inválido")]
    Email,
    #[error("telefone inválido")]
    Phone,
    #[error("CPF ou CNPJ inválido")]
    Document,
    #[error("data inválida (use dd/mm/aaaa)")]
    Date,
    #[error("não é uma das opções")]
    NotAnOption,
}

/// The value to store for `input` as an answer of kind `answer`, in its
/// normal form: a number with a dot, an e-mail in lower case, a phone in
/// E.164, a CPF/CNPJ as digits, a date as `aaaa-mm-dd`, an option as
/// written in the flow.
pub fn check_answer(answer: &Answer, input: &str) -> Result<String, AnswerError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(AnswerError::Empty);
    }
    match answer {
        Answer::Text => Ok(input.to_string()),
        Answer::Number { min, max } => {
            let n = number(input).ok_or(AnswerError::NotANumber)?;
            if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                return Err(AnswerError::OutOfRange);
            }
            Ok(n.to_string())
        }
        Answer::Email => Email::parse(input)
            .map(|e| e.as_str().to_string())
            .map_err(|_| AnswerError::Email),
        Answer::Phone => PhoneE164::parse_br(input)
            .map(|p| p.as_str().to_string())
            .map_err(|_| AnswerError::Phone),
        Answer::Document => Document::parse(input)
            .map(|d| d.as_str().to_string())
            .map_err(|_| AnswerError::Document),
        Answer::Date => date(input)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .ok_or(AnswerError::Date),
        Answer::Option { options } => options
            .iter()
            .find(|o| o.trim().to_lowercase() == input.to_lowercase())
            .cloned()
            .ok_or(AnswerError::NotAnOption),
    }
}

/// A number as people type it here: `10`, `-2.5`, `2,5`.
fn number(s: &str) -> Option<f64> {
    s.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
}

/// `dd/mm/aaaa` (also with `-` or `.`), or ISO `aaaa-mm-dd`.
fn date(s: &str) -> Option<NaiveDate> {
    ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

/// Whether `rules` hold for `fields` (all of them, or any). Text
/// comparisons ignore case and surrounding spaces; `greater` and `less`
/// compare numbers and fail when either side is not one; a missing field is
/// empty.
pub fn rules_hold(matching: Match, rules: &[Rule], fields: &BTreeMap<String, String>) -> bool {
    let holds = |r: &Rule| {
        let field = fields.get(&r.field).map(|s| s.trim()).unwrap_or("");
        let (a, b) = (field.to_lowercase(), r.value.trim().to_lowercase());
        match r.op {
            Op::Equals => a == b,
            Op::Contains => a.contains(&b),
            Op::StartsWith => a.starts_with(&b),
            Op::Regex => regex::Regex::new(&r.value).is_ok_and(|re| re.is_match(field)),
            Op::Greater => number(field)
                .zip(number(&r.value))
                .is_some_and(|(x, y)| x > y),
            Op::Less => number(field)
                .zip(number(&r.value))
                .is_some_and(|(x, y)| x < y),
            Op::Empty => field.is_empty(),
        }
    };
    match matching {
        Match::All => rules.iter().all(holds),
        Match::Any => rules.iter().any(holds),
    }
}
