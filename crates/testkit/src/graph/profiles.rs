//! The User Profile API of Messenger and Instagram: `GET /{ver}/{psid}
//! ?fields=…` with a page token answers the customer's profile, only the
//! fields asked and the id. Customers not registered with
//! `FakeGraph::add_profile` fall through to the media objects, as any
//! other id.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::errors::{self, GraphError};
use super::media;
use super::state::{Inner, bearer};

/// `GET /{ver}/{id}`: a profile, else a media object.
pub(crate) async fn object(
    State(inner): State<Arc<Inner>>,
    Path((ver, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, GraphError> {
    let profile = inner.state().profiles.get(&id).cloned();
    let Some(profile) = profile else {
        return media::retrieve(State(inner), Path((ver, id)), headers).await;
    };
    inner.check_version(&ver)?;
    // A page's token reads its customers' profiles.
    match bearer(&headers) {
        None => return Err(errors::missing_token()),
        Some(t) if inner.state().pages.values().any(|p| p.token == t) => {}
        Some(_) => return Err(errors::invalid_token()),
    }
    let asked: Vec<&str> = query
        .get("fields")
        .map(|f| f.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let mut out = Map::new();
    for (k, v) in profile.as_object().into_iter().flatten() {
        if asked.contains(&k.as_str()) {
            out.insert(k.clone(), v.clone());
        }
    }
    out.insert("id".into(), Value::String(id));
    Ok(Json(Value::Object(out)).into_response())
}
