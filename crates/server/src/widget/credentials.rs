//! A widget inbox's settings: the API's `widget` object (the sites that may
//! embed it, its look, the pre-chat form, the message outside business
//! hours and the secret that verifies a site's users), checked and split
//! into what the store keeps. The identity secret is never returned.

use rand::distr::{Alphanumeric, SampleString};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::channel::Credentials;
use crate::error::{ApiError, ApiResult, Code};

/// Whether the pre-chat form asks for a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    #[default]
    Off,
    Optional,
    Required,
}

/// The pre-chat form: what a visitor is asked before writing.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Prechat {
    pub name: Ask,
    pub email: Ask,
    pub phone: Ask,
}

/// A web-chat widget inbox's settings.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct WidgetConfig {
    /// The sites that may embed the widget, as origins
    /// (`https://www.loja.com.br`); `"*"` alone lets any site.
    #[schema(min_items = 1, max_items = 50, example = json!(["https://www.loja.com.br"]))]
    pub allowed_origins: Option<Vec<String>>,
    /// The widget's title (default: the inbox's name).
    #[schema(max_length = 60)]
    pub title: Option<String>,
    /// The first words a visitor reads.
    #[schema(max_length = 500)]
    pub greeting: Option<String>,
    /// The accent colour, `#rrggbb`.
    #[schema(pattern = r"^#[0-9a-fA-F]{6}$", example = "#1f6feb")]
    pub color: Option<String>,
    /// What the pre-chat form asks (each field `off`, `optional` or
    /// `required`; default: nothing, the visitor writes at once).
    pub prechat: Option<Prechat>,
    /// Shown outside the inbox's business hours (LC-22).
    #[schema(max_length = 500)]
    pub closed_message: Option<String>,
    /// The secret a site signs its users' ids with (HMAC-SHA256, hex):
    /// a visitor whose id verifies is the same contact on every device.
    /// Write-only; blank keeps the current one.
    #[schema(min_length = 16, max_length = 200)]
    pub identity_secret: Option<String>,
    /// `false` removes the identity secret (visitors stay anonymous).
    pub identity_verification: Option<bool>,
}

/// The default accent colour.
pub const DEFAULT_COLOR: &str = "#1f6feb";

/// The settings `given` for a new inbox, or over the `current` ones.
pub(super) fn credentials(
    given: Value,
    current: Option<(&Value, &Value)>,
) -> ApiResult<Credentials> {
    let c: WidgetConfig = serde_json::from_value(given).map_err(|e| {
        ApiError::new(
            Code::InvalidBody,
            format!("Configurações em \"widget\": {e}."),
        )
    })?;
    let (mut settings, mut secrets) = match current {
        Some((s, x)) => (s.clone(), x.clone()),
        None => (json!({}), json!({})),
    };
    if !settings.is_object() {
        settings = json!({});
    }
    if !secrets.is_object() {
        secrets = json!({});
    }
    match c.allowed_origins {
        Some(list) => settings["allowed_origins"] = json!(origins(&list)?),
        None if current.is_none() => {
            return Err(ApiError::invalid(
                "Informe em widget.allowed_origins os sites que podem usar o widget (ex.: https://www.loja.com.br).",
            ));
        }
        None => {}
    }
    let text = |v: Option<String>, field: &str, max: usize| -> ApiResult<Option<Value>> {
        let Some(v) = v else { return Ok(None) };
        let v = v.trim().to_string();
        if v.chars().count() > max {
            return Err(ApiError::invalid(format!(
                "widget.{field} passa de {max} caracteres."
            )));
        }
        Ok(Some(if v.is_empty() { Value::Null } else { json!(v) }))
    };
    for (field, value, max) in [
        ("title", c.title, 60),
        ("greeting", c.greeting, 500),
        ("closed_message", c.closed_message, 500),
    ] {
        if let Some(v) = text(value, field, max)? {
            settings[field] = v;
        }
    }
    if let Some(color) = c.color {
        let color = color.trim().to_ascii_lowercase();
        let ok = color.len() == 7
            && color.starts_with('#')
            && color[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !ok {
            return Err(ApiError::invalid(
                "widget.color deve ser uma cor no formato #rrggbb.",
            ));
        }
        settings["color"] = json!(color);
    }
    if settings.get("color").and_then(Value::as_str).is_none() {
        settings["color"] = json!(DEFAULT_COLOR);
    }
    if let Some(p) = c.prechat {
        settings["prechat"] = json!(p);
    }
    if settings.get("prechat").is_none() {
        settings["prechat"] = json!(Prechat::default());
    }
    match (
        c.identity_secret.map(|s| s.trim().to_string()),
        c.identity_verification,
    ) {
        (_, Some(false)) => {
            if let Some(o) = secrets.as_object_mut() {
                o.remove("identity_secret");
            }
        }
        (Some(s), _) if !s.is_empty() => {
            if s.len() < 16 || s.len() > 200 {
                return Err(ApiError::invalid(
                    "widget.identity_secret deve ter de 16 a 200 caracteres.",
                ));
            }
            secrets["identity_secret"] = json!(s);
        }
        (_, Some(true)) if secrets.get("identity_secret").is_none() => {
            return Err(ApiError::invalid(
                "Para verificar a identidade dos visitantes, informe widget.identity_secret.",
            ));
        }
        _ => {}
    }
    settings["identity_verification"] = json!(secrets.get("identity_secret").is_some());
    // The public key the inbox is known by among widget inboxes.
    let external_id = settings
        .get("public_key")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("wc_{}", Alphanumeric.sample_string(&mut rand::rng(), 24)));
    settings["public_key"] = json!(external_id);
    Ok(Credentials {
        external_id,
        settings,
        secrets,
    })
}

/// Allowed origins, checked and normalized (`https://Loja.com.br/` →
/// `https://loja.com.br`).
fn origins(list: &[String]) -> ApiResult<Vec<String>> {
    if list.is_empty() || list.len() > 50 {
        return Err(ApiError::invalid(
            "widget.allowed_origins deve ter de 1 a 50 sites.",
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for o in list {
        let o = o.trim();
        let norm = if o == "*" {
            o.to_string()
        } else {
            normalize_origin(o).ok_or_else(|| {
                ApiError::invalid(format!(
                    "Origem inválida em widget.allowed_origins: {o:?}. Use o endereço do site, como https://www.loja.com.br."
                ))
            })?
        };
        if !out.contains(&norm) {
            out.push(norm);
        }
    }
    Ok(out)
}

/// `scheme://host[:port]`, lower-cased, without the default port; `None`
/// for anything that is not an http(s) origin.
pub(super) fn normalize_origin(s: &str) -> Option<String> {
    let url = reqwest::Url::parse(s).ok()?;
    let plain = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    if !matches!(url.scheme(), "http" | "https") || !plain || !url.username().is_empty() {
        return None;
    }
    let origin = url.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// Whether a request from `origin` (its `Origin` header, when a browser
/// sent one) may use an inbox with these settings.
pub(super) fn origin_allowed(settings: &Value, origin: Option<&str>) -> bool {
    let Some(origin) = origin else {
        // Not a browser on another site: servers and apps use the API
        // directly, with the visitor's token.
        return true;
    };
    let Some(norm) = normalize_origin(origin) else {
        return false;
    };
    settings
        .get("allowed_origins")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .any(|o| o == "*" || o == norm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalized_and_checked() {
        assert_eq!(
            normalize_origin("HTTPS://Loja.com.br/").as_deref(),
            Some("https://loja.com.br")
        );
        assert_eq!(
            normalize_origin("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            normalize_origin("https://loja.com.br:443").as_deref(),
            Some("https://loja.com.br")
        );
        for bad in [
            "loja.com.br",
            "ftp://loja.com.br",
            "https://loja.com.br/contato",
            "https://u:p@loja.com.br",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(normalize_origin(bad), None, "{bad}");
        }
        let s = json!({"allowed_origins": ["https://loja.com.br"]});
        assert!(origin_allowed(&s, Some("https://loja.com.br")));
        assert!(origin_allowed(&s, None));
        assert!(!origin_allowed(&s, Some("https://evil.example")));
        assert!(!origin_allowed(&s, Some("null")));
        assert!(origin_allowed(
            &json!({"allowed_origins": ["*"]}),
            Some("https://x.io")
        ));
    }

    #[test]
    fn settings_keep_what_a_patch_leaves_out_and_never_return_the_secret() {
        let new = credentials(
            json!({"allowed_origins": ["https://loja.com.br/"], "identity_secret": "0123456789abcdef0", "prechat": {"name": "required"}}),
            None,
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
        assert!(new.external_id.starts_with("wc_"));
        assert_eq!(
            new.settings["allowed_origins"],
            json!(["https://loja.com.br"])
        );
        assert_eq!(new.settings["prechat"]["email"], "off");
        assert_eq!(new.settings["identity_verification"], true);
        assert!(new.settings.get("identity_secret").is_none());
        let patched = credentials(
            json!({"greeting": "Olá!", "identity_verification": false}),
            Some((&new.settings, &new.secrets)),
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(patched.external_id, new.external_id);
        assert_eq!(
            patched.settings["allowed_origins"],
            new.settings["allowed_origins"]
        );
        assert_eq!(patched.settings["greeting"], "Olá!");
        assert_eq!(patched.settings["identity_verification"], false);
        assert!(patched.secrets.get("identity_secret").is_none());
    }

    #[test]
    fn bad_settings_are_refused_with_why() {
        for bad in [
            json!({}),
            json!({"allowed_origins": []}),
            json!({"allowed_origins": ["loja"]}),
            json!({"allowed_origins": ["*"], "color": "blue"}),
            json!({"allowed_origins": ["*"], "identity_secret": "short"}),
            json!({"allowed_origins": ["*"], "identity_verification": true}),
            json!({"allowed_origins": ["*"], "prechat": {"name": "maybe"}}),
            json!({"allowed_origins": ["*"], "nope": 1}),
        ] {
            assert!(credentials(bad.clone(), None).is_err(), "{bad}");
        }
    }
}
