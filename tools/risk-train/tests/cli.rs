//! Runs the `risk-eval` and `risk-train` binaries as a person would, on files made here and
//! on the real training data beside the repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const HEADER: &str = "Employee ID,Date of Joining,Gender,Company Type,WFH Setup Available,Designation,Resource Allocation,Mental Fatigue Score,Burn Rate\n";

fn run(binary: &str, args: &[&str]) -> Output {
    Command::new(binary)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn eval(args: &[&str]) -> Output {
    run(env!("CARGO_BIN_EXE_risk-eval"), args)
}

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
}

/// Parses `rows=N r2=X rmse=X accuracy=X macro_f1=X`, insisting on four decimals.
fn summary(line: &str) -> (u64, [f64; 4]) {
    let fields: Vec<&str> = line.split(' ').collect();
    assert_eq!(fields.len(), 5, "{line:?}");
    let rows = fields[0]
        .strip_prefix("rows=")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{line:?}"));
    let mut values = [0.0; 4];
    for (i, key) in ["r2", "rmse", "accuracy", "macro_f1"].iter().enumerate() {
        let value = fields[i + 1]
            .strip_prefix(&format!("{key}=")[..])
            .unwrap_or_else(|| panic!("{line:?}"));
        let decimals = value
            .split_once('.')
            .map(|(_, d)| d)
            .unwrap_or_else(|| panic!("{line:?}"));
        assert!(
            decimals.len() == 4 && decimals.bytes().all(|b| b.is_ascii_digit()),
            "{line:?}"
        );
        values[i] = value.parse().unwrap();
    }
    (rows, values)
}

fn last_line(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned()
}

fn synthetic_csv(rows: usize) -> String {
    let mut csv = String::from(HEADER);
    for i in 0..rows {
        let designation = i % 6;
        let allocation = (designation * 3 / 2 + 1 + i % 3).min(10);
        let fatigue = ((allocation as f64 * 0.6 + (i * 7 % 40) as f64 / 10.0).min(10.0) * 10.0)
            .round()
            / 10.0;
        let wfh = if i % 2 == 0 { "Yes" } else { "No" };
        let burn = (0.07 * fatigue + 0.02 * allocation as f64 + 0.01 * designation as f64
            - if i % 2 == 0 { 0.03 } else { 0.0 })
        .clamp(0.0, 1.0);
        let allocation = if i % 17 == 0 {
            String::new()
        } else {
            allocation.to_string()
        };
        let fatigue = if i % 11 == 0 {
            String::new()
        } else {
            fatigue.to_string()
        };
        let burn = if i % 19 == 0 {
            String::new()
        } else {
            format!("{:.2}", burn)
        };
        csv.push_str(&format!(
            "id{i},1/1/2008,Male,Service,{wfh},{designation},{allocation},{fatigue},{burn}\n"
        ));
    }
    csv
}

#[test]
fn eval_scores_a_file_and_ends_with_the_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "small.csv",
        &format!(
            "{HEADER}a,9/30/2008,Female,Service,No,2,3,3.8,0.16\n\
             b,11/30/2008,Male,Service,Yes,1,2,5,0.36\n\
             c,7/24/2008,Female,Service,No,3,7,6.9,0.52\n\
             d,1/1/2008,Male,Product,Yes,4,,8.5,0.71\n\
             e,1/1/2008,Male,Product,No,3,6,,0.55\n\
             f,1/1/2008,Female,Product,No,2,,,0.41\n\
             g,1/1/2008,Female,Product,No,5,9,9.1,\n"
        ),
    );
    let output = eval(&[file.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("1 skipped without Burn Rate"), "{stdout}");
    assert!(stdout.contains("complete_rows=3 complete_r2="), "{stdout}");
    let (rows, [r2, rmse, accuracy, macro_f1]) = summary(&last_line(&output));
    assert_eq!(rows, 6);
    assert!(r2 > 0.5 && rmse < 0.15, "{stdout}");
    assert!((0.0..=1.0).contains(&accuracy) && (0.0..=1.0).contains(&macro_f1));
}

#[test]
fn eval_rejects_bad_input_with_a_line_number_and_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "word.csv",
            format!("{HEADER}a,d,F,S,No,2,3,3.8,0.16\nb,d,F,S,No,2,3,very,0.2\n"),
            "line 3",
        ),
        (
            "range.csv",
            format!("{HEADER}a,d,F,S,No,2,3,3.8,1.6\n"),
            "line 2",
        ),
        (
            "short.csv",
            format!("{HEADER}a,d,F,S,No,2,3,3.8,0.16\nb,d,F\n"),
            "line 3",
        ),
        (
            "wfh.csv",
            format!("{HEADER}a,d,F,S,Sometimes,2,3,3.8,0.16\n"),
            "WFH Setup Available",
        ),
        (
            "columns.csv",
            "Designation,Burn Rate\n1,0.5\n".to_owned(),
            "missing column",
        ),
        ("empty.csv", String::new(), "missing column"),
        (
            "untargeted.csv",
            format!("{HEADER}a,d,F,S,No,2,3,3.8,\n"),
            "no row with a Burn Rate",
        ),
    ];
    for (name, body, expected) in cases {
        let file = write(dir.path(), name, &body);
        let output = eval(&[file.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && !stderr.contains("panicked"),
            "{name}: {stderr}"
        );
    }
    let missing = dir.path().join("absent.csv");
    let output = eval(&[missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
}

/// The `rows=...` part of the trainer's "held-out all rows:" line.
fn trainer_summary(output: &Output) -> (u64, [f64; 4]) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("held-out all rows: "))
        .unwrap_or_else(|| panic!("no held-out line in {stdout}"));
    summary(line)
}

#[test]
fn training_twice_writes_identical_artifacts() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "synthetic.csv", &synthetic_csv(3_000));
    let mut artifacts = Vec::new();
    for run_dir in ["one", "two"] {
        let out = dir.path().join(run_dir);
        let output = run(
            env!("CARGO_BIN_EXE_risk-train"),
            &[
                "--data",
                data.to_str().unwrap(),
                "--out-dir",
                out.to_str().unwrap(),
                "--model-version",
                "0.0.1",
            ],
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let (rows, [r2, ..]) = trainer_summary(&output);
        assert_eq!(rows, 568, "20% of the 2,842 rows with a Burn Rate");
        assert!(r2 > 0.8);
        artifacts.push(std::fs::read(out.join("burnout-0.0.1.json")).unwrap());
    }
    assert_eq!(artifacts[0], artifacts[1]);
    let model = qamqor_risk_model::Model::from_artifact(&artifacts[0]).unwrap();
    assert_eq!(model.version(), "0.0.1");
}

#[test]
fn trainer_rejects_bad_arguments_and_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "bad.csv",
        &format!("{HEADER}a,d,F,S,No,2,3,3.8,0.16\nb,d,F,S,No,9,3,3.8,0.16\n"),
    );
    let trainer = env!("CARGO_BIN_EXE_risk-train");
    let output = run(
        trainer,
        &[
            "--data",
            data.to_str().unwrap(),
            "--out-dir",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 3: column \"Designation\""));
    let output = run(trainer, &["--model-version", "latest"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("MAJOR.MINOR.PATCH"));
}

/// The real training file beside the repository (never copied into it).
fn real_data() -> PathBuf {
    let path = qamqor_risk_train::default_data_path();
    assert!(
        path.is_file(),
        "the training data must be at {} (see shared/data/README.md)",
        path.display()
    );
    path
}

#[test]
fn shipped_model_meets_the_targets_on_its_held_out_split() {
    let output = eval(&["--holdout", real_data().to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("warning"), "{stdout}");
    let (rows, [r2, rmse, accuracy, macro_f1]) = summary(&last_line(&output));
    let complete_r2: f64 = stdout
        .lines()
        .find_map(|l| {
            l.split_once(" complete_r2=")
                .map(|(_, v)| v.parse().unwrap())
        })
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        r2 >= 0.90 && complete_r2 >= 0.92 && macro_f1 >= 0.79,
        "{stdout}"
    );

    // The numbers recorded in the artifact are the ones a person reproduces.
    let model = qamqor_risk_model::Model::builtin().unwrap();
    let recorded = &model.training().holdout;
    assert_eq!(rows, recorded.all_rows.rows);
    for (shown, stored) in [
        (r2, recorded.all_rows.r2),
        (rmse, recorded.all_rows.rmse),
        (accuracy, recorded.all_rows.accuracy),
        (macro_f1, recorded.all_rows.macro_f1),
        (complete_r2, recorded.complete_rows.r2),
    ] {
        assert!(
            (shown - stored).abs() <= 0.00005 + 1e-12,
            "{shown} vs {stored}"
        );
    }
}

#[test]
fn retraining_on_the_real_data_reproduces_the_shipped_artifact() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        env!("CARGO_BIN_EXE_risk-train"),
        &[
            "--data",
            real_data().to_str().unwrap(),
            "--out-dir",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let name = format!("burnout-{}.json", qamqor_risk_model::BUILTIN_MODEL_VERSION);
    let retrained = std::fs::read(dir.path().join(&name)).unwrap();
    let shipped = std::fs::read(qamqor_risk_train::default_model_dir().join(&name)).unwrap();
    assert!(
        retrained == shipped,
        "retraining changed {name}: run risk-train and commit the artifact"
    );
    assert_eq!(shipped, qamqor_risk_model::BUILTIN_ARTIFACT.as_bytes());
}
