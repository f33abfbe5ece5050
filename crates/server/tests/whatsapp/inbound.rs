use serde_json::json;

use crate::support::{PHONE_ID, Wa};

#[tokio::test]
async fn verification_handshake_echoes_the_challenge_only_for_our_token() {
    let wa = Wa::start().await;
    let ok = wa.sim.verify(&wa.http, "verifica", "1158201444").await;
    assert_eq!((ok.status, ok.body.as_str()), (200, "1158201444"));
    assert_eq!(
        wa.sim.verify(&wa.http, "outro", "1158201444").await.status,
        403
    );
}

#[tokio::test]
async fn signed_text_creates_contact_conversation_and_message() {
    let wa = Wa::start().await;
    let (wamid, payload) = wa
        .sim
        .text_payload("5511987654321", "Sheena Nelson", "Café ok? 😀");
    let r = wa.sim.post(&wa.http, &payload).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let convs = wa.conversations().await;
    assert_eq!(convs.len(), 1);
    let c = &convs[0];
    assert_eq!(c["contact"]["name"], "Sheena Nelson");
    assert_eq!(c["contact"]["phone"], "+5511987654321");
    assert_eq!(
        c["attendance_open"], true,
        "a contact writing opens an attendance (Open view)"
    );
    assert_eq!(c["window"], "open");
    assert_eq!(c["unread"], 1);
    let msgs = wa.messages(c["id"].as_str().unwrap()).await;
    let m = msgs.iter().find(|m| m["author_kind"] == "contact").unwrap();
    assert_eq!(
        m["text"], "Café ok? 😀",
        "escaped unicode must arrive intact"
    );
    assert_eq!(m["direction"], "in");
    assert_eq!(m["payload"]["raw"]["id"], wamid.as_str());
}

/// A NUL character is valid JSON that PostgreSQL cannot store: it used to
/// fail the whole delivery there, on every retry. It arrives as U+FFFD.
#[tokio::test]
async fn a_nul_character_in_a_message_is_kept_as_a_replacement_character() {
    let wa = Wa::start().await;
    let (_, payload) = wa
        .sim
        .text_payload("5511987654321", "Ana\u{0}", "antes\u{0}depois");
    let r = wa.sim.post(&wa.http, &payload).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let convs = wa.conversations().await;
    assert_eq!(convs[0]["contact"]["name"], "Ana\u{fffd}");
    let msgs = wa.messages(convs[0]["id"].as_str().unwrap()).await;
    let m = msgs.iter().find(|m| m["author_kind"] == "contact").unwrap();
    assert_eq!(m["text"], "antes\u{fffd}depois");
    // The API reads it the same way (a schema-valid body is not refused).
    let conv = convs[0]["id"].as_str().unwrap();
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            json!({"text": "oi\u{0}"}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let sent: serde_json::Value = r.json().await.unwrap();
    assert_eq!(sent["text"], "oi\u{fffd}");
    let r = wa
        .admin
        .get(&format!(
            "/api/v1/conversations/{conv}/messages/search?q=a%00b"
        ))
        .await;
    assert_eq!(r.status(), 200, "a NUL in a query is no error either");
}

#[tokio::test]
async fn duplicate_webhook_stores_one_message() {
    let wa = Wa::start().await;
    let (_, payload) = wa.sim.text_payload("5511987654321", "Ana", "Oi");
    for _ in 0..3 {
        assert_eq!(wa.sim.post(&wa.http, &payload).await.status, 200);
    }
    let convs = wa.conversations().await;
    let msgs = wa.messages(convs[0]["id"].as_str().unwrap()).await;
    assert_eq!(
        msgs.iter()
            .filter(|m| m["author_kind"] == "contact")
            .count(),
        1
    );
}

#[tokio::test]
async fn a_batch_of_two_contacts_with_two_messages_each_gives_four_messages_in_two_chats() {
    let wa = Wa::start().await;
    let parts = vec![
        wa.sim.text_payload("5511911111111", "Ana", "Oi").1,
        wa.sim.text_payload("5521922222222", "Bia", "Olá").1,
        wa.sim.text_payload("5511911111111", "Ana", "Tudo bem?").1,
        wa.sim
            .text_payload("5521922222222", "Bia", "Preciso de ajuda")
            .1,
    ];
    let batch = wa.sim.batch(&parts);
    assert_eq!(wa.sim.post(&wa.http, &batch).await.status, 200);
    let convs = wa.conversations().await;
    assert_eq!(convs.len(), 2);
    let mut total = 0;
    for c in &convs {
        let msgs = wa.messages(c["id"].as_str().unwrap()).await;
        let inbound: Vec<_> = msgs
            .iter()
            .filter(|m| m["author_kind"] == "contact")
            .collect();
        assert_eq!(inbound.len(), 2);
        total += inbound.len();
    }
    assert_eq!(total, 4);
}

#[tokio::test]
async fn bad_signature_is_401_and_stores_nothing() {
    let wa = Wa::start().await;
    let (_, payload) = wa.sim.text_payload("5511987654321", "Ana", "Oi");
    let body = atende_testkit::ascii_escape_json(&payload).into_bytes();
    let forged = atende_testkit::Simulator::new(
        wa.app.url("/webhooks/whatsapp"),
        "wrong-secret",
        PHONE_ID,
        "1",
        "1",
    )
    .sign(&body);
    for sig in [Some(forged), None, Some("sha256=zz".to_string())] {
        let r = wa.sim.post_raw(&wa.http, body.clone(), sig).await;
        assert_eq!(r.status, 401);
    }
    assert!(wa.conversations().await.is_empty());
}

#[tokio::test]
async fn malformed_json_is_400_and_oversized_bodies_413() {
    let wa = Wa::start().await;
    let body = b"{\"object\":\"whatsapp_business_account\",\"entry\":[".to_vec();
    let sig = wa.sim.sign(&body);
    let r = wa.sim.post_raw(&wa.http, body, Some(sig)).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let big = vec![b' '; 300 * 1024];
    let sig = wa.sim.sign(&big);
    assert_eq!(wa.sim.post_raw(&wa.http, big, Some(sig)).await.status, 413);
    assert!(wa.conversations().await.is_empty());
}

#[tokio::test]
async fn unknown_phone_number_id_is_acknowledged_and_ignored() {
    let wa = Wa::start().await;
    let other = atende_testkit::Simulator::new(
        wa.app.url("/webhooks/whatsapp"),
        crate::support::APP_SECRET,
        "999999",
        "1",
        "1",
    );
    let (_, payload) = other.text_payload("5511987654321", "Ana", "Oi");
    assert_eq!(other.post(&wa.http, &payload).await.status, 200);
    assert!(wa.conversations().await.is_empty());
}

#[tokio::test]
async fn a_reaction_updates_its_target_instead_of_adding_a_message() {
    let wa = Wa::start().await;
    let (wamid, payload) = wa.sim.text_payload("5511987654321", "Ana", "Oi");
    wa.sim.post(&wa.http, &payload).await;
    let mut reaction = wa.sim.text_payload("5511987654321", "Ana", "x").1;
    let msg = &mut reaction["entry"][0]["changes"][0]["value"]["messages"][0];
    msg["type"] = json!("reaction");
    msg["reaction"] = json!({"message_id": wamid, "emoji": "❤️"});
    msg.as_object_mut().unwrap().remove("text");
    assert_eq!(wa.sim.post(&wa.http, &reaction).await.status, 200);
    let conv = wa.conversations().await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let msgs = wa.messages(&conv).await;
    let inbound: Vec<_> = msgs
        .iter()
        .filter(|m| m["author_kind"] == "contact")
        .collect();
    assert_eq!(inbound.len(), 1);
    assert_eq!(inbound[0]["payload"]["contact_reaction"], "❤️");
}

#[tokio::test]
async fn inbound_media_is_downloaded_and_served_through_a_signed_link() {
    let wa = Wa::start().await;
    let media_id = wa
        .graph
        .add_media(b"\x89PNG fake image bytes".to_vec(), "image/png");
    let (_, payload) = wa.sim.media_payload(
        "5511987654321",
        "Ana",
        "image",
        &media_id,
        "image/png",
        Some("Olha isso"),
    );
    assert_eq!(wa.sim.post(&wa.http, &payload).await.status, 200);
    let conv = wa.conversations().await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let media = wa
        .until(async || {
            let msgs = wa.messages(&conv).await;
            let m = msgs.into_iter().find(|m| m["kind"] == "image")?;
            (m["media"]["status"] == "stored").then(|| m["media"].clone())
        })
        .await;
    let url = media["url"].as_str().unwrap();
    let r = wa.http.get(url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(
        r.bytes().await.unwrap().as_ref(),
        b"\x89PNG fake image bytes"
    );
    let tampered = url.replace("sig=", "sig=0");
    assert_eq!(wa.http.get(tampered).send().await.unwrap().status(), 403);
}

/// Messages of known chats take the bulk path: same result as one by one.
#[tokio::test]
async fn a_known_chat_batch_is_stored_in_order_with_counters_and_events() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes("5511987654321", "Ana", "Oi").await;
    let before = wa.admin.get_json("/api/v1/events?after=0&limit=5000").await["last_seq"]
        .as_i64()
        .unwrap();
    let parts: Vec<_> = ["primeira", "segunda", "terceira"]
        .iter()
        .map(|t| wa.sim.text_payload("5511987654321", "Ana", t).1)
        .collect();
    let mut all = parts.clone();
    all.push(parts[1].clone()); // a duplicate inside the batch
    assert_eq!(wa.sim.post(&wa.http, &wa.sim.batch(&all)).await.status, 200);
    assert_eq!(
        wa.sim.post(&wa.http, &parts[2]).await.status,
        200,
        "a redelivery"
    );
    let msgs = wa.messages(&conv).await;
    let texts: Vec<_> = msgs
        .iter()
        .filter(|m| m["author_kind"] == "contact")
        .map(|m| m["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts, ["Oi", "primeira", "segunda", "terceira"]);
    let c = wa
        .admin
        .get_json(&format!("/api/v1/conversations/{conv}"))
        .await;
    assert_eq!(c["unread"], 4);
    let events = wa
        .admin
        .get_json(&format!("/api/v1/events?after={before}&limit=5000"))
        .await;
    let created = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "message.created")
        .count();
    assert_eq!(created, 3);
}

/// CT-1: a contact shows the inbox number it wrote to. The number comes
/// from the webhooks' `metadata.display_phone_number` and follows a change.
#[tokio::test]
async fn contact_shows_the_inbox_number_it_wrote_to() {
    let wa = Wa::start().await;
    let (_, payload) = wa.sim.text_payload("5511987654321", "Ana", "Oi");
    assert_eq!(wa.sim.post(&wa.http, &payload).await.status, 200);
    let convs = wa.conversations().await;
    let contact_id = convs[0]["contact"]["id"].as_str().unwrap().to_string();
    let contact = wa
        .admin
        .get_json(&format!("/api/v1/contacts/{contact_id}"))
        .await;
    let identity = &contact["identities"][0];
    assert_eq!(identity["external_id"], "5511987654321");
    assert_eq!(identity["inbox_number"], "5511900000000");
    // The business moved its WhatsApp to another number.
    let moved = atende_testkit::Simulator::new(
        wa.app.url("/webhooks/whatsapp"),
        crate::support::APP_SECRET,
        PHONE_ID,
        "5511933334444",
        crate::support::WABA,
    );
    let (_, payload) = moved.text_payload("5511987654321", "Ana", "Ainda aí?");
    assert_eq!(moved.post(&wa.http, &payload).await.status, 200);
    let contact = wa
        .admin
        .get_json(&format!("/api/v1/contacts/{contact_id}"))
        .await;
    assert_eq!(contact["identities"][0]["inbox_number"], "5511933334444");
    let inbox = wa
        .admin
        .get_json(&format!("/api/v1/inboxes/{}", wa.inbox_id))
        .await;
    assert_eq!(inbox["settings"]["display_phone_number"], "5511933334444");
}

#[tokio::test]
async fn the_chat_list_finds_names_without_accents_or_case() {
    let wa = Wa::start().await;
    let joao = wa
        .customer_writes("5511955550000", "João Conceição", "olá")
        .await;
    let upper = wa
        .customer_writes("5511955550001", "ÉRICA ÁVILA", "bom dia")
        .await;
    wa.customer_writes("5511955550002", "Paulo Souza", "oi")
        .await;
    let found = |q: &'static str| {
        let admin = &wa.admin;
        async move {
            let list = admin
                .get_json(&format!(
                    "/api/v1/conversations?view=all&q={}",
                    q.replace(' ', "%20")
                ))
                .await;
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    // Typed without accents, in any case, or with them: the same chat.
    for q in ["conceicao", "JOAO", "João Conc", "ceiç"] {
        assert_eq!(found(q).await, vec![joao.clone()], "{q}");
    }
    // A name stored in capitals with accents (SQLite's LOWER keeps them).
    for q in ["erica", "Érica Ávila", "AVILA"] {
        assert_eq!(found(q).await, vec![upper.clone()], "{q}");
    }
    assert!(found("joana").await.is_empty());
    // A renamed contact is found by its new name only.
    let c = wa.admin.conversation(&joao).await;
    let id = c["contact"]["id"].as_str().unwrap().to_string();
    let r = wa
        .admin
        .patch(
            &format!("/api/v1/contacts/{id}"),
            json!({"name": "Zé Ninguém"}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    assert_eq!(found("ze ninguem").await, vec![joao.clone()]);
    assert!(found("conceicao").await.is_empty());
}
