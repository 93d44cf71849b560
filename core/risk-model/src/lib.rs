//! The trained part of Qamqor's burnout risk: a versioned, validated model artifact and pure,
//! allocation-light inference with an explanation of every score.
//!
//! The model predicts the HackerEarth dataset's Burn Rate (0-1) from the four features the
//! app can observe ([`ModelInput`]). It is a gradient-boosted tree ensemble with one
//! sub-model per pattern of missing data (resource allocation and/or fatigue unknown), whose
//! trees are built so that the score never decreases when fatigue or working hours go up.
//! `docs/RISK_MODEL.md` explains the data, the model choice and the metrics.
//!
//! ```
//! use qamqor_risk_model::{Model, ModelInput};
//!
//! let model = Model::builtin()?;
//! let prediction = model.predict(&ModelInput {
//!     designation: Some(2.0),
//!     resource_allocation: Some(5.0),
//!     mental_fatigue: None, // skipped today's check-in
//!     remote_work: Some(true),
//! });
//! assert!((0.0..=1.0).contains(&prediction.burn_rate));
//! # Ok::<(), qamqor_risk_model::ArtifactError>(())
//! ```

pub mod artifact;
mod ensemble;
pub mod input;

pub use artifact::{ArtifactError, TrainingInfo, TreeProblem};
pub use input::{
    designation_from_qualification_level, mental_fatigue_from_check_in, remote_work_from_profile,
    resource_allocation_from_daily_hours, Feature, InputError, ModelInput,
};

use artifact::{parse_version, Artifact};
use ensemble::Ensemble;

/// Version of the artifact compiled into this build.
pub const BUILTIN_MODEL_VERSION: &str = "1.0.0";

/// The artifact compiled into this build (`core/risk-model/model/burnout-1.0.0.json`).
pub const BUILTIN_ARTIFACT: &str = include_str!("../model/burnout-1.0.0.json");

/// A validated burnout-risk model, ready to score.
#[derive(Clone)]
pub struct Model {
    version: String,
    checksum: String,
    training: TrainingInfo,
    ensemble: Ensemble,
}

// Thousands of tree nodes say nothing useful in a log line; the version and checksum do.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("version", &self.version)
            .field("checksum", &self.checksum)
            .finish_non_exhaustive()
    }
}

/// A burn-rate prediction with the factors behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Predicted Burn Rate, clamped to [0, 1].
    pub burn_rate: f64,
    /// What the model predicts when none of this person's values is used: its average over
    /// the training population (for the sub-model serving this input).
    pub baseline: f64,
    /// One entry per feature, largest absolute contribution first. `baseline` plus the sum
    /// of the contributions is the unclamped prediction.
    pub contributions: Vec<Contribution>,
}

/// How much one feature moved the prediction away from the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The feature.
    pub feature: Feature,
    /// Its value on the dataset's scale (remote work as 0 or 1), `None` if unknown.
    pub value: Option<f64>,
    /// Its exact Shapley value, in burn-rate units; 0 when the value is unknown.
    pub contribution: f64,
}

impl Model {
    /// The model compiled into this build. A unit test proves the shipped artifact validates,
    /// so this only fails if the build embeds a corrupted file.
    pub fn builtin() -> Result<Model, ArtifactError> {
        Model::from_artifact(BUILTIN_ARTIFACT.as_bytes())
    }

    /// Parses and fully validates an artifact: format, format version, checksum, model
    /// version, feature list, sub-model patterns, tree shapes, finite values and the
    /// monotonicity of every split on fatigue or resource allocation.
    pub fn from_artifact(bytes: &[u8]) -> Result<Model, ArtifactError> {
        let artifact = Artifact::parse(bytes)?;
        let ensemble = Ensemble::compile(&artifact.parameters)?;
        Ok(Model {
            version: artifact.model_version,
            checksum: artifact.checksum,
            training: artifact.training,
            ensemble,
        })
    }

    /// Replaces this model with the artifact's if, and only if, it validates and its version
    /// is newer. On any error `self` is left untouched, so a bad delivery never replaces a
    /// good model.
    pub fn try_replace(&mut self, bytes: &[u8]) -> Result<(), ArtifactError> {
        let candidate = Model::from_artifact(bytes)?;
        // Both versions were validated as MAJOR.MINOR.PATCH when their models were built.
        if parse_version(&candidate.version) <= parse_version(&self.version) {
            return Err(ArtifactError::NotNewer {
                current: self.version.clone(),
                offered: candidate.version,
            });
        }
        *self = candidate;
        Ok(())
    }

    /// The model version, `MAJOR.MINOR.PATCH`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The artifact's `sha256:` checksum, identifying the exact parameters.
    pub fn checksum(&self) -> &str {
        &self.checksum
    }

    /// How the model was trained and how it scored on held-out data.
    pub fn training(&self) -> &TrainingInfo {
        &self.training
    }

    /// The predicted burn rate in [0, 1], without the explanation (under a microsecond).
    pub fn burn_rate(&self, input: &ModelInput) -> f64 {
        self.ensemble.score(&input.values()).clamp(0.0, 1.0)
    }

    /// The predicted burn rate with its baseline and per-feature contributions.
    ///
    /// Contributions are exact Shapley values of the features this person has values for:
    /// each feature's average effect on the prediction over every order in which the known
    /// values could be revealed, starting from the baseline. A feature left out of an
    /// ordering is integrated out over the training population along each tree's branches
    /// (path-dependent TreeSHAP), the same way a missing value is. Unknown features
    /// contribute 0.
    pub fn predict(&self, input: &ModelInput) -> Prediction {
        let values = input.values();
        let explained = self.ensemble.explain(&values);
        let mut contributions: Vec<Contribution> = Feature::ALL
            .iter()
            .map(|&feature| Contribution {
                feature,
                value: values[feature.index()],
                contribution: explained.contributions[feature.index()],
            })
            .collect();
        // Stable sort: ties keep the feature order, so the output is deterministic.
        contributions.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
        Prediction {
            // The fast path's score, so both entry points agree to the last bit.
            burn_rate: self.ensemble.score(&values).clamp(0.0, 1.0),
            baseline: explained.baseline,
            contributions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Model {
        Model::builtin().expect("the shipped artifact must validate")
    }

    #[test]
    fn shipped_artifact_validates_and_is_the_builtin_version() {
        let model = builtin();
        assert_eq!(model.version(), BUILTIN_MODEL_VERSION);
        let artifact = Artifact::parse(BUILTIN_ARTIFACT.as_bytes()).unwrap();
        assert_eq!(
            artifact.file_name(),
            format!("burnout-{BUILTIN_MODEL_VERSION}.json")
        );
        assert_eq!(model.checksum(), artifact.checksum);
    }

    #[test]
    fn shipped_artifact_records_metrics_that_meet_the_targets() {
        let model = builtin();
        let holdout = &model.training().holdout;
        assert!(holdout.all_rows.r2 >= 0.90, "{holdout:?}");
        assert!(holdout.complete_rows.r2 >= 0.92, "{holdout:?}");
        assert!(holdout.all_rows.macro_f1 >= 0.79, "{holdout:?}");
    }

    #[test]
    fn contributions_add_up_to_the_unclamped_prediction() {
        let model = builtin();
        for mask in 0..16u8 {
            for fatigue in [0.0, 3.3, 6.1, 9.9] {
                let input = masked(mask, 3.0, 6.0, fatigue, false);
                let prediction = model.predict(&input);
                let raw = model.ensemble.score(&input.values());
                let total = prediction.baseline
                    + prediction
                        .contributions
                        .iter()
                        .map(|c| c.contribution)
                        .sum::<f64>();
                assert!((total - raw).abs() < 1e-9, "mask {mask}: {total} vs {raw}");
                assert_eq!(prediction.burn_rate, model.burn_rate(&input));
                assert_eq!(prediction.contributions.len(), 4);
                for c in &prediction.contributions {
                    if c.value.is_none() {
                        assert_eq!(c.contribution, 0.0);
                    }
                }
                let sizes: Vec<f64> = prediction
                    .contributions
                    .iter()
                    .map(|c| c.contribution.abs())
                    .collect();
                assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
            }
        }
    }

    #[test]
    fn fatigue_dominates_the_explanation_of_a_tired_person() {
        let prediction = builtin().predict(&masked(15, 2.0, 5.0, 9.5, true));
        assert!(prediction.burn_rate > 0.7, "{prediction:?}");
        assert_eq!(prediction.contributions[0].feature, Feature::MentalFatigue);
        assert!(prediction.contributions[0].contribution > 0.2);
        assert!(
            (prediction.baseline - 0.45).abs() < 0.03,
            "{}",
            prediction.baseline
        );
    }

    #[test]
    fn a_bad_artifact_never_replaces_the_current_model() {
        let mut model = builtin();
        let before = model.checksum().to_owned();
        let corrupted = BUILTIN_ARTIFACT.replacen("\"base_score\": 0.", "\"base_score\": 1.", 1);
        assert!(matches!(
            model.try_replace(corrupted.as_bytes()),
            Err(ArtifactError::ChecksumMismatch { .. })
        ));
        assert!(matches!(
            model.try_replace(b"not json"),
            Err(ArtifactError::Malformed { .. })
        ));
        assert!(matches!(
            model.try_replace(BUILTIN_ARTIFACT.as_bytes()),
            Err(ArtifactError::NotNewer { .. })
        ));
        assert_eq!(model.checksum(), before);
    }

    #[test]
    fn a_newer_valid_artifact_replaces_the_model() {
        let mut model = builtin();
        let mut artifact = Artifact::parse(BUILTIN_ARTIFACT.as_bytes()).unwrap();
        artifact.model_version = "1.0.1".into();
        artifact.checksum = artifact.computed_checksum();
        model.try_replace(&artifact.to_json()).unwrap();
        assert_eq!(model.version(), "1.0.1");
    }

    /// An input whose features are present where `mask` has their bit set.
    pub(crate) fn masked(
        mask: u8,
        designation: f64,
        allocation: f64,
        fatigue: f64,
        remote: bool,
    ) -> ModelInput {
        ModelInput {
            designation: (mask & 1 != 0).then_some(designation),
            resource_allocation: (mask & 2 != 0).then_some(allocation),
            mental_fatigue: (mask & 4 != 0).then_some(fatigue),
            remote_work: (mask & 8 != 0).then_some(remote),
        }
    }
}
