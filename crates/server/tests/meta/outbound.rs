use std::time::Duration;

use atende_testkit::InjectedError;
use serde_json::json;

use crate::support::{IG, Mt, PAGE, TOKEN};

/// A customer whose last message was `hours` ago writes first; returns
/// their conversation.
async fn customer(mt: &Mt, user: &str, hours: i64) -> String {
    let (mut d, _) = mt.messenger.text(user, "Oi");
    let at = chrono::Utc::now().timestamp_millis() - hours * 3_600_000;
    d["entry"][0]["messaging"][0]["timestamp"] = json!(at);
    mt.post(&mt.messenger, &d).await;
    mt.conversation_on("messenger").await
}

#[tokio::test]
async fn a_reply_reaches_the_send_api_with_the_exact_body() {
    let mt = Mt::start().await;
    let user = "6754893210987654";
    let conv = customer(&mt, user, 0).await;
    let msg = mt
        .reply(&conv, json!({"text": "Olá {nome}, já vejo."}))
        .await;
    let sent = mt.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(
        sent[0].path,
        format!("/{}/{PAGE}/messages", mt.graph.version())
    );
    assert_eq!(
        sent[0].authorization.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(
        sent[0].body,
        json!({"recipient": {"id": user}, "messaging_type": "RESPONSE", "message": {"text": msg["text"]}})
    );
    let m = mt
        .message_when(&conv, msg["id"].as_str().unwrap(), |m| {
            m["status"] == "sent"
        })
        .await;
    assert_eq!(m["provider_id"].as_str(), sent[0].message_id());
}

#[tokio::test]
async fn after_a_day_a_person_replies_with_human_agent_and_after_a_week_nobody() {
    let mt = Mt::start().await;
    let user = "6754893210987655";
    let conv = customer(&mt, user, 30).await;
    mt.graph.close_window(PAGE, user);
    assert_eq!(mt.admin.conversation(&conv).await["window"], "open");
    let msg = mt.reply(&conv, json!({"text": "Desculpe a demora"})).await;
    let sent = mt.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(sent[0].body["messaging_type"], "MESSAGE_TAG");
    assert_eq!(sent[0].body["tag"], "HUMAN_AGENT");
    mt.message_when(&conv, msg["id"].as_str().unwrap(), |m| {
        m["status"] == "sent"
    })
    .await;

    let mt = Mt::start().await;
    let conv = customer(&mt, user, 8 * 24).await;
    assert_eq!(mt.admin.conversation(&conv).await["window"], "expired");
    let r = mt
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "Oi?"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "session_expired");
}

#[tokio::test]
async fn meta_errors_end_as_channels_md_says() {
    let mt = Mt::start_with(|c| c.job_retry_base_ms = 20).await;
    let user = "6754893210987656";
    let conv = customer(&mt, user, 0).await;
    // Outside the window (Meta's clock disagrees with ours): failed, why.
    mt.graph.inject_error(PAGE, InjectedError::messenger(10));
    let msg = mt.reply(&conv, json!({"text": "Um"})).await;
    let m = mt
        .message_when(&conv, msg["id"].as_str().unwrap(), |m| {
            m["status"] == "failed"
        })
        .await;
    assert_eq!(m["error_code"], "10/2018278");
    assert!(m["error_text"].as_str().unwrap().contains("janela"), "{m}");
    // The person is unavailable: failed, not retried.
    mt.graph.inject_error(PAGE, InjectedError::messenger(551));
    let msg = mt.reply(&conv, json!({"text": "Dois"})).await;
    let m = mt
        .message_when(&conv, msg["id"].as_str().unwrap(), |m| {
            m["status"] == "failed"
        })
        .await;
    assert!(
        m["error_text"]
            .as_str()
            .unwrap()
            .contains("não está disponível"),
        "{m}"
    );
    // A rate limit is retried until it goes.
    mt.graph
        .inject_error(PAGE, InjectedError::messenger(2).times(2));
    let msg = mt.reply(&conv, json!({"text": "Três"})).await;
    mt.message_when(&conv, msg["id"].as_str().unwrap(), |m| {
        m["status"] == "sent"
    })
    .await;
    // A refused token marks the inbox; a new one clears it.
    mt.graph.set_access_token(PAGE, "EAAG-new");
    let msg = mt.reply(&conv, json!({"text": "Quatro"})).await;
    let m = mt
        .message_when(&conv, msg["id"].as_str().unwrap(), |m| {
            m["status"] == "failed"
        })
        .await;
    assert!(m["error_text"].as_str().unwrap().contains("token"), "{m}");
    let inboxes = mt.admin.get_json("/api/v1/inboxes").await;
    let messenger = inboxes
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["channel"] == "messenger")
        .unwrap()
        .clone();
    assert_eq!(messenger["needs_reauth"], true);
    let r = mt
        .admin
        .patch(
            &format!("/api/v1/inboxes/{}", messenger["id"].as_str().unwrap()),
            json!({"meta": {"access_token": "EAAG-new"}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let msg = mt.reply(&conv, json!({"text": "Cinco"})).await;
    mt.message_when(&conv, msg["id"].as_str().unwrap(), |m| {
        m["status"] == "sent"
    })
    .await;
    let _ = IG;
}

#[tokio::test]
async fn an_upload_goes_as_a_signed_link_and_its_caption_as_text() {
    let mt = Mt::start().await;
    let user = "6754893210987657";
    let conv = customer(&mt, user, 0).await;
    let inboxes = mt.admin.get_json("/api/v1/inboxes").await;
    let inbox = inboxes
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["channel"] == "messenger")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let part = reqwest::multipart::Part::bytes(vec![9u8; 1024])
        .file_name("foto.png")
        .mime_str("image/png")
        .unwrap();
    let r = mt
        .admin
        .client
        .post(mt.app.url(&format!("/api/v1/inboxes/{inbox}/media")))
        .header("x-csrf-token", &mt.admin.csrf)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let up: serde_json::Value = r.json().await.unwrap();
    mt.reply(
        &conv,
        json!({"media": {"kind": "image", "id": up["id"], "caption": "Segue a foto"}}),
    )
    .await;
    let sent = mt.graph.wait_for_sends(2, Duration::from_secs(10)).await;
    let url = sent[0].body["message"]["attachment"]["payload"]["url"]
        .as_str()
        .unwrap();
    assert!(url.starts_with("https://atende.example/media/"), "{url}");
    assert_eq!(sent[0].body["message"]["attachment"]["type"], "image");
    assert_eq!(sent[1].body["message"]["text"], "Segue a foto");
}
