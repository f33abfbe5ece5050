//! The NUL character in JSON (`\u0000`): valid JSON, but PostgreSQL stores
//! it neither in `text` nor in `jsonb`, so a customer's message carrying
//! one would fail the whole delivery, again on every retry. Webhook bodies
//! have it replaced by U+FFFD before they are read (after their signature
//! is checked on the bytes as sent); the API refuses it.

use std::borrow::Cow;

/// Where the `\u0000` escapes of a JSON text are (the offset of each
/// escape's backslash). An escaped backslash before `u0000` (`\\u0000`) is
/// a literal text, not a NUL.
fn nul_escapes(json: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < json.len() {
            if json[i] != b'\\' {
                i += 1;
                continue;
            }
            let start = i;
            while i < json.len() && json[i] == b'\\' {
                i += 1;
            }
            let run = i - start;
            if run % 2 == 1 && json[i..].starts_with(b"u0000") {
                i += 5;
                return Some(start + run - 1);
            }
        }
        None
    })
}

/// Whether a JSON text carries a NUL character.
pub fn has_nul(json: &[u8]) -> bool {
    nul_escapes(json).next().is_some()
}

/// The JSON text with every NUL character replaced by U+FFFD (borrowed
/// when it has none).
pub fn without_nul(json: &[u8]) -> Cow<'_, [u8]> {
    let at: Vec<usize> = nul_escapes(json).collect();
    if at.is_empty() {
        return Cow::Borrowed(json);
    }
    let mut out = json.to_vec();
    for i in at {
        // Same length: `\u0000` → `\ufffd`.
        out[i + 2..i + 6].copy_from_slice(b"fffd");
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_escapes_are_found_and_replaced_but_not_escaped_backslashes() {
        let body = br#"{"a":"x\u0000y","b":"\\u0000","c":"\\\u0000"}"#;
        assert!(has_nul(body));
        let clean = without_nul(body);
        let v: serde_json::Value = serde_json::from_slice(&clean).unwrap();
        assert_eq!(v["a"], "x\u{fffd}y");
        assert_eq!(v["b"], "\\u0000", "a literal backslash-u text stays");
        assert_eq!(v["c"], "\\\u{fffd}");
        assert!(!has_nul(&clean));
        assert!(matches!(without_nul(br#"{"a":"ok"}"#), Cow::Borrowed(_)));
        assert!(!has_nul(br#"{"b":"\\u0000"}"#));
        assert!(!has_nul(b"\\"));
        assert!(!has_nul(b"\\u000"));
    }
}
