//! The chat list, a conversation's messages, replies, assignment (LC-9),
//! closing (LC-11) and read state (LC-7).

pub mod actions;
mod close;
pub mod closing;
pub use crate::chat::compose;
mod messages;
pub mod new_chat;
mod reply;

pub use messages::{MediaOut, MessageOut};

use atende_domain::{
    Access, CampaignId, ChatView, ContactId, ConversationId, DepartmentId, InboxId, Module,
    SessionWindow, TagId, UserId,
};
use atende_store::chats::{ChatOrder, Conversation, ConversationItem, ConversationQuery};
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppJson, AppPath, AppQuery, opt_time, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_conversations))
        .routes(routes!(get_conversation))
        .routes(routes!(messages::list_messages, reply::send_message))
        .routes(routes!(actions::assign))
        .routes(routes!(close::close))
        .routes(routes!(close::cancel_close))
        .routes(routes!(actions::mark_read))
        .routes(routes!(actions::mark_unread))
        .routes(routes!(new_chat::new_chat))
        .routes(routes!(view_counts))
        .routes(routes!(messages::search_messages))
        .routes(routes!(actions::set_tags))
        .routes(routes!(actions::set_campaign))
        .routes(routes!(closing::closing_fields))
        .routes(routes!(actions::request_transfer))
}

#[derive(Serialize, ToSchema)]
pub struct ContactRef {
    #[schema(value_type = String, format = Uuid)]
    pub id: ContactId,
    pub name: String,
    pub phone: Option<String>,
}

/// A chat as listed (and as `GET /conversations/{id}` returns it).
#[derive(Serialize, ToSchema)]
pub struct ConversationOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: ConversationId,
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
    pub channel: String,
    pub contact: ContactRef,
    /// Protocol of the open (or last) attendance.
    pub protocol: Option<String>,
    pub attendance_open: bool,
    #[schema(format = DateTime)]
    pub opened_at: Option<String>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub department_id: Option<DepartmentId>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub agent_id: Option<UserId>,
    /// A bot flow is waiting for this contact (LC-7 automation icon).
    pub flow_running: bool,
    #[schema(format = DateTime)]
    pub last_message_at: String,
    #[schema(format = DateTime)]
    pub last_inbound_at: Option<String>,
    pub unread: i64,
    /// CH-5: open | expiring | expired; `none` on a channel without a
    /// window (Telegram, the widget), where free-form replies always go.
    pub window: String,
    #[schema(format = DateTime)]
    pub window_expires_at: Option<String>,
    /// The LC-1 views this chat is in for the caller.
    pub views: Vec<String>,
    /// The chat's tags (ids of `GET /tags`), by name.
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub tags: Vec<TagId>,
    /// When the attendance's scheduled closing is due (LC-11), if one is.
    #[schema(format = DateTime)]
    pub close_at: Option<String>,
    /// The campaign the chat came from (`GET /campaigns`), if any (LC-2).
    #[schema(value_type = Option<String>, format = Uuid)]
    pub campaign_id: Option<CampaignId>,
    /// The newest message other than a system line, for the list's
    /// preview ("📷 Foto", an internal note marked as such…).
    pub last_message: Option<LastMessageOut>,
}

/// What a chat-list row shows of the chat's newest message.
#[derive(Serialize, ToSchema)]
pub struct LastMessageOut {
    /// text | image | video | audio | document | sticker | location |
    /// contacts | interactive | template | reaction | unsupported
    pub kind: String,
    /// The text or caption, on one line, at most 140 characters.
    pub text: Option<String>,
    /// An internal note (LC-8), never seen by the contact.
    pub internal: bool,
    /// in | out
    pub direction: String,
    /// contact | agent | bot
    pub author_kind: String,
}

/// The window an agent replies within: none on Telegram and the widget, 7
/// days on Meta's channels (`HUMAN_AGENT`), else the 24 h session.
fn window(channel: &str, last_inbound_at: Option<i64>) -> (String, Option<String>) {
    let kind = channel.parse::<atende_domain::ChannelKind>().ok();
    if kind.is_some_and(|k| !k.has_session_window()) {
        return ("none".into(), None);
    }
    let last = last_inbound_at.and_then(chrono::DateTime::from_timestamp_millis);
    let hours = kind
        .and_then(atende_domain::ChannelKind::human_reply_hours)
        .unwrap_or(atende_domain::SESSION_HOURS);
    let (w, exp) = atende_domain::window_of(last, atende_store::now(), hours);
    let name = match w {
        SessionWindow::Open => "open",
        SessionWindow::Expiring => "expiring",
        SessionWindow::Expired => "expired",
    };
    (name.into(), exp.map(|e| time(e.timestamp_millis())))
}

impl ConversationOut {
    fn from_item(i: ConversationItem, auth: &Auth) -> ConversationOut {
        let state = atende_domain::ChatState {
            attendance_open: i.attendance_id.is_some(),
            department_id: i.department_id,
            agent_id: i.agent_id,
        };
        let views = atende_domain::views_of(&state, &auth.viewer())
            .iter()
            .map(|v| view_name(*v).to_string())
            .collect();
        let (window, window_expires_at) = window(&i.channel, i.last_inbound_at);
        ConversationOut {
            id: i.id,
            inbox_id: i.inbox_id,
            channel: i.channel,
            contact: ContactRef {
                id: i.contact_id,
                name: i.contact_name,
                phone: i.contact_phone,
            },
            protocol: i.protocol,
            attendance_open: i.attendance_id.is_some(),
            opened_at: opt_time(i.opened_at),
            department_id: i.department_id,
            agent_id: i.agent_id,
            flow_running: i.flow_running,
            last_message_at: time(i.last_message_at),
            last_inbound_at: opt_time(i.last_inbound_at),
            unread: i.unread,
            window,
            window_expires_at,
            views,
            tags: i.tags,
            close_at: opt_time(i.close_at),
            campaign_id: i.campaign_id,
            last_message: i.last_message.map(|m| LastMessageOut {
                kind: m.kind,
                text: m.text,
                internal: m.internal,
                direction: m.direction,
                author_kind: m.author_kind,
            }),
        }
    }
}

pub fn view_name(v: ChatView) -> &'static str {
    match v {
        ChatView::All => "all",
        ChatView::Open => "open",
        ChatView::Mine => "mine",
        ChatView::InService => "in_service",
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// all | open | mine | in_service (LC-1). Default all.
    #[param(schema_with = crate::wire_schema::opt_view)]
    pub view: Option<String>,
    /// newest | oldest | newest_opening | oldest_opening (LC-3).
    #[param(schema_with = crate::wire_schema::opt_order)]
    pub order: Option<String>,
    #[param(format = Uuid)]
    pub tag: Option<String>,
    /// Chats of this campaign (LC-2).
    #[param(format = Uuid)]
    pub campaign: Option<String>,
    #[param(format = Uuid)]
    pub department: Option<String>,
    #[param(format = Uuid)]
    pub agent: Option<String>,
    #[param(format = Uuid)]
    pub inbox: Option<String>,
    /// whatsapp | instagram | messenger | telegram | widget
    #[param(schema_with = crate::wire_schema::opt_channel)]
    pub channel: Option<String>,
    /// Only chats with unread messages.
    pub unread: Option<bool>,
    /// Name, phone or protocol (LC-4).
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationPage {
    pub items: Vec<ConversationOut>,
    pub next_cursor: Option<String>,
}

fn parse_id<T: std::str::FromStr>(name: &str, v: Option<&str>) -> ApiResult<Option<T>> {
    v.filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| ApiError::bad_request(format!("Parâmetro {name} inválido: {s:?}.")))
        })
        .transpose()
}

/// The chat list: one LC-1 view, filtered (LC-2), ordered (LC-3), searched
/// (LC-4), with cursor pagination.
#[utoipa::path(get, path = "/conversations", tag = "conversations", params(ListParams),
    responses((status = 200, body = ConversationPage), (status = 400, body = crate::error::ErrorBody)))]
async fn list_conversations(
    State(st): State<AppState>,
    auth: Auth,
    AppQuery(p): AppQuery<ListParams>,
) -> ApiResult<AppJson<ConversationPage>> {
    auth.require(Module::Chat, Access::View)?;
    let view = match p.view.as_deref() {
        None | Some("") => ChatView::All,
        Some(v) => v.parse().map_err(|_| {
            ApiError::bad_request(format!(
                "view inválida: {v:?} (use all, open, mine ou in_service)."
            ))
        })?,
    };
    let order = match p.order.as_deref() {
        None | Some("") => ChatOrder::Newest,
        Some(o) => ChatOrder::parse(o)
            .ok_or_else(|| ApiError::bad_request(format!("order inválida: {o:?}.")))?,
    };
    let q = ConversationQuery {
        org_id: auth.org(),
        viewer: auth.user.id,
        see_all_chats: auth.viewer().see_all_chats,
        view,
        order,
        tag: parse_id::<TagId>("tag", p.tag.as_deref())?,
        campaign: parse_id::<CampaignId>("campaign", p.campaign.as_deref())?,
        department: parse_id::<DepartmentId>("department", p.department.as_deref())?,
        agent: parse_id::<UserId>("agent", p.agent.as_deref())?,
        inbox: parse_id::<InboxId>("inbox", p.inbox.as_deref())?,
        channel: p.channel.filter(|c| !c.is_empty()),
        unread_only: p.unread.unwrap_or(false),
        search: p.q,
        cursor: p.cursor.filter(|c| !c.is_empty()),
        limit: p.limit.unwrap_or(50),
    };
    let (items, next_cursor) = st.store.conversations(&q).await.map_err(|e| match e {
        atende_store::StoreError::Invalid(m) => ApiError::bad_request(m),
        other => other.into(),
    })?;
    Ok(AppJson(ConversationPage {
        items: items
            .into_iter()
            .map(|i| ConversationOut::from_item(i, &auth))
            .collect(),
        next_cursor,
    }))
}

/// How many chats the caller has in each LC-1 view (the tab counters).
/// The web app gets the same numbers pushed over the WebSocket
/// (`{"type":"counts"}`) whenever they may have changed.
#[utoipa::path(get, path = "/conversations/counts", tag = "conversations",
    responses((status = 200, body = ViewCountsOut)))]
async fn view_counts(State(st): State<AppState>, auth: Auth) -> ApiResult<AppJson<ViewCountsOut>> {
    auth.require(Module::Chat, Access::View)?;
    Ok(AppJson(counts_of(&st, &auth).await?))
}

/// Chats per LC-1 view.
#[derive(Serialize, ToSchema)]
pub struct ViewCountsOut {
    pub all: i64,
    pub open: i64,
    pub mine: i64,
    pub in_service: i64,
}

pub async fn counts_of(st: &AppState, auth: &Auth) -> ApiResult<ViewCountsOut> {
    let c = st
        .store
        .view_counts(auth.org(), auth.user.id, auth.viewer().see_all_chats)
        .await?;
    Ok(ViewCountsOut {
        all: c.all,
        open: c.open,
        mine: c.mine,
        in_service: c.in_service,
    })
}

/// Loads a conversation the caller may see (404 otherwise, like another
/// organization's id).
pub async fn visible_conversation(
    st: &AppState,
    auth: &Auth,
    id: ConversationId,
) -> ApiResult<Conversation> {
    let conv = st.store.conversation(auth.org(), id).await?;
    if !atende_domain::can_see(&conv.chat_state(), &auth.viewer()) {
        return Err(ApiError::not_found());
    }
    Ok(conv)
}

/// Starts a write transaction on a conversation the caller may see, read
/// (and on PostgreSQL locked) inside it; anything else is 404.
pub async fn begin_visible(
    st: &AppState,
    auth: &Auth,
    id: ConversationId,
) -> ApiResult<(atende_store::Tx, Conversation)> {
    let mut tx = st.store.begin().await?;
    let conv = tx.conversation(auth.org(), id).await?;
    if !atende_domain::can_see(&conv.chat_state(), &auth.viewer()) {
        return Err(ApiError::not_found());
    }
    Ok((tx, conv))
}

pub async fn conversation_out(
    st: &AppState,
    auth: &Auth,
    conv: &Conversation,
) -> ApiResult<ConversationOut> {
    let contact = st.store.contact(auth.org(), conv.contact_id).await?;
    let inbox = st.store.inbox(auth.org(), conv.inbox_id).await?;
    let close_at = match conv.attendance_id {
        Some(a) => st.store.attendance(auth.org(), a).await?.close_at,
        None => None,
    };
    let tags = st
        .store
        .tags_of_conversations(auth.org(), &[conv.id])
        .await?
        .remove(&conv.id)
        .unwrap_or_default();
    let last_message = st
        .store
        .last_messages(auth.org(), &[conv.id])
        .await?
        .remove(&conv.id);
    Ok(ConversationOut::from_item(
        ConversationItem {
            id: conv.id,
            inbox_id: conv.inbox_id,
            channel: inbox.channel,
            contact_id: contact.id,
            contact_name: contact.name,
            contact_phone: contact.phone,
            attendance_id: conv.attendance_id,
            protocol: conv.protocol.clone(),
            opened_at: conv.opened_at,
            department_id: conv.department_id,
            agent_id: conv.agent_id,
            flow_running: conv.flow_running,
            last_message_at: conv.last_message_at,
            last_inbound_at: conv.last_inbound_at,
            unread: conv.unread,
            close_at,
            campaign_id: conv.campaign_id,
            tags,
            last_message,
        },
        auth,
    ))
}

/// One conversation.
#[utoipa::path(get, path = "/conversations/{id}", tag = "conversations", params(("id" = String, Path)),
    responses((status = 200, body = ConversationOut), (status = 404, body = crate::error::ErrorBody)))]
async fn get_conversation(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ConversationId>,
) -> ApiResult<AppJson<ConversationOut>> {
    auth.require(Module::Chat, Access::View)?;
    let conv = visible_conversation(&st, &auth, id).await?;
    Ok(AppJson(conversation_out(&st, &auth, &conv).await?))
}
