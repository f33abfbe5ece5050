//! Delivering queued messages through the Cloud API, and read receipts.

use atende_channels::whatsapp::{
    self, CloudApi, MediaKind, MediaRef, Outbound, Recipient, SendError,
};
use atende_channels::{Adapter, ErrorClass};
use atende_domain::ReceiptStatus;
use atende_store::chats::Message;
use atende_store::directory::Inbox;
use atende_store::{Job, StoreError};
use serde_json::Value;

use super::WhatsApp;
use crate::chat::delivery;
use crate::jobs::Outcome;
use crate::state::AppState;

/// What to send for a stored outbound message.
pub fn outbound_of(msg: &Message) -> Result<Outbound, String> {
    let p = &msg.payload.0;
    let text = msg.text.clone().unwrap_or_default();
    Ok(match msg.kind.as_str() {
        "text" => Outbound::Text {
            preview_url: text.contains("http://") || text.contains("https://"),
            body: text,
        },
        "template" => {
            let t = p
                .get("template")
                .ok_or("template message without template")?;
            Outbound::Template {
                name: t
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or("template without name")?
                    .to_string(),
                language: t
                    .get("language")
                    .and_then(Value::as_str)
                    .unwrap_or("pt_BR")
                    .to_string(),
                components: t
                    .get("components")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
            }
        }
        "image" | "video" | "audio" | "document" | "sticker" => {
            let kind = match msg.kind.as_str() {
                "image" => MediaKind::Image,
                "video" => MediaKind::Video,
                "audio" => MediaKind::Audio,
                "document" => MediaKind::Document,
                _ => MediaKind::Sticker,
            };
            let m = p.get("media").ok_or("media message without media")?;
            let media = match (
                m.get("id").and_then(Value::as_str),
                m.get("link").and_then(Value::as_str),
            ) {
                (Some(id), _) => MediaRef::Id(id.to_string()),
                (None, Some(link)) => MediaRef::Link(link.to_string()),
                _ => return Err("media without id or link".into()),
            };
            Outbound::Media {
                kind,
                media,
                caption: msg
                    .text
                    .clone()
                    .filter(|_| !matches!(kind, MediaKind::Audio | MediaKind::Sticker)),
                filename: m
                    .get("filename")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }
        }
        "location" => {
            let l = p.get("location").ok_or("location without coordinates")?;
            Outbound::Location {
                latitude: l
                    .get("latitude")
                    .and_then(Value::as_f64)
                    .ok_or("latitude")?,
                longitude: l
                    .get("longitude")
                    .and_then(Value::as_f64)
                    .ok_or("longitude")?,
                name: l.get("name").and_then(Value::as_str).map(str::to_string),
                address: l.get("address").and_then(Value::as_str).map(str::to_string),
            }
        }
        "contacts" => Outbound::Contacts {
            contacts: p
                .get("contacts")
                .and_then(Value::as_array)
                .cloned()
                .ok_or("contacts")?,
        },
        "interactive" => Outbound::Interactive {
            interactive: p.get("interactive").cloned().ok_or("interactive")?,
        },
        "reaction" => Outbound::Reaction {
            message_id: p
                .get("message_id")
                .and_then(Value::as_str)
                .ok_or("reaction target")?
                .to_string(),
            emoji: text,
        },
        other => return Err(format!("cannot send a {other} message")),
    })
}

/// The recipient id of a contact on an inbox: its phone (wa_id) when known,
/// else its business-scoped id.
async fn recipient(st: &AppState, msg: &Message) -> Result<Option<Recipient>, StoreError> {
    let conv = st
        .store
        .conversation(msg.org_id, msg.conversation_id)
        .await?;
    let ids = st
        .store
        .contact_external_ids(msg.org_id, msg.inbox_id, conv.contact_id)
        .await?;
    let phone = ids.iter().find(|i| i.chars().all(|c| c.is_ascii_digit()));
    Ok(match phone {
        Some(p) => Some(Recipient::Phone(p.clone())),
        None => ids.first().map(|b| Recipient::UserId(b.clone())),
    })
}

/// Sends one queued message. Idempotent: a message that already left (its
/// receipt moved past `queued`) is not sent again, and one whose last
/// request has an unknown outcome (no answer, or the process died during
/// it) is not sent again before the status webhook that would prove it
/// went had `send_confirm_wait_secs` to arrive (our message id travels in
/// `biz_opaque_callback_data`; see `inbound::receipt`).
#[tracing::instrument(name = "whatsapp.send", skip_all, fields(org = %msg.org_id, conversation = %msg.conversation_id, message = %msg.id, inbox = %inbox.id))]
pub async fn send(
    wa: &WhatsApp,
    st: &AppState,
    job: &Job,
    msg: Message,
    inbox: Inbox,
) -> Result<Outcome, StoreError> {
    let org = msg.org_id;
    let id = msg.id;
    let fail = |code: String, text: String| async move {
        delivery::fail(st, job, org, id, &code, &text).await
    };
    let Some(token) = inbox
        .secrets
        .0
        .get("access_token")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return fail(
            "no_token".into(),
            "A caixa de entrada não tem token de acesso.".into(),
        )
        .await;
    };
    let Some(phone_id) = inbox.external_id.clone() else {
        return fail(
            "no_number".into(),
            "A caixa de entrada não tem phone_number_id.".into(),
        )
        .await;
    };
    let callback = msg.id.to_string();
    let body = match (outbound_of(&msg), recipient(st, &msg).await?) {
        (Ok(out), Some(to)) => CloudApi.send_body(
            &to,
            &out,
            msg.payload
                .0
                .get("reply_to_provider_id")
                .and_then(Value::as_str),
            Some(&callback),
        ),
        (Err(why), _) => return fail("invalid_message".into(), why).await,
        (_, None) => {
            return fail(
                "no_recipient".into(),
                "O contato não tem identificador no WhatsApp.".into(),
            )
            .await;
        }
    };
    let confirm_wait =
        i64::try_from(st.config.send_confirm_wait_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    let earlier = st.store.send_attempt(org, msg.id).await?;
    if let Some(since) = earlier.pending_since {
        let until = since.saturating_add(confirm_wait);
        if atende_store::now_ms() < until {
            return Ok(Outcome::WaitUntil(until));
        }
        if earlier.tries >= job.max_attempts {
            return fail(
                "graph_unconfirmed".into(),
                format!(
                    "O WhatsApp não confirmou nenhuma das {} tentativas de envio; a mensagem pode não ter chegado.",
                    earlier.tries
                ),
            )
            .await;
        }
        // No status of it arrived in the wait: taken as not sent. This is
        // the documented window for a duplicate (docs/architecture.md).
        tracing::warn!(message = %msg.id, tries = earlier.tries, "send not confirmed in time; sending again");
        metrics::counter!("atende_sends_unconfirmed_total", "channel" => "whatsapp").increment(1);
    }
    wa.pace(inbox.id).await;
    if st.store.begin_send_attempt(org, msg.id).await?.is_none() {
        // Confirmed (or failed) by a status webhook while we waited.
        return delivery::finish(st, job).await;
    }
    let url = whatsapp::messages_url(&wa.graph_url, &wa.version, &phone_id);
    let result = wa
        .http
        .post(url)
        .bearer_auth(&token)
        .header("Idempotency-Key", msg.id.to_string())
        .json(&body)
        .send()
        .await;
    // The request may have reached Meta: wait for the proof before sending
    // it again.
    let unknown = |why: String| {
        tracing::warn!(message = %msg.id, error = %why, "WhatsApp send outcome unknown; waiting for its status");
        Ok(Outcome::WaitUntil(
            atende_store::now_ms().saturating_add(confirm_wait),
        ))
    };
    // Nothing is left queued for ever: when the last attempt cannot reach
    // the Graph API either, the message fails with the reason the agent sees.
    let unreachable = |why: String| async move {
        st.store.end_send_attempt(org, msg.id).await?;
        if job.attempts >= job.max_attempts {
            tracing::warn!(message = %msg.id, error = %why, "WhatsApp unreachable on the last attempt");
            fail(
                "graph_unreachable".into(),
                format!(
                    "Não foi possível falar com o WhatsApp depois de {} tentativas: {why}",
                    job.attempts
                ),
            )
            .await
        } else {
            Ok(Outcome::Retry(why))
        }
    };
    let (status, bytes) = match result {
        Ok(r) => {
            let status = r.status().as_u16();
            match r.bytes().await {
                Ok(b) => (status, b),
                Err(e) => return unknown(format!("reading the Graph answer: {e}")),
            }
        }
        // Refused before the request left: certainly not sent.
        Err(e) if e.is_connect() => return unreachable(format!("Graph unreachable: {e}")).await,
        Err(e) => return unknown(format!("no Graph answer: {e}")),
    };
    match CloudApi.read_send(status, &bytes) {
        Ok(sent) => {
            let mut tx = st.store.begin().await?;
            if let Some(updated) = tx
                .update_receipt(org, msg.id, ReceiptStatus::Sent, Some(&sent.wamid), None)
                .await?
            {
                tx.apply_pending_statuses(&updated).await?;
            }
            if inbox.needs_reauth {
                tx.set_needs_reauth(org, inbox.id, false).await?;
            }
            if tx.complete_job(job).await? {
                st.commit(tx).await?;
            }
            metrics::counter!("atende_messages_sent_total", "channel" => "whatsapp").increment(1);
            Ok(Outcome::Done)
        }
        Err(e) => {
            // An error answer: the message did not leave.
            st.store.end_send_attempt(org, msg.id).await?;
            failed(st, job, &msg, &inbox, e).await
        }
    }
}

async fn failed(
    st: &AppState,
    job: &Job,
    msg: &Message,
    inbox: &Inbox,
    e: SendError,
) -> Result<Outcome, StoreError> {
    let code = e
        .code
        .map_or_else(|| format!("http_{}", e.http_status), |c| c.to_string());
    let text = atende_channels::inbound::error_text(
        None,
        Some(&e.message),
        e.details.as_deref(),
        "Erro do WhatsApp",
    );
    let last_try = job.attempts >= job.max_attempts;
    let class = CloudApi.classify(&e);
    match class {
        ErrorClass::Retryable | ErrorClass::RateLimited if !last_try => {
            tracing::warn!(message = %msg.id, %code, "WhatsApp send failed; retrying");
            let wait = if class == ErrorClass::RateLimited {
                2_000 * job.attempts.max(1)
            } else {
                crate::jobs::backoff_ms(&st.config, job.attempts)
            };
            Ok(Outcome::RetryAt(
                atende_store::now_ms() + wait,
                format!("{code}: {text}"),
            ))
        }
        class => {
            let reauth = class == ErrorClass::Reauth;
            delivery::refused(st, job, msg, inbox.id, reauth, &code, &text).await
        }
    }
}

/// Marks the contact's messages read on WhatsApp (blue checks) when an
/// agent opens the chat. Best effort: failures are retried, then dropped.
pub async fn mark_read(
    wa: &WhatsApp,
    st: &AppState,
    job: &Job,
    inbox: Inbox,
    wamid: &str,
) -> Result<Outcome, StoreError> {
    let (Some(token), Some(phone_id)) = (
        inbox.secrets.0.get("access_token").and_then(Value::as_str),
        inbox.external_id.as_deref(),
    ) else {
        return delivery::finish(st, job).await;
    };
    let url = whatsapp::messages_url(&wa.graph_url, &wa.version, phone_id);
    let body = whatsapp::mark_read_body(wamid, false);
    match wa
        .http
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
    {
        Ok(r) if r.status().is_success() => delivery::finish(st, job).await,
        Ok(r) if r.status().is_client_error() => {
            tracing::warn!(status = %r.status(), "mark-as-read refused");
            delivery::finish(st, job).await
        }
        Ok(r) => Ok(Outcome::Retry(format!("mark-as-read: HTTP {}", r.status()))),
        Err(e) => Ok(Outcome::Retry(format!("mark-as-read: {e}"))),
    }
}
