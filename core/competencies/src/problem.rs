//! What the parser could not read cleanly, as data: which card, which field, what was wrong.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How much a problem matters for the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Recorded for the reader; the value is complete (e.g. taken from the passport).
    Notice,
    /// A value is missing or malformed in the document and stays missing in the catalogue.
    Warning,
    /// A part the catalogue needs could not be read (no standards, a card without labour
    /// functions, a function without skills, a card without a level): the catalogue is incomplete.
    Error,
}

/// What kind of thing went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The field or part is absent or empty.
    Missing,
    /// The value is there but not in the expected shape.
    Malformed,
    /// The card left the value empty; it was taken from the standard's passport.
    FilledFromPassport,
    /// Two places of the document say different things (passport vs card, list vs section).
    Mismatch,
    /// Text where the parser expected something else; it was ignored.
    Unexpected,
}

/// The card a problem is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRef {
    /// The card's stable id.
    pub id: String,
    /// The card's item number as printed.
    pub number: u32,
    /// The card's heading name.
    pub name: String,
}

/// One problem found while parsing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// How much it matters.
    pub severity: Severity,
    /// What went wrong.
    pub kind: ProblemKind,
    /// Id of the standard concerned, if any.
    pub standard: Option<String>,
    /// The card concerned, if any.
    pub card: Option<CardRef>,
    /// The field concerned, e.g. `level`, `occupation_code`, `labour_function.skills`.
    pub field: String,
    /// Id of the labour function or skill concerned, if any.
    pub item: Option<String>,
    /// 1-based line in the source text.
    pub line: usize,
    /// What was wrong, in English, quoting the document where useful.
    pub detail: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {:?}/{:?}", self.line, self.severity, self.kind)?;
        if let Some(standard) = &self.standard {
            write!(f, " [{standard}]")?;
        }
        if let Some(card) = &self.card {
            write!(f, " card {} no. {} \"{}\"", card.id, card.number, card.name)?;
        }
        write!(f, " {}", self.field)?;
        if let Some(item) = &self.item {
            write!(f, " ({item})")?;
        }
        write!(f, ": {}", self.detail)
    }
}
