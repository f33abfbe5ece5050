//! Bot flows end to end (FL-1, FL-2, CH-6): a customer's webhook starts the
//! inbox's entry flow, its menu reaches the fake Graph as interactive
//! buttons, the button reply hands the chat over to the chosen department.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::Wa;

/// A department with one agent in it; returns (department id, agent).
async fn department(wa: &Wa, name: &str) -> (String, crate::helpers::Session) {
    let d = wa
        .admin
        .post_json("/api/v1/departments", json!({"name": name}))
        .await;
    let id = d["id"].as_str().unwrap().to_string();
    let agent = wa
        .app
        .named_user(&wa.admin, "agent", &format!("Agente {name}"))
        .await;
    let r = wa
        .admin
        .post(
            &format!("/api/v1/departments/{id}/members"),
            json!({"user_id": agent.user_id}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    (id, agent)
}

/// Imports `doc` as the inbox's entry flow; returns the import's answer.
async fn entry_flow(wa: &Wa, doc: Value) -> Value {
    let r = wa
        .admin
        .post(
            "/api/v1/flows/import",
            json!({"document": doc, "entry_inbox": wa.inbox_id}),
        )
        .await;
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

fn welcome() -> Value {
    json!({
        "schema": 1,
        "name": "Boas-vindas",
        "start": "menu",
        "steps": {
            "menu": {"type": "send", "content": {"kind": "buttons", "text": "Olá, {nome}! Como podemos ajudar?",
                "buttons": [{"id": "vendas", "title": "Comprar"}, {"id": "suporte", "title": "Suporte"}]}, "next": "escolha"},
            "escolha": {"type": "ask", "field": "setor", "answer": {"kind": "option", "options": ["vendas", "suporte"]},
                "retries": 1, "invalid_message": "Escolha uma das opções, por favor.", "next": "rota", "invalid": "sem_setor"},
            "rota": {"type": "condition", "rules": [{"field": "setor", "op": "equals", "value": "vendas"}],
                "then": "para_vendas", "else": "para_suporte"},
            "para_vendas": {"type": "open_attendance", "target": {"to": "department", "department": "Vendas"}},
            "para_suporte": {"type": "open_attendance", "target": {"to": "department", "department": "Suporte"}},
            "sem_setor": {"type": "open_attendance", "target": {"to": "unassigned"}}
        }
    })
}

/// The conversation of a customer, once it exists.
async fn conversation_of(wa: &Wa, wa_id: &str) -> Value {
    wa.until(async || {
        wa.conversations()
            .await
            .into_iter()
            .find(|c| c["contact"]["phone"] == format!("+{wa_id}"))
    })
    .await
}

#[tokio::test]
async fn oi_gets_the_menu_as_buttons_and_the_reply_opens_the_chosen_department() {
    let wa = Wa::start().await;
    let (vendas, agent) = department(&wa, "Vendas").await;
    department(&wa, "Suporte").await;
    entry_flow(&wa, welcome()).await;

    let (_, oi) = wa.sim.text_payload("5511987654321", "Ana", "oi");
    assert_eq!(wa.sim.post(&wa.http, &oi).await.status, 200);
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(
        sent[0].body["interactive"],
        json!({"type": "button", "body": {"text": "Olá, Ana! Como podemos ajudar?"},
               "action": {"buttons": [{"type": "reply", "reply": {"id": "vendas", "title": "Comprar"}},
                                      {"type": "reply", "reply": {"id": "suporte", "title": "Suporte"}}]}}),
        "the menu reaches Graph as interactive reply buttons"
    );
    // While the flow runs the chat is in All only, with the automation mark.
    let conv = conversation_of(&wa, "5511987654321").await;
    assert_eq!(conv["flow_running"], true, "{conv}");
    assert!(
        conv["protocol"].is_null(),
        "no attendance while the bot runs"
    );
    let open = agent.get_json("/api/v1/conversations?view=open").await;
    assert_eq!(open["items"].as_array().unwrap().len(), 0);

    let (_, tap) = wa
        .sim
        .button_reply_payload("5511987654321", "Ana", "vendas", "Comprar");
    assert_eq!(wa.sim.post(&wa.http, &tap).await.status, 200);
    let id = conv["id"].as_str().unwrap().to_string();
    let handed = wa
        .until(async || {
            let c = wa.admin.conversation(&id).await;
            (c["department_id"] == vendas.as_str()).then_some(c)
        })
        .await;
    assert_eq!(handed["flow_running"], false);
    assert!(handed["protocol"].is_string(), "an attendance opened");
    // Visible in "Chats abertos" for the department's agent.
    let open = agent.get_json("/api/v1/conversations?view=open").await;
    let items = open["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{open}");
    assert_eq!(items[0]["id"], id.as_str());

    // The run is recorded (FL-3) with its trail and the answer.
    let flows = wa.admin.get_json("/api/v1/flows").await;
    let flow_id = flows[0]["id"].as_str().unwrap();
    let runs = wa
        .admin
        .get_json(&format!("/api/v1/flows/{flow_id}/runs"))
        .await;
    let run = &runs[0];
    assert_eq!(run["status"], "finished");
    assert_eq!(run["outcome"], "handover");
    assert_eq!(run["trigger"], "entry");
    assert_eq!(run["fields"]["setor"], "vendas");
    assert_eq!(
        run["trail"],
        json!(["menu", "escolha", "rota", "para_vendas"])
    );
}

#[tokio::test]
async fn a_wrong_answer_is_asked_again_then_takes_the_invalid_path() {
    let wa = Wa::start().await;
    department(&wa, "Vendas").await;
    department(&wa, "Suporte").await;
    entry_flow(&wa, welcome()).await;
    let conv = wa.customer_writes("5511911112222", "Bia", "oi").await;
    wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    let (_, m) = wa.sim.text_payload("5511911112222", "Bia", "quero pizza");
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    let sent = wa.graph.wait_for_sends(2, Duration::from_secs(10)).await;
    assert_eq!(
        sent[1].body["text"]["body"],
        "Escolha uma das opções, por favor."
    );
    let (_, m) = wa.sim.text_payload("5511911112222", "Bia", "ainda pizza");
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    let c = wa
        .until(async || {
            let c = wa.admin.conversation(&conv).await;
            c["protocol"].is_string().then_some(c)
        })
        .await;
    assert!(
        c["department_id"].is_null() && c["agent_id"].is_null(),
        "{c}"
    );
}

#[tokio::test]
async fn with_the_chatbot_switch_off_chats_go_straight_to_open() {
    let wa = Wa::start().await;
    department(&wa, "Vendas").await;
    department(&wa, "Suporte").await;
    entry_flow(&wa, welcome()).await;
    let r = wa
        .admin
        .patch(
            &format!("/api/v1/inboxes/{}", wa.inbox_id),
            json!({"chatbot_enabled": false}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let conv = wa.customer_writes("5511933334444", "Caio", "oi").await;
    let c = wa.admin.conversation(&conv).await;
    assert!(c["protocol"].is_string(), "an attendance opened at once");
    assert_eq!(c["flow_running"], false);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(wa.graph.sent_messages().is_empty(), "the bot said nothing");
}

#[tokio::test]
async fn a_template_that_does_not_exist_stops_the_run_with_a_system_line() {
    let wa = Wa::start().await;
    entry_flow(
        &wa,
        json!({"schema": 1, "name": "Aviso", "start": "t", "steps": {
            "t": {"type": "send", "content": {"kind": "template", "name": "sumiu", "language": "pt_BR"}, "next": "fim"},
            "fim": {"type": "send", "content": {"kind": "text", "text": "não deve chegar"}}
        }}),
    )
    .await;
    let conv = wa.customer_writes("5511955556666", "Duda", "oi").await;
    let line = wa
        .until(async || {
            wa.messages(&conv)
                .await
                .into_iter()
                .find(|m| m["text"] == "--- Mensagem template não enviada, verifique o fluxo ---")
        })
        .await;
    assert_eq!(line["author_kind"], "system");
    assert_eq!(line["internal"], true, "the contact does not see it");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(wa.graph.sent_messages().is_empty(), "nothing was sent");
    let c = wa.admin.conversation(&conv).await;
    assert_eq!(c["flow_running"], false, "the run stopped");
}

#[tokio::test]
async fn a_script_that_never_ends_is_stopped_and_takes_its_error_path() {
    let wa = Wa::start().await;
    entry_flow(
        &wa,
        json!({"schema": 1, "name": "Laço", "start": "js", "steps": {
            "js": {"type": "script", "code": "while (true) {}", "next": "ok", "error": "erro"},
            "ok": {"type": "send", "content": {"kind": "text", "text": "terminou"}},
            "erro": {"type": "send", "content": {"kind": "text", "text": "O script falhou."}}
        }}),
    )
    .await;
    wa.customer_writes("5511977778888", "Edu", "oi").await;
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(15)).await;
    assert_eq!(sent[0].body["text"]["body"], "O script falhou.");
}

#[tokio::test]
async fn an_http_step_maps_the_answer_into_fields() {
    // The test service listens on loopback: allowed by configuration.
    let wa = Wa::start_with(|c| c.flow_http_internal = true).await;
    // A local service that answers a customer's order.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let svc = axum::Router::new().route(
        "/pedidos/{id}",
        axum::routing::get(
            |axum::extract::Path(id): axum::extract::Path<String>| async move {
                axum::Json(json!({"pedido": {"id": id, "status": "enviado", "itens": 3}}))
            },
        ),
    );
    tokio::spawn(async move { axum::serve(listener, svc).await.unwrap() });
    entry_flow(
        &wa,
        json!({"schema": 1, "name": "Pedido", "start": "numero", "steps": {
            "numero": {"type": "send", "content": {"kind": "text", "text": "Qual o número do pedido?"}, "next": "pede"},
            "pede": {"type": "ask", "field": "pedido", "answer": {"kind": "number"}, "next": "consulta"},
            "consulta": {"type": "http", "method": "GET", "url": format!("http://{addr}/pedidos/{{pedido}}"),
                "map": {"situacao": "/pedido/status", "itens": "/pedido/itens"}, "next": "responde", "error": "falhou"},
            "responde": {"type": "send", "content": {"kind": "text", "text": "Pedido {pedido}: {situacao}, {itens} itens."}},
            "falhou": {"type": "send", "content": {"kind": "text", "text": "Serviço fora do ar."}}
        }}),
    )
    .await;
    wa.customer_writes("5511966667777", "Fê", "oi").await;
    wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    let (_, m) = wa.sim.text_payload("5511966667777", "Fê", "42");
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    let sent = wa.graph.wait_for_sends(2, Duration::from_secs(10)).await;
    assert_eq!(sent[1].body["text"]["body"], "Pedido 42: enviado, 3 itens.");
}

/// By default an HTTP step cannot reach the server's own networks (SSRF):
/// the run takes its error path and records why.
#[tokio::test]
async fn an_http_step_to_an_internal_address_takes_its_error_path() {
    let wa = Wa::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = hits.clone();
    let svc = axum::Router::new().fallback(move || {
        counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async { "segredo" }
    });
    tokio::spawn(async move { axum::serve(listener, svc).await.unwrap() });
    for (i, url) in [
        format!("http://{addr}/admin"),
        format!("http://localhost:{}/admin", addr.port()),
        "http://169.254.169.254/latest/meta-data".to_string(),
    ]
    .into_iter()
    .enumerate()
    {
        let r = wa
            .admin
            .post(
                "/api/v1/flows/import",
                json!({"entry_inbox": wa.inbox_id, "document": {"schema": 1, "name": format!("Interno {i}"), "start": "chama", "steps": {
                    "chama": {"type": "http", "method": "GET", "url": url, "next": "ok", "error": "falhou"},
                    "ok": {"type": "send", "content": {"kind": "text", "text": "alcançou"}},
                    "falhou": {"type": "send", "content": {"kind": "text", "text": "bloqueado"}}
                }}}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let flow = r.json::<Value>().await.unwrap()["flow"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let phone = format!("551198888000{i}");
        wa.customer_writes(&phone, "Gil", "oi").await;
        let sent = wa
            .graph
            .wait_for_sends(i + 1, Duration::from_secs(10))
            .await;
        assert_eq!(sent[i].body["text"]["body"], "bloqueado", "{url}");
        let runs = wa
            .admin
            .get_json(&format!("/api/v1/flows/{flow}/runs"))
            .await;
        let fields = runs[0]["fields"].to_string();
        assert!(fields.contains("rede interna"), "{url}: {fields}");
    }
    assert_eq!(
        hits.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "never reached"
    );
}

#[tokio::test]
async fn a_flow_with_problems_is_refused_naming_each_step() {
    let wa = Wa::start().await;
    let r = wa
        .admin
        .post(
            "/api/v1/flows/import",
            json!({"document": {"schema": 1, "name": "Quebrado", "start": "a", "steps": {
                "a": {"type": "send", "content": {"kind": "buttons", "text": "x",
                    "buttons": [{"id": "1", "title": "um título longo demais para botão"}]}, "next": "b"},
                "b": {"type": "open_attendance", "target": {"to": "department", "department": "Inexistente"}}
            }}}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_flow");
    let problems = body["error"]["details"]["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["step"] == "a"),
        "the button title is named: {body}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p["step"] == "b" && p["message"].as_str().unwrap().contains("Inexistente")),
        "{body}"
    );
    assert_eq!(
        wa.admin.get_json("/api/v1/flows").await,
        json!([]),
        "nothing was saved"
    );
}

/// The example welcome flow (`examples/flows/`), out of hours and in them
/// (LC-21, LC-22).
#[tokio::test]
async fn the_example_welcome_flow_tells_the_next_opening_and_lists_the_contact() {
    let wa = Wa::start().await;
    department(&wa, "Vendas").await;
    department(&wa, "Suporte").await;
    let doc: Value =
        serde_json::from_str(include_str!("../../../../examples/flows/boas-vindas.json")).unwrap();
    entry_flow(&wa, doc).await;
    // Open every day 08:00–18:00 (UTC), but today is a holiday: the next
    // opening is tomorrow at 08:00 whatever the time now.
    let today = chrono::Utc::now().date_naive().to_string();
    let hours = json!({"hours": {"time_zone": "UTC",
        "shifts": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "08:00", "to": "18:00"}],
        "holidays": [{"date": today, "name": "Feriado"}]}});
    let r = wa
        .admin
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/inboxes/{}/business-hours", wa.inbox_id),
            Some(hours.clone()),
        )
        .await;
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    let path = format!("/api/v1/inboxes/{}/business-hours", wa.inbox_id);
    let read = wa.admin.get_json(&path).await;
    assert_eq!(read["hours"], hours["hours"]);
    assert_eq!(read["open_now"], false);
    assert_eq!(read["next_opening"], "amanhã às 08:00");

    wa.customer_writes("5511944443333", "Ana", "oi").await;
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(
        sent[0].body["interactive"]["body"]["text"],
        "Olá, Ana! Estamos fora do horário de atendimento agora. Voltamos amanhã às 08:00. Quer que a gente entre em contato com você?"
    );
    let (_, tap) = wa
        .sim
        .button_reply_payload("5511944443333", "Ana", "sim", "Sim, me chamem");
    assert_eq!(wa.sim.post(&wa.http, &tap).await.status, 200);
    let sent = wa.graph.wait_for_sends(2, Duration::from_secs(10)).await;
    assert_eq!(sent[1].body["text"]["body"], "Anotado, Ana! Até logo.");
    let list = wa
        .until(async || {
            let l = wa.admin.get_json("/api/v1/out-of-hours").await;
            (l[0]["callback"] == "Sim").then_some(l)
        })
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "Ana");
    assert_eq!(list[0]["phone"], "+5511944443333");
    assert_eq!(list[0]["active_message_sent"], false);

    // "Enviar mensagem ativa": a template to the contact.
    wa.graph.add_template(
        crate::support::WABA,
        atende_testkit::FakeTemplate::approved("retorno", "pt_BR"),
    );
    let r = wa
        .admin
        .post(
            &format!("/api/v1/inboxes/{}/templates/sync", wa.inbox_id),
            json!({}),
        )
        .await;
    assert!(r.status().is_success());
    wa.synced_templates().await;
    let id = list[0]["id"].as_str().unwrap();
    let r = wa
        .admin
        .post(
            &format!("/api/v1/out-of-hours/{id}/active-message"),
            json!({"template": {"name": "retorno", "variables": ["{nome}"]}}),
        )
        .await;
    assert_eq!(r.status(), 202, "{}", r.text().await.unwrap());
    let sent = wa.graph.wait_for_sends(3, Duration::from_secs(10)).await;
    assert_eq!(sent[2].body["template"]["name"], "retorno");
    let list = wa.admin.get_json("/api/v1/out-of-hours").await;
    assert_eq!(list[0]["active_message_sent"], true);

    // In hours (none set: always open) the menu comes.
    let r = wa
        .admin
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/inboxes/{}/business-hours", wa.inbox_id),
            Some(json!({"hours": null})),
        )
        .await;
    assert_eq!(r.status(), 204);
    let read = wa.admin.get_json(&path).await;
    assert_eq!(
        read,
        json!({"hours": null, "open_now": true, "next_opening": null})
    );
    wa.customer_writes("5511944442222", "Beto", "oi").await;
    let sent = wa.graph.wait_for_sends(4, Duration::from_secs(10)).await;
    assert_eq!(
        sent[3].body["interactive"]["body"]["text"],
        "Olá, Beto! Sou o assistente virtual da loja. Como podemos ajudar?"
    );
}

/// LC-11: a flow chosen at closing runs for the contact once it closes.
#[tokio::test]
async fn closing_with_an_after_closing_flow_starts_it() {
    let wa = Wa::start().await;
    let survey = json!({"schema": 1, "name": "Pesquisa", "start": "nota", "steps": {
        "nota": {"type": "send", "content": {"kind": "text", "text": "De 1 a 5, como foi o atendimento, {nome}?"}, "next": "resposta"},
        "resposta": {"type": "ask", "field": "nota", "answer": {"kind": "number", "min": 1, "max": 5}, "next": "obrigado"},
        "obrigado": {"type": "send", "content": {"kind": "text", "text": "Obrigado pela nota {nota}!"}}
    }});
    let r = wa
        .admin
        .post("/api/v1/flows/import", json!({"document": survey}))
        .await;
    assert_eq!(r.status(), 201);
    let flow: Value = r.json().await.unwrap();
    let flow_id = flow["flow"]["id"].as_str().unwrap();
    let conv = wa.customer_writes("5511933332222", "Iris", "oi").await;
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/close"),
            json!({"flow_id": flow_id}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(
        sent[0].body["text"]["body"],
        "De 1 a 5, como foi o atendimento, Iris?"
    );
    let c = wa.admin.conversation(&conv).await;
    assert_eq!(c["flow_running"], true);
    assert!(c["protocol"].is_string());
    let (_, m) = wa.sim.text_payload("5511933332222", "Iris", "5");
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    let sent = wa.graph.wait_for_sends(2, Duration::from_secs(10)).await;
    assert_eq!(sent[1].body["text"]["body"], "Obrigado pela nota 5!");
    let runs = wa
        .admin
        .get_json(&format!("/api/v1/flows/{flow_id}/runs"))
        .await;
    assert_eq!(runs[0]["trigger"], "after_close");
    assert_eq!(runs[0]["contact_name"], "Iris");
    assert_eq!(runs[0]["contact_phone"], "+5511933332222");
    assert_eq!(runs[0]["status"], "finished");
    // The survey's answer did not reopen the chat for people.
    let c = wa.admin.conversation(&conv).await;
    assert!(c["agent_id"].is_null() && c["department_id"].is_null());
}

/// An agent (no Flows module) sees the published flows only, and forwards
/// their chat to one (LC-10).
#[tokio::test]
async fn an_agent_lists_published_flows_and_forwards_a_chat_to_one() {
    let wa = Wa::start().await;
    let (_, agent) = department(&wa, "Vendas").await;
    let survey = json!({"schema": 1, "name": "Pesquisa", "start": "oi", "steps": {
        "oi": {"type": "send", "content": {"kind": "text", "text": "Pesquisa rápida, {nome}!"}}
    }});
    let r = wa
        .admin
        .post("/api/v1/flows/import", json!({"document": survey}))
        .await;
    assert_eq!(r.status(), 201);
    let flow_id = r.json::<Value>().await.unwrap()["flow"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = wa
        .admin
        .post("/api/v1/flows", json!({"name": "Rascunho"}))
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(
        wa.admin
            .get_json("/api/v1/flows")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let seen = agent.get_json("/api/v1/flows").await;
    let names: Vec<&str> = seen
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Pesquisa"], "a draft is not offered");
    assert_eq!(seen[0]["entry_of"], json!([]));
    // Editing stays with the Flows module.
    let r = agent.get(&format!("/api/v1/flows/{flow_id}")).await;
    assert_eq!(r.status(), 403);

    let conv = wa.customer_writes("5511922223333", "Lia", "oi").await;
    let r = wa
        .admin
        .post(
            &format!("/api/v1/conversations/{conv}/assign"),
            json!({"agent_id": agent.user_id}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = agent
        .post(
            &format!("/api/v1/conversations/{conv}/flow"),
            json!({"flow_id": flow_id}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sent = wa.graph.wait_for_sends(1, Duration::from_secs(10)).await;
    assert_eq!(sent[0].body["text"]["body"], "Pesquisa rápida, Lia!");
}
