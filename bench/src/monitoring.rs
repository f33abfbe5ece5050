//! Live monitoring (RP-5) at scale (issue #21): a snapshot for an
//! organization with 1,000 agents, 20 inboxes and 100,000 tickets today in
//! under 50 ms p95, and a change on an open monitoring page in under a
//! second.
//!
//! Builds a fresh data set straight in SQL (today's tickets spread from
//! midnight to now: 97 % ended — closed, scheduled, lost, abandoned —, 2 %
//! open with an agent, 1 % in the queue; their per-hour counters, the
//! agents' day rows and today's tags), then times what the API serves:
//! `monitoring::snapshot` and its JSON, for every inbox and for one. As a
//! reference, measured in the same run: one read of today's tickets (what
//! a snapshot would cost if it scanned them). Then serves the data set
//! over HTTP and times, for tickets opened and closed one by one, the time
//! from the commit to the monitoring stream's frame that shows it.
//!
//! SQLite by default (a temporary file); PostgreSQL when
//! ATENDE_TEST_DATABASE_URL is set (a database `atende_bench_monitoring`,
//! made afresh).

use std::time::{Duration, Instant};

use anyhow::Context;
use atende_domain::monitoring::{Ended, day_start};
use atende_domain::{ConversationId, InboxId, OrgId, UserId};
use atende_server::{Application, Config};
use atende_store::{Backend, Store, StoreOptions};
use clap::Parser;
use futures::StreamExt;
use sqlx::Connection;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

mod sql;
use sql::{id_of, id_sql, series};

#[derive(Parser)]
#[command(about = "Monitoring snapshots and stream frames over a large day.")]
struct Args {
    /// Tickets opened today.
    #[arg(long, default_value_t = 100_000)]
    tickets: i64,
    #[arg(long, default_value_t = 1_000)]
    agents: i64,
    #[arg(long, default_value_t = 20)]
    inboxes: i64,
    /// Timed snapshots of each scope.
    #[arg(long, default_value_t = 200)]
    runs: usize,
    /// Tickets opened and closed while the stream is watched.
    #[arg(long, default_value_t = 40)]
    events: usize,
}

const PASSWORD: &str = "bench-monitoring-1";
const ORG: u64 = 1;
const TAGS: i64 = 20;

/// The statements that fill the data set, in order.
fn fill(backend: Backend, a: &Args, midnight: i64, now: i64, admin_hash: &str) -> Vec<String> {
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
    let n = a.tickets;
    // Ticket i opens at `opened`; it ends (97 in 100) ten minutes later,
    // or just before now.
    let opened = format!(
        "({midnight} + CAST(s.i AS BIGINT) * {} / {n})",
        now - midnight - 120_000
    );
    let closed = format!(
        "(CASE WHEN {opened} + 600000 < {now} THEN {opened} + 600000 ELSE {now} - 1000 END)"
    );
    let agent = |i: &str| id(10, &format!("({i}) % {}", a.agents));
    let protocol = match backend {
        Backend::Sqlite => "printf('%013d', s.i)",
        Backend::Postgres => "lpad(CAST(s.i AS TEXT), 13, '0')",
    };
    let member_perms = json(r#"{"modules":{"chat":"view_edit"},"capabilities":[]}"#);
    let admin_perms = json(
        r#"{"modules":{"chat":"view_edit","reports":"view_edit","users":"view_edit"},"capabilities":["analytics","see_all_chats"]}"#,
    );
    let upsert = |cols: &str, set: &str, select: &str| {
        format!(
            "INSERT INTO monitoring_hours (org_id, inbox_id, hour, {cols}) {select} \
             ON CONFLICT (org_id, hour, inbox_id) DO UPDATE SET {set}"
        )
    };
    let hour = |col: &str| format!("a.{col} / 3600000");
    let inbox_of = "c.inbox_id";
    let lost = "a.ended = 'session_expired' AND a.assigned_at IS NULL";
    let abandoned = "a.ended = 'session_expired' AND a.assigned_at IS NOT NULL";
    let count = |cond: &str| format!("SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)");
    let joined = "FROM attendances a JOIN conversations c ON c.id = a.conversation_id WHERE TRUE";
    let mut v = vec![
        format!(
            "INSERT INTO organizations (id, name, kind, support_key, created_at) VALUES ({org}, 'Bench monitoring', 'agency', {}, {midnight})",
            match backend {
                Backend::Sqlite => "x'00'".to_string(),
                Backend::Postgres => "'\\x00'".to_string(),
            }
        ),
        format!(
            "INSERT INTO inboxes (id, org_id, name, channel, settings, secrets, chatbot_enabled, needs_reauth, created_at) \
             SELECT {}, {org}, 'Número ' || s.i, 'whatsapp', {}, {}, {tru}, {fal}, {midnight} FROM {}",
            id(1, "s.i"),
            json("{}"),
            json("{}"),
            series(backend, a.inboxes)
        ),
        format!(
            "INSERT INTO tags (id, org_id, name, color, created_at) SELECT {}, {org}, 'Etiqueta ' || s.i, '#333333', {midnight} FROM {}",
            id(2, "s.i"),
            series(backend, TAGS)
        ),
        format!(
            "INSERT INTO departments (id, org_id, name, created_at) SELECT {}, {org}, 'Departamento ' || s.i, {midnight} FROM {}",
            id(9, "s.i"),
            series(backend, 10)
        ),
        // Agent 0 is the manager who watches; of the others, 6 in 10 are
        // online, 2 paused, 1 invisible and 1 away.
        format!(
            "INSERT INTO users (id, org_id, email, name, password_hash, role, permissions, status, default_closing_message, \
             confirm_audio, active, created_at, status_since, away, last_seen_at) \
             SELECT {}, {org}, 'agente' || s.i || '@bench.atende.dev', 'Agente ' || s.i, \
             CASE WHEN s.i = 0 THEN '{admin_hash}' ELSE '' END, CASE WHEN s.i = 0 THEN 'admin' ELSE 'agent' END, \
             CASE WHEN s.i = 0 THEN {admin_perms} ELSE {member_perms} END, \
             CASE WHEN s.i % 10 IN (6, 7) THEN 'paused' WHEN s.i % 10 = 8 THEN 'invisible' ELSE 'online' END, \
             '', {fal}, {tru}, {midnight}, {midnight}, CASE WHEN s.i % 10 = 9 THEN {tru} ELSE {fal} END, {now} FROM {}",
            id(10, "s.i"),
            series(backend, a.agents)
        ),
        format!(
            "INSERT INTO department_members (org_id, department_id, user_id, created_at) SELECT {org}, {}, {}, {midnight} FROM {}",
            id(9, "s.i % 10"),
            id(10, "s.i"),
            series(backend, a.agents)
        ),
        format!(
            "INSERT INTO contacts (id, org_id, name, phone, blocked, broadcast_opt_in, custom, created_at) \
             SELECT {}, {org}, 'Cliente ' || s.i, '+5511' || (900000000 + s.i), {fal}, {fal}, {}, {midnight} FROM {}",
            id(4, "s.i"),
            json("{}"),
            series(backend, n)
        ),
        format!(
            "INSERT INTO conversations (id, org_id, inbox_id, contact_id, flow_running, created_at) \
             SELECT {}, {org}, {}, {}, {fal}, {opened} FROM {}",
            id(5, "s.i"),
            id(1, &format!("s.i % {}", a.inboxes)),
            id(4, "s.i"),
            series(backend, n)
        ),
        format!(
            "INSERT INTO messages (id, org_id, conversation_id, inbox_id, direction, author_kind, internal, kind, text, payload, status, created_at) \
             SELECT {}, {org}, {}, {}, 'in', 'contact', {fal}, 'text', 'Mensagem do cliente ' || s.i, {}, 'delivered', {opened} FROM {}",
            id(7, "s.i"),
            id(5, "s.i"),
            id(1, &format!("s.i % {}", a.inboxes)),
            json("{}"),
            series(backend, n)
        ),
        // 97 in 100 ended (90 by an agent, 3 scheduled, 2 abandoned, 2
        // lost); 2 open with an agent (one of them replied); 1 queued.
        format!(
            "INSERT INTO attendances (id, org_id, conversation_id, protocol, department_id, agent_id, opened_at, queued_at, \
             assigned_at, first_reply_at, closed_at, closed_by, ended, close_keep_on_reply, custom) \
             SELECT {}, {org}, {}, '2026' || {protocol}, {}, \
             CASE WHEN s.i % 100 IN (95, 96, 99) THEN NULL ELSE {} END, {opened}, \
             CASE WHEN s.i % 100 = 99 THEN {opened} + 10000 END, \
             CASE WHEN s.i % 100 IN (95, 96, 99) THEN NULL ELSE {opened} + 30000 END, \
             CASE WHEN s.i % 100 < 95 OR s.i % 100 = 97 THEN {opened} + 90000 END, \
             CASE WHEN s.i % 100 < 97 THEN {closed} END, \
             CASE WHEN s.i % 100 < 90 THEN {} END, \
             CASE WHEN s.i % 100 < 90 THEN 'agent' WHEN s.i % 100 < 93 THEN 'scheduled' \
                  WHEN s.i % 100 < 97 THEN 'session_expired' END, {fal}, {} FROM {}",
            id(8, "s.i"),
            id(5, "s.i"),
            id(9, "s.i % 10"),
            agent("s.i"),
            agent("s.i"),
            json("{}"),
            series(backend, n)
        ),
        format!(
            "UPDATE conversations SET attendance_id = a.id, protocol = a.protocol, opened_at = a.opened_at, \
             department_id = a.department_id, agent_id = a.agent_id \
             FROM attendances a WHERE a.conversation_id = conversations.id AND a.closed_at IS NULL"
        ),
        format!(
            "UPDATE chat_activity SET last_inbound_at = conversations.opened_at, awaiting_since = conversations.opened_at \
             FROM conversations WHERE conversations.id = chat_activity.conversation_id AND conversations.attendance_id IS NOT NULL"
        ),
        upsert(
            "opened, opened_closed, opened_lost, opened_abandoned",
            "opened = monitoring_hours.opened + excluded.opened",
            &format!(
                "SELECT {org}, {inbox_of}, {}, COUNT(*), {}, {}, {} {joined} GROUP BY {inbox_of}, {}",
                hour("opened_at"),
                count(&format!(
                    "a.closed_at IS NOT NULL AND NOT ({lost}) AND NOT ({abandoned})"
                )),
                count(lost),
                count(abandoned),
                hour("opened_at")
            ),
        ),
        upsert(
            "closed, lost, abandoned, duration_ms",
            "closed = excluded.closed, lost = excluded.lost, abandoned = excluded.abandoned, duration_ms = excluded.duration_ms",
            &format!(
                "SELECT {org}, {inbox_of}, {}, {}, {}, {}, SUM(a.closed_at - a.opened_at) {joined} AND a.closed_at IS NOT NULL \
                 GROUP BY {inbox_of}, {}",
                hour("closed_at"),
                count(&format!("NOT ({lost}) AND NOT ({abandoned})")),
                count(lost),
                count(abandoned),
                hour("closed_at")
            ),
        ),
        upsert(
            "first_replies, first_reply_ms, first_reply_max_ms, replies, reply_ms",
            "first_replies = excluded.first_replies, first_reply_ms = excluded.first_reply_ms, \
             first_reply_max_ms = excluded.first_reply_max_ms, replies = excluded.replies, reply_ms = excluded.reply_ms",
            &format!(
                "SELECT {org}, {inbox_of}, {}, COUNT(*), SUM(a.first_reply_at - a.assigned_at), MAX(a.first_reply_at - a.assigned_at), \
                 COUNT(*), SUM(a.first_reply_at - a.opened_at) {joined} AND a.first_reply_at IS NOT NULL \
                 GROUP BY {inbox_of}, {}",
                hour("first_reply_at"),
                hour("first_reply_at")
            ),
        ),
        format!(
            "INSERT INTO monitoring_agent_days (org_id, user_id, day, first_replies, first_reply_ms, ended) \
             SELECT {org}, a.agent_id, {}, COUNT(a.first_reply_at), SUM(CASE WHEN a.first_reply_at IS NULL THEN 0 \
             ELSE a.first_reply_at - a.assigned_at END), COUNT(a.closed_at) FROM attendances a \
             WHERE a.agent_id IS NOT NULL GROUP BY a.agent_id",
            midnight / 3_600_000
        ),
        format!(
            "INSERT INTO monitoring_tags (org_id, inbox_id, hour, tag_id, n) \
             SELECT {org}, {}, {} + (s.i / {TAGS}) % 24, {}, 1 + s.i % 7 FROM {}",
            id(1, &format!("(s.i / {TAGS} / 24) % {}", a.inboxes)),
            midnight / 3_600_000,
            id(2, &format!("s.i % {TAGS}")),
            series(backend, TAGS * 24 * a.inboxes)
        ),
    ];
    if backend == Backend::Postgres {
        v.push("ANALYZE".into());
    }
    v
}

/// A fresh database with the data set.
async fn data_set(a: &Args, dir: &std::path::Path) -> anyhow::Result<(Store, String)> {
    let url = match std::env::var("ATENDE_TEST_DATABASE_URL") {
        Ok(base) => {
            let name = "atende_bench_monitoring";
            let mut admin = sqlx::PgConnection::connect(&base).await?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await?;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut admin)
                .await?;
            let (head, _) = base.rsplit_once('/').context("database URL")?;
            format!("{head}/{name}")
        }
        Err(_) => format!("sqlite://{}", dir.join("monitoring.db").display()),
    };
    let store = Store::open(&StoreOptions::new(&url)).await?;
    let backend = store.backend();
    drop(store);
    let now = atende_store::now_ms();
    let midnight = day_start(now);
    let hash =
        atende_server::auth::hash_password(PASSWORD).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    eprintln!(
        "building {} tickets today, {} agents, {} inboxes at {url}",
        a.tickets, a.agents, a.inboxes
    );
    let started = Instant::now();
    macro_rules! fill_on {
        ($c:expr) => {
            for sql in fill(backend, a, midnight, now, &hash) {
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .execute(&mut $c)
                    .await
                    .with_context(|| sql.chars().take(160).collect::<String>())?;
            }
        };
    }
    match backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&url).await?;
            fill_on!(c);
        }
        Backend::Postgres => {
            let mut c = sqlx::PgConnection::connect(&url).await?;
            fill_on!(c);
        }
    }
    eprintln!("built in {:.1} s", started.elapsed().as_secs_f64());
    Ok((Store::open(&StoreOptions::new(&url)).await?, url))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Median, 95th percentile and worst, in milliseconds.
fn spread(mut v: Vec<Duration>) -> (f64, f64, f64) {
    v.sort();
    let at = |q: f64| ms(v[((v.len() as f64 - 1.0) * q).round() as usize]);
    (at(0.5), at(0.95), at(1.0))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    let dir = tempfile::tempdir()?;
    let (store, url) = data_set(&a, dir.path()).await?;
    let org = OrgId::from(id_of(0, ORG));
    let backend = store.backend();
    let config = Config {
        listen: "127.0.0.1:0".into(),
        database_url: url,
        data_dir: dir.path().to_path_buf(),
        workers: 1,
        ..Config::default()
    };
    let app = Application::build_with_store(config, store.clone()).await?;
    let st = app.state().clone();
    let addr = format!("127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());

    // The snapshot the API serves (with its JSON), for every inbox and one.
    // Inbox 19 holds a share of the queue (ticket i is inbox i mod 20).
    let one = InboxId::from(id_of(1, 19));
    println!(
        "backend: {backend:?}; {} tickets today, {} agents, {} inboxes",
        a.tickets, a.agents, a.inboxes
    );
    println!("| measure | median ms | p95 ms | worst ms |");
    println!("|---|---|---|---|");
    for (label, scope) in [
        ("snapshot, every inbox", None),
        ("snapshot, one inbox", Some(one)),
    ] {
        let mut times = Vec::with_capacity(a.runs);
        let mut size = 0;
        for i in 0..a.runs + 5 {
            let t = Instant::now();
            let snap = atende_server::monitoring::snapshot(&st, org, scope).await?;
            size = serde_json::to_vec(&snap)?.len();
            if i >= 5 {
                times.push(t.elapsed());
            }
            if i == 0 {
                eprintln!(
                    "{label}: queue {}, in service {}, today {:?}, agents {:?}",
                    snap.queue.count,
                    snap.in_service,
                    (
                        snap.today.total,
                        snap.today.open,
                        snap.today.closed,
                        snap.today.lost,
                        snap.today.abandoned
                    ),
                    (
                        snap.agents.online,
                        snap.agents.paused,
                        snap.agents.invisible,
                        snap.agents.offline
                    )
                );
            }
        }
        let (p50, p95, max) = spread(times);
        println!("| {label} ({size} bytes of JSON) | {p50:.1} | {p95:.1} | {max:.1} |");
    }
    // The reference: the same numbers from today's tickets, read once
    // (and the check that both ways agree).
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let now = atende_store::now_ms();
        let tickets = store.monitoring_tickets(org, day_start(now)).await?;
        let n = atende_domain::monitoring::numbers(&tickets, day_start(now), now);
        times.push(t.elapsed());
        let snap = atende_server::monitoring::snapshot(&st, org, None).await?;
        anyhow::ensure!(
            n.today.total == snap.today.total
                && n.today.lost == snap.today.lost
                && n.today.abandoned == snap.today.abandoned
                && n.queued == snap.queue.count
                && n.in_service == snap.in_service,
            "the counters disagree with today's tickets: {n:?}"
        );
    }
    let (p50, p95, max) = spread(times);
    println!(
        "| reference: the numbers from today's {} tickets read once | {p50:.1} | {p95:.1} | {max:.1} |",
        a.tickets
    );

    // From a commit to the stream's frame.
    let http = reqwest::Client::new();
    let login = http
        .post(format!("http://{addr}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "agente0@bench.atende.dev", "password": PASSWORD}))
        .send()
        .await?;
    anyhow::ensure!(login.status().is_success(), "login: {}", login.status());
    let cookie = login
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .context("session cookie")?
        .to_string();
    let mut req = format!("ws://{addr}/api/v1/monitoring/stream").into_client_request()?;
    req.headers_mut().insert("cookie", cookie.parse()?);
    req.headers_mut()
        .insert("origin", format!("http://{addr}").parse()?);
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await?;
    let mut frame = async || -> anyhow::Result<serde_json::Value> {
        loop {
            let m = tokio::time::timeout(Duration::from_secs(5), ws.next())
                .await
                .context("no frame within 5 s")?
                .context("stream closed")??;
            if let Message::Text(t) = m {
                return Ok(serde_json::from_str(&t)?);
            }
        }
    };
    let first = frame().await?;
    anyhow::ensure!(first["type"] == "snapshot");
    let mut queued = first["snapshot"]["queue"]["count"].as_i64().unwrap_or(0);
    let mut times = Vec::new();
    for k in 0..a.events {
        // An ended ticket's chat opens a new one (the queue grows), then it
        // is closed again (it shrinks).
        let conv = ConversationId::from(id_of(5, 100 * k as u64));
        for open in [true, false] {
            let t = Instant::now();
            let mut tx = st.store.begin().await?;
            let c = tx.conversation(org, conv).await?;
            if open {
                tx.open_attendance(&c, None, None, None).await?;
            } else {
                let by = Some(UserId::from(id_of(10, 0)));
                tx.close_attendance(&c, by, Ended::Agent, None).await?;
            }
            st.commit(tx).await?;
            loop {
                let f = frame().await?;
                if let Some(q) = f["changes"]["queue"]["count"].as_i64()
                    && q != queued
                {
                    queued = q;
                    break;
                }
            }
            times.push(t.elapsed());
        }
    }
    let (p50, p95, max) = spread(times);
    println!(
        "| a ticket opened or closed → its frame ({} changes) | {p50:.1} | {p95:.1} | {max:.1} |",
        2 * a.events
    );
    Ok(())
}
