//! Ready responses (LC-20): categories (name ≤ 60 characters) of responses
//! (title ≤ 30 characters, text of any length, text only). Everyone who
//! chats reads them to insert them in the composer; editing needs the
//! "Respostas prontas" module's edit level.

use atende_domain::{Access, Module, ReadyCategoryId, ReadyResponseId};
use atende_store::NewEvent;
use atende_store::events::{ChatEvent, ReadyResponsesChanged};
use atende_store::ready::{ReadyCategory, ReadyResponse};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppJson, AppPath, clean_name, conflict, time};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_ready, create_category))
        .routes(routes!(rename_category, delete_category))
        .routes(routes!(create_response))
        .routes(routes!(update_response, delete_response))
}

const CATEGORY_MAX: usize = 60;
const TITLE_MAX: usize = 30;
const TEXT_MAX: usize = 4096;

#[derive(Serialize, ToSchema)]
pub struct ReadyResponseOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReadyResponseId,
    #[schema(value_type = String, format = Uuid)]
    pub category_id: ReadyCategoryId,
    pub title: String,
    /// May hold `{nome}` and custom-field variables, filled in on send.
    pub text: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl From<ReadyResponse> for ReadyResponseOut {
    fn from(r: ReadyResponse) -> Self {
        ReadyResponseOut {
            id: r.id,
            category_id: r.category_id,
            title: r.title,
            text: r.text,
            updated_at: time(r.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReadyCategoryOut {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReadyCategoryId,
    pub name: String,
    /// The category's responses, by title.
    pub responses: Vec<ReadyResponseOut>,
}

fn category_out(c: ReadyCategory, responses: Vec<ReadyResponseOut>) -> ReadyCategoryOut {
    ReadyCategoryOut {
        id: c.id,
        name: c.name,
        responses,
    }
}

fn may_read(auth: &Auth) -> ApiResult<()> {
    if auth.permissions().access(Module::Chat) >= Access::View {
        Ok(())
    } else {
        auth.require(Module::ReadyResponses, Access::View)
    }
}

/// Every category with its responses, categories by name.
#[utoipa::path(get, path = "/ready-responses", tag = "ready-responses",
    responses((status = 200, body = Vec<ReadyCategoryOut>)))]
async fn list_ready(
    State(st): State<AppState>,
    auth: Auth,
) -> ApiResult<AppJson<Vec<ReadyCategoryOut>>> {
    may_read(&auth)?;
    let mut categories = st.store.ready_categories(auth.org()).await?;
    // Case-insensitively, the same on both backends (their collations differ).
    categories.sort_by_key(|c| c.name.to_lowercase());
    let mut responses = st.store.ready_responses(auth.org()).await?;
    responses.sort_by_key(|r| r.title.to_lowercase());
    let out = categories
        .into_iter()
        .map(|c| {
            let mine = responses
                .iter()
                .filter(|r| r.category_id == c.id)
                .cloned()
                .map(Into::into)
                .collect();
            category_out(c, mine)
        })
        .collect();
    Ok(AppJson(out))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryRequest {
    /// At most 60 characters, unique in the organization.
    #[schema(min_length = 1, max_length = 60, pattern = r"\S")]
    pub name: String,
}

fn ready_event(
    auth: &Auth,
    category_id: ReadyCategoryId,
    response_id: Option<ReadyResponseId>,
) -> NewEvent {
    NewEvent::org(
        auth.org(),
        ChatEvent::ReadyResponsesChanged(ReadyResponsesChanged {
            category_id,
            response_id,
        }),
    )
}

#[utoipa::path(post, path = "/ready-responses", tag = "ready-responses", request_body = CategoryRequest,
    responses((status = 201, body = ReadyCategoryOut), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn create_category(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<CategoryRequest>,
) -> ApiResult<(StatusCode, AppJson<ReadyCategoryOut>)> {
    auth.require(Module::ReadyResponses, Access::ViewEdit)?;
    let name = clean_name("nome da categoria", &req.name, CATEGORY_MAX)?;
    let mut tx = st.store.begin().await?;
    let c = tx
        .create_ready_category(auth.org(), &name)
        .await
        .map_err(|e| conflict(e, "Já existe uma categoria com este nome."))?;
    tx.emit(ready_event(&auth, c.id, None));
    st.commit(tx).await?;
    Ok((StatusCode::CREATED, AppJson(category_out(c, Vec::new()))))
}

#[utoipa::path(patch, path = "/ready-responses/{id}", tag = "ready-responses", params(("id" = String, Path)),
    request_body = CategoryRequest,
    responses((status = 200, body = ReadyCategoryOut), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
async fn rename_category(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ReadyCategoryId>,
    AppJson(req): AppJson<CategoryRequest>,
) -> ApiResult<AppJson<ReadyCategoryOut>> {
    auth.require(Module::ReadyResponses, Access::ViewEdit)?;
    let name = clean_name("nome da categoria", &req.name, CATEGORY_MAX)?;
    let mut tx = st.store.begin().await?;
    let c = tx
        .rename_ready_category(auth.org(), id, &name)
        .await
        .map_err(|e| conflict(e, "Já existe uma categoria com este nome."))?;
    tx.emit(ready_event(&auth, c.id, None));
    st.commit(tx).await?;
    let responses = st
        .store
        .ready_responses(auth.org())
        .await?
        .into_iter()
        .filter(|r| r.category_id == id)
        .map(Into::into)
        .collect();
    Ok(AppJson(category_out(c, responses)))
}

/// Deletes a category and every response in it.
#[utoipa::path(delete, path = "/ready-responses/{id}", tag = "ready-responses", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn delete_category(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<ReadyCategoryId>,
) -> ApiResult<StatusCode> {
    auth.require(Module::ReadyResponses, Access::ViewEdit)?;
    let mut tx = st.store.begin().await?;
    tx.delete_ready_category(auth.org(), id).await?;
    tx.emit(ready_event(&auth, id, None));
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseRequest {
    /// At most 30 characters, unique in its category.
    #[schema(min_length = 1, max_length = 30, pattern = r"\S")]
    pub title: String,
    /// Text only (no media); `{nome}` and custom-field variables allowed.
    #[schema(min_length = 1, max_length = 4096, pattern = r"\S")]
    pub text: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseUpdate {
    #[schema(min_length = 1, max_length = 30, pattern = r"\S")]
    pub title: Option<String>,
    #[schema(min_length = 1, max_length = 4096, pattern = r"\S")]
    pub text: Option<String>,
    /// Moves the response to another category.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub category_id: Option<ReadyCategoryId>,
}

fn clean_text(text: &str) -> ApiResult<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ApiError::invalid("O texto da resposta é obrigatório."));
    }
    if t.chars().count() > TEXT_MAX {
        return Err(ApiError::invalid(format!(
            "O texto da resposta aceita no máximo {TEXT_MAX} caracteres."
        )));
    }
    Ok(t.to_string())
}

const DUPLICATE_TITLE: &str = "Já existe uma resposta com este título nesta categoria.";

#[utoipa::path(post, path = "/ready-responses/{id}/responses", tag = "ready-responses", params(("id" = String, Path, description = "category id")),
    request_body = ResponseRequest,
    responses((status = 201, body = ReadyResponseOut), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_response(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(category): AppPath<ReadyCategoryId>,
    AppJson(req): AppJson<ResponseRequest>,
) -> ApiResult<(StatusCode, AppJson<ReadyResponseOut>)> {
    auth.require(Module::ReadyResponses, Access::ViewEdit)?;
    let title = clean_name("título", &req.title, TITLE_MAX)?;
    let text = clean_text(&req.text)?;
    let mut tx = st.store.begin().await?;
    tx.ready_category(auth.org(), category).await?;
    let r = tx
        .create_ready_response(auth.org(), category, &title, &text)
        .await
        .map_err(|e| conflict(e, DUPLICATE_TITLE))?;
    tx.emit(ready_event(&auth, category, Some(r.id)));
    st.commit(tx).await?;
    Ok((StatusCode::CREATED, AppJson(r.into())))
}

#[utoipa::path(patch, path = "/ready-responses/{category_id}/responses/{id}", tag = "ready-responses",
    params(("category_id" = String, Path), ("id" = String, Path)), request_body = ResponseUpdate,
    responses((status = 200, body = ReadyResponseOut), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn update_response(
    State(st): State<AppState>,
    auth: Auth,
    AppPath((category, id)): AppPath<(ReadyCategoryId, ReadyResponseId)>,
    AppJson(req): AppJson<ResponseUpdate>,
) -> ApiResult<AppJson<ReadyResponseOut>> {
    auth.require(Module::ReadyResponses, Access::ViewEdit)?;
    let title = req
        .title
        .as_deref()
        .map(|t| clean_name("título", t, TITLE_MAX))
        .transpose()?;
    let text = req.text.as_deref().map(clean_text).transpose()?;
    let mut tx = st.store.begin().await?;
    let mut r = tx.ready_response(auth.org(), id).await?;
    if r.category_id != category {
        return Err(ApiError::not_found());
    }
    if let Some(to) = req.category_id {
        tx.ready_category(auth.org(), to).await?;
        r.category_id = to;
    }
    if let Some(t) = title {
        r.title = t;
    }
    if let Some(t) = text {
        r.text = t;
    }
    r.updated_at = atende_store::now_ms();
    tx.update_ready_response(&r)
        .await
        .map_err(|e| conflict(e, DUPLICATE_TITLE))?;
    tx.emit(ready_event(&auth, r.category_id, Some(r.id)));
    st.commit(tx).await?;
    Ok(AppJson(r.into()))
}

#[utoipa::path(delete, path = "/ready-responses/{category_id}/responses/{id}", tag = "ready-responses",
    params(("category_id" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn delete_response(
    State(st): State<AppState>,
    auth: Auth,
    AppPath((category, id)): AppPath<(ReadyCategoryId, ReadyResponseId)>,
) -> ApiResult<StatusCode> {
    auth.require(Module::ReadyResponses, Access::ViewEdit)?;
    let mut tx = st.store.begin().await?;
    let r = tx.ready_response(auth.org(), id).await?;
    if r.category_id != category {
        return Err(ApiError::not_found());
    }
    tx.delete_ready_response(auth.org(), id).await?;
    tx.emit(ready_event(&auth, category, Some(id)));
    st.commit(tx).await?;
    Ok(StatusCode::NO_CONTENT)
}
