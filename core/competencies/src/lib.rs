//! Kazakhstan's professional standards for IT (order No. 569/НҚ of 2025, amended 2026) as a
//! catalogue: standards, profession cards, labour functions and skills.
//!
//! [`parse`] reads the order's text (`../shared/seeds/004_9032630b3ee35f5f.txt`) into a
//! [`Catalogue`] and a list of [`Problem`]s; the `standards-catalogue` tool writes the result
//! to [`CATALOGUE_PATH`], which the project ships. `docs/COMPETENCIES.md` describes the
//! document, the schema and the reconciliation of card levels with the passports.

mod card;
mod model;
mod parser;
mod problem;
mod text;

pub use model::{
    Catalogue, EducationRequirement, FunctionKind, LabourFunction, PassportEntry, ProfessionCard,
    Skill, SkillInFunction, SourceDocument, Standard, ValueSource, SCHEMA_VERSION,
};
pub use parser::{parse, ParseOutcome};
pub use problem::{CardRef, Problem, ProblemKind, Severity};

/// Where the generated catalogue lives, relative to this crate's directory.
pub const CATALOGUE_PATH: &str = "data/it-standards.json";

/// The shipped catalogue, parsed once per process (generated from the act and checked by this
/// crate's tests; an error here means a damaged build).
pub fn builtin() -> Result<&'static Catalogue, String> {
    static BUILTIN: std::sync::OnceLock<Result<Catalogue, String>> = std::sync::OnceLock::new();
    BUILTIN
        .get_or_init(|| Catalogue::from_json(include_str!("../data/it-standards.json")).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| format!("the shipped professional standards catalogue does not read: {e}"))
}

/// Where the source text lives, relative to the repository root.
pub const SEED_PATH: &str = "../shared/seeds/004_9032630b3ee35f5f.txt";
