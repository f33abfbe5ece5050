//! A contact's data in the chat's settings panel (CT-1, CT-5) and a chat's
//! tags.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{
    TestApp, add_member, assert_error, create_department, create_inbox, seed_conversation,
};

#[tokio::test]
async fn an_agent_edits_the_contact_of_a_chat_it_sees() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let inbox = create_inbox(&admin, "PNID-1").await;
    let vendas = create_department(&admin, "Vendas").await;
    let suporte = create_department(&admin, "Suporte").await;
    let ana = app.named_user(&admin, "agent", "Ana").await;
    add_member(&admin, &vendas, &ana.user_id).await;
    let r = admin
        .post(
            "/api/v1/custom-fields",
            json!({"key": "plano", "label": "Plano", "field_type": "option", "options": ["ouro", "prata"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let chat = seed_conversation(&app, &inbox, "5511987654321", "🌻 Lu").await;
    let other = seed_conversation(&app, &inbox, "5511900000002", "Cliente B").await;
    for (c, d) in [(&chat, &vendas), (&other, &suporte)] {
        let r = admin
            .post(
                &format!("/api/v1/conversations/{c}/assign"),
                json!({"department_id": d}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let contact = ana.conversation(&chat).await["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let hidden = ana_hidden_contact(&admin, &other).await;
    let path = format!("/api/v1/contacts/{contact}");

    let c = ana.get_json(&path).await;
    assert_eq!(c["name"], "🌻 Lu");
    assert_eq!(c["phone"], "+5511987654321");
    assert_eq!(c["broadcast_opt_in"], true);
    assert_eq!(c["identities"][0]["channel"], "whatsapp");
    assert_eq!(c["identities"][0]["external_id"], "5511987654321");
    assert_eq!(c["identities"][0]["inbox_name"], "WhatsApp Vendas");

    // Bad values: a clear error, nothing changed.
    for (body, needle) in [
        (json!({"email": "lu@"}), "e-mail"),
        (json!({"document": "123.456.789-00"}), "CPF"),
        (json!({"birth_date": "31/12/1990"}), "AAAA-MM-DD"),
        (json!({"birth_date": "2999-01-01"}), "futuro"),
        (json!({"name": "  "}), "nome"),
        (json!({"custom": {"plano": "bronze"}}), "ouro, prata"),
        (json!({"custom": {"cor": "azul"}}), "cor"),
    ] {
        let r = ana.patch(&path, body.clone()).await;
        let err = assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
        let msg = err["error"]["message"].as_str().unwrap();
        assert!(msg.contains(needle), "{body}: {msg}");
    }
    let r = ana.patch(&path, json!({"nickname": "Lu"})).await;
    assert_error(r, StatusCode::BAD_REQUEST, "invalid_body").await;
    assert_eq!(
        ana.get_json(&path).await,
        c,
        "a refused edit changed nothing"
    );

    let r = ana
        .patch(
            &path,
            json!({"name": "Luciana Souza", "email": " Lu@Example.com ", "document": "529.982.247-25",
                   "birth_date": "1990-12-31", "customer_code": "C-42", "broadcast_opt_in": false,
                   "custom": {"plano": "ouro"}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let c: serde_json::Value = r.json().await.unwrap();
    assert_eq!(c["name"], "Luciana Souza");
    assert_eq!(c["document"], "52998224725");
    assert_eq!(c["document_kind"], "cpf");
    assert_eq!(c["broadcast_opt_in"], false);
    assert_eq!(c["custom"], json!({"plano": "ouro"}));
    assert_eq!(
        ana.conversation(&chat).await["contact"]["name"],
        "Luciana Souza"
    );

    // "" clears an optional field, null removes a custom value.
    let c = ana
        .patch(
            &path,
            json!({"customer_code": "", "custom": {"plano": null}}),
        )
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert!(c["customer_code"].is_null());
    assert_eq!(c["custom"], json!({}));
    assert_eq!(
        c["email"].as_str().unwrap().to_lowercase(),
        "lu@example.com"
    );

    // A contact whose only chat Ana may not see: the Contacts module's view
    // level (an agent's default) shows it, but only chats she works in let
    // her edit it.
    let hidden_path = format!("/api/v1/contacts/{hidden}");
    assert_eq!(ana.get_json(&hidden_path).await["name"], "Cliente B");
    assert_error(
        ana.patch(&hidden_path, json!({"name": "X"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(admin.get_json(&hidden_path).await["name"], "Cliente B");
    // Without the Contacts module it does not exist for her at all.
    let r = admin
        .patch(
            &format!("/api/v1/users/{}", ana.user_id),
            json!({"permissions": {"modules": {"chat": "view_edit"}, "capabilities": []}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_error(
        ana.get(&hidden_path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(ana.get_json(&path).await["name"], "Luciana Souza");

    // The change was told to the chat: one contact.updated event.
    let events = admin.get_json("/api/v1/events?after=0&limit=5000").await;
    let updates: Vec<_> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "contact.updated" && e["conversation_id"] == chat.as_str())
        .collect();
    assert_eq!(updates.len(), 2, "two edits changed something");
}

async fn ana_hidden_contact(admin: &crate::helpers::Session, chat: &str) -> String {
    admin.conversation(chat).await["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn tags_on_a_chat_filter_the_list() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let inbox = create_inbox(&admin, "PNID-1").await;
    let vip = admin
        .post_json("/api/v1/tags", json!({"name": "VIP", "color": "#ff0000"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let atraso = admin
        .post_json(
            "/api/v1/tags",
            json!({"name": "Atraso", "color": "#00ff00"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let chat = seed_conversation(&app, &inbox, "5511900000001", "Cliente A").await;
    seed_conversation(&app, &inbox, "5511900000002", "Cliente B").await;
    let path = format!("/api/v1/conversations/{chat}/tags");

    let r = admin
        .send(
            reqwest::Method::PUT,
            &path,
            Some(json!({"tags": [vip, atraso]})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let c: serde_json::Value = r.json().await.unwrap();
    // By name: Atraso before VIP.
    assert_eq!(c["tags"], json!([atraso, vip]));

    let listed = admin
        .get_json(&format!("/api/v1/conversations?tag={vip}"))
        .await;
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], chat.as_str());
    assert_eq!(items[0]["tags"], json!([atraso, vip]));

    // An unknown tag: 422 and the tags stay.
    let r = admin
        .send(
            reqwest::Method::PUT,
            &path,
            Some(json!({"tags": [uuid::Uuid::now_v7().to_string()]})),
        )
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(
        admin.conversation(&chat).await["tags"],
        json!([atraso, vip])
    );

    let r = admin
        .send(reqwest::Method::PUT, &path, Some(json!({"tags": []})))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(admin.conversation(&chat).await["tags"], json!([]));
    let tagged = admin.get_json("/api/v1/events?after=0&limit=5000").await["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "conversation.tagged")
        .count();
    assert_eq!(tagged, 2);
}
