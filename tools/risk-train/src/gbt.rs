//! Gradient-boosted regression trees for squared error, with monotone constraints and
//! learned directions for missing values, written for four features and a few ten thousand
//! rows: exact splits between consecutive distinct values, depth-wise growth, no sampling,
//! so training is deterministic.
//!
//! Monotonicity follows LightGBM's "basic" method: a split on a monotone feature is only
//! accepted if its left output is not above its right output, and the midpoint of the two
//! then caps every output under the left branch and floors every output under the right
//! one. So every leaf left of such a split is <= every leaf right of it, which makes each tree
//! (and any average of its branches, as used for unknown values) non-decreasing.

use qamqor_risk_model::artifact::Tree;
use qamqor_risk_model::Feature;

/// Boosting settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GbtConfig {
    /// Boosting rounds.
    pub trees: u32,
    /// Shrinkage of every tree's output.
    pub learning_rate: f64,
    /// Maximum depth of a tree.
    pub max_depth: u32,
    /// Fewest rows a leaf may hold.
    pub min_samples_leaf: u32,
    /// L2 penalty on leaf outputs.
    pub l2: f64,
    /// Enforce non-decreasing outputs in resource allocation and fatigue.
    pub monotone: bool,
}

/// Decimals kept in leaf outputs, so the artifact stays short and the trainer's own
/// predictions are exactly those of the written artifact.
const VALUE_DECIMALS: i32 = 8;

#[derive(Debug, Clone, PartialEq)]
struct TrainedNode {
    /// `None` for leaves.
    feature: Option<Feature>,
    threshold: f64,
    left: usize,
    right: usize,
    value: f64,
    cover: u32,
    /// Where rows lacking the feature went, if any reached the split in training.
    missing_left: Option<bool>,
}

/// One trained tree; nodes in pre-order, so children come after their parent.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainedTree {
    nodes: Vec<TrainedNode>,
}

/// A trained ensemble: `base_score` plus the sum of the trees.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainedEnsemble {
    /// Mean target of the training rows.
    pub base_score: f64,
    /// The trees, outputs already scaled by the learning rate.
    pub trees: Vec<TrainedTree>,
}

impl TrainedTree {
    fn predict(&self, x: &[Option<f64>; 4]) -> f64 {
        self.expected(0, x)
    }

    fn expected(&self, mut index: usize, x: &[Option<f64>; 4]) -> f64 {
        loop {
            let node = &self.nodes[index];
            let Some(feature) = node.feature else {
                return node.value;
            };
            index = match (x[feature.index()], node.missing_left) {
                (Some(v), _) => {
                    if v < node.threshold {
                        node.left
                    } else {
                        node.right
                    }
                }
                (None, Some(true)) => node.left,
                (None, Some(false)) => node.right,
                // Never seen missing in training: average the branches by cover, as the
                // shipped model does.
                (None, None) => {
                    let share = f64::from(self.nodes[node.left].cover) / f64::from(node.cover);
                    return share * self.expected(node.left, x)
                        + (1.0 - share) * self.expected(node.right, x);
                }
            };
        }
    }

    /// The tree in the artifact's node-array form; `None` if it learned a direction for
    /// missing values, which the artifact cannot express.
    pub fn to_artifact(&self) -> Option<Tree> {
        let n = self.nodes.len();
        let mut tree = Tree {
            feature: Vec::with_capacity(n),
            threshold: Vec::with_capacity(n),
            left: Vec::with_capacity(n),
            right: Vec::with_capacity(n),
            value: Vec::with_capacity(n),
            cover: Vec::with_capacity(n),
        };
        for node in &self.nodes {
            if node.missing_left.is_some() {
                return None;
            }
            tree.feature
                .push(node.feature.map_or(-1, |f| f.index() as i32));
            tree.threshold.push(node.threshold);
            tree.left.push(node.left as u32);
            tree.right.push(node.right as u32);
            tree.value.push(node.value);
            tree.cover.push(node.cover);
        }
        Some(tree)
    }
}

impl TrainedEnsemble {
    /// The ensemble's output for one row.
    pub fn predict(&self, x: &[Option<f64>; 4]) -> f64 {
        self.base_score + self.trees.iter().map(|t| t.predict(x)).sum::<f64>()
    }
}

/// A feature's distinct training values and the thresholds between them.
struct Bins {
    feature: Feature,
    /// `thresholds[b]` separates bin `b` from bin `b + 1`.
    thresholds: Vec<f64>,
    /// Bin of each row; `MISSING` when the value is unknown.
    of_row: Vec<u16>,
    monotone: bool,
}

const MISSING: u16 = u16::MAX;
/// More distinct values than this are merged into quantile bins.
const MAX_BINS: usize = 1_024;

impl Bins {
    fn new(feature: Feature, rows: &[[Option<f64>; 4]], monotone: bool) -> Bins {
        let mut distinct: Vec<f64> = rows.iter().filter_map(|r| r[feature.index()]).collect();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        if distinct.len() > MAX_BINS {
            let step = distinct.len() as f64 / MAX_BINS as f64;
            distinct = (0..MAX_BINS)
                .map(|i| distinct[(i as f64 * step) as usize])
                .collect();
        }
        let thresholds: Vec<f64> = distinct
            .windows(2)
            .map(|w| short_between(w[0], w[1]))
            .collect();
        let of_row = rows
            .iter()
            .map(|r| match r[feature.index()] {
                Some(v) => thresholds.partition_point(|&t| t <= v) as u16,
                None => MISSING,
            })
            .collect();
        Bins {
            feature,
            thresholds,
            of_row,
            monotone,
        }
    }
}

/// The number with the fewest decimals strictly between `low` and `high` near their
/// midpoint, so thresholds read as 4.5 or 6.15 rather than 6.1499999999999995.
fn short_between(low: f64, high: f64) -> f64 {
    let mid = low + (high - low) / 2.0;
    for decimals in 0..=12 {
        let scale = 10f64.powi(decimals);
        let rounded = (mid * scale).round() / scale;
        if low < rounded && rounded < high {
            return rounded;
        }
    }
    mid
}

fn round_value(v: f64) -> f64 {
    let scale = 10f64.powi(VALUE_DECIMALS);
    let rounded = (v * scale).round() / scale;
    // Avoid writing "-0.0".
    if rounded == 0.0 {
        0.0
    } else {
        rounded
    }
}

/// The best split found for a node.
struct Candidate {
    gain: f64,
    bins: usize,
    /// Rows in bins `0..=bin` go left.
    bin: usize,
    missing_left: Option<bool>,
    left_output: f64,
    right_output: f64,
}

struct Grower<'a> {
    bins: &'a [Bins],
    gradients: &'a [f64],
    config: &'a GbtConfig,
    nodes: Vec<TrainedNode>,
    /// Each training row's output from the tree being grown.
    leaf_output: Vec<f64>,
}

impl Grower<'_> {
    /// Unscaled optimal output of a node, kept within the monotone bounds.
    fn output(&self, gradient_sum: f64, count: f64, bounds: (f64, f64)) -> f64 {
        (-gradient_sum / (count + self.config.l2)).clamp(bounds.0, bounds.1)
    }

    /// Squared-error objective of giving `count` rows with `gradient_sum` the output `w`.
    fn objective(&self, gradient_sum: f64, count: f64, w: f64) -> f64 {
        gradient_sum * w + 0.5 * (count + self.config.l2) * w * w
    }

    fn grow(&mut self, rows: &[u32], depth: u32, bounds: (f64, f64)) -> usize {
        let index = self.nodes.len();
        let gradient_sum: f64 = rows.iter().map(|&r| self.gradients[r as usize]).sum();
        let count = rows.len() as f64;
        let output = self.output(gradient_sum, count, bounds);
        self.nodes.push(TrainedNode {
            feature: None,
            threshold: 0.0,
            left: 0,
            right: 0,
            value: 0.0,
            cover: rows.len() as u32,
            missing_left: None,
        });

        let candidate = if depth < self.config.max_depth
            && rows.len() >= 2 * self.config.min_samples_leaf as usize
        {
            self.best_split(rows, gradient_sum, count, output, bounds)
        } else {
            None
        };
        let Some(split) = candidate else {
            let value = round_value(self.config.learning_rate * output);
            self.nodes[index].value = value;
            for &r in rows {
                self.leaf_output[r as usize] = value;
            }
            return index;
        };

        let bins = &self.bins[split.bins];
        let (left_rows, right_rows): (Vec<u32>, Vec<u32>) =
            rows.iter().partition(|&&r| match bins.of_row[r as usize] {
                MISSING => split.missing_left == Some(true),
                bin => usize::from(bin) <= split.bin,
            });
        let (left_bounds, right_bounds) = if bins.monotone {
            let mid = (split.left_output + split.right_output) / 2.0;
            ((bounds.0, bounds.1.min(mid)), (bounds.0.max(mid), bounds.1))
        } else {
            (bounds, bounds)
        };
        let left = self.grow(&left_rows, depth + 1, left_bounds);
        let right = self.grow(&right_rows, depth + 1, right_bounds);
        let node = &mut self.nodes[index];
        node.feature = Some(bins.feature);
        node.threshold = bins.thresholds[split.bin];
        node.left = left;
        node.right = right;
        node.missing_left = split.missing_left;
        index
    }

    fn best_split(
        &self,
        rows: &[u32],
        gradient_sum: f64,
        count: f64,
        output: f64,
        bounds: (f64, f64),
    ) -> Option<Candidate> {
        let parent = self.objective(gradient_sum, count, output);
        let min_leaf = f64::from(self.config.min_samples_leaf.max(1));
        let mut best: Option<Candidate> = None;
        for (b, bins) in self.bins.iter().enumerate() {
            let n_bins = bins.thresholds.len() + 1;
            let mut hist_g = vec![0.0; n_bins];
            let mut hist_n = vec![0.0; n_bins];
            let (mut missing_g, mut missing_n) = (0.0, 0.0);
            for &r in rows {
                let g = self.gradients[r as usize];
                match bins.of_row[r as usize] {
                    MISSING => {
                        missing_g += g;
                        missing_n += 1.0;
                    }
                    bin => {
                        hist_g[usize::from(bin)] += g;
                        hist_n[usize::from(bin)] += 1.0;
                    }
                }
            }
            let directions: &[Option<bool>] = if missing_n > 0.0 {
                &[Some(true), Some(false)]
            } else {
                &[None]
            };
            let (mut left_g, mut left_n) = (0.0, 0.0);
            for bin in 0..n_bins - 1 {
                left_g += hist_g[bin];
                left_n += hist_n[bin];
                for &missing_left in directions {
                    let (lg, ln) = if missing_left == Some(true) {
                        (left_g + missing_g, left_n + missing_n)
                    } else {
                        (left_g, left_n)
                    };
                    let (rg, rn) = (gradient_sum - lg, count - ln);
                    if ln < min_leaf || rn < min_leaf {
                        continue;
                    }
                    let wl = self.output(lg, ln, bounds);
                    let wr = self.output(rg, rn, bounds);
                    if bins.monotone && wl > wr {
                        continue;
                    }
                    let gain = parent - self.objective(lg, ln, wl) - self.objective(rg, rn, wr);
                    if gain > 1e-12 && best.as_ref().is_none_or(|c| gain > c.gain) {
                        best = Some(Candidate {
                            gain,
                            bins: b,
                            bin,
                            missing_left,
                            left_output: wl,
                            right_output: wr,
                        });
                    }
                }
            }
        }
        best
    }
}

/// Trains an ensemble on the rows' `uses` features (any other feature is ignored).
pub fn train(
    rows: &[[Option<f64>; 4]],
    targets: &[f64],
    uses: &[Feature],
    config: &GbtConfig,
) -> TrainedEnsemble {
    let n = rows.len().min(targets.len());
    let base_score = if n == 0 {
        0.0
    } else {
        round_value(targets[..n].iter().sum::<f64>() / n as f64)
    };
    let bins: Vec<Bins> = uses
        .iter()
        .map(|&f| Bins::new(f, &rows[..n], config.monotone && f.is_monotone_increasing()))
        .collect();
    let mut predictions = vec![base_score; n];
    let mut gradients = vec![0.0; n];
    let all_rows: Vec<u32> = (0..n as u32).collect();
    let mut trees = Vec::with_capacity(config.trees as usize);
    for _ in 0..config.trees {
        for ((gradient, prediction), target) in gradients.iter_mut().zip(&predictions).zip(targets)
        {
            *gradient = prediction - target;
        }
        let mut grower = Grower {
            bins: &bins,
            gradients: &gradients,
            config,
            nodes: Vec::new(),
            leaf_output: vec![0.0; n],
        };
        grower.grow(&all_rows, 0, (f64::NEG_INFINITY, f64::INFINITY));
        for (prediction, output) in predictions.iter_mut().zip(&grower.leaf_output) {
            *prediction += output;
        }
        trees.push(TrainedTree {
            nodes: grower.nodes,
        });
    }
    TrainedEnsemble { base_score, trees }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::split::SplitMix64;

    fn config(monotone: bool) -> GbtConfig {
        GbtConfig {
            trees: 40,
            learning_rate: 0.2,
            max_depth: 3,
            min_samples_leaf: 5,
            l2: 1.0,
            monotone,
        }
    }

    /// Noisy data whose truth decreases in fatigue on a middle stretch.
    fn wavy_rows(n: usize) -> (Vec<[Option<f64>; 4]>, Vec<f64>) {
        let mut rng = SplitMix64::new(11);
        let mut rows = Vec::new();
        let mut targets = Vec::new();
        for _ in 0..n {
            let fatigue = (rng.below(101) as f64) / 10.0;
            let designation = rng.below(6) as f64;
            let noise = (rng.below(1000) as f64 / 1000.0 - 0.5) * 0.1;
            rows.push([Some(designation), None, Some(fatigue), Some(0.0)]);
            targets.push(0.05 * fatigue + 0.1 * (fatigue * 1.3).sin() + 0.02 * designation + noise);
        }
        (rows, targets)
    }

    #[test]
    fn thresholds_are_short_and_between_values() {
        assert_eq!(short_between(4.0, 5.0), 4.5);
        assert_eq!(short_between(6.1, 6.2), 6.15);
        assert_eq!(short_between(0.0, 10.0), 5.0);
        let t = short_between(1.0, 1.0 + 1e-9);
        assert!(1.0 < t && t < 1.0 + 1e-9);
    }

    #[test]
    fn monotone_training_never_decreases_in_fatigue() {
        let (rows, targets) = wavy_rows(2_000);
        let uses = [
            Feature::Designation,
            Feature::MentalFatigue,
            Feature::RemoteWork,
        ];
        let monotone = train(&rows, &targets, &uses, &config(true));
        let free = train(&rows, &targets, &uses, &config(false));
        let curve = |model: &TrainedEnsemble| -> Vec<f64> {
            (0..=100)
                .map(|i| model.predict(&[Some(2.0), None, Some(i as f64 / 10.0), Some(0.0)]))
                .collect()
        };
        assert!(curve(&monotone).windows(2).all(|w| w[0] <= w[1]));
        assert!(
            curve(&free).windows(2).any(|w| w[0] > w[1]),
            "the data should tempt a free model"
        );
    }

    #[test]
    fn training_is_deterministic_and_fits() {
        let (rows, targets) = wavy_rows(1_000);
        let uses = [Feature::Designation, Feature::MentalFatigue];
        let a = train(&rows, &targets, &uses, &config(true));
        assert_eq!(a, train(&rows, &targets, &uses, &config(true)));
        let predictions: Vec<f64> = rows.iter().map(|r| a.predict(r)).collect();
        let metrics = crate::metrics::evaluate(&predictions, &targets).unwrap();
        assert!(metrics.r2 > 0.8, "{metrics:?}");
        assert!(a.trees.iter().all(|t| t.to_artifact().is_some()));
    }

    #[test]
    fn missing_values_learn_a_direction() {
        // Rows lacking fatigue behave like high-fatigue rows.
        let mut rows = Vec::new();
        let mut targets = Vec::new();
        for i in 0..400 {
            let fatigue = (i % 10) as f64;
            if i % 4 == 0 {
                rows.push([Some(1.0), None, None, Some(0.0)]);
                targets.push(0.9);
            } else {
                rows.push([Some(1.0), None, Some(fatigue), Some(0.0)]);
                targets.push(fatigue / 10.0);
            }
        }
        let model = train(&rows, &targets, &[Feature::MentalFatigue], &config(true));
        let missing = model.predict(&[Some(1.0), None, None, Some(0.0)]);
        assert!(missing > 0.75, "{missing}");
        assert!(model.trees[0].to_artifact().is_none());
    }
}
