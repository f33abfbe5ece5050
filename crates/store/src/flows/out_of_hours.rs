//! Contacts who wrote outside business hours (LC-21): listed by the flow
//! that told them so, with their callback answer and the active message
//! sent since.

use atende_domain::{ContactId, ConversationId, InboxId, OrgId};
use serde::Serialize;

use super::FlowRun;
use crate::directory::found;
use crate::{Millis, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

/// A contact who wrote outside business hours (LC-21).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OutOfHours {
    pub id: uuid::Uuid,
    pub inbox_id: InboxId,
    pub contact_id: ContactId,
    pub conversation_id: ConversationId,
    pub at: Millis,
    /// Asked for a callback; none when the flow does not offer it (N/D).
    pub callback: Option<bool>,
    pub active_sent_at: Option<Millis>,
    pub contact_name: String,
    pub contact_phone: Option<String>,
}

impl Store {
    /// Contacts who wrote outside business hours since `since`, newest
    /// first, optionally of one inbox.
    pub async fn out_of_hours(
        &self,
        org: OrgId,
        inbox: Option<InboxId>,
        since: Millis,
    ) -> Result<Vec<OutOfHours>> {
        let sql = "SELECT o.id, o.inbox_id, o.contact_id, o.conversation_id, o.at, o.callback, o.active_sent_at, \
                   k.name AS contact_name, k.phone AS contact_phone \
                   FROM out_of_hours o JOIN contacts k ON k.id = o.contact_id \
                   WHERE o.org_id = $1 AND o.at >= $2 AND ($3 IS NULL OR o.inbox_id = $3) ORDER BY o.at DESC LIMIT 1000";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, OutOfHours>(sql).bind(org).bind(since).bind(inbox).fetch_all(p).await?),
        )
    }

    pub async fn out_of_hours_entry(&self, org: OrgId, id: uuid::Uuid) -> Result<OutOfHours> {
        let sql = "SELECT o.id, o.inbox_id, o.contact_id, o.conversation_id, o.at, o.callback, o.active_sent_at, \
                   k.name AS contact_name, k.phone AS contact_phone \
                   FROM out_of_hours o JOIN contacts k ON k.id = o.contact_id WHERE o.org_id = $1 AND o.id = $2";
        with_pool!(self, p => sqlx::query_as::<_, OutOfHours>(sql).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }
}

impl Tx {
    /// Lists a run's contact among those who wrote outside business hours.
    pub async fn record_out_of_hours(&mut self, run: &FlowRun) -> Result<()> {
        let sql = "INSERT INTO out_of_hours (id, org_id, inbox_id, contact_id, conversation_id, at, callback, active_sent_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)";
        with_tx!(self, c => sqlx::query(sql).bind(uuid::Uuid::now_v7()).bind(run.org_id).bind(run.inbox_id)
            .bind(run.contact_id).bind(run.conversation_id).bind(now_ms()).execute(c).await?.rows_affected());
        Ok(())
    }

    /// Notes the callback answer of the out-of-hours entries a run made.
    pub async fn set_out_of_hours_callback(&mut self, run: &FlowRun, callback: bool) -> Result<()> {
        let sql = "UPDATE out_of_hours SET callback = $4 WHERE org_id = $1 AND conversation_id = $2 AND at >= $3";
        with_tx!(self, c => sqlx::query(sql).bind(run.org_id).bind(run.conversation_id).bind(run.started_at)
            .bind(callback).execute(c).await?.rows_affected());
        Ok(())
    }

    /// Notes that an active message (template) went to an out-of-hours contact.
    pub async fn mark_out_of_hours_sent(&mut self, org: OrgId, id: uuid::Uuid) -> Result<()> {
        let sql = "UPDATE out_of_hours SET active_sent_at = $3 WHERE org_id = $1 AND id = $2";
        found(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(id).bind(now_ms()).execute(c).await?.rows_affected()),
        )
    }
}
