//! Media: retrieve, signed expiring download URLs, upload, delete.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::time::Duration;

async fn retrieve(
    client: &reqwest::Client,
    graph: &atende_testkit::FakeGraph,
    id: &str,
    token: Option<&str>,
) -> (u16, Value) {
    let (status, bytes) = get(client, &format!("{}/v25.0/{id}", graph.base_url()), token).await;
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn added_media_can_be_retrieved_and_downloaded_with_the_bearer() {
    let (graph, client) = (graph().await, client());
    let bytes = b"\xff\xd8\xff\xe0 fake jpeg".to_vec();
    let id = graph.add_media(bytes.clone(), "image/jpeg");

    let (status, meta) = retrieve(&client, &graph, &id, Some(TOKEN)).await;
    assert_eq!(status, 200, "{meta}");
    assert_eq!(meta["messaging_product"], "whatsapp");
    assert_eq!(meta["id"], id.as_str());
    assert_eq!(meta["mime_type"], "image/jpeg");
    assert_eq!(meta["file_size"], bytes.len().to_string());
    assert_eq!(meta["sha256"], STANDARD.encode(Sha256::digest(&bytes)));
    let url = meta["url"].as_str().unwrap_or_default().to_owned();
    assert!(
        url.starts_with(&format!("{}/download/{id}?exp=", graph.base_url())),
        "{url}"
    );
    assert!(url.contains("&sig="));

    let resp = client
        .get(&url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "image/jpeg");
    assert_eq!(resp.bytes().await.expect("bytes").to_vec(), bytes);

    assert_eq!(get(&client, &url, None).await.0, 401);
    assert_eq!(get(&client, &url, Some("wrong")).await.0, 401);

    let flipped = if url.ends_with('0') { '1' } else { '0' };
    let tampered = format!("{}{flipped}", &url[..url.len() - 1]);
    assert_eq!(get(&client, &tampered, Some(TOKEN)).await.0, 404);
    let exp: i64 = url
        .split("exp=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let extended = url.replace(&format!("exp={exp}"), &format!("exp={}", exp + 60_000));
    assert_eq!(
        get(&client, &extended, Some(TOKEN)).await.0,
        404,
        "changing exp breaks the signature"
    );
    let other = graph.add_media(b"other".to_vec(), "text/plain");
    assert_eq!(
        get(&client, &url.replace(&id, &other), Some(TOKEN)).await.0,
        404
    );
    let no_query = url.split('?').next().unwrap_or_default().to_owned();
    assert_eq!(get(&client, &no_query, Some(TOKEN)).await.0, 404);
}

#[tokio::test]
async fn download_urls_expire_after_the_ttl() {
    let (graph, client) = (graph().await, client());
    graph.set_media_url_ttl(Duration::from_millis(200));
    let id = graph.add_media(b"voice".to_vec(), "audio/ogg; codecs=opus");
    let (_, meta) = retrieve(&client, &graph, &id, Some(TOKEN)).await;
    let url = meta["url"].as_str().unwrap_or_default().to_owned();
    let (status, body) = get(&client, &url, Some(TOKEN)).await;
    assert_eq!((status, body.as_slice()), (200, b"voice".as_slice()));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(get(&client, &url, Some(TOKEN)).await.0, 404);
    let (_, fresh) = retrieve(&client, &graph, &id, Some(TOKEN)).await;
    let fresh = fresh["url"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        get(&client, &fresh, Some(TOKEN)).await.0,
        200,
        "a refetched URL works"
    );
}

#[tokio::test]
async fn retrieve_needs_a_known_token_and_id() {
    let (graph, client) = (graph().await, client());
    let id = graph.add_media(b"x".to_vec(), "text/plain");
    assert_eq!(retrieve(&client, &graph, &id, None).await.0, 401);
    assert_eq!(retrieve(&client, &graph, &id, Some("nope")).await.0, 401);
    let (status, body) = retrieve(&client, &graph, "123456", Some(TOKEN)).await;
    assert_eq!((status, body["error"]["code"].as_i64()), (404, Some(100)));
}

/// A multipart/form-data body built by hand (reqwest's multipart feature is off).
fn multipart(boundary: &str, product: &str, mime: &str, file: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    let part = |name: &str, value: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
    };
    body.extend(part("messaging_product", product).into_bytes());
    body.extend(part("type", mime).into_bytes());
    body.extend(format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"nota.pdf\"\r\nContent-Type: {mime}\r\n\r\n"
    ).into_bytes());
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    body
}

async fn upload(
    client: &reqwest::Client,
    graph: &atende_testkit::FakeGraph,
    token: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let resp = client
        .post(format!("{}/v25.0/{PHONE}/media", graph.base_url()))
        .bearer_auth(token)
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .body(body)
        .send()
        .await
        .expect("answer");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn multipart_upload_stores_bytes_and_can_be_deleted() {
    let (graph, client) = (graph().await, client());
    let pdf = b"%PDF-1.7\n\x00\x01binary\r\n--not-a-boundary".to_vec();
    let (status, body) = upload(
        &client,
        &graph,
        TOKEN,
        multipart("XyZ", "whatsapp", "application/pdf", &pdf),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id = body["id"].as_str().unwrap_or_default().to_owned();
    assert!(!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(
        graph.uploaded(&id),
        Some((pdf.clone(), "application/pdf".to_owned()))
    );
    let recorded = graph.requests();
    assert_eq!(recorded[0].path, format!("/v25.0/{PHONE}/media"));
    assert!(
        recorded[0].body.is_null(),
        "multipart bodies are recorded as Null"
    );

    let (status, _) = upload(
        &client,
        &graph,
        "wrong",
        multipart("XyZ", "whatsapp", "application/pdf", &pdf),
    )
    .await;
    assert_eq!(status, 401);
    let (status, body) = upload(
        &client,
        &graph,
        TOKEN,
        multipart("XyZ", "telegram", "application/pdf", &pdf),
    )
    .await;
    assert_eq!((status, body["error"]["code"].as_i64()), (400, Some(100)));

    let url = format!("{}/v25.0/{id}", graph.base_url());
    let resp = client
        .delete(&url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.json::<Value>().await.ok(),
        Some(serde_json::json!({"success": true}))
    );
    assert_eq!(graph.uploaded(&id), None);
    let again = client
        .delete(&url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("answer");
    assert_eq!(again.status().as_u16(), 404);
}
