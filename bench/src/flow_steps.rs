//! Flow steps per second (issue #5): customers write to an inbox whose
//! entry flow has ten steps that run without waiting (fields, conditions,
//! two messages as the bot, the business-hours and agents-online checks,
//! the handover); the clock runs from the first webhook to the last run
//! finished. The server is the release `atende serve` binary in its own
//! process; the bot's messages go to a fake Graph API in this process.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::bail;
use atende_store::testing::TestDb;
use atende_testkit::{FakeGraph, Simulator};
use clap::Parser;
use serde_json::json;

#[allow(
    dead_code,
    reason = "shares the load generators' server helpers; uses some"
)]
mod server;
use server::start_server;

#[derive(Parser)]
#[command(
    about = "Flow steps per second. Uses a fresh SQLite file, or a fresh PostgreSQL database when ATENDE_TEST_DATABASE_URL is set."
)]
struct Args {
    /// Customers, each starting one run of the ten-step flow.
    #[arg(long, default_value_t = 2_000)]
    runs: usize,
    /// Concurrent webhook posts.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// The server binary (default: `atende` next to this one).
    #[arg(long)]
    server: Option<std::path::PathBuf>,
    /// The server's log filter; its log goes to this program's stderr.
    #[arg(long, default_value = "warn")]
    server_log: String,
    /// Replace the two messages by field updates: the executor alone,
    /// without the bot's messages and their deliveries.
    #[arg(long)]
    no_messages: bool,
}

const PHONE_ID: &str = "555000222";
const WABA: &str = "555000333";
const TOKEN: &str = "bench-token";
const SECRET: &str = "bench-secret";

/// Ten steps, none waiting: what a triage flow does before the handover.
fn flow(messages: bool) -> serde_json::Value {
    let mut f = json!({
        "schema": 1, "name": "Triagem", "start": "origem",
        "steps": {
            "origem": {"type": "set", "fields": {"origem": "whatsapp", "fila": "geral"}, "next": "canal"},
            "canal": {"type": "condition", "rules": [{"field": "origem", "op": "equals", "value": "whatsapp"}], "then": "ola", "else": "fim"},
            "ola": {"type": "send", "content": {"kind": "text", "text": "Olá, {nome}! Recebemos sua mensagem."}, "next": "prioridade"},
            "prioridade": {"type": "set", "fields": {"prioridade": "normal"}, "next": "vip"},
            "vip": {"type": "condition", "match": "any", "rules": [{"field": "prioridade", "op": "equals", "value": "alta"}, {"field": "fila", "op": "starts_with", "value": "ger"}], "then": "horario", "else": "fim"},
            "horario": {"type": "hours", "open": "online", "closed": "fim"},
            "online": {"type": "agents_online", "yes": "aviso", "no": "aviso"},
            "aviso": {"type": "send", "content": {"kind": "text", "text": "Em instantes alguém da equipe fala com você."}, "next": "marca"},
            "marca": {"type": "set", "fields": {"triado": "sim"}, "next": "fim"},
            "fim": {"type": "open_attendance", "target": {"to": "unassigned"}}
        }
    });
    if !messages {
        f["steps"]["ola"] = json!({"type": "set", "fields": {"ola": "sim"}, "next": "prioridade"});
        f["steps"]["aviso"] = json!({"type": "set", "fields": {"aviso": "sim"}, "next": "marca"});
    }
    f
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let bin = server::server_bin(args.server.as_ref())?;
    let graph = FakeGraph::start().await;
    graph.add_number(PHONE_ID, WABA, TOKEN);
    let db = TestDb::new().await;
    let backend = format!("{:?}", db.store.backend());
    let (org, inbox) = server::bench_inbox(&db.store, PHONE_ID, WABA, TOKEN, SECRET, true).await?;
    let imported = atende_server::flows::import(
        &db.store,
        org,
        &flow(!args.no_messages),
        Some(inbox.id),
        None,
    )
    .await
    .map_err(|e| anyhow::anyhow!("importing the flow: {e:?}"))?;

    let dir = tempfile::tempdir()?;
    let env = [
        ("ATENDE_WHATSAPP_GRAPH_URL", graph.base_url()),
        ("ATENDE_WHATSAPP_API_VERSION", graph.version()),
    ];
    let server = start_server(&bin, &db.url, dir.path(), &args.server_log, &env)?;
    let sim = Simulator::new(
        format!("http://{}/webhooks/whatsapp", server.addr),
        SECRET,
        PHONE_ID,
        "5511900000000",
        WABA,
    );
    let bodies: Vec<serde_json::Value> = (0..args.runs)
        .map(|i| {
            sim.text_payload(&format!("55119{i:08}"), &format!("Cliente {i}"), "oi")
                .1
        })
        .collect();
    let (bodies, sim) = (Arc::new(bodies), Arc::new(sim));
    let next = Arc::new(AtomicUsize::new(0));
    let http = reqwest::Client::new();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency {
        let (bodies, sim, next, http) = (bodies.clone(), sim.clone(), next.clone(), http.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(body) = bodies.get(i) else {
                    return Ok::<(), anyhow::Error>(());
                };
                let r = sim.post(&http, body).await;
                if r.status != 200 {
                    bail!("HTTP {}: {}", r.status, r.body);
                }
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    let posted = start.elapsed();
    // Wait for every run to end.
    let flow_id = imported.flow.id;
    let deadline = Instant::now() + Duration::from_secs(600);
    let (done, steps) = loop {
        let t = db.store.flow_run_totals(org, flow_id).await?;
        if t.runs == args.runs as i64 && t.active == 0 {
            if t.unfinished > 0 {
                bail!("{} runs did not finish", t.unfinished);
            }
            break (start.elapsed(), t.steps);
        }
        if Instant::now() > deadline {
            bail!(
                "only {} of {} runs ended in 10 minutes",
                t.runs - t.active,
                args.runs
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let rate = steps as f64 / done.as_secs_f64();
    println!(
        "{}",
        json!({
            "backend": backend,
            "messages": !args.no_messages,
            "runs": args.runs,
            "steps": steps,
            "webhooks_posted_s": (posted.as_secs_f64() * 1000.0).round() / 1000.0,
            "all_runs_ended_s": (done.as_secs_f64() * 1000.0).round() / 1000.0,
            "steps_per_s": rate.round(),
            "runs_per_s": (args.runs as f64 / done.as_secs_f64()).round(),
        })
    );
    drop(server);
    Ok(())
}
