//! What a customer sends is hostile (DESIGN §8): their files never run as
//! the console, and links they (or an ad) carry keep only http(s).

use serde_json::{Value, json};

use crate::support::Wa;

const ANA: &str = "5511987654321";

/// The stored file of a media message the customer sent, once downloaded.
async fn served(wa: &Wa, kind: &str, bytes: &[u8], mime: &str) -> reqwest::Response {
    let media_id = wa.graph.add_media(bytes.to_vec(), mime);
    let (_, mut payload) = wa
        .sim
        .media_payload(ANA, "Ana", kind, &media_id, mime, None);
    if kind == "document" {
        payload["entry"][0]["changes"][0]["value"]["messages"][0]["document"]["filename"] =
            json!("fatura\"; x=\r\n.html");
    }
    assert_eq!(wa.sim.post(&wa.http, &payload).await.status, 200);
    let conv = wa.conversations().await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let media = wa
        .until(async || {
            let msgs = wa.messages(&conv).await;
            let m = msgs
                .into_iter()
                .find(|m| m["kind"] == kind && m["media"]["status"] == "stored")?;
            Some(m["media"].clone())
        })
        .await;
    wa.http
        .get(media["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
}

/// A customer's SVG or HTML file is served as an attachment, sandboxed and
/// never sniffed: opening it from the console runs nothing.
#[tokio::test]
async fn a_customers_svg_or_html_file_is_never_served_as_a_page() {
    let wa = Wa::start().await;
    let svg =
        br#"<svg xmlns="http://www.w3.org/2000/svg"><script>fetch('/api/v1/me')</script></svg>"#;
    let r = served(&wa, "image", svg, "image/svg+xml").await;
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_ne!(h["content-type"], "image/svg+xml");
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("sandbox")
    );

    let wa = Wa::start().await;
    let html = b"<html><script>alert(document.cookie)</script></html>";
    let r = served(&wa, "document", html, "text/html").await;
    let h = r.headers().clone();
    let d = h["content-disposition"].to_str().unwrap();
    assert!(d.starts_with("attachment; filename=\""), "{d}");
    assert_eq!(d.matches('"').count(), 2, "the name cannot break out: {d}");
    assert!(!d.contains('\r') && !d.contains('\n'));
    assert_eq!(h["content-type"], "application/octet-stream");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("sandbox")
    );
}

/// Pictures, audio and video are still shown in the conversation.
#[tokio::test]
async fn a_customers_photo_is_still_shown_inline() {
    let wa = Wa::start().await;
    let r = served(&wa, "image", b"\x89PNG bytes", "image/png").await;
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap_or("inline")
            .starts_with("inline")
            || !h.contains_key("content-disposition")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
}

/// A `javascript:` link in a click-to-WhatsApp referral is dropped before
/// anything stores or shows it.
#[tokio::test]
async fn a_referral_keeps_only_web_links() {
    let wa = Wa::start().await;
    let (_, mut payload) = wa.sim.text_payload(ANA, "Ana", "Vi o anúncio");
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["referral"] = json!({
        "source_url": "javascript:fetch('/api/v1/me')",
        "source_id": "120201",
        "source_type": "ad",
        "headline": "Promoção",
        "image_url": "https://scontent.example/ad.jpg"
    });
    assert_eq!(wa.sim.post(&wa.http, &payload).await.status, 200);
    let conv = wa.conversations().await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let msgs = wa.messages(&conv).await;
    let m: &Value = msgs.iter().find(|m| m["direction"] == "in").unwrap();
    let referral = &m["payload"]["referral"];
    assert_eq!(referral["source_id"], "120201", "{m}");
    assert!(referral.get("source_url").is_none(), "{referral}");
    assert_eq!(referral["image_url"], "https://scontent.example/ad.jpg");
    assert!(
        !wa.admin
            .get_json("/api/v1/campaigns")
            .await
            .to_string()
            .contains("javascript:")
    );
}
