//! Webhook authenticity: the `X-Hub-Signature-256` header and the
//! `hub.verify_token` handshake (channels.md §1.1, §1.2).

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Prefix of the `X-Hub-Signature-256` header value.
const PREFIX: &str = "sha256=";

/// Hex characters of a SHA-256 digest.
const DIGEST_HEX_LEN: usize = 64;

/// A MAC keyed with `key`.
fn keyed(key: &[u8]) -> HmacSha256 {
    // HMAC is defined for keys of every length (long keys are hashed, short
    // ones padded), so this constructor has no failing case for HMAC-SHA256.
    HmacSha256::new_from_slice(key).expect("HMAC-SHA256 accepts keys of any length")
}

/// Whether `header` (the `X-Hub-Signature-256` value) is the HMAC-SHA256 of
/// the raw `body` bytes keyed with the App Secret.
///
/// Hash the body exactly as received: Meta signs its ASCII-escaped JSON, so a
/// re-serialized body fails. The comparison is constant time. Returns `false`
/// when the header is missing, lacks the `sha256=` prefix, or is not 64
/// lowercase hex characters.
pub fn verify_signature(app_secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_digest) = header.and_then(|h| h.strip_prefix(PREFIX)) else {
        return false;
    };
    let well_formed = hex_digest.len() == DIGEST_HEX_LEN
        && hex_digest
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !well_formed {
        return false;
    }
    let Ok(expected) = hex::decode(hex_digest) else {
        return false;
    };
    let mut mac = keyed(app_secret.as_bytes());
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// The `X-Hub-Signature-256` value Meta would send for `body`:
/// `sha256=<lowercase hex>`. Used by fakes and tests.
pub fn sign(app_secret: &str, body: &[u8]) -> String {
    let mut mac = keyed(app_secret.as_bytes());
    mac.update(body);
    format!("{PREFIX}{}", hex::encode(mac.finalize().into_bytes()))
}

/// The subscription handshake (`GET ?hub.mode&hub.verify_token&hub.challenge`).
///
/// Returns the challenge to echo with `200` when `mode` is `subscribe` and
/// `token` equals `expected_token`; `None` means answer `403`. The tokens are
/// compared in constant time. An empty `expected_token` never matches, so an
/// unconfigured channel cannot be subscribed with an empty token.
pub fn verify_challenge(
    mode: Option<&str>,
    token: Option<&str>,
    challenge: Option<&str>,
    expected_token: &str,
) -> Option<String> {
    if mode != Some("subscribe") || expected_token.is_empty() {
        return None;
    }
    let token = token?;
    // Comparing two MACs of the tokens makes the check constant time and
    // independent of their lengths.
    let mut expected = keyed(b"atende-verify-token");
    expected.update(expected_token.as_bytes());
    let mut given = keyed(b"atende-verify-token");
    given.update(token.as_bytes());
    if given
        .verify_slice(&expected.finalize().into_bytes())
        .is_err()
    {
        return None;
    }
    challenge.map(str::to_owned)
}
