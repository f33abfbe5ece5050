//! pt-BR formatting of the values printed in the PDFs, and the guards
//! applied to user text before it reaches a template.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};

/// Only web links become clickable: a `javascript:` or `file:` URL in the
/// data must not end up as an action in the PDF.
pub(crate) fn is_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Whether `text` shapes the same without the fonts' glyph composition
/// (OpenType `ccmp`): it holds only Latin letters, digits, punctuation and
/// single emoji, no combining mark, joiner, flag, skin tone or variation
/// selector. Inter composes only base letters with combining marks, and
/// Noto Color Emoji builds flags, skin tones, keycaps and joined emoji
/// (families, professions) with it; for everything else the feature is a
/// no-op that costs about a sixth of a long history's layout time.
pub(crate) fn needs_no_composition(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(c,
            // Basic Latin to Latin Extended-B, IPA, spacing modifiers.
            '\0'..='\u{2FF}'
            // General Punctuation (dashes, quotes, ellipsis, the zero-width
            // space of `breakable`), but not the (non-)joiners U+200C/D.
            | '\u{2000}'..='\u{200B}'
            | '\u{200E}'..='\u{206F}'
            // Currency symbols (€).
            | '\u{20A0}'..='\u{20CF}'
            // Miscellaneous Symbols and Dingbats (☀ ✅ ❤ without U+FE0F).
            | '\u{2600}'..='\u{27BF}'
            // Pictographs and emoticons, but not the skin-tone modifiers
            // U+1F3FB..=U+1F3FF nor the flags' regional indicators.
            | '\u{1F300}'..='\u{1F3FA}'
            | '\u{1F400}'..='\u{1F64F}'
            | '\u{1F680}'..='\u{1F6FF}'
            | '\u{1F900}'..='\u{1FAFF}')
    })
}

/// Words longer than this get invisible break opportunities so a long URL or
/// token wraps instead of running off the page.
const LONG_WORD: usize = 40;

/// `text` with a zero-width space after every [`LONG_WORD`] characters of an
/// unbroken run. Borrowed unchanged in the common case.
pub(crate) fn breakable(text: &str) -> Cow<'_, str> {
    let mut run = 0;
    let needs = text.chars().any(|c| {
        run = if c.is_whitespace() { 0 } else { run + 1 };
        run > LONG_WORD
    });
    if !needs {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / LONG_WORD * 3);
    run = 0;
    for c in text.chars() {
        if c.is_whitespace() {
            run = 0;
        } else if run == LONG_WORD {
            out.push('\u{200B}');
            run = 0;
        }
        if !c.is_whitespace() {
            run += 1;
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// `24/02/2026`.
pub(crate) fn date_br(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `24/02/2026 13:30`.
pub(crate) fn datetime_br(t: NaiveDateTime) -> String {
    t.format("%d/%m/%Y %H:%M").to_string()
}

/// `terça-feira, 24 de fevereiro de 2026`.
pub(crate) fn day_label(d: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ];
    let weekday = match d.weekday() {
        Weekday::Mon => "segunda-feira",
        Weekday::Tue => "terça-feira",
        Weekday::Wed => "quarta-feira",
        Weekday::Thu => "quinta-feira",
        Weekday::Fri => "sexta-feira",
        Weekday::Sat => "sábado",
        Weekday::Sun => "domingo",
    };
    format!(
        "{weekday}, {} de {} de {}",
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// `1.234.567`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}
