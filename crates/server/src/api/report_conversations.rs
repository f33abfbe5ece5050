//! The conversations report (RP-2, seed 001): the newest sessions — bot
//! only or handed over to people — filtered by period (at most 31 days),
//! session, protocol, tags, additional information, channel and contact;
//! each session's conversation; its PDF; the CSV or XLSX export of the
//! filtered set. Needs the Reports module.

use atende_domain::{Access, ContactId, ConversationId, InboxId, Module};
use atende_store::chat_sessions::{ChatSession, ChatSessionDetails};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::reports::{ReportOut, start};
use super::{AppJson, AppPath, AppQuery, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::reports::sessions::{ConversationFilters, channel_label, phone_label};
use crate::reports::{ExportFormat, MEDIA_LINK_TTL_MS, Period};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sessions))
        .routes(routes!(get_session))
        .routes(routes!(session_messages))
        .routes(routes!(create_session_pdf))
        .routes(routes!(export_sessions))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<i64>,
}

/// A session of the conversations report.
#[derive(Serialize, ToSchema)]
pub struct ReportSessionOut {
    /// The session's code (UUID).
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    #[schema(value_type = String, format = Uuid)]
    pub contact_id: ContactId,
    /// The phone captured when the session opened (E.164), and as shown.
    pub phone: Option<String>,
    pub phone_display: Option<String>,
    /// The name captured when the session opened (the contact's profile).
    pub name: String,
    /// When the contact's first message of the session arrived.
    #[schema(format = DateTime)]
    pub started_at: String,
    /// When the chat's next session opened; none for the latest.
    #[schema(format = DateTime)]
    pub ended_at: Option<String>,
    pub channel: String,
    pub channel_label: String,
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
    pub inbox_name: String,
    /// Whether people took part (an attendance), or only the bot.
    pub handed_over: bool,
    /// Protocols of the attendances in the session, oldest first.
    pub protocols: Vec<String>,
    /// The chat's tags.
    pub tags: Vec<String>,
    /// Messages of the session, everyone's.
    pub messages: i64,
}

impl ReportSessionOut {
    fn new(s: &ChatSession, d: &ChatSessionDetails) -> ReportSessionOut {
        ReportSessionOut {
            id: s.id.to_string(),
            conversation_id: s.conversation_id,
            contact_id: s.contact_id,
            phone: s.phone.clone(),
            phone_display: s.phone.as_deref().map(phone_label),
            name: s.name.clone(),
            started_at: time(s.started_at),
            ended_at: s.until_at.map(time),
            channel: s.channel.clone(),
            channel_label: channel_label(&s.channel).to_string(),
            inbox_id: s.inbox_id,
            inbox_name: s.inbox_name.clone(),
            handed_over: s.handed_over,
            protocols: d.protocols.get(&s.id).cloned().unwrap_or_default(),
            tags: d.tags.get(&s.conversation_id).cloned().unwrap_or_default(),
            messages: s.messages,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SessionsPage {
    pub items: Vec<ReportSessionOut>,
    /// The next page's cursor; none on the last page.
    pub next_cursor: Option<String>,
    /// The period searched (none when a session or protocol was looked up
    /// without one).
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The newest sessions matching the filters, a page at a time (RP-2).
/// A period over 31 days is `range_too_long`; a protocol that is not 17
/// digits `invalid_protocol`; a session that is not a UUID
/// `invalid_session`.
#[utoipa::path(get, path = "/reports/conversations", tag = "reports", params(ConversationFilters, PageParams),
    responses((status = 200, body = SessionsPage), (status = 422, body = crate::error::ErrorBody)))]
async fn list_sessions(
    State(st): State<AppState>,
    auth: Auth,
    AppQuery(filters): AppQuery<ConversationFilters>,
    AppQuery(page): AppQuery<PageParams>,
) -> ApiResult<AppJson<SessionsPage>> {
    auth.require(Module::Reports, Access::View)?;
    let filter = filters.parse(&st, auth.org()).await?;
    let limit = page.limit.unwrap_or(50).clamp(1, 200);
    let (rows, next) = st
        .store
        .chat_sessions(
            auth.org(),
            &filter,
            page.cursor.as_deref().filter(|c| !c.is_empty()),
            limit,
        )
        .await?;
    let details = st.store.chat_session_details(auth.org(), &rows).await?;
    Ok(AppJson(SessionsPage {
        items: rows
            .iter()
            .map(|s| ReportSessionOut::new(s, &details))
            .collect(),
        next_cursor: next,
        from: filter.period.map(|(f, _)| time(f)),
        to: filter.period.map(|(_, t)| time(t)),
    }))
}

async fn session(st: &AppState, auth: &Auth, id: &str) -> ApiResult<ChatSession> {
    let id = Uuid::parse_str(id).map_err(|_| ApiError::not_found())?;
    Ok(st.store.chat_session(auth.org(), id).await?)
}

/// One session of the report.
#[utoipa::path(get, path = "/reports/conversations/{id}", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, body = ReportSessionOut), (status = 404, body = crate::error::ErrorBody)))]
async fn get_session(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<String>,
) -> ApiResult<AppJson<ReportSessionOut>> {
    auth.require(Module::Reports, Access::View)?;
    let s = session(&st, &auth, &id).await?;
    let details = st
        .store
        .chat_session_details(auth.org(), std::slice::from_ref(&s))
        .await?;
    Ok(AppJson(ReportSessionOut::new(&s, &details)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessagesParams {
    /// The previous page's `next_cursor`.
    pub after: Option<String>,
    /// 1–1,000, default 200.
    pub limit: Option<i64>,
    /// Include internal notes (default: no).
    #[serde(default)]
    pub include_internal: bool,
}

/// A message of a session's conversation.
#[derive(Serialize, ToSchema)]
pub struct SessionMessageOut {
    #[schema(format = Uuid)]
    pub id: String,
    /// in | out
    pub direction: String,
    /// contact | bot | agent | system
    pub author_kind: String,
    pub author_name: Option<String>,
    pub internal: bool,
    /// text | image | audio | video | document | sticker | location | …
    pub kind: String,
    pub text: Option<String>,
    /// A media file's name and a link to it, valid for 72 hours.
    pub media_name: Option<String>,
    pub media_url: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionMessagesPage {
    pub items: Vec<SessionMessageOut>,
    pub next_cursor: Option<String>,
}

/// The session's conversation — the contact, the bot and the people — in
/// time order (the report's "open" action).
#[utoipa::path(get, path = "/reports/conversations/{id}/messages", tag = "reports",
    params(("id" = String, Path), MessagesParams),
    responses((status = 200, body = SessionMessagesPage), (status = 404, body = crate::error::ErrorBody)))]
async fn session_messages(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<String>,
    AppQuery(p): AppQuery<MessagesParams>,
) -> ApiResult<AppJson<SessionMessagesPage>> {
    auth.require(Module::Reports, Access::View)?;
    let s = session(&st, &auth, &id).await?;
    let (rows, next) = st
        .store
        .chat_session_messages(
            auth.org(),
            &s,
            p.include_internal,
            p.after.as_deref(),
            p.limit.unwrap_or(200),
        )
        .await?;
    let items = rows
        .into_iter()
        .map(|m| SessionMessageOut {
            id: m.id.to_string(),
            direction: m.direction,
            author_kind: m.author_kind,
            author_name: m.author_name,
            internal: m.internal,
            media_url: m
                .media_id
                .map(|id| crate::media::signed_url(&st, auth.org(), id, MEDIA_LINK_TTL_MS))
                .or_else(|| m.payload.0["media"]["link"].as_str().map(str::to_string)),
            media_name: m.media_filename,
            kind: m.kind,
            text: m.text,
            created_at: time(m.created_at),
        })
        .collect();
    Ok(AppJson(SessionMessagesPage {
        items,
        next_cursor: next,
    }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SessionPdfRequest {
    /// Include internal notes (default: no).
    #[serde(default)]
    pub include_internal: bool,
}

/// Generates the session's conversation as a PDF (as the full history,
/// narrowed to the session). Answers 202 with the report.
#[utoipa::path(post, path = "/reports/conversations/{id}/pdf", tag = "reports",
    params(("id" = String, Path)), request_body = SessionPdfRequest,
    responses((status = 202, body = ReportOut), (status = 404, body = crate::error::ErrorBody)))]
async fn create_session_pdf(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<String>,
    AppJson(req): AppJson<SessionPdfRequest>,
) -> ApiResult<(StatusCode, AppJson<ReportOut>)> {
    auth.require(Module::Reports, Access::View)?;
    let s = session(&st, &auth, &id).await?;
    let to = s.until_at.map_or_else(atende_store::now_ms, |u| u - 1);
    let period = Period {
        from: s.started_at,
        to,
    };
    let title = format!("Sessão de {} ({})", s.name, period.describe());
    let params = json!({"contact_id": s.contact_id, "from": s.started_at, "to": to,
        "include_internal": req.include_internal, "conversation_id": s.conversation_id,
        "session_id": s.id});
    start(&st, &auth, "session", &title, params).await
}

#[derive(Deserialize, ToSchema)]
pub struct ExportRequest {
    #[serde(flatten)]
    pub filters: ConversationFilters,
    pub format: ExportFormat,
}

/// Exports every session the filters find (not only a page) as CSV (UTF-8
/// with BOM, `;`-separated, as Excel in Portuguese opens it) or XLSX.
/// Answers 202 with the report; the report manager lists the file.
#[utoipa::path(post, path = "/reports/conversations/export", tag = "reports", request_body = ExportRequest,
    responses((status = 202, body = ReportOut), (status = 422, body = crate::error::ErrorBody)))]
async fn export_sessions(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<ExportRequest>,
) -> ApiResult<(StatusCode, AppJson<ReportOut>)> {
    auth.require(Module::Reports, Access::View)?;
    let filter = req.filters.parse(&st, auth.org()).await?;
    let what = match filter.period {
        Some((from, to)) => Period { from, to }.describe(),
        None => "sessão ou protocolo".to_string(),
    };
    let title = format!(
        "Relatório de conversas ({what}) — {}",
        req.format.extension().to_uppercase()
    );
    let params = json!({"filter": filter, "format": req.format});
    start(&st, &auth, "conversations", &title, params).await
}
