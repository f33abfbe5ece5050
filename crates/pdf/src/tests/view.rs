use chrono::NaiveDate;

use super::*;
use crate::text::{breakable, day_label, is_web_url, thousands};
use crate::view::HistoryView;

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

#[test]
fn internal_notes_never_reach_the_template_unless_asked_for() {
    let json = |include| {
        let h = sample(include);
        serde_json::to_string(&HistoryView::new(&h, &["Inter"])).expect("json")
    };
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
    let h = sample(true);
    let v: serde_json::Value =
        serde_json::to_value(HistoryView::new(&h, &["Inter"])).expect("json");
    let counts: Vec<(String, String)> = v["counts"]
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
