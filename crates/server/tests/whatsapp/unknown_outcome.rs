//! Sends whose outcome is unknown (defect 18 of issue #7): the Graph API
//! took the message but its answer never arrived, or it cannot be reached
//! at all. Our message id rides in `biz_opaque_callback_data`; its `sent`
//! status proves a lost answer's send went, so it is not sent again, and
//! nothing stays `queued` for ever.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{PHONE_ID, Wa};

async fn reply(wa: &Wa, conv: &str, text: &str) -> String {
    let msg: Value = wa
        .admin
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": text}),
        )
        .await;
    msg["id"].as_str().unwrap().to_string()
}

async fn message(wa: &Wa, conv: &str, id: &str) -> Value {
    wa.messages(conv)
        .await
        .into_iter()
        .find(|m| m["id"] == id)
        .unwrap()
}

/// Copies of message `id` the Graph API took.
fn copies(wa: &Wa, id: &str) -> usize {
    wa.graph
        .accepted_sends()
        .iter()
        .filter(|s| s.callback_data.as_deref() == Some(id))
        .count()
}

#[tokio::test]
async fn a_send_whose_answer_is_lost_is_confirmed_by_its_status_and_not_sent_again() {
    let wa = Wa::start_with(|c| {
        c.whatsapp_timeout_secs = 1;
        c.send_confirm_wait_secs = 3;
        c.job_retry_base_ms = 50;
    })
    .await;
    wa.graph.deliver_statuses(wa.sim.clone());
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    // Meta takes the send and posts its status, but the answer is lost.
    wa.graph
        .set_answer_delay(PHONE_ID, Some(Duration::from_secs(4)));
    let id = reply(&wa, &conv, "Seu pedido saiu para entrega").await;
    let m = wa
        .until(async || Some(message(&wa, &conv, &id).await).filter(|m| m["status"] == "sent"))
        .await;
    let taken = wa.graph.accepted_sends();
    let first = taken
        .iter()
        .find(|s| s.callback_data.as_deref() == Some(id.as_str()))
        .expect("the send carries our message id as biz_opaque_callback_data");
    assert_eq!(
        m["provider_id"], first.wamid,
        "the status gave it its wamid"
    );
    // Past the time a blind retry (or the end of the wait) would resend it.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(copies(&wa, &id), 1, "a send Meta took was sent again");
    assert_eq!(message(&wa, &conv, &id).await["status"], "sent");
}

#[tokio::test]
async fn a_lost_answer_nothing_confirms_is_sent_again_after_the_bounded_wait() {
    let wa = Wa::start_with(|c| {
        c.whatsapp_timeout_secs = 1;
        c.send_confirm_wait_secs = 2;
        c.job_retry_base_ms = 50;
    })
    .await;
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    wa.graph
        .set_answer_delay(PHONE_ID, Some(Duration::from_secs(3)));
    let id = reply(&wa, &conv, "Olá").await;
    wa.until(async || (copies(&wa, &id) == 1).then_some(()))
        .await;
    wa.graph.set_answer_delay(PHONE_ID, None);
    // No status arrives (the webhook is down): after the wait the message
    // is taken as not sent and goes again — the documented window.
    let m = wa
        .until(async || Some(message(&wa, &conv, &id).await).filter(|m| m["status"] == "sent"))
        .await;
    assert_eq!(copies(&wa, &id), 2);
    let second = wa.graph.accepted_sends().last().unwrap().wamid.clone();
    assert_eq!(m["provider_id"], second);
}

#[tokio::test]
async fn an_unreachable_graph_api_fails_the_message_with_the_reason() {
    let wa = Wa::start_with(|c| {
        // Nothing listens on port 1: every attempt is refused at once.
        c.whatsapp_graph_url = "http://127.0.0.1:1".into();
        c.job_retry_base_ms = 5;
        c.job_retry_max_ms = 40;
    })
    .await;
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    let id = reply(&wa, &conv, "Olá").await;
    let m = wa
        .until(async || Some(message(&wa, &conv, &id).await).filter(|m| m["status"] != "queued"))
        .await;
    assert_eq!(m["status"], "failed", "{m}");
    assert_eq!(m["error_code"], "graph_unreachable");
    let text = m["error_text"].as_str().unwrap();
    assert!(
        text.contains("Não foi possível falar com o WhatsApp depois de 10 tentativas"),
        "{text}"
    );
}
