//! Outbound media (CH-8): the upload form an agent sends a file with. The
//! file goes to the inbox's channel (`Channel::upload`), and a copy
//! is kept so the message that sends it can show it.

use atende_domain::{Access, InboxId, Module};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppJson, AppPath};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

/// Largest file an agent may send (WhatsApp's document limit).
const MAX_UPLOAD: usize = 100 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024))
}

#[derive(Serialize, ToSchema)]
pub struct UploadOut {
    /// Send it as `{"media": {"kind": …, "id": <this>}}` (valid 30 days).
    pub id: String,
    pub mime_type: String,
    pub size: usize,
    pub filename: Option<String>,
}

/// The upload form: one file.
#[derive(utoipa::ToSchema)]
#[allow(
    dead_code,
    reason = "documents the multipart form; the handler streams it"
)]
pub struct UploadForm {
    /// The file (image, video, audio, document or sticker WhatsApp takes).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Uploads a file (multipart field `file`) to the inbox's WhatsApp number.
#[utoipa::path(post, path = "/inboxes/{id}/media", tag = "inboxes", params(("id" = String, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = UploadOut), (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 502, body = crate::error::ErrorBody)))]
async fn upload(
    State(st): State<AppState>,
    auth: Auth,
    AppPath(id): AppPath<InboxId>,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, AppJson<UploadOut>)> {
    auth.require(Module::Chat, Access::ViewEdit)?;
    // A request that is not multipart answers like every other error.
    let mut form = form.map_err(|e| bad_upload(e.status(), e.body_text()))?;
    let inbox = st.store.inbox(auth.org(), id).await?;
    let mut file = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| bad_upload(e.status(), e.body_text()))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().map(str::to_string);
            let mime = field
                .content_type()
                .map(str::to_string)
                .unwrap_or_else(|| "application/octet-stream".into());
            let bytes = field
                .bytes()
                .await
                .map_err(|e| bad_upload(e.status(), e.body_text()))?;
            file = Some((name, mime, bytes));
        }
    }
    let Some((filename, mime, bytes)) = file else {
        return Err(ApiError::invalid("Envie o arquivo no campo \"file\"."));
    };
    if bytes.is_empty() {
        return Err(ApiError::invalid("O arquivo está vazio."));
    }
    let size = bytes.len();
    let media_id = match st.channels.get(inbox.kind()) {
        Some(channel) => {
            channel
                .upload(&inbox, filename.as_deref(), &mime, &bytes)
                .await?
        }
        None => return Err(ApiError::invalid("Esta caixa de entrada não envia mídia.")),
    };
    crate::media::keep_upload(
        &st,
        auth.org(),
        inbox.id,
        &media_id,
        &mime,
        filename.as_deref(),
        &bytes,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        AppJson(UploadOut {
            id: media_id,
            mime_type: mime,
            size,
            filename,
        }),
    ))
}

fn bad_upload(status: StatusCode, text: String) -> ApiError {
    let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
        Code::PayloadTooLarge
    } else {
        Code::BadUpload
    };
    ApiError::new(code, text)
}
