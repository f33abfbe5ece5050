//! Delivering queued messages through the Send API (channels.md §2.4–2.5):
//! texts split at 2,000 characters, flow menus as quick replies (or, with
//! more than 13 options, numbered text), files by link, places and contact
//! cards as text, reactions. Inside 24 h of the customer's last message a
//! send is a `RESPONSE`; after it, up to 7 days, only a person's reply
//! goes, tagged `HUMAN_AGENT` (the send path refuses the rest).

use atende_channels::meta::{
    self, Attachment, MessagingType, Outbound, QuickReply, Recipient, SendApi, SendError,
};
use atende_channels::{Adapter, ErrorClass};
use atende_store::chats::Message;
use atende_store::directory::Inbox;
use atende_store::{Job, StoreError};
use serde_json::Value;

use super::Meta;
use crate::chat::delivery;
use crate::jobs::Outcome;
use crate::state::AppState;

/// Prefix of the ids an upload gets: Meta fetches a file from a link, so
/// an uploaded file stays with us and goes as a signed link to our copy.
pub(super) const LOCAL: &str = "local:";

/// How long the signed link of an uploaded file lives (Meta fetches it
/// while taking the send).
const LINK_TTL_MS: i64 = 3_600_000;

/// What to send for a stored message, in order; `file_link` is the link
/// of the message's uploaded file, when it has one.
pub(super) fn outbound_of(
    msg: &Message,
    messaging: MessagingType,
    file_link: Option<String>,
) -> Result<Vec<Outbound>, String> {
    let p = &msg.payload.0;
    let text = msg.text.clone().unwrap_or_default();
    let texts = |t: &str| -> Vec<Outbound> {
        atende_channels::split_text(t, meta::TEXT_LIMIT)
            .into_iter()
            .map(|text| Outbound::Text {
                text,
                quick_replies: vec![],
                messaging,
            })
            .collect()
    };
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    Ok(match msg.kind.as_str() {
        "text" => texts(&text),
        "interactive" => {
            let i = p.get("interactive").ok_or("interactive without content")?;
            let body = i
                .pointer("/body/text")
                .and_then(Value::as_str)
                .unwrap_or(&text);
            let options = options(i);
            if options.len() <= meta::QUICK_REPLIES_LIMIT {
                let mut out = texts(body);
                if let Some(Outbound::Text { quick_replies, .. }) = out.last_mut() {
                    *quick_replies = options
                        .into_iter()
                        .map(|(payload, title)| QuickReply { title, payload })
                        .collect();
                }
                out
            } else {
                // More options than quick replies hold: a numbered list
                // the customer answers by number (the flow reads it).
                let lines: Vec<String> = options
                    .iter()
                    .enumerate()
                    .map(|(n, (_, title))| format!("{}. {title}", n + 1))
                    .collect();
                texts(&format!("{body}\n\n{}", lines.join("\n")))
            }
        }
        "image" | "video" | "audio" | "document" | "sticker" => {
            let m = p.get("media").ok_or("media message without media")?;
            let url = match (s(m, "id"), s(m, "link")) {
                (Some(id), _) if id.starts_with(LOCAL) => {
                    file_link.ok_or("the uploaded file is gone")?
                }
                (_, Some(link)) => link,
                (Some(id), None) => id,
                (None, None) => return Err("media without id or link".into()),
            };
            let kind = match msg.kind.as_str() {
                "image" | "sticker" => Attachment::Image,
                "video" => Attachment::Video,
                "audio" => Attachment::Audio,
                _ => Attachment::File,
            };
            let mut out = vec![Outbound::Attachment {
                kind,
                url,
                messaging,
            }];
            // The Send API has no caption: it follows as text.
            if !text.trim().is_empty() {
                out.extend(texts(&text));
            }
            out
        }
        "location" => {
            let l = p.get("location").ok_or("location without coordinates")?;
            let (lat, lon) = (
                l.get("latitude")
                    .and_then(Value::as_f64)
                    .ok_or("latitude")?,
                l.get("longitude")
                    .and_then(Value::as_f64)
                    .ok_or("longitude")?,
            );
            let name = [s(l, "name"), s(l, "address")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" — ");
            texts(format!("📍 {name}\nhttps://maps.google.com/?q={lat},{lon}").trim())
        }
        "contacts" => {
            let cards: Vec<String> = p
                .get("contacts")
                .and_then(Value::as_array)
                .ok_or("contacts")?
                .iter()
                .map(|c| {
                    let name = c
                        .pointer("/name/formatted_name")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let phones: Vec<&str> = c
                        .get("phones")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|p| p.get("phone").and_then(Value::as_str))
                        .collect();
                    format!("👤 {name} {}", phones.join(", "))
                        .trim()
                        .to_string()
                })
                .collect();
            texts(&cards.join("\n"))
        }
        "reaction" => vec![Outbound::Reaction {
            message_id: s(p, "message_id").ok_or("reaction target")?,
            emoji: Some(text).filter(|t| !t.is_empty()),
        }],
        "template" => {
            return Err("Mensagens template não existem no Messenger nem no Instagram.".into());
        }
        other => return Err(format!("cannot send a {other} message")),
    })
}

/// A menu's options as (id, title).
fn options(interactive: &Value) -> Vec<(String, String)> {
    crate::chat::menu::options(interactive)
        .into_iter()
        .map(|o| (o.id, o.title))
        .collect()
}

/// Sends one queued message.
#[tracing::instrument(name = "meta.send", skip_all, fields(org = %msg.org_id, conversation = %msg.conversation_id, message = %msg.id, inbox = %inbox.id))]
pub(super) async fn send(
    rt: &Meta,
    st: &AppState,
    job: &Job,
    msg: Message,
    inbox: Inbox,
) -> Result<Outcome, StoreError> {
    let (org, id) = (msg.org_id, msg.id);
    let fail = |code: &'static str, text: String| async move {
        delivery::fail(st, job, org, id, code, &text).await
    };
    let (Some(token), Some(account)) = (
        inbox
            .secrets
            .0
            .get("access_token")
            .and_then(Value::as_str)
            .map(str::to_string),
        inbox.external_id.clone(),
    ) else {
        return fail(
            "no_token",
            "A caixa de entrada não tem token de acesso.".into(),
        )
        .await;
    };
    let conv = st.store.conversation(org, msg.conversation_id).await?;
    let ids = st
        .store
        .contact_external_ids(org, inbox.id, conv.contact_id)
        .await?;
    let Some(to) = ids.into_iter().next().map(Recipient) else {
        return fail(
            "no_recipient",
            "O contato não tem identificador nesta conta.".into(),
        )
        .await;
    };
    let within_day = conv
        .last_inbound_at
        .is_some_and(|t| atende_store::now_ms() - t < 24 * 3_600_000);
    let messaging = if within_day {
        MessagingType::Response
    } else {
        MessagingType::HumanAgent
    };
    let file_link = match st.store.media_of_message(org, msg.id).await? {
        Some(m) if m.path.is_some() => Some(crate::media::signed_url(st, org, m.id, LINK_TTL_MS)),
        _ => None,
    };
    let pieces = match outbound_of(&msg, messaging, file_link) {
        Ok(p) if !p.is_empty() => p,
        Ok(_) => return fail("invalid_message", "Nada a enviar.".into()).await,
        Err(why) => return fail("invalid_message", why).await,
    };
    let done = msg
        .payload
        .0
        .get("pieces_sent")
        .and_then(Value::as_u64)
        .unwrap_or(0) as usize;
    let mut first_id = msg
        .payload
        .0
        .get("first_provider_id")
        .and_then(Value::as_str)
        .map(str::to_string);
    for (n, piece) in pieces.iter().enumerate().skip(done) {
        let body = SendApi.send_body(&to, piece, None, None);
        let answer = rt
            .shared
            .http
            .post(rt.shared.messages_url(&account))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await;
        let (status, bytes) = match answer {
            Ok(r) => {
                let status = r.status().as_u16();
                match r.bytes().await {
                    Ok(b) => (status, b),
                    Err(e) => {
                        return retry_or_fail(
                            st,
                            job,
                            &msg,
                            n,
                            first_id.as_deref(),
                            format!("{e}"),
                        )
                        .await;
                    }
                }
            }
            Err(e) => {
                return retry_or_fail(st, job, &msg, n, first_id.as_deref(), format!("{e}")).await;
            }
        };
        match SendApi.read_send(status, &bytes) {
            Ok(sent) => {
                if first_id.is_none() {
                    first_id = sent.message_id;
                }
            }
            Err(e) => {
                delivery::progress(st, &msg, n, first_id.as_deref()).await?;
                return failed(rt, st, job, &msg, &inbox, e).await;
            }
        }
    }
    // A reaction is not a message of its own: it has no id to keep.
    let provider_id = first_id.filter(|_| msg.kind != "reaction");
    metrics::counter!("atende_messages_sent_total", "channel" => super::channel_name(rt.product))
        .increment(1);
    delivery::sent(st, job, &msg, &inbox, provider_id.as_deref()).await
}

/// No answer: what went is remembered, then retried (failed with the
/// reason on the last attempt).
async fn retry_or_fail(
    st: &AppState,
    job: &Job,
    msg: &Message,
    sent: usize,
    first_id: Option<&str>,
    why: String,
) -> Result<Outcome, StoreError> {
    delivery::progress(st, msg, sent, first_id).await?;
    delivery::unreachable(st, job, msg, "Meta", why).await
}

async fn failed(
    rt: &Meta,
    st: &AppState,
    job: &Job,
    msg: &Message,
    inbox: &Inbox,
    e: SendError,
) -> Result<Outcome, StoreError> {
    let code = match (e.code, e.subcode) {
        (Some(c), Some(s)) => format!("{c}/{s}"),
        (Some(c), None) => c.to_string(),
        _ => format!("http_{}", e.http_status),
    };
    let last_try = job.attempts >= job.max_attempts;
    match e.class {
        ErrorClass::RateLimited | ErrorClass::Retryable if !last_try => {
            tracing::warn!(message = %msg.id, %code, "Meta send failed; retrying");
            let wait = crate::jobs::backoff_ms(&st.config, job.attempts).max(
                if e.class == ErrorClass::RateLimited {
                    60_000
                } else {
                    0
                },
            );
            Ok(Outcome::RetryAt(
                atende_store::now_ms() + wait,
                format!("{code}: {}", e.message),
            ))
        }
        class => {
            let reauth = class == ErrorClass::Reauth;
            delivery::refused(st, job, msg, inbox.id, reauth, &code, &failure_text(rt, &e)).await
        }
    }
}

/// What the agent reads on a failed message, in pt-BR with Meta's words.
fn failure_text(rt: &Meta, e: &SendError) -> String {
    let product = super::credentials::label(rt.product);
    let why = if e.outside_window() {
        format!(
            "Fora da janela de atendimento do {product}: só é possível responder até 7 dias depois da última mensagem do contato."
        )
    } else if e.unavailable() {
        "O contato não está disponível no momento.".into()
    } else if e.code == Some(190) {
        format!(
            "A Meta recusou o token de acesso: informe um novo token na caixa de entrada do {product}."
        )
    } else {
        return format!("Erro do {product}: {}", e.message);
    };
    format!("{why} ({})", e.message)
}

/// Marks the customer's messages seen (`mark_seen`) when an agent opens
/// the chat. Best effort: failures are retried, then dropped.
pub(super) async fn mark_read(
    rt: &Meta,
    st: &AppState,
    job: &Job,
    inbox: Inbox,
    provider_id: &str,
) -> Result<Outcome, StoreError> {
    let (Some(token), Some(account)) = (
        inbox.secrets.0.get("access_token").and_then(Value::as_str),
        inbox.external_id.as_deref(),
    ) else {
        return delivery::finish(st, job).await;
    };
    let mut tx = st.store.begin().await?;
    let msg = tx.message_by_provider_id(inbox.id, provider_id).await?;
    drop(tx);
    let Some(msg) = msg else {
        return delivery::finish(st, job).await;
    };
    let conv = st
        .store
        .conversation(msg.org_id, msg.conversation_id)
        .await?;
    let ids = st
        .store
        .contact_external_ids(msg.org_id, inbox.id, conv.contact_id)
        .await?;
    let Some(to) = ids.into_iter().next().map(Recipient) else {
        return delivery::finish(st, job).await;
    };
    let body = SendApi.send_body(
        &to,
        &Outbound::Action {
            action: "mark_seen",
        },
        None,
        None,
    );
    match rt
        .shared
        .http
        .post(rt.shared.messages_url(account))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
    {
        Ok(r) if r.status().is_success() => delivery::finish(st, job).await,
        Ok(r) if r.status().is_client_error() => {
            tracing::warn!(status = %r.status(), "mark_seen refused");
            delivery::finish(st, job).await
        }
        Ok(r) => Ok(Outcome::Retry(format!("mark_seen: HTTP {}", r.status()))),
        Err(e) => Ok(Outcome::Retry(format!("mark_seen: {e}"))),
    }
}
