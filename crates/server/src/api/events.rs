//! `GET /events?after=N`: what a client missed (LC-13 "Ressincronizar").

use atende_domain::{Access, Module};
use atende_store::Event;
use atende_store::events::ChatEvent;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppJson, AppQuery, time};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_events))
}

/// An event as clients receive it (here and on the WebSocket): its place
/// in the organization's log, and its `kind` with the `payload` of that
/// kind (see `ChatEvent`).
#[derive(Serialize, ToSchema)]
pub struct EventOut {
    /// Strictly increasing per organization, with no gaps a reader can miss.
    pub seq: i64,
    #[schema(format = Uuid)]
    pub conversation_id: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[serde(flatten)]
    pub event: ChatEvent,
}

impl From<&Event> for EventOut {
    fn from(e: &Event) -> Self {
        EventOut {
            seq: e.seq,
            conversation_id: e.conversation_id.map(|c| c.to_string()),
            created_at: time(e.created_at),
            event: e.event.clone(),
        }
    }
}

/// Who may receive events of a kind, besides belonging to the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    /// A chat's events: the chat module, then LC-1 visibility of the chat.
    Chat,
    /// Whoever may view one of these modules.
    AnyOf(&'static [Module]),
    /// Every user of the organization (names of departments, tags…).
    Everyone,
    /// Nobody: kinds not listed here are never streamed.
    Nobody,
}

/// The one table of who receives which event kind (DESIGN §8: the read
/// paths check what the write paths check). The match is exhaustive: a new
/// kind does not compile until it has its audience. `/events` and the WebSocket
/// both go through [`for_viewer`].
fn audience(e: &Event) -> Audience {
    use ChatEvent as E;
    if e.chat().is_some() {
        return Audience::Chat;
    }
    match &e.event {
        E::ContactCreated(_) | E::ContactUpdated(_) => {
            Audience::AnyOf(&[Module::Chat, Module::Contacts])
        }
        E::UserCreated(_) | E::UserUpdated(_) => Audience::AnyOf(&[Module::Chat, Module::Users]),
        E::TemplateUpdated(_) | E::TemplatesSynced(_) => {
            Audience::AnyOf(&[Module::Chat, Module::Inboxes])
        }
        E::FlowPublished(_) => Audience::AnyOf(&[Module::Chat, Module::Flows]),
        E::ReadyResponsesChanged(_) => Audience::AnyOf(&[Module::Chat, Module::ReadyResponses]),
        E::CampaignCreated(_) | E::CampaignUpdated(_) | E::CampaignDeleted(_) => {
            Audience::AnyOf(&[Module::Chat, Module::Campaigns])
        }
        E::ReportUpdated(_) => Audience::AnyOf(&[Module::Reports]),
        E::InboxCreated(_)
        | E::InboxUpdated(_)
        | E::InboxDeleted(_)
        | E::DepartmentCreated(_)
        | E::DepartmentUpdated(_)
        | E::DepartmentDeleted(_)
        | E::MemberAdded(_)
        | E::MemberRemoved(_)
        | E::TagCreated(_)
        | E::TagUpdated(_)
        | E::TagDeleted(_)
        | E::FieldCreated(_)
        | E::FieldUpdated(_)
        | E::FieldDeleted(_) => Audience::Everyone,
        // A chat's events are emitted with its scope; without one nobody
        // receives them.
        E::MessageCreated(_)
        | E::MessageUpdated(_)
        | E::MediaUpdated(_)
        | E::ConversationCreated(_)
        | E::ConversationAssigned(_)
        | E::ConversationMoved(_)
        | E::ConversationRead(_)
        | E::ConversationUnread(_)
        | E::ConversationTagged(_)
        | E::ConversationCampaign(_)
        | E::ConversationFlow(_)
        | E::TransferRequested(_)
        | E::AttendanceOpened(_)
        | E::AttendanceClosed(_)
        | E::CloseScheduled(_)
        | E::CloseCancelled(_) => Audience::Nobody,
    }
}

/// Whether `auth` may see `e`: chat events follow the chat module and LC-1
/// visibility, the rest the table in [`audience`].
pub fn visible(auth: &Auth, e: &Event) -> bool {
    if e.org_id != auth.org() {
        return false;
    }
    match audience(e) {
        Audience::Chat => e.chat().is_some_and(|scope| sees_chat(auth, &scope)),
        Audience::AnyOf(modules) => modules
            .iter()
            .any(|m| auth.permissions().access(*m) >= Access::View),
        Audience::Everyone => true,
        Audience::Nobody => false,
    }
}

/// Whether `auth` may see a chat as it is now (the chat module and LC-1).
pub fn sees_chat(auth: &Auth, scope: &atende_store::events::ChatScope) -> bool {
    let state = atende_domain::ChatState {
        attendance_open: scope.attendance_open,
        department_id: scope.department_id,
        agent_id: scope.agent_id,
    };
    auth.permissions().access(Module::Chat) >= Access::View
        && atende_domain::can_see(&state, &auth.viewer())
}

/// The event as `auth` receives it, or None when they may not see it. A
/// colleague who set themselves invisible (LC-19) shows as offline to
/// everyone else, as `GET /agents` shows them.
pub fn for_viewer(auth: &Auth, e: &Event) -> Option<EventOut> {
    if !visible(auth, e) {
        return None;
    }
    let mut out = EventOut::from(e);
    if let ChatEvent::UserUpdated(u) = &mut out.event
        && u.status == "invisible"
        && u.user_id != auth.user.id
    {
        u.status = "offline".into();
        u.status_reason = None;
        u.status_since = None;
    }
    Some(out)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    /// The last `seq` the client has (0 for all).
    pub after: Option<i64>,
    /// At most this many events scanned (default 500, max 5000).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct EventPage {
    pub events: Vec<EventOut>,
    /// Pass as `after` next time (it covers events you may not see, too).
    pub last_seq: i64,
    /// More events are waiting: ask again right away.
    pub has_more: bool,
}

/// Events after `after`, oldest first, filtered by what the caller may see.
#[utoipa::path(get, path = "/events", tag = "events", params(EventParams), responses((status = 200, body = EventPage)))]
async fn list_events(
    State(st): State<AppState>,
    auth: Auth,
    AppQuery(p): AppQuery<EventParams>,
) -> ApiResult<AppJson<EventPage>> {
    let after = p.after.unwrap_or(0).max(0);
    let limit = p.limit.unwrap_or(500).clamp(1, 5000);
    let events = st.store.events_after(auth.org(), after, limit).await?;
    let last_seq = events.last().map_or(after, |e| e.seq);
    let has_more = events.len() as i64 == limit;
    let events = events.iter().filter_map(|e| for_viewer(&auth, e)).collect();
    Ok(AppJson(EventPage {
        events,
        last_seq,
        has_more,
    }))
}
