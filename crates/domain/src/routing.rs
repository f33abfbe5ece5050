//! Routing: which agent of a department gets a chat handed over by a bot
//! flow or distributed from the department's queue. Pure choices over a
//! snapshot of the agents; the store takes the snapshot under lock so two
//! handovers cannot both take an agent's last free slot.

use crate::UserId;

/// An agent as routing sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: UserId,
    /// Online (not paused, not invisible, not away) and an active account
    /// (LC-19).
    pub available: bool,
    /// Open attendances the agent serves now.
    pub open_chats: i64,
    /// How many chats the agent serves at once.
    pub max_chats: i64,
    /// When the agent last got a chat (milliseconds); none: never.
    pub last_assigned_at: Option<i64>,
}

impl Candidate {
    /// Available with a free slot.
    pub fn can_take(&self) -> bool {
        self.available && self.open_chats < self.max_chats
    }
}

/// The default choice: among the agents who can take a chat, the one with
/// the fewest open chats; ties go to the one idle the longest (who got a
/// chat least recently, never first), then to the lowest id so the choice
/// is stable.
pub fn least_busy(candidates: &[Candidate]) -> Option<UserId> {
    candidates
        .iter()
        .filter(|c| c.can_take())
        .min_by_key(|c| (c.open_chats, c.last_assigned_at.unwrap_or(i64::MIN), c.id))
        .map(|c| c.id)
}

/// The "sequence" choice: the next agent after `cursor` (the one the
/// sequence served last) in id order who can take a chat, wrapping around.
pub fn next_in_sequence(candidates: &[Candidate], cursor: Option<UserId>) -> Option<UserId> {
    let mut ids: Vec<&Candidate> = candidates.iter().filter(|c| c.can_take()).collect();
    ids.sort_by_key(|c| c.id);
    let after = cursor.and_then(|cur| ids.iter().position(|c| c.id > cur));
    match after {
        Some(i) => Some(ids[i].id),
        None => ids.first().map(|c| c.id),
    }
}

/// The "random" choice: the `pick`-th (modulo their number) of the agents
/// who can take a chat, in id order; the caller draws `pick`.
pub fn random_pick(candidates: &[Candidate], pick: usize) -> Option<UserId> {
    let mut ids: Vec<UserId> = candidates
        .iter()
        .filter(|c| c.can_take())
        .map(|c| c.id)
        .collect();
    if ids.is_empty() {
        return None;
    }
    ids.sort();
    Some(ids[pick % ids.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(n: u128, open: i64, max: i64, last: Option<i64>) -> Candidate {
        Candidate {
            id: UserId(uuid::Uuid::from_u128(n)),
            available: true,
            open_chats: open,
            max_chats: max,
            last_assigned_at: last,
        }
    }

    fn id(n: u128) -> UserId {
        UserId(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn the_least_busy_agent_with_a_free_slot_gets_the_chat() {
        let list = [
            agent(1, 2, 3, Some(10)),
            agent(2, 1, 3, Some(50)),
            agent(3, 0, 0, None),
        ];
        assert_eq!(least_busy(&list), Some(id(2)));
    }

    #[test]
    fn ties_go_to_the_longest_idle_and_never_served_first() {
        let list = [
            agent(1, 1, 3, Some(30)),
            agent(2, 1, 3, Some(20)),
            agent(3, 1, 3, None),
        ];
        assert_eq!(least_busy(&list), Some(id(3)));
        assert_eq!(least_busy(&list[..2]), Some(id(2)));
    }

    #[test]
    fn full_paused_or_inactive_agents_get_nothing() {
        let mut paused = agent(2, 0, 3, None);
        paused.available = false;
        let list = [agent(1, 3, 3, None), paused];
        assert_eq!(least_busy(&list), None);
        assert_eq!(next_in_sequence(&list, None), None);
        assert_eq!(random_pick(&list, 7), None);
    }

    #[test]
    fn the_sequence_goes_round_skipping_who_cannot_take() {
        let list = [
            agent(1, 0, 3, None),
            agent(2, 3, 3, None),
            agent(3, 0, 3, None),
        ];
        assert_eq!(next_in_sequence(&list, None), Some(id(1)));
        assert_eq!(next_in_sequence(&list, Some(id(1))), Some(id(3)));
        assert_eq!(next_in_sequence(&list, Some(id(3))), Some(id(1)));
        // A cursor on someone who left the department still moves on.
        assert_eq!(next_in_sequence(&list, Some(id(2))), Some(id(3)));
    }

    #[test]
    fn a_random_pick_is_one_who_can_take() {
        let list = [
            agent(1, 0, 1, None),
            agent(2, 1, 1, None),
            agent(3, 0, 1, None),
        ];
        assert_eq!(random_pick(&list, 0), Some(id(1)));
        assert_eq!(random_pick(&list, 1), Some(id(3)));
        assert_eq!(random_pick(&list, 2), Some(id(1)));
    }
}
