//! Call parameters: query string, JSON, form or multipart, as one JSON object.

use super::errors::TgError;
use axum::Form;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Query, Request};
use axum::http::{StatusCode, header};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Parameters that carry JSON; given as strings (form, multipart, query)
/// they are parsed, so the recorded params look the same for every encoding.
const JSON_PARAMS: &[&str] = &[
    "reply_markup",
    "reply_parameters",
    "link_preview_options",
    "allowed_updates",
    "reaction",
    "entities",
    "caption_entities",
];

/// A file part of a multipart call.
pub(crate) struct Upload {
    pub(crate) file_name: Option<String>,
    pub(crate) mime_type: Option<String>,
    pub(crate) bytes: Bytes,
}

/// A call's parameters and its uploaded files (by part name).
#[derive(Default)]
pub(crate) struct Params {
    pub(crate) map: Map<String, Value>,
    pub(crate) uploads: HashMap<String, Upload>,
}

impl Params {
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub(crate) fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    pub(crate) fn int(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(int)
    }

    pub(crate) fn bool(&self, key: &str) -> bool {
        self.get(key).is_some_and(bool)
    }

    /// The upload a file parameter points at: a part named `key`, or the part
    /// named `x` when the parameter is `attach://x`.
    pub(crate) fn upload(&self, key: &str) -> Option<&Upload> {
        if let Some(name) = self.str(key).and_then(|v| v.strip_prefix("attach://")) {
            return self.uploads.get(name);
        }
        self.uploads.get(key)
    }
}

/// An integer given as a number or a numeric string.
pub(crate) fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A float given as a number or a numeric string.
pub(crate) fn float(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `true`, `"true"` or `"1"`.
pub(crate) fn bool(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => matches!(s.trim(), "true" | "True" | "1"),
        Value::Number(n) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// Reads the query string and the body (by content type) into [`Params`];
/// body values override query values.
pub(crate) async fn parse(req: Request) -> Result<Params, TgError> {
    let mut params = Params::default();
    if let Ok(Query(pairs)) = Query::<Vec<(String, String)>>::try_from_uri(req.uri()) {
        for (k, v) in pairs {
            insert_text(&mut params.map, k, v);
        }
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        read_multipart(req, &mut params).await?;
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, &())
            .await
            .map_err(|e| rejection(e.status(), "can't parse form"))?;
        for (k, v) in pairs {
            insert_text(&mut params.map, k, v);
        }
    } else {
        let body = Bytes::from_request(req, &())
            .await
            .map_err(|e| rejection(e.status(), "can't read body"))?;
        if !body.iter().all(u8::is_ascii_whitespace) {
            match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(map)) => params.map.extend(map),
                _ => return Err(TgError::bad_request("can't parse JSON object")),
            }
        }
    }
    Ok(params)
}

async fn read_multipart(req: Request, params: &mut Params) -> Result<(), TgError> {
    let mut multipart = Multipart::from_request(req, &())
        .await
        .map_err(|e| rejection(e.status(), "can't parse multipart body"))?;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(()),
            Err(e) => return Err(rejection(e.status(), "can't parse multipart body")),
        };
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let mime_type = field.content_type().map(str::to_owned);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| rejection(e.status(), "can't parse multipart body"))?;
        // A part is a file when it has a file name, a non-text type, or bytes
        // that aren't UTF-8.
        let is_text = file_name.is_none()
            && mime_type
                .as_deref()
                .is_none_or(|m| m.starts_with("text/") || m.starts_with("application/json"))
            && std::str::from_utf8(&bytes).is_ok();
        if is_text {
            insert_text(
                &mut params.map,
                name,
                String::from_utf8_lossy(&bytes).into_owned(),
            );
        } else {
            params.map.insert(
                name.clone(),
                json!({"file_name": file_name, "mime_type": mime_type, "size": bytes.len()}),
            );
            let upload = Upload {
                file_name,
                mime_type,
                bytes,
            };
            params.uploads.insert(name, upload);
        }
    }
}

/// Stores a text value, parsing the JSON-typed parameters.
fn insert_text(map: &mut Map<String, Value>, key: String, value: String) {
    let parsed = JSON_PARAMS
        .contains(&key.as_str())
        .then(|| serde_json::from_str::<Value>(&value).ok())
        .flatten();
    map.insert(key, parsed.unwrap_or(Value::String(value)));
}

/// 413 for bodies over the limit, else 400 with `what`.
fn rejection(status: StatusCode, what: &str) -> TgError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        TgError::too_large()
    } else {
        TgError::bad_request(what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_flags_accept_strings() {
        assert_eq!(int(&json!("5093842217")), Some(5_093_842_217));
        assert_eq!(int(&json!(-100)), Some(-100));
        assert_eq!(int(&json!("abc")), None);
        assert_eq!(float(&json!("-23.5")), Some(-23.5));
        assert!(bool(&json!("true")) && bool(&json!(true)) && !bool(&json!("no")));
    }

    #[test]
    fn json_typed_text_values_are_parsed() {
        let mut map = Map::new();
        insert_text(
            &mut map,
            "reply_markup".into(),
            r#"{"inline_keyboard":[]}"#.into(),
        );
        insert_text(&mut map, "text".into(), "[1]".into());
        insert_text(&mut map, "reply_parameters".into(), "not json".into());
        assert_eq!(map["reply_markup"], json!({"inline_keyboard": []}));
        assert_eq!(map["text"], json!("[1]"));
        assert_eq!(map["reply_parameters"], json!("not json"));
    }
}
