//! Tags: the labels chats are marked with, each with a name and a colour.

use atende_domain::{Access, Module, TagId};
use atende_store::NewEvent;
use atende_store::directory::Tag;
use atende_store::events::{ChatEvent, Deleted, TagChanged};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{AppJson, AppPath, clean_name, conflict};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tags, create_tag))
        .routes(routes!(update_tag, delete_tag))
}

#[derive(Serialize, ToSchema)]
pub struct TagOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: TagId,
    pub name: String,
    pub color: String,
}

impl From<Tag> for TagOut {
    fn from(t: Tag) -> Self {
        TagOut {
            id: t.id,
            name: t.name,
            color: t.color,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagRequest {
    #[schema(min_length = 1, max_length = 60, pattern = r"\S")]
    pub name: Option<String>,
    /// `#rrggbb`
    #[schema(pattern = "^#[0-9a-fA-F]{6}$")]
    pub color: Option<String>,
}

/// A new tag: its name is required.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTag {
    #[schema(min_length = 1, max_length = 60, pattern = r"\S")]
    pub name: String,
    /// `#rrggbb`; default grey.
    #[schema(pattern = "^#[0-9a-fA-F]{6}$")]
    pub color: Option<String>,
}

fn check_color(c: &str) -> Result<(), ApiError> {
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|x| x.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid("Cor inválida: use #rrggbb."))
    }
}

#[utoipa::path(get, path = "/tags", tag = "tags", responses((status = 200, body = Vec<TagOut>)))]
async fn list_tags(State(st): State<AppState>, auth: Auth) -> ApiResult<AppJson<Vec<TagOut>>> {
    auth.require(Module::Tags, Access::View)?;
    Ok(AppJson(
        st.store
            .tags(auth.org())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/tags", tag = "tags", request_body = NewTag, responses((status = 201, body = TagOut), (status = 409, body = crate::error::ErrorBody)))]
async fn create_tag(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<NewTag>,
) -> ApiResult<(StatusCode, AppJson<TagOut>)> {
    auth.require(Module::Tags, Access::ViewEdit)?;
    let name = clean_name("name", &req.name, 60)?;
    let color = req.color.unwrap_or_else(|| "#6b7280".into());
    check_color(&color)?;
    let mut tx = st.store.begin().await?;
    let t = tx
        .create_tag(auth.org(), &name, &color)
        .await
        .map_err(|e| conflict(e, "Já existe uma etiqueta com este nome."))?;
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::TagCreated(TagChanged {
            id: t.id,
            name: t.name.clone(),
            color: t.color.clone(),
        }),
    ));
    st.commit(tx).await?;
    Ok((StatusCode::CREATED, AppJson(t.into())))
}

#[utoipa::path(patch, path = "/tags/{id}", tag = "tags", params(("id" = String, Path)), request_body = TagRequest, responses((status = 200, body = TagOut), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn update_tag(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<TagId>,
    AppJson(req): AppJson<TagRequest>,
) -> ApiResult<AppJson<TagOut>> {
    auth.require(Module::Tags, Access::ViewEdit)?;
    let name = req
        .name
        .as_deref()
        .map(|n| clean_name("name", n, 60))
        .transpose()?;
    if let Some(c) = &req.color {
        check_color(c)?;
    }
    let mut tx = st.store.begin().await?;
    let t = tx
        .update_tag(auth.org(), id, name.as_deref(), req.color.as_deref())
        .await
        .map_err(|e| conflict(e, "Já existe uma etiqueta com este nome."))?;
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::TagUpdated(TagChanged {
            id: t.id,
            name: t.name.clone(),
            color: t.color.clone(),
        }),
    ));
    st.commit(tx).await?;
    Ok(AppJson(t.into()))
}

#[utoipa::path(delete, path = "/tags/{id}", tag = "tags", params(("id" = String, Path)), responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn delete_tag(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<TagId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::Tags, Access::ViewEdit)?;
    let mut tx = st.store.begin().await?;
    tx.delete_tag(auth.org(), id).await?;
    tx.emit(NewEvent::org(
        auth.org(),
        ChatEvent::TagDeleted(Deleted { id: id.as_uuid() }),
    ));
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
