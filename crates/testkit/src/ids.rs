//! Ids shaped like Meta's.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
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

/// A new Messenger message id: `m_` and 60 random base64url characters,
/// the shape of the `mid`s in channels.md §2.6. Never parse one.
pub(crate) fn messenger_mid() -> String {
    let mut raw = [0u8; 45];
    rand::rng().fill(&mut raw);
    format!("m_{}", URL_SAFE_NO_PAD.encode(raw))
}

/// A new Instagram message id: unpadded base64url of an `ig_message_item`
/// record naming `account_id` and a random 39-digit id, so it starts
/// `aWdf` (`ig_`) like the MI-2 ids. Never parse one.
pub(crate) fn instagram_mid(account_id: &str) -> String {
    let mut rng = rand::rng();
    let mut item = String::from("3");
    item.extend((0..38).map(|_| char::from(b'0' + rng.random_range(0..10u8))));
    let raw = format!("ig_message_item:1:IGMessageID:{account_id}:{item}");
    URL_SAFE_NO_PAD.encode(raw)
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

    #[test]
    fn meta_mids_look_like_meta_ones_and_differ() {
        let a = super::messenger_mid();
        assert!(a.starts_with("m_") && a.len() == 62, "{a}");
        assert!(
            a[2..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_ne!(a, super::messenger_mid());
        let ig = super::instagram_mid("17841405822304914");
        assert!(ig.starts_with("aWdfbWVzc2FnZV9pdGVt"), "{ig}");
        assert!(
            ig.len() > 100
                && ig
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }
}
