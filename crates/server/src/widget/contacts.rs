//! `POST /widget/v1/inboxes/{inbox_id}/contacts`: a visitor becomes a
//! contact with a conversation and a session token, or refreshes the
//! session they have. A site's user whose id the site signed with the
//! inbox's secret is the same contact on every device; anyone else is an
//! anonymous visitor of their own.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use atende_domain::{ContactId, ConversationId, Email, PhoneE164};
use atende_store::contacts::ContactChanges;
use axum::Extension;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Widget;
use super::credentials::{Ask, Prechat};
use super::session::{self, Session};
use super::visitor::{bad_session, check_origin, inbox_route, limit};
use crate::error::{ApiError, ApiResult, Code};
use crate::extract::{AppJson, AppPath};
use crate::state::AppState;

/// A visitor introducing themselves (the pre-chat form), or refreshing
/// their session.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NewVisitor {
    #[schema(max_length = 80)]
    pub name: Option<String>,
    #[schema(max_length = 200)]
    pub email: Option<String>,
    #[schema(max_length = 30)]
    pub phone: Option<String>,
    /// The site's id of its signed-in user.
    #[schema(max_length = 200)]
    pub identifier: Option<String>,
    /// HMAC-SHA256 of `identifier` under the inbox's identity secret, hex.
    #[schema(max_length = 128)]
    pub identifier_hash: Option<String>,
    /// A session the visitor already has: the same contact and
    /// conversation, with a fresh token.
    #[schema(max_length = 1000)]
    pub session_token: Option<String>,
}

/// The visitor's contact, conversation and session.
#[derive(Serialize, ToSchema)]
pub struct VisitorSession {
    #[schema(value_type = String, format = Uuid)]
    pub contact_id: ContactId,
    #[schema(value_type = String, format = Uuid)]
    pub conversation_id: ConversationId,
    /// `Authorization: Bearer <session_token>` on the conversation's calls.
    pub session_token: String,
    /// The contact's name as agents see it.
    pub name: String,
}

/// An expired token still refreshes within this time after it expired.
const REFRESH_GRACE_MS: i64 = 335 * 24 * 3_600_000;

#[utoipa::path(post, path = "/widget/v1/inboxes/{inbox_id}/contacts", tag = "widget",
    params(("inbox_id" = String, Path, format = Uuid)), request_body = NewVisitor,
    responses((status = 201, description = "A new contact and conversation.", body = VisitorSession),
        (status = 200, description = "The session given, refreshed (or the verified user's contact).", body = VisitorSession),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub(super) async fn create(
    State(st): State<AppState>,
    Extension(widget): Extension<Arc<Widget>>,
    AppPath(inbox_id): AppPath<atende_domain::InboxId>,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    AppJson(req): AppJson<NewVisitor>,
) -> ApiResult<(StatusCode, AppJson<VisitorSession>)> {
    let route = inbox_route(&widget, inbox_id).await?;
    check_origin(&st, &route, &headers)?;
    limit(
        &widget,
        &format!("contacts:ip:{}", peer.ip()),
        60,
        Duration::from_secs(600),
    )?;
    let org = route.org_id;
    let key = st.config.secret_key.expose().as_bytes().to_vec();
    let fields = Fields::read(&req)?;
    let now = atende_store::now_ms();
    let sign = |contact, conversation| {
        Session {
            org,
            inbox: route.id,
            contact,
            conversation,
            expires: now + session::TTL_MS,
        }
        .token(&key)
    };

    // A session the visitor has: the same contact, a fresh token.
    if let Some(token) = req.session_token.as_deref().filter(|t| !t.is_empty()) {
        let s = Session::verify(token, &key, now - REFRESH_GRACE_MS)
            .filter(|s| s.inbox == route.id && s.org == org)
            .ok_or_else(bad_session)?;
        let mut tx = st.store.begin().await?;
        let conv = tx
            .conversation(org, s.conversation)
            .await
            .map_err(|_| bad_session())?;
        let contact = remember(&mut tx, org, conv.contact_id, &fields).await?;
        st.commit(tx).await?;
        return Ok((
            StatusCode::OK,
            AppJson(VisitorSession {
                contact_id: contact.id,
                conversation_id: conv.id,
                session_token: sign(contact.id, conv.id),
                name: contact.name,
            }),
        ));
    }

    let prechat: Prechat = route
        .settings
        .0
        .get("prechat")
        .and_then(|p| serde_json::from_value(p.clone()).ok())
        .unwrap_or_default();
    fields.check(&prechat)?;
    // A verified user is keyed on the site's id of them; anyone else is a
    // new anonymous visitor.
    let verified = match (
        &req.identifier,
        &req.identifier_hash,
        route.secret("identity_secret"),
    ) {
        (Some(id), Some(hash), Some(secret)) if !id.trim().is_empty() => {
            if !session::identity_verifies(secret, id.trim(), hash) {
                return Err(ApiError::new(
                    Code::Unauthorized,
                    "A identidade do visitante não confere (identifier_hash).",
                ));
            }
            Some(format!("u:{}", id.trim()))
        }
        _ => None,
    };
    let visitor = uuid::Uuid::now_v7().simple().to_string();
    let external = verified.clone().unwrap_or_else(|| format!("v:{visitor}"));
    let default_name = format!("Visitante {}", visitor[visitor.len() - 4..].to_uppercase());
    let mut tx = st.store.begin().await?;
    let (contact, existed) = match tx.contact_by_external(org, route.id, &external).await? {
        Some(c) => (c, true),
        None => {
            let name = fields.name.clone().unwrap_or(default_name);
            let c = tx
                .create_contact(org, route.id, &external, &name, fields.phone.as_deref())
                .await?;
            (c, false)
        }
    };
    let contact = remember(&mut tx, org, contact.id, &fields).await?;
    let conv = tx.conversation_for(org, route.id, contact.id).await?;
    st.commit(tx).await?;
    Ok((
        if existed {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        },
        AppJson(VisitorSession {
            contact_id: contact.id,
            conversation_id: conv.id,
            session_token: sign(contact.id, conv.id),
            name: contact.name,
        }),
    ))
}

/// Keeps the name and e-mail a visitor gave on their contact.
async fn remember(
    tx: &mut atende_store::Tx,
    org: atende_domain::OrgId,
    contact: ContactId,
    f: &Fields,
) -> ApiResult<atende_store::chats::Contact> {
    let changes = ContactChanges {
        name: f.name.clone(),
        email: f.email.clone().map(Some),
        ..Default::default()
    };
    if changes.is_empty() {
        return Ok(tx.contact(org, contact).await?);
    }
    Ok(tx.update_contact(org, contact, &changes).await?.0)
}

/// The pre-chat form's answers, checked.
struct Fields {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

impl Fields {
    fn read(req: &NewVisitor) -> ApiResult<Fields> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let name = given(&req.name);
        if name.as_ref().is_some_and(|n| n.chars().count() > 80) {
            return Err(ApiError::invalid("O nome passa de 80 caracteres."));
        }
        let email = match given(&req.email) {
            Some(e) => Some(
                Email::parse(&e)
                    .map_err(|_| ApiError::invalid("Informe um e-mail válido."))?
                    .as_str()
                    .to_string(),
            ),
            None => None,
        };
        let phone = match given(&req.phone) {
            Some(p) => {
                let parsed = if p.starts_with('+') {
                    PhoneE164::parse_international(&p)
                } else {
                    PhoneE164::parse_br(&p)
                };
                Some(
                    parsed
                        .map_err(|_| ApiError::invalid("Informe um telefone válido, com DDD."))?
                        .as_str()
                        .to_string(),
                )
            }
            None => None,
        };
        Ok(Fields { name, email, phone })
    }

    /// Refuses a form without a field the inbox requires.
    fn check(&self, p: &Prechat) -> ApiResult<()> {
        for (ask, given, what) in [
            (p.name, self.name.is_some(), "o nome"),
            (p.email, self.email.is_some(), "o e-mail"),
            (p.phone, self.phone.is_some(), "o telefone"),
        ] {
            if ask == Ask::Required && !given {
                return Err(ApiError::invalid(format!(
                    "Informe {what} para iniciar a conversa."
                )));
            }
        }
        Ok(())
    }
}
