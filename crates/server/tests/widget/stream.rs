//! The visitor's stream: authenticated by its first frame, live messages
//! both ways, receipts and typing.

use serde_json::json;
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::support::{SITE, SendText, Wc, frame_of, next_frame};

#[tokio::test]
async fn a_stream_needs_the_visitors_token_first_and_an_allowed_site() {
    let wc = Wc::start().await;
    let v = wc.visitor(json!({})).await;
    let mut ws = wc.connect(&v.conversation_id, Some(SITE)).await;
    ws.send_text(json!({"type": "auth", "token": "forged"}).to_string())
        .await;
    assert_eq!(
        next_frame(&mut ws).await,
        json!({"type": "close", "code": 4401})
    );
    let mut ws = wc.connect(&v.conversation_id, Some(SITE)).await;
    ws.send_text(json!({"type": "ping"}).to_string()).await;
    assert_eq!(next_frame(&mut ws).await["code"], 4401, "auth comes first");
    let w = wc.visitor(json!({})).await;
    let mut ws = wc.connect(&v.conversation_id, Some(SITE)).await;
    ws.send_text(json!({"type": "auth", "token": w.token}).to_string())
        .await;
    assert_eq!(
        next_frame(&mut ws).await["code"],
        4401,
        "another visitor's conversation"
    );
    let mut ws = wc
        .connect(&v.conversation_id, Some("https://evil.example"))
        .await;
    ws.send_text(json!({"type": "auth", "token": v.token}).to_string())
        .await;
    assert_eq!(next_frame(&mut ws).await["code"], 4403);
    let mut ws = wc.stream(&v).await;
    ws.send_text(json!({"type": "ping"}).to_string()).await;
    assert_eq!(next_frame(&mut ws).await, json!({"type": "pong"}));
}

#[tokio::test]
async fn messages_receipts_and_typing_go_live_both_ways() {
    let wc = Wc::start().await;
    let v = wc.visitor(json!({"name": "Lia"})).await;
    let mut ws = wc.stream(&v).await;
    // The visitor's own message comes back on the stream (WC-2's shape).
    let mine = wc.says(&v, "Hi, I need help with billing").await;
    let echo = frame_of(&mut ws, "message.created").await;
    assert_eq!(echo["message"]["id"], mine["id"]);
    assert_eq!(echo["message"]["sender"], "contact");
    assert_eq!(
        echo["message"]["conversation_id"],
        v.conversation_id.as_str()
    );
    assert_eq!(echo["message"]["attachments"], json!([]));
    assert!(
        echo["message"]["created_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    // An agent's reply arrives live; a note never does.
    wc.agent_says(&v, json!({"text": "nota interna", "internal": true}))
        .await;
    let reply = wc.agent_says(&v, json!({"text": "Olá, Lia!"})).await;
    let got = frame_of(&mut ws, "message.created").await;
    assert_eq!(
        got["message"]["id"], reply["id"],
        "the note was skipped: {got}"
    );
    assert_eq!(got["message"]["sender"], "agent");
    // Shown to a connected visitor: delivered; read when they say so.
    let id = reply["id"].as_str().unwrap();
    wc.until(async || {
        wc.agent_view(&v, id)
            .await
            .filter(|m| m["status"] == "delivered")
    })
    .await;
    ws.send_text(json!({"type": "read", "up_to": id}).to_string())
        .await;
    wc.until(async || {
        wc.agent_view(&v, id)
            .await
            .filter(|m| m["status"] == "read")
    })
    .await;
    let status = frame_of(&mut ws, "message.status").await;
    assert_eq!(status["id"], reply["id"]);

    // The agent reads the chat: the visitor's message shows read.
    let r = wc
        .admin
        .post_empty(&format!("/api/v1/conversations/{}/read", v.conversation_id))
        .await;
    assert_eq!(r.status(), 204);
    loop {
        let f = frame_of(&mut ws, "message.status").await;
        if f["id"] == mine["id"] {
            assert_eq!(f["status"], "read");
            break;
        }
    }

    // Typing: the visitor's reaches the agent's console, the agent's the
    // visitor.
    let cookie = wc.app.session_cookie(&wc.app.admin_email).await;
    let mut req = wc.app.ws_url().into_client_request().unwrap();
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    let (mut console, _) = connect_async(req).await.unwrap();
    let hello = next_frame(&mut console).await;
    assert_eq!(hello["type"], "hello");
    ws.send_text(json!({"type": "typing", "on": true}).to_string())
        .await;
    let t = frame_of(&mut console, "typing").await;
    assert_eq!(
        t,
        json!({"type": "typing", "conversation_id": v.conversation_id, "sender": "contact", "on": true})
    );
    console
        .send_text(
            json!({"type": "typing", "conversation_id": v.conversation_id, "on": true}).to_string(),
        )
        .await;
    let t = frame_of(&mut ws, "typing").await;
    assert_eq!(t, json!({"type": "typing", "sender": "agent", "on": true}));
}
