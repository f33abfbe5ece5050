//! Row sets passed as one JSON parameter. A batch statement binds all its
//! rows as a single JSON array of objects and expands it in SQL
//! (`json_each` on SQLite, `jsonb_to_recordset` on PostgreSQL), so its text
//! never depends on the number of rows: it is prepared once and cached, and
//! the database never resolves thousands of numbered placeholders.

use crate::Backend;

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

/// `column = $param`, the organization filter of a statement driven by a
/// JSON row set. On SQLite the column is wrapped in a unary `+`, which keeps
/// the planner (with no statistics on the row set) from scanning the whole
/// organization through its `org_id` index instead of looking each row up
/// by its key.
pub(crate) fn org_eq(backend: Backend, column: &str, param: usize) -> String {
    match backend {
        Backend::Postgres => format!("{column} = ${param}"),
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
