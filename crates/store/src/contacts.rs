//! A contact's data (CT-1, CT-5): where it wrote from and the edits agents
//! make in the chat's settings panel.

use atende_domain::{ContactId, InboxId, OrgId};
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::types::Json;

use crate::chats::{Contact, Conversation};
use crate::events::{ChatEvent, ContactUpdated};
use crate::{NewEvent, Result, Store, Tx, with_pool, with_tx};

/// Where a contact is known: one identity per inbox it wrote to.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ContactIdentity {
    pub inbox_id: InboxId,
    pub inbox_name: String,
    pub channel: String,
    /// The id on the channel (a WhatsApp `wa_id`, a BSUID, a Telegram chat id…).
    pub external_id: String,
    /// The inbox's own number the contact wrote to, when the channel has one
    /// and it is known (WhatsApp: learned from the webhooks).
    pub inbox_number: Option<String>,
}

/// The fields an edit may change; `None` leaves a field as it is, and
/// `Some(None)` clears an optional one. Values arrive already validated and
/// normalised by the caller.
#[derive(Debug, Clone, Default)]
pub struct ContactChanges {
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub document: Option<Option<String>>,
    pub rg: Option<Option<String>>,
    pub birth_date: Option<Option<String>>,
    pub customer_code: Option<Option<String>>,
    pub broadcast_opt_in: Option<bool>,
    /// Custom field values to set (`Some`) or remove (`None`), by key.
    pub custom: Vec<(String, Option<String>)>,
}

impl ContactChanges {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.email.is_none()
            && self.document.is_none()
            && self.rg.is_none()
            && self.birth_date.is_none()
            && self.customer_code.is_none()
            && self.broadcast_opt_in.is_none()
            && self.custom.is_empty()
    }

    /// Applies the changes to `c`; returns the names of the fields that
    /// really changed.
    fn apply(&self, c: &mut Contact) -> Vec<&'static str> {
        fn set<T: PartialEq + Clone>(
            slot: &mut T,
            to: &Option<T>,
            name: &'static str,
            out: &mut Vec<&'static str>,
        ) {
            if let Some(v) = to
                && slot != v
            {
                *slot = v.clone();
                out.push(name);
            }
        }
        let mut changed = Vec::new();
        set(&mut c.name, &self.name, "name", &mut changed);
        set(&mut c.email, &self.email, "email", &mut changed);
        set(&mut c.document, &self.document, "document", &mut changed);
        set(&mut c.rg, &self.rg, "rg", &mut changed);
        set(
            &mut c.birth_date,
            &self.birth_date,
            "birth_date",
            &mut changed,
        );
        set(
            &mut c.customer_code,
            &self.customer_code,
            "customer_code",
            &mut changed,
        );
        set(
            &mut c.broadcast_opt_in,
            &self.broadcast_opt_in,
            "broadcast_opt_in",
            &mut changed,
        );
        if !self.custom.is_empty() {
            let mut map = match &c.custom.0 {
                Value::Object(m) => m.clone(),
                _ => Map::new(),
            };
            let before = map.clone();
            for (k, v) in &self.custom {
                match v {
                    Some(v) => map.insert(k.clone(), Value::String(v.clone())),
                    None => map.remove(k),
                };
            }
            if map != before {
                c.custom = Json(Value::Object(map));
                changed.push("custom");
            }
        }
        changed
    }
}

impl Store {
    /// The inboxes a contact wrote to, oldest identity first.
    pub async fn contact_identities(
        &self,
        org: OrgId,
        contact: ContactId,
    ) -> Result<Vec<ContactIdentity>> {
        let sql = "SELECT i.inbox_id, b.name AS inbox_name, b.channel, i.external_id, \
                   b.settings ->> 'display_phone_number' AS inbox_number \
                   FROM contact_identities i JOIN inboxes b ON b.id = i.inbox_id \
                   WHERE i.org_id = $1 AND i.contact_id = $2 ORDER BY b.name, i.external_id";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, ContactIdentity>(sql).bind(org).bind(contact).fetch_all(p).await?),
        )
    }

    /// The contact's conversations (one per inbox it wrote to).
    pub async fn contact_conversations(
        &self,
        org: OrgId,
        contact: ContactId,
    ) -> Result<Vec<Conversation>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE c.org_id = $1 AND c.contact_id = $2 ORDER BY ca.last_message_at DESC",
            crate::chats::CONV_COLS,
            crate::chats::CONV_FROM
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Conversation>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(contact).fetch_all(p).await?),
        )
    }
}

impl Tx {
    /// Saves an edit of a contact's data and tells every chat of the
    /// contact (`contact.updated`, scoped to each chat so only those who see
    /// it are told). Returns the contact as saved and the changed fields
    /// (nothing is written when nothing changed).
    pub async fn update_contact(
        &mut self,
        org: OrgId,
        id: ContactId,
        changes: &ContactChanges,
    ) -> Result<(Contact, Vec<&'static str>)> {
        let mut c = self.contact(org, id).await?;
        let changed = changes.apply(&mut c);
        if changed.is_empty() {
            return Ok((c, changed));
        }
        // A name a person set is theirs from now on (CT-1): the channel's
        // profile name no longer replaces it.
        let sql = "UPDATE contacts SET name = $3, email = $4, document = $5, rg = $6, birth_date = $7, \
                   customer_code = $8, broadcast_opt_in = $9, custom = $10, name_edited = (name_edited OR $11) \
                   WHERE org_id = $1 AND id = $2";
        with_tx!(self, x => sqlx::query(sql)
            .bind(org).bind(id).bind(&c.name).bind(&c.email).bind(&c.document).bind(&c.rg)
            .bind(&c.birth_date).bind(&c.customer_code).bind(c.broadcast_opt_in).bind(&c.custom)
            .bind(changed.contains(&"name"))
            .execute(x).await?.rows_affected());
        self.tell_chats(&c, &changed).await?;
        Ok((c, changed))
    }

    /// Marks a contact's name as given by a person (CT-1: e.g. typed by the
    /// agent who started the chat), so the profile name does not replace it.
    pub async fn keep_contact_name(&mut self, org: OrgId, id: ContactId) -> Result<()> {
        let sql = "UPDATE contacts SET name_edited = TRUE WHERE org_id = $1 AND id = $2";
        with_tx!(self, x => sqlx::query(sql).bind(org).bind(id).execute(x).await?.rows_affected());
        Ok(())
    }

    /// `contact.updated` for every chat of the contact, scoped to each chat
    /// so only those who see it are told.
    async fn tell_chats(&mut self, c: &Contact, fields: &[&str]) -> Result<()> {
        let sql = format!(
            "SELECT {} FROM {} WHERE c.org_id = $1 AND c.contact_id = $2",
            crate::chats::CONV_COLS,
            crate::chats::CONV_FROM
        );
        let convs: Vec<Conversation> = with_tx!(self, x => sqlx::query_as::<_, Conversation>(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(c.org_id).bind(c.id).fetch_all(x).await?);
        for conv in convs {
            self.emit(NewEvent {
                org_id: c.org_id,
                chat: Some(conv.scope()),
                event: ChatEvent::ContactUpdated(ContactUpdated {
                    contact_id: c.id,
                    name: c.name.clone(),
                    conversation_id: Some(conv.id),
                    fields: Some(fields.iter().map(|f| f.to_string()).collect()),
                    blocked: Some(c.blocked),
                }),
            });
        }
        Ok(())
    }
}

impl Tx {
    /// Blocks or unblocks a contact (CT-4); tells every chat of the contact.
    /// Returns the contact as saved.
    pub async fn set_contact_blocked(
        &mut self,
        org: OrgId,
        id: ContactId,
        blocked: bool,
    ) -> Result<Contact> {
        let mut c = self.contact(org, id).await?;
        if c.blocked == blocked {
            return Ok(c);
        }
        with_tx!(self, x => sqlx::query("UPDATE contacts SET blocked = $3 WHERE org_id = $1 AND id = $2")
            .bind(org).bind(id).bind(blocked).execute(x).await?.rows_affected());
        c.blocked = blocked;
        self.tell_chats(&c, &["blocked"]).await?;
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn contact() -> Contact {
        Contact {
            id: ContactId(uuid::Uuid::nil()),
            org_id: OrgId(uuid::Uuid::nil()),
            name: "Ana".into(),
            phone: Some("+5511987654321".into()),
            email: None,
            document: None,
            rg: None,
            birth_date: None,
            customer_code: Some("C-1".into()),
            blocked: false,
            broadcast_opt_in: true,
            custom: Json(json!({"cidade": "Santos"})),
            created_at: 0,
            last_interaction_at: None,
        }
    }

    #[test]
    fn only_real_changes_are_reported() {
        let mut c = contact();
        let changes = ContactChanges {
            name: Some("Ana".into()),
            email: Some(Some("ana@example.com".into())),
            customer_code: Some(None),
            custom: vec![
                ("cidade".into(), Some("Santos".into())),
                ("plano".into(), Some("ouro".into())),
            ],
            ..Default::default()
        };
        let changed = changes.apply(&mut c);
        assert_eq!(changed, vec!["email", "customer_code", "custom"]);
        assert_eq!(c.customer_code, None);
        assert_eq!(c.custom.0, json!({"cidade": "Santos", "plano": "ouro"}));
        assert!(
            changes.apply(&mut c).is_empty(),
            "applying twice changes nothing"
        );
    }

    #[test]
    fn removing_a_custom_value() {
        let mut c = contact();
        let changes = ContactChanges {
            custom: vec![("cidade".into(), None)],
            ..Default::default()
        };
        assert_eq!(changes.apply(&mut c), vec!["custom"]);
        assert_eq!(c.custom.0, json!({}));
    }
}
