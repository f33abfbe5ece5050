//! Byte-level mutations of valid bodies for the adapters' property tests:
//! a real delivery with a few bytes flipped, cut, inserted or removed
//! reaches parser paths random bytes never do; random JSON trees built
//! from a parser's own keys and words reach its deeper branches.

use proptest::prelude::*;
use serde_json::{Map, Value};

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

/// Arbitrary JSON trees whose objects use `keys` and whose strings are
/// often `words`, so random input reaches a parser's deeper paths.
pub fn json_tree(
    keys: &'static [&'static str],
    words: &'static [&'static str],
) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(words).prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 96, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(keys), inner), 0..8).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}
