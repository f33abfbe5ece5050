//! Response headers that keep hostile content and other sites away from the
//! console (DESIGN §8): a strict Content-Security-Policy on everything the
//! server answers, no framing, no MIME sniffing, no referrer.
//!
//! A response that sets its own policy keeps it: media served to agents
//! carries a sandboxing one (`crate::media`), since a customer's file must
//! never run as the console.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The console and the API: the app's own origin only, no inline script.
/// Inline styles stay allowed: Svelte transitions and the flow editor set
/// `style` attributes. `connect-src 'self'` covers the same-origin WebSocket.
pub const APP_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; \
    connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; \
    form-action 'self'; frame-ancestors 'none'";

/// A customer's file opened in a tab: no script, no plugin, no form, no
/// framing, no same-origin rights (`sandbox`), only itself to show.
pub const MEDIA_POLICY: &str = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; \
    style-src 'unsafe-inline'; frame-ancestors 'none'";

/// Adds the security headers to every response that lacks them.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    // A response with a policy of its own says who may frame it
    // (`frame-ancestors`: the widget's chat page lets the inbox's sites).
    let framed_by_policy = h
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|p| p.to_str().ok())
        .is_some_and(|p| p.contains("frame-ancestors") && !p.contains("frame-ancestors 'none'"));
    if !framed_by_policy {
        set(h, header::X_FRAME_OPTIONS, "DENY");
    }
    set(h, header::CONTENT_SECURITY_POLICY, APP_POLICY);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        h,
        HeaderName::from_static("permissions-policy"),
        "camera=(), geolocation=(), microphone=(self), payment=(), usb=()",
    );
    res
}

/// A MIME type without its parameters, lower-cased (`Image/PNG; q=1` →
/// `image/png`).
pub fn mime_base(mime: &str) -> String {
    mime.split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Media types a browser may show inline without running anything: common
/// raster images, audio and video. SVG, HTML, XML, PDF and everything else
/// is served as an attachment.
pub fn safe_inline(mime: &str) -> bool {
    let base = mime_base(mime);
    matches!(
        base.as_str(),
        "image/jpeg"
            | "image/png"
            | "image/gif"
            | "image/webp"
            | "image/bmp"
            | "image/avif"
            | "audio/ogg"
            | "audio/mpeg"
            | "audio/mp4"
            | "audio/aac"
            | "audio/amr"
            | "audio/wav"
            | "audio/webm"
            | "audio/x-m4a"
            | "video/mp4"
            | "video/3gpp"
            | "video/webm"
            | "video/quicktime"
    )
}

/// A `Content-Disposition` value for a customer's file: `inline` only for
/// safe types, the name reduced to a plain ASCII fallback plus its UTF-8
/// form (RFC 6266 / RFC 8187), so no quote, control character or path
/// separator reaches the header.
pub fn disposition(mime: &str, filename: Option<&str>) -> HeaderValue {
    let kind = if safe_inline(mime) {
        "inline"
    } else {
        "attachment"
    };
    let name = filename
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or_default())
        .map(|n| n.chars().filter(|c| !c.is_control()).collect::<String>())
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let Some(name) = name else {
        return HeaderValue::from_static(if safe_inline(mime) {
            "inline"
        } else {
            "attachment"
        });
    };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " .-_()[]+,".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_raster_audio_and_video_are_shown_inline() {
        for ok in [
            "image/jpeg",
            "image/PNG",
            "audio/ogg; codecs=opus",
            "video/mp4",
        ] {
            assert!(safe_inline(ok), "{ok}");
        }
        for bad in [
            "image/svg+xml",
            "text/html",
            "application/xhtml+xml",
            "text/xml",
            "application/pdf",
            "application/octet-stream",
            "text/plain",
            "",
        ] {
            assert!(!safe_inline(bad), "{bad}");
        }
    }

    #[test]
    fn a_hostile_file_name_cannot_break_the_header() {
        let v = disposition("text/html", Some("a\"; filename=x.html\r\n.svg"));
        let s = v.to_str().unwrap();
        assert!(s.starts_with("attachment; filename=\"a__ filename_x.html.svg\"; filename*="));
        assert!(!s.contains('\r') && !s.contains('\n'));
        assert_eq!(s.matches('"').count(), 2);
        let v = disposition("image/png", Some("../../etc/foto São.png"));
        assert_eq!(
            v.to_str().unwrap(),
            "inline; filename=\"foto S_o.png\"; filename*=UTF-8''foto%20S%C3%A3o.png"
        );
        assert_eq!(disposition("image/svg+xml", None), "attachment");
    }
}
