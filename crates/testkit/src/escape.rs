//! Meta's escaped-unicode JSON encoding.

use serde_json::Value;
use std::fmt::Write as _;

/// Serializes `v` as compact JSON in which every non-ASCII character is
/// written as a `\uXXXX` escape (lowercase hex; characters outside the Basic
/// Multilingual Plane, such as emoji, as a UTF-16 surrogate pair).
///
/// This is the byte form Meta signs and sends (channels.md §1.2), so a server
/// that re-encodes the parsed JSON before checking the signature fails on it.
pub fn ascii_escape_json(v: &Value) -> String {
    let compact = v.to_string();
    let mut out = String::with_capacity(compact.len() + compact.len() / 8);
    for c in compact.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            // Non-ASCII characters can only occur inside JSON strings, where
            // an escape is always valid.
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_bmp_and_astral_characters() {
        let v = json!({"a": "Café 😀", "ção": 1});
        assert_eq!(
            ascii_escape_json(&v),
            r#"{"a":"Caf\u00e9 \ud83d\ude00","\u00e7\u00e3o":1}"#
        );
    }

    #[test]
    fn keeps_existing_escapes_intact() {
        let v = json!({"q": "say \"oi\"\n\\"});
        let s = ascii_escape_json(&v);
        assert_eq!(s, r#"{"q":"say \"oi\"\n\\"}"#);
        assert_eq!(serde_json::from_str::<Value>(&s).ok(), Some(v));
    }
}
