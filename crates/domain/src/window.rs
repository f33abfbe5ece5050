//! The 24-hour session window of WhatsApp (CH-5). It is derived from the
//! time of the contact's last inbound message, never scheduled.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::macros::named_enum;

/// Length of a session, counted from the contact's last message.
pub const SESSION_HOURS: i64 = 24;
/// How long before the end a session shows as "Expirando".
pub const EXPIRING_MINUTES: i64 = 30;

named_enum! {
    /// State of a conversation's session window.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SessionWindow ("janela de sessão") {
        /// Free-form messages may be sent.
        Open = "open",
        /// Still open, but ends within [`EXPIRING_MINUTES`].
        Expiring = "expiring",
        /// Ended (or never opened): only template messages may be sent
        /// until the contact writes again.
        Expired = "expired",
    }
}

impl SessionWindow {
    /// The tag shown to agents.
    pub const fn label_pt(self) -> &'static str {
        match self {
            Self::Open => "Aberta",
            Self::Expiring => "Expirando",
            Self::Expired => "Expirado",
        }
    }

    /// Whether free-form (non-template) messages may be sent.
    pub const fn allows_free_form(self) -> bool {
        !matches!(self, Self::Expired)
    }
}

/// The window at `now` given the contact's last inbound message, and when it
/// ends (`last_inbound_at + 24 h`). No inbound message yet: expired, no end.
///
/// Boundaries: `Expiring` from exactly 30 minutes before the end,
/// `Expired` from exactly the end.
pub fn session_window(
    last_inbound_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> (SessionWindow, Option<DateTime<Utc>>) {
    window_of(last_inbound_at, now, SESSION_HOURS)
}

/// Like [`session_window`] for a window of `hours` (Meta's `HUMAN_AGENT`
/// replies: 7 days).
pub fn window_of(
    last_inbound_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    hours: i64,
) -> (SessionWindow, Option<DateTime<Utc>>) {
    let Some(last) = last_inbound_at else {
        return (SessionWindow::Expired, None);
    };
    let expires_at = last + Duration::hours(hours);
    let state = if now >= expires_at {
        SessionWindow::Expired
    } else if now >= expires_at - Duration::minutes(EXPIRING_MINUTES) {
        SessionWindow::Expiring
    } else {
        SessionWindow::Open
    };
    (state, Some(expires_at))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::macros::assert_names;

    /// Seed 001 l. 21.
    const SEED_24H: &str = "uma sessão no WhatsApp refere-se à janela de 24 horas para conversas contínuas entre empresa e cliente.";
    /// Seed 004 l. 76.
    const SEED_EXPIRANDO: &str = "Quando faltar 30 minutos para uma sessão deixar de ser válida, uma etiqueta será adicionada informando \"Expirando\".";
    /// Seed 004 l. 77.
    const SEED_EXPIRADO: &str = "Depois do período de validade da sessão, o contato recebe a etiqueta \"Expirado\", o que indica que a sessão dele terminou e que não é mais possível enviar mensagens livremente ao contato.";

    #[test]
    fn window_table_with_boundaries() {
        let last = Utc
            .with_ymd_and_hms(2025, 10, 7, 9, 0, 0)
            .single()
            .expect("valid time");
        let end = last + Duration::hours(24);
        let second = Duration::seconds(1);
        let thirty = Duration::minutes(30);
        let cases = [
            (last, SessionWindow::Open, SEED_24H),
            (last - Duration::minutes(5), SessionWindow::Open, SEED_24H),
            (end - thirty - second, SessionWindow::Open, SEED_EXPIRANDO),
            (end - thirty, SessionWindow::Expiring, SEED_EXPIRANDO),
            (end - second, SessionWindow::Expiring, SEED_EXPIRANDO),
            (end, SessionWindow::Expired, SEED_EXPIRADO),
            (
                end + Duration::days(3),
                SessionWindow::Expired,
                SEED_EXPIRADO,
            ),
        ];
        for (now, expected, seed) in cases {
            assert_eq!(
                session_window(Some(last), now),
                (expected, Some(end)),
                "{now} ({seed})"
            );
        }
    }

    #[test]
    fn never_opened_is_expired() {
        let now = Utc
            .with_ymd_and_hms(2025, 10, 7, 9, 0, 0)
            .single()
            .expect("valid time");
        assert_eq!(
            session_window(None, now),
            (SessionWindow::Expired, None),
            "{SEED_EXPIRADO}"
        );
    }

    #[test]
    fn labels_and_names() {
        let cases = [
            (SessionWindow::Open, "Aberta", true),
            (SessionWindow::Expiring, "Expirando", true),
            (SessionWindow::Expired, "Expirado", false),
        ];
        for (state, label, free_form) in cases {
            assert_eq!(
                state.label_pt(),
                label,
                "{SEED_EXPIRANDO} / {SEED_EXPIRADO}"
            );
            assert_eq!(state.allows_free_form(), free_form, "{SEED_EXPIRADO}");
        }
        assert_names!(SessionWindow, ["open", "expiring", "expired"]);
    }
}
