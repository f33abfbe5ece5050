//! Ids shaped like Meta's.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::Rng;

/// A new `wamid.…` for a message to or from `party` (phone digits or a BSUID).
///
/// Real wamids are base64 of a small binary record holding the phone number
/// and a random hex id; this mimics that shape. Never parse one.
pub(crate) fn wamid(party: &str, inbound: bool) -> String {
    let party: Vec<u8> = party.bytes().take(60).collect();
    let mut raw = vec![0x1c, 0x18];
    raw.push(u8::try_from(party.len()).unwrap_or(0));
    raw.extend_from_slice(&party);
    raw.extend_from_slice(&[
        0x15,
        0x02,
        0x00,
        if inbound { 0x12 } else { 0x11 },
        0x18,
        0x14,
    ]);
    let mut rng = rand::rng();
    for _ in 0..20 {
        raw.push(b"0123456789ABCDEF"[rng.random_range(0..16)]);
    }
    raw.push(0x00);
    format!("wamid.{}", STANDARD.encode(raw))
}

#[cfg(test)]
mod tests {
    #[test]
    fn wamids_look_like_meta_ones_and_differ() {
        let a = super::wamid("16505551234", true);
        let b = super::wamid("16505551234", true);
        assert!(a.starts_with("wamid.HBgLMTY1MDU1NTEyMzQV"), "{a}");
        assert_ne!(a, b);
    }
}
