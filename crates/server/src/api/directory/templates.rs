//! An inbox's message templates (CH-6): the list synced from its
//! provider's account (WhatsApp Business Accounts have them; the channel
//! says whether it does), and pulling it again.

use atende_domain::{Access, InboxId, Module};
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{AppJson, AppPath, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates))
        .routes(routes!(sync_templates))
}

/// A job that pulls an inbox's templates (CH-6).
pub(super) fn sync_job(org: atende_domain::OrgId, inbox: InboxId) -> atende_store::NewJob {
    atende_store::NewJob {
        max_attempts: 5,
        ..atende_store::NewJob::now(
            Some(org),
            crate::jobs::kinds::SYNC_TEMPLATES,
            json!({"inbox_id": inbox}),
        )
    }
}

#[derive(Serialize, ToSchema)]
pub struct TemplateOut {
    pub name: String,
    pub language: String,
    /// APPROVED, PENDING, REJECTED, PAUSED…
    pub status: String,
    /// UTILITY, MARKETING or AUTHENTICATION (Utility is cheaper).
    pub category: String,
    /// The picker's label: name and category in parentheses (CH-6).
    pub label: String,
    /// Header, body and footer text with the example values filled in.
    pub preview: String,
    /// The template's components as Meta returns them (header, body,
    /// footer, buttons).
    #[schema(value_type = Vec<Object>)]
    pub components: Value,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

fn category_pt(c: &str) -> &str {
    match c {
        "UTILITY" => "Utilidade",
        "MARKETING" => "Marketing",
        "AUTHENTICATION" => "Autenticação",
        other => other,
    }
}

/// Templates of an inbox (synced from its provider's account).
#[utoipa::path(get, path = "/inboxes/{id}/templates", tag = "inboxes", params(("id" = String, Path)), responses((status = 200, body = Vec<TemplateOut>), (status = 404, body = crate::error::ErrorBody)))]
async fn list_templates(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
) -> ApiResult<AppJson<Vec<TemplateOut>>> {
    auth.require(Module::Chat, Access::View)?;
    let inbox = st.store.inbox(auth.org(), id).await?;
    let channel = st.channels.get(inbox.kind()).filter(|c| c.has_templates());
    let list = st.store.templates(auth.org(), id).await?;
    Ok(AppJson(
        list.into_iter()
            .map(|t| TemplateOut {
                label: format!("{} ({})", t.name, category_pt(&t.category)),
                preview: channel
                    .map(|c| c.template_preview(&t.components.0))
                    .unwrap_or_default(),
                name: t.name,
                language: t.language,
                status: t.status,
                category: t.category,
                components: t.components.0,
                updated_at: time(t.updated_at),
            })
            .collect(),
    ))
}

/// Pulls the inbox's templates from its provider now (also on creation).
#[utoipa::path(post, path = "/inboxes/{id}/templates/sync", tag = "inboxes", params(("id" = String, Path)), responses((status = 202), (status = 404, body = crate::error::ErrorBody)))]
async fn sync_templates(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Chat, Access::View)?;
    let inbox = st.store.inbox(auth.org(), id).await?;
    if !st
        .channels
        .get(inbox.kind())
        .is_some_and(|c| c.has_templates())
    {
        return Err(ApiError::invalid(format!(
            "Templates não existem no {}.",
            inbox
                .kind()
                .map_or("canal desta caixa de entrada", |k| k.label())
        )));
    }
    let mut tx = st.store.begin().await?;
    tx.enqueue(sync_job(auth.org(), id)).await?;
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    Ok(StatusCode::ACCEPTED)
}
