//! What monitoring sends (RP-5): the snapshot of a scope, typed for the
//! OpenAPI document.

use atende_domain::{AttendanceId, ConversationId, DepartmentId, InboxId, TagId, UserId};
use serde::Serialize;
use utoipa::ToSchema;

/// Monitoring's page for one scope, at one instant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Snapshot {
    /// The inbox ("número"), or null for every inbox ("Todos os números").
    #[schema(value_type = Option<String>, format = Uuid)]
    pub inbox_id: Option<InboxId>,
    /// The server's clock when the snapshot was taken: waits grow from
    /// their `…_since` timestamps by the time elapsed since this.
    #[schema(format = DateTime)]
    pub now: String,
    /// The start of "today" (midnight in the organization's time zone).
    #[schema(format = DateTime)]
    pub day_start: String,
    /// "Tickets na fila" and "Maior tempo na fila".
    pub queue: Queue,
    /// "Tickets em atendimento": open, with an agent who has replied.
    pub in_service: u64,
    /// "Tempo médio / máximo até primeira resposta".
    pub first_reply: FirstReply,
    /// "Tempo médio de resposta" (null: no reply today).
    pub reply_avg_seconds: Option<f64>,
    /// "Tempo médio de atendimento" of the tickets closed today (null:
    /// none closed).
    pub attendance_avg_seconds: Option<f64>,
    /// "Status dos tickets hoje".
    pub today: TodayOut,
    /// "Status dos agentes".
    pub agents: AgentsOut,
    /// Today's tickets hour by hour (the page's chart).
    pub hours: Vec<HourOut>,
    /// Open tickets with an agent, the longest waiting for a reply first
    /// (those still without a first reply included, flagged by a null
    /// `first_reply_at`); at most 200.
    pub in_service_tickets: Vec<ServiceRow>,
    /// How many open tickets have an agent (the list's full length).
    pub in_service_tickets_total: u64,
    /// Open tickets without an agent, in queue order; at most 200 (the
    /// queue's `count` says how many there are).
    pub queued_tickets: Vec<QueueRow>,
    pub agent_rows: Vec<AgentRow>,
    /// Tags put on chats today, most used first.
    pub tags: Vec<TagRow>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Queue {
    pub count: u64,
    /// The longest wait in the queue now, in seconds (0: nobody waits).
    pub longest_wait_seconds: f64,
    /// When that wait began.
    #[schema(format = DateTime)]
    pub longest_wait_since: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FirstReply {
    /// Mean wait from the assignment to the agent's first reply, over the
    /// first replies given today (null: none).
    pub avg_seconds: Option<f64>,
    /// The longest such wait today, counting the ones still running.
    pub max_seconds: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TodayOut {
    /// Tickets opened today.
    pub total: u64,
    pub open: u64,
    /// Closed by an agent or by a scheduled closing.
    pub closed: u64,
    /// Ended by the customer's side after an agent was assigned.
    pub abandoned: u64,
    /// Ended by the customer's side before any agent was assigned.
    pub lost: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgentsOut {
    pub online: u64,
    pub paused: u64,
    pub invisible: u64,
    /// Away (every socket gone for the organization's `away_minutes`).
    pub offline: u64,
    /// Open tickets with an agent ÷ agents online or paused (0: none).
    pub avg_tickets: f64,
}

/// One hour of today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HourOut {
    #[schema(format = DateTime)]
    pub start: String,
    pub opened: i64,
    pub closed: i64,
    pub lost: i64,
    pub abandoned: i64,
    /// Mean wait to a first reply given in the hour (null: none).
    pub first_reply_avg_seconds: Option<f64>,
}

/// What a list row previews of a chat's newest message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Preview {
    /// text | image | audio | video | document | …
    pub kind: String,
    pub text: Option<String>,
    /// An internal note.
    pub internal: bool,
    /// in | out
    pub direction: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceRow {
    #[schema(value_type = String, format = Uuid)]
    pub attendance_id: AttendanceId,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    pub protocol: String,
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
    pub contact_name: String,
    #[schema(value_type = String, format = Uuid)]
    pub agent_id: UserId,
    pub agent_name: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub department_id: Option<DepartmentId>,
    pub department_name: Option<String>,
    #[schema(format = DateTime)]
    pub opened_at: String,
    #[schema(format = DateTime)]
    pub assigned_at: Option<String>,
    /// Null: the agent has not replied yet.
    #[schema(format = DateTime)]
    pub first_reply_at: Option<String>,
    /// Since when the customer's oldest unanswered message waits (null:
    /// nothing unanswered).
    #[schema(format = DateTime)]
    pub waiting_since: Option<String>,
    /// Null when the viewer may not see the chat.
    pub last_message: Option<Preview>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueueRow {
    /// 1 for the longest waiting.
    pub position: u64,
    #[schema(value_type = String, format = Uuid)]
    pub attendance_id: AttendanceId,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    pub protocol: String,
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
    pub contact_name: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub department_id: Option<DepartmentId>,
    pub department_name: Option<String>,
    #[schema(format = DateTime)]
    pub waiting_since: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgentRow {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    pub name: String,
    /// online | paused | invisible | offline
    pub status: String,
    pub status_reason: Option<String>,
    #[schema(format = DateTime)]
    pub status_since: Option<String>,
    /// Open tickets of the scope they serve now.
    pub open_tickets: u64,
    /// How many they serve at once.
    pub capacity: i64,
    /// Tickets that ended today while theirs (every inbox: the inboxes
    /// share their agents).
    pub ended_today: i64,
    /// Their mean wait to a first reply today, every inbox (null: none).
    pub first_reply_avg_seconds: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagRow {
    #[schema(value_type = String, format = Uuid)]
    pub tag_id: TagId,
    pub name: String,
    pub count: i64,
}
