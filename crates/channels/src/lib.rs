//! Channel adapters of Atende.
//!
//! Pure translation between provider wire formats and Atende's vocabulary:
//! bytes of a webhook in, normalized events out; an outbound message in, the
//! JSON body to post out; a provider answer in, success or a classified error
//! out. Nothing here does I/O, so every adapter is tested with plain tables.

pub mod adapter;
pub mod inbound;
pub mod meta;
#[cfg(test)]
mod mutate;
pub mod nul;
pub mod telegram;
pub mod whatsapp;

pub use adapter::Adapter;

/// How a provider error should be handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// A transient failure: retry the same request with backoff.
    Retryable,
    /// A rate limit: retry later, slower, without counting it as a failure.
    RateLimited,
    /// The request itself is wrong or not allowed: retrying will not help.
    Permanent,
    /// The credentials were refused: the channel needs a new token.
    Reauth,
}

/// A text in pieces of at most `limit` characters, cut after the last line
/// break (else space) of each piece when there is one.
pub fn split_text(text: &str, limit: usize) -> Vec<String> {
    let mut out = vec![];
    let mut rest = text;
    while rest.chars().count() > limit {
        let hard = rest
            .char_indices()
            .nth(limit)
            .map_or(rest.len(), |(i, _)| i);
        let head = &rest[..hard];
        let at = head
            .rfind('\n')
            .or_else(|| head.rfind(' '))
            .filter(|&i| i > 0)
            .map_or(hard, |i| i + 1);
        out.push(rest[..at].trim_end().to_string());
        rest = &rest[at..];
    }
    if !rest.is_empty() || out.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// Whether two secrets are equal, in time that does not depend on where
/// they differ.
pub fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A link a provider handed us, kept only when it is `http(s)`: anything else
/// (`javascript:`, `data:`, …) would run or load in an agent's browser when
/// shown as a link (DESIGN §8).
pub fn web_link(url: &str) -> Option<&str> {
    let t = url.trim();
    let scheme = t.split_once(':')?.0;
    (scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http"))
        .then_some(t)
        .filter(|t| t.len() > scheme.len() + 3 && t[scheme.len()..].starts_with("://"))
}

/// Drops every string field of a provider's object whose name says it is a
/// link (`…url`, `…link`) and whose value is not an `http(s)` link.
pub fn keep_web_links(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.retain(|k, inner| {
                let key = k.to_ascii_lowercase();
                let is_link = key.ends_with("url") || key.ends_with("link");
                !(is_link && inner.as_str().is_some_and(|s| web_link(s).is_none()))
            });
            map.values_mut().for_each(keep_web_links);
        }
        serde_json::Value::Array(list) => list.iter_mut().for_each(keep_web_links),
        _ => {}
    }
}

#[cfg(test)]
mod link_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_http_links_survive() {
        assert_eq!(web_link(" https://fb.me/x "), Some("https://fb.me/x"));
        assert_eq!(web_link("HTTP://a.b"), Some("HTTP://a.b"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "https:",
            "//evil",
            "vbscript:x",
            "",
        ] {
            assert_eq!(web_link(bad), None, "{bad}");
        }
        let mut r = json!({"source_url": "javascript:alert(document.cookie)", "source_id": "1",
            "image_url": "https://x/y.png", "nested": [{"thumbnail_url": "data:x"}], "headline": "javascript:ok"});
        keep_web_links(&mut r);
        assert_eq!(
            r,
            json!({"source_id": "1", "image_url": "https://x/y.png", "nested": [{}], "headline": "javascript:ok"})
        );
    }
}
