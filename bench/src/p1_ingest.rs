//! P1: signed WhatsApp webhooks over loopback HTTP into a running server,
//! sustained rate and latency percentiles, next to the raw insert rate of
//! the same rows measured in the same run (DESIGN §7).

use std::sync::Arc;
use std::time::{Duration, Instant};

use atende_server::{Application, Config};
use atende_store::directory::NewInbox;
use atende_store::testing::TestDb;
use atende_testkit::Simulator;
use clap::Parser;
use serde_json::json;

#[derive(Parser)]
#[command(
    about = "P1 ingest benchmark. Uses a fresh SQLite file, or a fresh PostgreSQL database when ATENDE_TEST_DATABASE_URL is set."
)]
struct Args {
    /// Webhook deliveries (one message each).
    #[arg(long, default_value_t = 20_000)]
    messages: usize,
    /// Distinct customers the messages come from.
    #[arg(long, default_value_t = 2_000)]
    contacts: usize,
    /// Concurrent HTTP connections.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Messages inserted directly for the raw-insert reference.
    #[arg(long, default_value_t = 20_000)]
    raw: usize,
}

const PHONE_ID: &str = "555000111";
const SECRET: &str = "bench-secret";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = TestDb::new().await;
    let backend = format!("{:?}", db.store.backend());
    let b = atende_server::bootstrap::bootstrap(
        &db.store,
        "Bench",
        "bench@example.com",
        "bench-password",
        false,
    )
    .await?;
    let org: atende_domain::OrgId = b.org_id.parse()?;
    let mut tx = db.store.begin().await?;
    let inbox = tx
        .create_inbox(NewInbox {
            org_id: org,
            name: "WA".into(),
            channel: "whatsapp".into(),
            external_id: Some(PHONE_ID.into()),
            settings: json!({"phone_number_id": PHONE_ID, "waba_id": "1"}),
            secrets: json!({"access_token": "t", "app_secret": SECRET, "verify_token": "v"}),
            chatbot_enabled: false,
        })
        .await?;
    tx.commit().await?;

    let config = Config {
        listen: "127.0.0.1:0".into(),
        database_url: db.url.clone(),
        workers: 1,
        log: "warn".into(),
        ..Config::default()
    };
    let app = Application::build_with_store(config, db.store.clone()).await?;
    let url = format!("http://127.0.0.1:{}/webhooks/whatsapp", app.port());
    tokio::spawn(app.run_until_stopped());

    // Pre-build and sign every body, so the clock measures the server.
    let sim = Simulator::new(url.clone(), SECRET, PHONE_ID, "5511900000000", "1");
    let bodies: Vec<(Vec<u8>, String)> = (0..args.messages)
        .map(|i| {
            let wa = format!("55119{:08}", i % args.contacts);
            let (_, p) = sim.text_payload(
                &wa,
                &format!("Cliente {}", i % args.contacts),
                &format!("Mensagem número {i} — olá!"),
            );
            let body = atende_testkit::ascii_escape_json(&p).into_bytes();
            let sig = sim.sign(&body);
            (body, sig)
        })
        .collect();
    let bodies = Arc::new(bodies);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    // Warm-up: contacts and conversations of the first deliveries.
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency {
        let (client, url, bodies, next) =
            (client.clone(), url.clone(), bodies.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((body, sig)) = bodies.get(i) else {
                    return Ok::<_, anyhow::Error>(lat);
                };
                let t = Instant::now();
                let r = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("x-hub-signature-256", sig)
                    .body(body.clone())
                    .send()
                    .await?;
                if r.status() != 200 {
                    anyhow::bail!("HTTP {}", r.status());
                }
                lat.push(t.elapsed());
            }
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await??);
    }
    let elapsed = start.elapsed();
    lat.sort();
    let rate = args.messages as f64 / elapsed.as_secs_f64();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];

    // Reference: the same message rows inserted with plain multi-row
    // INSERTs (200 per transaction): what the database itself can take.
    let convs: Vec<_> = {
        let mut tx = db.store.begin().await?;
        let c = tx
            .upsert_contact(org, inbox.id, "5511000000001", "Raw", None)
            .await?;
        let conv = tx.conversation_for(org, inbox.id, c.id).await?;
        tx.commit().await?;
        vec![conv]
    };
    let conv = &convs[0];
    // SQLite caps bound parameters per statement (32766); 200 rows × 5 fits.
    let raw_rate =
        atende_store::testing::raw_insert_messages(&db.store, conv, args.raw, 200).await?;

    let stored: i64 = match db.store.backend() {
        atende_store::Backend::Sqlite | atende_store::Backend::Postgres => {
            let mut total = 0;
            let mut q = atende_store::chats::ConversationQuery::new(
                org,
                b.user_id.parse()?,
                true,
                atende_domain::ChatView::All,
            );
            q.limit = 200;
            loop {
                let (items, next) = db.store.conversations(&q).await?;
                total += items.len() as i64;
                match next {
                    Some(c) => q.cursor = Some(c),
                    None => break,
                }
            }
            total
        }
    };
    println!(
        "| {backend} | {} | {} | {:.0} msg/s | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} msg/s | {:.0} % | {stored} chats |",
        args.messages,
        args.concurrency,
        rate,
        ms(pct(0.50)),
        ms(pct(0.95)),
        ms(pct(0.99)),
        raw_rate,
        100.0 * rate / raw_rate
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
