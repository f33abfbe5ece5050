use std::time::Duration;

use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use crate::helpers::{Session, TestApp};

/// The site the widget is embedded in.
pub const SITE: &str = "https://loja.example";

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A server with one widget inbox that `SITE` may embed.
pub struct Wc {
    pub app: TestApp,
    pub admin: Session,
    pub inbox_id: String,
    pub http: reqwest::Client,
}

/// An answer: status and JSON body.
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

/// A visitor's session.
pub struct Visitor {
    pub contact_id: String,
    pub conversation_id: String,
    pub token: String,
}

impl Wc {
    pub async fn start() -> Wc {
        Wc::start_with(json!({"allowed_origins": [SITE]})).await
    }

    /// Starts with the inbox's `widget` settings.
    pub async fn start_with(widget: Value) -> Wc {
        let app = TestApp::spawn().await;
        let admin = app.admin().await;
        let r = admin
            .post(
                "/api/v1/inboxes",
                json!({"name": "Site", "channel": "widget", "widget": widget}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let inbox: Value = r.json().await.unwrap();
        Wc {
            app,
            admin,
            inbox_id: inbox["id"].as_str().unwrap().to_string(),
            http: reqwest::Client::new(),
        }
    }

    /// A visitor API call from `SITE`, with `token` when given.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        self.call_from(Some(SITE), method, path, token, body).await
    }

    pub async fn call_from(
        &self,
        origin: Option<&str>,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut req = self.http.request(method, self.app.url(path));
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap_or_default();
        Answer {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
            headers,
        }
    }

    /// A new visitor with the pre-chat form's `fields`.
    pub async fn visitor(&self, fields: Value) -> Visitor {
        let a = self
            .call(
                reqwest::Method::POST,
                &format!("/widget/v1/inboxes/{}/contacts", self.inbox_id),
                None,
                Some(fields),
            )
            .await;
        assert!(
            a.status == 201 || a.status == 200,
            "{}: {}",
            a.status,
            a.body
        );
        Visitor {
            contact_id: a.body["contact_id"].as_str().unwrap().to_string(),
            conversation_id: a.body["conversation_id"].as_str().unwrap().to_string(),
            token: a.body["session_token"].as_str().unwrap().to_string(),
        }
    }

    /// The visitor sends `body` to their conversation.
    pub async fn send(&self, v: &Visitor, body: Value) -> Answer {
        self.call(
            reqwest::Method::POST,
            &format!("/widget/v1/conversations/{}/messages", v.conversation_id),
            Some(&v.token),
            Some(body),
        )
        .await
    }

    /// The visitor writes `text`; returns the stored message.
    pub async fn says(&self, v: &Visitor, text: &str) -> Value {
        let a = self
            .send(
                v,
                json!({"client_message_id": uuid::Uuid::new_v4().to_string(), "text": text}),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
        a.body
    }

    /// The visitor's history (one page).
    pub async fn history(&self, v: &Visitor) -> Value {
        let a = self
            .call(
                reqwest::Method::GET,
                &format!("/widget/v1/conversations/{}/messages", v.conversation_id),
                Some(&v.token),
                None,
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.body);
        a.body
    }

    /// An agent's reply in the visitor's chat; returns the stored message.
    pub async fn agent_says(&self, v: &Visitor, body: Value) -> Value {
        let r = self
            .admin
            .post(
                &format!("/api/v1/conversations/{}/messages", v.conversation_id),
                body,
            )
            .await;
        assert_eq!(r.status(), 202);
        r.json().await.unwrap()
    }

    /// The visitor's stream, authenticated; returns it after `hello`.
    pub async fn stream(&self, v: &Visitor) -> Ws {
        let mut ws = self.connect(&v.conversation_id, Some(SITE)).await;
        let auth = json!({"type": "auth", "token": v.token}).to_string();
        ws.send_text(auth).await;
        let hello = next_frame(&mut ws).await;
        assert_eq!(hello["type"], "hello", "{hello}");
        ws
    }

    /// Opens the stream's socket (not yet authenticated).
    pub async fn connect(&self, conv: &str, origin: Option<&str>) -> Ws {
        let url = format!(
            "{}/widget/v1/conversations/{conv}/stream",
            self.app
                .url("")
                .replacen("http://", "ws://", 1)
                .trim_end_matches('/')
        );
        let mut req = url.into_client_request().unwrap();
        if let Some(o) = origin {
            req.headers_mut().insert("origin", o.parse().unwrap());
        }
        let (ws, resp) = connect_async(req).await.expect("WebSocket upgrade");
        assert_eq!(resp.status().as_u16(), 101);
        ws
    }

    /// Polls `f` until it returns Some (up to 10 s).
    pub async fn until<T>(&self, mut f: impl AsyncFnMut() -> Option<T>) -> T {
        for _ in 0..200 {
            if let Some(v) = f().await {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("condition not reached in 10 s");
    }

    /// The agent's view of a message of the visitor's chat.
    pub async fn agent_view(&self, v: &Visitor, id: &str) -> Option<Value> {
        self.admin
            .messages(&v.conversation_id)
            .await
            .into_iter()
            .find(|m| m["id"] == id)
    }
}

/// Sending text on a socket.
pub trait SendText {
    async fn send_text(&mut self, text: String);
}

impl SendText for Ws {
    async fn send_text(&mut self, text: String) {
        use futures::SinkExt;
        self.send(Message::Text(text.into())).await.unwrap();
    }
}

/// The next JSON text frame (control frames skipped), within 10 s.
pub async fn next_frame(ws: &mut Ws) -> Value {
    use futures::StreamExt;
    loop {
        let m = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("a frame within 10 s")
            .expect("the stream is open")
            .expect("a frame");
        match m {
            Message::Text(t) => return serde_json::from_str(&t).unwrap(),
            Message::Close(c) => {
                return json!({"type": "close", "code": c.map(|c| u16::from(c.code))});
            }
            _ => continue,
        }
    }
}

/// The next frame of `kind` (others skipped).
pub async fn frame_of(ws: &mut Ws, kind: &str) -> Value {
    loop {
        let f = next_frame(ws).await;
        if f["type"] == kind {
            return f;
        }
        assert_ne!(f["type"], "close", "closed while waiting for {kind}: {f}");
    }
}
