//! Graph API URLs. The base (`https://graph.facebook.com`) and the version
//! are configuration, so tests can point them at a loopback fake.

use std::fmt::Write;

/// The Graph API version used when none is configured.
pub const DEFAULT_VERSION: &str = "v25.0";

/// Fields requested when listing templates.
const TEMPLATE_FIELDS: &str = "name,status,category,language,components,parameter_format";

/// `{base}/{version}/{node}/{edge}`, tolerating slashes around base and
/// version and percent-encoding the node id (it may come from a webhook).
fn graph_url(base: &str, version: &str, node: &str, edge: Option<&str>) -> String {
    let mut url = format!(
        "{}/{}/{}",
        base.trim_end_matches('/'),
        version.trim_matches('/'),
        encode(node)
    );
    if let Some(edge) = edge {
        url.push('/');
        url.push_str(edge);
    }
    url
}

/// `POST` here to send a message, mark it read or show typing.
pub fn messages_url(base: &str, version: &str, phone_number_id: &str) -> String {
    graph_url(base, version, phone_number_id, Some("messages"))
}

/// `GET` here to learn a media's short-lived download URL; `DELETE` to delete it.
pub fn media_url(base: &str, version: &str, media_id: &str) -> String {
    graph_url(base, version, media_id, None)
}

/// `POST` multipart here to upload media for sending.
pub fn upload_url(base: &str, version: &str, phone_number_id: &str) -> String {
    graph_url(base, version, phone_number_id, Some("media"))
}

/// `GET` here to list a WABA's templates, 100 per page; `after` is the cursor
/// of the previous page ([`super::parse_templates_page`]).
pub fn templates_url(base: &str, version: &str, waba_id: &str, after: Option<&str>) -> String {
    let mut url = graph_url(base, version, waba_id, Some("message_templates"));
    url.push_str("?fields=");
    url.push_str(TEMPLATE_FIELDS);
    url.push_str("&limit=100");
    if let Some(cursor) = after {
        url.push_str("&after=");
        url.push_str(&encode(cursor));
    }
    url
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so base64
/// cursors (`+ / =`) and odd ids survive in a query or a path segment.
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
