//! Trains the burnout-risk model and writes its artifact.
//!
//! `cargo run --release -p qamqor-risk-train --bin risk-train` trains on the default data and
//! writes `core/risk-model/model/burnout-<version>.json`; `--compare` prints the model-family
//! comparison and the hyperparameter grid instead.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use qamqor_risk_train::data;
use qamqor_risk_train::gbt::GbtConfig;
use qamqor_risk_train::metrics::summary_line;
use qamqor_risk_train::pipeline::{self, Comparison, Family, TrainOptions, DEFAULT_GBT, FOLDS};

#[derive(Parser)]
#[command(about = "Train the burnout-risk model and write its versioned artifact")]
struct Args {
    /// Training CSV (default: ../shared/data/burnout/train.csv from the repository root).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Directory to write the artifact (burnout-VERSION.json) into (default: core/risk-model/model).
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Model version to record, MAJOR.MINOR.PATCH.
    #[arg(long, default_value = qamqor_risk_model::BUILTIN_MODEL_VERSION)]
    model_version: String,
    /// Seed of the held-out split.
    #[arg(long, default_value_t = pipeline::DEFAULT_SEED)]
    seed: u64,
    /// Share of rows held out for evaluation.
    #[arg(long, default_value_t = pipeline::DEFAULT_TEST_FRACTION)]
    test_fraction: f64,
    /// Compare model families and boosting settings instead of writing an artifact.
    #[arg(long)]
    compare: bool,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    if !(args.test_fraction > 0.0 && args.test_fraction < 1.0) {
        return Err(format!(
            "--test-fraction must be between 0 and 1, got {}",
            args.test_fraction
        ));
    }
    if qamqor_risk_model::artifact::parse_version(&args.model_version).is_none() {
        return Err(format!(
            "--model-version must be MAJOR.MINOR.PATCH, got {:?}",
            args.model_version
        ));
    }
    let path = args
        .data
        .unwrap_or_else(qamqor_risk_train::default_data_path);
    let dataset = data::load(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (labeled, skipped) = dataset.labeled();
    let complete = labeled
        .features
        .iter()
        .filter(|x| x.iter().all(Option::is_some))
        .count();
    println!(
        "data: {} ({} rows; {} with a Burn Rate, {} of them complete; {} skipped without Burn Rate)",
        path.display(),
        dataset.records.len(),
        labeled.len(),
        complete,
        skipped
    );
    let options = TrainOptions {
        seed: args.seed,
        test_fraction: args.test_fraction,
        gbt: DEFAULT_GBT,
        model_version: args.model_version,
    };
    if args.compare {
        return compare(&dataset, &options);
    }

    let trained = pipeline::train_artifact(&dataset, &options).map_err(|e| e.to_string())?;
    let split = &trained.artifact.training.split;
    println!(
        "split: seed {}, {} training rows, {} held out; {} trees per sub-model",
        split.seed, split.train_rows, split.test_rows, options.gbt.trees
    );
    for (pattern, metrics) in trained.by_pattern.iter().enumerate() {
        if let Some(metrics) = metrics {
            println!(
                "held-out known={}: {}",
                pipeline::pattern_name(pattern),
                summary_line(metrics)
            );
        }
    }
    let holdout = &trained.artifact.training.holdout;
    println!(
        "held-out complete rows: {}",
        summary_line(&holdout.complete_rows)
    );
    println!("held-out all rows: {}", summary_line(&holdout.all_rows));

    let dir = args
        .out_dir
        .unwrap_or_else(qamqor_risk_train::default_model_dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let out = dir.join(trained.artifact.file_name());
    std::fs::write(&out, &trained.bytes)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!(
        "wrote {} ({} bytes, {})",
        out.display(),
        trained.bytes.len(),
        trained.artifact.checksum
    );
    Ok(())
}

fn compare(dataset: &data::Dataset, options: &TrainOptions) -> Result<(), String> {
    let families = [
        Family::Linear,
        Family::Gam,
        Family::NativeMissingTrees(DEFAULT_GBT),
        Family::PerPatternTrees(GbtConfig {
            monotone: false,
            ..DEFAULT_GBT
        }),
        Family::PerPatternTrees(DEFAULT_GBT),
    ];
    println!("\nmodel families (held-out split; {FOLDS}-fold CV inside the training part):");
    print_table(&pipeline::compare(dataset, options, &families).map_err(|e| e.to_string())?);

    let mut grid = Vec::new();
    for max_depth in [4, 5, 6] {
        for (trees, learning_rate) in [(50, 0.2), (100, 0.1)] {
            for min_samples_leaf in [20, 50] {
                grid.push(Family::PerPatternTrees(GbtConfig {
                    trees,
                    learning_rate,
                    max_depth,
                    min_samples_leaf,
                    ..DEFAULT_GBT
                }));
            }
        }
    }
    println!("\nboosting settings (chosen on CV R², never on the held-out part):");
    print_table(&pipeline::compare(dataset, options, &grid).map_err(|e| e.to_string())?);
    Ok(())
}

/// Prints the comparison as a Markdown table (the form `docs/RISK_MODEL.md` quotes).
fn print_table(rows: &[Comparison]) {
    let width = rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(5);
    println!(
        "| {:<width$} | CV R² all ± sd  | CV R² complete | R² all | R² complete | RMSE   | accuracy | macro-F1 |",
        "model"
    );
    println!(
        "|{}|-----------------|----------------|--------|-------------|--------|----------|----------|",
        "-".repeat(width + 2)
    );
    for row in rows {
        println!(
            "| {:<width$} | {:.4} ± {:.4} | {:<14.4} | {:.4} | {:<11.4} | {:.4} | {:<8.4} | {:<8.4} |",
            row.label,
            row.cv_r2.0,
            row.cv_r2.1,
            row.cv_complete_r2,
            row.holdout.all_rows.r2,
            row.holdout.complete_rows.r2,
            row.holdout.all_rows.rmse,
            row.holdout.all_rows.accuracy,
            row.holdout.all_rows.macro_f1
        );
    }
}
