//! The tool as CI runs it: `--check` against the committed catalogue, and a bad seed.

use std::process::Command;

fn tool() -> Command {
    Command::new(env!("CARGO_BIN_EXE_standards-catalogue"))
}

#[test]
fn check_passes_on_the_committed_catalogue() {
    let output = tool()
        .args(["--check", "--quiet"])
        .output()
        .expect("the tool runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.starts_with("22 standards, 118 profession cards"),
        "{stdout}"
    );
    assert!(stdout.contains("is up to date"), "{stdout}");
}

#[test]
fn a_seed_without_standards_is_a_structural_failure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = dir.path().join("seed.txt");
    let out = dir.path().join("catalogue.json");
    std::fs::write(&seed, "Бұл кәсіптік стандарт емес.\n").expect("write seed");
    let status = tool()
        .arg("--seed")
        .arg(&seed)
        .arg("--out")
        .arg(&out)
        .status()
        .expect("the tool runs");
    assert_eq!(status.code(), Some(1));
    let written = std::fs::read_to_string(&out).expect("the catalogue is still written");
    assert!(written.contains("\"standards\": []"), "{written}");
}

#[test]
fn a_missing_seed_is_reported() {
    let status = tool()
        .args(["--seed", "/nonexistent/seed.txt", "--check"])
        .status()
        .expect("the tool runs");
    assert_eq!(status.code(), Some(2));
}
