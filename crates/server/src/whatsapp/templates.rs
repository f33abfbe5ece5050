//! Message templates (CH-6): synced from the WhatsApp Business Account,
//! listed with a preview, and refreshed by the status webhook.

use atende_channels::whatsapp;
use atende_store::directory::Inbox;
use atende_store::events::{ChatEvent, TemplatesSynced};
use atende_store::ingest::Template;
use atende_store::{Job, Json, StoreError};
use serde_json::{Value, json};

use super::WhatsApp;
use crate::jobs::Outcome;
use crate::state::AppState;

/// How often templates are pulled again (besides the status webhook).
const RESYNC_MS: i64 = 6 * 3_600_000;

/// Pulls every page of the WABA's templates and upserts them, then
/// schedules the next periodic sync.
pub async fn sync(
    wa: &WhatsApp,
    st: &AppState,
    job: &Job,
    inbox: Inbox,
) -> Result<Outcome, StoreError> {
    let org = inbox.org_id;
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
        let url = whatsapp::templates_url(&wa.graph_url, &wa.version, &waba, after.as_deref());
        let r = match wa.http.get(url).bearer_auth(&token).send().await {
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
    tx.emit(atende_store::NewEvent::org(
        org,
        ChatEvent::TemplatesSynced(TemplatesSynced {
            inbox_id: inbox.id,
            count: all.len() as i64,
        }),
    ));
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

/// Values for a template's placeholders. In the Cloud API the header and
/// the body number their `{{1}}`, `{{2}}`… separately; named placeholders
/// (`{{pedido}}`) share one map.
#[derive(Default, Debug, Clone)]
pub struct Values {
    pub header: Vec<String>,
    pub body: Vec<String>,
    pub named: serde_json::Map<String, Value>,
}

/// The parts of a template that take parameters when sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Header {
    None,
    /// A text header and its placeholders.
    Text(Vec<String>),
    /// `image`, `video` or `document`: the send must give the file.
    Media(&'static str),
    Location,
}

/// What a send of this template must fill in.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub header: Header,
    /// The body's placeholders (`1`, `2`… ascending, then names).
    pub body: Vec<String>,
}

fn components_of(components: &Value) -> impl Iterator<Item = (String, &Value)> {
    components.as_array().into_iter().flatten().map(|c| {
        let t = c
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_ascii_uppercase();
        (t, c)
    })
}

/// The placeholders of `text`, once each: numbers ascending, then names in
/// order of appearance.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut numeric: Vec<usize> = Vec::new();
    let mut named: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let key = after[..end].trim();
        match key.parse::<usize>() {
            Ok(n) if !numeric.contains(&n) => numeric.push(n),
            Ok(_) => {}
            Err(_) if !key.is_empty() && !named.iter().any(|k| k == key) => {
                named.push(key.to_string())
            }
            Err(_) => {}
        }
        rest = &after[end + 2..];
    }
    numeric.sort_unstable();
    numeric
        .into_iter()
        .map(|n| n.to_string())
        .chain(named)
        .collect()
}

/// The header kind and the placeholders a template's send must fill.
pub fn shape(components: &Value) -> Shape {
    let mut shape = Shape {
        header: Header::None,
        body: vec![],
    };
    for (t, c) in components_of(components) {
        let text = c.get("text").and_then(Value::as_str).unwrap_or_default();
        match t.as_str() {
            "HEADER" => {
                let format = c
                    .get("format")
                    .and_then(Value::as_str)
                    .unwrap_or("TEXT")
                    .to_ascii_uppercase();
                shape.header = match format.as_str() {
                    "IMAGE" => Header::Media("image"),
                    "VIDEO" => Header::Media("video"),
                    "DOCUMENT" => Header::Media("document"),
                    "LOCATION" => Header::Location,
                    _ => Header::Text(placeholders(text)),
                };
            }
            "BODY" => shape.body = placeholders(text),
            _ => {}
        }
    }
    shape
}

/// The header, body and footer text of a template with its placeholders
/// filled from `values`, for previews and for the text stored with a sent
/// template. Unfilled placeholders stay as they are.
pub fn preview(components: &Value, values: &Values) -> String {
    let parts: Vec<String> = components_of(components)
        .filter_map(|(t, c)| {
            let text = c.get("text").and_then(Value::as_str)?;
            match t.as_str() {
                "HEADER" => Some(fill(text, &values.header, &values.named)),
                "BODY" => Some(fill(text, &values.body, &values.named)),
                "FOOTER" => Some(text.to_string()),
                _ => None,
            }
        })
        .collect();
    parts.join("\n\n")
}

/// The values a Cloud API `components` list carries (text parameters of the
/// header and the body), so a send given as raw components still stores a
/// readable text.
pub fn values_of(components: &[Value]) -> Values {
    let mut v = Values::default();
    for (t, c) in components_of(&Value::Array(components.to_vec())) {
        let params = c.get("parameters").and_then(Value::as_array);
        for p in params.into_iter().flatten() {
            let Some(text) = p.get("text").and_then(Value::as_str) else {
                continue;
            };
            if let Some(name) = p.get("parameter_name").and_then(Value::as_str) {
                v.named.insert(name.to_string(), Value::String(text.into()));
            } else if t == "HEADER" {
                v.header.push(text.to_string());
            } else if t == "BODY" {
                v.body.push(text.to_string());
            }
        }
    }
    v
}

/// Example values Meta keeps with a template (`example.header_text`,
/// `example.body_text`), for the list's previews.
pub fn examples(components: &Value) -> Values {
    let mut v = Values::default();
    let strings = |x: Option<&Value>| -> Vec<String> {
        x.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    for (t, c) in components_of(components) {
        match t.as_str() {
            "HEADER" => v.header = strings(c.pointer("/example/header_text")),
            "BODY" => v.body = strings(c.pointer("/example/body_text/0")),
            _ => {}
        }
    }
    v
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
        let mut values = Values {
            header: vec!["A-77".into()],
            body: vec!["4521".into(), "hoje".into()],
            ..Values::default()
        };
        values.named.insert("nome".into(), json!("Ana"));
        let p = preview(&c, &values);
        assert_eq!(p, "Pedido A-77\n\nOlá Ana, seu pedido 4521 sai hoje. {{3}}");
    }

    #[test]
    fn shape_names_what_a_send_must_fill() {
        let c = json!([
            {"type": "HEADER", "format": "IMAGE"},
            {"type": "BODY", "text": "{{2}} e {{1}}, {{pedido}} {{1}}"}
        ]);
        assert_eq!(
            shape(&c),
            Shape {
                header: Header::Media("image"),
                body: vec!["1".into(), "2".into(), "pedido".into()]
            }
        );
        let c = json!([{"type": "header", "format": "text", "text": "Oi {{1}}"}]);
        assert_eq!(shape(&c).header, Header::Text(vec!["1".into()]));
        assert_eq!(shape(&json!([])).header, Header::None);
    }

    #[test]
    fn values_come_back_out_of_raw_components() {
        let v = values_of(&[
            json!({"type": "header", "parameters": [{"type": "text", "text": "H"}]}),
            json!({"type": "body", "parameters": [{"type": "text", "text": "B1"}, {"type": "text", "parameter_name": "pedido", "text": "42"}]}),
        ]);
        assert_eq!(v.header, vec!["H"]);
        assert_eq!(v.body, vec!["B1"]);
        assert_eq!(v.named["pedido"], "42");
    }
}
