//! Checking a value against a schema of the OpenAPI document: the part of
//! JSON Schema 2020-12 the document uses (`$ref`, `type`, `enum`, `format`
//! uuid and date-time, `minimum`, `minLength`, `maxLength`, `properties`,
//! `required`, `additionalProperties`, `propertyNames`, `items`, `allOf`,
//! `oneOf`, `anyOf`). A keyword it does not know fails the check, so the
//! document cannot outgrow it unnoticed.

use serde_json::Value;

/// Keywords that only describe.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "contentMediaType",
];

/// The mismatches of `v` (at `at`) against `schema`, appended to `errors`.
pub fn check(doc: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(s) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{at}: nothing is allowed here"));
        }
        return;
    };
    for (k, rule) in s {
        match k.as_str() {
            "$ref" => {
                let target = rule
                    .as_str()
                    .and_then(|r| doc.pointer(r.trim_start_matches('#')));
                match target {
                    Some(t) => check(doc, t, v, at, errors),
                    None => errors.push(format!("{at}: unresolvable $ref {rule}")),
                }
            }
            "type" => {
                let ok = match rule {
                    Value::String(t) => is_type(t, v),
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(|t| is_type(t, v)),
                    _ => false,
                };
                if !ok {
                    errors.push(format!("{at}: {} is not of type {rule}", short(v)));
                }
            }
            "enum" => {
                if !rule.as_array().is_some_and(|vs| vs.contains(v)) {
                    errors.push(format!("{at}: {} is not one of {rule}", short(v)));
                }
            }
            "format" => {
                if let (Some(f), Some(text)) = (rule.as_str(), v.as_str())
                    && !format_ok(f, text)
                {
                    errors.push(format!("{at}: {text:?} is not a {f}"));
                }
            }
            "minimum" | "maximum" => {
                if let (Some(bound), Some(n)) = (rule.as_f64(), v.as_f64())
                    && ((k == "minimum" && n < bound) || (k == "maximum" && n > bound))
                {
                    errors.push(format!("{at}: {n} breaks {k} {bound}"));
                }
            }
            "pattern" => {
                // The document's patterns are checked by the fuzzer's run
                // (.ci/conformance); answers carry none.
            }
            "minLength" | "maxLength" => {
                if let (Some(n), Some(text)) = (rule.as_u64(), v.as_str()) {
                    let len = text.chars().count() as u64;
                    if (k == "minLength" && len < n) || (k == "maxLength" && len > n) {
                        errors.push(format!("{at}: {text:?} breaks {k} {n}"));
                    }
                }
            }
            "properties" => {
                if let (Some(props), Some(obj)) = (rule.as_object(), v.as_object()) {
                    for (name, p) in props {
                        if let Some(value) = obj.get(name) {
                            check(doc, p, value, &format!("{at}/{name}"), errors);
                        }
                    }
                }
            }
            "required" => {
                if let Some(obj) = v.as_object() {
                    for name in rule
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                    {
                        if !obj.contains_key(name) {
                            errors.push(format!("{at}: required property {name:?} is missing"));
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(obj) = v.as_object() {
                    let known = s.get("properties").and_then(Value::as_object);
                    for (name, value) in obj {
                        if known.is_some_and(|k| k.contains_key(name)) {
                            continue;
                        }
                        if rule == &Value::Bool(false) {
                            errors.push(format!("{at}: property {name:?} is not documented"));
                        } else {
                            check(doc, rule, value, &format!("{at}/{name}"), errors);
                        }
                    }
                }
            }
            "propertyNames" => {
                if let Some(obj) = v.as_object() {
                    for name in obj.keys() {
                        check(
                            doc,
                            rule,
                            &Value::String(name.clone()),
                            &format!("{at}[{name}]"),
                            errors,
                        );
                    }
                }
            }
            "items" => {
                if let Some(list) = v.as_array() {
                    for (i, item) in list.iter().enumerate() {
                        check(doc, rule, item, &format!("{at}/{i}"), errors);
                    }
                }
            }
            "allOf" => {
                for sub in rule.as_array().into_iter().flatten() {
                    check(doc, sub, v, at, errors);
                }
            }
            "oneOf" | "anyOf" => {
                let subs = rule.as_array().map(Vec::as_slice).unwrap_or_default();
                let mut reasons = Vec::new();
                let passing = subs
                    .iter()
                    .filter(|sub| {
                        let mut e = Vec::new();
                        check(doc, sub, v, at, &mut e);
                        let ok = e.is_empty();
                        reasons.extend(e);
                        ok
                    })
                    .count();
                let ok = if k == "oneOf" {
                    passing == 1
                } else {
                    passing >= 1
                };
                if !ok {
                    errors.push(format!(
                        "{at}: {} matches {passing} of the {k} alternatives ({})",
                        short(v),
                        reasons.join("; ")
                    ));
                }
            }
            other if ANNOTATIONS.contains(&other) => {}
            other => errors.push(format!("{at}: the check does not know keyword {other:?}")),
        }
    }
}

fn is_type(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

fn format_ok(format: &str, text: &str) -> bool {
    match format {
        "uuid" => uuid::Uuid::parse_str(text).is_ok() && text.len() == 36,
        "date-time" => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        "date" => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        // Number formats (int64, double) say only how wide a number is.
        _ => true,
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use serde_json::json;

    fn errors(schema: serde_json::Value, v: serde_json::Value) -> Vec<String> {
        let doc = json!({"components": {"schemas": {"Id": {"type": "string", "format": "uuid"}}}});
        let mut e = Vec::new();
        check(&doc, &schema, &v, "", &mut e);
        e
    }

    #[test]
    fn the_check_catches_what_the_document_says() {
        let obj = json!({"type": "object", "required": ["id"], "additionalProperties": false,
            "properties": {"id": {"$ref": "#/components/schemas/Id"},
                           "at": {"type": ["string", "null"], "format": "date-time"},
                           "kind": {"type": "string", "enum": ["a", "b"]}}});
        assert!(
            errors(
                obj.clone(),
                json!({"id": "0190b6a1-7c1e-7000-8000-000000000001", "at": null, "kind": "a"})
            )
            .is_empty()
        );
        assert_eq!(errors(obj.clone(), json!({})).len(), 1, "missing required");
        assert_eq!(
            errors(obj.clone(), json!({"id": "x"})).len(),
            1,
            "not a uuid"
        );
        assert_eq!(
            errors(
                obj.clone(),
                json!({"id": "0190b6a1-7c1e-7000-8000-000000000001", "at": "ontem"})
            )
            .len(),
            1
        );
        assert_eq!(
            errors(
                obj.clone(),
                json!({"id": "0190b6a1-7c1e-7000-8000-000000000001", "kind": "c"})
            )
            .len(),
            1
        );
        assert_eq!(
            errors(
                obj,
                json!({"id": "0190b6a1-7c1e-7000-8000-000000000001", "extra": 1})
            )
            .len(),
            1
        );
        let one = json!({"oneOf": [{"type": "string"}, {"type": "null"}]});
        assert!(errors(one.clone(), json!(null)).is_empty());
        assert_eq!(errors(one, json!(3)).len(), 1);
        assert_eq!(
            errors(
                json!({"type": "array", "items": {"type": "integer", "minimum": 0}}),
                json!([1, -1])
            )
            .len(),
            1
        );
        assert_eq!(
            errors(json!({"unknownKeyword": 1}), json!(1)).len(),
            1,
            "unknown keywords fail"
        );
    }
}
