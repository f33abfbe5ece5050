//! P1: signed WhatsApp webhooks (or, with `--channel telegram`, Telegram
//! updates carrying the bot's secret token; with `--channel messenger`,
//! signed Messenger deliveries) over loopback HTTP into a
//! running server, sustained rate and latency percentiles, next to the raw
//! insert rate of the same rows measured in the same run (DESIGN §7).
//!
//! The server is the release `atende serve` binary in its own process; this
//! process prepares the database, pre-builds and signs every delivery, and
//! posts them from C keep-alive connections on one thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

mod server;
use atende_store::testing::TestDb;
use atende_testkit::{MetaSimulator, Simulator, TelegramSimulator};
use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Full};
use serde_json::json;
use server::start_server;

#[derive(Parser)]
#[command(
    about = "P1 ingest benchmark. Uses a fresh SQLite file, or a fresh PostgreSQL database when ATENDE_TEST_DATABASE_URL is set."
)]
struct Args {
    /// Webhook deliveries (one message each).
    #[arg(long, default_value_t = 50_000)]
    messages: usize,
    /// Distinct customers the messages come from (each one's first message
    /// creates its contact and conversation).
    #[arg(long, default_value_t = 2_000)]
    contacts: usize,
    /// Concurrent keep-alive HTTP connections.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Message rows inserted directly for the raw-insert reference.
    #[arg(long, default_value_t = 50_000)]
    raw: usize,
    /// Rows per transaction of the raw-insert reference (at most 4,095:
    /// SQLite takes 32,766 parameters per statement, eight per row).
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u16).range(1..=4095))]
    raw_batch: u16,
    /// The server binary (default: `atende` next to this one).
    #[arg(long)]
    server: Option<PathBuf>,
    /// The server's log filter; its log goes to this program's stderr.
    #[arg(long, default_value = "warn")]
    server_log: String,
    /// The channel the deliveries come from.
    #[arg(long, value_enum, default_value_t = Channel::Whatsapp)]
    channel: Channel,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Channel {
    Whatsapp,
    Telegram,
    Messenger,
}

/// One delivery, ready to post: its path, its authenticating header (the
/// signature, or the secret token) and its body.
struct Delivery {
    path: String,
    header: (&'static str, String),
    body: Bytes,
}

const BOT_TOKEN: &str = "7999999999:AAE-bench";
const BOT_ID: i64 = 7_999_999_999;
const PAGE_ID: &str = "104729158213345";

const PHONE_ID: &str = "555000111";
const SECRET: &str = "bench-secret";

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let bin = server::server_bin(args.server.as_ref())?;
    let db = TestDb::new().await;
    let backend = format!("{:?}", db.store.backend());
    let (org, inbox) = match args.channel {
        Channel::Whatsapp => {
            server::bench_inbox(&db.store, PHONE_ID, "1", "t", SECRET, false).await?
        }
        Channel::Telegram => {
            server::bench_telegram_inbox(&db.store, BOT_ID, BOT_TOKEN, SECRET).await?
        }
        Channel::Messenger => server::bench_meta_inbox(&db.store, PAGE_ID, SECRET).await?,
    };

    let dir = tempfile::tempdir()?;
    let server = start_server(&bin, &db.url, dir.path(), &args.server_log, &[])?;
    let addr = server.addr.clone();

    // Pre-build and sign every body, so the clock measures the server.
    let sim = Simulator::new(
        format!("http://{addr}/webhooks/whatsapp"),
        SECRET,
        PHONE_ID,
        "5511900000000",
        "1",
    );
    let tg_path = format!("/webhooks/telegram/{}", inbox.id);
    let tg = TelegramSimulator::new(format!("http://{addr}{tg_path}"), SECRET, BOT_ID);
    let chat_of = |c: usize| 5_000_000_000 + c as i64;
    let page = MetaSimulator::messenger(format!("http://{addr}/webhooks/meta"), SECRET, PAGE_ID);
    let psid_of = |c: usize| format!("{}", 6_700_000_000_000_000u64 + c as u64);
    let bodies: Vec<Delivery> = (0..args.messages)
        .map(|i| {
            let name = format!("Cliente {}", i % args.contacts);
            let text = format!("Mensagem número {i} — olá!");
            match args.channel {
                Channel::Whatsapp => {
                    let wa = format!("55119{:08}", i % args.contacts);
                    let (_, p) = sim.text_payload(&wa, &name, &text);
                    let body = atende_testkit::ascii_escape_json(&p).into_bytes();
                    let sig = sim.sign(&body);
                    Delivery {
                        path: "/webhooks/whatsapp".into(),
                        header: ("x-hub-signature-256", sig),
                        body: Bytes::from(body),
                    }
                }
                Channel::Telegram => {
                    let (update, _) = tg.text(chat_of(i % args.contacts), &name, &text);
                    Delivery {
                        path: tg_path.clone(),
                        header: ("x-telegram-bot-api-secret-token", SECRET.into()),
                        body: Bytes::from(update.to_string()),
                    }
                }
                Channel::Messenger => {
                    let (d, _) = page.text(&psid_of(i % args.contacts), &text);
                    let body = atende_testkit::ascii_escape_json(&d).into_bytes();
                    let sig = page.sign(&body);
                    Delivery {
                        path: "/webhooks/meta".into(),
                        header: ("x-hub-signature-256", sig),
                        body: Bytes::from(body),
                    }
                }
            }
        })
        .collect();
    let bodies = Arc::new(bodies);

    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency {
        let (addr, bodies, next) = (addr.clone(), bodies.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(&addr).await?;
            stream.set_nodelay(true)?;
            let (mut sender, conn) =
                hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
            tokio::spawn(conn);
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(d) = bodies.get(i) else {
                    return Ok::<_, anyhow::Error>(lat);
                };
                let req = hyper::Request::post(d.path.as_str())
                    .header("host", addr.as_str())
                    .header("content-type", "application/json")
                    .header(d.header.0, d.header.1.as_str())
                    .body(Full::new(d.body.clone()))?;
                let t = Instant::now();
                sender.ready().await?;
                let r = sender.send_request(req).await?;
                let status = r.status();
                r.into_body().collect().await?;
                if status != 200 {
                    bail!("HTTP {status}");
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
    let server_cpu = cpu_seconds(&format!("/proc/{}/stat", server.child.id()));
    let client_cpu = cpu_seconds("/proc/self/stat");
    let server_peak = peak_rss_mb(&format!("/proc/{}/status", server.child.id()));
    let batches = batch_sizes(&addr)
        .await
        .unwrap_or_else(|e| format!("unknown ({e})"));
    drop(server);
    lat.sort();
    let rate = args.messages as f64 / elapsed.as_secs_f64();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];

    // Every acknowledged delivery must be stored, once.
    let stored = atende_store::testing::count_messages(&db.store, org).await?;
    if stored != args.messages as i64 {
        bail!(
            "{} deliveries acknowledged but {stored} messages stored",
            args.messages
        );
    }

    // Reference: the same rows inserted with plain multi-row INSERTs
    // (`--raw-batch` per transaction, 200 by default): what the database itself takes, with none of the
    // product's work. "The same rows" as the ingest stores them: messages of
    // the same customers in the same order (so spread over the same
    // conversations), each with its own wamid, text and provider JSON.
    let keys: Vec<String> = (0..args.contacts.min(args.raw))
        .map(|c| match args.channel {
            Channel::Whatsapp => format!("55119{c:08}"),
            Channel::Telegram => chat_of(c).to_string(),
            Channel::Messenger => psid_of(c),
        })
        .collect();
    let chats = {
        let mut tx = db.store.begin().await?;
        let chats = tx.known_chats(org, inbox.id, &keys).await?;
        tx.commit().await?;
        chats
    };
    let rows = (0..args.raw)
        .map(|r| {
            let i = args.messages + r;
            let key = &keys[r % keys.len()];
            let text = format!("Mensagem número {i} — olá!");
            let name = format!("Cliente {}", r % keys.len());
            let (provider_id, raw) = match args.channel {
                Channel::Whatsapp => {
                    let (wamid, p) = sim.text_payload(key, &name, &text);
                    (
                        wamid,
                        p["entry"][0]["changes"][0]["value"]["messages"][0].clone(),
                    )
                }
                Channel::Telegram => {
                    let chat: i64 = key.parse()?;
                    let (u, id) = tg.text(chat, &name, &text);
                    (format!("{chat}:{id}"), u["message"].clone())
                }
                Channel::Messenger => {
                    let (d, mid) = page.text(key, &text);
                    (mid, d["entry"][0]["messaging"][0].clone())
                }
            };
            let conversation_id = chats
                .get(key)
                .and_then(|k| k.conversation_id)
                .with_context(|| format!("no conversation for {key}"))?;
            Ok(atende_store::testing::RawMessage {
                conversation_id,
                text,
                payload: json!({"raw": raw}),
                provider_id,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let raw_rate = atende_store::testing::raw_insert_messages(
        &db.store,
        org,
        inbox.id,
        &rows,
        args.raw_batch.into(),
    )
    .await?;

    eprintln!(
        "CPU: server {server_cpu:.1} s ({:.0} µs/msg), load generator {client_cpu:.1} s ({:.0} µs/msg), wall {:.1} s",
        server_cpu * 1e6 / args.messages as f64,
        client_cpu * 1e6 / args.messages as f64,
        elapsed.as_secs_f64()
    );
    eprintln!("server memory: peak RSS {server_peak:.0} MB");
    eprintln!("ingest batches: {batches}");
    println!(
        "| {backend} | {} | {} | {} | {:.0} msg/s | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} msg/s | {:.0} % |",
        args.messages,
        args.contacts,
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

/// How many deliveries the server's ingest applied per transaction, from
/// its `/metrics` (the `atende_ingest_batch_size` summary).
async fn batch_sizes(addr: &str) -> anyhow::Result<String> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let req = hyper::Request::get("/metrics")
        .header("host", addr)
        .body(Full::new(Bytes::new()))?;
    let body = sender
        .send_request(req)
        .await?
        .into_body()
        .collect()
        .await?
        .to_bytes();
    let text = String::from_utf8_lossy(&body);
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok())
            .with_context(|| format!("{name} not in /metrics"))
    };
    let count = value("atende_ingest_batch_size_count")?;
    let sum = value("atende_ingest_batch_size_sum")?;
    let median = value("atende_ingest_batch_size{quantile=\"0.5\"}")?;
    Ok(format!(
        "{count:.0} transactions, {:.1} deliveries each on average, median {median:.0}",
        sum / count.max(1.0)
    ))
}

/// The peak resident memory of a process so far (`VmHWM` of
/// `/proc/PID/status`), in MB.
fn peak_rss_mb(status: &str) -> f64 {
    std::fs::read_to_string(status)
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// User plus system CPU time of a process so far, from `/proc/PID/stat`.
fn cpu_seconds(stat: &str) -> f64 {
    let Ok(text) = std::fs::read_to_string(stat) else {
        return f64::NAN;
    };
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th of the whole line, in clock ticks (100 per second).
    let rest = text.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        f.get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
