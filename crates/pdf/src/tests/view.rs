use chrono::NaiveDate;

use super::*;
use crate::text::{breakable, day_label, is_web_url, needs_no_composition, thousands};
use crate::view::{HistoryView, Part};

#[test]
fn numbers_and_days_are_written_the_brazilian_way() {
    let cases = [
        (0, "0"),
        (999, "999"),
        (1_000, "1.000"),
        (12_345, "12.345"),
        (1_234_567, "1.234.567"),
    ];
    for (n, want) in cases {
        assert_eq!(thousands(n), want);
    }
    let day = |d| day_label(NaiveDate::from_ymd_opt(2026, 3, d).expect("date"));
    assert_eq!(day(1), "domingo, 1 de março de 2026");
    assert_eq!(day(3), "terça-feira, 3 de março de 2026");
    assert_eq!(day(7), "sábado, 7 de março de 2026");
}

#[test]
fn only_long_unbroken_runs_get_break_opportunities() {
    assert!(matches!(
        breakable("palavras curtas"),
        std::borrow::Cow::Borrowed(_)
    ));
    let url = format!("https://exemplo.com/{}", "a".repeat(100));
    let broken = breakable(&url);
    assert_eq!(broken.replace('\u{200B}', ""), url);
    assert_eq!(broken.matches('\u{200B}').count(), 2);
}

#[test]
fn only_web_urls_become_links() {
    assert!(is_web_url("https://media.exemplo.com/a.jpg"));
    assert!(is_web_url("HTTP://media.exemplo.com/a.jpg"));
    for url in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "",
        "http:/x",
        "ftp://x",
    ] {
        assert!(!is_web_url(url), "{url}");
    }
}

/// The JSON of the one typst document that lays out all of `h`'s rows.
fn template_data(h: &History) -> serde_json::Value {
    let view = HistoryView::new(h, &["Inter"]);
    let mut bodies = view.bodies(usize::MAX);
    assert_eq!(bodies.len(), 1);
    serde_json::to_value(Part::Body(bodies.remove(0))).expect("json")
}

#[test]
fn internal_notes_never_reach_the_template_unless_asked_for() {
    let json = |include| template_data(&sample(include)).to_string();
    let without = json(false);
    assert!(!without.contains("priorizar"));
    assert!(!without.contains("Notas internas"));
    let with = json(true);
    assert!(with.contains("priorizar"));
    assert!(
        with.contains(r#"{"label":"Notas internas","value":"1"}"#),
        "{with}"
    );
}

#[test]
fn counts_and_rows_follow_time_order() {
    let v = template_data(&sample(true));
    let counts: Vec<(String, String)> = v["head"]["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| {
            (
                c["label"].as_str().unwrap_or("").into(),
                c["value"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let get = |l: &str| counts.iter().find(|c| c.0 == l).map(|c| c.1.as_str());
    assert_eq!(get("Mensagens"), Some("9"));
    assert_eq!(get("Cliente"), Some("3"));
    assert_eq!(get("Bot"), Some("1"));
    assert_eq!(get("Atendentes"), Some("2"));
    assert_eq!(get("Sistema"), Some("2"));
    assert_eq!(get("Atendimentos"), Some("2"));
    assert_eq!(get("Mídias"), Some("1"));
    let kinds: Vec<&str> = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        kinds,
        [
            "day",
            "message",
            "message",
            "system",
            "message",
            "attendance",
            "message",
            "message",
            "message",
            "attendance",
            "day",
            "attendance",
            "system",
            "message"
        ]
    );
}

/// Rows are cut into runs of at most the given size, at a day's first row
/// when one falls in a run's second half; a run that starts mid-day names it.
#[test]
fn rows_are_split_into_runs_preferably_at_day_starts() {
    // Three days of ten messages: rows 0, 11 and 22 are day separators.
    let items = (0..30)
        .map(|i| msg(at(2 + i / 10, 9, i % 10), AuthorKind::Contact, None, "oi"))
        .collect();
    let h = history(items, false);
    let view = HistoryView::new(&h, &["Inter"]);
    let runs: Vec<serde_json::Value> = view
        .bodies(8)
        .iter()
        .map(|b| serde_json::to_value(b).expect("json"))
        .collect();
    let summary: Vec<(usize, bool, Option<&str>)> = runs
        .iter()
        .map(|r| {
            (
                r["rows"].as_array().expect("rows").len(),
                r["title"].as_bool().expect("title"),
                r["continued"].as_str(),
            )
        })
        .collect();
    let monday = "segunda-feira, 2 de fevereiro de 2026";
    let tuesday = "terça-feira, 3 de fevereiro de 2026";
    let wednesday = "quarta-feira, 4 de fevereiro de 2026";
    assert_eq!(
        summary,
        [
            (8, true, None),
            (8, false, Some(monday)),
            (6, false, Some(tuesday)),
            (8, false, None),
            (3, false, Some(wednesday)),
        ]
    );

    let empty = history(vec![], false);
    let view = HistoryView::new(&empty, &["Inter"]);
    let runs = view.bodies(8);
    assert_eq!(runs.len(), 1, "an empty history is one (title) run");
}

#[test]
fn only_plain_latin_text_skips_glyph_composition() {
    for text in [
        "Olá, a instalação em São Paulo é amanhã — “às 8h”… R$ 10,00 ou 2 €",
        &breakable(&"x".repeat(100)),
        "",
        "Obrigado 😃🙏 ✅ 🚚",
    ] {
        assert!(needs_no_composition(text), "{text:?}");
    }
    // Flags (two letters composed by the emoji font), skin tones, keycaps,
    // variation selectors, combining marks, joiners and other scripts keep
    // the fonts' composition.
    for text in [
        "🇧🇷",
        "👍\u{1F3FD}",
        "1\u{FE0F}\u{20E3}",
        "❤\u{FE0F}",
        "e\u{301}",
        "👩\u{200D}💻",
        "Привет",
    ] {
        assert!(!needs_no_composition(text), "{text:?}");
    }
}
