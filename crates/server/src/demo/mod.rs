//! `atende demo`: a demo organization with two departments and agents, a
//! WhatsApp number, a Facebook page and an Instagram account bound to an
//! in-process fake Graph API, a Telegram bot bound to an in-process fake
//! Bot API, and simulated customers writing in Portuguese on each (on
//! Instagram, now and then a story mention), and a shop's site on a second
//! local address with the web-chat widget and visitors writing through it
//! (`widget`). WhatsApp and Messenger replies come back as delivered/read
//! receipts; Telegram has none.

pub mod widget;

use std::collections::HashSet;
use std::time::Duration;

use atende_domain::{Email, Permissions, Role};
use atende_store::Store;
use atende_store::accounts::NewUser;
use atende_store::directory::NewInbox;
use atende_testkit::conversation::{customer_names, follow_ups, opening_lines, random_wa_id};
use atende_testkit::{
    FakeGraph, FakeTelegram, FakeTemplate, MetaSimulator, Simulator, TelegramSimulator,
};
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
const BOT_TOKEN: &str = "7000000001:AAE-demo-bot-token";
const BOT_ID: i64 = 7_000_000_001;
const BOT_SECRET: &str = "demoTelegramSecretToken";
const PAGE_ID: &str = "100000000000101";
const IG_ID: &str = "17841400000000101";
const PAGE_TOKEN: &str = "demo-page-token";

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

/// Starts the fake Graph API with the demo number and its templates, the
/// demo page and the demo Instagram account.
pub async fn fake_graph() -> FakeGraph {
    let graph = FakeGraph::start().await;
    graph.add_number(PHONE_ID, WABA, TOKEN);
    graph.add_page(PAGE_ID, PAGE_TOKEN);
    graph.add_page(IG_ID, PAGE_TOKEN);
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

/// Starts the fake Bot API with the demo bot.
pub async fn fake_telegram() -> FakeTelegram {
    let telegram = FakeTelegram::start().await;
    telegram.add_bot_named(BOT_TOKEN, "Loja Demonstração", "loja_demo_bot");
    telegram
}

/// Creates (once) the demo organization, people, departments and inboxes;
/// returns the Telegram inbox, whose webhook path names it.
pub async fn seed(store: &Store) -> anyhow::Result<atende_domain::InboxId> {
    if let Some(org) = store.org_by_name(DEMO_ORG).await? {
        meta_inboxes(store, org.id).await?;
        return telegram_inbox(store, org.id).await;
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
    meta_inboxes(store, org.id).await?;
    telegram_inbox(store, org.id).await
}

/// The demo's Messenger page and Instagram account, created when missing.
async fn meta_inboxes(store: &Store, org: atende_domain::OrgId) -> anyhow::Result<()> {
    let have = store.inboxes(org).await?;
    let mut tx = store.begin().await?;
    for (channel, name, key, id) in [
        ("messenger", "Página da Loja", "page_id", PAGE_ID),
        ("instagram", "Instagram da Loja", "account_id", IG_ID),
    ] {
        if have.iter().any(|i| i.channel == channel) {
            continue;
        }
        tx.create_inbox(NewInbox {
            org_id: org,
            name: name.into(),
            channel: channel.into(),
            external_id: Some(id.into()),
            settings: json!({ key: id }),
            secrets: json!({"access_token": PAGE_TOKEN, "app_secret": APP_SECRET, "verify_token": "demo"}),
            chatbot_enabled: false,
        })
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The demo's Telegram inbox, created when missing (a demo made by an
/// earlier version has only WhatsApp). Its webhook is not set: the demo's
/// customers post straight to it, with its secret.
async fn telegram_inbox(
    store: &Store,
    org: atende_domain::OrgId,
) -> anyhow::Result<atende_domain::InboxId> {
    if let Some(i) = store
        .inboxes(org)
        .await?
        .into_iter()
        .find(|i| i.channel == "telegram")
    {
        return Ok(i.id);
    }
    let mut tx = store.begin().await?;
    let inbox = tx
        .create_inbox(NewInbox {
            org_id: org,
            name: "Telegram da Loja".into(),
            channel: "telegram".into(),
            external_id: Some(BOT_ID.to_string()),
            settings: json!({"bot_id": BOT_ID.to_string()}),
            secrets: json!({"bot_token": BOT_TOKEN, "secret_token": BOT_SECRET}),
            chatbot_enabled: false,
        })
        .await?;
    tx.commit().await?;
    Ok(inbox.id)
}

/// `examples/flows/boas-vindas.json`, the pt-BR welcome flow.
pub const WELCOME_FLOW: &str = include_str!("../../../../examples/flows/boas-vindas.json");

/// Prints where to go and who to log in as.
pub fn banner(url: &str, graph_url: &str, telegram_url: &str, site: &str) -> String {
    let mut s = format!(
        "\n  Atende demo: {url}\n  API: {url}/api/docs\n  Site de exemplo com o widget de chat (outra origem): {site}\n  WhatsApp falso (mensagens recebidas): {graph_url}/__fake/messages\n  Messenger e Instagram falsos: o mesmo registro\n  Telegram falso (mensagens recebidas): {telegram_url}/__fake/messages\n\n  Logins (senha {DEMO_PASSWORD}):\n"
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

/// Telegram customers writing at `per_minute` messages per minute to the
/// demo bot's webhook. Runs until the process ends.
pub async fn simulate_telegram(telegram: FakeTelegram, webhook_url: String, per_minute: f64) {
    let sim = TelegramSimulator::new(webhook_url, BOT_SECRET, BOT_ID)
        .with_bot_name("Loja Demonstração", "loja_demo_bot")
        .linked(&telegram);
    let http = reqwest::Client::new();
    // Other customers than WhatsApp's, so the two lists are told apart.
    let customers: Vec<(i64, &str)> = customer_names()
        .iter()
        .rev()
        .take(8)
        .map(|n| (TelegramSimulator::random_chat_id(), *n))
        .collect();
    let mut written: HashSet<i64> = HashSet::new();
    let pause = Duration::from_secs_f64(60.0 / per_minute.max(0.1));
    loop {
        let (chat, name, text) = {
            let mut rng = rand::rng();
            let Some((chat, name)) = customers.choose(&mut rng) else {
                return;
            };
            let lines = if written.contains(chat) {
                follow_ups()
            } else {
                opening_lines()
            };
            (
                *chat,
                *name,
                lines.choose(&mut rng).copied().unwrap_or("Oi!"),
            )
        };
        let (update, _) = sim.text(chat, name, text);
        let r = sim.post(&http, &update).await;
        if r.status == 200 {
            written.insert(chat);
        } else {
            tracing::warn!(status = r.status, "demo Telegram message refused");
        }
        tokio::time::sleep(pause).await;
    }
}

/// Messenger and Instagram customers writing at `per_minute` messages per
/// minute in all to the Meta webhook; on Instagram, one first contact in
/// five mentions the shop in a story instead. Echoes of the agents'
/// replies and Messenger's delivery receipts come back from the fake.
pub async fn simulate_meta(graph: FakeGraph, webhook_url: String, per_minute: f64) {
    let sims = [
        MetaSimulator::messenger(webhook_url.clone(), APP_SECRET, PAGE_ID),
        MetaSimulator::instagram(webhook_url, APP_SECRET, IG_ID),
    ];
    for s in &sims {
        graph.deliver_meta_webhooks(s.clone());
    }
    let http = reqwest::Client::new();
    // Customers with the profiles the User Profile API gives (Meta's
    // webhooks carry only their ids).
    let customers: Vec<(usize, String)> = customer_names()
        .iter()
        .skip(2)
        .take(10)
        .enumerate()
        .map(|(n, name)| {
            let user = MetaSimulator::random_user_id();
            let profile = match (n % 2, name.split_once(' ')) {
                (0, Some((first, last))) => json!({"first_name": first, "last_name": last}),
                _ => json!({"name": name, "username": name.to_lowercase().replace(' ', ".")}),
            };
            graph.add_profile(&user, profile);
            (n % 2, user)
        })
        .collect();
    let mut written: HashSet<String> = HashSet::new();
    let pause = Duration::from_secs_f64(60.0 / per_minute.max(0.1));
    loop {
        let (which, user, text, mention) = {
            let mut rng = rand::rng();
            let Some((which, user)) = customers.choose(&mut rng) else {
                return;
            };
            let first = !written.contains(user);
            let lines = if first { opening_lines() } else { follow_ups() };
            let mention = first && *which == 1 && rng.random_ratio(1, 5);
            (
                *which,
                user.clone(),
                lines.choose(&mut rng).copied().unwrap_or("Oi!"),
                mention,
            )
        };
        let sim = &sims[which];
        let delivery = if mention {
            sim.story_mention(
                &user,
                "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=demo",
            )
            .0
        } else {
            sim.text(&user, text).0
        };
        let r = sim.post(&http, &delivery).await;
        if r.status == 200 {
            written.insert(user);
        } else {
            tracing::warn!(status = r.status, "demo Meta message refused");
        }
        tokio::time::sleep(pause).await;
    }
}
