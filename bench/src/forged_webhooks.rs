//! Forged webhooks against many tenants (issue #7, defect 17): the cost of
//! an unsigned 1.9 MB delivery naming one inbox, and the latency of a
//! legitimate delivery while four senders post such forgeries, with the
//! number of configured apps (tenants) as the variable. Run it twice, with
//! `--tenants 2` (the reference) and `--tenants 400`: a cost that does not
//! grow with the tenants is the target.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use atende_store::testing::TestDb;
use atende_testkit::Simulator;
use clap::Parser;
use serde_json::json;

// One organization with many inboxes: the shared one-inbox set-up is unused.
#[allow(dead_code)]
mod server;
use server::start_server;

#[derive(Parser)]
#[command(about = "Forged webhook cost against the number of tenants (fresh SQLite file).")]
struct Args {
    /// WhatsApp inboxes, each with its own Meta app secret.
    #[arg(long, default_value_t = 400)]
    tenants: usize,
    /// Size of each forged body, in KiB.
    #[arg(long, default_value_t = 1900)]
    body_kib: usize,
    /// Forged deliveries timed one after the other.
    #[arg(long, default_value_t = 30)]
    forged: usize,
    /// Concurrent senders of forgeries while legitimate deliveries are timed.
    #[arg(long, default_value_t = 4)]
    senders: usize,
    /// Legitimate deliveries timed under that load.
    #[arg(long, default_value_t = 30)]
    legit: usize,
    /// The server binary (default: `atende` next to this one).
    #[arg(long)]
    server: Option<PathBuf>,
}

fn median_ms(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(v[v.len() / 2]), ms(*v.last().unwrap_or(&Duration::ZERO)))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let bin = server::server_bin(args.server.as_ref())?;
    let db = TestDb::new().await;
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
    for i in 0..args.tenants {
        tx.create_inbox(atende_store::directory::NewInbox {
            org_id: org,
            name: format!("WA {i}"),
            channel: "whatsapp".into(),
            external_id: Some(format!("pn{i}")),
            settings: json!({"phone_number_id": format!("pn{i}"), "waba_id": format!("waba{i}")}),
            secrets: json!({"access_token": "t", "app_secret": format!("secret-{i}"), "verify_token": "v"}),
            chatbot_enabled: false,
        })
        .await?;
    }
    tx.commit().await?;
    let dir = tempfile::tempdir()?;
    let server = start_server(&bin, &db.url, dir.path(), "warn", &[])?;
    let url = format!("http://{}/webhooks/whatsapp", server.addr);
    // The victim: the last tenant's number (the last secret tried in a scan).
    let victim = args.tenants - 1;
    let sim = Simulator::new(
        url.clone(),
        format!("secret-{victim}"),
        format!("pn{victim}"),
        "5511900000000",
        format!("waba{victim}"),
    );
    let (_, mut big) = sim.text_payload("5511911112222", "Forjado", "x");
    let pad = "a".repeat(args.body_kib * 1024);
    big["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = json!(pad);
    let forged = bytes::Bytes::from(serde_json::to_vec(&big)?);
    let bad_sig = format!("sha256={}", "0".repeat(64));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()?;
    let post_forged = {
        let http = http.clone();
        let url = url.clone();
        let forged = forged.clone();
        let bad_sig = bad_sig.clone();
        move || {
            let (http, url, forged, bad_sig) =
                (http.clone(), url.clone(), forged.clone(), bad_sig.clone());
            async move {
                http.post(&url)
                    .header("content-type", "application/json")
                    .header("x-hub-signature-256", bad_sig)
                    .body(forged)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            }
        }
    };
    // Warm up, and check the forgery is refused.
    let status = post_forged().await.context("forged post")?;
    anyhow::ensure!(status == 401, "a forged delivery answered {status}");
    let mut alone = Vec::new();
    for _ in 0..args.forged {
        let t = Instant::now();
        post_forged().await?;
        alone.push(t.elapsed());
    }
    // Legitimate deliveries while forgeries keep coming.
    let stop = Arc::new(AtomicBool::new(false));
    let mut senders = Vec::new();
    for _ in 0..args.senders {
        let stop = stop.clone();
        let post = post_forged.clone();
        senders.push(tokio::spawn(async move {
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let _ = post().await;
                n += 1;
            }
            n
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut legit = Vec::new();
    for i in 0..args.legit {
        let (_, p) = sim.text_payload(&format!("55119{i:08}"), "Cliente", "Oi");
        let t = Instant::now();
        let r = sim.post(&http, &p).await;
        legit.push(t.elapsed());
        anyhow::ensure!(r.status == 200, "a signed delivery answered {}", r.status);
    }
    stop.store(true, Ordering::Relaxed);
    let mut forged_under_load = 0;
    for s in senders {
        forged_under_load += s.await?;
    }
    let (fm, fx) = median_ms(alone);
    let (lm, lx) = median_ms(legit);
    println!(
        "tenants {}: forged {} KiB body median {fm:.1} ms (max {fx:.1}); signed delivery under {} forging senders median {lm:.1} ms (max {lx:.1}); {forged_under_load} forgeries refused meanwhile",
        args.tenants, args.body_kib, args.senders
    );
    drop(server);
    Ok(())
}
