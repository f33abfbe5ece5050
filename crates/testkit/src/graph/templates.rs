//! `GET`/`POST /{ver}/{waba_id}/message_templates`: list with cursor paging, create.

use super::errors::{
    GraphError, graph_error, invalid_parameter, missing_parameter, unknown_object,
};
use super::state::Inner;
use super::{FakeTemplate, numeric_id};
use crate::url::encode_component;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

/// Page size when the request gives no `limit`, as in Graph.
const DEFAULT_LIMIT: usize = 25;
/// Largest page the fake hands out.
const MAX_LIMIT: usize = 1000;

/// Lists the WABA's templates, filtered by the optional `status` and `name`,
/// one page at a time (`limit`, `after`, `before`).
pub(crate) async fn list(
    State(inner): State<Arc<Inner>>,
    Path((ver, waba_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, GraphError> {
    inner
        .check_version(&ver)
        .and(inner.authorize_any(&headers))?;
    let limit = match query.get("limit").map(|l| l.parse::<usize>()) {
        None => DEFAULT_LIMIT,
        Some(Ok(l)) if l > 0 => l.min(MAX_LIMIT),
        Some(_) => return Err(invalid_parameter("Param limit must be a positive integer.")),
    };
    let templates: Vec<FakeTemplate> = {
        let state = inner.state();
        if !waba_known(&state, &waba_id) {
            return Err(unknown_object(&waba_id, 400));
        }
        let all = state
            .templates
            .get(&waba_id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        all.iter()
            .filter(|t| {
                query
                    .get("status")
                    .is_none_or(|s| s.eq_ignore_ascii_case(&t.status))
            })
            .filter(|t| query.get("name").is_none_or(|n| *n == t.name))
            .cloned()
            .collect()
    };
    let position = |cursor: &String| {
        let id = decode_cursor(cursor)?;
        templates.iter().position(|t| t.id == id)
    };
    let (start, end) = match (query.get("after"), query.get("before")) {
        (Some(after), _) => match position(after) {
            Some(i) => (i + 1, (i + 1 + limit).min(templates.len())),
            None => return Err(invalid_parameter("Param after is not a valid cursor.")),
        },
        (None, Some(before)) => match position(before) {
            Some(i) => (i.saturating_sub(limit), i),
            None => return Err(invalid_parameter("Param before is not a valid cursor.")),
        },
        (None, None) => (0, limit.min(templates.len())),
    };
    let page = &templates[start..end];
    let mut body = json!({ "data": page.iter().map(template_json).collect::<Vec<_>>() });
    if let (Some(first), Some(last)) = (page.first(), page.last()) {
        let after = encode_cursor(&last.id);
        body["paging"] = json!({"cursors": {"before": encode_cursor(&first.id), "after": after}});
        let base = format!("{}/{ver}/{waba_id}/message_templates", inner.base_url);
        let filters = filter_params(&query);
        if end < templates.len() {
            body["paging"]["next"] = json!(format!("{base}?limit={limit}{filters}&after={after}"));
        }
        if start > 0 {
            let before = encode_cursor(&first.id);
            body["paging"]["previous"] =
                json!(format!("{base}?limit={limit}{filters}&before={before}"));
        }
    }
    Ok(Json(body).into_response())
}

/// Creates a template with status `PENDING` → `{"id","status","category"}`.
pub(crate) async fn create(
    State(inner): State<Arc<Inner>>,
    Path((ver, waba_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, GraphError> {
    inner
        .check_version(&ver)
        .and(inner.authorize_any(&headers))?;
    let Ok(req) = serde_json::from_slice::<Value>(&body) else {
        return Err(invalid_parameter("The request body must be a JSON object."));
    };
    let field = |name: &str| {
        req.get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let (Some(name), Some(language), Some(category)) =
        (field("name"), field("language"), field("category"))
    else {
        return Err(missing_parameter(
            "Params name, language and category are required.",
        ));
    };
    let Some(components) = req.get("components").filter(|c| c.is_array()) else {
        return Err(missing_parameter("Param components is required."));
    };
    let mut state = inner.state();
    if !waba_known(&state, &waba_id) {
        return Err(unknown_object(&waba_id, 400));
    }
    let list = state.templates.entry(waba_id).or_default();
    if list
        .iter()
        .any(|t| t.name == name && t.language == language)
    {
        let message = "Message template already exists";
        let details = format!("There is already {language} content for this template ({name}).");
        return Err(graph_error(
            400,
            100,
            Some(2388024),
            message,
            Some(&details),
        ));
    }
    let template = FakeTemplate {
        id: numeric_id(),
        name: name.to_owned(),
        language: language.to_owned(),
        status: "PENDING".to_owned(),
        category: category.to_ascii_uppercase(),
        components: components.clone(),
    };
    let answer = json!({"id": template.id, "status": "PENDING", "category": template.category});
    list.push(template);
    Ok(Json(answer).into_response())
}

/// A WABA is known when a number belongs to it or it has templates.
fn waba_known(state: &super::state::State, waba_id: &str) -> bool {
    state.templates.contains_key(waba_id) || state.numbers.values().any(|n| n.waba_id == waba_id)
}

fn template_json(t: &FakeTemplate) -> Value {
    json!({
        "id": t.id,
        "name": t.name,
        "language": t.language,
        "status": t.status,
        "category": t.category,
        "components": t.components,
    })
}

/// The filters of this request, to repeat them in `next`/`previous` links.
fn filter_params(query: &HashMap<String, String>) -> String {
    ["fields", "status", "name"]
        .iter()
        .filter_map(|k| {
            query
                .get(*k)
                .map(|v| format!("&{k}={}", encode_component(v)))
        })
        .collect()
}

/// Cursors are opaque to clients: URL-safe base64 of the template id.
fn encode_cursor(id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("tpl:{id}"))
}

fn decode_cursor(cursor: &str) -> Option<String> {
    let raw = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    String::from_utf8(raw)
        .ok()?
        .strip_prefix("tpl:")
        .map(str::to_owned)
}
