use std::collections::BTreeMap;

use atende_store::testing::TestDb;

/// Table → sorted columns, read from a migration file's CREATE TABLEs and
/// ALTER TABLE … ADD COLUMNs and DROP COLUMNs.
fn parse(sql: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    parse_into(sql, &mut out);
    out
}

/// Applies one migration file's tables and added or dropped columns to `out`.
fn parse_into(sql: &str, out: &mut BTreeMap<String, Vec<String>>) {
    let mut current: Option<(String, Vec<String>)> = None;
    for line in sql.lines() {
        let line = line.split("--").next().unwrap_or("").trim();
        if let Some(rest) = line.strip_prefix("ALTER TABLE ") {
            let mut words = rest.split_whitespace();
            let table = words.next().unwrap_or("").to_string();
            match (words.next(), words.next(), words.next()) {
                (Some("ADD"), Some("COLUMN"), Some(col)) => {
                    let cols = out.entry(table).or_default();
                    cols.push(col.trim_end_matches(';').to_string());
                    cols.sort();
                }
                (Some("DROP"), Some("COLUMN"), Some(col)) => {
                    let col = col.trim_end_matches(';');
                    out.entry(table).or_default().retain(|c| c != col);
                }
                _ => {}
            }
        } else if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
            current = Some((rest.trim_end_matches('(').trim().to_string(), Vec::new()));
        } else if line.starts_with(");") {
            if let Some((t, mut cols)) = current.take() {
                cols.sort();
                out.insert(t, cols);
            }
        } else if let Some((_, cols)) = current.as_mut() {
            let first = line.split_whitespace().next().unwrap_or("");
            if !first.is_empty() && first != "PRIMARY" && first != "UNIQUE" && first != "FOREIGN" {
                cols.push(first.to_string());
            }
        }
    }
}

#[test]
fn migration_files_define_the_same_tables_and_columns() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    let mut names: Vec<_> = std::fs::read_dir(format!("{dir}/sqlite"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    let pg_names: Vec<_> = {
        let mut v: Vec<_> = std::fs::read_dir(format!("{dir}/postgres"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        names, pg_names,
        "both backends need the same migration files"
    );
    for n in names {
        let sqlite =
            std::fs::read_to_string(format!("{dir}/sqlite/{}", n.to_string_lossy())).unwrap();
        let s = parse(&sqlite);
        let p = parse(
            &std::fs::read_to_string(format!("{dir}/postgres/{}", n.to_string_lossy())).unwrap(),
        );
        // A file that changes tables must be understood by the parser (a
        // trigger-only migration changes none).
        if sqlite.contains("CREATE TABLE") || sqlite.contains("ALTER TABLE") {
            assert!(!s.is_empty(), "no table read from {n:?}");
        }
        assert_eq!(s, p, "schema drift in {n:?}");
    }
}

#[tokio::test]
async fn live_schema_has_every_table_of_the_migrations() {
    let db = TestDb::new().await;
    let live = db.store.schema().await.unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut expected = BTreeMap::new();
    for f in files {
        parse_into(&std::fs::read_to_string(f).unwrap(), &mut expected);
    }
    assert_eq!(live, expected);
}
