//! Campaigns (LC-2): click-to-WhatsApp ads become campaigns with the first
//! chat they bring; people create others, mark chats and filter the list.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::assert_error;
use crate::support::Wa;

/// A customer's first message, sent from an ad.
async fn from_ad(wa: &Wa, wa_id: &str, name: &str, ad: &str, headline: &str) {
    let (_, mut p) = wa.sim.text_payload(wa_id, name, "Vi o anúncio, ainda tem?");
    p["entry"][0]["changes"][0]["value"]["messages"][0]["referral"] = json!({
        "source_url": "https://fb.me/3cr4Wqqkk", "source_id": ad, "source_type": "ad",
        "headline": headline, "body": "Frete grátis", "media_type": "image",
        "image_url": "https://exemplo.com.br/a.jpg", "ctwa_clid": "ARAkLkA8rmlFeiCktE"
    });
    let r = wa.sim.post(&wa.http, &p).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

async fn ids(wa: &Wa, query: &str) -> Vec<String> {
    wa.admin
        .get_json(&format!("/api/v1/conversations?view=all&{query}"))
        .await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn an_ad_makes_a_campaign_and_the_list_filters_on_it() {
    let wa = Wa::start().await;
    from_ad(
        &wa,
        "5511911110001",
        "Ana",
        "120212345678901234",
        "Promoção de inverno",
    )
    .await;
    from_ad(
        &wa,
        "5511911110002",
        "Bia",
        "120212345678901234",
        "Promoção de inverno",
    )
    .await;
    // Another ad with the same headline gets its own campaign, told apart.
    from_ad(&wa, "5511911110003", "Caio", "999", "Promoção de inverno").await;
    let other = wa.customer_writes("5511911110004", "Duda", "Oi").await;
    let list: Value = wa.admin.get_json("/api/v1/campaigns").await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    let winter = list
        .iter()
        .find(|k| k["external_id"] == "120212345678901234")
        .unwrap();
    assert_eq!(winter["name"], "Promoção de inverno");
    assert_eq!(winter["source"], "ctwa");
    assert_eq!(winter["source_url"], "https://fb.me/3cr4Wqqkk");
    assert_eq!(winter["conversations"], 2);
    let twin = list.iter().find(|k| k["external_id"] == "999").unwrap();
    assert_eq!(twin["name"], "Promoção de inverno · 999");
    let kid = winter["id"].as_str().unwrap();
    let in_winter = ids(&wa, &format!("campaign={kid}")).await;
    assert_eq!(in_winter.len(), 2);
    assert!(!in_winter.contains(&other));
    let conv = wa.admin.conversation(&in_winter[0]).await;
    assert_eq!(conv["campaign_id"], kid);
    // The ad's message is stored like any other, with its referral.
    let msgs = wa.messages(&in_winter[0]).await;
    assert_eq!(
        msgs[0]["payload"]["referral"]["source_id"],
        "120212345678901234"
    );
    // A bad filter is a clear 400.
    let r = wa
        .admin
        .get("/api/v1/conversations?view=all&campaign=nope")
        .await;
    assert_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
}

#[tokio::test]
async fn people_create_campaigns_and_mark_chats_with_them() {
    let wa = Wa::start().await;
    let conv = wa.customer_writes("5511922220001", "Eva", "Oi").await;
    let agent = wa.app.user(&wa.admin, "agent").await;
    // Agents list campaigns (for the filter) but do not manage them.
    assert_eq!(agent.get("/api/v1/campaigns").await.status(), 200);
    let r = agent
        .post("/api/v1/campaigns", json!({"name": "Black Friday"}))
        .await;
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    for (name, status) in [
        ("", StatusCode::UNPROCESSABLE_ENTITY),
        (&"x".repeat(61)[..], StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let r = wa
            .admin
            .post("/api/v1/campaigns", json!({"name": name}))
            .await;
        assert_eq!(r.status(), status, "{name:?}");
    }
    let k = wa
        .admin
        .post_json("/api/v1/campaigns", json!({"name": " Black Friday "}))
        .await;
    assert_eq!(k["name"], "Black Friday");
    assert_eq!(k["source"], "manual");
    let r = wa
        .admin
        .post("/api/v1/campaigns", json!({"name": "Black Friday"}))
        .await;
    assert_error(r, StatusCode::CONFLICT, "conflict").await;
    let kid = k["id"].as_str().unwrap().to_string();
    // Marking a chat: unknown campaigns are refused and change nothing.
    let path = format!("/api/v1/conversations/{conv}/campaign");
    let r = wa
        .admin
        .send(
            Method::PUT,
            &path,
            Some(json!({"campaign_id": uuid::Uuid::now_v7()})),
        )
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(
        wa.admin.conversation(&conv).await["campaign_id"],
        Value::Null
    );
    let r = wa
        .admin
        .send(Method::PUT, &path, Some(json!({"campaign_id": kid})))
        .await;
    assert_eq!(r.status(), 200);
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["campaign_id"], kid.as_str());
    assert_eq!(
        ids(&wa, &format!("campaign={kid}")).await,
        vec![conv.clone()]
    );
    // Renaming keeps the chats; deleting leaves them without a campaign.
    let r = wa
        .admin
        .patch(
            &format!("/api/v1/campaigns/{kid}"),
            json!({"name": "Black Friday 2026"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let renamed: Value = r.json().await.unwrap();
    assert_eq!(renamed["name"], "Black Friday 2026");
    assert_eq!(renamed["conversations"], 1);
    let r = wa.admin.delete(&format!("/api/v1/campaigns/{kid}")).await;
    assert_eq!(r.status(), 204);
    assert_eq!(
        wa.admin.conversation(&conv).await["campaign_id"],
        Value::Null
    );
    let r = wa.admin.delete(&format!("/api/v1/campaigns/{kid}")).await;
    assert_eq!(r.status(), 404);
    // Unmarking is null.
    let k2 = wa
        .admin
        .post_json("/api/v1/campaigns", json!({"name": "Natal"}))
        .await;
    wa.admin
        .send(Method::PUT, &path, Some(json!({"campaign_id": k2["id"]})))
        .await;
    let r = wa
        .admin
        .send(Method::PUT, &path, Some(json!({"campaign_id": null})))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        wa.admin.conversation(&conv).await["campaign_id"],
        Value::Null
    );
}
