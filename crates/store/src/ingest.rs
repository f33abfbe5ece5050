//! What channel ingest and delivery need: inbox routing, identities,
//! provider ids, templates and media rows (statuses that arrive early are
//! `receipts`).

use atende_domain::{ContactId, InboxId, MessageId, OrgId};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json;
use uuid::Uuid;

use crate::chats::{Contact, Message};
use crate::events::{ChatEvent, ContactUpdated, InboxUpdated, MediaUpdated};
use crate::{Millis, NewEvent, Result, Store, StoreError, Tx, now_ms, with_pool, with_tx};

/// Routing data of a channel account, across organizations (system use:
/// webhooks arrive before anyone is logged in).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InboxRoute {
    pub id: InboxId,
    pub org_id: OrgId,
    pub channel: String,
    pub external_id: Option<String>,
    pub settings: Json<Value>,
    pub secrets: Json<Value>,
    pub chatbot_enabled: bool,
    pub entry_flow_id: Option<atende_domain::FlowId>,
}

impl InboxRoute {
    pub fn secret(&self, key: &str) -> Option<&str> {
        self.secrets.0.get(key).and_then(Value::as_str)
    }
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings.0.get(key).and_then(Value::as_str)
    }
    /// The inbox's channel; `None` for a channel this build does not know.
    pub fn kind(&self) -> Option<atende_domain::ChannelKind> {
        self.channel.parse().ok()
    }
    /// The flow a contact's message starts when no attendance is open: the
    /// entry flow, while the chatbot switch is on (FL-2).
    pub fn bot_flow(&self) -> Option<atende_domain::FlowId> {
        self.entry_flow_id.filter(|_| self.chatbot_enabled)
    }
}

/// A synced message template (CH-6).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Template {
    pub id: Uuid,
    #[serde(skip)]
    pub org_id: OrgId,
    pub inbox_id: InboxId,
    pub provider_id: String,
    pub name: String,
    pub language: String,
    pub status: String,
    pub category: String,
    pub parameter_format: Option<String>,
    pub components: Json<Value>,
    pub updated_at: Millis,
}

/// A media file of a message.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Media {
    pub id: Uuid,
    #[serde(skip)]
    pub org_id: OrgId,
    pub message_id: MessageId,
    pub inbox_id: InboxId,
    pub provider_media_id: Option<String>,
    pub mime_type: Option<String>,
    pub filename: Option<String>,
    pub size: Option<i64>,
    pub sha256: Option<String>,
    pub path: Option<String>,
    pub status: String,
    pub error: Option<String>,
    pub created_at: Millis,
}

const MSG_COLS: &str = "id, org_id, conversation_id, inbox_id, direction, author_kind, author_id, internal, kind, \
     text, payload, status, provider_id, error_code, error_text, client_key, created_at";
const TEMPLATE_COLS: &str = "id, org_id, inbox_id, provider_id, name, language, status, category, parameter_format, components, updated_at";
const MEDIA_COLS: &str = "id, org_id, message_id, inbox_id, provider_media_id, mime_type, filename, size, sha256, path, status, error, created_at";

impl Store {
    /// Every inbox of a channel, across organizations.
    pub async fn inbox_routes(&self, channel: &str) -> Result<Vec<InboxRoute>> {
        let sql = "SELECT id, org_id, channel, external_id, settings, secrets, chatbot_enabled, entry_flow_id FROM inboxes WHERE channel = $1";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, InboxRoute>(sql).bind(channel).fetch_all(p).await?),
        )
    }

    /// The external id (e.g. wa_id) of a contact on an inbox, preferring
    /// phone-like ids over business-scoped ones.
    pub async fn contact_external_ids(
        &self,
        org: OrgId,
        inbox: InboxId,
        contact: ContactId,
    ) -> Result<Vec<String>> {
        let sql = "SELECT external_id FROM contact_identities WHERE org_id = $1 AND inbox_id = $2 AND contact_id = $3 ORDER BY external_id";
        Ok(
            with_pool!(self, p => sqlx::query_scalar::<_, String>(sql).bind(org).bind(inbox).bind(contact).fetch_all(p).await?),
        )
    }

    /// The newest inbound message of a conversation that has a provider id.
    pub async fn last_inbound_provider_id(
        &self,
        org: OrgId,
        conv: atende_domain::ConversationId,
    ) -> Result<Option<String>> {
        let sql = "SELECT provider_id FROM messages WHERE org_id = $1 AND conversation_id = $2 AND direction = 'in' \
                   AND provider_id IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1";
        Ok(
            with_pool!(self, p => sqlx::query_scalar::<_, String>(sql).bind(org).bind(conv).fetch_optional(p).await?),
        )
    }

    pub async fn templates(&self, org: OrgId, inbox: InboxId) -> Result<Vec<Template>> {
        let sql = format!(
            "SELECT {TEMPLATE_COLS} FROM templates WHERE org_id = $1 AND inbox_id = $2 ORDER BY name, language"
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Template>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(inbox).fetch_all(p).await?),
        )
    }

    pub async fn template(
        &self,
        org: OrgId,
        inbox: InboxId,
        name: &str,
        language: Option<&str>,
    ) -> Result<Option<Template>> {
        let sql = format!(
            "SELECT {TEMPLATE_COLS} FROM templates WHERE org_id = $1 AND inbox_id = $2 AND name = $3 \
             AND ($4 IS NULL OR language = $4) ORDER BY language LIMIT 1"
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Template>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(inbox).bind(name).bind(language).fetch_optional(p).await?),
        )
    }

    pub async fn media_of_message(&self, org: OrgId, message: MessageId) -> Result<Option<Media>> {
        let sql = format!("SELECT {MEDIA_COLS} FROM media WHERE org_id = $1 AND message_id = $2");
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Media>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(message).fetch_optional(p).await?),
        )
    }

    /// Media rows of several messages (one page of a conversation).
    pub async fn media_for_messages(
        &self,
        org: OrgId,
        conv: atende_domain::ConversationId,
    ) -> Result<Vec<Media>> {
        let sql = format!(
            "SELECT {} FROM media m JOIN messages g ON g.id = m.message_id WHERE m.org_id = $1 AND g.conversation_id = $2",
            MEDIA_COLS
                .split(", ")
                .map(|c| format!("m.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Media>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(conv).fetch_all(p).await?),
        )
    }

    pub async fn media(&self, org: OrgId, id: Uuid) -> Result<Media> {
        let sql = format!("SELECT {MEDIA_COLS} FROM media WHERE org_id = $1 AND id = $2");
        with_pool!(self, p => sqlx::query_as::<_, Media>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }
}

impl Tx {
    /// The message with this provider id on an inbox.
    pub async fn message_by_provider_id(
        &mut self,
        inbox: InboxId,
        provider_id: &str,
    ) -> Result<Option<Message>> {
        let sql =
            format!("SELECT {MSG_COLS} FROM messages WHERE inbox_id = $1 AND provider_id = $2");
        Ok(
            with_tx!(self, c => sqlx::query_as::<_, Message>(sqlx::AssertSqlSafe(sql.as_str())).bind(inbox).bind(provider_id).fetch_optional(c).await?),
        )
    }

    /// Links another external id (a new number, a BSUID) to a contact; a no-op
    /// when the id is already linked.
    pub async fn link_identity(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        external_id: &str,
        contact: ContactId,
    ) -> Result<()> {
        let sql = "INSERT INTO contact_identities (org_id, inbox_id, external_id, contact_id) VALUES ($1, $2, $3, $4) \
                   ON CONFLICT (inbox_id, external_id) DO NOTHING";
        with_tx!(self, c => sqlx::query(sql).bind(org).bind(inbox).bind(external_id).bind(contact).execute(c).await?.rows_affected());
        Ok(())
    }

    /// The contact behind an external id, if known.
    pub async fn contact_by_identity(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        external_id: &str,
    ) -> Result<Option<ContactId>> {
        let sql = "SELECT contact_id FROM contact_identities WHERE org_id = $1 AND inbox_id = $2 AND external_id = $3";
        Ok(
            with_tx!(self, c => sqlx::query_scalar::<_, ContactId>(sql).bind(org).bind(inbox).bind(external_id).fetch_optional(c).await?),
        )
    }

    /// Follows the channel's profile name of a contact (profiles change),
    /// unless a person gave the contact its name (CT-1: the profile name is
    /// only the default).
    pub async fn set_contact_name(&mut self, contact: &Contact, name: &str) -> Result<()> {
        if contact.name == name || name.trim().is_empty() {
            return Ok(());
        }
        let sql = "UPDATE contacts SET name = $3 WHERE org_id = $1 AND id = $2 AND NOT name_edited";
        let n = with_tx!(self, c => sqlx::query(sql).bind(contact.org_id).bind(contact.id).bind(name).execute(c).await?.rows_affected());
        if n == 0 {
            return Ok(());
        }
        self.emit(NewEvent {
            org_id: contact.org_id,
            chat: None,
            event: ChatEvent::ContactUpdated(ContactUpdated {
                contact_id: contact.id,
                name: name.to_string(),
                conversation_id: None,
                fields: None,
                blocked: None,
            }),
        });
        Ok(())
    }

    /// Records the number customers write to on an inbox (the webhook's
    /// `metadata.display_phone_number`) in its settings, when it is new or
    /// changed (CT-1 shows it beside the channel). Returns whether it
    /// changed.
    pub async fn record_inbox_number(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        number: &str,
    ) -> Result<bool> {
        let set = match self.backend {
            crate::Backend::Postgres => {
                "jsonb_set(settings, '{display_phone_number}', to_jsonb(CAST($3 AS TEXT)))"
            }
            crate::Backend::Sqlite => "json_set(settings, '$.display_phone_number', $3)",
        };
        let sql = format!(
            "UPDATE inboxes SET settings = {set} WHERE org_id = $1 AND id = $2 \
             AND (settings ->> 'display_phone_number' IS NULL OR settings ->> 'display_phone_number' <> $3)"
        );
        let n = with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).bind(inbox).bind(number).execute(c).await?.rows_affected());
        if n > 0 {
            self.emit(NewEvent {
                org_id: org,
                chat: None,
                event: ChatEvent::InboxUpdated(InboxUpdated {
                    id: inbox,
                    name: None,
                    display_phone_number: Some(number.to_string()),
                    needs_reauth: None,
                }),
            });
        }
        Ok(n > 0)
    }

    /// Marks an inbox as needing a new access token (code 190), or clears it.
    pub async fn set_needs_reauth(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        needs: bool,
    ) -> Result<()> {
        let sql = "UPDATE inboxes SET needs_reauth = $3 WHERE org_id = $1 AND id = $2 AND needs_reauth <> $3";
        let n = with_tx!(self, c => sqlx::query(sql).bind(org).bind(inbox).bind(needs).execute(c).await?.rows_affected());
        if n > 0 {
            self.emit(NewEvent {
                org_id: org,
                chat: None,
                event: ChatEvent::InboxUpdated(InboxUpdated {
                    id: inbox,
                    name: None,
                    display_phone_number: None,
                    needs_reauth: Some(needs),
                }),
            });
        }
        Ok(())
    }

    /// Inserts or refreshes a template by (inbox, name, language).
    pub async fn upsert_template(&mut self, t: &Template) -> Result<()> {
        let sql = format!(
            "INSERT INTO templates ({TEMPLATE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (inbox_id, name, language) DO UPDATE SET provider_id = excluded.provider_id, status = excluded.status, \
             category = excluded.category, parameter_format = excluded.parameter_format, components = excluded.components, \
             updated_at = excluded.updated_at"
        );
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(t.id).bind(t.org_id).bind(t.inbox_id).bind(&t.provider_id)
            .bind(&t.name).bind(&t.language).bind(&t.status).bind(&t.category).bind(&t.parameter_format)
            .bind(&t.components).bind(t.updated_at).execute(c).await?.rows_affected());
        Ok(())
    }

    /// Updates the status of templates named by a status webhook.
    pub async fn set_template_status(
        &mut self,
        org: OrgId,
        inbox: InboxId,
        provider_id: Option<&str>,
        name: Option<&str>,
        language: Option<&str>,
        status: &str,
    ) -> Result<u64> {
        let sql = "UPDATE templates SET status = $3, updated_at = $4 WHERE org_id = $1 AND inbox_id = $2 \
                   AND (provider_id = $5 OR (name = $6 AND ($7 IS NULL OR language = $7)))";
        Ok(
            with_tx!(self, c => sqlx::query(sql).bind(org).bind(inbox).bind(status).bind(now_ms())
            .bind(provider_id.unwrap_or("")).bind(name.unwrap_or("")).bind(language).execute(c).await?.rows_affected()),
        )
    }

    pub async fn insert_media(&mut self, m: &Media) -> Result<()> {
        let sql = format!(
            "INSERT INTO media ({MEDIA_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        );
        with_tx!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(m.id).bind(m.org_id).bind(m.message_id).bind(m.inbox_id)
            .bind(&m.provider_media_id).bind(&m.mime_type).bind(&m.filename).bind(m.size).bind(&m.sha256)
            .bind(&m.path).bind(&m.status).bind(&m.error).bind(m.created_at).execute(c).await?.rows_affected());
        Ok(())
    }

    /// Records the outcome of a media download.
    pub async fn finish_media(&mut self, m: &Media) -> Result<()> {
        let sql = "UPDATE media SET mime_type = $3, size = $4, sha256 = $5, path = $6, status = $7, error = $8 WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(m.org_id).bind(m.id).bind(&m.mime_type).bind(m.size).bind(&m.sha256)
            .bind(&m.path).bind(&m.status).bind(&m.error).execute(c).await?.rows_affected());
        let msg_conv: Option<atende_domain::ConversationId> = with_tx!(self, c => sqlx::query_scalar("SELECT conversation_id FROM messages WHERE id = $1")
            .bind(m.message_id).fetch_optional(c).await?);
        if let Some(conv) = msg_conv {
            let conv = self.conversation(m.org_id, conv).await?;
            self.emit(NewEvent {
                org_id: m.org_id,
                chat: Some(conv.scope()),
                event: ChatEvent::MediaUpdated(MediaUpdated {
                    message_id: m.message_id,
                    media_id: m.id,
                    status: m.status.clone(),
                    mime_type: m.mime_type.clone(),
                    size: m.size,
                }),
            });
        }
        Ok(())
    }
}

/// A file an agent uploaded to send (CH-8), kept under the media folder.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Upload {
    pub inbox_id: InboxId,
    pub provider_media_id: String,
    #[serde(skip)]
    pub org_id: OrgId,
    pub mime_type: String,
    pub filename: Option<String>,
    pub size: i64,
    pub sha256: String,
    pub path: String,
    pub created_at: Millis,
}

const UPLOAD_COLS: &str =
    "inbox_id, provider_media_id, org_id, mime_type, filename, size, sha256, path, created_at";

impl Store {
    /// Records an uploaded file (idempotent on the provider's media id).
    pub async fn insert_upload(&self, u: &Upload) -> Result<()> {
        let sql = format!(
            "INSERT INTO uploads ({UPLOAD_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING"
        );
        let mut tx = self.begin().await?;
        with_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(u.inbox_id).bind(&u.provider_media_id)
            .bind(u.org_id).bind(&u.mime_type).bind(&u.filename).bind(u.size).bind(&u.sha256).bind(&u.path)
            .bind(u.created_at).execute(c).await?.rows_affected());
        tx.commit().await?;
        Ok(())
    }

    /// The upload behind a provider media id on `inbox`, if it was made here.
    pub async fn upload(
        &self,
        org: OrgId,
        inbox: InboxId,
        provider_media_id: &str,
    ) -> Result<Option<Upload>> {
        let sql = format!(
            "SELECT {UPLOAD_COLS} FROM uploads WHERE org_id = $1 AND inbox_id = $2 AND provider_media_id = $3"
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Upload>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(inbox).bind(provider_media_id).fetch_optional(p).await?),
        )
    }
}
