//! Outbound media (CH-8): a file an agent uploaded goes to the number's
//! media store on WhatsApp; the returned id is what a message sends. The
//! HTTP side (the form, the copy kept for the chat) is `api::media`.

use atende_channels::whatsapp;
use atende_store::directory::Inbox;
use serde_json::Value;

use super::WhatsApp;
use crate::error::{ApiError, ApiResult, Code};

/// Sends a file to the inbox's number's media store; returns its media id.
pub async fn push(
    wa: &WhatsApp,
    inbox: &Inbox,
    filename: Option<&str>,
    mime: &str,
    bytes: &[u8],
) -> ApiResult<String> {
    let (Some(token), Some(phone_id)) = (
        inbox.secrets.0.get("access_token").and_then(Value::as_str),
        inbox.external_id.as_deref(),
    ) else {
        return Err(ApiError::invalid("Esta caixa de entrada não envia mídia."));
    };
    let part = reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name(filename.unwrap_or("arquivo").to_string())
        .mime_str(mime)
        .map_err(|_| ApiError::invalid("Tipo de arquivo inválido."))?;
    let form = reqwest::multipart::Form::new()
        .part("file", part)
        .text("type", mime.to_string())
        .text("messaging_product", "whatsapp");
    let url = whatsapp::upload_url(&wa.graph_url, &wa.version, phone_id);
    let r = wa
        .http
        .post(url)
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .map_err(|e| {
            ApiError::new(
                Code::ProviderUnreachable,
                format!("WhatsApp não respondeu: {e}"),
            )
        })?;
    let status = r.status().as_u16();
    let body = r.bytes().await.unwrap_or_default();
    if !(200..300).contains(&status) {
        let err = whatsapp::parse_send_response(status, &body).err();
        let msg = err
            .map(|e| e.message)
            .unwrap_or_else(|| format!("HTTP {status}"));
        return Err(ApiError::new(
            Code::UploadRefused,
            format!("O WhatsApp recusou o arquivo: {msg}"),
        ));
    }
    whatsapp::parse_upload_response(&body)
        .map_err(|e| ApiError::new(Code::UploadRefused, e.to_string()))
}
