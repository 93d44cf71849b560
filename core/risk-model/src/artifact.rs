//! The versioned model artifact: its JSON schema, canonical checksum and the errors that
//! reject a bad one.
//!
//! The SHA-256 checksum covers the canonical content: the compact JSON serialization of
//! every field except `checksum`, in schema order. It is recomputed from the parsed values,
//! so whitespace and number spelling in the file do not matter, while any change of value
//! does. Unknown fields are rejected so nothing can ride along outside the checksum.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::input::Feature;

/// The artifact's format name.
pub const FORMAT_NAME: &str = "qamqor-burnout-model";
/// The artifact format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// Prefix of the checksum string.
const CHECKSUM_PREFIX: &str = "sha256:";

/// The feature sets of the sub-models, in the order [`sub_model_pattern`] indexes them:
/// designation and remote work always (the data never lacks them), plus whichever of
/// resource allocation and fatigue are known. An artifact has exactly one sub-model for each.
pub const SUB_MODEL_PATTERNS: [&[Feature]; 4] = [
    &[Feature::Designation, Feature::RemoteWork],
    &[
        Feature::Designation,
        Feature::ResourceAllocation,
        Feature::RemoteWork,
    ],
    &[
        Feature::Designation,
        Feature::MentalFatigue,
        Feature::RemoteWork,
    ],
    &[
        Feature::Designation,
        Feature::ResourceAllocation,
        Feature::MentalFatigue,
        Feature::RemoteWork,
    ],
];

/// Which sub-model serves an input (values in [`Feature::ALL`] order): bit 0 is set when
/// resource allocation is known, bit 1 when fatigue is known.
pub fn sub_model_pattern(values: &[Option<f64>; 4]) -> usize {
    usize::from(values[Feature::ResourceAllocation.index()].is_some())
        | usize::from(values[Feature::MentalFatigue.index()].is_some()) << 1
}

/// A whole artifact file as parsed, before its parameters are validated and compiled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Artifact {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// Always [`FORMAT_VERSION`] for the files this build reads.
    pub format_version: u32,
    /// Semantic version of the trained model, `MAJOR.MINOR.PATCH`.
    pub model_version: String,
    /// Feature names in the order tree nodes index them.
    pub features: Vec<String>,
    /// The features the model promises never to decrease in.
    pub monotone_increasing: Vec<String>,
    /// The trained parameters.
    pub parameters: Parameters,
    /// Where the parameters came from and how well they did.
    pub training: TrainingInfo,
    /// `sha256:<hex>` of the canonical content.
    pub checksum: String,
}

/// The model parameters: one boosted-tree sub-model per pattern of present features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    /// One sub-model per missing-data pattern of Resource Allocation and Mental Fatigue.
    pub sub_models: Vec<SubModel>,
}

/// A gradient-boosted tree ensemble used when exactly the features in `uses` can be known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubModel {
    /// The features its trees may split on.
    pub uses: Vec<String>,
    /// The constant the trees' outputs are added to.
    pub base_score: f64,
    /// The boosted trees, already scaled by the learning rate.
    pub trees: Vec<Tree>,
}

/// One regression tree as parallel node arrays; node 0 is the root.
///
/// A node with `feature == -1` is a leaf whose output is `value`. Any other node sends an
/// input whose feature is `< threshold` to `left`, else to `right`. `cover` is how many
/// training rows reached the node; it weighs the branches when a feature is unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tree {
    /// Index into the artifact's `features`, or -1 for a leaf.
    pub feature: Vec<i32>,
    /// Split point (0 for leaves).
    pub threshold: Vec<f64>,
    /// Left child index (0 for leaves).
    pub left: Vec<u32>,
    /// Right child index (0 for leaves).
    pub right: Vec<u32>,
    /// Leaf output (0 for split nodes).
    pub value: Vec<f64>,
    /// Training rows that reached the node.
    pub cover: Vec<u32>,
}

/// Provenance and held-out quality of the trained parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingInfo {
    /// Human-readable name and citation of the training data.
    pub dataset: String,
    /// SHA-256 (hex) of the training CSV file.
    pub dataset_sha256: String,
    /// Rows of the file that have a Burn Rate.
    pub rows_with_target: u64,
    /// How the rows were split into training and held-out parts.
    pub split: SplitInfo,
    /// The trainer's settings.
    pub hyperparameters: Hyperparameters,
    /// Quality on the held-out rows, computed from this artifact as written.
    pub holdout: HoldoutMetrics,
}

/// The fixed-seed shuffle split the trainer used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitInfo {
    /// Seed of the SplitMix64 shuffle.
    pub seed: u64,
    /// Share of rows held out.
    pub test_fraction: f64,
    /// Rows used to train.
    pub train_rows: u64,
    /// Rows held out.
    pub test_rows: u64,
}

/// Gradient-boosting settings, shared by every sub-model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hyperparameters {
    /// Boosting rounds (trees per sub-model).
    pub trees: u32,
    /// Shrinkage applied to every tree.
    pub learning_rate: f64,
    /// Maximum depth of a tree.
    pub max_depth: u32,
    /// Fewest training rows a leaf may hold.
    pub min_samples_leaf: u32,
    /// L2 penalty on leaf outputs.
    pub l2: f64,
}

/// Held-out metrics over all rows and over the rows with every feature present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldoutMetrics {
    /// Every held-out row, missing features handled by the model.
    pub all_rows: Metrics,
    /// Held-out rows with no missing feature.
    pub complete_rows: Metrics,
}

/// Regression and low/medium/high classification quality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// Rows evaluated.
    pub rows: u64,
    /// Coefficient of determination of the burn rate.
    pub r2: f64,
    /// Root mean squared error of the burn rate.
    pub rmse: f64,
    /// Share of rows whose class (low < 0.4 <= medium < 0.6 <= high) is right.
    pub accuracy: f64,
    /// Unweighted mean of the per-class F1 scores.
    pub macro_f1: f64,
}

/// Why an artifact was rejected. The current model stays in use whenever one is returned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ArtifactError {
    /// The bytes are not JSON of this format's shape.
    #[error("artifact is malformed at line {line}, column {column}: {message}")]
    Malformed {
        /// 1-based line of the problem (0 if unknown).
        line: usize,
        /// 1-based column of the problem (0 if unknown).
        column: usize,
        /// The parser's description.
        message: String,
    },
    /// The file is some other kind of document.
    #[error("artifact format is {found:?}, expected {expected:?}")]
    UnsupportedFormat {
        /// The `format` field found.
        found: String,
        /// The format this build reads.
        expected: &'static str,
    },
    /// The file is a newer (or older) revision of the format.
    #[error(
        "artifact format version {found} is not supported; this build reads version {supported}"
    )]
    UnsupportedFormatVersion {
        /// The `format_version` field found.
        found: u64,
        /// The version this build reads.
        supported: u32,
    },
    /// The content does not hash to the declared checksum: corrupted or edited.
    #[error("artifact checksum mismatch: declared {declared}, content hashes to {computed}")]
    ChecksumMismatch {
        /// The `checksum` field.
        declared: String,
        /// What the canonical content hashes to.
        computed: String,
    },
    /// `model_version` is not `MAJOR.MINOR.PATCH`.
    #[error("model version {found:?} is not MAJOR.MINOR.PATCH")]
    InvalidModelVersion {
        /// The `model_version` field.
        found: String,
    },
    /// The artifact's features are not the ones this build computes, in order.
    #[error("artifact features {found:?} differ from this build's {expected:?}")]
    FeatureMismatch {
        /// What this build computes.
        expected: Vec<String>,
        /// What the artifact lists.
        found: Vec<String>,
    },
    /// The artifact does not promise monotonicity in exactly the required features.
    #[error("artifact monotone features {found:?} differ from the required {expected:?}")]
    MonotoneMismatch {
        /// The required monotone features.
        expected: Vec<String>,
        /// What the artifact lists.
        found: Vec<String>,
    },
    /// A sub-model covers no known missing-data pattern.
    #[error("sub-model {sub_model} uses {uses:?}, which is not a supported feature pattern")]
    UnexpectedSubModel {
        /// Index in `parameters.sub_models`.
        sub_model: usize,
        /// Its `uses` list.
        uses: Vec<String>,
    },
    /// Two sub-models cover the same pattern.
    #[error("sub-model {sub_model} repeats the pattern {uses:?}")]
    DuplicateSubModel {
        /// Index of the second one.
        sub_model: usize,
        /// The repeated pattern.
        uses: Vec<String>,
    },
    /// A pattern the app can produce has no sub-model.
    #[error("no sub-model for the feature pattern {uses:?}")]
    MissingSubModel {
        /// The uncovered pattern.
        uses: Vec<String>,
    },
    /// A sub-model has more trees than inference time allows.
    #[error("sub-model {sub_model} has {found} trees; at most {max} are allowed")]
    TooManyTrees {
        /// Index in `parameters.sub_models`.
        sub_model: usize,
        /// Its tree count.
        found: usize,
        /// The limit.
        max: usize,
    },
    /// A sub-model's base score is NaN or infinite.
    #[error("sub-model {sub_model} has a non-finite base_score")]
    NonFiniteBaseScore {
        /// Index in `parameters.sub_models`.
        sub_model: usize,
    },
    /// One tree is malformed or breaks the monotonicity promise.
    #[error("sub-model {sub_model}, tree {tree}, node {node}: {problem}")]
    InvalidTree {
        /// Index in `parameters.sub_models`.
        sub_model: usize,
        /// Index in the sub-model's `trees`.
        tree: usize,
        /// The offending node (0 when the whole tree is affected).
        node: usize,
        /// What is wrong.
        problem: TreeProblem,
    },
    /// A replacement was offered that is not newer than the model in use.
    #[error("model version {offered} is not newer than the current {current}")]
    NotNewer {
        /// Version in use.
        current: String,
        /// Version offered.
        offered: String,
    },
}

/// What is wrong with one tree of an artifact.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TreeProblem {
    /// The tree has no node.
    #[error("tree has no nodes")]
    Empty,
    /// The parallel node arrays differ in length.
    #[error("node arrays differ in length (feature {feature}, threshold {threshold}, left {left}, right {right}, value {value}, cover {cover})")]
    ArrayLengths {
        /// `feature` length.
        feature: usize,
        /// `threshold` length.
        threshold: usize,
        /// `left` length.
        left: usize,
        /// `right` length.
        right: usize,
        /// `value` length.
        value: usize,
        /// `cover` length.
        cover: usize,
    },
    /// The tree has more nodes than allowed.
    #[error("tree has {found} nodes; at most {max} are allowed")]
    TooManyNodes {
        /// Node count.
        found: usize,
        /// The limit.
        max: usize,
    },
    /// A split names a feature index outside the feature list.
    #[error("feature index {index} does not exist")]
    UnknownFeature {
        /// The index found.
        index: i32,
    },
    /// A split uses a feature its sub-model may not know.
    #[error("splits on {feature}, which this sub-model does not use")]
    FeatureNotUsed {
        /// The feature's name.
        feature: &'static str,
    },
    /// A threshold or value is NaN or infinite.
    #[error("{field} is not finite")]
    NonFinite {
        /// `threshold` or `value`.
        field: &'static str,
    },
    /// A child index does not point forward inside the tree.
    #[error("child index {child} must be after its parent and below the node count")]
    ChildOutOfRange {
        /// The child index.
        child: u32,
    },
    /// A node is the child of two splits.
    #[error("node {child} is the child of more than one split")]
    ChildReused {
        /// The child index.
        child: u32,
    },
    /// A node is nobody's child.
    #[error("node is not reachable from the root")]
    Unreachable,
    /// A node's cover is zero or not the sum of its children's.
    #[error("cover {cover} is zero or differs from its children's {left} + {right}")]
    BadCover {
        /// The node's cover.
        cover: u32,
        /// Left child's cover (0 for leaves).
        left: u32,
        /// Right child's cover (0 for leaves).
        right: u32,
    },
    /// The tree is deeper than allowed.
    #[error("tree is deeper than {max}")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A split on a monotone feature can lower the output.
    #[error("split on {feature} is not monotone: left outputs reach {left_max}, right outputs go down to {right_min}")]
    NotMonotone {
        /// The monotone feature.
        feature: &'static str,
        /// Largest leaf output under the left branch.
        left_max: f64,
        /// Smallest leaf output under the right branch.
        right_min: f64,
    },
}

impl From<serde_json::Error> for ArtifactError {
    fn from(e: serde_json::Error) -> Self {
        ArtifactError::Malformed {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }
    }
}

/// Everything but the checksum, in schema order: what the checksum covers.
#[derive(Serialize)]
struct CanonicalContent<'a> {
    format: &'a str,
    format_version: u32,
    model_version: &'a str,
    features: &'a [String],
    monotone_increasing: &'a [String],
    parameters: &'a Parameters,
    training: &'a TrainingInfo,
}

/// Just enough of any JSON document to tell which format it claims to be.
#[derive(Deserialize)]
struct Header {
    format: String,
    format_version: u64,
}

impl Artifact {
    /// Builds an artifact for this build's features and seals it with its checksum.
    pub fn seal(model_version: &str, parameters: Parameters, training: TrainingInfo) -> Artifact {
        let mut artifact = Artifact {
            format: FORMAT_NAME.to_owned(),
            format_version: FORMAT_VERSION,
            model_version: model_version.to_owned(),
            features: Feature::ALL.iter().map(|f| f.name().to_owned()).collect(),
            monotone_increasing: Feature::MONOTONE_INCREASING
                .iter()
                .map(|f| f.name().to_owned())
                .collect(),
            parameters,
            training,
            checksum: String::new(),
        };
        artifact.checksum = artifact.computed_checksum();
        artifact
    }

    /// `sha256:<hex>` of the canonical content as it is now.
    pub fn computed_checksum(&self) -> String {
        let content = CanonicalContent {
            format: &self.format,
            format_version: self.format_version,
            model_version: &self.model_version,
            features: &self.features,
            monotone_increasing: &self.monotone_increasing,
            parameters: &self.parameters,
            training: &self.training,
        };
        // Serializing plain structs of strings and finite numbers cannot fail; an empty
        // vector would only ever produce a checksum mismatch, never a false accept.
        let bytes = serde_json::to_vec(&content).unwrap_or_default();
        let digest = Sha256::digest(&bytes);
        let mut hex = String::with_capacity(CHECKSUM_PREFIX.len() + 64);
        hex.push_str(CHECKSUM_PREFIX);
        for byte in digest {
            hex.push_str(&format!("{byte:02x}"));
        }
        hex
    }

    /// Parses and checks the envelope: format, format version, checksum, model version,
    /// feature list. The parameters are checked when a model is built from them.
    pub fn parse(bytes: &[u8]) -> Result<Artifact, ArtifactError> {
        // Read the header first so a future format gets a version error, not a schema error.
        let header: Header = serde_json::from_slice(bytes)?;
        if header.format != FORMAT_NAME {
            return Err(ArtifactError::UnsupportedFormat {
                found: header.format,
                expected: FORMAT_NAME,
            });
        }
        if header.format_version != u64::from(FORMAT_VERSION) {
            return Err(ArtifactError::UnsupportedFormatVersion {
                found: header.format_version,
                supported: FORMAT_VERSION,
            });
        }
        let artifact: Artifact = serde_json::from_slice(bytes)?;
        let computed = artifact.computed_checksum();
        if artifact.checksum != computed {
            return Err(ArtifactError::ChecksumMismatch {
                declared: artifact.checksum,
                computed,
            });
        }
        if parse_version(&artifact.model_version).is_none() {
            return Err(ArtifactError::InvalidModelVersion {
                found: artifact.model_version,
            });
        }
        let expected: Vec<String> = Feature::ALL.iter().map(|f| f.name().to_owned()).collect();
        if artifact.features != expected {
            return Err(ArtifactError::FeatureMismatch {
                expected,
                found: artifact.features,
            });
        }
        let mut monotone = artifact.monotone_increasing.clone();
        monotone.sort();
        let mut expected_monotone: Vec<String> = Feature::MONOTONE_INCREASING
            .iter()
            .map(|f| f.name().to_owned())
            .collect();
        expected_monotone.sort();
        if monotone != expected_monotone {
            return Err(ArtifactError::MonotoneMismatch {
                expected: expected_monotone,
                found: artifact.monotone_increasing,
            });
        }
        Ok(artifact)
    }

    /// The file name the artifact is stored under: `burnout-<model_version>.json`.
    pub fn file_name(&self) -> String {
        format!("burnout-{}.json", self.model_version)
    }

    /// The artifact as a readable JSON document: nested objects indented, each tree on one
    /// line so diffs stay small. Ends with a newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, ShallowPretty::default());
        // Writing into a Vec and serializing finite numbers cannot fail.
        if self.serialize(&mut ser).is_err() {
            return serde_json::to_vec(self).unwrap_or_default();
        }
        out.push(b'\n');
        out
    }
}

/// Parses `MAJOR.MINOR.PATCH` into comparable numbers.
pub fn parse_version(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.split('.');
    let mut next = || -> Option<u64> {
        let part = parts.next()?;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let parsed = (next()?, next()?, next()?);
    match parts.next() {
        None => Some(parsed),
        Some(_) => None,
    }
}

/// Indents containers down to [`ShallowPretty::MAX_PRETTY_DEPTH`] and writes deeper ones
/// compactly, so that each tree of the artifact sits on one line.
#[derive(Default)]
struct ShallowPretty {
    depth: usize,
    /// Whether each open container has written a value yet (for the closing newline).
    has_value: Vec<bool>,
}

impl ShallowPretty {
    /// Depth 5 is the `trees` array; the tree objects inside it are written on one line.
    const MAX_PRETTY_DEPTH: usize = 5;

    fn pretty(&self) -> bool {
        self.depth <= Self::MAX_PRETTY_DEPTH
    }

    fn newline_indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value.push(false);
        w.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        let had_value = self.has_value.pop().unwrap_or(false);
        let was_pretty = self.pretty();
        self.depth = self.depth.saturating_sub(1);
        if was_pretty && had_value {
            self.newline_indent(w)?;
        }
        w.write_all(bracket)
    }

    fn element<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if let Some(flag) = self.has_value.last_mut() {
            *flag = true;
        }
        if !first {
            w.write_all(b",")?;
        }
        if self.pretty() {
            self.newline_indent(w)?;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for ShallowPretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.element(w, first)
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.element(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(if self.pretty() { b": " } else { b":" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Artifact {
        let leaf = Tree {
            feature: vec![-1],
            threshold: vec![0.0],
            left: vec![0],
            right: vec![0],
            value: vec![0.0],
            cover: vec![1],
        };
        let sub_models = SUB_MODEL_PATTERNS
            .iter()
            .map(|uses| SubModel {
                uses: uses.iter().map(|f| f.name().to_owned()).collect(),
                base_score: 0.5,
                trees: vec![leaf.clone()],
            })
            .collect();
        let metrics = Metrics {
            rows: 1,
            r2: 0.5,
            rmse: 0.1,
            accuracy: 0.5,
            macro_f1: 0.5,
        };
        Artifact::seal(
            "1.2.3",
            Parameters { sub_models },
            TrainingInfo {
                dataset: "test".into(),
                dataset_sha256: "00".into(),
                rows_with_target: 1,
                split: SplitInfo {
                    seed: 1,
                    test_fraction: 0.2,
                    train_rows: 1,
                    test_rows: 0,
                },
                hyperparameters: Hyperparameters {
                    trees: 1,
                    learning_rate: 0.1,
                    max_depth: 1,
                    min_samples_leaf: 1,
                    l2: 0.0,
                },
                holdout: HoldoutMetrics {
                    all_rows: metrics.clone(),
                    complete_rows: metrics,
                },
            },
        )
    }

    #[test]
    fn sealed_artifact_round_trips_through_json() {
        let artifact = tiny();
        let parsed = Artifact::parse(&artifact.to_json()).unwrap();
        assert_eq!(parsed, artifact);
        assert!(artifact.checksum.starts_with("sha256:") && artifact.checksum.len() == 71);
        assert_eq!(artifact.file_name(), "burnout-1.2.3.json");
    }

    #[test]
    fn checksum_ignores_layout_but_not_values() {
        let artifact = tiny();
        let compact = serde_json::to_vec(&artifact).unwrap();
        assert!(Artifact::parse(&compact).is_ok());
        let edited = String::from_utf8(compact)
            .unwrap()
            .replace("\"base_score\":0.5", "\"base_score\":0.6");
        assert!(matches!(
            Artifact::parse(edited.as_bytes()),
            Err(ArtifactError::ChecksumMismatch { .. })
        ));
    }

    #[test]
    fn envelope_errors_name_the_problem() {
        let text = String::from_utf8(tiny().to_json()).unwrap();
        let other = text.replacen(FORMAT_NAME, "something-else", 1);
        assert!(matches!(
            Artifact::parse(other.as_bytes()),
            Err(ArtifactError::UnsupportedFormat { found, .. }) if found == "something-else"
        ));
        let newer = text.replacen("\"format_version\": 1", "\"format_version\": 2", 1);
        assert!(matches!(
            Artifact::parse(newer.as_bytes()),
            Err(ArtifactError::UnsupportedFormatVersion {
                found: 2,
                supported: 1
            })
        ));
        let extra = text.replacen("{", "{\"surprise\": true,", 1);
        assert!(matches!(
            Artifact::parse(extra.as_bytes()),
            Err(ArtifactError::Malformed { .. })
        ));
        assert!(matches!(
            Artifact::parse(b"{\"format\": "),
            Err(ArtifactError::Malformed { line: 1, .. })
        ));

        let mut bad_version = tiny();
        bad_version.model_version = "1.2".into();
        bad_version.checksum = bad_version.computed_checksum();
        assert!(matches!(
            Artifact::parse(&bad_version.to_json()),
            Err(ArtifactError::InvalidModelVersion { .. })
        ));

        let mut gendered = tiny();
        gendered.features.push("gender".into());
        gendered.checksum = gendered.computed_checksum();
        assert!(matches!(
            Artifact::parse(&gendered.to_json()),
            Err(ArtifactError::FeatureMismatch { .. })
        ));

        let mut unconstrained = tiny();
        unconstrained.monotone_increasing.pop();
        unconstrained.checksum = unconstrained.computed_checksum();
        assert!(matches!(
            Artifact::parse(&unconstrained.to_json()),
            Err(ArtifactError::MonotoneMismatch { .. })
        ));
    }

    #[test]
    fn versions_parse_strictly() {
        assert_eq!(parse_version("1.10.3"), Some((1, 10, 3)));
        for bad in ["1.2", "1.2.3.4", "v1.2.3", "1..3", "1.2.x", ""] {
            assert_eq!(parse_version(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_tree_sits_on_one_line() {
        let text = String::from_utf8(tiny().to_json()).unwrap();
        let tree_lines = text
            .lines()
            .filter(|l| l.trim_start().starts_with("{\"feature\":"))
            .count();
        assert_eq!(tree_lines, 4);
        assert!(text.starts_with("{\n  \"format\": \"qamqor-burnout-model\","));
    }
}
