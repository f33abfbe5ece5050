//! Values the fake records and holds.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// One request the fake received, with what it answered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordedRequest {
    /// HTTP method, e.g. `"POST"`.
    pub method: String,
    /// Path without the query string, e.g. `"/v25.0/106540352242922/messages"`.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// The `Authorization` header as sent, e.g. `"Bearer EAAG…"`.
    pub authorization: Option<String>,
    /// The request body parsed as JSON; `Null` when it isn't JSON (multipart, empty).
    pub body: Value,
    /// The HTTP status the fake answered.
    pub status: u16,
    /// The response body parsed as JSON; `Null` when it isn't JSON (downloads).
    pub response: Value,
    /// The `Idempotency-Key` header, if sent.
    pub idempotency_key: Option<String>,
}

impl RecordedRequest {
    /// The wamid the fake assigned to a successful send (`messages[0].id`).
    pub fn wamid(&self) -> Option<&str> {
        self.response["messages"][0]["id"].as_str()
    }

    /// The `message_id` (`m_…`) the fake assigned to a successful Messenger
    /// or Instagram send.
    pub fn message_id(&self) -> Option<&str> {
        self.response["message_id"].as_str()
    }

    /// The Send API recipient (`recipient.id`, the PSID or IGSID).
    pub fn recipient_id(&self) -> Option<&str> {
        self.body["recipient"]["id"].as_str()
    }
}

/// A send the fake took, recorded the moment it was taken, whether or not
/// its answer reached the client (see [`crate::FakeGraph::set_answer_delay`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AcceptedSend {
    /// The phone number id it was sent from (for the Send API: the page or
    /// Instagram account id).
    pub phone_number_id: String,
    /// The wamid the fake assigned (for the Send API: the `m_…` message id).
    pub wamid: String,
    /// The `biz_opaque_callback_data` the client attached, if any (for the
    /// Send API: `message.metadata`).
    pub callback_data: Option<String>,
    /// The request body.
    pub body: Value,
}

/// A message template of a WABA as the fake lists and checks it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FakeTemplate {
    /// Template id (numeric string in Graph).
    pub id: String,
    /// Template name, e.g. `"pedido_enviado"`.
    pub name: String,
    /// Language code, e.g. `"pt_BR"`.
    pub language: String,
    /// `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, … Only `APPROVED` ones can be sent.
    pub status: String,
    /// `MARKETING`, `UTILITY` or `AUTHENTICATION`.
    pub category: String,
    /// The create-side components (`HEADER`, `BODY`, `FOOTER`, `BUTTONS`, …).
    pub components: Value,
}

impl FakeTemplate {
    /// An approved `UTILITY` template with a single-parameter body, with a
    /// random numeric id.
    pub fn approved(name: &str, language: &str) -> FakeTemplate {
        FakeTemplate {
            id: crate::graph::numeric_id(),
            name: name.to_owned(),
            language: language.to_owned(),
            status: "APPROVED".to_owned(),
            category: "UTILITY".to_owned(),
            components: json!([
                {"type": "BODY", "text": "Olá {{1}}, temos novidades sobre o seu atendimento.",
                 "example": {"body_text": [["Maria"]]}}
            ]),
        }
    }
}
