//! Webhook envelopes: inbound messages, statuses, batches.

use super::Simulator;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::Rng;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

impl Simulator {
    /// An inbound text from customer `from_wa_id` (profile name `name`);
    /// returns its new wamid and the whole webhook envelope. The timestamp is
    /// now, in Unix seconds, as a string.
    pub fn text_payload(&self, from_wa_id: &str, name: &str, body: &str) -> (String, Value) {
        let wamid = crate::ids::wamid(from_wa_id, true);
        let message = json!({
            "from": from_wa_id,
            "id": wamid,
            "timestamp": now(),
            "type": "text",
            "text": {"body": body},
        });
        (wamid, self.message_envelope(from_wa_id, name, message))
    }

    /// A customer's tap on a reply button (`interactive.button_reply`) of a
    /// message the business sent; returns its new wamid and the envelope.
    pub fn button_reply_payload(
        &self,
        from_wa_id: &str,
        name: &str,
        id: &str,
        title: &str,
    ) -> (String, Value) {
        let wamid = crate::ids::wamid(from_wa_id, true);
        let message = json!({
            "from": from_wa_id,
            "id": wamid,
            "timestamp": now(),
            "type": "interactive",
            "interactive": {"type": "button_reply", "button_reply": {"id": id, "title": title}},
        });
        (wamid, self.message_envelope(from_wa_id, name, message))
    }

    /// An inbound media message of `kind` (`image`, `video`, `audio`,
    /// `document`, `sticker`) whose media id is `media_id`, e.g. one from
    /// `FakeGraph::add_media`. Audio in `audio/ogg` is a voice note; documents
    /// get a file name; captions apply to image, video and document.
    pub fn media_payload(
        &self,
        from_wa_id: &str,
        name: &str,
        kind: &str,
        media_id: &str,
        mime: &str,
        caption: Option<&str>,
    ) -> (String, Value) {
        let wamid = crate::ids::wamid(from_wa_id, true);
        let mut media = json!({
            "id": media_id,
            "mime_type": mime,
            "sha256": STANDARD.encode(Sha256::digest(media_id.as_bytes())),
        });
        match kind {
            "audio" => media["voice"] = json!(mime.starts_with("audio/ogg")),
            "sticker" => media["animated"] = json!(false),
            "document" => media["filename"] = json!(format!("documento.{}", extension(mime))),
            _ => {}
        }
        if let Some(caption) = caption.filter(|_| matches!(kind, "image" | "video" | "document")) {
            media["caption"] = json!(caption);
        }
        let mut message = json!({
            "from": from_wa_id,
            "id": wamid,
            "timestamp": now(),
            "type": kind,
        });
        message[kind] = media;
        (wamid, self.message_envelope(from_wa_id, name, message))
    }

    /// A status update for our message `wamid` to `recipient_id`. Without
    /// `error`, `sent`/`delivered`/`read` carry service `conversation` and PMP
    /// `pricing`; with `error` (code, title, details) the status carries
    /// `errors[]` and neither (as Meta sends `failed`).
    pub fn status_payload(
        &self,
        wamid: &str,
        status: &str,
        recipient_id: &str,
        error: Option<(i64, &str, &str)>,
    ) -> Value {
        let mut entry = json!({
            "id": wamid,
            "status": status,
            "timestamp": now(),
            "recipient_id": recipient_id,
        });
        if let Some((code, title, details)) = error {
            entry["errors"] = json!([{
                "code": code,
                "title": title,
                "message": title,
                "error_data": {"details": details},
                "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
            }]);
        } else if status != "failed" {
            entry["conversation"] = json!({"id": conversation_id(), "origin": {"type": "service"}});
            entry["pricing"] = json!({
                "billable": false,
                "pricing_model": "PMP",
                "category": "service",
                "type": "free_customer_service",
            });
        }
        let mut value = self.value_base();
        value.insert("statuses".to_owned(), json!([entry]));
        self.envelope(value)
    }

    /// The `sent` status Meta posts for a send it took: wamid, recipient
    /// and the `biz_opaque_callback_data` the send carried, echoed.
    pub fn sent_status_payload(
        &self,
        wamid: &str,
        recipient_id: &str,
        callback_data: Option<&str>,
    ) -> Value {
        let mut payload = self.status_payload(wamid, "sent", recipient_id, None);
        if let Some(data) = callback_data {
            payload["entry"][0]["changes"][0]["value"]["statuses"][0]["biz_opaque_callback_data"] =
                json!(data);
        }
        payload
    }

    /// Merges envelopes of this number into one POST: one entry, one change,
    /// `messages[]` and `statuses[]` concatenated in order, `contacts[]`
    /// deduplicated.
    ///
    /// # Panics
    /// If a payload is for another phone number.
    pub fn batch(&self, payloads: &[Value]) -> Value {
        let (mut contacts, mut messages, mut statuses) = (Vec::new(), Vec::new(), Vec::new());
        for change in payloads.iter().flat_map(changes) {
            let value = &change["value"];
            assert_eq!(
                value["metadata"]["phone_number_id"].as_str(),
                Some(self.phone_number_id.as_str()),
                "batch() merges only payloads for this simulator's number",
            );
            for contact in items(value, "contacts") {
                if !contacts.iter().any(|c| same_contact(c, contact)) {
                    contacts.push(contact.clone());
                }
            }
            messages.extend(items(value, "messages").cloned());
            statuses.extend(items(value, "statuses").cloned());
        }
        let mut value = self.value_base();
        for (key, list) in [
            ("contacts", contacts),
            ("messages", messages),
            ("statuses", statuses),
        ] {
            if !list.is_empty() {
                value.insert(key.to_owned(), Value::Array(list));
            }
        }
        self.envelope(value)
    }

    /// Puts the entries of several envelopes (possibly of different numbers
    /// and WABAs) into one POST.
    pub fn multi_entry(payloads: &[Value]) -> Value {
        let entries: Vec<Value> = payloads
            .iter()
            .flat_map(|p| p["entry"].as_array().cloned().unwrap_or_default())
            .collect();
        json!({"object": "whatsapp_business_account", "entry": entries})
    }

    fn message_envelope(&self, from_wa_id: &str, name: &str, message: Value) -> Value {
        let mut value = self.value_base();
        value.insert(
            "contacts".to_owned(),
            json!([{"profile": {"name": name}, "wa_id": from_wa_id}]),
        );
        value.insert("messages".to_owned(), json!([message]));
        self.envelope(value)
    }

    fn value_base(&self) -> Map<String, Value> {
        let mut value = Map::new();
        value.insert("messaging_product".to_owned(), json!("whatsapp"));
        value.insert(
            "metadata".to_owned(),
            json!({
                "display_phone_number": self.display_phone_number,
                "phone_number_id": self.phone_number_id,
            }),
        );
        value
    }

    fn envelope(&self, value: Map<String, Value>) -> Value {
        json!({
            "object": "whatsapp_business_account",
            "entry": [{
                "id": self.waba_id,
                "changes": [{"value": Value::Object(value), "field": "messages"}],
            }],
        })
    }
}

fn changes(payload: &Value) -> impl Iterator<Item = &Value> {
    items(payload, "entry").flat_map(|entry| items(entry, "changes"))
}

fn items<'a>(v: &'a Value, key: &str) -> std::slice::Iter<'a, Value> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter())
        .unwrap_or_default()
}

/// Contacts are the same person when they share `wa_id` or `user_id`.
fn same_contact(a: &Value, b: &Value) -> bool {
    ["wa_id", "user_id"].iter().any(|k| {
        a.get(*k)
            .is_some_and(|x| !x.is_null() && Some(x) == b.get(*k))
    })
}

/// The time the simulated provider stamps its messages with (seconds):
/// the real clock, unless a test set one with [`super::set_clock`].
fn now() -> String {
    match super::CLOCK.load(std::sync::atomic::Ordering::SeqCst) {
        i64::MIN => chrono::Utc::now().timestamp(),
        at => at / 1000,
    }
    .to_string()
}

fn conversation_id() -> String {
    let mut rng = rand::rng();
    (0..32)
        .map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16)]))
        .collect()
}

fn extension(mime: &str) -> &str {
    match mime.split(';').next().unwrap_or("").trim() {
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "bin",
    }
}
