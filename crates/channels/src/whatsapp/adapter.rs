//! WhatsApp's [`Adapter`]: the Cloud API's signature, webhook, send body
//! and answers behind the common contract.

use serde_json::Value;

use super::{
    Outbound, ParseError, Recipient, SendError, Sent, parse_send_response, parse_webhook,
    send_body, verify_signature,
};
use crate::ErrorClass;
use crate::adapter::Adapter;
use crate::inbound::Inbound;

/// The header Meta signs deliveries in.
const SIGNATURE_HEADER: &str = "x-hub-signature-256";

/// The WhatsApp Business Cloud API.
#[derive(Debug, Clone, Copy, Default)]
pub struct CloudApi;

impl Adapter for CloudApi {
    type Recipient = Recipient;
    type Outbound = Outbound;
    type Sent = Sent;
    type SendError = SendError;
    type ParseError = ParseError;

    /// `X-Hub-Signature-256` is the HMAC-SHA256 of the body keyed with the
    /// app secret.
    fn verify(&self, secret: &str, body: &[u8], header: &dyn Fn(&str) -> Option<String>) -> bool {
        verify_signature(secret, body, header(SIGNATURE_HEADER).as_deref())
    }

    fn parse(&self, body: &[u8]) -> Result<Vec<Inbound>, ParseError> {
        Ok(parse_webhook(body)?
            .into_iter()
            .map(Inbound::from)
            .collect())
    }

    fn send_body(
        &self,
        to: &Recipient,
        message: &Outbound,
        reply_to: Option<&str>,
        callback: Option<&str>,
    ) -> Value {
        send_body(to, message, reply_to, callback)
    }

    fn read_send(&self, http_status: u16, body: &[u8]) -> Result<Sent, SendError> {
        parse_send_response(http_status, body)
    }

    fn classify(&self, error: &SendError) -> ErrorClass {
        error.class
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::whatsapp::sign;

    fn headers(signature: Option<String>) -> impl Fn(&str) -> Option<String> {
        move |name| {
            (name == SIGNATURE_HEADER)
                .then(|| signature.clone())
                .flatten()
        }
    }

    #[test]
    fn a_delivery_is_verified_and_read_into_neutral_events() {
        let body =
            json!({"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{
            "field": "messages", "value": {"messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "5511999990000", "phone_number_id": "PNID"},
                "contacts": [{"profile": {"name": "Lia"}, "wa_id": "5511988887777"}],
                "messages": [{"from": "5511988887777", "id": "wamid.1", "timestamp": "1700000000",
                    "type": "text", "text": {"body": "Olá"}}]}}]}]})
            .to_string();
        let wa = CloudApi;
        let signed = headers(Some(sign("segredo", body.as_bytes())));
        assert!(wa.verify("segredo", body.as_bytes(), &signed));
        assert!(!wa.verify("outro", body.as_bytes(), &signed));
        assert!(!wa.verify("segredo", body.as_bytes(), &headers(None)));
        let events = wa.parse(body.as_bytes()).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].address(), Some("PNID"));
        assert!(matches!(&events[0], Inbound::Message(m) if m.id == "wamid.1"));
        assert!(wa.parse(b"not json").is_err());
    }

    #[test]
    fn a_send_is_built_and_its_answer_read_and_classified() {
        let wa = CloudApi;
        let body = wa.send_body(
            &Recipient::Phone("+55 11 98888-7777".into()),
            &Outbound::Text {
                body: "Oi".into(),
                preview_url: false,
            },
            Some("wamid.0"),
            None,
        );
        assert_eq!(body["to"], "5511988887777");
        assert_eq!(body["context"]["message_id"], "wamid.0");
        let ok = json!({"messaging_product": "whatsapp", "contacts": [{"input": "5511988887777", "wa_id": "5511988887777"}],
            "messages": [{"id": "wamid.2"}]});
        assert_eq!(
            wa.read_send(200, ok.to_string().as_bytes()).unwrap().wamid,
            "wamid.2"
        );
        let expired = json!({"error": {"message": "(#190) token expired", "code": 190, "type": "OAuthException"}});
        let err = wa
            .read_send(401, expired.to_string().as_bytes())
            .unwrap_err();
        assert_eq!(wa.classify(&err), ErrorClass::Reauth);
        let limited = json!({"error": {"message": "(#130429) Rate limit hit", "code": 130429}});
        let err = wa
            .read_send(400, limited.to_string().as_bytes())
            .unwrap_err();
        assert_eq!(wa.classify(&err), ErrorClass::RateLimited);
    }
}
