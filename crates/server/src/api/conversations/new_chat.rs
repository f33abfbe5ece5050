//! CT-7 "Novo chat": start a conversation with a new contact by sending a
//! template to their number.

use atende_domain::{Access, InboxId, Module, PhoneE164};
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::compose::{self, TemplateSend};
use super::{ConversationOut, conversation_out};
use crate::api::{AppJson, clean_name};
use crate::auth::Auth;
use crate::chat::send::{self, Send};
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewChatRequest {
    #[schema(value_type = String, format = Uuid)]
    pub inbox_id: InboxId,
    /// The name the contact will have.
    pub name: String,
    /// Brazilian number with DDD ("11 98765-4321"), or with the country
    /// prefix when `foreign` is true.
    pub phone: String,
    #[serde(default)]
    pub foreign: bool,
    /// Open an attendance for the agent after sending ("Abrir conversa?").
    #[serde(default)]
    pub open_attendance: bool,
    pub template: TemplateSend,
}

/// Creates the contact and its conversation and queues the template. A
/// number that is already a contact answers 409 "Conversa já existente".
#[utoipa::path(post, path = "/chats", tag = "conversations", request_body = NewChatRequest,
    responses((status = 201, body = ConversationOut), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn new_chat(
    State(st): State<AppState>,
    auth: Auth,
    AppJson(req): AppJson<NewChatRequest>,
) -> ApiResult<(StatusCode, AppJson<ConversationOut>)> {
    auth.require(Module::Chat, Access::ViewEdit)?;
    let inbox = st
        .store
        .inbox(auth.org(), req.inbox_id)
        .await
        .map_err(|_| ApiError::invalid("Caixa de entrada não encontrada."))?;
    let name = clean_name("name", &req.name, 120)?;
    let phone = if req.foreign {
        PhoneE164::parse_international(&req.phone)?
    } else {
        PhoneE164::parse_br(&req.phone)?
    };
    let mut tx = st.store.begin().await?;
    for variant in phone.wa_id_variants() {
        if let Some(contact) = tx
            .contact_by_identity(auth.org(), inbox.id, &variant)
            .await?
        {
            drop(tx);
            let conversation = st
                .store
                .contact_conversations(auth.org(), contact)
                .await?
                .into_iter()
                .find(|c| c.inbox_id == inbox.id)
                .map(|c| c.id);
            return Err(
                ApiError::new(Code::ConversationExists, "Conversa já existente").with_details(
                    serde_json::json!({"conversation_id": conversation, "contact_id": contact}),
                ),
            );
        }
    }
    let contact = tx
        .upsert_contact(
            auth.org(),
            inbox.id,
            phone.digits(),
            &name,
            Some(phone.as_str()),
        )
        .await?;
    // The agent named the contact: the profile name will not replace it.
    tx.keep_contact_name(auth.org(), contact.id).await?;
    let mut conv = tx
        .conversation_for(auth.org(), inbox.id, contact.id)
        .await?;
    let content = compose::template(&st, &inbox, &req.template, &contact, &conv).await?;
    let upload = compose::find_upload(&st, &conv, content.upload.as_ref()).await?;
    if req.open_attendance {
        conv = tx
            .open_attendance(&conv, None, Some(auth.user.id), Some(auth.user.id))
            .await?;
    }
    send::queue(
        &mut tx,
        Send {
            conversation: &conv,
            contact: &contact,
            author: auth.author(false),
            content,
            idempotency_key: None,
            upload,
        },
    )
    .await?;
    st.commit(tx).await?;
    st.jobs_notify.notify_waiters();
    let conv = st.store.conversation(auth.org(), conv.id).await?;
    Ok((
        StatusCode::CREATED,
        AppJson(conversation_out(&st, &auth, &conv).await?),
    ))
}
