//! Campaigns (LC-2): the marketing action a chat came from. Everyone who
//! chats lists them (the chat list filter) and marks a chat's campaign; the
//! Campaigns module's edit level creates, renames and deletes them.

use atende_domain::{Access, CampaignId, Module};
use atende_store::NewEvent;
use atende_store::campaigns::{Campaign, MAX_NAME};
use atende_store::events::{ChatEvent, Deleted, Named};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppJson, AppPath, clean_name, conflict, time};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(rename_campaign, delete_campaign))
}

#[derive(Serialize, ToSchema)]
pub struct CampaignOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: CampaignId,
    pub name: String,
    /// `manual` (created here) or `ctwa` (a click-to-WhatsApp ad, created
    /// with the first chat it brought).
    pub source: String,
    /// For an ad: the ad's id (`referral.source_id`).
    pub external_id: Option<String>,
    /// For an ad: the ad's or post's link.
    pub source_url: Option<String>,
    /// Chats marked with it.
    pub conversations: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<Campaign> for CampaignOut {
    fn from(k: Campaign) -> Self {
        CampaignOut {
            id: k.id,
            name: k.name,
            source: k.source,
            external_id: k.external_id,
            source_url: k.source_url,
            conversations: k.conversations,
            created_at: time(k.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignNameRequest {
    /// At most 60 characters, unique in the organization.
    #[schema(min_length = 1, max_length = 60, pattern = r"\S")]
    pub name: String,
}

const DUPLICATE: &str = "Já existe uma campanha com este nome.";

fn may_read(auth: &Auth) -> ApiResult<()> {
    if auth.permissions().access(Module::Chat) >= Access::View {
        Ok(())
    } else {
        auth.require(Module::Campaigns, Access::View)
    }
}

fn emit(tx: &mut atende_store::Tx, auth: &Auth, event: ChatEvent) {
    tx.emit(NewEvent::org(auth.org(), event));
}

/// Every campaign, by name, with how many chats it has.
#[utoipa::path(get, path = "/campaigns", tag = "campaigns",
    responses((status = 200, body = Vec<CampaignOut>)))]
async fn list_campaigns(
    State(st): State<AppState>,
    auth: Auth,
) -> ApiResult<AppJson<Vec<CampaignOut>>> {
    may_read(&auth)?;
    let mut list = st.store.campaigns(auth.org()).await?;
    // Case-insensitively, the same on both backends (their collations differ).
    list.sort_by_key(|k| k.name.to_lowercase());
    Ok(AppJson(list.into_iter().map(Into::into).collect()))
}

/// Creates a campaign to mark chats with.
#[utoipa::path(post, path = "/campaigns", tag = "campaigns", request_body = CampaignNameRequest,
    responses((status = 201, body = CampaignOut), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn create_campaign(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<CampaignNameRequest>,
) -> ApiResult<(StatusCode, AppJson<CampaignOut>)> {
    auth.require(Module::Campaigns, Access::ViewEdit)?;
    let name = clean_name("name", &req.name, MAX_NAME)?;
    let mut tx = st.store.begin().await?;
    let k = tx
        .create_campaign(auth.org(), &name)
        .await
        .map_err(|e| conflict(e, DUPLICATE))?;
    emit(
        &mut tx,
        &auth,
        ChatEvent::CampaignCreated(Named {
            id: k.id.as_uuid(),
            name: k.name.clone(),
        }),
    );
    st.commit(tx).await?;
    Ok((StatusCode::CREATED, AppJson(k.into())))
}

/// Renames a campaign (an ad's too: its first name is the ad's headline).
#[utoipa::path(patch, path = "/campaigns/{id}", tag = "campaigns", params(("id" = String, Path)),
    request_body = CampaignNameRequest,
    responses((status = 200, body = CampaignOut), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn rename_campaign(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<CampaignId>,
    AppJson(req): AppJson<CampaignNameRequest>,
) -> ApiResult<AppJson<CampaignOut>> {
    auth.require(Module::Campaigns, Access::ViewEdit)?;
    let name = clean_name("name", &req.name, MAX_NAME)?;
    let mut tx = st.store.begin().await?;
    let k = tx
        .rename_campaign(auth.org(), id, &name)
        .await
        .map_err(|e| conflict(e, DUPLICATE))?;
    emit(
        &mut tx,
        &auth,
        ChatEvent::CampaignUpdated(Named {
            id: k.id.as_uuid(),
            name: k.name.clone(),
        }),
    );
    st.commit(tx).await?;
    let k = st
        .store
        .campaigns(auth.org())
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or(k);
    Ok(AppJson(k.into()))
}

/// Deletes a campaign; its chats are left without one.
#[utoipa::path(delete, path = "/campaigns/{id}", tag = "campaigns", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn delete_campaign(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<CampaignId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Campaigns, Access::ViewEdit)?;
    let mut tx = st.store.begin().await?;
    tx.delete_campaign(auth.org(), id).await?;
    emit(
        &mut tx,
        &auth,
        ChatEvent::CampaignDeleted(Deleted { id: id.as_uuid() }),
    );
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
