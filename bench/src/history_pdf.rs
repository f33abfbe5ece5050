//! P4: the full conversation history PDF (RP-1) of N messages, typeset by
//! `atende-pdf` (typst), against the same history as an HTML page printed
//! to PDF by headless Chromium — in the same run, on the same data.
//!
//! `history-pdf --messages 10000` prints one JSON line per engine:
//! the render's wall time, the PDF's size and pages, and peak memory (typst:
//! this process's peak RSS growth over the render; Chromium: the largest
//! process's peak RSS, from GNU time).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use atende_pdf::{
    AttendanceEvent, AttendanceState, AuthorKind, Contact, History, Item, MediaKind, MediaLink,
    Message,
};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use clap::Parser;

#[derive(Parser)]
struct Args {
    /// Messages in the history.
    #[arg(long, default_value_t = 10_000)]
    messages: usize,
    /// Skip the Chromium comparison.
    #[arg(long)]
    no_chromium: bool,
    /// Chromium's binary.
    #[arg(long, default_value = "/usr/bin/chromium")]
    chromium: String,
}

const LINES: [&str; 6] = [
    "Olá! Gostaria de saber o status do meu pedido, por favor.",
    "Claro! Pode me informar o número do pedido e o CPF do titular?",
    "O pedido é 48213 e o CPF 529.982.247-25. Obrigado pela atenção 🙂",
    "Encontrei aqui: saiu de São Paulo ontem e chega em até 3 dias úteis.",
    "Perfeito, muito obrigada! Vocês entregam aos sábados também?",
    "Entregamos sim, das 8h às 14h. Posso ajudar em algo mais?",
];

/// A history of `n` messages over consecutive days: the contact, the bot
/// and agents in turn, an attendance every 40 messages, a file every 25.
fn history(n: usize) -> History {
    let start = NaiveDate::from_ymd_opt(2026, 1, 5)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap();
    let mut items = Vec::with_capacity(n + n / 20 + 2);
    let mut at: NaiveDateTime = start;
    for i in 0..n {
        at += TimeDelta::seconds(97);
        if i % 40 == 0 {
            items.push(Item::Attendance(AttendanceEvent {
                state: AttendanceState::Opened,
                protocol: format!("2026010500{:07}", i / 40),
                at,
                department: Some("Suporte".into()),
                agent: Some("Bruno Souza".into()),
                by: None,
            }));
        }
        let (author, name) = match i % 3 {
            0 => (AuthorKind::Contact, "Márcia Conceição"),
            1 => (AuthorKind::Bot, "Bot"),
            _ => (AuthorKind::Agent, "Bruno Souza"),
        };
        items.push(Item::Message(Message {
            at,
            author,
            author_name: Some(name.into()),
            // Every text differs, as in a real history (typst would
            // otherwise reuse the layout of a repeated paragraph).
            text: format!("{} (mensagem {i})", LINES[i % LINES.len()]),
            internal: false,
            media: (i % 25 == 24).then(|| MediaLink {
                kind: MediaKind::Image,
                name: format!("foto-{i}.jpg"),
                url: format!("https://atende.example/media/{i}?exp=1&sig=abc"),
            }),
            channel: Some("WhatsApp".into()),
        }));
        if i % 40 == 39 {
            items.push(Item::Attendance(AttendanceEvent {
                state: AttendanceState::Closed,
                protocol: format!("2026010500{:07}", i / 40),
                at,
                department: Some("Suporte".into()),
                agent: Some("Bruno Souza".into()),
                by: Some("Bruno Souza".into()),
            }));
        }
    }
    History {
        contact: Contact {
            name: "Márcia Conceição".into(),
            phone: Some("+55 11 98765-4321".into()),
            email: Some("marcia@exemplo.com.br".into()),
            id: "0192f0a4-7c1e-7e55-9a1b-3c2d4e5f6a7b".into(),
        },
        from: start.date(),
        to: at.date(),
        generated_at: at,
        time_zone: "horário de Brasília (UTC-03:00)".into(),
        include_internal: false,
        items,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The same history as a plain HTML page with comparable styling.
fn html(h: &History) -> String {
    let mut out = String::with_capacity(h.items.len() * 300);
    out.push_str("<!doctype html><html lang=pt-BR><meta charset=utf-8><style>\
        body{font-family:sans-serif;font-size:10pt;margin:0}\
        .m{border-left:3px solid #999;background:#f3f4f6;margin:4px 0;padding:4px 8px;max-width:80%;break-inside:avoid}\
        .b{margin-left:20%;background:#eef4ff;border-color:#4a7bd0}.a{margin-left:20%;background:#eaf7ef;border-color:#2e8b57}\
        .h{font-size:8pt;color:#555}.t{background:#e6f2ef;border-left:4px solid #1b7a66;padding:6px 8px;margin:8px 0}\
        </style><h1>");
    out.push_str(&escape(&h.contact.name));
    out.push_str("</h1>");
    for item in &h.items {
        match item {
            Item::Attendance(a) => out.push_str(&format!(
                "<div class=t><b>Atendimento {}</b> Protocolo <b>{}</b> <span class=h>{}</span></div>",
                if a.state == AttendanceState::Opened { "aberto" } else { "encerrado" },
                a.protocol,
                a.at.format("%d/%m/%Y %H:%M")
            )),
            Item::Message(m) => {
                let class = match m.author {
                    AuthorKind::Bot => "m b",
                    AuthorKind::Agent => "m a",
                    _ => "m",
                };
                out.push_str(&format!(
                    "<div class=\"{class}\"><div class=h>{} · {}</div>{}",
                    escape(m.author_name.as_deref().unwrap_or("")),
                    m.at.format("%H:%M"),
                    escape(&m.text)
                ));
                if let Some(l) = &m.media {
                    out.push_str(&format!(
                        "<div><a href=\"{}\">{}</a></div>",
                        escape(&l.url),
                        escape(&l.name)
                    ));
                }
                out.push_str("</div>");
            }
        }
    }
    out.push_str("</html>");
    out
}

/// Peak resident memory of this process so far (VmHWM), in KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn pages(pdf: &Path) -> Option<u64> {
    let out = Command::new("pdfinfo").arg(pdf).output().ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.starts_with("Pages:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let h = history(args.messages);

    // typst: a small history first loads the fonts and the template (once
    // per server process), then the timed render.
    let warmup = history(50);
    let cold = Instant::now();
    atende_pdf::history_pdf(&warmup).context("typst warm-up")?;
    let first_load = cold.elapsed().as_secs_f64();
    let before = peak_rss_kib();
    let t = Instant::now();
    let pdf = atende_pdf::history_pdf(&h).context("typst render")?;
    let secs = t.elapsed().as_secs_f64();
    let peak = peak_rss_kib().saturating_sub(before);
    let path = dir.path().join("typst.pdf");
    std::fs::write(&path, &pdf)?;
    println!(
        "{}",
        serde_json::json!({"engine": "typst", "messages": args.messages, "seconds": secs,
            "first_load_and_50_messages_seconds": first_load, "bytes": pdf.len(),
            "pages": pages(&path), "peak_rss_growth_mib": peak / 1024})
    );

    if args.no_chromium {
        return Ok(());
    }
    let page = dir.path().join("history.html");
    let t = Instant::now();
    std::fs::write(&page, html(&h))?;
    let out_pdf = dir.path().join("chromium.pdf");
    let profile = dir.path().join("profile");
    let run = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(&args.chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", out_pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .context("running chromium under /usr/bin/time")?;
    let secs = t.elapsed().as_secs_f64();
    if !out_pdf.exists() {
        bail!(
            "chromium made no PDF: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let max_kib: u64 = String::from_utf8_lossy(&run.stderr)
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .next_back()
        .unwrap_or(0);
    println!(
        "{}",
        serde_json::json!({"engine": "chromium", "messages": args.messages, "seconds": secs,
            "bytes": std::fs::metadata(&out_pdf)?.len(), "pages": pages(&out_pdf),
            "largest_process_peak_rss_mib": max_kib / 1024})
    );
    Ok(())
}
