//! A template message (CH-6): the synced template found and approved, then
//! built by the inbox's channel from the agent's values.

use atende_domain::ContentKind;
use atende_store::chats::{Contact, Conversation};
use atende_store::directory::Inbox;
use serde_json::json;

use super::{Composed, TemplateSend, fill_variables};
use crate::error::{ApiError, ApiResult, Code};
use crate::state::AppState;

/// A template message, checked against the synced templates.
pub async fn template(
    st: &AppState,
    inbox: &Inbox,
    t: &TemplateSend,
    contact: &Contact,
    conv: &Conversation,
) -> ApiResult<Composed> {
    let Some(channel) = st.channels.get(inbox.kind()).filter(|c| c.has_templates()) else {
        return Err(ApiError::invalid(format!(
            "Mensagens template não existem no {}.",
            inbox
                .kind()
                .map_or("canal desta caixa de entrada", |k| k.label())
        )));
    };
    let Some(found) = st
        .store
        .template(inbox.org_id, inbox.id, t.name.trim(), t.language.as_deref())
        .await?
    else {
        return Err(ApiError::new(
            Code::TemplateNotFound,
            "Mensagem template não encontrada: sincronize os templates da caixa de entrada.",
        ));
    };
    if found.status != "APPROVED" {
        return Err(ApiError::new(
            Code::TemplateNotApproved,
            format!(
                "O template {} não está aprovado ({}).",
                found.name, found.status
            ),
        ));
    }
    let fill = |v: &str| fill_variables(v, contact, conv);
    let built = channel.build_template(&found, t, &fill)?;
    Ok(Composed {
        internal: false,
        kind: ContentKind::Template,
        text: built.text,
        payload: json!({"template": {"name": found.name, "language": found.language, "category": found.category, "components": built.components}}),
        upload: built.upload,
    })
}
