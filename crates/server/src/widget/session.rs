//! A visitor's session token: which organization, inbox, contact and
//! conversation it speaks for, until when, signed with the server's key.
//! Stateless, so any node verifies it; the contact's block and the inbox's
//! existence are checked on every call anyway.

use atende_domain::{ContactId, ConversationId, InboxId, OrgId};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// How long a token lives; the widget refreshes it on every page load.
pub const TTL_MS: i64 = 30 * 24 * 3_600_000;

/// What a token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    #[serde(rename = "o")]
    pub org: OrgId,
    #[serde(rename = "i")]
    pub inbox: InboxId,
    #[serde(rename = "c")]
    pub contact: ContactId,
    #[serde(rename = "v")]
    pub conversation: ConversationId,
    /// Epoch milliseconds after which the token is refused.
    #[serde(rename = "x")]
    pub expires: i64,
}

fn mac(key: &[u8], payload: &str) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(b"widget-session:");
    m.update(payload.as_bytes());
    m.finalize().into_bytes().to_vec()
}

impl Session {
    /// The signed token: `<payload>.<signature>`, both base64url.
    pub fn token(&self, key: &[u8]) -> String {
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default());
        let sig = URL_SAFE_NO_PAD.encode(mac(key, &payload));
        format!("{payload}.{sig}")
    }

    /// The session a token carries, if its signature verifies and it has
    /// not expired at `now` (epoch ms).
    pub fn verify(token: &str, key: &[u8], now: i64) -> Option<Session> {
        let (payload, sig) = token.trim().split_once('.')?;
        let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
        let mut m = Hmac::<Sha256>::new_from_slice(key).ok()?;
        m.update(b"widget-session:");
        m.update(payload.as_bytes());
        m.verify_slice(&sig).ok()?;
        let s: Session = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        (s.expires > now).then_some(s)
    }
}

/// Whether `hash` (hex) is the HMAC-SHA256 of a site's user id under the
/// inbox's identity secret, compared in constant time.
pub fn identity_verifies(secret: &str, identifier: &str, hash: &str) -> bool {
    let Ok(given) = hex::decode(hash.trim()) else {
        return false;
    };
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    m.update(identifier.as_bytes());
    m.verify_slice(&given).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(expires: i64) -> Session {
        Session {
            org: OrgId::new(),
            inbox: InboxId::new(),
            contact: ContactId::new(),
            conversation: ConversationId::new(),
            expires,
        }
    }

    #[test]
    fn a_token_verifies_only_unchanged_with_its_key_and_in_time() {
        let s = session(2_000);
        let t = s.token(b"key");
        assert_eq!(Session::verify(&t, b"key", 1_000), Some(s));
        assert_eq!(Session::verify(&t, b"other", 1_000), None);
        assert_eq!(Session::verify(&t, b"key", 2_000), None, "expired");
        let (payload, sig) = t.split_once('.').unwrap();
        let forged = session(9_000_000).token(b"attacker");
        let (forged_payload, _) = forged.split_once('.').unwrap();
        assert_eq!(
            Session::verify(&format!("{forged_payload}.{sig}"), b"key", 1_000),
            None
        );
        assert_eq!(Session::verify(payload, b"key", 1_000), None);
        for junk in ["", ".", "a.b", "a.b.c", "%%%.%%%"] {
            assert_eq!(Session::verify(junk, b"key", 1_000), None, "{junk}");
        }
    }

    #[test]
    fn identity_hash_is_the_hmac_of_the_user_id() {
        let mut m = Hmac::<Sha256>::new_from_slice(b"site-secret-0123456").unwrap();
        m.update(b"user-42");
        let hash = hex::encode(m.finalize().into_bytes());
        assert!(identity_verifies("site-secret-0123456", "user-42", &hash));
        assert!(identity_verifies(
            "site-secret-0123456",
            "user-42",
            &hash.to_uppercase()
        ));
        assert!(!identity_verifies("site-secret-0123456", "user-43", &hash));
        assert!(!identity_verifies("other-secret-0123456", "user-42", &hash));
        assert!(!identity_verifies("site-secret-0123456", "user-42", "zz"));
    }
}
