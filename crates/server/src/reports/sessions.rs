//! The conversations report (RP-2, seed 001): its filters as people give
//! them, checked and turned into the store's, and its export.

use std::str::FromStr;

use atende_domain::{OrgId, Protocol};
use atende_sheets::{Cell, Table};
use atende_store::StoreError;
use atende_store::chat_sessions::{ChatSession, ChatSessionFilter, FieldFilter, FieldOp};
use atende_store::reports::ContactQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Period, local};
use crate::error::{ApiError, Code};
use crate::state::AppState;

/// The longest period the report searches (seed 001: "não podendo
/// ultrapassar trinta e um dias").
pub const MAX_RANGE_DAYS: i64 = 31;
pub(crate) const DAY_MS: i64 = 86_400_000;

pub mod messages {
    pub const RANGE_TOO_LONG: &str = "O intervalo de tempo não pode ultrapassar 31 dias.";
    pub const RANGE_INCOMPLETE: &str = "Informe o início e o fim do intervalo de tempo.";
    pub const INVALID_PROTOCOL: &str = "Protocolo inválido: os protocolos têm 17 números, começando pela data (AAAAMMDD). Exemplo: 20251007092633646.";
    pub const INVALID_SESSION: &str = "Sessão inválida: informe o código da sessão, por exemplo c639c747-4637-4ff5-99c0-9f0e86d3c21b.";
    pub const UNKNOWN_TAG: &str = "Etiqueta não encontrada.";
    pub const INVALID_OPERATION: &str =
        "Operação inválida: use contém, não contém, igual, diferente ou existe.";
    pub const FIELD_WITHOUT_OPERATION: &str = "Escolha a operação e a informação adicional juntas.";
    pub const VALUE_REQUIRED: &str = "Informe o valor a comparar com a informação adicional.";
    pub const INVALID_CHANNEL: &str =
        "Canal inválido: use whatsapp, instagram, messenger, telegram ou widget.";
    pub const INVALID_CONTACT: &str = "Informe o nome, o e-mail, o telefone ou o ID do contato.";
}

/// The report's filters (seed 001, "Filtrando o Relatório de Conversas"),
/// as the query of a listing and the body of an export.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ConversationFilters {
    /// Start of the period: a date (`2026-03-01`, Brasília time) or an RFC
    /// 3339 instant. With `to`, at most 31 days; both absent: the last 31
    /// days (or any time, when `session_id` or `protocol` is given).
    #[schema(schema_with = crate::wire_schema::opt_day_or_instant)]
    #[param(schema_with = crate::wire_schema::opt_day_or_instant)]
    pub from: Option<String>,
    #[schema(schema_with = crate::wire_schema::opt_day_or_instant)]
    #[param(schema_with = crate::wire_schema::opt_day_or_instant)]
    pub to: Option<String>,
    /// A session's id (UUID).
    #[schema(format = Uuid)]
    #[param(format = Uuid)]
    pub session_id: Option<String>,
    /// An attendance protocol: 17 digits, `AAAAMMDD` and a sequence.
    pub protocol: Option<String>,
    /// Tag ids, comma-separated: sessions of chats with any of them.
    pub tags: Option<String>,
    /// Additional information: a contact's or attendance's custom field, or
    /// a field a bot flow stored (`set`, `ask`, a script).
    pub field: Option<String>,
    /// contains | not_contains | equals | not_equals | exists
    #[schema(schema_with = crate::wire_schema::opt_filter_op)]
    #[param(schema_with = crate::wire_schema::opt_filter_op)]
    pub op: Option<String>,
    pub value: Option<String>,
    /// whatsapp | instagram | messenger | telegram | widget
    #[schema(schema_with = crate::wire_schema::opt_channel)]
    #[param(schema_with = crate::wire_schema::opt_channel)]
    pub channel: Option<String>,
    #[schema(format = Uuid)]
    #[param(format = Uuid)]
    pub inbox_id: Option<String>,
    /// The contact: name or phone (approximate), e-mail or id (exact).
    pub contact: Option<String>,
}

/// A parameter's value, trimmed, when there is one.
pub(crate) fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn unprocessable(code: Code, message: &str) -> ApiError {
    ApiError::new(code, message)
}

impl ConversationFilters {
    /// The store's filter, every value checked: a clear error otherwise.
    pub async fn parse(&self, st: &AppState, org: OrgId) -> Result<ChatSessionFilter, ApiError> {
        let mut f = ChatSessionFilter::default();
        if let Some(s) = given(&self.session_id) {
            let id = uuid::Uuid::parse_str(s)
                .map_err(|_| unprocessable(Code::InvalidSession, messages::INVALID_SESSION))?;
            f.session = Some(id);
        }
        if let Some(p) = given(&self.protocol) {
            let p = Protocol::from_str(p)
                .map_err(|_| unprocessable(Code::InvalidProtocol, messages::INVALID_PROTOCOL))?;
            f.protocol = Some(p.to_string());
        }
        f.period = match (given(&self.from), given(&self.to)) {
            (Some(from), Some(to)) => {
                let p = Period::parse(from, to).map_err(ApiError::invalid)?;
                // Both ends included: 1–31 March is 31 days.
                if p.to - p.from >= MAX_RANGE_DAYS * DAY_MS {
                    return Err(unprocessable(Code::RangeTooLong, messages::RANGE_TOO_LONG));
                }
                Some((p.from, p.to))
            }
            (None, None) if f.session.is_some() || f.protocol.is_some() => None,
            (None, None) => {
                let now = atende_store::now_ms();
                Some((now - MAX_RANGE_DAYS * DAY_MS + 1, now))
            }
            _ => return Err(unprocessable(Code::Invalid, messages::RANGE_INCOMPLETE)),
        };
        if let Some(list) = given(&self.tags) {
            let known = st.store.tags(org).await?;
            for t in list.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                let tag = known
                    .iter()
                    .find(|k| k.id.to_string() == t || k.name.eq_ignore_ascii_case(t))
                    .ok_or_else(|| unprocessable(Code::UnknownTag, messages::UNKNOWN_TAG))?;
                f.tags.push(tag.id);
            }
        }
        f.field = match (given(&self.field), given(&self.op)) {
            (None, None) => None,
            (Some(key), Some(op)) => {
                let op = FieldOp::parse(op)
                    .ok_or_else(|| unprocessable(Code::Invalid, messages::INVALID_OPERATION))?;
                let value = given(&self.value).unwrap_or_default().to_string();
                if op != FieldOp::Exists && value.is_empty() {
                    return Err(unprocessable(Code::Invalid, messages::VALUE_REQUIRED));
                }
                Some(FieldFilter {
                    key: key.to_string(),
                    op,
                    value,
                })
            }
            _ => {
                return Err(unprocessable(
                    Code::Invalid,
                    messages::FIELD_WITHOUT_OPERATION,
                ));
            }
        };
        if let Some(ch) = given(&self.channel) {
            let ch = atende_domain::ChannelKind::from_str(ch)
                .map_err(|_| unprocessable(Code::Invalid, messages::INVALID_CHANNEL))?;
            f.channel = Some(ch.as_str().to_string());
        }
        if let Some(i) = given(&self.inbox_id) {
            let inbox: atende_domain::InboxId = i
                .parse()
                .map_err(|_| ApiError::invalid("inbox_id inválido."))?;
            st.store.inbox(org, inbox).await?;
            f.inbox = Some(inbox);
        }
        if let Some(c) = given(&self.contact) {
            f.contact = Some(
                ContactQuery::parse(c)
                    .ok_or_else(|| unprocessable(Code::Invalid, messages::INVALID_CONTACT))?,
            );
        }
        Ok(f)
    }
}

/// The channel's name as people know it.
pub fn channel_label(channel: &str) -> &str {
    match channel.parse::<atende_domain::ChannelKind>() {
        Ok(kind) => kind.label(),
        Err(_) => channel,
    }
}

/// "+55 11 98765-1234" for a Brazilian number; other numbers as stored.
pub fn phone_label(phone: &str) -> String {
    atende_domain::PhoneE164::parse_international(phone)
        .map(|p| p.display())
        .unwrap_or_else(|_| phone.to_string())
}

const HEADERS: [&str; 10] = [
    "Sessão",
    "Início",
    "Celular",
    "Nome",
    "Canal",
    "Caixa de entrada",
    "Transbordada",
    "Protocolos",
    "Etiquetas",
    "Mensagens",
];

/// Every session the filter finds, newest first, as the export's table.
pub async fn table(
    st: &AppState,
    org: OrgId,
    filter: &ChatSessionFilter,
) -> Result<Table, StoreError> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let (page, next) = st
            .store
            .chat_sessions(org, filter, cursor.as_deref(), 1_000)
            .await?;
        let details = st.store.chat_session_details(org, &page).await?;
        rows.extend(page.iter().map(|s| row(s, &details)));
        match next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    Ok(Table {
        name: "Conversas".into(),
        headers: HEADERS.iter().map(|h| h.to_string()).collect(),
        rows,
    })
}

fn row(s: &ChatSession, d: &atende_store::chat_sessions::ChatSessionDetails) -> Vec<Cell> {
    let protocols = d.protocols.get(&s.id).map(|p| p.join(", "));
    let tags = d.tags.get(&s.conversation_id).map(|t| t.join(", "));
    vec![
        s.id.to_string().into(),
        Cell::Time(local(s.started_at).naive_local()),
        s.phone.as_deref().map(phone_label).into(),
        s.name.clone().into(),
        channel_label(&s.channel).into(),
        s.inbox_name.clone().into(),
        if s.handed_over { "Sim" } else { "Não" }.into(),
        protocols.filter(|p| !p.is_empty()).into(),
        tags.filter(|t| !t.is_empty()).into(),
        s.messages.into(),
    ]
}
