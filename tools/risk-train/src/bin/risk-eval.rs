//! Evaluates the shipped burnout-risk model (the artifact built into `qamqor-risk-model`) on
//! a CSV file in the training data's format.
//!
//! `cargo run --release -p qamqor-risk-train --bin risk-eval -- FILE.csv [--holdout]`
//!
//! Rows without a Burn Rate are skipped and counted; rows with missing features are scored.
//! The last line is always `rows=N r2=X rmse=X accuracy=X macro_f1=X`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use qamqor_risk_model::artifact::sub_model_pattern;
use qamqor_risk_model::Model;
use qamqor_risk_train::data::{self, Labeled};
use qamqor_risk_train::metrics::{evaluate, summary_line};
use qamqor_risk_train::pipeline::{pattern_name, to_input};
use qamqor_risk_train::split::holdout_split;

#[derive(Parser)]
#[command(about = "Evaluate the shipped burnout-risk model on a CSV file")]
struct Args {
    /// CSV file with the dataset's columns.
    file: PathBuf,
    /// Score only the held-out rows of the split the shipped model was trained with (the
    /// file must be the training file).
    #[arg(long)]
    holdout: bool,
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
    let model = Model::builtin().map_err(|e| format!("the built-in model does not load: {e}"))?;
    println!("model: {} ({})", model.version(), model.checksum());
    let dataset = data::load(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let (labeled, skipped) = dataset.labeled();
    println!(
        "file: {} ({} rows, {} skipped without Burn Rate)",
        args.file.display(),
        dataset.records.len(),
        skipped
    );

    let rows = if args.holdout {
        let training = model.training();
        if dataset.sha256 != training.dataset_sha256 {
            println!("warning: this file is not the one the model was trained on; the held-out rows are not meaningful");
        }
        let split = holdout_split(
            labeled.len(),
            training.split.seed,
            training.split.test_fraction,
        );
        println!(
            "holdout: seed {}, {} of {} rows with a Burn Rate",
            training.split.seed,
            split.test.len(),
            labeled.len()
        );
        labeled.subset(&split.test)
    } else {
        labeled
    };

    let predictions: Vec<f64> = rows
        .features
        .iter()
        .map(|x| model.burn_rate(&to_input(x)))
        .collect();
    for pattern in (0..4).rev() {
        let (p, t) = select(&rows, &predictions, |x| sub_model_pattern(x) == pattern);
        if let Some(metrics) = evaluate(&p, &t) {
            println!(
                "known={}: {}",
                pattern_name(pattern),
                summary_line(&metrics)
            );
        }
    }
    let (p, t) = select(&rows, &predictions, |x| x.iter().all(Option::is_some));
    match evaluate(&p, &t) {
        Some(metrics) => println!(
            "complete_rows={} complete_r2={:.4}",
            metrics.rows, metrics.r2
        ),
        None => println!("complete_rows=0 complete_r2=n/a"),
    }
    let metrics = evaluate(&predictions, &rows.targets).ok_or_else(|| {
        format!(
            "{}: no row with a Burn Rate to evaluate",
            args.file.display()
        )
    })?;
    println!("{}", summary_line(&metrics));
    Ok(())
}

/// Predictions and targets of the rows whose features satisfy `keep`.
fn select(
    rows: &Labeled,
    predictions: &[f64],
    keep: impl Fn(&[Option<f64>; 4]) -> bool,
) -> (Vec<f64>, Vec<f64>) {
    (0..rows.len())
        .filter(|&i| keep(&rows.features[i]))
        .map(|i| (predictions[i], rows.targets[i]))
        .unzip()
}
