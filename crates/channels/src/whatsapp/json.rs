//! Lenient accessors over `serde_json::Value`.
//!
//! Every accessor treats a missing key, a `null` and a value of the wrong type
//! the same way (as absent), so a provider that adds, drops or retypes a field
//! never makes the parser fail or panic.

use serde_json::Value;

/// The array at `key`, or an empty slice when it is absent or not an array.
pub(crate) fn array_at<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    match v.get(key) {
        Some(Value::Array(items)) => items,
        _ => &[],
    }
}

/// The string at `key`; `None` when absent or not a string.
pub(crate) fn str_at(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// An identifier at `key`: a string, or an integer number written as digits.
pub(crate) fn id_at(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

/// `true` only when `key` holds the boolean `true` (or the string `"true"`).
pub(crate) fn bool_at(v: &Value, key: &str) -> bool {
    match v.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

/// A verbatim copy of the value at `key`, unless it is absent or `null`.
pub(crate) fn value_at(v: &Value, key: &str) -> Option<Value> {
    match v.get(key)? {
        Value::Null => None,
        other => Some(other.clone()),
    }
}

/// An integer from a number or a numeric string (`"1749416383"`).
pub(crate) fn i64_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            // Whole floats such as 1749416383.0 only; the bound keeps the cast exact.
            (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-negative integer from a number or a numeric string.
pub(crate) fn u64_of(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A finite float from a number or a numeric string (`"-23.55"`).
pub(crate) fn f64_of(v: &Value) -> Option<f64> {
    let f = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    f.is_finite().then_some(f)
}

/// A Unix timestamp in seconds at `key`; 0 when absent or unreadable.
pub(crate) fn timestamp_at(v: &Value, key: &str) -> i64 {
    v.get(key).and_then(i64_of).unwrap_or(0)
}

/// At most `max` characters of `s`, for error messages that quote input.
pub(crate) fn truncate_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}
