//! `atende demo`: a demo organization with two departments and agents, one
//! WhatsApp inbox bound to an in-process fake Graph API, and simulated
//! customers writing in Portuguese. Replies reach the fake and come back
//! as delivered/read receipts.

use std::collections::HashSet;
use std::time::Duration;

use atende_domain::{Email, Permissions, Role};
use atende_store::Store;
use atende_store::accounts::NewUser;
use atende_store::directory::NewInbox;
use atende_testkit::conversation::{customer_names, follow_ups, opening_lines, random_wa_id};
use atende_testkit::{FakeGraph, FakeTemplate, Simulator};
use rand::Rng;
use rand::seq::IndexedRandom;
use serde_json::json;

use crate::auth;

pub const DEMO_ORG: &str = "Loja Demonstração";
pub const DEMO_PASSWORD: &str = "demo1234";
const PHONE_ID: &str = "100000000000001";
const WABA: &str = "200000000000001";
const TOKEN: &str = "demo-access-token";
const APP_SECRET: &str = "demo-app-secret";

/// The people of the demo: (e-mail, name, role, department).
const PEOPLE: &[(&str, &str, Role, Option<&str>)] = &[
    ("admin@demo.atende.dev", "Administradora", Role::Admin, None),
    (
        "ana@demo.atende.dev",
        "Ana (Vendas)",
        Role::Agent,
        Some("Vendas"),
    ),
    (
        "bruno@demo.atende.dev",
        "Bruno (Suporte)",
        Role::Agent,
        Some("Suporte"),
    ),
    (
        "carla@demo.atende.dev",
        "Carla (Gerente)",
        Role::Manager,
        None,
    ),
];

/// Starts the fake Graph API with the demo number and its templates.
pub async fn fake_graph() -> FakeGraph {
    let graph = FakeGraph::start().await;
    graph.add_number(PHONE_ID, WABA, TOKEN);
    let body = |text: &str| json!({"type": "BODY", "text": text, "example": {"body_text": [["Maria", "4521"]]}});
    for (name, category, components) in [
        (
            "boas_vindas",
            "MARKETING",
            json!([body(
                "Olá {{1}}! Aqui é da Loja Demonstração. Como podemos ajudar?"
            )]),
        ),
        (
            "pedido_enviado",
            "UTILITY",
            json!([
                {"type": "HEADER", "format": "TEXT", "text": "Pedido {{1}}", "example": {"header_text": ["4521"]}},
                body("Olá {{1}}, seu pedido {{2}} foi enviado e chega em até 3 dias úteis."),
                {"type": "FOOTER", "text": "Loja Demonstração"}
            ]),
        ),
        (
            "retomar_atendimento",
            "MARKETING",
            json!([body(
                "Oi {{1}}! Ainda precisa de ajuda com o seu atendimento?"
            )]),
        ),
        (
            "colecao_nova",
            "MARKETING",
            json!([
                {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["https://exemplo.com.br/colecao.png"]}},
                body("Oi {{1}}! Chegou a coleção nova, com frete grátis até domingo.")
            ]),
        ),
    ] {
        let mut t = FakeTemplate::approved(name, "pt_BR");
        t.category = category.into();
        t.components = components;
        graph.add_template(WABA, t);
    }
    graph
}

/// Creates (once) the demo organization, people, departments and inbox.
pub async fn seed(store: &Store) -> anyhow::Result<()> {
    if store.org_by_name(DEMO_ORG).await?.is_some() {
        return Ok(());
    }
    let hash = tokio::task::spawn_blocking(|| auth::hash_password(DEMO_PASSWORD))
        .await?
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let mut tx = store.begin().await?;
    let org = tx.create_org(DEMO_ORG, "agency", None).await?;
    let sales = tx.create_department(org.id, "Vendas").await?;
    let support = tx.create_department(org.id, "Suporte").await?;
    for (email, name, role, dept) in PEOPLE {
        let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
        let user = tx
            .create_user(NewUser {
                org_id: org.id,
                email: email.as_str().into(),
                name: (*name).into(),
                password_hash: hash.clone(),
                role: *role,
                permissions: Permissions::for_role(*role),
            })
            .await?;
        match dept {
            Some("Vendas") => tx.add_member(org.id, sales.id, user.id).await?,
            Some(_) => tx.add_member(org.id, support.id, user.id).await?,
            None => false,
        };
    }
    let inbox = tx
        .create_inbox(NewInbox {
            org_id: org.id,
            name: "WhatsApp da Loja".into(),
            channel: "whatsapp".into(),
            external_id: Some(PHONE_ID.into()),
            settings: json!({"phone_number_id": PHONE_ID, "waba_id": WABA}),
            secrets: json!({"access_token": TOKEN, "app_secret": APP_SECRET, "verify_token": "demo"}),
            chatbot_enabled: false,
        })
        .await?;
    tx.enqueue(atende_store::NewJob::now(
        Some(org.id),
        crate::jobs::kinds::SYNC_TEMPLATES,
        json!({"inbox_id": inbox.id}),
    ))
    .await?;
    tx.commit().await?;
    // The example welcome flow is the inbox's entry flow; the inbox's
    // chatbot switch stays off so the simulated customers reach people
    // directly, until someone turns it on.
    let welcome: serde_json::Value = serde_json::from_str(WELCOME_FLOW)?;
    crate::flows::import(store, org.id, &welcome, Some(inbox.id), None)
        .await
        .map_err(|e| anyhow::anyhow!("the example welcome flow: {e:?}"))?;
    Ok(())
}

/// `examples/flows/boas-vindas.json`, the pt-BR welcome flow.
pub const WELCOME_FLOW: &str = include_str!("../../../examples/flows/boas-vindas.json");

/// Prints where to go and who to log in as.
pub fn banner(url: &str, graph_url: &str) -> String {
    let mut s = format!(
        "\n  Atende demo: {url}\n  API: {url}/api/docs\n  WhatsApp falso (mensagens recebidas): {graph_url}/__fake/messages\n\n  Logins (senha {DEMO_PASSWORD}):\n"
    );
    for (email, name, role, _) in PEOPLE {
        s.push_str(&format!("    {email:<26} {name} ({})\n", role.as_str()));
    }
    s
}

/// The demo's click-to-WhatsApp ads: (ad id, headline).
const DEMO_ADS: &[(&str, &str)] = &[
    ("120200000000000001", "Promoção de inverno"),
    ("120200000000000002", "Frete grátis no Pix"),
];

/// Customers writing at `per_minute` messages per minute, and receipts for
/// every reply the fake Graph receives. Runs until the process ends.
pub async fn simulate(graph: FakeGraph, webhook_url: String, per_minute: f64) {
    let sim = Simulator::new(webhook_url, APP_SECRET, PHONE_ID, "5511900000000", WABA);
    let http = reqwest::Client::new();
    let customers: Vec<(String, &str)> = {
        let mut rng = rand::rng();
        customer_names()
            .iter()
            .map(|n| (random_wa_id(&mut rng), *n))
            .collect()
    };
    let receipts = tokio::spawn(receipts(graph, sim.clone(), http.clone()));
    let mut written: HashSet<String> = HashSet::new();
    let pause = Duration::from_secs_f64(60.0 / per_minute.max(0.1));
    loop {
        let (wa_id, name, text, ad) = {
            let mut rng = rand::rng();
            let Some((wa_id, name)) = customers.choose(&mut rng) else {
                return;
            };
            let first = !written.contains(wa_id);
            let lines = if first { opening_lines() } else { follow_ups() };
            // One first message in four comes from a click-to-WhatsApp ad.
            let ad = (first && rng.random_ratio(1, 4))
                .then(|| DEMO_ADS.choose(&mut rng))
                .flatten();
            (
                wa_id.clone(),
                *name,
                lines.choose(&mut rng).copied().unwrap_or("Oi!"),
                ad,
            )
        };
        let (_, mut payload) = sim.text_payload(&wa_id, name, text);
        if let Some((source_id, headline)) = ad {
            payload["entry"][0]["changes"][0]["value"]["messages"][0]["referral"] = json!({
                "source_url": format!("https://fb.me/demo{source_id}"),
                "source_id": source_id,
                "source_type": "ad",
                "headline": headline,
                "media_type": "image",
                "ctwa_clid": format!("demo-{source_id}"),
            });
        }
        let r = sim.post(&http, &payload).await;
        if r.status == 200 {
            written.insert(wa_id);
        } else {
            tracing::warn!(status = r.status, "demo customer message refused");
        }
        tokio::time::sleep(pause).await;
        if receipts.is_finished() {
            return;
        }
    }
}

/// Delivered, then read, a moment after each reply reaches the fake.
async fn receipts(graph: FakeGraph, sim: Simulator, http: reqwest::Client) {
    let mut seen = 0usize;
    loop {
        let sent = graph
            .wait_for_sends(seen + 1, Duration::from_secs(3600))
            .await;
        for req in sent.iter().skip(seen) {
            let (Some(wamid), Some(to)) =
                (req.wamid(), req.body.get("to").and_then(|v| v.as_str()))
            else {
                continue;
            };
            for (status, delay) in [("delivered", 800), ("read", 2500)] {
                tokio::time::sleep(Duration::from_millis(delay)).await;
                sim.post(&http, &sim.status_payload(wamid, status, to, None))
                    .await;
            }
        }
        seen = sent.len();
    }
}
