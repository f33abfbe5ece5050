//! Row sets passed as one JSON parameter. A batch statement binds all its
//! rows as a single JSON array of objects and expands it in SQL
//! (`json_each` on SQLite, `jsonb_to_recordset` on PostgreSQL), so its text
//! never depends on the number of rows: it is prepared once and cached, and
//! the database never resolves thousands of numbered placeholders.

use uuid::Uuid;

use crate::{Backend, Result, StoreError};

/// A parameter of a statement built at run time (filters), bound in order
/// with `bind_args!`.
pub(crate) enum Arg {
    Id(Uuid),
    Int(i64),
    Text(String),
}

/// Pushes `a` onto `args` and returns its placeholder (`$n`).
pub(crate) fn push(args: &mut Vec<Arg>, a: Arg) -> String {
    args.push(a);
    format!("${}", args.len())
}

/// Reads a keyset cursor `<key>_<uuid>`.
pub(crate) fn parse_cursor(s: &str) -> Result<(i64, Uuid)> {
    let bad = || StoreError::Invalid(format!("invalid cursor {s:?}"));
    let (k, id) = s.split_once('_').ok_or_else(bad)?;
    Ok((
        k.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

/// The SQL type of a column of a JSON row set.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Col {
    /// A UUID, as its hyphenated text in JSON (a 16-byte BLOB on SQLite).
    Uuid,
    Text,
    BigInt,
    /// A JSON value kept as JSON.
    Json,
}

/// A `FROM` item named `alias` with the typed columns `cols`, read from the
/// JSON array bound to placeholder `$param`.
pub(crate) fn json_rows(
    backend: Backend,
    param: usize,
    alias: &str,
    cols: &[(&str, Col)],
) -> String {
    match backend {
        Backend::Postgres => {
            let defs = cols
                .iter()
                .map(|(name, col)| {
                    let ty = match col {
                        Col::Uuid => "uuid",
                        Col::Text => "text",
                        Col::BigInt => "bigint",
                        Col::Json => "jsonb",
                    };
                    format!("{name} {ty}")
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("jsonb_to_recordset(${param}) AS {alias}({defs})")
        }
        Backend::Sqlite => {
            let exprs = cols
                .iter()
                .map(|(name, col)| match col {
                    Col::Uuid => format!("unhex(value ->> '{name}', '-') AS {name}"),
                    Col::Json => format!("value -> '{name}' AS {name}"),
                    Col::Text | Col::BigInt => format!("value ->> '{name}' AS {name}"),
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("(SELECT {exprs} FROM json_each(${param})) AS {alias}")
        }
    }
}

/// `FROM` items joining each row of a JSON row set (`rows`, see
/// [`json_rows`]) to the one row of `table` (named `alias`) that `on` finds
/// through a unique index: always one index lookup per row. PostgreSQL,
/// which estimates every row set at 100 rows, would otherwise hash the set
/// and scan the whole table once it is a few thousand rows long (seen with
/// 20,000 contacts: 5 ms per webhook batch instead of well under one); a
/// `LATERAL` subquery with `LIMIT 1` cannot be flattened into such a join.
pub(crate) fn lookup_each(
    backend: Backend,
    rows: &str,
    table: &str,
    alias: &str,
    on: &str,
) -> String {
    match backend {
        Backend::Postgres => format!(
            "{rows} CROSS JOIN LATERAL (SELECT * FROM {table} {alias} WHERE {on} LIMIT 1) AS {alias}"
        ),
        // CROSS JOIN keeps SQLite's planner from reordering the join: the
        // row set (with no statistics) stays the outer loop.
        Backend::Sqlite => format!("{rows} CROSS JOIN {table} {alias} ON {on}"),
    }
}

/// `column = $param`, the organization filter of a statement driven by a
/// JSON row set, written so that no index can serve it: the planner, with
/// no statistics on the row set, would otherwise scan the whole
/// organization through an index that leads with `org_id` instead of
/// looking each row up by its key. PostgreSQL did exactly that with the
/// cached plan of the batch's conversation update once the table had grown
/// past the statistics it was planned with (every conversation of the
/// organization read per batch). SQLite gets a unary `+` on the column,
/// PostgreSQL an `IS TRUE` test (the same result for a `NOT NULL` column).
pub(crate) fn org_eq(backend: Backend, column: &str, param: usize) -> String {
    match backend {
        Backend::Postgres => format!("({column} = ${param}) IS TRUE"),
        Backend::Sqlite => format!("+{column} = ${param}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_expand_the_same_columns() {
        let cols = [("id", Col::Uuid), ("n", Col::BigInt), ("p", Col::Json)];
        assert_eq!(
            json_rows(Backend::Postgres, 3, "v", &cols),
            "jsonb_to_recordset($3) AS v(id uuid, n bigint, p jsonb)"
        );
        assert_eq!(
            json_rows(Backend::Sqlite, 3, "v", &cols),
            "(SELECT unhex(value ->> 'id', '-') AS id, value ->> 'n' AS n, value -> 'p' AS p FROM json_each($3)) AS v"
        );
    }
}
