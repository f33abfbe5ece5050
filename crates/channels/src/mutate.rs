//! Byte-level mutations of valid bodies for the adapters' property tests:
//! a real delivery with a few bytes flipped, cut, inserted or removed
//! reaches parser paths random bytes never do.

use proptest::prelude::*;

/// One edit of a byte string: flip, truncate, insert or delete.
#[derive(Debug, Clone)]
pub enum Mutation {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, u8),
    Delete(usize, usize),
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 1..64usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
    ]
}

pub fn apply(body: &mut Vec<u8>, m: &Mutation) {
    let len = body.len().max(1);
    match *m {
        Mutation::Flip(i, b) => {
            if let Some(byte) = body.get_mut(i % len) {
                *byte ^= b;
            }
        }
        Mutation::Truncate(i) => body.truncate(i % len),
        Mutation::Insert(i, b) => body.insert((i % len).min(body.len()), b),
        Mutation::Delete(i, n) => {
            let start = (i % len).min(body.len());
            let end = (start + n).min(body.len());
            body.drain(start..end);
        }
    }
}
