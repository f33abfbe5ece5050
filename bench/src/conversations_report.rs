//! The conversations report (RP-2) over a large data set: any 31-day page
//! in under a second (issue #6). Builds, once, an organization with a year
//! of history — 1M contacts and chats on three channels, 2M sessions, 10M
//! messages, attendances in 30 % of the sessions, tagged chats, flow runs
//! with fields — straight in SQL, then times the page the API serves
//! (`Store::chat_sessions` and `chat_session_details`, what
//! `GET /reports/conversations` runs) for the default view, windows across
//! the year, deep pages, and every filter.
//!
//! SQLite by default (a file kept under `--dir`, reused when it holds the
//! data set already); PostgreSQL when ATENDE_TEST_DATABASE_URL is set (a
//! database `atende_bench_rp2` kept the same way).

use std::time::{Duration, Instant};

use anyhow::Context;
use atende_domain::{ChannelKind, OrgId, TagId};
use atende_store::chat_sessions::{ChatSessionFilter, FieldFilter, FieldOp};
use atende_store::reports::ContactQuery;
use atende_store::{Backend, Store, StoreOptions};
use clap::Parser;
use sqlx::Connection;

mod sql;
use sql::{id_of, id_sql, series};

#[derive(Parser)]
#[command(about = "RP-2 conversations report pages over a large data set.")]
struct Args {
    /// Messages (sessions are a fifth of them, chats and contacts a tenth).
    #[arg(long, default_value_t = 10_000_000)]
    messages: i64,
    /// Where the SQLite file is kept between runs.
    #[arg(long, default_value = "/tmp/atende-bench-rp2")]
    dir: std::path::PathBuf,
    /// Timed runs of each query (the median and the worst are reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

const DAY_MS: i64 = 86_400_000;
const ORG: u64 = 1;
const MESSAGES_PER_SESSION: i64 = 5;
const SESSIONS_PER_CHAT: i64 = 2;

/// Sizes of the data set.
#[derive(Clone, Copy)]
struct Sizes {
    messages: i64,
    sessions: i64,
    chats: i64,
}

impl Sizes {
    fn new(messages: i64) -> Sizes {
        let sessions = messages / MESSAGES_PER_SESSION;
        Sizes {
            messages: sessions * MESSAGES_PER_SESSION,
            sessions,
            chats: sessions / SESSIONS_PER_CHAT,
        }
    }
}

/// The statements that fill the data set, in order.
fn fill(backend: Backend, z: Sizes, t0: i64) -> Vec<String> {
    let id = |t: u8, n: &str| id_sql(backend, t, n);
    let org = id(0, &ORG.to_string());
    let (tru, fal) = match backend {
        Backend::Sqlite => ("1", "0"),
        Backend::Postgres => ("TRUE", "FALSE"),
    };
    let json = |s: &str| match backend {
        Backend::Sqlite => format!("'{s}'"),
        Backend::Postgres => format!("CAST('{s}' AS jsonb)"),
    };
    let protocol_seq = match backend {
        Backend::Sqlite => "printf('%013d', s.i)",
        Backend::Postgres => "lpad(CAST(s.i AS TEXT), 13, '0')",
    };
    let span = 365 * DAY_MS;
    // Session s opens at t0 + s·span/S; chat c = s mod C has sessions c,
    // c + C, …, half a year apart.
    let start = format!("({t0} + CAST(s.i AS BIGINT) * {span} / {})", z.sessions);
    let mut v = vec![
        format!(
            "INSERT INTO organizations (id, name, kind, support_key, created_at) VALUES ({org}, 'Bench RP-2', 'agency', {}, {t0})",
            match backend {
                Backend::Sqlite => "x'00'".to_string(),
                Backend::Postgres => "'\\x00'".to_string(),
            }
        ),
        format!(
            "INSERT INTO inboxes (id, org_id, name, channel, settings, secrets, chatbot_enabled, needs_reauth, created_at) \
             SELECT {}, {org}, CASE s.i WHEN 0 THEN 'WhatsApp' WHEN 1 THEN 'Telegram' ELSE 'Site' END, \
             CASE s.i WHEN 0 THEN 'whatsapp' WHEN 1 THEN 'telegram' ELSE 'widget' END, {}, {}, {tru}, {fal}, {t0} FROM {}",
            id(1, "s.i"),
            json("{}"),
            json("{}"),
            series(backend, 3)
        ),
        format!(
            "INSERT INTO tags (id, org_id, name, color, created_at) SELECT {}, {org}, 'Etiqueta ' || s.i, '#333333', {t0} FROM {}",
            id(2, "s.i"),
            series(backend, 5)
        ),
        format!(
            "INSERT INTO flows (id, org_id, name, draft, published_version, created_at, updated_at) \
             VALUES ({}, {org}, 'Atendimento virtual', {}, 1, {t0}, {t0})",
            id(3, "0"),
            json("{}")
        ),
        format!(
            "INSERT INTO contacts (id, org_id, name, phone, blocked, broadcast_opt_in, custom, created_at) \
             SELECT {}, {org}, 'Cliente ' || s.i, '+5511' || (900000000 + s.i), {fal}, {fal}, \
             CASE WHEN s.i % 7 = 0 THEN {} ELSE {} END, {t0} FROM {}",
            id(4, "s.i"),
            json(r#"{"plano":"ouro"}"#),
            json("{}"),
            series(backend, z.chats)
        ),
        format!(
            "INSERT INTO conversations (id, org_id, inbox_id, contact_id, flow_running, created_at) \
             SELECT {}, {org}, {}, {}, {fal}, {t0} FROM {}",
            id(5, "s.i"),
            id(1, "s.i % 3"),
            id(4, "s.i"),
            series(backend, z.chats)
        ),
        format!(
            "INSERT INTO conversation_tags (org_id, conversation_id, tag_id) \
             SELECT {org}, {}, {} FROM {} WHERE s.i % 10 = 0",
            id(5, "s.i"),
            id(2, "(s.i / 10) % 5"),
            series(backend, z.chats)
        ),
        format!(
            "INSERT INTO chat_sessions (id, org_id, conversation_id, inbox_id, contact_id, phone, name, started_at, until_at) \
             SELECT {}, {org}, {}, {}, {}, '+5511' || (900000000 + s.i % {c}), 'Cliente ' || (s.i % {c}), {start}, \
             CASE WHEN s.i + {c} < {n} THEN {start} + CAST({c} AS BIGINT) * {span} / {n} END FROM {}",
            id(6, "s.i"),
            id(5, &format!("s.i % {}", z.chats)),
            id(1, &format!("(s.i % {}) % 3", z.chats)),
            id(4, &format!("s.i % {}", z.chats)),
            series(backend, z.sessions),
            c = z.chats,
            n = z.sessions,
        ),
        // Five messages a session, a minute apart: the contact, the bot,
        // the contact, then the bot or (handed over) an agent.
        format!(
            "INSERT INTO messages (id, org_id, conversation_id, inbox_id, direction, author_kind, internal, kind, text, payload, status, created_at) \
             SELECT {}, {org}, {}, {}, CASE WHEN s.i % 2 = 0 THEN 'in' ELSE 'out' END, \
             CASE WHEN s.i % 2 = 0 THEN 'contact' WHEN s.i % 5 = 3 AND (s.i / 5) % 10 < 3 THEN 'agent' ELSE 'bot' END, \
             {fal}, 'text', 'Mensagem ' || s.i, {}, 'delivered', \
             {t0} + CAST(s.i / 5 AS BIGINT) * {span} / {n} + (s.i % 5) * 60000 FROM {}",
            id(7, "s.i"),
            id(5, &format!("(s.i / 5) % {}", z.chats)),
            id(1, &format!("((s.i / 5) % {}) % 3", z.chats)),
            json("{}"),
            series(backend, z.messages),
            n = z.sessions,
        ),
        // An attendance in 30 % of the sessions, with a 17-digit protocol.
        format!(
            "INSERT INTO attendances (id, org_id, conversation_id, protocol, opened_at, closed_at, close_keep_on_reply, custom) \
             SELECT {}, {org}, {}, '2026' || {protocol_seq}, {start} + 120000, {start} + 600000, {fal}, {} \
             FROM {} WHERE s.i % 10 < 3",
            id(8, "s.i"),
            id(5, &format!("s.i % {}", z.chats)),
            json("{}"),
            series(backend, z.sessions)
        ),
        // A flow run in half the sessions; the bot-only ones store
        // NAO_TRANSBORDADA.
        format!(
            "INSERT INTO flow_runs (id, org_id, flow_id, version, inbox_id, contact_id, conversation_id, trigger, status, \
             state, steps, input_after, outcome, started_at, updated_at, finished_at) \
             SELECT {}, {org}, {}, 1, {}, {}, {}, 'entry', 'finished', \
             CASE WHEN s.i % 10 >= 3 THEN {} ELSE {} END, 4, 0, 'end', {start} + 1, {start} + 240000, {start} + 240000 \
             FROM {} WHERE s.i % 2 = 0",
            id(9, "s.i"),
            id(3, "0"),
            id(1, &format!("(s.i % {}) % 3", z.chats)),
            id(4, &format!("s.i % {}", z.chats)),
            id(5, &format!("s.i % {}", z.chats)),
            json(r#"{"fields":{"NAO_TRANSBORDADA":"sim"}}"#),
            json(r#"{"fields":{}}"#),
            series(backend, z.sessions)
        ),
    ];
    if backend == Backend::Postgres {
        v.push("ANALYZE".into());
    }
    v
}

/// Opens (and fills, the first time) the data set; the store and when the
/// year of history ends.
async fn data_set(args: &Args, z: Sizes) -> anyhow::Result<(Store, i64)> {
    let (url, fresh) = match std::env::var("ATENDE_TEST_DATABASE_URL") {
        Ok(base) => {
            let name = format!("atende_bench_rp2_{}", z.messages);
            let mut admin = sqlx::PgConnection::connect(&base).await?;
            let exists: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                    .bind(&name)
                    .fetch_one(&mut admin)
                    .await?;
            if !exists {
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await?;
            }
            let (head, _) = base.rsplit_once('/').context("database URL")?;
            (format!("{head}/{name}"), !exists)
        }
        Err(_) => {
            std::fs::create_dir_all(&args.dir)?;
            let path = args.dir.join(format!("rp2-{}.db", z.messages));
            let fresh = !path.exists();
            (format!("sqlite://{}", path.display()), fresh)
        }
    };
    let store = Store::open(&StoreOptions::new(&url)).await?;
    let backend = store.backend();
    let end_file = args
        .dir
        .join(format!("rp2-{}-{:?}.end", z.messages, backend));
    if !fresh && let Ok(end) = std::fs::read_to_string(&end_file) {
        eprintln!("reusing the data set at {url}");
        return Ok((store, end.trim().parse()?));
    }
    drop(store);
    let end = chrono::Utc::now().timestamp_millis();
    let t0 = end - 365 * DAY_MS;
    eprintln!(
        "building the data set at {url}: {} messages, {} sessions, {} chats",
        z.messages, z.sessions, z.chats
    );
    let started = Instant::now();
    // The same statements on either connection type.
    macro_rules! fill_on {
        ($c:expr) => {
            for sql in fill(backend, z, t0) {
                let t = Instant::now();
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .execute(&mut $c)
                    .await
                    .with_context(|| sql.chars().take(120).collect::<String>())?;
                eprintln!(
                    "  {:>6.1} s  {}",
                    t.elapsed().as_secs_f64(),
                    &sql[..sql.len().min(60)]
                );
            }
        };
    }
    match backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&url).await?;
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&mut c)
                .await?;
            sqlx::query("PRAGMA synchronous = OFF")
                .execute(&mut c)
                .await?;
            fill_on!(c);
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(&url).await?;
            fill_on!(c);
        }
    }
    eprintln!("built in {:.0} s", started.elapsed().as_secs_f64());
    std::fs::create_dir_all(&args.dir)?;
    std::fs::write(&end_file, end.to_string())?;
    Ok((Store::open(&StoreOptions::new(&url)).await?, end))
}

/// One page as the API serves it: the sessions and their details.
async fn page(
    store: &Store,
    org: OrgId,
    f: &ChatSessionFilter,
    cursor: Option<&str>,
) -> anyhow::Result<(usize, Option<String>, Duration)> {
    let t = Instant::now();
    let (rows, next) = store.chat_sessions(org, f, cursor, 50).await?;
    store.chat_session_details(org, &rows).await?;
    Ok((rows.len(), next, t.elapsed()))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let z = Sizes::new(args.messages);
    let (store, end) = data_set(&args, z).await?;
    let org = OrgId::from(id_of(0, ORG));
    let window =
        |days_ago: i64| Some((end - days_ago * DAY_MS, end - (days_ago - 31) * DAY_MS - 1));
    let base = |days_ago: i64| ChatSessionFilter {
        period: window(days_ago),
        ..ChatSessionFilter::default()
    };
    let field = |op| FieldFilter {
        key: "NAO_TRANSBORDADA".into(),
        op,
        value: "sim".into(),
    };
    let cases: Vec<(String, ChatSessionFilter)> = vec![
        ("last 31 days, no filter".into(), base(31)),
        ("days 200–169 ago".into(), base(200)),
        ("a year ago (first month)".into(), base(365)),
        (
            "channel Telegram".into(),
            ChatSessionFilter {
                channel: Some(ChannelKind::Telegram.as_str().into()),
                ..base(200)
            },
        ),
        (
            "a tag (1 chat in 50)".into(),
            ChatSessionFilter {
                tags: vec![TagId::from(id_of(2, 3))],
                ..base(200)
            },
        ),
        (
            "info NAO_TRANSBORDADA contains sim".into(),
            ChatSessionFilter {
                field: Some(field(FieldOp::Contains)),
                ..base(200)
            },
        ),
        (
            "info NAO_TRANSBORDADA not contains sim".into(),
            ChatSessionFilter {
                field: Some(field(FieldOp::NotContains)),
                ..base(200)
            },
        ),
        (
            "contact info plano = ouro".into(),
            ChatSessionFilter {
                field: Some(FieldFilter {
                    key: "plano".into(),
                    op: FieldOp::Equals,
                    value: "ouro".into(),
                }),
                ..base(200)
            },
        ),
        (
            "contact name \"Cliente 123456\"".into(),
            ChatSessionFilter {
                contact: ContactQuery::parse("Cliente 123456"),
                ..base(200)
            },
        ),
        (
            "contact phone digits".into(),
            ChatSessionFilter {
                contact: ContactQuery::parse("900123456"),
                ..base(200)
            },
        ),
        (
            "protocol (no period)".into(),
            ChatSessionFilter {
                protocol: Some(format!("2026{:013}", z.sessions / 2 + 1)),
                ..ChatSessionFilter::default()
            },
        ),
        (
            "session id (no period)".into(),
            ChatSessionFilter {
                session: Some(id_of(6, (z.sessions / 3) as u64)),
                ..ChatSessionFilter::default()
            },
        ),
        (
            "tag + info + channel WhatsApp".into(),
            ChatSessionFilter {
                tags: vec![TagId::from(id_of(2, 0))],
                field: Some(field(FieldOp::Contains)),
                channel: Some("whatsapp".into()),
                ..base(200)
            },
        ),
    ];
    println!(
        "backend {:?}; {} messages, {} sessions, {} chats; first page of 50 with its details, {} runs",
        store.backend(),
        z.messages,
        z.sessions,
        z.chats,
        args.runs
    );
    println!("| query | rows | median ms | worst ms |");
    println!("|---|---|---|---|");
    let mut worst_all = Duration::ZERO;
    for (name, f) in &cases {
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..args.runs {
            let (rows, _, d) = page(&store, org, f, None).await?;
            n = rows;
            times.push(d);
        }
        times.sort();
        let worst = *times.last().unwrap();
        worst_all = worst_all.max(worst);
        println!(
            "| {name} | {n} | {:.1} | {:.1} |",
            ms(times[times.len() / 2]),
            ms(worst)
        );
    }
    // Deep pages: walk a 31-day window page by page.
    let f = base(200);
    let mut cursor: Option<String> = None;
    let (mut pages, mut worst, mut total) = (0, Duration::ZERO, Duration::ZERO);
    while pages < 200 {
        let (_, next, d) = page(&store, org, &f, cursor.as_deref()).await?;
        pages += 1;
        worst = worst.max(d);
        total += d;
        match next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    worst_all = worst_all.max(worst);
    println!(
        "| pages 1–{pages} of days 200–169 ago, walked by cursor | 50 each | {:.1} (mean) | {:.1} |",
        ms(total / pages),
        ms(worst)
    );
    println!("worst page: {:.1} ms (target < 1000 ms)", ms(worst_all));
    Ok(())
}
