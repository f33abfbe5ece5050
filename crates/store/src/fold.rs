//! Accent- and case-insensitive matching of contact names, the same on
//! both backends: "joao" finds "João", "CONCEICAO" finds "Conceição".
//!
//! Neither backend folds accents by itself in a portable way (PostgreSQL's
//! `unaccent` is an extension; SQLite's `LOWER` only lowers ASCII), and
//! folding every row at search time took seconds on a million contacts. So
//! a contact's name is kept folded in `contacts.name_key`, written by the
//! database (migration 0016: a trigger on SQLite, a generated column on
//! PostgreSQL), and the searched term is folded here, with the same table
//! of letters.

/// The accented letters of Portuguese, Spanish and French names, both
/// cases, and at the same position in [`PLAIN`] the lowercase letter each
/// matches (PostgreSQL's `translate` takes them as they are).
const ACCENTED: &str = "áàâãäÁÀÂÃÄéèêëÉÈÊËíìîïÍÌÎÏóòôõöÓÒÔÕÖúùûüÚÙÛÜçÇñÑ";
const PLAIN: &str = "aaaaaaaaaaeeeeeeeeiiiiiiiioooooooooouuuuuuuuccnn";

/// `text` lowercased and without the accents of [`ACCENTED`], as the
/// database folds `contacts.name_key`.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match ACCENTED.chars().position(|a| a == c) {
            Some(i) => out.extend(PLAIN.chars().nth(i)),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A `LIKE` pattern matching folded text that contains `term` folded; the
/// pattern's own wildcards are dropped from the term.
pub(crate) fn contains_pattern(term: &str) -> String {
    format!("%{}%", fold(term).replace(['%', '_'], ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_fold_away() {
        assert_eq!(fold("João da CONCEIÇÃO"), "joao da conceicao");
        assert_eq!(fold("Ñandú Müller"), "nandu muller");
        assert_eq!(fold("ÉRICA"), "erica");
        assert_eq!(contains_pattern("São_Paulo%"), "%saopaulo%");
    }

    #[test]
    fn the_migrations_fold_the_same_letters() {
        assert_eq!(ACCENTED.chars().count(), PLAIN.chars().count());
        let sqlite = include_str!("../migrations/sqlite/0016_contact_name_key.sql");
        let postgres = include_str!("../migrations/postgres/0016_contact_name_key.sql");
        for (from, to) in ACCENTED.chars().zip(PLAIN.chars()) {
            let pair = format!("'{from}', '{to}'");
            assert_eq!(sqlite.matches(&pair).count(), 3, "{pair} on SQLite");
        }
        assert!(
            postgres.contains(&format!("translate(lower(name), '{ACCENTED}', '{PLAIN}')")),
            "PostgreSQL folds other letters"
        );
    }
}
