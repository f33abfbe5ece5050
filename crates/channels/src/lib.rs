//! Channel adapters of Atende.
//!
//! Pure translation between provider wire formats and Atende's vocabulary:
//! bytes of a webhook in, normalized events out; an outbound message in, the
//! JSON body to post out; a provider answer in, success or a classified error
//! out. Nothing here does I/O, so every adapter is tested with plain tables.

pub mod whatsapp;

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
