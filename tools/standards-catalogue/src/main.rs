//! Generates the shipped catalogue of IT professional standards from the seed text.
//!
//! `cargo run -p qamqor-standards-catalogue` reads `../shared/seeds/004_9032630b3ee35f5f.txt`,
//! writes `core/competencies/data/it-standards.json`, prints a summary and every problem,
//! and exits with 1 if the catalogue is incomplete (a problem of severity `error`).
//! `--check` compares instead of writing, for CI.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use qamqor_competencies::{parse, ParseOutcome, Severity, CATALOGUE_PATH, SEED_PATH};

#[derive(Parser)]
#[command(about = "Generate the IT professional-standards catalogue from the seed text")]
struct Args {
    /// Seed text (default: ../shared/seeds/004_9032630b3ee35f5f.txt from the repository root).
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Where to write the catalogue JSON (default: core/competencies/data/it-standards.json).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write the problems as JSON to this file.
    #[arg(long)]
    problems: Option<PathBuf>,
    /// Do not write; fail if the catalogue file differs from what the parser produces.
    #[arg(long)]
    check: bool,
    /// Print only the summary and the warnings and errors, not the notices.
    #[arg(long)]
    quiet: bool,
}

fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("standards-catalogue: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> Result<ExitCode, String> {
    let seed = args.seed.unwrap_or_else(|| repo_root().join(SEED_PATH));
    let out = args
        .out
        .unwrap_or_else(|| repo_root().join("core/competencies").join(CATALOGUE_PATH));
    let text =
        fs::read_to_string(&seed).map_err(|e| format!("cannot read {}: {e}", seed.display()))?;
    let outcome = parse(&text);
    let json = outcome
        .catalogue
        .to_json_pretty()
        .map_err(|e| format!("cannot serialise the catalogue: {e}"))?;

    print_summary(&outcome, args.quiet);

    if let Some(path) = &args.problems {
        let problems = serde_json::to_string_pretty(&outcome.problems)
            .map_err(|e| format!("cannot serialise problems: {e}"))?;
        fs::write(path, problems + "\n")
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    if args.check {
        let committed =
            fs::read_to_string(&out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
        if committed != json {
            eprintln!(
                "{} is out of date; run `cargo run -p qamqor-standards-catalogue` to regenerate it",
                out.display()
            );
            return Ok(ExitCode::FAILURE);
        }
        println!("{} is up to date", out.display());
    } else {
        fs::write(&out, &json).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        println!("wrote {}", out.display());
    }
    Ok(if outcome.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(outcome: &ParseOutcome, quiet: bool) {
    let catalogue = &outcome.catalogue;
    let cards = catalogue.cards().count();
    let functions: usize = catalogue
        .cards()
        .map(|c| c.labour_functions().count())
        .sum();
    let skills: usize = catalogue.cards().map(|c| c.skills().count()).sum();
    println!(
        "{} standards, {cards} profession cards, {functions} labour functions, {skills} skills",
        catalogue.standards.len()
    );
    for standard in &catalogue.standards {
        println!(
            "  {:>2}. {:<10} {:>2} cards  {}",
            standard.ordinal,
            standard.id,
            standard.cards.len(),
            standard.title
        );
    }
    let mut counts: BTreeMap<(Severity, String, String), usize> = BTreeMap::new();
    for problem in &outcome.problems {
        let kind = serde_json::to_value(problem.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        *counts
            .entry((problem.severity, kind, problem.field.clone()))
            .or_default() += 1;
    }
    println!("{} problems:", outcome.problems.len());
    for ((severity, kind, field), count) in counts.iter().rev() {
        println!("  {count:>4}  {severity:?} {kind} {field}");
    }
    for problem in &outcome.problems {
        if !(quiet && problem.severity == Severity::Notice) {
            println!("{problem}");
        }
    }
}
