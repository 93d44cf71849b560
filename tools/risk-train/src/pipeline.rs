//! Training the shipped artifact and comparing model families on the same split.

use qamqor_risk_model::artifact::{
    sub_model_pattern, Artifact, HoldoutMetrics, Hyperparameters, Parameters, SplitInfo, SubModel,
    TrainingInfo, SUB_MODEL_PATTERNS,
};
use qamqor_risk_model::{ArtifactError, Feature, Model, ModelInput};

use crate::additive::{AdditiveKind, AdditiveModel};
use crate::data::{Dataset, Labeled};
use crate::gbt::{self, GbtConfig, TrainedEnsemble};
use crate::metrics::{evaluate, Metrics};
use crate::split::{fold_assignment, holdout_split};

/// Citation recorded in every artifact.
pub const DATASET_CITATION: &str = "HackerEarth \"Are Your Employees Burning Out?\" \
    (Kaggle, DOI 10.34740/KAGGLE/DS/949779), train.csv";

/// Seed of the held-out split.
pub const DEFAULT_SEED: u64 = 2026;
/// Share of rows held out.
pub const DEFAULT_TEST_FRACTION: f64 = 0.2;

/// The shipped boosting settings, chosen by 5-fold cross-validation on the training part
/// (`risk-train --compare` prints the grid): within noise of the best CV R² with the fewest
/// nodes, which keeps the artifact small and the explanation fast.
pub const DEFAULT_GBT: GbtConfig = GbtConfig {
    trees: 50,
    learning_rate: 0.2,
    max_depth: 5,
    min_samples_leaf: 50,
    l2: 1.0,
    monotone: true,
};

/// What to train.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Seed of the held-out split.
    pub seed: u64,
    /// Share of rows held out.
    pub test_fraction: f64,
    /// Boosting settings.
    pub gbt: GbtConfig,
    /// Version written into the artifact.
    pub model_version: String,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            seed: DEFAULT_SEED,
            test_fraction: DEFAULT_TEST_FRACTION,
            gbt: DEFAULT_GBT,
            model_version: qamqor_risk_model::BUILTIN_MODEL_VERSION.to_owned(),
        }
    }
}

/// Why training could not produce an artifact.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// The split left a part without rows.
    #[error("the data has {rows} rows with a Burn Rate; the split needs rows in both parts")]
    TooFewRows {
        /// Rows with a target.
        rows: usize,
    },
    /// A sub-model had no row with its features.
    #[error("no training row has every feature of the pattern {pattern:?}")]
    EmptyPattern {
        /// The pattern's features.
        pattern: Vec<&'static str>,
    },
    /// The artifact written does not validate (a trainer bug, reported rather than shipped).
    #[error("the trained artifact does not validate: {0}")]
    InvalidArtifact(#[from] ArtifactError),
}

/// Rows with every feature of a pattern present.
fn rows_for_pattern(data: &Labeled, pattern: &[Feature]) -> Labeled {
    let indices: Vec<usize> = (0..data.len())
        .filter(|&i| {
            pattern
                .iter()
                .all(|f| data.features[i][f.index()].is_some())
        })
        .collect();
    data.subset(&indices)
}

/// Fits one model per missing-data pattern; each is trained on every row that has its
/// features, whatever else the row lacks.
fn fit_per_pattern<M>(
    data: &Labeled,
    fit: impl Fn(&[Feature], &Labeled) -> M,
) -> Result<[M; 4], TrainError> {
    let mut models = Vec::with_capacity(4);
    for pattern in SUB_MODEL_PATTERNS {
        let rows = rows_for_pattern(data, pattern);
        if rows.is_empty() {
            return Err(TrainError::EmptyPattern {
                pattern: pattern.iter().map(|f| f.name()).collect(),
            });
        }
        models.push(fit(pattern, &rows));
    }
    models.try_into().map_err(|_| TrainError::EmptyPattern {
        pattern: Vec::new(),
    })
}

/// The model input for one data row.
pub fn to_input(features: &[Option<f64>; 4]) -> ModelInput {
    ModelInput {
        designation: features[Feature::Designation.index()],
        resource_allocation: features[Feature::ResourceAllocation.index()],
        mental_fatigue: features[Feature::MentalFatigue.index()],
        remote_work: features[Feature::RemoteWork.index()].map(|v| v >= 0.5),
    }
}

/// A missing-data pattern by what is known of resource allocation and fatigue, e.g.
/// `resource_allocation+mental_fatigue` (index as [`sub_model_pattern`]).
pub fn pattern_name(pattern: usize) -> String {
    let known: Vec<&str> = SUB_MODEL_PATTERNS
        .get(pattern)
        .map(|features| {
            features
                .iter()
                .filter(|f| matches!(f, Feature::ResourceAllocation | Feature::MentalFatigue))
                .map(|f| f.name())
                .collect()
        })
        .unwrap_or_default();
    if known.is_empty() {
        "neither".to_owned()
    } else {
        known.join("+")
    }
}

/// Metrics of clamped predictions over all rows and over the rows with no missing feature.
pub fn score(data: &Labeled, predict: impl Fn(&[Option<f64>; 4]) -> f64) -> Option<HoldoutMetrics> {
    let predictions: Vec<f64> = data
        .features
        .iter()
        .map(|x| predict(x).clamp(0.0, 1.0))
        .collect();
    let complete: Vec<usize> = (0..data.len())
        .filter(|&i| data.features[i].iter().all(Option::is_some))
        .collect();
    let complete_predictions: Vec<f64> = complete.iter().map(|&i| predictions[i]).collect();
    let complete_targets: Vec<f64> = complete.iter().map(|&i| data.targets[i]).collect();
    Some(HoldoutMetrics {
        all_rows: evaluate(&predictions, &data.targets)?,
        complete_rows: evaluate(&complete_predictions, &complete_targets)?,
    })
}

/// Trains the per-pattern boosted trees and returns their artifact parameters.
pub fn train_parameters(train: &Labeled, config: &GbtConfig) -> Result<Parameters, TrainError> {
    let ensembles = fit_per_pattern(train, |uses, rows| {
        gbt::train(&rows.features, &rows.targets, uses, config)
    })?;
    let mut sub_models = Vec::with_capacity(4);
    for (pattern, ensemble) in SUB_MODEL_PATTERNS.iter().zip(ensembles) {
        // Rows were filtered to have every feature the trees use, so no tree learned a
        // direction for missing values; the artifact integrates unknown values out instead.
        let trees = ensemble
            .trees
            .iter()
            .filter_map(|t| t.to_artifact())
            .collect();
        sub_models.push(SubModel {
            uses: pattern.iter().map(|f| f.name().to_owned()).collect(),
            base_score: ensemble.base_score,
            trees,
        });
    }
    Ok(Parameters { sub_models })
}

/// The result of a training run.
#[derive(Debug)]
pub struct Trained {
    /// The sealed artifact.
    pub artifact: Artifact,
    /// Its file bytes.
    pub bytes: Vec<u8>,
    /// Held-out metrics by missing-data pattern (index as [`sub_model_pattern`]).
    pub by_pattern: [Option<Metrics>; 4],
}

/// Splits, trains, evaluates the artifact as written on the held-out rows and seals it.
pub fn train_artifact(dataset: &Dataset, options: &TrainOptions) -> Result<Trained, TrainError> {
    let (labeled, _) = dataset.labeled();
    let split = holdout_split(labeled.len(), options.seed, options.test_fraction);
    if split.train.is_empty() || split.test.is_empty() {
        return Err(TrainError::TooFewRows {
            rows: labeled.len(),
        });
    }
    let train = labeled.subset(&split.train);
    let test = labeled.subset(&split.test);
    let parameters = train_parameters(&train, &options.gbt)?;

    let placeholder = Metrics {
        rows: 0,
        r2: 0.0,
        rmse: 0.0,
        accuracy: 0.0,
        macro_f1: 0.0,
    };
    let mut training = TrainingInfo {
        dataset: DATASET_CITATION.to_owned(),
        dataset_sha256: dataset.sha256.clone(),
        rows_with_target: labeled.len() as u64,
        split: SplitInfo {
            seed: options.seed,
            test_fraction: options.test_fraction,
            train_rows: split.train.len() as u64,
            test_rows: split.test.len() as u64,
        },
        hyperparameters: Hyperparameters {
            trees: options.gbt.trees,
            learning_rate: options.gbt.learning_rate,
            max_depth: options.gbt.max_depth,
            min_samples_leaf: options.gbt.min_samples_leaf,
            l2: options.gbt.l2,
        },
        holdout: HoldoutMetrics {
            all_rows: placeholder.clone(),
            complete_rows: placeholder,
        },
    };
    // Metrics come from the model as the app will load it, bytes and all.
    let draft = Artifact::seal(&options.model_version, parameters.clone(), training.clone());
    let model = Model::from_artifact(&draft.to_json())?;
    let predict = |x: &[Option<f64>; 4]| model.burn_rate(&to_input(x));
    training.holdout = score(&test, predict).ok_or(TrainError::TooFewRows {
        rows: labeled.len(),
    })?;
    let by_pattern = std::array::from_fn(|pattern| {
        let rows: Vec<usize> = (0..test.len())
            .filter(|&i| sub_model_pattern(&test.features[i]) == pattern)
            .collect();
        let subset = test.subset(&rows);
        let predictions: Vec<f64> = subset.features.iter().map(predict).collect();
        evaluate(&predictions, &subset.targets)
    });

    let artifact = Artifact::seal(&options.model_version, parameters, training);
    let bytes = artifact.to_json();
    Model::from_artifact(&bytes)?;
    Ok(Trained {
        artifact,
        bytes,
        by_pattern,
    })
}

/// A fitted model of any family, as a function from a row's features to its prediction.
pub type Predictor = Box<dyn Fn(&[Option<f64>; 4]) -> f64>;

/// A model family in the comparison.
#[derive(Debug, Clone, Copy)]
pub enum Family {
    /// Monotone linear model, one per pattern.
    Linear,
    /// Monotone piecewise-linear GAM, one per pattern.
    Gam,
    /// Boosted trees, one ensemble per pattern.
    PerPatternTrees(GbtConfig),
    /// One boosted-tree ensemble on all rows, learning where missing values go.
    NativeMissingTrees(GbtConfig),
}

impl Family {
    /// A short label for tables.
    pub fn label(&self) -> String {
        let trees = |c: &GbtConfig| {
            format!(
                "{} trees x depth {}, lr {}, leaf >= {}{}",
                c.trees,
                c.max_depth,
                c.learning_rate,
                c.min_samples_leaf,
                if c.monotone {
                    ", monotone"
                } else {
                    ", unconstrained"
                }
            )
        };
        match self {
            Family::Linear => "linear, monotone, per pattern".to_owned(),
            Family::Gam => "piecewise-linear GAM, monotone, per pattern".to_owned(),
            Family::PerPatternTrees(c) => format!("boosted trees per pattern ({})", trees(c)),
            Family::NativeMissingTrees(c) => {
                format!("boosted trees, one model, learned missing ({})", trees(c))
            }
        }
    }

    /// Fits the family on `train` and returns a predictor.
    pub fn fit(&self, train: &Labeled) -> Result<Predictor, TrainError> {
        Ok(match *self {
            Family::Linear | Family::Gam => {
                let kind = if matches!(self, Family::Linear) {
                    AdditiveKind::Linear
                } else {
                    AdditiveKind::PiecewiseLinear
                };
                let models = fit_per_pattern(train, |uses, rows| {
                    AdditiveModel::fit(kind, uses, &rows.features, &rows.targets)
                })?;
                Box::new(move |x| models[sub_model_pattern(x)].predict(x))
            }
            Family::PerPatternTrees(config) => {
                let models = fit_per_pattern(train, |uses, rows| {
                    gbt::train(&rows.features, &rows.targets, uses, &config)
                })?;
                Box::new(move |x| models[sub_model_pattern(x)].predict(x))
            }
            Family::NativeMissingTrees(config) => {
                let model: TrainedEnsemble =
                    gbt::train(&train.features, &train.targets, &Feature::ALL, &config);
                Box::new(move |x| model.predict(x))
            }
        })
    }
}

/// One family's results: held-out metrics and cross-validated R² on the training part.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The family's label.
    pub label: String,
    /// Held-out metrics.
    pub holdout: HoldoutMetrics,
    /// Mean and standard deviation of the all-rows R² over the folds.
    pub cv_r2: (f64, f64),
    /// Mean complete-rows R² over the folds.
    pub cv_complete_r2: f64,
}

/// Number of cross-validation folds on the training part.
pub const FOLDS: usize = 5;

/// Compares families: each is fitted on the training part and scored on the held-out part,
/// and cross-validated within the training part (which is how hyperparameters are chosen,
/// so the held-out part never influences a choice).
pub fn compare(
    dataset: &Dataset,
    options: &TrainOptions,
    families: &[Family],
) -> Result<Vec<Comparison>, TrainError> {
    let (labeled, _) = dataset.labeled();
    let split = holdout_split(labeled.len(), options.seed, options.test_fraction);
    if split.train.is_empty() || split.test.is_empty() {
        return Err(TrainError::TooFewRows {
            rows: labeled.len(),
        });
    }
    let train = labeled.subset(&split.train);
    let test = labeled.subset(&split.test);
    let fold_of = fold_assignment(train.len(), FOLDS, options.seed);
    let too_few = || TrainError::TooFewRows {
        rows: labeled.len(),
    };
    let mut results = Vec::new();
    for family in families {
        let holdout = score(&test, family.fit(&train)?).ok_or_else(too_few)?;
        let mut fold_r2 = Vec::with_capacity(FOLDS);
        let mut fold_complete = Vec::with_capacity(FOLDS);
        for fold in 0..FOLDS {
            let (inner, outer): (Vec<usize>, Vec<usize>) =
                (0..train.len()).partition(|&i| fold_of[i] != fold);
            let metrics = score(&train.subset(&outer), family.fit(&train.subset(&inner))?)
                .ok_or_else(too_few)?;
            fold_r2.push(metrics.all_rows.r2);
            fold_complete.push(metrics.complete_rows.r2);
        }
        let mean = fold_r2.iter().sum::<f64>() / FOLDS as f64;
        let sd =
            (fold_r2.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (FOLDS - 1) as f64).sqrt();
        results.push(Comparison {
            label: family.label(),
            holdout,
            cv_r2: (mean, sd),
            cv_complete_r2: fold_complete.iter().sum::<f64>() / FOLDS as f64,
        });
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::split::SplitMix64;

    /// A small dataset shaped like the real one, with missing values.
    pub(crate) fn synthetic(rows: usize) -> Dataset {
        let mut rng = SplitMix64::new(5);
        let mut csv = String::from("Employee ID,Date of Joining,Gender,Company Type,WFH Setup Available,Designation,Resource Allocation,Mental Fatigue Score,Burn Rate\n");
        for i in 0..rows {
            let designation = rng.below(6) as f64;
            let allocation = (designation * 1.5 + 1.0 + rng.below(3) as f64).min(10.0);
            let fatigue =
                ((allocation * 0.6 + rng.below(40) as f64 / 10.0).min(10.0) * 10.0).round() / 10.0;
            let wfh = rng.below(2) == 1;
            let noise = (rng.below(100) as f64 / 100.0 - 0.5) * 0.08;
            let burn = (0.07 * fatigue + 0.02 * allocation + 0.01 * designation
                - if wfh { 0.03 } else { 0.0 }
                + noise)
                .clamp(0.0, 1.0);
            let field = |v: f64, keep: bool| if keep { format!("{v}") } else { String::new() };
            csv.push_str(&format!(
                "id{i},1/1/2008,Female,Service,{},{designation},{},{},{}\n",
                if wfh { "Yes" } else { "No" },
                field(allocation, rng.below(100) >= 6),
                field(fatigue, rng.below(100) >= 9),
                field((burn * 100.0).round() / 100.0, rng.below(100) >= 5),
            ));
        }
        crate::data::parse(csv.as_bytes()).unwrap()
    }

    fn quick() -> TrainOptions {
        TrainOptions {
            gbt: GbtConfig {
                trees: 20,
                learning_rate: 0.3,
                max_depth: 3,
                min_samples_leaf: 10,
                l2: 1.0,
                monotone: true,
            },
            ..TrainOptions::default()
        }
    }

    #[test]
    fn training_is_byte_for_byte_reproducible_and_loads() {
        let data = synthetic(1_500);
        let a = train_artifact(&data, &quick()).unwrap();
        let b = train_artifact(&data, &quick()).unwrap();
        assert_eq!(a.bytes, b.bytes);
        let model = Model::from_artifact(&a.bytes).unwrap();
        assert_eq!(model.training().holdout, a.artifact.training.holdout);
        assert!(
            a.artifact.training.holdout.complete_rows.r2 > 0.8,
            "{:?}",
            a.artifact.training.holdout
        );
        assert_eq!(
            a.artifact.training.split.test_rows as usize,
            a.by_pattern
                .iter()
                .flatten()
                .map(|m| m.rows as usize)
                .sum::<usize>()
        );
    }

    #[test]
    fn every_family_fits_and_scores_on_the_same_split() {
        let data = synthetic(1_000);
        let families = [
            Family::Linear,
            Family::Gam,
            Family::PerPatternTrees(quick().gbt),
            Family::NativeMissingTrees(quick().gbt),
        ];
        let results = compare(&data, &quick(), &families).unwrap();
        assert_eq!(results.len(), 4);
        for result in &results {
            assert!(result.holdout.all_rows.r2 > 0.5, "{result:?}");
            assert!(result.cv_r2.0.is_finite() && result.cv_r2.1 >= 0.0);
        }
    }

    #[test]
    fn too_little_data_is_an_error_not_a_panic() {
        let data = crate::data::parse(b"Designation,Resource Allocation,Mental Fatigue Score,WFH Setup Available,Burn Rate\n1,2,3,No,0.2\n").unwrap();
        assert!(matches!(
            train_artifact(&data, &quick()),
            Err(TrainError::TooFewRows { rows: 1 })
        ));
    }
}
