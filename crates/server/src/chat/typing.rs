//! Who is typing in a chat. Not stored: passed from one side's live
//! connection to the other's on this node (an agent's console socket, a
//! widget visitor's stream), and forgotten.

use atende_domain::{OrgId, UserId};
use atende_store::events::ChatScope;

/// Someone started or stopped typing in a chat.
#[derive(Debug, Clone)]
pub struct Typing {
    pub org: OrgId,
    /// The chat, as it is now (who may see it).
    pub scope: ChatScope,
    pub by: Typist,
    pub on: bool,
}

/// Who types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typist {
    /// The contact (a widget visitor).
    Contact,
    /// An agent.
    Agent(UserId),
}

/// How long "typing" shows without news: a side that stops without saying
/// so (a closed tab) stops showing after this.
pub const TYPING_SHOWS_SECS: u64 = 6;
