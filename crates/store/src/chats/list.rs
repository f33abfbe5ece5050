//! The chat list (LC-1 views, LC-2 filters, LC-3 orderings, LC-4 search)
//! with keyset pagination.

use atende_domain::{
    AttendanceId, CampaignId, ChatView, ContactId, ConversationId, DepartmentId, InboxId, OrgId,
    TagId, UserId,
};
use serde::Serialize;

use crate::fold::contains_pattern;
use crate::rows::{Arg, parse_cursor};
use crate::{Millis, Result, Store, bind_args, with_pool};

/// LC-3 orderings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChatOrder {
    /// Newest message first.
    #[default]
    Newest,
    /// Oldest message first.
    Oldest,
    /// Newest opening (protocol) first; chats never opened are left out.
    NewestOpening,
    /// Oldest opening first; chats never opened are left out.
    OldestOpening,
}

impl ChatOrder {
    pub fn parse(s: &str) -> Option<ChatOrder> {
        Some(match s {
            "newest" => ChatOrder::Newest,
            "oldest" => ChatOrder::Oldest,
            "newest_opening" => ChatOrder::NewestOpening,
            "oldest_opening" => ChatOrder::OldestOpening,
            _ => return None,
        })
    }

    fn column(self) -> &'static str {
        match self {
            // The chat's activity (`ca`, migration 0011) holds the indexed
            // last-message time.
            ChatOrder::Newest | ChatOrder::Oldest => "ca.last_message_at",
            ChatOrder::NewestOpening | ChatOrder::OldestOpening => "c.opened_at",
        }
    }

    /// The chat's id as the index of [`ChatOrder::column`] holds it (the
    /// tie-break of equal times), so the index gives the whole order.
    fn id_column(self) -> &'static str {
        match self {
            ChatOrder::Newest | ChatOrder::Oldest => "ca.conversation_id",
            ChatOrder::NewestOpening | ChatOrder::OldestOpening => "c.id",
        }
    }

    fn descending(self) -> bool {
        matches!(self, ChatOrder::Newest | ChatOrder::NewestOpening)
    }
}

/// Who asks and what they ask for.
#[derive(Debug, Clone)]
pub struct ConversationQuery {
    pub org_id: OrgId,
    pub viewer: UserId,
    pub see_all_chats: bool,
    pub view: ChatView,
    pub order: ChatOrder,
    pub tag: Option<TagId>,
    pub campaign: Option<CampaignId>,
    pub department: Option<DepartmentId>,
    pub agent: Option<UserId>,
    pub inbox: Option<InboxId>,
    pub channel: Option<String>,
    pub unread_only: bool,
    /// Name, phone or protocol (LC-4).
    pub search: Option<String>,
    /// Opaque cursor from a previous page.
    pub cursor: Option<String>,
    pub limit: i64,
}

impl ConversationQuery {
    /// Every chat a viewer may see, newest first, no filter: callers set
    /// the fields they need.
    pub fn new(
        org_id: OrgId,
        viewer: UserId,
        see_all_chats: bool,
        view: ChatView,
    ) -> ConversationQuery {
        ConversationQuery {
            org_id,
            viewer,
            see_all_chats,
            view,
            order: ChatOrder::Newest,
            tag: None,
            campaign: None,
            department: None,
            agent: None,
            inbox: None,
            channel: None,
            unread_only: false,
            search: None,
            cursor: None,
            limit: 50,
        }
    }
}

/// One row of the chat list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ConversationItem {
    pub id: ConversationId,
    pub inbox_id: InboxId,
    pub channel: String,
    pub contact_id: ContactId,
    pub contact_name: String,
    pub contact_phone: Option<String>,
    pub attendance_id: Option<AttendanceId>,
    pub protocol: Option<String>,
    pub opened_at: Option<Millis>,
    pub department_id: Option<DepartmentId>,
    pub agent_id: Option<UserId>,
    pub flow_running: bool,
    pub last_message_at: Millis,
    pub last_inbound_at: Option<Millis>,
    pub unread: i64,
    /// When the open attendance's scheduled closing is due (LC-11).
    pub close_at: Option<Millis>,
    pub campaign_id: Option<CampaignId>,
    /// The chat's tags (filled after the query, ordered by name).
    #[sqlx(skip)]
    pub tags: Vec<TagId>,
    /// The chat's newest message other than a system line (filled after
    /// the query), for the list's preview.
    #[sqlx(skip)]
    pub last_message: Option<LastMessage>,
}

/// What a chat-list row previews of the chat's newest message.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct LastMessage {
    /// `text`, `image`, `audio`, … (`atende_domain::ContentKind`).
    pub kind: String,
    /// The text or caption, at most [`PREVIEW_CHARS`] characters.
    pub text: Option<String>,
    /// An internal note (LC-8).
    pub internal: bool,
    /// `in` or `out`.
    pub direction: String,
    /// `contact`, `agent` or `bot`.
    pub author_kind: String,
}

/// The most characters of a message's text a preview keeps.
const PREVIEW_CHARS: usize = 140;

impl Store {
    /// A page of the chat list and the cursor of the next page.
    pub async fn conversations(
        &self,
        q: &ConversationQuery,
    ) -> Result<(Vec<ConversationItem>, Option<String>)> {
        let mut args: Vec<Arg> = vec![Arg::Id(q.org_id.0)];
        let mut wh: Vec<String> = vec!["c.org_id = $1".into(), "ca.org_id = $1".into()];
        let push = crate::rows::push;
        // LC-1 visibility: see_all, own chats, chats without department, or
        // chats of the viewer's departments. Mirrors atende_domain::can_see.
        if !q.see_all_chats {
            let me = push(&mut args, Arg::Id(q.viewer.0));
            wh.push(format!(
                "(c.agent_id = {me} OR c.department_id IS NULL OR c.department_id IN \
                 (SELECT department_id FROM department_members WHERE user_id = {me}))"
            ));
        }
        match q.view {
            ChatView::All => {}
            ChatView::Open => wh.push("c.attendance_id IS NOT NULL AND c.agent_id IS NULL".into()),
            ChatView::Mine => {
                let me = push(&mut args, Arg::Id(q.viewer.0));
                wh.push(format!(
                    "c.attendance_id IS NOT NULL AND ca.agent_id = {me}"
                ));
            }
            ChatView::InService => {
                wh.push("c.attendance_id IS NOT NULL AND c.agent_id IS NOT NULL".into())
            }
        }
        if let Some(t) = q.tag {
            let p = push(&mut args, Arg::Id(t.0));
            wh.push(format!("EXISTS (SELECT 1 FROM conversation_tags ct WHERE ct.conversation_id = c.id AND ct.tag_id = {p})"));
        }
        if let Some(k) = q.campaign {
            let p = push(&mut args, Arg::Id(k.0));
            wh.push(format!("c.campaign_id = {p}"));
        }
        if let Some(d) = q.department {
            let p = push(&mut args, Arg::Id(d.0));
            wh.push(format!("ca.department_id = {p}"));
        }
        if let Some(a) = q.agent {
            let p = push(&mut args, Arg::Id(a.0));
            wh.push(format!("ca.agent_id = {p}"));
        }
        if let Some(i) = q.inbox {
            let p = push(&mut args, Arg::Id(i.0));
            wh.push(format!("c.inbox_id = {p}"));
        }
        if let Some(ch) = &q.channel {
            let p = push(&mut args, Arg::Text(ch.clone()));
            wh.push(format!("i.channel = {p}"));
        }
        if q.unread_only {
            wh.push("ca.unread > 0".into());
        }
        if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let p = push(&mut args, Arg::Text(contains_pattern(s)));
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            let mut cond = format!("k.name_key LIKE {p}");
            if !digits.is_empty() {
                let d = push(&mut args, Arg::Text(format!("%{digits}%")));
                cond.push_str(&format!(" OR k.phone LIKE {d} OR c.protocol LIKE {d}"));
            }
            wh.push(format!("({cond})"));
        }
        let (col, idc) = (q.order.column(), q.order.id_column());
        if matches!(q.order, ChatOrder::NewestOpening | ChatOrder::OldestOpening) {
            wh.push(format!("{col} IS NOT NULL"));
        }
        let (cmp, dir) = if q.order.descending() {
            ("<", "DESC")
        } else {
            (">", "ASC")
        };
        if let Some(cur) = &q.cursor {
            let (k, id) = parse_cursor(cur)?;
            let pk = push(&mut args, Arg::Int(k));
            let pi = push(&mut args, Arg::Id(id));
            wh.push(format!("({col}, {idc}) {cmp} ({pk}, {pi})"));
        }
        let limit = q.limit.clamp(1, 200);
        let pl = push(&mut args, Arg::Int(limit + 1));
        let sql = format!(
            "SELECT c.id, c.inbox_id, i.channel, c.contact_id, k.name AS contact_name, k.phone AS contact_phone, \
             c.attendance_id, c.protocol, c.opened_at, c.department_id, c.agent_id, c.flow_running, \
             ca.last_message_at, ca.last_inbound_at, ca.unread, a.close_at, c.campaign_id \
             FROM conversations c JOIN chat_activity ca ON ca.conversation_id = c.id \
             JOIN contacts k ON k.id = c.contact_id JOIN inboxes i ON i.id = c.inbox_id \
             LEFT JOIN attendances a ON a.id = c.attendance_id \
             WHERE {} ORDER BY {col} {dir}, {idc} {dir} LIMIT {pl}",
            wh.join(" AND ")
        );
        let mut rows: Vec<ConversationItem> = with_pool!(self, p => {
            let qq = sqlx::query_as::<_, ConversationItem>(sqlx::AssertSqlSafe(sql.as_str()));
            bind_args!(qq, &args).fetch_all(p).await?
        });
        let more = rows.len() as i64 > limit;
        if more {
            rows.truncate(limit as usize);
        }
        let ids: Vec<ConversationId> = rows.iter().map(|r| r.id).collect();
        let mut tags = self.tags_of_conversations(q.org_id, &ids).await?;
        let mut last = self.last_messages(q.org_id, &ids).await?;
        for r in &mut rows {
            r.tags = tags.remove(&r.id).unwrap_or_default();
            r.last_message = last.remove(&r.id);
        }
        let next = if more {
            rows.last().map(|r| {
                let key = match q.order {
                    ChatOrder::Newest | ChatOrder::Oldest => r.last_message_at,
                    _ => r.opened_at.unwrap_or_default(),
                };
                format!("{key}_{}", r.id)
            })
        } else {
            None
        };
        Ok((rows, next))
    }
}

/// How many chats a viewer has in each LC-1 view (the tab counters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ViewCounts {
    pub all: i64,
    pub open: i64,
    pub mine: i64,
    pub in_service: i64,
}

impl Store {
    /// Counts of every LC-1 view for one viewer, in one pass over the
    /// chats they may see.
    pub async fn view_counts(
        &self,
        org: OrgId,
        viewer: UserId,
        see_all_chats: bool,
    ) -> Result<ViewCounts> {
        let visibility = if see_all_chats {
            ""
        } else {
            " AND (c.agent_id = $2 OR c.department_id IS NULL OR c.department_id IN \
             (SELECT department_id FROM department_members WHERE user_id = $2))"
        };
        let sql = format!(
            "SELECT COUNT(*) AS \"all\", \
             COALESCE(SUM(CASE WHEN c.attendance_id IS NOT NULL AND c.agent_id IS NULL THEN 1 ELSE 0 END), 0) AS open, \
             COALESCE(SUM(CASE WHEN c.attendance_id IS NOT NULL AND c.agent_id = $2 THEN 1 ELSE 0 END), 0) AS mine, \
             COALESCE(SUM(CASE WHEN c.attendance_id IS NOT NULL AND c.agent_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS in_service \
             FROM conversations c WHERE c.org_id = $1{visibility}"
        );
        Ok(with_pool!(self, p => {
            sqlx::query_as::<_, ViewCounts>(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(org).bind(viewer).fetch_one(p).await?
        }))
    }

    /// The tags of some conversations, by conversation.
    /// Each conversation's newest message other than a system line
    /// ("Ana assumiu o atendimento."), its text cut for a preview.
    pub async fn last_messages(
        &self,
        org: OrgId,
        ids: &[ConversationId],
    ) -> Result<std::collections::HashMap<ConversationId, LastMessage>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        #[derive(Serialize)]
        struct Row {
            id: ConversationId,
        }
        let rows: Vec<Row> = ids.iter().map(|&id| Row { id }).collect();
        // Each chat's newest messages, newest first, through the
        // conversation's index until one is not a system line.
        let sql = format!(
            "SELECT m.conversation_id, m.kind, m.text, m.internal, m.direction, m.author_kind \
             FROM {} JOIN messages m ON m.id = (SELECT n.id FROM messages n \
               WHERE n.conversation_id = k.id AND n.author_kind <> 'system' \
               ORDER BY n.created_at DESC, n.id DESC LIMIT 1) \
             WHERE m.org_id = $1",
            crate::rows::json_rows(self.backend(), 2, "k", &[("id", crate::rows::Col::Uuid)])
        );
        #[derive(sqlx::FromRow)]
        struct Found {
            conversation_id: ConversationId,
            #[sqlx(flatten)]
            message: LastMessage,
        }
        let found: Vec<Found> = with_pool!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org).bind(sqlx::types::Json(&rows)).fetch_all(p).await?
        });
        Ok(found
            .into_iter()
            .map(|mut f| {
                f.message.text = f
                    .message
                    .text
                    .filter(|t| !t.is_empty())
                    .map(|t| preview(&t));
                (f.conversation_id, f.message)
            })
            .collect())
    }

    pub async fn tags_of_conversations(
        &self,
        org: OrgId,
        ids: &[ConversationId],
    ) -> Result<std::collections::HashMap<ConversationId, Vec<TagId>>> {
        let mut out: std::collections::HashMap<ConversationId, Vec<TagId>> =
            std::collections::HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        #[derive(Serialize)]
        struct Row {
            id: ConversationId,
        }
        let rows: Vec<Row> = ids.iter().map(|&id| Row { id }).collect();
        let backend = self.backend();
        let sql = format!(
            "SELECT ct.conversation_id, ct.tag_id FROM {} CROSS JOIN conversation_tags ct \
             JOIN tags t ON t.id = ct.tag_id \
             WHERE ct.conversation_id = k.id AND ct.org_id = $1 ORDER BY t.name",
            crate::rows::json_rows(backend, 2, "k", &[("id", crate::rows::Col::Uuid)])
        );
        let found: Vec<(ConversationId, TagId)> = with_pool!(self, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org).bind(sqlx::types::Json(&rows)).fetch_all(p).await?
        });
        for (c, t) in found {
            out.entry(c).or_default().push(t);
        }
        Ok(out)
    }
}

/// At most [`PREVIEW_CHARS`] characters of `text`, on one line, with an
/// ellipsis when cut.
fn preview(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= PREVIEW_CHARS {
        return line;
    }
    let mut cut: String = line.chars().take(PREVIEW_CHARS - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}
