//! The intake's bulk paths (new contacts, reopened chats, concurrent
//! deliveries) give the same result as applying each message alone.

use serde_json::Value;

use crate::support::Wa;

fn events_of<'a>(events: &'a Value, conv: &str) -> Vec<&'a str> {
    events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["conversation_id"] == conv
                || e["payload"]["conversation"]["id"] == conv
                || e["payload"]["conversation_id"] == conv
        })
        .map(|e| e["kind"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn new_contacts_in_one_batch_get_one_open_chat_each_with_its_own_protocol() {
    let wa = Wa::start().await;
    let payloads: Vec<Value> = [
        ("5511911110001", "Bia", "oi"),
        ("5511911110002", "Caio", "bom dia"),
        ("5511911110001", "Bia", "tudo bem?"),
        ("5521911110003", "Duda", "olá"),
    ]
    .iter()
    .map(|(wa_id, name, text)| wa.sim.text_payload(wa_id, name, text).1)
    .collect();
    let r = wa.sim.post(&wa.http, &wa.sim.batch(&payloads)).await;
    assert_eq!(r.status, 200, "{}", r.body);

    let open = wa.admin.get_json("/api/v1/conversations?view=open").await["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(open.len(), 3, "{open:?}");
    let mut protocols: Vec<&str> = open
        .iter()
        .map(|c| c["protocol"].as_str().unwrap())
        .collect();
    protocols.sort();
    protocols.dedup();
    assert_eq!(protocols.len(), 3, "distinct protocols");
    let bia = open
        .iter()
        .find(|c| c["contact"]["name"] == "Bia")
        .expect("Bia's chat");
    assert_eq!(bia["contact"]["phone"], "+5511911110001");
    assert_eq!(bia["unread"], 2);
    let conv = bia["id"].as_str().unwrap();
    let texts: Vec<_> = wa
        .messages(conv)
        .await
        .iter()
        .map(|m| m["text"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(texts, ["oi", "tudo bem?"]);

    let events = wa.admin.get_json("/api/v1/events?after=0&limit=5000").await;
    assert_eq!(
        events_of(&events, conv),
        [
            "conversation.created",
            "attendance.opened",
            "message.created",
            "message.created"
        ]
    );
    let contacts_created = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "contact.created")
        .count();
    assert_eq!(contacts_created, 3);
}

#[tokio::test]
async fn a_closed_chat_reopens_with_a_new_protocol_but_not_for_a_redelivery() {
    let wa = Wa::start().await;
    let (first, conv, path, p1) = first_chat(&wa, "5511922220001", "Eva", "primeira").await;
    let r = wa.admin.post_empty(&format!("{path}/close")).await;
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(wa.admin.get_json(&path).await["attendance_open"], false);

    // Meta delivers the old message again: it is a duplicate, the chat
    // stays closed.
    let again = wa.sim.batch(&[first.clone(), first.clone()]);
    assert_eq!(wa.sim.post(&wa.http, &again).await.status, 200);
    let c = wa.admin.get_json(&path).await;
    assert_eq!(c["attendance_open"], false, "{c}");
    assert_eq!(c["protocol"], p1);

    let (_, next) = wa.sim.text_payload("5511922220001", "Eva", "voltei");
    assert_eq!(wa.sim.post(&wa.http, &next).await.status, 200);
    let c = wa.admin.get_json(&path).await;
    assert_eq!(c["attendance_open"], true);
    assert_ne!(c["protocol"], p1, "a new attendance, a new protocol");
    assert_eq!(contact_texts(&wa, &conv).await, ["primeira", "voltei"]);
}

#[tokio::test]
async fn concurrent_first_messages_of_the_same_contacts_give_one_chat_each() {
    let wa = Wa::start().await;
    let posts = (0..40).map(|i| {
        let (_, p) = wa.sim.text_payload(
            &format!("55119333300{:02}", i % 4),
            "Cliente",
            &format!("mensagem {i}"),
        );
        let (sim, http) = (&wa.sim, &wa.http);
        async move { sim.post(http, &p).await }
    });
    for r in futures::future::join_all(posts).await {
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let convs = wa.conversations().await;
    assert_eq!(convs.len(), 4, "{convs:?}");
    let mut total = 0;
    for c in &convs {
        assert_eq!(c["attendance_open"], true);
        total += wa.messages(c["id"].as_str().unwrap()).await.len();
    }
    assert_eq!(total, 40);
}

/// A message that arrives while an agent's closing of its chat is being
/// committed must not land in the closed chat unseen: it opens a new
/// attendance, as it would a moment later. Text goes through the bulk
/// path, media through the single-message one.
#[tokio::test]
async fn a_message_racing_the_closing_of_its_chat_reopens_it() {
    let wa = Wa::start().await;
    let (_, next) = wa.sim.text_payload("5511944440001", "Gil", "ainda aí?");
    race_closing(&wa, "5511944440001", next).await;
}

#[tokio::test]
async fn a_media_message_racing_the_closing_of_its_chat_reopens_it() {
    let wa = Wa::start().await;
    let (_, next) = wa.sim.media_payload(
        "5511944440002",
        "Gil",
        "image",
        "midia-inexistente",
        "image/jpeg",
        Some("ainda aí?"),
    );
    race_closing(&wa, "5511944440002", next).await;
}

/// Opens a chat for `wa_id`, closes it in a transaction held open while
/// `next` (a message from `wa_id` whose text or caption is "ainda aí?") is
/// delivered, commits, and checks the message reopened the chat.
async fn race_closing(wa: &Wa, wa_id: &str, next: Value) {
    use atende_domain::{ConversationId, OrgId};

    let (_, conv, path, p1) = first_chat(wa, wa_id, "Gil", "oi").await;

    let store = wa.app.store().clone();
    let org: OrgId = wa.app.org_id.parse().unwrap();
    let id: ConversationId = conv.parse().unwrap();
    let mut tx = store.begin().await.unwrap();
    let c = tx.conversation(org, id).await.unwrap();
    tx.close_attendance(&c, None, atende_domain::monitoring::Ended::Agent, None)
        .await
        .unwrap();
    let (r, ()) = tokio::join!(wa.sim.post(&wa.http, &next), async move {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        tx.commit().await.unwrap();
    });
    assert_eq!(r.status, 200, "{}", r.body);

    let c = wa.admin.get_json(&path).await;
    assert_eq!(c["attendance_open"], true, "{c}");
    assert_ne!(c["protocol"], p1, "a new attendance, a new protocol");
    assert_eq!(contact_texts(wa, &conv).await, ["oi", "ainda aí?"]);
}

/// Delivers a first message from `wa_id`; returns its payload, its chat's
/// id and API path, and the chat's protocol.
async fn first_chat(
    wa: &Wa,
    wa_id: &str,
    name: &str,
    text: &str,
) -> (Value, String, String, Value) {
    let (_, first) = wa.sim.text_payload(wa_id, name, text);
    assert_eq!(wa.sim.post(&wa.http, &first).await.status, 200);
    let conv = wa.conversations().await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/conversations/{conv}");
    let protocol = wa.admin.get_json(&path).await["protocol"].clone();
    (first, conv, path, protocol)
}

/// The texts (or captions) of the contact's messages in `conv`, in order.
async fn contact_texts(wa: &Wa, conv: &str) -> Vec<String> {
    wa.messages(conv)
        .await
        .iter()
        .filter(|m| m["author_kind"] == "contact")
        .map(|m| m["text"].as_str().unwrap_or_default().to_string())
        .collect()
}
