//! Contacts, conversations, attendances and messages.

mod attendances;
mod list;
mod messages;
mod read;
mod tags;

pub use attendances::Attendance;
pub use list::{ChatOrder, ConversationItem, ConversationQuery, LastMessage, ViewCounts};
pub(crate) use messages::MSG_COLS;
pub use messages::{Message, NewMessage, SendAttempt};

use atende_domain::monitoring;
use atende_domain::{
    Assignment, AssignmentAction, AssignmentEffect, AttendanceId, CampaignId, ContactId,
    ConversationId, DepartmentId, InboxId, OrgId, Protocol, UserId,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::types::Json;
use utoipa::ToSchema;

use crate::events::{
    self, AttendanceOpened, ChatEvent, ChatScope, ContactCreated, ConversationCreated,
};
use crate::{Millis, NewEvent, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

/// A customer (CT-1). Events carry it as it is stored (times in epoch
/// milliseconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
#[serde(deny_unknown_fields)]
#[schema(as = EventContact)]
pub struct Contact {
    pub id: ContactId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub document: Option<String>,
    pub rg: Option<String>,
    pub birth_date: Option<String>,
    pub customer_code: Option<String>,
    pub blocked: bool,
    pub broadcast_opt_in: bool,
    /// Custom field values, by key.
    #[schema(value_type = Object)]
    pub custom: Json<Value>,
    #[schema(value_type = i64)]
    pub created_at: Millis,
    #[schema(value_type = Option<i64>)]
    pub last_interaction_at: Option<Millis>,
}

/// The thread between a contact and an inbox, with the current attendance's
/// assignment. Events carry it as it is stored (times in epoch
/// milliseconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
#[serde(deny_unknown_fields)]
#[schema(as = EventConversation)]
pub struct Conversation {
    pub id: ConversationId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub inbox_id: InboxId,
    pub contact_id: ContactId,
    pub attendance_id: Option<AttendanceId>,
    pub protocol: Option<String>,
    #[schema(value_type = Option<i64>)]
    pub opened_at: Option<Millis>,
    pub department_id: Option<DepartmentId>,
    pub agent_id: Option<UserId>,
    pub flow_running: bool,
    #[schema(value_type = i64)]
    pub last_message_at: Millis,
    #[schema(value_type = Option<i64>)]
    pub last_inbound_at: Option<Millis>,
    pub unread: i64,
    #[schema(value_type = i64)]
    pub created_at: Millis,
    /// The campaign the chat came from (LC-2), if any.
    pub campaign_id: Option<CampaignId>,
}

impl Conversation {
    /// A new thread between `contact` and `inbox`, without an attendance.
    pub(crate) fn fresh(org: OrgId, inbox: InboxId, contact: ContactId, now: Millis) -> Self {
        Conversation {
            id: ConversationId::new(),
            org_id: org,
            inbox_id: inbox,
            contact_id: contact,
            attendance_id: None,
            protocol: None,
            opened_at: None,
            department_id: None,
            agent_id: None,
            flow_running: false,
            last_message_at: now,
            last_inbound_at: None,
            unread: 0,
            created_at: now,
            campaign_id: None,
        }
    }

    /// The chat's assignment, as `conversation.assigned` carries it.
    pub fn assignment(&self, by: Option<UserId>) -> events::Assignment {
        events::Assignment {
            conversation_id: self.id,
            department_id: self.department_id,
            agent_id: self.agent_id,
            by,
        }
    }

    /// The chat's visibility scope for events (LC-1).
    pub fn scope(&self) -> ChatScope {
        ChatScope {
            conversation_id: self.id,
            attendance_open: self.attendance_id.is_some(),
            department_id: self.department_id,
            agent_id: self.agent_id,
        }
    }

    /// The chat state the LC-1 view rules read.
    pub fn chat_state(&self) -> atende_domain::ChatState {
        atende_domain::ChatState {
            attendance_open: self.attendance_id.is_some(),
            department_id: self.department_id,
            agent_id: self.agent_id,
        }
    }
}

/// The stored columns of `contacts`.
pub(crate) const CONTACT_COLS: &str = "id, org_id, name, phone, email, document, rg, birth_date, customer_code, \
     blocked, broadcast_opt_in, custom, created_at";

/// What a [`Contact`] is read from: the stored columns of `contacts` (named
/// `alias`) and its last interaction, the newest customer message of its
/// conversations (kept on each conversation, not written per message on the
/// contact as well).
pub(crate) fn contact_select(alias: &str) -> String {
    let mut cols: Vec<String> = CONTACT_COLS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect();
    cols.push(format!(
        "(SELECT MAX(la.last_inbound_at) FROM conversations lv JOIN chat_activity la ON la.conversation_id = lv.id \
         WHERE lv.contact_id = {alias}.id) AS last_interaction_at"
    ));
    cols.join(", ")
}
/// The columns of a [`Conversation`], read from [`CONV_FROM`]: the
/// conversation (`c`) and its activity (`ca`, migration 0011).
pub(crate) const CONV_COLS: &str = "c.id, c.org_id, c.inbox_id, c.contact_id, c.attendance_id, c.protocol, c.opened_at, \
     c.department_id, c.agent_id, c.flow_running, ca.last_message_at, ca.last_inbound_at, ca.unread, c.created_at, \
     c.campaign_id";

/// Where a [`Conversation`] is read from. A lock on it takes the
/// conversation's row alone (`FOR … OF c`).
pub(crate) const CONV_FROM: &str =
    "conversations c JOIN chat_activity ca ON ca.conversation_id = c.id";

/// The stored columns of `conversations` (its activity is kept apart).
const CONV_STORED_COLS: &str = "id, org_id, inbox_id, contact_id, attendance_id, protocol, opened_at, department_id, \
     agent_id, flow_running, created_at, campaign_id";

impl Tx {
    /// The contact behind `external_id` on `inbox`, if known.
    pub async fn contact_by_external(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        external_id: &str,
    ) -> Result<Option<Contact>> {
        let sql = format!(
            "SELECT {} FROM contact_identities i JOIN contacts c ON c.id = i.contact_id \
             WHERE i.inbox_id = $1 AND i.external_id = $2 AND i.org_id = $3",
            contact_select("c")
        );
        Ok(
            with_tx!(self, c => sqlx::query_as::<_, Contact>(sqlx::AssertSqlSafe(sql.as_str())).bind(inbox).bind(external_id).bind(org).fetch_optional(c).await?),
        )
    }

    /// Finds the contact behind `external_id` on `inbox`, creating it (and its
    /// identity) when new.
    pub async fn upsert_contact(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        external_id: &str,
        name: &str,
        phone: Option<&str>,
    ) -> Result<Contact> {
        if let Some(c) = self.contact_by_external(org, inbox, external_id).await? {
            return Ok(c);
        }
        self.create_contact(org, inbox, external_id, name, phone)
            .await
    }

    /// Creates a contact and its identity on `inbox` (the caller knows the
    /// external id is not linked yet).
    pub async fn create_contact(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        external_id: &str,
        name: &str,
        phone: Option<&str>,
    ) -> Result<Contact> {
        let contact = Contact {
            id: ContactId::new(),
            org_id: org,
            name: name.to_string(),
            phone: phone.map(str::to_string),
            email: None,
            document: None,
            rg: None,
            birth_date: None,
            customer_code: None,
            blocked: false,
            broadcast_opt_in: true,
            custom: Json(json!({})),
            created_at: now_ms(),
            last_interaction_at: None,
        };
        let sql = format!(
            "INSERT INTO contacts ({CONTACT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        );
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(contact.id).bind(org).bind(&contact.name).bind(&contact.phone)
            .bind(&contact.email).bind(&contact.document).bind(&contact.rg).bind(&contact.birth_date)
            .bind(&contact.customer_code).bind(contact.blocked).bind(contact.broadcast_opt_in)
            .bind(&contact.custom).bind(contact.created_at).execute(c).await?.rows_affected());
        let sql = "INSERT INTO contact_identities (org_id, inbox_id, external_id, contact_id) VALUES ($1, $2, $3, $4)";
        with_tx!(self, c => sqlx::query(sql).bind(org).bind(inbox).bind(external_id).bind(contact.id).execute(c).await?.rows_affected());
        self.emit(NewEvent {
            org_id: org,
            chat: None,
            event: ChatEvent::ContactCreated(ContactCreated {
                contact: contact.clone(),
            }),
        });
        Ok(contact)
    }

    /// The conversation of `contact` on `inbox`, created when missing;
    /// locked until commit on PostgreSQL.
    pub async fn conversation_for(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        contact: ContactId,
    ) -> Result<Conversation> {
        // Locked until commit on PostgreSQL, so that a closing committed
        // meanwhile is seen (see `Tx::known_chats`).
        let lock = match self.backend() {
            crate::Backend::Postgres => " FOR NO KEY UPDATE OF c",
            crate::Backend::Sqlite => "",
        };
        let sql = format!(
            "SELECT {CONV_COLS} FROM {CONV_FROM} WHERE c.inbox_id = $1 AND c.contact_id = $2 AND c.org_id = $3{lock}"
        );
        if let Some(c) = with_tx!(self, c => sqlx::query_as::<_, Conversation>(sqlx::AssertSqlSafe(sql.as_str())).bind(inbox).bind(contact).bind(org).fetch_optional(c).await?)
        {
            return Ok(c);
        }
        let conv = Conversation::fresh(org, inbox, contact, now_ms());
        // Its activity row (last message = creation, nothing unread) comes
        // with it, by trigger (migration 0011).
        let sql = format!(
            "INSERT INTO conversations ({CONV_STORED_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        );
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(conv.id).bind(org).bind(inbox).bind(contact)
            .bind(conv.attendance_id).bind(&conv.protocol).bind(conv.opened_at).bind(conv.department_id)
            .bind(conv.agent_id).bind(conv.flow_running).bind(conv.created_at).bind(conv.campaign_id)
            .execute(c).await?.rows_affected());
        self.emit(NewEvent {
            org_id: org,
            chat: Some(conv.scope()),
            event: ChatEvent::ConversationCreated(ConversationCreated {
                conversation: conv.clone(),
            }),
        });
        Ok(conv)
    }

    /// Reads a contact inside the transaction.
    pub async fn contact(&mut self, org: OrgId, id: ContactId) -> Result<Contact> {
        let sql = format!(
            "SELECT {} FROM contacts c WHERE c.org_id = $1 AND c.id = $2",
            contact_select("c")
        );
        with_tx!(self, c => sqlx::query_as::<_, Contact>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(c).await?)
            .ok_or(StoreError::NotFound)
    }

    /// Reads a conversation inside the transaction (locking it on PostgreSQL).
    pub async fn conversation(&mut self, org: OrgId, id: ConversationId) -> Result<Conversation> {
        let lock = match self.backend() {
            crate::Backend::Postgres => " FOR UPDATE OF c",
            crate::Backend::Sqlite => "",
        };
        let sql =
            format!("SELECT {CONV_COLS} FROM {CONV_FROM} WHERE c.org_id = $1 AND c.id = $2{lock}");
        with_tx!(self, c => sqlx::query_as::<_, Conversation>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(c).await?)
            .ok_or(StoreError::NotFound)
    }

    /// Allocates the next protocol of `org` for today (AD-6).
    async fn next_protocol(&mut self, org: OrgId) -> Result<Protocol> {
        let today = atende_domain::protocol::protocol_day(crate::now());
        let day = today.format("%Y%m%d").to_string();
        let sql = "INSERT INTO protocol_counters (org_id, day, last_seq) VALUES ($1, $2, 1) \
                   ON CONFLICT (org_id, day) DO UPDATE SET last_seq = protocol_counters.last_seq + 1 RETURNING last_seq";
        let seq: i64 =
            with_tx!(self, c => sqlx::query_scalar(sql).bind(org).bind(&day).fetch_one(c).await?);
        Protocol::new(today, seq as u64).map_err(|e| StoreError::Invalid(e.to_string()))
    }

    /// Opens an attendance (with a new protocol) on a conversation that has
    /// none; returns the updated conversation.
    pub async fn open_attendance(
        &mut self,
        conv: &Conversation,
        department: Option<DepartmentId>,
        agent: Option<UserId>,
        by: Option<UserId>,
    ) -> Result<Conversation> {
        if conv.attendance_id.is_some() {
            return Err(StoreError::Invalid("attendance already open".into()));
        }
        let protocol = self.next_protocol(conv.org_id).await?;
        let id = AttendanceId::new();
        let now = now_ms();
        let assigned_at = agent.map(|_| now);
        let sql = "INSERT INTO attendances (id, org_id, conversation_id, protocol, department_id, agent_id, opened_by, opened_at, assigned_at, close_keep_on_reply) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, FALSE)";
        with_tx!(self, c => sqlx::query(sql).bind(id).bind(conv.org_id).bind(conv.id).bind(protocol.as_str())
            .bind(department).bind(agent).bind(by).bind(now).bind(assigned_at).execute(c).await?.rows_affected());
        self.bump_monitoring(conv.org_id, conv.inbox_id, monitoring::on_open(now))
            .await?;
        let mut updated = conv.clone();
        updated.attendance_id = Some(id);
        updated.protocol = Some(protocol.as_str().to_string());
        updated.opened_at = Some(now);
        updated.department_id = department;
        updated.agent_id = agent;
        self.save_assignment(&updated).await?;
        // People take over from a running flow: it stops where it is.
        if conv.flow_running {
            let sql = "UPDATE flow_runs SET status = 'stopped', waiting = NULL, outcome = 'attendance', \
                       finished_at = $3, updated_at = $3 WHERE org_id = $1 AND conversation_id = $2 AND status = 'active'";
            with_tx!(self, c => sqlx::query(sql).bind(conv.org_id).bind(conv.id).bind(now).execute(c).await?.rows_affected());
            self.set_flow_running(conv, false).await?;
            updated.flow_running = false;
        }
        self.emit(NewEvent {
            org_id: conv.org_id,
            chat: Some(updated.scope()),
            event: ChatEvent::AttendanceOpened(AttendanceOpened {
                conversation_id: conv.id,
                attendance_id: id,
                protocol: protocol.as_str().to_string(),
                department_id: department,
                agent_id: agent,
                by,
            }),
        });
        Ok(updated)
    }

    async fn save_assignment(&mut self, conv: &Conversation) -> Result<()> {
        let sql = "UPDATE conversations SET attendance_id = $3, protocol = $4, opened_at = $5, department_id = $6, agent_id = $7 \
                   WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(conv.org_id).bind(conv.id).bind(conv.attendance_id)
            .bind(&conv.protocol).bind(conv.opened_at).bind(conv.department_id).bind(conv.agent_id).execute(c).await?.rows_affected());
        if let Some(att) = conv.attendance_id {
            let sql = "UPDATE attendances SET department_id = $3, agent_id = $4, \
                       assigned_at = CASE WHEN $4 IS NOT NULL AND assigned_at IS NULL THEN CAST($5 AS BIGINT) ELSE assigned_at END \
                       WHERE org_id = $1 AND id = $2";
            with_tx!(self, c => sqlx::query(sql).bind(conv.org_id).bind(att).bind(conv.department_id)
                .bind(conv.agent_id).bind(now_ms()).execute(c).await?.rows_affected());
        }
        Ok(())
    }

    /// Applies an LC-9 assignment action to a conversation with an open
    /// attendance (opening one when an agent or department is assigned to a
    /// chat without it), writes a system line naming who did it, and emits
    /// the change. Returns the updated conversation and the effects.
    pub async fn assign(
        &mut self,
        conv: &Conversation,
        action: AssignmentAction,
        by: Option<UserId>,
        line: Option<String>,
    ) -> Result<(Conversation, Vec<AssignmentEffect>)> {
        let mut conv = conv.clone();
        if conv.attendance_id.is_none() {
            if matches!(action, AssignmentAction::Close) {
                return Ok((conv, vec![AssignmentEffect::Unchanged]));
            }
            conv = self.open_attendance(&conv, None, None, by).await?;
        }
        let current = Assignment {
            department_id: conv.department_id,
            agent_id: conv.agent_id,
        };
        let (next, effects) = atende_domain::assignment::apply(current, action);
        if next == current {
            return Ok((conv, effects));
        }
        let before = conv.scope();
        conv.department_id = next.department_id;
        conv.agent_id = next.agent_id;
        self.save_assignment(&conv).await?;
        // Whoever could see the chat before the move must learn that it
        // left them (their list drops it): tell the old audience too.
        if before != conv.scope() {
            self.emit(NewEvent {
                org_id: conv.org_id,
                chat: Some(before),
                event: ChatEvent::ConversationMoved(conv.assignment(by)),
            });
        }
        if let Some(text) = line {
            self.insert_message(messages::NewMessage::system(&conv, text))
                .await?;
        }
        self.emit(NewEvent {
            org_id: conv.org_id,
            chat: Some(conv.scope()),
            event: ChatEvent::ConversationAssigned(conv.assignment(by)),
        });
        Ok((conv, effects))
    }
}

impl Tx {
    pub(crate) fn backend(&self) -> crate::Backend {
        self.backend
    }
}

impl Store {
    pub async fn conversation(&self, org: OrgId, id: ConversationId) -> Result<Conversation> {
        let sql = format!("SELECT {CONV_COLS} FROM {CONV_FROM} WHERE c.org_id = $1 AND c.id = $2");
        with_pool!(self, p => sqlx::query_as::<_, Conversation>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    pub async fn contact(&self, org: OrgId, id: ContactId) -> Result<Contact> {
        let sql = format!(
            "SELECT {} FROM contacts c WHERE c.org_id = $1 AND c.id = $2",
            contact_select("c")
        );
        with_pool!(self, p => sqlx::query_as::<_, Contact>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }
}
