//! A bot flow on Telegram: its menu is an inline keyboard, and a press of
//! a button answers the flow like a WhatsApp button reply.

use std::time::Duration;

use serde_json::json;

use crate::support::Tg;

#[tokio::test]
async fn the_flow_menu_is_an_inline_keyboard_and_a_press_routes_the_chat() {
    let tg = Tg::start().await;
    let d = tg
        .admin
        .post_json("/api/v1/departments", json!({"name": "Vendas"}))
        .await;
    let vendas = d["id"].as_str().unwrap().to_string();
    // A menu of two buttons; "Comprar" goes to Vendas.
    let flow: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/menu-flow.json")).unwrap();
    let r = tg
        .admin
        .post(
            "/api/v1/flows/import",
            json!({"document": flow, "entry_inbox": tg.inbox_id}),
        )
        .await;
    assert_eq!(r.status(), 201);

    let chat = 5_700_000_007;
    let (oi, _) = tg.sim.text(chat, "Nina", "oi");
    tg.post(&oi).await;
    let sent = tg.fake.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(sent[0].method, "sendMessage");
    assert_eq!(
        sent[0].params,
        json!({"chat_id": chat, "text": "Olá, Nina! Como podemos ajudar?", "reply_markup": {"inline_keyboard": [
            [{"text": "Comprar", "callback_data": "vendas"}],
            [{"text": "Suporte", "callback_data": "suporte"}]]}})
    );
    let shown = sent[0].message_id().unwrap();
    let (press, _) = tg.sim.callback(chat, "Nina", shown, "vendas", "Comprar");
    tg.post(&press).await;
    let conv = tg.conversation_of("Nina").await;
    let handed = tg
        .until(async || {
            let c = tg.admin.conversation(&conv).await;
            (c["department_id"] == vendas.as_str()).then_some(c)
        })
        .await;
    assert_eq!(handed["flow_running"], false);
    assert!(handed["protocol"].is_string(), "an attendance opened");
}
