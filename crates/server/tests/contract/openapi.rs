//! Reading the OpenAPI document: its operations, and request bodies made
//! from their schemas.

use serde_json::{Map, Value, json};

/// One documented operation.
#[derive(Debug, Clone)]
pub struct Operation {
    pub method: reqwest::Method,
    /// With `/api/v1`, as documented (`/api/v1/tags/{id}`).
    pub path: String,
    /// The request body's schema, when the operation takes a JSON body.
    pub body: Option<Value>,
    /// Whether the body is `multipart/form-data` (file uploads).
    pub multipart: bool,
    /// Whether the document says the body is required.
    pub body_required: bool,
    /// Required query parameters and their schemas.
    pub query: Vec<(String, Value)>,
    /// The statuses the document lists for it.
    pub statuses: Vec<u16>,
    /// The JSON schema of each status's answer, where it has one.
    pub answers: std::collections::BTreeMap<u16, Value>,
}

impl Operation {
    /// `"POST /api/v1/tags"`, the key of the role table.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    pub fn has_path_params(&self) -> bool {
        self.path.contains('{')
    }
}

/// The server's document, as JSON.
pub fn document() -> Value {
    serde_json::to_value(atende_server::app::openapi()).expect("the document is JSON")
}

/// The document, made once per test binary.
pub fn shared() -> &'static Value {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOC.get_or_init(document)
}

/// Every operation of the document, in a stable order.
pub fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let method = match method.as_str() {
                "get" => reqwest::Method::GET,
                "post" => reqwest::Method::POST,
                "put" => reqwest::Method::PUT,
                "patch" => reqwest::Method::PATCH,
                "delete" => reqwest::Method::DELETE,
                _ => continue,
            };
            let content = &op["requestBody"]["content"];
            let query = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "query" && p["required"] == true)
                        .map(|p| {
                            (
                                p["name"].as_str().unwrap_or_default().to_string(),
                                p["schema"].clone(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.push(Operation {
                method,
                path: path.clone(),
                body: content["application/json"].get("schema").cloned(),
                multipart: content.get("multipart/form-data").is_some(),
                body_required: op["requestBody"]["required"] == true,
                query,
                statuses: op["responses"]
                    .as_object()
                    .map(|r| r.keys().filter_map(|k| k.parse().ok()).collect())
                    .unwrap_or_default(),
                answers: op["responses"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(status, r)| {
                        let r = match r.get("$ref").and_then(Value::as_str) {
                            Some(p) => doc.pointer(p.trim_start_matches('#'))?,
                            None => r,
                        };
                        let schema = r["content"]["application/json"].get("schema")?;
                        Some((status.parse().ok()?, schema.clone()))
                    })
                    .collect(),
            });
        }
    }
    out.sort_by_key(|o| o.key());
    out
}

/// The query string of `op`'s required parameters (empty when none).
pub fn query_string(doc: &Value, op: &Operation, known: &dyn Fn(&str) -> Option<Value>) -> String {
    let parts: Vec<String> = op
        .query
        .iter()
        .map(|(name, schema)| {
            let v = example(doc, schema, name, known);
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            format!("{name}={}", urlencode(&text))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Resolves `{"$ref": "#/components/schemas/X"}`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// A value valid by `schema`: required properties only, each with the
/// smallest value of its type, or what `known` has for a field of that
/// name (the fixture's ids, so a made-up body names things that exist).
pub fn example(
    doc: &Value,
    schema: &Value,
    field: &str,
    known: &dyn Fn(&str) -> Option<Value>,
) -> Value {
    let schema = resolve(doc, schema);
    if let Some(v) = known(field) {
        return v;
    }
    if let Some(e) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return e.clone();
    }
    if let Some(c) = schema.get("const") {
        return c.clone();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            let pick = list
                .iter()
                .find(|s| resolve(doc, s).get("type") != Some(&json!("null")))
                .unwrap_or(&Value::Null);
            return example(doc, pick, field, known);
        }
    }
    if let Some(list) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for s in list {
            if let Value::Object(o) = example(doc, s, field, known) {
                merged.extend(o);
            }
        }
        return Value::Object(merged);
    }
    let ty = match schema.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null")
            .to_string(),
        Some(Value::String(t)) => t.clone(),
        _ if schema.get("properties").is_some() => "object".into(),
        _ => return json!({}),
    };
    match ty.as_str() {
        "object" => {
            let required: Vec<&str> = schema["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut o = Map::new();
            if let Some(props) = schema["properties"].as_object() {
                for (name, s) in props {
                    if required.contains(&name.as_str()) {
                        o.insert(name.clone(), example(doc, s, name, known));
                    }
                }
            }
            Value::Object(o)
        }
        "array" => {
            let min = schema["minItems"].as_u64().unwrap_or(0);
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            Value::Array(
                (0..min.max(1))
                    .map(|_| example(doc, &items, field, known))
                    .collect(),
            )
        }
        "integer" | "number" => json!(schema["minimum"].as_i64().unwrap_or(1).max(1)),
        "boolean" => json!(false),
        "string" => match schema["format"].as_str() {
            Some("uuid") => json!(uuid::Uuid::now_v7().to_string()),
            Some("date-time") => json!(chrono::Utc::now().to_rfc3339()),
            Some("date") => json!(chrono::Utc::now().date_naive().to_string()),
            _ => {
                let min = schema["minLength"].as_u64().unwrap_or(1).max(1) as usize;
                json!(format!("{field}{}", "x".repeat(min)))
            }
        },
        _ => Value::Null,
    }
}

/// Whether `answer` matches the documented `schema`; the mismatches
/// otherwise.
pub fn conforms(doc: &Value, schema: &Value, answer: &Value) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    crate::schema::check(doc, schema, answer, "", &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
