//! Delivering queued messages through the Bot API (channels.md §3.3):
//! texts (split at 4,096 characters), flow menus as inline keyboards,
//! files by link, by Telegram's file id or uploaded from our copy, places,
//! contact cards and reactions. Telegram has no receipts for bots: a
//! message it took is `sent`.
//!
//! Errors end as channels.md says: 429 waits exactly `retry_after`; 401
//! marks the inbox as needing a new token; 403 (the user blocked the bot
//! or deactivated their account) and other 4xx fail the message with
//! Telegram's reason and are not retried; 5xx and no answer are retried.
//! Telegram takes no idempotency key: a send whose answer is lost is sent
//! again on the retry, the one window for a duplicate.

use atende_channels::inbound::MediaKind;
use atende_channels::telegram::{self, BotApi, Button, ChatId, Outbound, SendError};
use atende_channels::{Adapter, ErrorClass};
use atende_store::chats::Message;
use atende_store::directory::Inbox;
use atende_store::{Job, StoreError};
use serde_json::Value;

use super::{LOCAL, Telegram};
use crate::chat::delivery;
use crate::jobs::Outcome;
use crate::state::AppState;

/// What to send for a stored outbound message, in order (a long text is
/// several messages).
pub(super) fn outbound_of(msg: &Message) -> Result<Vec<Outbound>, String> {
    let p = &msg.payload.0;
    let text = msg.text.clone().unwrap_or_default();
    let str_at = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    Ok(match msg.kind.as_str() {
        "text" => telegram::split_text(&text)
            .into_iter()
            .map(|text| Outbound::Text {
                text,
                buttons: vec![],
            })
            .collect(),
        "interactive" => {
            let i = p.get("interactive").ok_or("interactive without content")?;
            let body = i
                .pointer("/body/text")
                .and_then(Value::as_str)
                .unwrap_or(&text)
                .to_string();
            let mut pieces = telegram::split_text(&body);
            let buttons = keyboard(i);
            let last = pieces.pop().unwrap_or_default();
            let mut out: Vec<Outbound> = pieces
                .into_iter()
                .map(|text| Outbound::Text {
                    text,
                    buttons: vec![],
                })
                .collect();
            out.push(Outbound::Text {
                text: last,
                buttons,
            });
            out
        }
        "image" | "video" | "audio" | "document" | "sticker" => {
            let kind = MediaKind::parse(&msg.kind).ok_or("media kind")?;
            let m = p.get("media").ok_or("media message without media")?;
            let file = str_at(m, "id")
                .or_else(|| str_at(m, "link"))
                .ok_or("media without id or link")?;
            vec![Outbound::Media {
                kind,
                file,
                caption: msg
                    .text
                    .clone()
                    .filter(|_| !matches!(kind, MediaKind::Sticker)),
                voice: false,
            }]
        }
        "location" => {
            let l = p.get("location").ok_or("location without coordinates")?;
            vec![Outbound::Location {
                latitude: l
                    .get("latitude")
                    .and_then(Value::as_f64)
                    .ok_or("latitude")?,
                longitude: l
                    .get("longitude")
                    .and_then(Value::as_f64)
                    .ok_or("longitude")?,
            }]
        }
        "contacts" => p
            .get("contacts")
            .and_then(Value::as_array)
            .ok_or("contacts")?
            .iter()
            .filter_map(|c| {
                let phone = c.pointer("/phones/0/phone").and_then(Value::as_str)?;
                let name = c.get("name");
                let first = name
                    .and_then(|n| str_at(n, "first_name").or_else(|| str_at(n, "formatted_name")))
                    .unwrap_or_else(|| phone.to_string());
                Some(Outbound::Contact {
                    phone: phone.to_string(),
                    first_name: first,
                    last_name: name.and_then(|n| str_at(n, "last_name")),
                })
            })
            .collect(),
        "reaction" => vec![Outbound::Reaction {
            message_id: str_at(p, "message_id").ok_or("reaction target")?,
            emoji: Some(text).filter(|t| !t.is_empty()),
        }],
        "template" => return Err("O Telegram não tem mensagens template.".into()),
        other => return Err(format!("cannot send a {other} message")),
    })
}

/// A flow menu's buttons or list rows (kept in the shape every channel
/// stores) as an inline keyboard, one button per row.
fn keyboard(interactive: &Value) -> Vec<Vec<Button>> {
    crate::chat::menu::options(interactive)
        .into_iter()
        .map(|o| {
            let text = match o.description {
                Some(d) => format!("{} — {d}", o.title),
                None => o.title,
            };
            vec![Button { text, data: o.id }]
        })
        .collect()
}

/// The chat a contact is reached at on an inbox.
async fn recipient(st: &AppState, msg: &Message) -> Result<Option<ChatId>, StoreError> {
    let conv = st
        .store
        .conversation(msg.org_id, msg.conversation_id)
        .await?;
    let ids = st
        .store
        .contact_external_ids(msg.org_id, msg.inbox_id, conv.contact_id)
        .await?;
    Ok(ids.iter().find_map(|i| i.parse().ok()).map(ChatId))
}

/// Sends one queued message.
#[tracing::instrument(name = "telegram.send", skip_all, fields(org = %msg.org_id, conversation = %msg.conversation_id, message = %msg.id, inbox = %inbox.id))]
pub(super) async fn send(
    tg: &Telegram,
    st: &AppState,
    job: &Job,
    msg: Message,
    inbox: Inbox,
) -> Result<Outcome, StoreError> {
    let (org, id) = (msg.org_id, msg.id);
    let fail = |code: &'static str, text: String| async move {
        delivery::fail(st, job, org, id, code, &text).await
    };
    let Some(token) = super::token_of(&inbox.secrets.0).map(str::to_string) else {
        return fail(
            "no_token",
            "A caixa de entrada não tem o token do bot.".into(),
        )
        .await;
    };
    let Some(bot) = BotApi::for_token(&token) else {
        return fail("no_token", "O token do bot é inválido.".into()).await;
    };
    let pieces = match outbound_of(&msg) {
        Ok(p) if !p.is_empty() => p,
        Ok(_) => return fail("invalid_message", "Nada a enviar.".into()).await,
        Err(why) => return fail("invalid_message", why).await,
    };
    let Some(to) = recipient(st, &msg).await? else {
        return fail(
            "no_recipient",
            "O contato não tem chat com este bot no Telegram.".into(),
        )
        .await;
    };
    let reply_to = msg
        .payload
        .0
        .get("reply_to_provider_id")
        .and_then(Value::as_str);
    // Pieces of a long text that already went (an earlier try failed
    // midway) are not sent again.
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
        let body = bot.send_body(&to, piece, reply_to.filter(|_| n == 0), None);
        let answer = match local_file(st, &msg, piece).await? {
            Some(file) => super::media::send_file(tg, &token, piece, body, file).await,
            None => tg.call(&token, piece.method(), &body).await,
        };
        let (status, bytes) = match answer {
            Ok(a) => a,
            Err(e) => {
                let why = format!("Bot API unreachable: {e}");
                delivery::progress(st, &msg, n, first_id.as_deref()).await?;
                return delivery::unreachable(st, job, &msg, "Telegram", why).await;
            }
        };
        match bot.read_send(status, &bytes) {
            Ok(sent) => {
                if first_id.is_none() {
                    first_id = sent.message_id.map(|m| format!("{}:{m}", to.0));
                }
            }
            Err(e) => {
                delivery::progress(st, &msg, n, first_id.as_deref()).await?;
                return failed(st, job, &msg, &inbox, e).await;
            }
        }
    }
    // A reaction is not a message of its own: it has no id to keep.
    let provider_id = first_id.filter(|_| msg.kind != "reaction");
    metrics::counter!("atende_messages_sent_total", "channel" => "telegram").increment(1);
    delivery::sent(st, job, &msg, &inbox, provider_id.as_deref()).await
}

/// The bytes of a file kept for sending with its message, when `piece`
/// sends one.
async fn local_file(
    st: &AppState,
    msg: &Message,
    piece: &Outbound,
) -> Result<Option<super::media::LocalFile>, StoreError> {
    match piece {
        Outbound::Media { file, .. } if file.starts_with(LOCAL) => {
            super::media::local_file(st, msg).await
        }
        _ => Ok(None),
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
    let last_try = job.attempts >= job.max_attempts;
    match e.class {
        ErrorClass::RateLimited if !last_try => {
            // Exactly as long as Telegram says (channels.md §5.11).
            let wait = e.retry_after.unwrap_or(1).max(0).saturating_mul(1000);
            tracing::warn!(message = %msg.id, retry_after = ?e.retry_after, "Telegram rate limit; waiting");
            Ok(Outcome::RetryAt(
                atende_store::now_ms().saturating_add(wait),
                format!("{code}: {}", e.description),
            ))
        }
        ErrorClass::Retryable if !last_try => {
            tracing::warn!(message = %msg.id, %code, "Telegram send failed; retrying");
            Ok(Outcome::RetryAt(
                atende_store::now_ms() + crate::jobs::backoff_ms(&st.config, job.attempts),
                format!("{code}: {}", e.description),
            ))
        }
        class => {
            let reauth = class == ErrorClass::Reauth;
            delivery::refused(st, job, msg, inbox.id, reauth, &code, &failure_text(&e)).await
        }
    }
}

/// What the agent reads on a failed message: Telegram's reason, in pt-BR
/// for the common ones, with Telegram's own words.
fn failure_text(e: &SendError) -> String {
    let d = e.description.to_ascii_lowercase();
    let why = if d.contains("bot was blocked by the user") {
        "O contato bloqueou o bot no Telegram."
    } else if d.contains("user is deactivated") {
        "A conta do contato no Telegram foi desativada."
    } else if d.contains("chat not found") {
        "O Telegram não encontrou o chat do contato."
    } else if e.http_status == 401 || e.code == Some(401) {
        "O Telegram recusou o token do bot: informe um novo token na caixa de entrada."
    } else {
        return format!("Erro do Telegram: {}", e.description);
    };
    format!("{why} ({})", e.description)
}

/// Telegram has no read receipts for bots: nothing to tell it.
pub(super) async fn mark_read(st: &AppState, job: &Job) -> Result<Outcome, StoreError> {
    delivery::finish(st, job).await
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn texts(rows: &[Vec<Button>]) -> Vec<(&str, &str)> {
        rows.iter()
            .flatten()
            .map(|b| (b.text.as_str(), b.data.as_str()))
            .collect()
    }

    #[test]
    fn flow_buttons_and_list_rows_become_one_button_per_row() {
        let buttons = json!({"type": "button", "body": {"text": "Escolha"}, "action": {"buttons": [
            {"type": "reply", "reply": {"id": "b1", "title": "Vendas"}},
            {"type": "reply", "reply": {"id": "b2", "title": "Suporte"}}]}});
        let rows = keyboard(&buttons);
        assert_eq!(rows.len(), 2);
        assert_eq!(texts(&rows), [("Vendas", "b1"), ("Suporte", "b2")]);

        let list = json!({"type": "list", "body": {"text": "Menu"}, "action": {"button": "Ver", "sections": [
            {"title": "A", "rows": [{"id": "r1", "title": "Boleto", "description": "2ª via"}]},
            {"rows": [{"id": "r2", "title": "Pix"}, {"title": "sem id"}, {"id": "r4"}]}]}});
        let rows = keyboard(&list);
        assert_eq!(
            texts(&rows),
            [
                ("Boleto — 2ª via", "r1"),
                ("Pix", "r2"),
                ("sem id", "sem id")
            ],
            "a row without a title is left out; one without an id answers its title"
        );
        assert!(keyboard(&json!({"type": "cta_url"})).is_empty());
    }
}
