use serde_json::json;

use crate::support::{Mt, PAGE};

#[tokio::test]
async fn a_batch_of_every_kind_is_stored_once_in_order() {
    let mt = Mt::start().await;
    let user = "6754893210987654";
    let m = &mt.messenger;
    let (text, text_mid) = m.text(user, "Onde está meu pedido?");
    let (qr, _) = m.quick_reply(user, "Rastrear", "ORDER_STATUS");
    let (pb, _) = m.postback(user, "Falar com atendente", "HUMAN_HANDOFF");
    let (img, _) = m.attachment(user, "image", "https://cdn.example/foto.jpg");
    let (share, _) = m.attachment(user, "share", "https://example.com/produto");
    let batch = m.batch(&[text.clone(), qr, pb, img, share]);
    mt.post(m, &batch).await;
    // Redelivered, and the first event again on its own: nothing doubles.
    mt.post(m, &batch).await;
    mt.post(m, &text).await;
    let conv = mt.conversation_on("messenger").await;
    let c = mt.admin.conversation(&conv).await;
    assert_eq!(c["window"], "open", "7 days for a person's reply");
    let msgs = mt.admin.messages(&conv).await;
    let kinds: Vec<(&str, &str)> = msgs
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap(),
                m["text"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("text", "Onde está meu pedido?"),
            ("interactive", "Rastrear"),
            ("interactive", "Falar com atendente"),
            ("image", ""),
            ("text", "https://example.com/produto"),
        ]
    );
    assert_eq!(msgs[0]["provider_id"], text_mid.as_str());
    assert_eq!(msgs[1]["payload"]["reply_id"], "ORDER_STATUS");
    // A reaction and an edit change the first message.
    mt.post(m, &m.reaction(user, &text_mid, "❤️", false)).await;
    mt.post(m, &m.edit(user, &text_mid, "Onde está meu pedido 123?", 1))
        .await;
    let first = &mt.admin.messages(&conv).await[0];
    assert_eq!(first["payload"]["contact_reaction"], "❤️");
    assert_eq!(first["text"], "Onde está meu pedido 123?");
    assert_eq!(mt.admin.messages(&conv).await.len(), 5);
}

#[tokio::test]
async fn a_story_mention_is_listed_only_under_all_chats_until_the_customer_writes() {
    let mt = Mt::start().await;
    let user = "7123456789012345";
    let ig = &mt.instagram;
    let (mention, _) = ig.story_mention(
        user,
        "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1",
    );
    mt.post(ig, &mention).await;
    let conv = mt.conversation_on("instagram").await;
    let c = mt.admin.conversation(&conv).await;
    assert_eq!(c["attendance_open"], false);
    assert_eq!(c["views"], json!(["all"]), "only in Todos os chats");
    let open = mt.admin.get_json("/api/v1/conversations?view=open").await;
    assert!(open["items"].as_array().unwrap().is_empty());
    let msgs = mt.admin.messages(&conv).await;
    assert_eq!(msgs[0]["kind"], "story_mention");
    assert!(
        msgs[0]["payload"]["story"]["url"]
            .as_str()
            .unwrap()
            .contains("asset_id=1")
    );
    assert!(msgs[0]["payload"]["story"]["expires_at"].as_i64().is_some());
    assert_eq!(c["last_message"]["kind"], "story_mention");
    // The customer writes: an attendance opens, as for any message.
    let (hi, _) = ig.text(user, "Oi! Vi vocês no story");
    mt.post(ig, &hi).await;
    let c = mt
        .until(async || {
            Some(mt.admin.conversation(&conv).await).filter(|c| c["attendance_open"] == true)
        })
        .await;
    assert!(c["views"].as_array().unwrap().iter().any(|v| v == "open"));
}

#[tokio::test]
async fn a_bad_signature_is_401_an_unknown_page_200_and_both_store_nothing() {
    let mt = Mt::start().await;
    let (text, _) = mt.messenger.text("6754893210987654", "forjado");
    for sig in [Some("sha256=00"), None, Some("sha256=zz")] {
        let r = mt.messenger.post_with_signature(&mt.http, &text, sig).await;
        assert_eq!(r.status, 401, "{sig:?}");
    }
    let wrong = atende_testkit::MetaSimulator::messenger(
        mt.app.url("/webhooks/meta"),
        "another_app_secret",
        PAGE,
    );
    let r = wrong.post(&mt.http, &text).await;
    assert_eq!(r.status, 401, "signed by another app than the page's");
    let unknown =
        atende_testkit::MetaSimulator::messenger(mt.app.url("/webhooks/meta"), "x", "999000999");
    let r = unknown.post(&mt.http, &unknown.text("1", "oi").0).await;
    assert_eq!(r.status, 200, "an unknown page is acknowledged and ignored");
    assert!(mt.conversations().await.is_empty());
    // The set-up handshake knows the inboxes' verify token.
    let ok = mt
        .messenger
        .handshake(&mt.http, "subscribe", "verifica", "4242")
        .await;
    assert_eq!((ok.status, ok.body.as_str()), (200, "4242"));
    let no = mt
        .messenger
        .handshake(&mt.http, "subscribe", "outro", "4242")
        .await;
    assert_eq!(no.status, 403);
}

#[tokio::test]
async fn receipts_and_watermarks_move_forward_only_and_echoes_are_ours() {
    let mt = Mt::start().await;
    let user = "6754893210987654";
    let m = &mt.messenger;
    mt.post(m, &m.text(user, "Oi").0).await;
    let conv = mt.conversation_on("messenger").await;
    let a = mt.reply(&conv, json!({"text": "Primeira"})).await;
    let b = mt.reply(&conv, json!({"text": "Segunda"})).await;
    let sent_a = mt
        .message_when(&conv, a["id"].as_str().unwrap(), |m| m["status"] == "sent")
        .await;
    let sent_b = mt
        .message_when(&conv, b["id"].as_str().unwrap(), |m| m["status"] == "sent")
        .await;
    let (mid_a, mid_b) = (
        sent_a["provider_id"].as_str().unwrap().to_string(),
        sent_b["provider_id"].as_str().unwrap().to_string(),
    );
    // An echo of our own send is not a customer message.
    mt.post(m, &m.echo(user, &mid_a, "Primeira")).await;
    // Read arrives before delivered: the later delivery does not undo it.
    let now = chrono::Utc::now().timestamp_millis() + 1_000;
    mt.post(m, &m.read_watermark(user, now)).await;
    mt.post(m, &m.delivery(user, &[&mid_a, &mid_b], now)).await;
    for id in [a["id"].as_str().unwrap(), b["id"].as_str().unwrap()] {
        mt.message_when(&conv, id, |m| m["status"] == "read").await;
    }
    let msgs = mt.admin.messages(&conv).await;
    assert_eq!(
        msgs.iter().filter(|m| m["direction"] == "in").count(),
        1,
        "{:?}",
        msgs.iter()
            .map(|m| (&m["direction"], &m["text"]))
            .collect::<Vec<_>>()
    );
}

/// Meta's webhooks carry only the customer's id: the contact gets its name
/// from the User Profile API once the delivery is stored, asked once.
#[tokio::test]
async fn a_customer_is_named_by_their_profile_asked_once() {
    let mt = Mt::start().await;
    let (carla, bia, rui) = ("6754893210980001", "1784140000009002", "6754893210980003");
    mt.graph.add_profile(
        carla,
        json!({"first_name": "Carla", "last_name": "Dias", "profile_pic": "https://x"}),
    );
    mt.graph
        .add_profile(bia, json!({"name": "Bia Lima", "username": "bia.lima"}));
    mt.post(&mt.messenger, &mt.messenger.text(carla, "Oi").0)
        .await;
    mt.post(&mt.instagram, &mt.instagram.text(bia, "Oi").0)
        .await;
    // Without a profile the id stays.
    mt.post(&mt.messenger, &mt.messenger.text(rui, "Oi").0)
        .await;
    let names = async || {
        let list = mt.admin.get_json("/api/v1/conversations?view=all").await;
        let mut names: Vec<String> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["contact"]["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    for _ in 0..200 {
        if names().await == [rui, "Bia Lima", "Carla Dias"] {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let gets: Vec<_> = mt
        .graph
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET")
        .map(|r| (r.path, r.query, r.status))
        .collect();
    assert_eq!(names().await, [rui, "Bia Lima", "Carla Dias"], "{gets:?}");
    let asked: Vec<_> = mt
        .graph
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with(carla))
        .collect();
    assert_eq!(asked.len(), 1, "asked once");
    assert!(
        asked[0]
            .query
            .as_deref()
            .unwrap_or("")
            .contains("fields=first_name,last_name"),
        "{:?}",
        asked[0].query
    );
}
