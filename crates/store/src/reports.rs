//! Reports (RP-1…): the generated files' records, and what the full
//! conversation history of a contact (RP-1) reads — the candidate contacts
//! of a search, and the contact's messages and attendances in a period.

use atende_domain::{AttendanceId, ContactId, ConversationId, InboxId, OrgId, UserId};
use serde_json::Value;
use sqlx::types::Json;
use uuid::Uuid;

use crate::fold::fold;
use crate::rows::{Arg, push};
use crate::{Millis, Result, Store, StoreError, Tx, bind_args, now_ms, with_pool, with_tx};

/// A generated (or generating) report.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Report {
    pub id: Uuid,
    pub org_id: OrgId,
    /// history
    pub kind: String,
    pub params: Json<Value>,
    pub title: String,
    /// processing | ready | failed (an expired one is `ready` with
    /// `expires_at` past: see `Report::expired`)
    pub status: String,
    pub error_code: Option<String>,
    pub file_path: Option<String>,
    pub size: Option<i64>,
    pub created_by: Option<UserId>,
    pub created_at: Millis,
    pub finished_at: Option<Millis>,
    pub expires_at: Option<Millis>,
}

impl Report {
    /// A ready report whose download is no longer offered.
    pub fn expired(&self, now: Millis) -> bool {
        self.status == "ready" && self.expires_at.is_some_and(|e| e <= now)
    }
}

const REPORT_COLS: &str = "id, org_id, kind, params, title, status, error_code, file_path, size, \
     created_by, created_at, finished_at, expires_at";

/// What a history search looks for (RP-1): e-mail and id exactly, phone and
/// name approximately.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "by", content = "term", rename_all = "snake_case")]
pub enum ContactQuery {
    Email(String),
    Id(ContactId),
    /// Digits contained in the phone number.
    Phone(String),
    /// Every word contained in the name, case aside.
    Name(Vec<String>),
}

impl ContactQuery {
    /// Reads a search term: an e-mail has an `@`, an id is a UUID, a phone
    /// is made of digits (and `+ ( ) -` and spaces, at least 4 digits);
    /// anything else is a name. None for a blank term.
    pub fn parse(term: &str) -> Option<ContactQuery> {
        let term = term.trim();
        if term.is_empty() {
            return None;
        }
        if term.contains('@') {
            return Some(ContactQuery::Email(term.to_lowercase()));
        }
        if let Ok(id) = term.parse::<Uuid>() {
            return Some(ContactQuery::Id(ContactId::from(id)));
        }
        let digits: String = term.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 4
            && term
                .chars()
                .all(|c| c.is_ascii_digit() || "+()- .".contains(c))
        {
            return Some(ContactQuery::Phone(digits));
        }
        Some(ContactQuery::Name(
            term.split_whitespace()
                .map(|w| fold(w).replace(['%', '_'], ""))
                .filter(|w| !w.is_empty())
                .collect(),
        ))
    }
}

impl ContactQuery {
    /// The SQL condition on the contacts row `alias` (`c.…`), its
    /// parameters pushed onto `args`.
    pub(crate) fn condition(&self, alias: &str, args: &mut Vec<Arg>) -> String {
        match self {
            ContactQuery::Email(e) => format!(
                "LOWER({alias}.email) = {}",
                push(args, Arg::Text(e.clone()))
            ),
            ContactQuery::Id(id) => format!("{alias}.id = {}", push(args, Arg::Id(id.0))),
            ContactQuery::Phone(d) => {
                format!(
                    "{alias}.phone LIKE {}",
                    push(args, Arg::Text(format!("%{d}%")))
                )
            }
            ContactQuery::Name(words) if words.is_empty() => "TRUE".into(),
            ContactQuery::Name(words) => words
                .iter()
                .map(|w| {
                    format!(
                        "{alias}.name_key LIKE {}",
                        push(args, Arg::Text(format!("%{w}%")))
                    )
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        }
    }
}

/// A contact a history search found.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Candidate {
    pub id: ContactId,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Whether they wrote or were written to in the period.
    pub in_period: bool,
}

/// One line of a contact's history: a message of any of their chats.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryMessage {
    pub id: Uuid,
    pub conversation_id: ConversationId,
    pub inbox_name: String,
    /// The inbox's channel (`whatsapp`, `widget`, …).
    pub inbox_channel: String,
    pub author_kind: String,
    pub author_name: Option<String>,
    pub internal: bool,
    pub kind: String,
    pub text: Option<String>,
    pub payload: Json<Value>,
    pub created_at: Millis,
    /// The message's stored media file, if any.
    pub media_id: Option<Uuid>,
    pub media_filename: Option<String>,
    pub media_mime: Option<String>,
}

/// An attendance of the contact that overlaps the period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryAttendance {
    pub protocol: String,
    pub inbox_name: String,
    pub department: Option<String>,
    pub agent: Option<String>,
    pub opened_at: Millis,
    pub closed_at: Option<Millis>,
    pub closed_by: Option<String>,
}

/// What part of a contact's history a report covers: a period, and for a
/// ticket (RP-4) one chat and one attendance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistorySpan {
    pub from: Millis,
    pub to: Millis,
    pub conversation: Option<ConversationId>,
    pub attendance: Option<AttendanceId>,
}

/// An attendance as the ticket history lists it (RP-4).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Ticket {
    pub id: AttendanceId,
    pub conversation_id: ConversationId,
    pub contact_id: ContactId,
    pub protocol: String,
    pub contact_name: String,
    pub contact_phone: Option<String>,
    pub department: Option<String>,
    pub agent: Option<String>,
    pub opened_at: Millis,
    pub closed_at: Option<Millis>,
}

/// Candidates a search reads at most: enough to tell "too many".
pub const CANDIDATES_READ: i64 = 200;

impl Store {
    /// Contacts matching `q` (at most `CANDIDATES_READ`), each with whether
    /// they have messages in `[from, to]`.
    pub async fn history_candidates(
        &self,
        org: OrgId,
        q: &ContactQuery,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<Candidate>> {
        let head = "SELECT c.id, c.name, c.phone, c.email, EXISTS (SELECT 1 FROM conversations v \
             JOIN messages m ON m.conversation_id = v.id \
             WHERE v.contact_id = c.id AND m.created_at >= $2 AND m.created_at <= $3) AS in_period \
             FROM contacts c WHERE c.org_id = $1";
        let mut args = vec![Arg::Id(org.0), Arg::Int(from), Arg::Int(to)];
        let cond = q.condition("c", &mut args);
        let sql = format!("{head} AND {cond} ORDER BY c.name, c.id LIMIT {CANDIDATES_READ}");
        let rows = with_pool!(self, p => {
            let query = sqlx::query_as::<_, Candidate>(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(query, &args).fetch_all(p).await?
        });
        Ok(rows)
    }

    /// The contact's messages in `[from, to]`, over all their chats, in
    /// time order; internal notes only when asked.
    pub async fn history_messages(
        &self,
        org: OrgId,
        contact: ContactId,
        span: &HistorySpan,
        include_internal: bool,
    ) -> Result<Vec<HistoryMessage>> {
        let sql = "SELECT m.id, m.conversation_id, i.name AS inbox_name, i.channel AS inbox_channel, m.author_kind, \
                   u.name AS author_name, m.internal, m.kind, m.text, m.payload, m.created_at, \
                   (SELECT d.id FROM media d WHERE d.message_id = m.id AND d.status = 'stored' LIMIT 1) AS media_id, \
                   (SELECT d.filename FROM media d WHERE d.message_id = m.id LIMIT 1) AS media_filename, \
                   (SELECT d.mime_type FROM media d WHERE d.message_id = m.id LIMIT 1) AS media_mime \
                   FROM conversations v JOIN messages m ON m.conversation_id = v.id \
                   JOIN inboxes i ON i.id = v.inbox_id LEFT JOIN users u ON u.id = m.author_id \
                   WHERE v.org_id = $1 AND v.contact_id = $2 AND m.created_at >= $3 AND m.created_at <= $4 \
                   AND (m.internal = FALSE OR $5 OR m.author_kind = 'system') \
                   AND ($6 IS NULL OR v.id = $6) ORDER BY m.created_at, m.id";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, HistoryMessage>(sql).bind(org).bind(contact)
                .bind(span.from).bind(span.to).bind(include_internal).bind(span.conversation).fetch_all(p).await?),
        )
    }

    /// The contact's attendances that overlap `[from, to]`, oldest first.
    pub async fn history_attendances(
        &self,
        org: OrgId,
        contact: ContactId,
        span: &HistorySpan,
    ) -> Result<Vec<HistoryAttendance>> {
        let sql = "SELECT a.protocol, i.name AS inbox_name, d.name AS department, u.name AS agent, \
                   a.opened_at, a.closed_at, cb.name AS closed_by \
                   FROM conversations v JOIN attendances a ON a.conversation_id = v.id \
                   JOIN inboxes i ON i.id = v.inbox_id \
                   LEFT JOIN departments d ON d.id = a.department_id \
                   LEFT JOIN users u ON u.id = a.agent_id LEFT JOIN users cb ON cb.id = a.closed_by \
                   WHERE v.org_id = $1 AND v.contact_id = $2 AND a.opened_at <= $4 \
                   AND (a.closed_at IS NULL OR a.closed_at >= $3) AND ($5 IS NULL OR a.id = $5) \
                   ORDER BY a.opened_at, a.protocol";
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, HistoryAttendance>(sql).bind(org).bind(contact)
                .bind(span.from).bind(span.to).bind(span.attendance).fetch_all(p).await?),
        )
    }

    /// An inbox's attendances opened since `since` (RP-4), newest first,
    /// with their contact; paged by the last one read, `(opened_at, id)`
    /// (or its time alone: what an older client sends).
    pub async fn tickets(
        &self,
        org: OrgId,
        inbox: InboxId,
        since: Millis,
        before: Option<(Millis, Option<AttendanceId>)>,
        limit: i64,
    ) -> Result<Vec<Ticket>> {
        let sql = "SELECT a.id, a.conversation_id, v.contact_id, a.protocol, k.name AS contact_name, \
                   k.phone AS contact_phone, d.name AS department, u.name AS agent, a.opened_at, a.closed_at \
                   FROM attendances a JOIN conversations v ON v.id = a.conversation_id \
                   JOIN contacts k ON k.id = v.contact_id \
                   LEFT JOIN departments d ON d.id = a.department_id LEFT JOIN users u ON u.id = a.agent_id \
                   WHERE a.org_id = $1 AND v.inbox_id = $2 AND a.opened_at >= $3 \
                   AND ($4 IS NULL OR a.opened_at < $4 OR (a.opened_at = $4 AND a.id < $6)) \
                   ORDER BY a.opened_at DESC, a.id DESC LIMIT $5";
        let (at, id) = match before {
            Some((at, id)) => (Some(at), id),
            None => (None, None),
        };
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Ticket>(sql).bind(org).bind(inbox).bind(since)
                .bind(at).bind(limit).bind(id).fetch_all(p).await?),
        )
    }

    /// One attendance as a ticket.
    pub async fn ticket(&self, org: OrgId, id: AttendanceId) -> Result<Ticket> {
        let sql = "SELECT a.id, a.conversation_id, v.contact_id, a.protocol, k.name AS contact_name, \
                   k.phone AS contact_phone, d.name AS department, u.name AS agent, a.opened_at, a.closed_at \
                   FROM attendances a JOIN conversations v ON v.id = a.conversation_id \
                   JOIN contacts k ON k.id = v.contact_id \
                   LEFT JOIN departments d ON d.id = a.department_id LEFT JOIN users u ON u.id = a.agent_id \
                   WHERE a.org_id = $1 AND a.id = $2";
        with_pool!(self, p => sqlx::query_as::<_, Ticket>(sql).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    pub async fn report(&self, org: OrgId, id: Uuid) -> Result<Report> {
        let sql = format!("SELECT {REPORT_COLS} FROM reports WHERE org_id = $1 AND id = $2");
        with_pool!(self, p => sqlx::query_as::<_, Report>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(id).fetch_optional(p).await?)
            .ok_or(StoreError::NotFound)
    }

    /// The organization's reports, newest first (of one user when given).
    pub async fn reports(&self, org: OrgId, by: Option<UserId>, limit: i64) -> Result<Vec<Report>> {
        let sql = format!(
            "SELECT {REPORT_COLS} FROM reports WHERE org_id = $1 AND ($2 IS NULL OR created_by = $2) \
             ORDER BY created_at DESC, id DESC LIMIT $3"
        );
        Ok(
            with_pool!(self, p => sqlx::query_as::<_, Report>(sqlx::AssertSqlSafe(sql.as_str())).bind(org).bind(by).bind(limit).fetch_all(p).await?),
        )
    }
}

impl Tx {
    /// Records a report being generated.
    pub async fn create_report(
        &mut self,
        org: OrgId,
        kind: &str,
        title: &str,
        params: Value,
        by: Option<UserId>,
    ) -> Result<Report> {
        let sql = format!(
            "INSERT INTO reports ({REPORT_COLS}) VALUES ($1, $2, $3, $4, $5, 'processing', NULL, NULL, NULL, $6, $7, NULL, NULL) \
             RETURNING {REPORT_COLS}"
        );
        Ok(
            with_tx!(self, c => sqlx::query_as::<_, Report>(sqlx::AssertSqlSafe(sql.as_str())).bind(Uuid::now_v7()).bind(org)
                .bind(kind).bind(Json(params)).bind(title).bind(by).bind(now_ms()).fetch_one(c).await?),
        )
    }

    /// A report's file is written: ready until `expires_at`.
    pub async fn report_ready(
        &mut self,
        r: &Report,
        file_path: &str,
        size: i64,
        expires_at: Millis,
    ) -> Result<()> {
        let sql = "UPDATE reports SET status = 'ready', file_path = $3, size = $4, finished_at = $5, expires_at = $6 \
                   WHERE org_id = $1 AND id = $2 AND status = 'processing'";
        with_tx!(self, c => sqlx::query(sql).bind(r.org_id).bind(r.id).bind(file_path).bind(size)
            .bind(now_ms()).bind(expires_at).execute(c).await?.rows_affected());
        Ok(())
    }

    /// A report failed with `code` (the seed's messages are the server's).
    pub async fn report_failed(&mut self, r: &Report, code: &str) -> Result<()> {
        let sql = "UPDATE reports SET status = 'failed', error_code = $3, finished_at = $4 \
                   WHERE org_id = $1 AND id = $2 AND status = 'processing'";
        with_tx!(self, c => sqlx::query(sql).bind(r.org_id).bind(r.id).bind(code).bind(now_ms())
            .execute(c).await?.rows_affected());
        Ok(())
    }

    /// Forgets an expired report's file (deleted from disk by the caller).
    pub async fn report_file_removed(&mut self, r: &Report) -> Result<()> {
        let sql = "UPDATE reports SET file_path = NULL WHERE org_id = $1 AND id = $2";
        with_tx!(self, c => sqlx::query(sql).bind(r.org_id).bind(r.id).execute(c).await?.rows_affected());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_term_is_read_as_email_id_phone_or_name() {
        assert_eq!(
            ContactQuery::parse(" Ana@Loja.com "),
            Some(ContactQuery::Email("ana@loja.com".into()))
        );
        let id = Uuid::now_v7();
        assert_eq!(
            ContactQuery::parse(&id.to_string()),
            Some(ContactQuery::Id(ContactId::from(id)))
        );
        assert_eq!(
            ContactQuery::parse("+55 (11) 98765-4321"),
            Some(ContactQuery::Phone("5511987654321".into()))
        );
        assert_eq!(
            ContactQuery::parse("Paulo  Souza"),
            Some(ContactQuery::Name(vec!["paulo".into(), "souza".into()]))
        );
        assert_eq!(
            ContactQuery::parse("123"),
            Some(ContactQuery::Name(vec!["123".into()]))
        );
        assert_eq!(ContactQuery::parse("   "), None);
    }
}
