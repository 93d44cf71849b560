//! Offline training and evaluation of Qamqor's burnout-risk model on the public HackerEarth
//! dataset. The binaries are `risk-train` (writes the artifact) and `risk-eval` (scores the
//! shipped artifact on a CSV file); `docs/RISK_MODEL.md` describes the method.

pub mod additive;
pub mod data;
pub mod gbt;
pub mod metrics;
pub mod pipeline;
pub mod split;

use std::path::{Path, PathBuf};

/// The repository root, from where this crate sits in it.
pub fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::canonicalize(&root).unwrap_or(root)
}

/// The training data: `../shared/data/burnout/train.csv` relative to the repository root.
/// It is read in place and never copied into the repository (no licence to redistribute).
pub fn default_data_path() -> PathBuf {
    let path = repo_root().join("../shared/data/burnout/train.csv");
    std::fs::canonicalize(&path).unwrap_or(path)
}

/// Where artifacts are written: `core/risk-model/model/`.
pub fn default_model_dir() -> PathBuf {
    repo_root().join("core/risk-model/model")
}
