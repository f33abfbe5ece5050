//! Tests of the history PDF. The rendered PDFs are read back with poppler's
//! command-line tools (`pdftotext`, `pdfinfo`, `pdftoppm`, installed by
//! .ci/setup); where they are missing those checks say so and are skipped.

mod history;
mod view;

use std::path::PathBuf;
use std::process::Command;

use chrono::{NaiveDate, NaiveDateTime};

use crate::{
    AttendanceEvent, AttendanceState, AuthorKind, Contact, History, Item, MediaKind, MediaLink,
    Message,
};

fn at(day: u32, h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 2, day)
        .and_then(|d| d.and_hms_opt(h, m, 0))
        .expect("valid test time")
}

fn contact() -> Contact {
    Contact {
        name: "João da Conceição".into(),
        phone: Some("+55 11 98765-4321".into()),
        email: Some("joao@exemplo.com.br".into()),
        id: "0193f6e2-7c1a-7b3e-9d2a-5f1e2c3b4a59".into(),
    }
}

fn history(items: Vec<Item>, include_internal: bool) -> History {
    History {
        contact: contact(),
        from: NaiveDate::from_ymd_opt(2026, 2, 1).expect("date"),
        to: NaiveDate::from_ymd_opt(2026, 2, 28).expect("date"),
        generated_at: at(28, 18, 5),
        time_zone: "horário de Brasília (UTC−03:00)".into(),
        include_internal,
        items,
    }
}

fn msg(at: NaiveDateTime, author: AuthorKind, name: Option<&str>, text: &str) -> Item {
    Item::Message(Message {
        at,
        author,
        author_name: name.map(Into::into),
        text: text.into(),
        internal: false,
        media: None,
        channel: Some("WhatsApp".into()),
    })
}

fn attendance(
    at: NaiveDateTime,
    state: AttendanceState,
    protocol: &str,
    agent: &str,
    by: &str,
) -> Item {
    Item::Attendance(AttendanceEvent {
        state,
        protocol: protocol.into(),
        at,
        department: Some("Suporte Técnico".into()),
        agent: Some(agent.into()),
        by: Some(by.into()),
    })
}

const MEDIA_URL: &str = "https://media.atende.example/m/7f3a9c/comprovante.pdf?sig=abc123";

/// Two days, two attendances, every kind of author, an internal note, a
/// media link, accents and an emoji. Given slightly out of order: the PDF
/// sorts by time.
fn sample(include_internal: bool) -> History {
    use AuthorKind::*;
    let note = Message {
        at: at(24, 13, 41),
        author: Agent,
        author_name: Some("Ana Souza".into()),
        text: "Cliente já ligou antes, priorizar.".into(),
        internal: true,
        media: None,
        channel: Some("WhatsApp".into()),
    };
    let with_media = Message {
        at: at(24, 13, 44),
        author: Contact,
        author_name: Some("João da Conceição".into()),
        text: "Segue o comprovante.\nÉ o boleto de março.".into(),
        internal: false,
        media: Some(MediaLink {
            kind: MediaKind::Document,
            name: "comprovante.pdf".into(),
            url: MEDIA_URL.into(),
        }),
        channel: Some("Telegram".into()),
    };
    let items = vec![
        msg(
            at(24, 13, 30),
            Contact,
            None,
            "Olá, preciso de ajuda com a instalação",
        ),
        msg(
            at(24, 13, 30),
            Bot,
            Some("Assistente"),
            "Olá! Você está falando com o assistente virtual 😃",
        ),
        msg(
            at(24, 13, 31),
            System,
            None,
            "--- Mensagem template não enviada, verifique o fluxo ---",
        ),
        attendance(
            at(24, 13, 40),
            AttendanceState::Opened,
            "20260224000000123",
            "Ana Souza",
            "Bot",
        ),
        Item::Message(note),
        msg(
            at(24, 13, 42),
            Agent,
            Some("Ana Souza"),
            "Bom dia! A instalação em São Paulo está prevista para você na ação de amanhã.",
        ),
        Item::Message(with_media),
        attendance(
            at(24, 14, 2),
            AttendanceState::Closed,
            "20260224000000123",
            "Ana Souza",
            "Ana Souza",
        ),
        attendance(
            at(25, 9, 0),
            AttendanceState::Opened,
            "20260225000000456",
            "Bruno Lima",
            "Cliente",
        ),
        msg(
            at(25, 9, 1),
            System,
            None,
            "Conversa transferida para Bruno Lima",
        ),
        msg(
            at(25, 9, 3),
            Agent,
            Some("Bruno Lima"),
            "Confirmado, técnico a caminho. Acompanhe em https://atende.example/acompanhar/\
             0193f6e2-7c1a-7b3e-9d2a-5f1e2c3b4a59/instalacao-residencial-sao-paulo",
        ),
        msg(
            at(24, 13, 35),
            Contact,
            None,
            "Quero falar com um atendente",
        ),
    ];
    history(items, include_internal)
}

/// Where test artifacts go: `<target dir>/test-artifacts`, found from the
/// test binary's path (`<target>/<profile>/deps/<binary>`).
fn artifact_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let target = exe
        .ancestors()
        .nth(3)
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = target.join("test-artifacts");
    std::fs::create_dir_all(&dir).expect("create test-artifacts");
    dir
}

fn write_artifact(name: &str, bytes: &[u8]) -> PathBuf {
    let path = artifact_dir().join(name);
    std::fs::write(&path, bytes).expect("write artifact");
    path
}

/// Whether a poppler tool is on PATH; prints why a check is skipped if not.
fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    if !ok {
        eprintln!("SKIPPED: `{tool}` (poppler-utils) is not installed; run .ci/setup");
    }
    ok
}

/// The PDF's text as `pdftotext -layout` extracts it, or `None` without it.
fn pdf_text(name: &str, pdf: &[u8]) -> Option<String> {
    if !have("pdftotext") {
        return None;
    }
    let path = write_artifact(name, pdf);
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    Some(String::from_utf8(out.stdout).expect("pdftotext prints UTF-8"))
}

/// Asserts that `parts` occur in `text` in this order.
fn assert_in_order(text: &str, parts: &[&str]) {
    let mut from = 0;
    for part in parts {
        match text[from..].find(part) {
            Some(i) => from += i + part.len(),
            None => panic!("{part:?} missing or out of order in:\n{text}"),
        }
    }
}
