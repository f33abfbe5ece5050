//! Reading Graph answers about templates and media (channels.md §1.8, §1.9).

use serde_json::Value;

use super::json::{id_at, str_at, u64_of};
use super::webhook::ParseError;

/// One template of a WABA, as listed by `GET …/message_templates`.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateInfo {
    /// Template id.
    pub id: String,
    /// Template name (unique per language).
    pub name: String,
    /// Language code, e.g. `pt_BR` (`""` if absent).
    pub language: String,
    /// `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`… (`""` if absent).
    pub status: String,
    /// `MARKETING`, `UTILITY` or `AUTHENTICATION` (`""` if absent).
    pub category: String,
    /// `POSITIONAL` or `NAMED`.
    pub parameter_format: Option<String>,
    /// The `components` array verbatim (`[]` if absent).
    pub components: Value,
}

/// Media metadata from `GET /{ver}/{media-id}`.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaInfo {
    /// Media id.
    pub id: Option<String>,
    /// Download URL; needs the bearer token and lasts about 5 minutes.
    pub url: String,
    /// MIME type.
    pub mime_type: Option<String>,
    /// Base64 SHA-256 of the file.
    pub sha256: Option<String>,
    /// Size in bytes (a string or a number on the wire).
    pub file_size: Option<u64>,
}

/// Parses a JSON object, or says why the body is not one.
fn json_object(body: &[u8], what: &str) -> Result<Value, ParseError> {
    let json: Value = serde_json::from_slice(body).map_err(|e| ParseError::Json(e.to_string()))?;
    if json.is_object() {
        Ok(json)
    } else {
        Err(ParseError::Shape(format!(
            "{what}: a resposta não é um objeto JSON"
        )))
    }
}

/// Reads one page of `GET …/message_templates`: its templates and, when
/// `paging.next` exists, the `paging.cursors.after` cursor of the next page.
///
/// Templates without an id or name are skipped. A body without a `data`
/// array is an error, so an error answer is never mistaken for "no templates".
pub fn parse_templates_page(
    body: &[u8],
) -> Result<(Vec<TemplateInfo>, Option<String>), ParseError> {
    let json = json_object(body, "lista de modelos")?;
    let Some(Value::Array(data)) = json.get("data") else {
        return Err(ParseError::Shape(
            "lista de modelos: a resposta não tem o campo data".to_owned(),
        ));
    };
    let templates = data
        .iter()
        .filter_map(|t| {
            Some(TemplateInfo {
                id: id_at(t, "id")?,
                name: str_at(t, "name")?,
                language: str_at(t, "language").unwrap_or_default(),
                status: str_at(t, "status").unwrap_or_default(),
                category: str_at(t, "category").unwrap_or_default(),
                parameter_format: str_at(t, "parameter_format"),
                components: match t.get("components") {
                    Some(c @ Value::Array(_)) => c.clone(),
                    _ => Value::Array(Vec::new()),
                },
            })
        })
        .collect();
    let paging = json.get("paging").unwrap_or(&Value::Null);
    let has_next = str_at(paging, "next").is_some_and(|n| !n.is_empty());
    let after = paging
        .get("cursors")
        .and_then(|c| str_at(c, "after"))
        .filter(|a| has_next && !a.is_empty());
    Ok((templates, after))
}

/// Reads `GET /{ver}/{media-id}`; the `url` is required.
pub fn parse_media_info(body: &[u8]) -> Result<MediaInfo, ParseError> {
    let json = json_object(body, "mídia")?;
    let url = str_at(&json, "url")
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ParseError::Shape("mídia: a resposta não tem url".to_owned()))?;
    Ok(MediaInfo {
        id: id_at(&json, "id"),
        url,
        mime_type: str_at(&json, "mime_type"),
        sha256: str_at(&json, "sha256"),
        file_size: json.get("file_size").and_then(u64_of),
    })
}

/// Reads the answer to a media upload, `{"id":"…"}`, into the media id.
pub fn parse_upload_response(body: &[u8]) -> Result<String, ParseError> {
    let json = json_object(body, "envio de mídia")?;
    id_at(&json, "id")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| ParseError::Shape("envio de mídia: a resposta não tem id".to_owned()))
}
