//! "Status dos agentes": agents by status, and the open tickets shared among
//! those working.

/// An agent's status as monitoring counts it (LC-19): the one chosen, or
/// offline once every socket has been gone for the organization's
/// `away_minutes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Online,
    Paused,
    Invisible,
    Offline,
}

impl Presence {
    /// From the stored status and whether the agent is away.
    pub fn of(status: &str, away: bool) -> Presence {
        match (away, status) {
            (true, _) => Presence::Offline,
            (false, "paused") => Presence::Paused,
            (false, "invisible") => Presence::Invisible,
            (false, _) => Presence::Online,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Presence::Online => "online",
            Presence::Paused => "paused",
            Presence::Invisible => "invisible",
            Presence::Offline => "offline",
        }
    }
}

/// "Status dos agentes".
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Agents {
    pub online: u64,
    pub paused: u64,
    pub invisible: u64,
    pub offline: u64,
    /// "Média de tickets por agente": open tickets with an agent ÷ agents
    /// online or paused (0 when none), to two decimals.
    pub avg_tickets: f64,
}

/// The agents' numbers from their statuses and the number of open tickets
/// with an agent.
pub fn agents(statuses: impl IntoIterator<Item = Presence>, with_agent: u64) -> Agents {
    let mut a = Agents::default();
    for p in statuses {
        match p {
            Presence::Online => a.online += 1,
            Presence::Paused => a.paused += 1,
            Presence::Invisible => a.invisible += 1,
            Presence::Offline => a.offline += 1,
        }
    }
    let working = a.online + a.paused;
    if working > 0 {
        a.avg_tickets = (with_agent as f64 / working as f64 * 100.0).round() / 100.0;
    }
    a
}
