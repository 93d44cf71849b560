//! Reading the HackerEarth burnout CSV into model features, with errors that name the line.

use std::path::{Path, PathBuf};

use qamqor_risk_model::Feature;
use sha2::{Digest, Sha256};

/// CSV columns the model reads; the others (employee id, joining date, gender, company type)
/// are ignored on purpose: the app does not record them, and gender must not drive a score.
pub const DESIGNATION: &str = "Designation";
/// Column of the 1-10 work-hours allocation.
pub const RESOURCE_ALLOCATION: &str = "Resource Allocation";
/// Column of the 0-10 fatigue score.
pub const MENTAL_FATIGUE: &str = "Mental Fatigue Score";
/// Column of the Yes/No remote-work flag.
pub const WFH: &str = "WFH Setup Available";
/// Column of the 0-1 target.
pub const BURN_RATE: &str = "Burn Rate";

/// One data row: the model's features in [`Feature::ALL`] order and the target, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based line of the row in the file.
    pub line: u64,
    /// Feature values on the dataset's scales (remote work as 0/1), `None` when empty.
    pub features: [Option<f64>; 4],
    /// Burn Rate, `None` when empty.
    pub burn_rate: Option<f64>,
}

/// A parsed file.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Rows in file order.
    pub records: Vec<Record>,
    /// SHA-256 (hex) of the file's bytes, to tie an artifact to its data.
    pub sha256: String,
}

/// Rows with a known target, as parallel feature and target vectors.
#[derive(Debug, Clone, Default)]
pub struct Labeled {
    /// Features of each row.
    pub features: Vec<[Option<f64>; 4]>,
    /// Burn Rate of each row.
    pub targets: Vec<f64>,
}

impl Dataset {
    /// The rows that have a Burn Rate, in file order, and how many were skipped for lacking one.
    pub fn labeled(&self) -> (Labeled, usize) {
        let mut labeled = Labeled::default();
        let mut skipped = 0;
        for record in &self.records {
            match record.burn_rate {
                Some(target) => {
                    labeled.features.push(record.features);
                    labeled.targets.push(target);
                }
                None => skipped += 1,
            }
        }
        (labeled, skipped)
    }
}

impl Labeled {
    /// The rows at `indices`, in that order.
    pub fn subset(&self, indices: &[usize]) -> Labeled {
        Labeled {
            features: indices.iter().map(|&i| self.features[i]).collect(),
            targets: indices.iter().map(|&i| self.targets[i]).collect(),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
}

/// Why a data file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The header lacks a column the model needs.
    #[error("line 1: missing column {column:?} (the header must name {DESIGNATION:?}, {RESOURCE_ALLOCATION:?}, {MENTAL_FATIGUE:?}, {WFH:?} and {BURN_RATE:?})")]
    MissingColumn {
        /// The absent column.
        column: &'static str,
    },
    /// The CSV structure is broken (wrong field count, bad UTF-8, ...).
    #[error("line {line}: {message}")]
    Csv {
        /// 1-based line (0 when the parser could not tell).
        line: u64,
        /// The parser's description.
        message: String,
    },
    /// A field holds a value outside its column's domain.
    #[error("line {line}: column {column:?} has {value:?}, {expected}")]
    Value {
        /// 1-based line.
        line: u64,
        /// The column.
        column: &'static str,
        /// The text found.
        value: String,
        /// What the column accepts.
        expected: &'static str,
    },
}

/// Reads and parses a CSV file in the dataset's format.
pub fn load(path: &Path) -> Result<Dataset, DataError> {
    let bytes = std::fs::read(path).map_err(|source| DataError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse(&bytes)
}

/// Parses CSV bytes in the dataset's format. Empty fields are missing values.
pub fn parse(bytes: &[u8]) -> Result<Dataset, DataError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader.headers().map_err(csv_error)?.clone();
    let column = |name: &'static str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .ok_or(DataError::MissingColumn { column: name })
    };
    let columns = Columns {
        designation: column(DESIGNATION)?,
        resource_allocation: column(RESOURCE_ALLOCATION)?,
        mental_fatigue: column(MENTAL_FATIGUE)?,
        wfh: column(WFH)?,
        burn_rate: column(BURN_RATE)?,
    };

    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.map_err(csv_error)?;
        let line = row.position().map_or(0, |p| p.line());
        records.push(columns.record(&row, line)?);
    }
    Ok(Dataset {
        records,
        sha256: Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    })
}

struct Columns {
    designation: usize,
    resource_allocation: usize,
    mental_fatigue: usize,
    wfh: usize,
    burn_rate: usize,
}

impl Columns {
    fn record(&self, row: &csv::StringRecord, line: u64) -> Result<Record, DataError> {
        let field = |index: usize| row.get(index).unwrap_or("");
        let mut features = [None; 4];
        features[Feature::Designation.index()] = number(
            field(self.designation),
            line,
            DESIGNATION,
            0.0,
            5.0,
            "expected a number from 0 to 5 or nothing",
        )?;
        features[Feature::ResourceAllocation.index()] = number(
            field(self.resource_allocation),
            line,
            RESOURCE_ALLOCATION,
            1.0,
            10.0,
            "expected a number from 1 to 10 or nothing",
        )?;
        features[Feature::MentalFatigue.index()] = number(
            field(self.mental_fatigue),
            line,
            MENTAL_FATIGUE,
            0.0,
            10.0,
            "expected a number from 0 to 10 or nothing",
        )?;
        features[Feature::RemoteWork.index()] = match field(self.wfh) {
            "" => None,
            "Yes" => Some(1.0),
            "No" => Some(0.0),
            other => {
                return Err(DataError::Value {
                    line,
                    column: WFH,
                    value: other.to_owned(),
                    expected: "expected Yes, No or nothing",
                })
            }
        };
        let burn_rate = number(
            field(self.burn_rate),
            line,
            BURN_RATE,
            0.0,
            1.0,
            "expected a number from 0 to 1 or nothing",
        )?;
        Ok(Record {
            line,
            features,
            burn_rate,
        })
    }
}

/// Parses an optional finite number within `[min, max]`.
fn number(
    text: &str,
    line: u64,
    column: &'static str,
    min: f64,
    max: f64,
    expected: &'static str,
) -> Result<Option<f64>, DataError> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        // `parse` accepts "NaN" and "inf"; the range check rejects them.
        Ok(value) if (min..=max).contains(&value) => Ok(Some(value)),
        _ => Err(DataError::Value {
            line,
            column,
            value: text.to_owned(),
            expected,
        }),
    }
}

fn csv_error(error: csv::Error) -> DataError {
    let line = error.position().map_or(0, |p| p.line());
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("has {len} fields, but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_owned(),
        _ => error.to_string(),
    };
    DataError::Csv { line, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Employee ID,Date of Joining,Gender,Company Type,WFH Setup Available,Designation,Resource Allocation,Mental Fatigue Score,Burn Rate\n";

    fn parse_str(body: &str) -> Result<Dataset, DataError> {
        parse(format!("{HEADER}{body}").as_bytes())
    }

    #[test]
    fn rows_parse_with_missing_values() {
        let data = parse_str(
            "a,9/30/2008,Female,Service,No,2,3,3.8,0.16\nb,1/1/2008,Male,Product,Yes,1,,,\n",
        )
        .unwrap();
        assert_eq!(data.records.len(), 2);
        assert_eq!(
            data.records[0].features,
            [Some(2.0), Some(3.0), Some(3.8), Some(0.0)]
        );
        assert_eq!(data.records[0].burn_rate, Some(0.16));
        assert_eq!(data.records[1].line, 3);
        assert_eq!(data.records[1].features, [Some(1.0), None, None, Some(1.0)]);
        let (labeled, skipped) = data.labeled();
        assert_eq!((labeled.len(), skipped), (1, 1));
        assert_eq!(data.sha256.len(), 64);
    }

    #[test]
    fn bad_values_name_line_and_column() {
        let err = parse_str("a,d,F,S,No,2,3,3.8,0.16\nb,d,F,S,No,2,3,tired,0.2\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3: column \"Mental Fatigue Score\" has \"tired\", expected a number from 0 to 10 or nothing"
        );
        for (row, column) in [
            ("a,d,F,S,Maybe,2,3,3,0.2", WFH),
            ("a,d,F,S,No,6,3,3,0.2", DESIGNATION),
            ("a,d,F,S,No,2,0,3,0.2", RESOURCE_ALLOCATION),
            ("a,d,F,S,No,2,3,NaN,0.2", MENTAL_FATIGUE),
            ("a,d,F,S,No,2,3,3,1.5", BURN_RATE),
        ] {
            match parse_str(row) {
                Err(DataError::Value {
                    line: 2, column: c, ..
                }) => assert_eq!(c, column),
                other => panic!("{row}: {other:?}"),
            }
        }
    }

    #[test]
    fn broken_structure_is_reported_with_its_line() {
        let err = parse_str("a,d,F,S,No,2,3,3,0.2\nb,d,F\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3: has 3 fields, but the header has 9"
        );
        let err = parse(b"Designation,Burn Rate\n1,0.2\n").unwrap_err();
        assert!(matches!(
            err,
            DataError::MissingColumn {
                column: RESOURCE_ALLOCATION
            }
        ));
        assert!(matches!(
            parse(b"").unwrap_err(),
            DataError::MissingColumn { .. }
        ));
        let mut bad_utf8 = format!("{HEADER}a,d,F,S,No,2,3,3,0.2\n").into_bytes();
        bad_utf8.extend_from_slice(b"\xff,d,F,S,No,2,3,3,0.2\n");
        assert!(matches!(
            parse(&bad_utf8).unwrap_err(),
            DataError::Csv { line: 3, .. }
        ));
    }
}
