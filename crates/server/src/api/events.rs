//! `GET /events?after=N`: what a client missed (LC-13 "Ressincronizar").

use atende_domain::{Access, Module};
use atende_store::Event;
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

/// An event as clients receive it (here and on the WebSocket).
#[derive(Serialize, ToSchema)]
pub struct EventOut {
    /// Strictly increasing per organization, with no gaps a reader can miss.
    pub seq: i64,
    /// e.g. `message.created`, `conversation.assigned`, `attendance.closed`.
    pub kind: String,
    #[schema(format = Uuid)]
    pub conversation_id: Option<String>,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&Event> for EventOut {
    fn from(e: &Event) -> Self {
        EventOut {
            seq: e.seq,
            kind: e.kind.clone(),
            conversation_id: e.conversation_id.map(|c| c.to_string()),
            payload: e.payload.0.clone(),
            created_at: time(e.created_at),
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
/// paths check what the write paths check). `/events` and the WebSocket
/// both go through [`for_viewer`].
fn audience(e: &Event) -> Audience {
    if e.chat().is_some() {
        return Audience::Chat;
    }
    match e.kind.as_str() {
        "contact.created" | "contact.updated" => Audience::AnyOf(&[Module::Chat, Module::Contacts]),
        "user.created" | "user.updated" => Audience::AnyOf(&[Module::Chat, Module::Users]),
        "template.updated" | "templates.synced" => {
            Audience::AnyOf(&[Module::Chat, Module::Inboxes])
        }
        "flow.published" => Audience::AnyOf(&[Module::Chat, Module::Flows]),
        "ready_responses.changed" => Audience::AnyOf(&[Module::Chat, Module::ReadyResponses]),
        k if k.starts_with("campaign.") => Audience::AnyOf(&[Module::Chat, Module::Campaigns]),
        "report.updated" => Audience::AnyOf(&[Module::Reports]),
        k if ["inbox.", "department.", "tag.", "custom_field."]
            .iter()
            .any(|p| k.starts_with(p)) =>
        {
            Audience::Everyone
        }
        _ => Audience::Nobody,
    }
}

/// Whether `auth` may see `e`: chat events follow the chat module and LC-1
/// visibility, the rest the table in [`audience`].
pub fn visible(auth: &Auth, e: &Event) -> bool {
    if e.org_id != auth.org() {
        return false;
    }
    match audience(e) {
        Audience::Chat => {
            let Some(scope) = e.chat() else { return false };
            let state = atende_domain::ChatState {
                attendance_open: scope.attendance_open,
                department_id: scope.department_id,
                agent_id: scope.agent_id,
            };
            auth.permissions().access(Module::Chat) >= Access::View
                && atende_domain::can_see(&state, &auth.viewer())
        }
        Audience::AnyOf(modules) => modules
            .iter()
            .any(|m| auth.permissions().access(*m) >= Access::View),
        Audience::Everyone => true,
        Audience::Nobody => false,
    }
}

/// The event as `auth` receives it, or None when they may not see it. A
/// colleague who set themselves invisible (LC-19) shows as offline to
/// everyone else, as `GET /agents` shows them.
pub fn for_viewer(auth: &Auth, e: &Event) -> Option<EventOut> {
    if !visible(auth, e) {
        return None;
    }
    let mut out = EventOut::from(e);
    if e.kind.starts_with("user.")
        && out.payload.get("status").and_then(|s| s.as_str()) == Some("invisible")
        && out.payload.get("user_id").and_then(|s| s.as_str())
            != Some(auth.user.id.to_string().as_str())
    {
        out.payload["status"] = serde_json::Value::from("offline");
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

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str) -> Event {
        Event {
            seq: 1,
            org_id: atende_domain::OrgId::new(),
            kind: kind.into(),
            conversation_id: None,
            attendance_open: false,
            department_id: None,
            agent_id: None,
            payload: atende_store::Json(serde_json::json!({})),
            created_at: 0,
        }
    }

    /// Every kind the server emits without a chat has its audience; a new
    /// kind missing here is streamed to nobody, which this test catches.
    #[test]
    fn every_organization_wide_kind_has_an_audience() {
        for kind in [
            "contact.created",
            "contact.updated",
            "user.created",
            "user.updated",
            "template.updated",
            "templates.synced",
            "flow.published",
            "report.updated",
            "ready_responses.changed",
            "campaign.created",
            "campaign.updated",
            "campaign.deleted",
            "inbox.created",
            "inbox.updated",
            "inbox.deleted",
            "department.created",
            "department.updated",
            "department.deleted",
            "department.member_added",
            "department.member_removed",
            "tag.created",
            "tag.updated",
            "tag.deleted",
            "custom_field.created",
            "custom_field.updated",
            "custom_field.deleted",
        ] {
            assert_ne!(audience(&event(kind)), Audience::Nobody, "{kind}");
        }
        assert_eq!(audience(&event("something.new")), Audience::Nobody);
    }
}
