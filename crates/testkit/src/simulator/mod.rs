//! Customers writing in: builds WhatsApp webhook envelopes and POSTs them to
//! the server signed with the app secret, byte for byte as Meta does
//! (ASCII-escaped JSON, `X-Hub-Signature-256`; channels.md §1.1–1.5).

mod payloads;

/// The provider's clock when a test sets it (epoch milliseconds; `i64::MIN`:
/// the real clock).
static CLOCK: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(i64::MIN);

/// Stamps the simulated messages with `at` (epoch milliseconds) from now
/// on, for a test that runs the server on a set clock too.
pub fn set_clock(at: i64) {
    CLOCK.store(at, std::sync::atomic::Ordering::SeqCst);
}

pub use crate::conversation;

use crate::ascii_escape_json;
use hmac::{Hmac, Mac};
use reqwest::header::{CONTENT_TYPE, USER_AGENT};
use serde_json::Value;
use sha2::Sha256;
use std::fmt;

/// Meta's webhook deliveries identify themselves with this user agent.
const META_USER_AGENT: &str = "facebookexternalua";

/// A simulated WhatsApp business number whose customers send webhooks to
/// one callback URL. Cheap to clone.
#[derive(Clone)]
pub struct Simulator {
    webhook_url: String,
    app_secret: String,
    phone_number_id: String,
    display_phone_number: String,
    waba_id: String,
}

/// What the server answered a webhook request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookResponse {
    /// HTTP status; `0` when no response arrived (then `body` holds the error).
    pub status: u16,
    /// Response body as text.
    pub body: String,
}

impl fmt::Debug for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Simulator")
            .field("webhook_url", &self.webhook_url)
            .field("app_secret", &"<redacted>")
            .field("phone_number_id", &self.phone_number_id)
            .field("display_phone_number", &self.display_phone_number)
            .field("waba_id", &self.waba_id)
            .finish()
    }
}

impl Simulator {
    /// A simulator for business number `phone_number_id` (shown to customers
    /// as `display_phone_number`) of `waba_id`, posting to `webhook_url` and
    /// signing with `app_secret`.
    pub fn new(
        webhook_url: impl Into<String>,
        app_secret: impl Into<String>,
        phone_number_id: impl Into<String>,
        display_phone_number: impl Into<String>,
        waba_id: impl Into<String>,
    ) -> Simulator {
        Simulator {
            webhook_url: webhook_url.into(),
            app_secret: app_secret.into(),
            phone_number_id: phone_number_id.into(),
            display_phone_number: display_phone_number.into(),
            waba_id: waba_id.into(),
        }
    }

    /// The business number's phone number id (`metadata.phone_number_id`).
    pub fn phone_number_id(&self) -> &str {
        &self.phone_number_id
    }

    /// The WABA id (`entry[].id`).
    pub fn waba_id(&self) -> &str {
        &self.waba_id
    }

    /// The URL webhooks are posted to.
    pub fn webhook_url(&self) -> &str {
        &self.webhook_url
    }

    /// `sha256=<lowercase hex HMAC-SHA256 of body keyed with the app secret>`,
    /// the value of `X-Hub-Signature-256`.
    pub fn sign(&self, body: &[u8]) -> String {
        hub_signature(&self.app_secret, body)
    }

    /// Serializes `payload` as Meta does ([`ascii_escape_json`]), signs it and
    /// POSTs it to the webhook URL.
    pub async fn post(&self, client: &reqwest::Client, payload: &Value) -> WebhookResponse {
        let body = ascii_escape_json(payload).into_bytes();
        let signature = self.sign(&body);
        self.post_raw(client, body, Some(signature)).await
    }

    /// POSTs `body` as is, with `X-Hub-Signature-256: signature` when given
    /// (to test bad or missing signatures and re-encoded bodies).
    pub async fn post_raw(
        &self,
        client: &reqwest::Client,
        body: Vec<u8>,
        signature: Option<String>,
    ) -> WebhookResponse {
        post_hub(client, &self.webhook_url, body, signature.as_deref()).await
    }

    /// The verification handshake: `GET webhook_url?hub.mode=subscribe&
    /// hub.verify_token=…&hub.challenge=…`.
    pub async fn verify(
        &self,
        client: &reqwest::Client,
        verify_token: &str,
        challenge: &str,
    ) -> WebhookResponse {
        hub_handshake(
            client,
            &self.webhook_url,
            "subscribe",
            verify_token,
            challenge,
        )
        .await
    }
}

/// `sha256=<lowercase hex HMAC-SHA256 of body keyed with app_secret>`, the
/// value of `X-Hub-Signature-256` (channels.md §1.2, §2.1).
pub(crate) fn hub_signature(app_secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// POSTs `body` to `url` as Meta does, with `X-Hub-Signature-256:
/// signature` when given.
pub(crate) async fn post_hub(
    client: &reqwest::Client,
    url: &str,
    body: Vec<u8>,
    signature: Option<&str>,
) -> WebhookResponse {
    let mut request = client
        .post(url)
        .header(CONTENT_TYPE, "application/json")
        .header(USER_AGENT, META_USER_AGENT)
        .body(body);
    if let Some(signature) = signature {
        request = request.header("X-Hub-Signature-256", signature);
    }
    respond(request.send().await).await
}

/// The verification handshake Meta makes: `GET url?hub.mode=…&
/// hub.verify_token=…&hub.challenge=…`.
pub(crate) async fn hub_handshake(
    client: &reqwest::Client,
    url: &str,
    mode: &str,
    verify_token: &str,
    challenge: &str,
) -> WebhookResponse {
    let mut url = match reqwest::Url::parse(url) {
        Ok(url) => url,
        Err(e) => {
            return WebhookResponse {
                status: 0,
                body: format!("invalid webhook URL: {e}"),
            };
        }
    };
    url.query_pairs_mut()
        .append_pair("hub.mode", mode)
        .append_pair("hub.verify_token", verify_token)
        .append_pair("hub.challenge", challenge);
    let request = client.get(url).header(USER_AGENT, META_USER_AGENT);
    respond(request.send().await).await
}

/// What the server answered, or the transport error as a status-0 response.
pub(crate) async fn respond(result: reqwest::Result<reqwest::Response>) -> WebhookResponse {
    match result {
        Ok(response) => {
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            WebhookResponse { status, body }
        }
        Err(e) => WebhookResponse {
            status: 0,
            body: e.to_string(),
        },
    }
}
