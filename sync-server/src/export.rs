//! Table downloads: every admin table can be answered as CSV or Excel (`?format=csv|xlsx`),
//! from one [`Table`] the endpoint builds.
//!
//! CSV is UTF-8 with a byte-order mark (so Excel reads Kazakh and Russian names right), comma
//! separated, RFC 4180 quoting. A text cell that a spreadsheet would run as a formula (starting
//! with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading apostrophe (OWASP's CSV
//! injection advice); in `.xlsx` every text cell is written as a string, never a formula.

use std::borrow::Cow;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format as XlsxFormat, Workbook};

use crate::error::{AppError, AppResult};

pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";
pub const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// How a table is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

impl Format {
    /// `?format=` (absent: JSON); 422 naming `format` otherwise.
    pub fn parse(raw: Option<&str>) -> AppResult<Format> {
        match raw.map(str::trim) {
            None | Some("json") => Ok(Format::Json),
            Some("csv") => Ok(Format::Csv),
            Some("xlsx") => Ok(Format::Xlsx),
            Some(other) => Err(AppError::invalid("format", format!("'{other}' is not a format: use json, csv or xlsx"))),
        }
    }

    pub fn is_file(self) -> bool {
        self != Format::Json
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Num(f64),
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

impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Int(i64::from(n))
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Cell {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::Num(n)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// A table to download: a file name (without extension), a header row and the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub file_name: String,
    pub columns: Vec<Cow<'static, str>>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(file_name: impl Into<String>, columns: Vec<&'static str>) -> Table {
        Table { file_name: file_name.into(), columns: columns.into_iter().map(Cow::Borrowed).collect(), rows: Vec::new() }
    }

    /// A table whose columns are known only at run time (one per category of a catalogue).
    pub fn with_columns(file_name: impl Into<String>, columns: Vec<String>) -> Table {
        Table { file_name: file_name.into(), columns: columns.into_iter().map(Cow::Owned).collect(), rows: Vec::new() }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }
}

/// A text cell made safe from spreadsheet formula injection.
fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The table as CSV bytes (with a UTF-8 byte-order mark).
pub fn to_csv(table: &Table) -> AppResult<Vec<u8>> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(table.columns.iter().map(|c| c.as_bytes())).map_err(AppError::internal)?;
        for row in &table.rows {
            let cells = row.iter().map(|c| match c {
                Cell::Text(s) => csv_text(s),
                Cell::Int(n) => n.to_string(),
                Cell::Num(n) => n.to_string(),
                Cell::Empty => String::new(),
            });
            w.write_record(cells).map_err(AppError::internal)?;
        }
        w.flush().map_err(AppError::internal)?;
    }
    Ok(out)
}

/// The table as an Excel workbook with one sheet and a bold, frozen header row.
pub fn to_xlsx(table: &Table) -> AppResult<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = XlsxFormat::new().set_bold();
    let xlsx = |e: rust_xlsxwriter::XlsxError| AppError::internal(e);
    for (col, name) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, name.as_ref(), &bold).map_err(xlsx)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(AppError::internal)?;
        for (col, cell) in row.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(s) => sheet.write_string(r, col, s).map(|_| ()),
                Cell::Int(n) => sheet.write_number(r, col, *n as f64).map(|_| ()),
                Cell::Num(n) if n.is_finite() => sheet.write_number(r, col, *n).map(|_| ()),
                Cell::Num(_) | Cell::Empty => Ok(()),
            }
            .map_err(xlsx)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    book.save_to_buffer().map_err(xlsx)
}

/// Answers the table as a download in `format` (CSV or xlsx).
pub fn download(table: &Table, format: Format) -> AppResult<Response> {
    let (bytes, content_type) = match format {
        Format::Csv => (to_csv(table)?, CSV_CONTENT_TYPE),
        Format::Xlsx => (to_xlsx(table)?, XLSX_CONTENT_TYPE),
        Format::Json => return Err(AppError::internal(anyhow::anyhow!("a JSON answer is not a download"))),
    };
    // File names are built from fixed words, dates and ids: plain ASCII, nothing to escape.
    let name: String =
        table.file_name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{}\"", format.as_str()))
        .map_err(AppError::internal)?;
    let mut response = bytes.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_bom_quotes_and_no_formulas() {
        let mut t = Table::new("t", vec!["name", "n", "x"]);
        t.push(vec!["Әйгерім, \"A\"".into(), Cell::Int(3), Cell::Empty]);
        t.push(vec!["=HYPERLINK(\"x\")".into(), Cell::Num(1.5), "-1".into()]);
        let csv = to_csv(&t).unwrap();
        assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(csv[3..].to_vec()).unwrap();
        assert_eq!(text, "name,n,x\n\"Әйгерім, \"\"A\"\"\",3,\n\"'=HYPERLINK(\"\"x\"\")\",1.5,'-1\n");
        assert_eq!(Format::parse(Some("pdf")).unwrap_err().message().1, Some("format"));
        assert_eq!(Format::parse(None).unwrap(), Format::Json);
    }

    #[test]
    fn xlsx_is_a_zip() {
        let mut t = Table::new("t", vec!["a"]);
        t.push(vec![Cell::Int(1)]);
        let bytes = to_xlsx(&t).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
