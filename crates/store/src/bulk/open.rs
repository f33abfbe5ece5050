//! Bulk opening of chats for the webhook intake: the first messages of new
//! contacts and the next messages of contacts whose attendance was closed,
//! in a handful of statements per batch instead of a dozen per contact.

use std::collections::HashMap;

use atende_domain::{AttendanceId, ContactId, ConversationId, InboxId, OrgId, Protocol};
use serde::Serialize;
use serde_json::json;
use sqlx::types::Json;

use super::KnownChat;
use crate::chats::{Contact, Conversation};
use crate::events::{AttendanceOpened, ChatEvent, ContactCreated, ConversationCreated};
use crate::rows::{Col, json_rows};
use crate::{NewEvent, Result, StoreError, Tx, now_ms, with_tx};

/// A contact writing on an inbox for the first time.
#[derive(Debug, Clone)]
pub struct NewChat {
    /// The external id (WhatsApp `wa_id`).
    pub key: String,
    pub name: String,
    pub phone: Option<String>,
}

#[derive(Serialize)]
struct ContactRow<'a> {
    id: ContactId,
    name: &'a str,
    phone: Option<&'a str>,
}

#[derive(Serialize)]
struct IdentityRow<'a> {
    key: &'a str,
    contact_id: ContactId,
}

#[derive(Serialize)]
struct ConversationRow<'a> {
    id: ConversationId,
    contact_id: ContactId,
    attendance_id: AttendanceId,
    protocol: &'a str,
}

#[derive(Serialize)]
struct AttendanceRow<'a> {
    id: AttendanceId,
    conversation_id: ConversationId,
    protocol: &'a str,
}

impl Tx {
    /// Creates each new contact with its identity and conversation, and
    /// opens an unassigned attendance (with its protocol, AD-6) on those
    /// conversations and on the known ones in `reopen` — what a contact's
    /// message does when no attendance is open (the chat appears in Open,
    /// LC-1). Emits the same events, in the same order per chat, as the
    /// one-by-one path. Returns the chats now open, by external id; a new
    /// contact whose identity was linked meanwhile by someone else is left
    /// out (and not created), for the caller to apply one by one.
    pub async fn open_chats_bulk(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        new: Vec<NewChat>,
        reopen: Vec<KnownChat>,
    ) -> Result<HashMap<String, KnownChat>> {
        let now = now_ms();
        let created = self.create_contacts(org, inbox, new, now).await?;
        let count = (created.len() + reopen.len()) as i64;
        if count == 0 {
            return Ok(HashMap::new());
        }
        let protocols = self.next_protocols(org, count).await?;
        let mut protocols = protocols.into_iter();
        let mut out = HashMap::new();
        let mut attendances = Vec::with_capacity(count as usize);
        // New conversations are inserted with their attendance already set.
        let mut new_convs: Vec<(Conversation, Conversation)> = Vec::with_capacity(created.len());
        for (key, contact) in created {
            let protocol = protocols.next().ok_or(StoreError::NotFound)?;
            let before = Conversation::fresh(org, inbox, contact.id, now);
            let mut after = before.clone();
            after.attendance_id = Some(AttendanceId::new());
            after.protocol = Some(protocol.as_str().to_string());
            after.opened_at = Some(now);
            out.insert(
                key.clone(),
                KnownChat {
                    external_id: key,
                    contact_id: contact.id,
                    contact_name: contact.name.clone(),
                    name_edited: false,
                    conversation_id: Some(before.id),
                    attendance_open: Some(true),
                    flow_running: false,
                    absent: false,
                    blocked: false,
                },
            );
            new_convs.push((before, after));
        }
        let rows: Vec<ConversationRow> = new_convs
            .iter()
            .filter_map(|(_, a)| {
                Some(ConversationRow {
                    id: a.id,
                    contact_id: a.contact_id,
                    attendance_id: a.attendance_id?,
                    protocol: a.protocol.as_deref()?,
                })
            })
            .collect();
        if !rows.is_empty() {
            let sql = format!(
                "INSERT INTO conversations (id, org_id, inbox_id, contact_id, attendance_id, protocol, opened_at, department_id, \
                 agent_id, flow_running, created_at) \
                 SELECT v.id, $1, $2, v.contact_id, v.attendance_id, v.protocol, $3, NULL, NULL, FALSE, $3 FROM {}",
                json_rows(
                    self.backend,
                    4,
                    "v",
                    &[
                        ("id", Col::Uuid),
                        ("contact_id", Col::Uuid),
                        ("attendance_id", Col::Uuid),
                        ("protocol", Col::Text),
                    ]
                )
            );
            with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(inbox).bind(now).bind(Json(&rows)).execute(c).await?.rows_affected());
        }
        drop(rows);
        for (before, after) in &new_convs {
            self.emit(NewEvent {
                org_id: org,
                chat: Some(before.scope()),
                event: ChatEvent::ConversationCreated(ConversationCreated {
                    conversation: before.clone(),
                }),
            });
            if let (Some(id), Some(protocol)) = (after.attendance_id, after.protocol.as_deref()) {
                attendances.push((after.scope(), id, after.id, protocol.to_string()));
            }
        }
        // Known conversations get their attendance set.
        let first_reopened = attendances.len();
        for k in reopen {
            let Some(conversation_id) = k.conversation_id else {
                continue;
            };
            let protocol = protocols.next().ok_or(StoreError::NotFound)?;
            let scope = crate::events::ChatScope {
                conversation_id,
                attendance_open: true,
                department_id: None,
                agent_id: None,
            };
            attendances.push((
                scope,
                AttendanceId::new(),
                conversation_id,
                protocol.as_str().to_string(),
            ));
            out.insert(
                k.external_id.clone(),
                KnownChat {
                    attendance_open: Some(true),
                    flow_running: false,
                    absent: false,
                    ..k
                },
            );
        }
        let reopened: Vec<AttendanceRow> = attendances[first_reopened..]
            .iter()
            .map(|(_, id, conversation_id, protocol)| AttendanceRow {
                id: *id,
                conversation_id: *conversation_id,
                protocol,
            })
            .collect();
        if !reopened.is_empty() {
            let n = reopened.len();
            let sql = format!(
                "UPDATE conversations SET attendance_id = v.id, protocol = v.protocol, opened_at = $2, \
                 department_id = NULL, agent_id = NULL \
                 FROM {} WHERE {} AND conversations.id = v.conversation_id AND conversations.attendance_id IS NULL",
                json_rows(
                    self.backend,
                    3,
                    "v",
                    &[
                        ("conversation_id", Col::Uuid),
                        ("id", Col::Uuid),
                        ("protocol", Col::Text),
                    ]
                ),
                crate::rows::org_eq(self.backend, "conversations.org_id", 1)
            );
            let changed = with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(now).bind(Json(&reopened)).execute(c).await?.rows_affected());
            if changed != n as u64 {
                // Someone opened one meanwhile: let the caller go one by one.
                return Err(StoreError::Conflict("attendance opened meanwhile".into()));
            }
        }
        drop(reopened);
        let rows: Vec<AttendanceRow> = attendances
            .iter()
            .map(|(_, id, conversation_id, protocol)| AttendanceRow {
                id: *id,
                conversation_id: *conversation_id,
                protocol,
            })
            .collect();
        let sql = format!(
            "INSERT INTO attendances (id, org_id, conversation_id, protocol, department_id, agent_id, opened_by, opened_at, \
             assigned_at, close_keep_on_reply) \
             SELECT a.id, $1, a.conversation_id, a.protocol, NULL, NULL, NULL, $2, NULL, FALSE FROM {}",
            json_rows(
                self.backend,
                3,
                "a",
                &[
                    ("id", Col::Uuid),
                    ("conversation_id", Col::Uuid),
                    ("protocol", Col::Text),
                ]
            )
        );
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(now).bind(Json(&rows)).execute(c).await?.rows_affected());
        drop(rows);
        let mut opened = atende_domain::monitoring::on_open(now);
        opened.counters.opened = attendances.len() as i64;
        self.bump_monitoring(org, inbox, opened).await?;
        for (scope, id, conversation_id, protocol) in attendances {
            self.emit(NewEvent {
                org_id: org,
                chat: Some(scope),
                event: ChatEvent::AttendanceOpened(AttendanceOpened {
                    conversation_id,
                    attendance_id: id,
                    protocol,
                    department_id: None,
                    agent_id: None,
                    by: None,
                }),
            });
        }
        Ok(out)
    }

    /// Inserts the contacts and links their identities; returns those
    /// linked, by external id (a contact whose identity someone else linked
    /// meanwhile is removed again).
    async fn create_contacts(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        new: Vec<NewChat>,
        now: i64,
    ) -> Result<Vec<(String, Contact)>> {
        if new.is_empty() {
            return Ok(Vec::new());
        }
        let contacts: Vec<(String, Contact)> = new
            .into_iter()
            .map(|n| {
                let contact = Contact {
                    id: ContactId::new(),
                    org_id: org,
                    name: n.name,
                    phone: n.phone,
                    email: None,
                    document: None,
                    rg: None,
                    birth_date: None,
                    customer_code: None,
                    blocked: false,
                    broadcast_opt_in: true,
                    custom: Json(json!({})),
                    created_at: now,
                    last_interaction_at: None,
                };
                (n.key, contact)
            })
            .collect();
        let rows: Vec<ContactRow> = contacts
            .iter()
            .map(|(_, c)| ContactRow {
                id: c.id,
                name: &c.name,
                phone: c.phone.as_deref(),
            })
            .collect();
        let sql = format!(
            "INSERT INTO contacts (id, org_id, name, phone, email, document, rg, birth_date, customer_code, blocked, \
             broadcast_opt_in, custom, created_at) \
             SELECT c.id, $1, c.name, c.phone, NULL, NULL, NULL, NULL, NULL, FALSE, TRUE, $2, $3 FROM {}",
            json_rows(
                self.backend,
                4,
                "c",
                &[("id", Col::Uuid), ("name", Col::Text), ("phone", Col::Text)]
            )
        );
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(Json(json!({}))).bind(now).bind(Json(&rows)).execute(c).await?.rows_affected());
        drop(rows);
        let rows: Vec<IdentityRow> = contacts
            .iter()
            .map(|(k, c)| IdentityRow {
                key: k,
                contact_id: c.id,
            })
            .collect();
        let sql = format!(
            "INSERT INTO contact_identities (org_id, inbox_id, external_id, contact_id) \
             SELECT $1, $2, i.key, i.contact_id FROM {} WHERE TRUE \
             ON CONFLICT (inbox_id, external_id) DO NOTHING RETURNING external_id",
            json_rows(
                self.backend,
                3,
                "i",
                &[("key", Col::Text), ("contact_id", Col::Uuid)]
            )
        );
        let linked: Vec<String> = with_tx!(self, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(org).bind(inbox).bind(Json(&rows)).fetch_all(c).await?);
        drop(rows);
        let linked: std::collections::HashSet<String> = linked.into_iter().collect();
        let (kept, lost): (Vec<_>, Vec<_>) =
            contacts.into_iter().partition(|(k, _)| linked.contains(k));
        if !lost.is_empty() {
            let ids: Vec<super::IdRow<ContactId>> = lost
                .iter()
                .map(|(_, c)| super::IdRow { id: c.id })
                .collect();
            let sql = format!(
                "DELETE FROM contacts WHERE org_id = $1 AND id IN (SELECT d.id FROM {})",
                json_rows(self.backend, 2, "d", &[("id", Col::Uuid)])
            );
            with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(Json(&ids)).execute(c).await?.rows_affected());
        }
        for (_, contact) in &kept {
            self.emit(NewEvent {
                org_id: org,
                chat: None,
                event: ChatEvent::ContactCreated(ContactCreated {
                    contact: contact.clone(),
                }),
            });
        }
        Ok(kept)
    }

    /// `count` consecutive protocols of today (AD-6) in one statement.
    async fn next_protocols(&mut self, org: OrgId, count: i64) -> Result<Vec<Protocol>> {
        let today = crate::now().date_naive();
        let day = today.format("%Y%m%d").to_string();
        let sql = "INSERT INTO protocol_counters (org_id, day, last_seq) VALUES ($1, $2, $3) \
                   ON CONFLICT (org_id, day) DO UPDATE SET last_seq = protocol_counters.last_seq + $3 RETURNING last_seq";
        let last: i64 = with_tx!(self, c => sqlx::query_scalar(sql).bind(org).bind(&day).bind(count).fetch_one(c).await?);
        (last - count + 1..=last)
            .map(|seq| {
                Protocol::new(today, seq as u64).map_err(|e| StoreError::Invalid(e.to_string()))
            })
            .collect()
    }
}
