//! Chat views and visibility (LC-1): which of the four lists a chat appears
//! in for a given user, and whether the user may see it at all.
//!
//! The rules, from seed 004 ("Chat ao vivo"):
//! - **All** ("Todos os chats"): every chat the user may see, closed ones too.
//! - **Open** ("Chats abertos"): attendance open and no agent (with or
//!   without a department).
//! - **Mine** ("Meus chats"): attendance open and the user is its agent.
//! - **In service** ("Em atendimento"): attendance open and some agent set.
//!
//! A chat without an open attendance (closed, in a running flow, finished a
//! flow, an Instagram story mention) appears only in All. A chat with a
//! department is visible only to that department's members, its agent, and
//! users with "see all chats" (permission 6).

use serde::{Deserialize, Serialize};

use crate::macros::named_enum;
use crate::{DepartmentId, UserId};

named_enum! {
    /// One of the four chat lists.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ChatView ("visão de chats") {
        /// "Todos os chats".
        All = "all",
        /// "Chats abertos".
        Open = "open",
        /// "Meus chats".
        Mine = "mine",
        /// "Em atendimento".
        InService = "in_service",
    }
}

impl ChatView {
    /// The list's name on screen.
    pub const fn label_pt(self) -> &'static str {
        match self {
            Self::All => "Todos os chats",
            Self::Open => "Chats abertos",
            Self::Mine => "Meus chats",
            Self::InService => "Em atendimento",
        }
    }
}

/// What the view rules need to know about a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatState {
    /// Whether the conversation has an open attendance (false when closed,
    /// while a flow runs, after a flow ends, for a story mention).
    pub attendance_open: bool,
    /// The department the attendance is assigned to.
    pub department_id: Option<DepartmentId>,
    /// The agent serving the attendance.
    pub agent_id: Option<UserId>,
}

/// The user looking at the chat list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer<'a> {
    /// The user.
    pub user_id: UserId,
    /// The departments the user belongs to.
    pub departments: &'a [DepartmentId],
    /// Whether the user has [`Capability::SeeAllChats`](crate::Capability::SeeAllChats).
    pub see_all_chats: bool,
}

/// Whether `viewer` may see `chat` at all: with "see all chats", as the
/// chat's agent, when the chat has no department, or as a member of it.
pub fn can_see(chat: &ChatState, viewer: &Viewer) -> bool {
    viewer.see_all_chats
        || chat.agent_id == Some(viewer.user_id)
        || chat
            .department_id
            .is_none_or(|department| viewer.departments.contains(&department))
}

/// Whether `chat` appears in `view` for `viewer`.
pub fn in_view(chat: &ChatState, viewer: &Viewer, view: ChatView) -> bool {
    if !can_see(chat, viewer) {
        return false;
    }
    let open = chat.attendance_open;
    match view {
        ChatView::All => true,
        ChatView::Open => open && chat.agent_id.is_none(),
        ChatView::Mine => open && chat.agent_id == Some(viewer.user_id),
        ChatView::InService => open && chat.agent_id.is_some(),
    }
}

/// Every view `chat` appears in for `viewer`, in [`ChatView::ALL`] order;
/// empty when the viewer may not see it.
pub fn views_of(chat: &ChatState, viewer: &Viewer) -> Vec<ChatView> {
    ChatView::ALL
        .iter()
        .copied()
        .filter(|&view| in_view(chat, viewer, view))
        .collect()
}

#[cfg(test)]
mod tests;
