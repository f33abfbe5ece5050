//! Message templates (CH-6): synced from the WhatsApp Business Account,
//! listed with a preview, and refreshed by the status webhook.

use atende_channels::whatsapp;
use atende_domain::InboxId;
use atende_store::ingest::Template;
use atende_store::{Job, Json, StoreError};
use serde_json::{Value, json};

use crate::jobs::Outcome;
use crate::state::AppState;

/// How often templates are pulled again (besides the status webhook).
const RESYNC_MS: i64 = 6 * 3_600_000;

/// Pulls every page of the WABA's templates and upserts them, then
/// schedules the next periodic sync.
pub async fn sync(st: &AppState, job: &Job, inbox_id: InboxId) -> Result<Outcome, StoreError> {
    let Some(org) = job.org_id else {
        return Ok(Outcome::Retry("sync without organization".into()));
    };
    let inbox = st.store.inbox(org, inbox_id).await?;
    let (Some(waba), Some(token)) = (
        inbox
            .settings
            .0
            .get("waba_id")
            .and_then(Value::as_str)
            .map(str::to_string),
        inbox
            .secrets
            .0
            .get("access_token")
            .and_then(Value::as_str)
            .map(str::to_string),
    ) else {
        return done(st, job).await;
    };
    let mut after: Option<String> = None;
    let mut all = Vec::new();
    loop {
        let url = whatsapp::templates_url(
            &st.whatsapp.graph_url,
            &st.whatsapp.version,
            &waba,
            after.as_deref(),
        );
        let r = match st.whatsapp.http.get(url).bearer_auth(&token).send().await {
            Ok(r) => r,
            Err(e) => return Ok(Outcome::Retry(format!("templates: {e}"))),
        };
        let status = r.status().as_u16();
        let body = r.bytes().await.unwrap_or_default();
        if status == 401 {
            let mut tx = st.store.begin().await?;
            tx.set_needs_reauth(org, inbox.id, true).await?;
            tx.complete_job(job).await?;
            st.commit(tx).await?;
            return Ok(Outcome::Done);
        }
        if !(200..300).contains(&status) {
            return Ok(Outcome::Retry(format!("templates: HTTP {status}")));
        }
        let (page, next) = match whatsapp::parse_templates_page(&body) {
            Ok(p) => p,
            Err(e) => return Ok(Outcome::Retry(format!("templates: {e}"))),
        };
        all.extend(page);
        match next {
            Some(n) if all.len() < 10_000 => after = Some(n),
            _ => break,
        }
    }
    let mut tx = st.store.begin().await?;
    let now = atende_store::now_ms();
    for t in &all {
        tx.upsert_template(&Template {
            id: uuid::Uuid::now_v7(),
            org_id: org,
            inbox_id: inbox.id,
            provider_id: t.id.clone(),
            name: t.name.clone(),
            language: t.language.clone(),
            status: t.status.clone(),
            category: t.category.clone(),
            parameter_format: t.parameter_format.clone(),
            components: Json(t.components.clone()),
            updated_at: now,
        })
        .await?;
    }
    tx.emit(atende_store::NewEvent {
        org_id: org,
        kind: "templates.synced",
        chat: None,
        payload: json!({"inbox_id": inbox.id, "count": all.len()}),
    });
    // Sync again periodically; the slot key makes one node schedule it.
    let next = now + RESYNC_MS;
    tx.enqueue(atende_store::NewJob {
        run_at: next,
        max_attempts: 5,
        idempotency_key: Some(format!("templates:{}:{}", inbox.id, next / RESYNC_MS)),
        ..atende_store::NewJob::now(
            Some(org),
            crate::jobs::kinds::SYNC_TEMPLATES,
            json!({"inbox_id": inbox.id}),
        )
    })
    .await?;
    if tx.complete_job(job).await? {
        st.commit(tx).await?;
    }
    Ok(Outcome::Done)
}

async fn done(st: &AppState, job: &Job) -> Result<Outcome, StoreError> {
    let mut tx = st.store.begin().await?;
    if tx.complete_job(job).await? {
        st.commit(tx).await?;
    }
    Ok(Outcome::Done)
}

/// The body text of a template with `{{1}}`/`{{name}}` placeholders filled
/// from `vars` (positional by index, named by key), for previews and for
/// the text stored with a sent template.
pub fn preview(
    components: &Value,
    vars: &[String],
    named: &serde_json::Map<String, Value>,
) -> String {
    let parts: Vec<String> = components
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| {
            matches!(
                c.get("type")
                    .and_then(Value::as_str)
                    .map(str::to_ascii_uppercase)
                    .as_deref(),
                Some("HEADER" | "BODY" | "FOOTER")
            )
        })
        .filter_map(|c| c.get("text").and_then(Value::as_str))
        .map(|t| fill(t, vars, named))
        .collect();
    parts.join("\n\n")
}

fn fill(text: &str, vars: &[String], named: &serde_json::Map<String, Value>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let key = after[..end].trim();
        let value = match key.parse::<usize>() {
            Ok(i) if i >= 1 => vars.get(i - 1).cloned(),
            _ => named.get(key).and_then(Value::as_str).map(str::to_string),
        };
        match value {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_fills_positional_and_named_placeholders() {
        let c = json!([
            {"type": "HEADER", "format": "TEXT", "text": "Pedido {{1}}"},
            {"type": "BODY", "text": "Olá {{nome}}, seu pedido {{1}} sai {{2}}. {{3}}"},
            {"type": "BUTTONS", "buttons": []}
        ]);
        let mut named = serde_json::Map::new();
        named.insert("nome".into(), json!("Ana"));
        let p = preview(&c, &["4521".into(), "hoje".into()], &named);
        assert_eq!(p, "Pedido 4521\n\nOlá Ana, seu pedido 4521 sai hoje. {{3}}");
    }
}
