use std::process::Command;

use super::*;
use crate::{history_pdf, render_history, render_history_in_parts};

/// A render nobody cancels.
static NOT_CANCELLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[test]
fn history_prints_every_author_in_time_order_with_protocols() {
    let rendered = render_history(&sample(true), &NOT_CANCELLED).expect("render");
    assert!(rendered.pdf.starts_with(b"%PDF-"));
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    assert_eq!(rendered.pages, 1);
    let Some(text) = pdf_text("history-full.pdf", &rendered.pdf) else {
        return;
    };
    // Each message says which channel it came through.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Cliente · Telegram · 13:44"), "{flat}");
    assert!(flat.contains("Cliente · WhatsApp"), "{flat}");
    assert_in_order(
        &text,
        &[
            "HISTÓRICO COMPLETO DE CONVERSAS",
            "João da Conceição",
            "+55 11 98765-4321",
            "01/02/2026 a 28/02/2026",
            "joao@exemplo.com.br",
            "28/02/2026 18:05",
            "0193f6e2-7c1a-7b3e-9d2a-5f1e2c3b4a59",
            "horário de Brasília (UTC−03:00)",
            "terça-feira, 24 de fevereiro de 2026",
            "Olá, preciso de ajuda com a instalação",
            "Olá! Você está falando com o assistente virtual",
            "--- Mensagem template não enviada, verifique o fluxo ---",
            "Quero falar com um atendente",
            "Atendimento aberto",
            "20260224000000123",
            "Departamento: Suporte Técnico",
            "Nota interna",
            "Cliente já ligou antes, priorizar.",
            "São Paulo",
            "ação de amanhã",
            "Segue o comprovante.",
            "É o boleto de março.",
            "comprovante.pdf",
            "Atendimento encerrado",
            "20260224000000123",
            "quarta-feira, 25 de fevereiro de 2026",
            "Atendimento aberto",
            "20260225000000456",
            "Conversa transferida para Bruno Lima",
            "Confirmado, técnico a caminho.",
            "Página 1 de 1",
        ],
    );
    assert!(text.contains("link válido por 72 h"), "{text}");
    if crate::world::font_families().contains(&"Noto Color Emoji") {
        assert!(text.contains('😃'), "emoji lost:\n{text}");
    }
}

#[test]
fn internal_notes_are_left_out_unless_asked_for() {
    let pdf = history_pdf(&sample(false)).expect("render");
    let Some(text) = pdf_text("history-no-notes.pdf", &pdf) else {
        return;
    };
    assert!(!text.contains("Cliente já ligou antes"), "{text}");
    assert!(!text.contains("Nota interna"), "{text}");
    assert_in_order(&text, &["Notas internas", "não incluídas"]);
    assert_in_order(
        &text,
        &[
            "Quero falar",
            "Atendimento aberto",
            "São Paulo",
            "Página 1 de 1",
        ],
    );
}

const INJECTION: &str = "#set page(width: 1cm) = Título *negrito* $x$ @ref <lbl>";

#[test]
fn user_text_is_printed_literally_never_as_markup() {
    let mut h = history(vec![], true);
    h.contact.name = INJECTION.into();
    h.items.push(msg(
        at(26, 10, 0),
        AuthorKind::Contact,
        Some(INJECTION),
        INJECTION,
    ));
    h.items.push(Item::Message(Message {
        at: at(26, 10, 1),
        author: AuthorKind::Agent,
        author_name: Some("Ana".into()),
        text: "#{ panic() } ]) } \\ \" // /* ".into(),
        internal: false,
        media: Some(MediaLink {
            kind: MediaKind::Image,
            name: INJECTION.into(),
            url: "javascript:alert(1)".into(),
        }),
        channel: None,
    }));
    let rendered =
        render_history(&h, &NOT_CANCELLED).expect("markup in data must not break the render");
    assert_eq!(rendered.pages, 1, "a `#set page` in the data took effect");
    let Some(text) = pdf_text("history-injection.pdf", &rendered.pdf) else {
        return;
    };
    assert!(text.matches(INJECTION).count() >= 4, "{text}");
    assert!(text.contains("#{ panic() } ]) }"), "{text}");
    assert!(!String::from_utf8_lossy(&rendered.pdf).contains("javascript:"));
}

#[test]
fn media_links_are_clickable_annotations() {
    let pdf = history_pdf(&sample(true)).expect("render");
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains(&format!("/URI({MEDIA_URL})")),
        "no URI action for the media URL in the PDF"
    );
    if !have("pdfinfo") {
        return;
    }
    let path = write_artifact("history-links.pdf", &pdf);
    let out = Command::new("pdfinfo")
        .arg("-url")
        .arg(&path)
        .output()
        .expect("run pdfinfo");
    let urls = String::from_utf8_lossy(&out.stdout);
    let line = urls.lines().find(|l| l.contains(MEDIA_URL));
    assert!(
        line.is_some_and(|l| l.contains("Annotation")),
        "pdfinfo sees no link annotation for the media URL:\n{urls}"
    );
}

/// Renders page 1 to `<target>/test-artifacts/history-page1.png` to look at.
#[test]
fn first_page_renders_to_png() {
    let pdf = history_pdf(&sample(true)).expect("render");
    if !have("pdftoppm") {
        return;
    }
    let path = write_artifact("history-page1.pdf", &pdf);
    let png = artifact_dir().join("history-page1");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&path)
        .arg(&png)
        .status()
        .expect("run pdftoppm");
    assert!(status.success());
    let png = png.with_extension("png");
    let bytes = std::fs::read(&png).expect("png written");
    assert!(
        bytes.starts_with(b"\x89PNG"),
        "not a PNG: {}",
        png.display()
    );
    eprintln!("page 1: {}", png.display());
}

#[test]
fn an_empty_history_is_one_page_saying_so() {
    let rendered = render_history(&history(vec![], false), &NOT_CANCELLED).expect("render");
    assert_eq!(rendered.pages, 1);
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let Some(text) = pdf_text("history-empty.pdf", &rendered.pdf) else {
        return;
    };
    assert_in_order(
        &text,
        &[
            "HISTÓRICO COMPLETO DE CONVERSAS",
            "João da Conceição",
            "Nenhuma mensagem no período.",
            "Página 1 de 1",
        ],
    );
}

/// `n` messages over several days, every author, an attendance per 50.
fn long_history(n: usize, salt: &str) -> History {
    let start = at(1, 8, 0);
    let kinds = [AuthorKind::Contact, AuthorKind::Bot, AuthorKind::Agent];
    let mut items = Vec::with_capacity(n + n / 25);
    for i in 0..n {
        let t = start + chrono::Duration::minutes(i as i64 * 3);
        if i.is_multiple_of(50) {
            let protocol = format!("{}{:09}", t.format("%Y%m%d"), i);
            items.push(attendance(
                t,
                AttendanceState::Opened,
                &protocol,
                "Ana",
                "Bot",
            ));
        }
        let text = format!(
            "Mensagem {i}: você pediu a revisão da ação em São Paulo, confirmamos o agendamento{salt}."
        );
        items.push(msg(t, kinds[i % 3], None, &text));
    }
    history(items, false)
}

#[test]
fn a_long_history_spans_pages_numbered_x_of_y() {
    let rendered = render_history(&long_history(400, ""), &NOT_CANCELLED).expect("render");
    let pages = rendered.pages;
    assert!(pages > 5, "only {pages} pages");
    let Some(text) = pdf_text("history-long.pdf", &rendered.pdf) else {
        return;
    };
    assert_in_order(
        &text,
        &[
            "Mensagem 0:",
            &format!("Página 1 de {pages}"),
            "Mensagem 399:",
            &format!("Página {pages} de {pages}"),
        ],
    );
}

/// A history laid out as many typst documents numbers its pages on across
/// them, repeats the running header and loses or reorders no message.
#[test]
fn parts_are_numbered_on_and_keep_every_message_in_order() {
    const MESSAGES: usize = 400;
    // 400 messages over two days make 410 rows: parts of 60 rows cut the
    // first day several times (its separator is repeated) and end one part
    // before the second day.
    let rendered = render_history_in_parts(&long_history(MESSAGES, ""), 60).expect("render");
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let total = rendered.pages;
    assert!(total > 8, "only {total} pages");
    let Some(text) = pdf_text("history-parts.pdf", &rendered.pdf) else {
        return;
    };
    // pdftotext ends every page with a form feed.
    let pages: Vec<&str> = text.split_terminator('\u{c}').collect();
    assert_eq!(pages.len(), total);
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        assert_eq!(
            page.matches("Página ").count(),
            1,
            "page {n} has not one footer:\n{page}"
        );
        assert!(
            page.contains(&format!("Página {n} de {total}")),
            "page {n}:\n{page}"
        );
        assert_eq!(
            page.contains("Histórico completo de conversas · 01/02/2026 a 28/02/2026"),
            n > 1,
            "running header on page {n}:\n{page}"
        );
    }
    let messages: Vec<String> = (0..MESSAGES).map(|i| format!("Mensagem {i}:")).collect();
    let messages: Vec<&str> = messages.iter().map(String::as_str).collect();
    assert_in_order(&text, &messages);
    assert!(
        text.contains("domingo, 1 de fevereiro de 2026 (continuação)"),
        "{text}"
    );
    assert_eq!(text.matches("HISTÓRICO COMPLETO DE CONVERSAS").count(), 1);
}

#[test]
fn a_cancelled_render_stops_with_cancelled() {
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let r = crate::history_pdf_until(&long_history(50, "c"), &cancel);
    assert!(matches!(r, Err(crate::PdfError::Cancelled)), "{r:?}");
    cancel.store(false, std::sync::atomic::Ordering::Relaxed);
    let pdf = crate::history_pdf_until(&long_history(50, "c"), &cancel).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}
