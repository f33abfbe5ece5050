use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;

use super::*;

fn table() -> Table {
    let at = NaiveDate::from_ymd_opt(2026, 3, 5)
        .unwrap()
        .and_hms_opt(14, 2, 9)
        .unwrap();
    Table {
        name: "Sessões".into(),
        headers: vec![
            "Sessão".into(),
            "Nome".into(),
            "Início".into(),
            "Mensagens".into(),
        ],
        rows: vec![
            vec![
                "c639c747".into(),
                "Márcia Conceição".into(),
                Cell::Time(at),
                Cell::Int(12),
            ],
            vec![
                "d1".into(),
                "João \"Jota\"; da Silva\nsegunda linha".into(),
                Cell::Time(at),
                Cell::Empty,
            ],
        ],
    }
}

#[test]
fn csv_opens_in_excel_with_accents_intact() {
    let bytes = table().to_csv().unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark first");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut lines = text.split("\r\n");
    assert_eq!(lines.next(), Some("Sessão;Nome;Início;Mensagens"));
    assert_eq!(
        lines.next(),
        Some("c639c747;Márcia Conceição;05/03/2026 14:02:09;12")
    );
    // Quotes, separators and line breaks inside a value are quoted.
    assert!(
        text.contains("d1;\"João \"\"Jota\"\"; da Silva\nsegunda linha\";05/03/2026 14:02:09;\r\n")
    );
    // And a CSV reader gives the values back.
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[1][1], "João \"Jota\"; da Silva\nsegunda linha");
}

#[test]
fn xlsx_reads_back_with_types() {
    let bytes = table().to_xlsx().unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["Sessões".to_string()]);
    let range = book.worksheet_range("Sessões").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], Data::String("Sessão".into()));
    assert_eq!(rows[1][1], Data::String("Márcia Conceição".into()));
    assert_eq!(
        rows[1][2].as_datetime().map(|t| t.to_string()).as_deref(),
        Some("2026-03-05 14:02:09")
    );
    assert_eq!(rows[1][3].as_f64(), Some(12.0));
    assert_eq!(
        rows[2][1],
        Data::String("João \"Jota\"; da Silva\nsegunda linha".into())
    );
    assert_eq!(rows[2][3], Data::Empty);
}

#[test]
fn an_empty_table_still_has_its_headers() {
    let t = Table {
        rows: vec![],
        ..table()
    };
    let csv = t.to_csv().unwrap();
    assert_eq!(&csv[3..], "Sessão;Nome;Início;Mensagens\r\n".as_bytes());
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(t.to_xlsx().unwrap())).unwrap();
    let range = book.worksheet_range("Sessões").unwrap();
    assert_eq!(range.rows().count(), 1);
}

#[test]
fn a_ragged_row_is_refused() {
    let mut t = table();
    t.rows[1].pop();
    assert!(matches!(
        t.to_csv(),
        Err(SheetError::Ragged { got: 3, want: 4 })
    ));
    assert!(t.to_xlsx().is_err());
}

#[test]
fn sheet_names_follow_excels_rules() {
    assert_eq!(sheet_name("Sessões", 0), "Sessões");
    assert_eq!(sheet_name("Sessões", 1), "Sessões (2)");
    assert_eq!(sheet_name("a/b:c[d]", 0), "abcd");
    assert_eq!(sheet_name("", 0), "Planilha");
    let long = "Relatório de conversas de março de 2026";
    assert_eq!(sheet_name(long, 2).chars().count(), 31);
    assert!(sheet_name(long, 2).ends_with(" (3)"));
}
