//! The demo's web chat: a shop's site on a second local address (another
//! origin, as a customer's site would be) with the widget's tag, the
//! widget inbox that lets it, and simulated visitors writing through the
//! visitor API as the widget does.

use std::time::Duration;

use atende_domain::{InboxId, OrgId};
use atende_store::Store;
use atende_store::directory::{InboxPatch, NewInbox};
use atende_testkit::conversation::{customer_names, follow_ups, opening_lines};
use axum::Router;
use axum::response::Html;
use axum::routing::get;
use rand::seq::IndexedRandom;
use serde_json::{Value, json};
use tokio::net::TcpListener;

const INBOX_NAME: &str = "Chat do Site";

/// Binds the shop's site next to the demo (the demo's port + 1 when free);
/// returns the listener and its origin.
pub async fn bind_site(app_port: u16) -> anyhow::Result<(TcpListener, String)> {
    let listener = match TcpListener::bind(("127.0.0.1", app_port.saturating_add(1))).await {
        Ok(l) => l,
        Err(_) => TcpListener::bind(("127.0.0.1", 0)).await?,
    };
    let origin = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
    Ok((listener, origin))
}

/// The demo's widget inbox, created when missing, allowing the site's
/// origin of this run.
pub async fn widget_inbox(store: &Store, org: OrgId, site: &str) -> anyhow::Result<InboxId> {
    let existing = store
        .inboxes(org)
        .await?
        .into_iter()
        .find(|i| i.channel == "widget");
    let mut tx = store.begin().await?;
    let id = match existing {
        Some(i) => {
            let mut settings = i.settings.0.clone();
            settings["allowed_origins"] = json!([site]);
            tx.update_inbox(
                org,
                i.id,
                InboxPatch {
                    settings: Some(settings),
                    ..Default::default()
                },
            )
            .await?;
            i.id
        }
        None => {
            tx.create_inbox(NewInbox {
                org_id: org,
                name: INBOX_NAME.into(),
                channel: "widget".into(),
                external_id: Some("wc_demoLojaDemonstracao0001".into()),
                settings: json!({
                    "allowed_origins": [site],
                    "title": "Fale com a Loja",
                    "greeting": "Olá! 👋 Somos a Loja Demonstração. Como podemos ajudar?",
                    "color": "#0a7d4f",
                    "prechat": {"name": "required", "email": "optional", "phone": "off"},
                    "closed_message": "Estamos fora do horário de atendimento, mas deixe sua mensagem: respondemos assim que voltarmos.",
                    "identity_verification": false,
                    "public_key": "wc_demoLojaDemonstracao0001",
                }),
                secrets: json!({}),
                chatbot_enabled: false,
            })
            .await?
            .id
        }
    };
    tx.commit().await?;
    Ok(id)
}

/// Serves the shop's page, whose widget talks to the demo at `app_url`.
pub async fn serve_site(listener: TcpListener, app_url: String, inbox: InboxId) {
    let page = site_page(&app_url, inbox);
    let router = Router::new().route("/", get(move || async move { Html(page) }));
    if let Err(e) = axum::serve(listener, router).await {
        tracing::warn!(error = %e, "the demo site stopped");
    }
}

fn site_page(app_url: &str, inbox: InboxId) -> String {
    let products = [
        ("Tênis Corrida Leve", "R$ 299,90", "#f2c14e"),
        ("Mochila Urbana 20 L", "R$ 189,00", "#5da9e9"),
        ("Garrafa Térmica 750 ml", "R$ 89,90", "#6a994e"),
    ]
    .iter()
    .map(|(name, price, colour)| {
        format!(
            "<article><div class=\"foto\" style=\"background:{colour}\"></div><h2>{name}</h2><p>{price}</p><button type=\"button\">Comprar</button></article>"
        )
    })
    .collect::<String>();
    format!(
        "<!doctype html><html lang=\"pt-BR\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Loja Demonstração</title>\
<style>body{{margin:0;font-family:system-ui,sans-serif;background:#fafafa;color:#222}}\
header{{background:#0a7d4f;color:#fff;padding:18px 32px}}header h1{{margin:0;font-size:22px}}\
main{{max-width:960px;margin:24px auto;padding:0 16px}}.aviso{{background:#fff8e1;border:1px solid #f2c14e;padding:12px 16px;border-radius:8px}}\
.grade{{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:16px;margin-top:20px}}\
article{{background:#fff;border-radius:12px;padding:16px;box-shadow:0 1px 3px #0002}}.foto{{height:140px;border-radius:8px}}\
article h2{{font-size:16px}}article button{{background:#0a7d4f;color:#fff;border:0;border-radius:6px;padding:8px 14px}}</style></head>\
<body><header><h1>Loja Demonstração</h1></header><main>\
<p class=\"aviso\">Site de exemplo em outra origem. O balão no canto inferior direito é o widget de chat do Atende: \
escreva, e responda pelo console em <a href=\"{app_url}\">{app_url}</a> (caixa “{INBOX_NAME}”).</p>\
<div class=\"grade\">{products}</div></main>\
<script src=\"{app_url}/widget/v1/widget.js\" data-inbox=\"{inbox}\" async></script></body></html>"
    )
}

/// Visitors of the site writing at `per_minute` messages per minute, as
/// the widget does: a contact from the pre-chat form, then messages.
pub async fn simulate(app_url: String, site: String, inbox: InboxId, per_minute: f64) {
    let http = reqwest::Client::new();
    let names: Vec<&str> = customer_names()
        .iter()
        .skip(3)
        .step_by(2)
        .take(6)
        .copied()
        .collect();
    let mut sessions: Vec<Option<(String, String)>> = vec![None; names.len()];
    let pause = Duration::from_secs_f64(60.0 / per_minute.max(0.1));
    let mut n = 0u64;
    loop {
        tokio::time::sleep(pause).await;
        let (i, first, text) = {
            let mut rng = rand::rng();
            let i = (0..names.len())
                .collect::<Vec<_>>()
                .choose(&mut rng)
                .copied()
                .unwrap_or(0);
            let first = sessions[i].is_none();
            let lines = if first { opening_lines() } else { follow_ups() };
            (i, first, lines.choose(&mut rng).copied().unwrap_or("Oi!"))
        };
        if first {
            let r = http
                .post(format!("{app_url}/widget/v1/inboxes/{inbox}/contacts"))
                .header("origin", &site)
                .json(&json!({"name": names[i]}))
                .send()
                .await;
            let Ok(body) = async { r?.json::<Value>().await }.await else {
                continue;
            };
            if let (Some(conv), Some(token)) = (
                body["conversation_id"].as_str(),
                body["session_token"].as_str(),
            ) {
                sessions[i] = Some((conv.to_string(), token.to_string()));
            }
        }
        let Some((conv, token)) = sessions[i].clone() else {
            continue;
        };
        n += 1;
        let r = http
            .post(format!("{app_url}/widget/v1/conversations/{conv}/messages"))
            .header("origin", &site)
            .bearer_auth(token)
            .json(&json!({"client_message_id": format!("demo-{}-{n}", uuid::Uuid::now_v7().simple()), "text": text}))
            .send()
            .await;
        if !r.is_ok_and(|r| r.status().is_success()) {
            tracing::warn!("demo widget message refused");
        }
    }
}
