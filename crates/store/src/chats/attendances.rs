//! Attendances: an attendance's record, the custom fields asked at its
//! closing, and its scheduled closing (LC-11).

use atende_domain::monitoring::{self, Ended};
use atende_domain::{AttendanceId, ConversationId, DepartmentId, OrgId, UserId};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json;

use super::{Conversation, messages};
use crate::events::{AttendanceClosed, ChatEvent, CloseCancelled, CloseScheduled};
use crate::{Millis, NewEvent, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

/// An attendance with its scheduled closing, if any.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Attendance {
    pub id: AttendanceId,
    #[serde(skip)]
    pub org_id: OrgId,
    pub conversation_id: ConversationId,
    pub protocol: String,
    pub department_id: Option<DepartmentId>,
    pub agent_id: Option<UserId>,
    pub opened_by: Option<UserId>,
    pub opened_at: Millis,
    pub assigned_at: Option<Millis>,
    pub first_reply_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub closed_by: Option<UserId>,
    pub close_at: Option<Millis>,
    pub close_keep_on_reply: bool,
    pub close_message: Option<String>,
    pub close_by: Option<UserId>,
    /// Values of the attendance's custom fields (asked at closing), by key.
    pub custom: Json<Value>,
}

const ATT_COLS: &str = "id, org_id, conversation_id, protocol, department_id, agent_id, opened_by, opened_at, \
     assigned_at, first_reply_at, closed_at, closed_by, close_at, close_keep_on_reply, close_message, close_by, custom";

impl Tx {
    /// An attendance of `org`.
    pub async fn attendance(&mut self, org: OrgId, id: AttendanceId) -> Result<Attendance> {
        let sql = format!("SELECT {ATT_COLS} FROM attendances WHERE org_id = $1 AND id = $2");
        with_tx!(self, c => sqlx::query_as::<_, Attendance>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(c).await?)
            .ok_or(StoreError::NotFound)
    }

    /// Sets (`Some`) or removes (`None`) values of an attendance's custom
    /// fields, by key.
    pub async fn set_attendance_fields(
        &mut self,
        org: OrgId,
        id: AttendanceId,
        values: &[(String, Option<String>)],
    ) -> Result<()> {
        if values.is_empty() {
            return Ok(());
        }
        let mut custom = self.attendance(org, id).await?.custom.0;
        if !custom.is_object() {
            custom = Value::Object(Default::default());
        }
        if let Some(map) = custom.as_object_mut() {
            for (k, v) in values {
                match v {
                    Some(v) => map.insert(k.clone(), Value::String(v.clone())),
                    None => map.remove(k),
                };
            }
        }
        let sql = "UPDATE attendances SET custom = $3 WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).bind(Json(&custom)).execute(c).await?.rows_affected());
        Ok(())
    }

    /// Schedules (or reschedules) the closing of an open attendance (LC-11).
    pub async fn schedule_close(
        &mut self,
        conv: &Conversation,
        at: Millis,
        keep_on_reply: bool,
        message: Option<&str>,
        by: Option<UserId>,
    ) -> Result<()> {
        let Some(att) = conv.attendance_id else {
            return Err(StoreError::Invalid("no open attendance".into()));
        };
        let sql = "UPDATE attendances SET close_at = $3, close_keep_on_reply = $4, close_message = $5, close_by = $6 WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(conv.org_id).bind(att).bind(at).bind(keep_on_reply).bind(message).bind(by).execute(c).await?.rows_affected());
        self.emit(NewEvent {
            org_id: conv.org_id,
            chat: Some(conv.scope()),
            event: ChatEvent::CloseScheduled(CloseScheduled {
                conversation_id: conv.id,
                attendance_id: att,
                close_at: at,
                keep_on_reply,
                by,
            }),
        });
        Ok(())
    }

    /// Cancels a scheduled closing; false when none was scheduled.
    pub async fn cancel_scheduled_close(
        &mut self,
        conv: &Conversation,
        by: Option<UserId>,
    ) -> Result<bool> {
        let Some(att) = conv.attendance_id else {
            return Ok(false);
        };
        let sql = "UPDATE attendances SET close_at = NULL WHERE org_id = $1 AND id = $2 AND close_at IS NOT NULL";
        let n = with_tx!(self, c => sqlx::query(sql).bind(conv.org_id).bind(att).execute(c).await?.rows_affected());
        if n > 0 {
            self.emit(NewEvent {
                org_id: conv.org_id,
                chat: Some(conv.scope()),
                event: ChatEvent::CloseCancelled(CloseCancelled {
                    conversation_id: conv.id,
                    attendance_id: att,
                    by,
                }),
            });
        }
        Ok(n > 0)
    }

    /// Closes the open attendance: agent and department are removed (LC-11).
    /// `ended` says how (RP-5 counts it in its inbox's hours).
    pub async fn close_attendance(
        &mut self,
        conv: &Conversation,
        by: Option<UserId>,
        ended: Ended,
        line: Option<String>,
    ) -> Result<Conversation> {
        let Some(att) = conv.attendance_id else {
            return Err(StoreError::Invalid("no open attendance".into()));
        };
        let now = now_ms();
        let sql = "UPDATE attendances SET closed_at = $3, closed_by = $4, ended = $5, close_at = NULL \
                   WHERE org_id = $1 AND id = $2 AND closed_at IS NULL RETURNING opened_at, assigned_at";
        let facts: Option<(Millis, Option<Millis>)> = with_tx!(self, c => sqlx::query_as(sql).bind(conv.org_id).bind(att).bind(now)
            .bind(by).bind(ended.as_str()).fetch_optional(c).await?);
        let Some((opened_at, assigned_at)) = facts else {
            return Err(StoreError::Invalid("no open attendance".into()));
        };
        let ticket = monitoring::Ticket {
            opened_at,
            assigned_at,
            closed_at: Some(now),
            ended: Some(ended),
            ..Default::default()
        };
        for bump in monitoring::on_close(&ticket).into_iter().flatten() {
            self.bump_monitoring(conv.org_id, conv.inbox_id, bump)
                .await?;
        }
        if let Some(agent) = conv.agent_id {
            self.bump_agent(conv.org_id, agent, now, None, true).await?;
        }
        let mut closed = conv.clone();
        closed.attendance_id = None;
        closed.department_id = None;
        closed.agent_id = None;
        self.save_assignment(&closed).await?;
        if let Some(text) = line {
            self.insert_message(messages::NewMessage::system(&closed, text))
                .await?;
        }
        self.emit(NewEvent {
            org_id: conv.org_id,
            chat: Some(closed.scope()),
            event: ChatEvent::AttendanceClosed(AttendanceClosed {
                conversation_id: conv.id,
                attendance_id: att,
                protocol: conv.protocol.clone(),
                by,
            }),
        });
        Ok(closed)
    }

    /// Records an agent's reply in the open attendance for monitoring
    /// (RP-5): the attendance's first reply, and the end of the contact's
    /// wait for one, each counted in its inbox's hour.
    pub async fn note_agent_reply(&mut self, conv: &Conversation) -> Result<()> {
        let since = self.take_awaiting(conv.id).await?;
        let Some(att) = conv.attendance_id else {
            return Ok(());
        };
        let now = now_ms();
        let sql = "UPDATE attendances SET first_reply_at = $3 WHERE org_id = $1 AND id = $2 AND first_reply_at IS NULL \
                   RETURNING assigned_at";
        let first: Option<Option<Millis>> = with_tx!(self, c => sqlx::query_scalar(sql).bind(conv.org_id).bind(att).bind(now).fetch_optional(c).await?);
        if let Some(bump) = first.and_then(|assigned| monitoring::on_first_reply(assigned, now)) {
            self.bump_monitoring(conv.org_id, conv.inbox_id, bump)
                .await?;
            if let Some(agent) = conv.agent_id {
                let wait = Some(bump.counters.first_reply_ms);
                self.bump_agent(conv.org_id, agent, now, wait, false)
                    .await?;
            }
        }
        if let (Some(since), Some(opened)) = (since, conv.opened_at) {
            let bump = monitoring::on_reply(since.max(opened), now);
            self.bump_monitoring(conv.org_id, conv.inbox_id, bump)
                .await?;
        }
        Ok(())
    }
}

/// An open attendance whose customer has not written for the
/// organization's `ticket_expiry_hours` (counted from its opening when they
/// wrote before it): its session expired (RP-5). `$1` is now.
const EXPIRED: &str = "a.closed_at IS NULL AND o.ticket_expiry_hours > 0 \
     AND (CASE WHEN ca.last_inbound_at > a.opened_at THEN ca.last_inbound_at ELSE a.opened_at END) \
         < $1 - 3600000 * o.ticket_expiry_hours";
const EXPIRED_FROM: &str = "attendances a JOIN organizations o ON o.id = a.org_id \
     JOIN chat_activity ca ON ca.conversation_id = a.conversation_id";

impl Tx {
    /// Whether the conversation's open attendance `att` has expired now.
    pub async fn attendance_expired(&mut self, att: AttendanceId) -> Result<bool> {
        let sql = format!("SELECT COUNT(*) FROM {EXPIRED_FROM} WHERE a.id = $2 AND {EXPIRED}");
        let n: i64 = with_tx!(self, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(now_ms()).bind(att).fetch_one(c).await?);
        Ok(n > 0)
    }
}

impl Store {
    /// Open attendances whose session has expired, oldest first, at most
    /// `limit`: (organization, conversation, attendance).
    pub async fn expired_attendances(
        &self,
        limit: i64,
    ) -> Result<Vec<(OrgId, ConversationId, AttendanceId)>> {
        let sql = format!(
            "SELECT a.org_id, a.conversation_id, a.id FROM {EXPIRED_FROM} WHERE {EXPIRED} ORDER BY a.opened_at LIMIT $2"
        );
        Ok(
            with_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now_ms()).bind(limit).fetch_all(p).await?),
        )
    }

    /// The attendance of `org` with this id.
    pub async fn attendance(&self, org: OrgId, id: AttendanceId) -> Result<Attendance> {
        let sql = format!("SELECT {ATT_COLS} FROM attendances WHERE org_id = $1 AND id = $2");
        with_pool!(self, p => sqlx::query_as::<_, Attendance>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }
}
