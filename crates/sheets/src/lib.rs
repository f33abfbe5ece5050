//! Spreadsheet exports of the reports (RP-2, RP-3): one table — a title, its
//! column headers and rows of cells — written as CSV or XLSX. Pure: data
//! in, bytes out.
//!
//! - **CSV** is UTF-8 with a byte-order mark and `;` between fields, which
//!   is what Excel in Portuguese (where `,` is the decimal separator)
//!   opens in columns with accents intact. Times are `dd/mm/aaaa hh:mm:ss`.
//! - **XLSX** keeps numbers as numbers and times as Excel date-times, with
//!   a bold header row, frozen panes and a filter. Written row by row in
//!   constant memory; past Excel's 1,048,576 rows a sheet continues on the
//!   next ("Sessões (2)").

use chrono::NaiveDateTime;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A local wall-clock time (the caller chose the time zone).
    Time(NaiveDateTime),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Int(n)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// A table to export: `name` titles the XLSX sheet.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("xlsx: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("a row has {got} cells for {want} columns")]
    Ragged { got: usize, want: usize },
}

pub type Result<T> = std::result::Result<T, SheetError>;

const TIME_TEXT: &str = "%d/%m/%Y %H:%M:%S";
const TIME_EXCEL: &str = "dd/mm/yyyy hh:mm:ss";
/// Rows of data a sheet holds under its header (Excel's limit less one).
const SHEET_ROWS: usize = 1_048_575;
/// Excel's limit on a sheet name.
const SHEET_NAME_MAX: usize = 31;

impl Table {
    fn check(&self) -> Result<()> {
        let want = self.headers.len();
        match self.rows.iter().find(|r| r.len() != want) {
            Some(r) => Err(SheetError::Ragged { got: r.len(), want }),
            None => Ok(()),
        }
    }

    /// The table as CSV: BOM, `;`-separated, CRLF line ends (as Excel
    /// writes them).
    pub fn to_csv(&self) -> Result<Vec<u8>> {
        self.check()?;
        let mut out = Vec::with_capacity(64 * (self.rows.len() + 1));
        out.extend_from_slice("\u{feff}".as_bytes());
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(&self.headers)?;
        for row in &self.rows {
            w.write_record(row.iter().map(|c| match c {
                Cell::Text(s) => s.clone(),
                Cell::Int(n) => n.to_string(),
                Cell::Time(t) => t.format(TIME_TEXT).to_string(),
                Cell::Empty => String::new(),
            }))?;
        }
        w.into_inner()
            .map_err(|e| SheetError::Csv(e.into_error().into()))
    }

    /// The table as an XLSX workbook.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        self.check()?;
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let time = Format::new().set_num_format(TIME_EXCEL);
        let chunks: Vec<&[Vec<Cell>]> = if self.rows.is_empty() {
            vec![&[]]
        } else {
            self.rows.chunks(SHEET_ROWS).collect()
        };
        for (i, rows) in chunks.iter().enumerate() {
            let sheet = book.add_worksheet_with_constant_memory()?;
            sheet.set_name(sheet_name(&self.name, i))?;
            for (col, h) in self.headers.iter().enumerate() {
                let col = col as u16;
                sheet.write_string_with_format(0, col, h, &bold)?;
                sheet.set_column_width(col, (h.chars().count() as f64 + 4.0).max(14.0))?;
            }
            for (r, row) in rows.iter().enumerate() {
                let r = r as u32 + 1;
                for (col, cell) in row.iter().enumerate() {
                    let col = col as u16;
                    match cell {
                        Cell::Text(s) => sheet.write_string(r, col, s)?,
                        Cell::Int(n) => sheet.write_number(r, col, *n as f64)?,
                        Cell::Time(t) => sheet.write_datetime_with_format(r, col, t, &time)?,
                        Cell::Empty => sheet,
                    };
                }
            }
            if !self.headers.is_empty() {
                let last_col = self.headers.len() as u16 - 1;
                sheet.set_freeze_panes(1, 0)?;
                sheet.autofilter(0, 0, rows.len() as u32, last_col)?;
            }
        }
        Ok(book.save_to_buffer()?)
    }
}

/// The `i`th sheet's name: the table's, then "… (2)", "… (3)", within
/// Excel's 31 characters and without the characters it forbids.
fn sheet_name(name: &str, i: usize) -> String {
    let clean: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).collect();
    let suffix = if i == 0 {
        String::new()
    } else {
        format!(" ({})", i + 1)
    };
    let room = SHEET_NAME_MAX - suffix.chars().count();
    let base: String = clean.chars().take(room).collect();
    let base = if base.trim().is_empty() {
        "Planilha".to_string()
    } else {
        base
    };
    format!("{base}{suffix}")
}

#[cfg(test)]
mod tests;
