//! Validated, compiled tree ensembles and the two ways to evaluate them: a plain score and a
//! score explained by exact Shapley values.
//!
//! Unknown features are integrated out: at a split on an unknown feature both branches are
//! taken, weighted by the share of training rows that went each way (the "cover"). That is
//! the same expectation TreeSHAP uses, so "feature missing" and "feature left out of a
//! Shapley coalition" mean exactly the same thing.

use ndarray::{Array1, Array2};

use crate::artifact::{
    sub_model_pattern, ArtifactError, Parameters, SubModel, Tree, TreeProblem, SUB_MODEL_PATTERNS,
};
use crate::input::Feature;

/// Most trees a sub-model may have (bounds inference time of a delivered artifact).
pub const MAX_TREES: usize = 2_000;
/// Deepest a tree may be (bounds recursion and node count).
pub const MAX_DEPTH: usize = 12;
/// Most nodes a tree of depth [`MAX_DEPTH`] can have.
const MAX_NODES: usize = (1 << (MAX_DEPTH + 1)) - 1;
/// Marks a leaf in [`Node::feature`].
const LEAF: u8 = u8::MAX;
/// Coalitions of up to four known features.
const MAX_COALITIONS: usize = 1 << Feature::ALL.len();

#[derive(Debug, Clone, Copy)]
struct Node {
    feature: u8,
    left: u32,
    right: u32,
    threshold: f64,
    /// Leaf output; unused for splits.
    value: f64,
    /// Share of the node's training rows that went left; unused for leaves.
    left_share: f64,
}

#[derive(Debug, Clone)]
struct CompiledSubModel {
    base_score: f64,
    /// All trees' nodes, children indices already offset into this vector.
    nodes: Vec<Node>,
    roots: Vec<u32>,
}

/// The four validated sub-models plus the Shapley weight matrices.
#[derive(Debug, Clone)]
pub(crate) struct Ensemble {
    sub_models: [CompiledSubModel; 4],
    /// `shapley[k]` maps the 2^k coalition values of k known features to their k Shapley
    /// values (row j: feature j's weighted marginal gains).
    shapley: [Array2<f64>; Feature::ALL.len() + 1],
}

/// The output of the explained evaluation, on the model's unclamped scale.
pub(crate) struct Explained {
    pub baseline: f64,
    pub contributions: [f64; 4],
}

impl Ensemble {
    /// Validates every sub-model and tree and compiles them for evaluation.
    pub(crate) fn compile(parameters: &Parameters) -> Result<Ensemble, ArtifactError> {
        let mut slots: [Option<CompiledSubModel>; 4] = Default::default();
        for (index, sub_model) in parameters.sub_models.iter().enumerate() {
            let pattern = pattern_of(index, sub_model)?;
            if slots[pattern].is_some() {
                return Err(ArtifactError::DuplicateSubModel {
                    sub_model: index,
                    uses: sub_model.uses.clone(),
                });
            }
            slots[pattern] = Some(compile_sub_model(
                index,
                sub_model,
                SUB_MODEL_PATTERNS[pattern],
            )?);
        }
        let missing = |pattern: usize| ArtifactError::MissingSubModel {
            uses: SUB_MODEL_PATTERNS[pattern]
                .iter()
                .map(|f| f.name().to_owned())
                .collect(),
        };
        let [none, allocation, fatigue, both] = slots;
        let sub_models = [
            none.ok_or_else(|| missing(0))?,
            allocation.ok_or_else(|| missing(1))?,
            fatigue.ok_or_else(|| missing(2))?,
            both.ok_or_else(|| missing(3))?,
        ];
        Ok(Ensemble {
            sub_models,
            shapley: std::array::from_fn(shapley_matrix),
        })
    }

    /// The model's unclamped output for known values (`None` integrated out).
    pub(crate) fn score(&self, values: &[Option<f64>; 4]) -> f64 {
        let sub_model = &self.sub_models[sub_model_pattern(values)];
        let mut total = sub_model.base_score;
        for &root in &sub_model.roots {
            total += expected_output(&sub_model.nodes, root, values);
        }
        total
    }

    /// The baseline and each feature's exact Shapley value; they add up to [`Self::score`]
    /// up to rounding.
    pub(crate) fn explain(&self, values: &[Option<f64>; 4]) -> Explained {
        let sub_model = &self.sub_models[sub_model_pattern(values)];
        // Known features get consecutive coalition bits; unknown ones stay integrated out.
        let mut bit_of = [None; 4];
        let mut known = Vec::with_capacity(4);
        for feature in Feature::ALL {
            if values[feature.index()].is_some() {
                bit_of[feature.index()] = Some(known.len());
                known.push(feature);
            }
        }
        let coalitions = 1 << known.len();
        let mut coalition_values = [0.0; MAX_COALITIONS];
        let mut weights = [0.0; MAX_COALITIONS];
        weights[..coalitions].fill(1.0);
        let walk = CoalitionWalk {
            nodes: &sub_model.nodes,
            values,
            bit_of: &bit_of,
            coalitions,
        };
        for &root in &sub_model.roots {
            walk.visit(root, &weights, &mut coalition_values);
        }
        let v = Array1::from_iter(
            coalition_values[..coalitions]
                .iter()
                .map(|x| x + sub_model.base_score),
        );
        let phi = self.shapley[known.len()].dot(&v);
        let mut contributions = [0.0; 4];
        for (j, feature) in known.iter().enumerate() {
            contributions[feature.index()] = phi[j];
        }
        Explained {
            baseline: v[0],
            contributions,
        }
    }
}

/// Finds which required pattern a sub-model's `uses` list names.
fn pattern_of(index: usize, sub_model: &SubModel) -> Result<usize, ArtifactError> {
    let unexpected = || ArtifactError::UnexpectedSubModel {
        sub_model: index,
        uses: sub_model.uses.clone(),
    };
    let mut uses = Vec::with_capacity(sub_model.uses.len());
    for name in &sub_model.uses {
        uses.push(Feature::from_name(name).ok_or_else(unexpected)?);
    }
    uses.sort();
    SUB_MODEL_PATTERNS
        .iter()
        .position(|pattern| *pattern == uses.as_slice())
        .ok_or_else(unexpected)
}

fn compile_sub_model(
    index: usize,
    sub_model: &SubModel,
    uses: &[Feature],
) -> Result<CompiledSubModel, ArtifactError> {
    if !sub_model.base_score.is_finite() {
        return Err(ArtifactError::NonFiniteBaseScore { sub_model: index });
    }
    if sub_model.trees.len() > MAX_TREES {
        return Err(ArtifactError::TooManyTrees {
            sub_model: index,
            found: sub_model.trees.len(),
            max: MAX_TREES,
        });
    }
    let mut nodes = Vec::new();
    let mut roots = Vec::with_capacity(sub_model.trees.len());
    for (t, tree) in sub_model.trees.iter().enumerate() {
        let invalid = |node: usize, problem: TreeProblem| ArtifactError::InvalidTree {
            sub_model: index,
            tree: t,
            node,
            problem,
        };
        let offset = nodes.len();
        roots.push(offset as u32);
        compile_tree(tree, uses, offset, &mut nodes).map_err(|(node, p)| invalid(node, p))?;
    }
    Ok(CompiledSubModel {
        base_score: sub_model.base_score,
        nodes,
        roots,
    })
}

/// Checks one tree's shape, values, covers and monotonicity and appends its nodes.
fn compile_tree(
    tree: &Tree,
    uses: &[Feature],
    offset: usize,
    out: &mut Vec<Node>,
) -> Result<(), (usize, TreeProblem)> {
    let n = tree.feature.len();
    let lengths = [
        tree.threshold.len(),
        tree.left.len(),
        tree.right.len(),
        tree.value.len(),
        tree.cover.len(),
    ];
    if lengths.iter().any(|&len| len != n) {
        return Err((
            0,
            TreeProblem::ArrayLengths {
                feature: n,
                threshold: lengths[0],
                left: lengths[1],
                right: lengths[2],
                value: lengths[3],
                cover: lengths[4],
            },
        ));
    }
    if n == 0 {
        return Err((0, TreeProblem::Empty));
    }
    if n > MAX_NODES {
        return Err((
            0,
            TreeProblem::TooManyNodes {
                found: n,
                max: MAX_NODES,
            },
        ));
    }

    // Children always come after their parent, so one forward pass sees every parent first
    // (which rules out cycles) and one backward pass sees every child first.
    let mut has_parent = vec![false; n];
    let mut depth = vec![0usize; n];
    let mut features = vec![LEAF; n];
    for i in 0..n {
        let (threshold, value, cover) = (tree.threshold[i], tree.value[i], tree.cover[i]);
        if !value.is_finite() {
            return Err((i, TreeProblem::NonFinite { field: "value" }));
        }
        if i > 0 && !has_parent[i] {
            return Err((i, TreeProblem::Unreachable));
        }
        let raw_feature = tree.feature[i];
        if raw_feature == -1 {
            if cover == 0 {
                return Err((
                    i,
                    TreeProblem::BadCover {
                        cover,
                        left: 0,
                        right: 0,
                    },
                ));
            }
            continue;
        }
        let feature = usize::try_from(raw_feature)
            .ok()
            .and_then(|f| Feature::ALL.get(f).copied())
            .ok_or((i, TreeProblem::UnknownFeature { index: raw_feature }))?;
        if !uses.contains(&feature) {
            return Err((
                i,
                TreeProblem::FeatureNotUsed {
                    feature: feature.name(),
                },
            ));
        }
        if !threshold.is_finite() {
            return Err((i, TreeProblem::NonFinite { field: "threshold" }));
        }
        if depth[i] >= MAX_DEPTH {
            return Err((i, TreeProblem::TooDeep { max: MAX_DEPTH }));
        }
        for child in [tree.left[i], tree.right[i]] {
            let c = child as usize;
            if c <= i || c >= n {
                return Err((i, TreeProblem::ChildOutOfRange { child }));
            }
            if has_parent[c] {
                return Err((i, TreeProblem::ChildReused { child }));
            }
            has_parent[c] = true;
            depth[c] = depth[i] + 1;
        }
        let (left_cover, right_cover) = (
            tree.cover[tree.left[i] as usize],
            tree.cover[tree.right[i] as usize],
        );
        if cover == 0 || u64::from(cover) != u64::from(left_cover) + u64::from(right_cover) {
            return Err((
                i,
                TreeProblem::BadCover {
                    cover,
                    left: left_cover,
                    right: right_cover,
                },
            ));
        }
        features[i] = feature as u8;
    }

    // Leaf output range under every node, children before parents.
    let mut low = tree.value.clone();
    let mut high = tree.value.clone();
    for i in (0..n).rev() {
        if features[i] == LEAF {
            continue;
        }
        let (l, r) = (tree.left[i] as usize, tree.right[i] as usize);
        if Feature::ALL[features[i] as usize].is_monotone_increasing() && high[l] > low[r] {
            return Err((
                i,
                TreeProblem::NotMonotone {
                    feature: Feature::ALL[features[i] as usize].name(),
                    left_max: high[l],
                    right_min: low[r],
                },
            ));
        }
        low[i] = low[l].min(low[r]);
        high[i] = high[l].max(high[r]);
    }

    out.extend((0..n).map(|i| {
        let is_leaf = features[i] == LEAF;
        Node {
            feature: features[i],
            left: if is_leaf {
                0
            } else {
                (offset + tree.left[i] as usize) as u32
            },
            right: if is_leaf {
                0
            } else {
                (offset + tree.right[i] as usize) as u32
            },
            threshold: tree.threshold[i],
            value: if is_leaf { tree.value[i] } else { 0.0 },
            left_share: if is_leaf {
                0.0
            } else {
                f64::from(tree.cover[tree.left[i] as usize]) / f64::from(tree.cover[i])
            },
        }
    }));
    Ok(())
}

/// A tree's output for known values, averaging over the branches of unknown features.
fn expected_output(nodes: &[Node], mut index: u32, values: &[Option<f64>; 4]) -> f64 {
    loop {
        let node = &nodes[index as usize];
        if node.feature == LEAF {
            return node.value;
        }
        match values[node.feature as usize] {
            Some(x) => {
                index = if x < node.threshold {
                    node.left
                } else {
                    node.right
                }
            }
            None => {
                return node.left_share * expected_output(nodes, node.left, values)
                    + (1.0 - node.left_share) * expected_output(nodes, node.right, values)
            }
        }
    }
}

/// Evaluates a tree for every coalition of known features at once: `weights[s]` is the
/// probability mass of coalition `s` reaching the current node.
struct CoalitionWalk<'a> {
    nodes: &'a [Node],
    values: &'a [Option<f64>; 4],
    bit_of: &'a [Option<usize>; 4],
    coalitions: usize,
}

impl CoalitionWalk<'_> {
    fn visit(&self, index: u32, weights: &[f64; MAX_COALITIONS], out: &mut [f64; MAX_COALITIONS]) {
        let node = &self.nodes[index as usize];
        let n = self.coalitions;
        if node.feature == LEAF {
            for s in 0..n {
                out[s] += weights[s] * node.value;
            }
            return;
        }
        let f = node.feature as usize;
        let share = node.left_share;
        let mut left = [0.0; MAX_COALITIONS];
        let mut right = [0.0; MAX_COALITIONS];
        match (self.bit_of[f], self.values[f]) {
            (Some(bit), Some(x)) => {
                // Coalitions that know the feature follow the input; the others average.
                let goes_left = x < node.threshold;
                for s in 0..n {
                    if s >> bit & 1 == 1 {
                        if goes_left {
                            left[s] = weights[s];
                        } else {
                            right[s] = weights[s];
                        }
                    } else {
                        left[s] = weights[s] * share;
                        right[s] = weights[s] * (1.0 - share);
                    }
                }
            }
            _ => {
                for s in 0..n {
                    left[s] = weights[s] * share;
                    right[s] = weights[s] * (1.0 - share);
                }
            }
        }
        if left[..n].iter().any(|&w| w != 0.0) {
            self.visit(node.left, &left, out);
        }
        if right[..n].iter().any(|&w| w != 0.0) {
            self.visit(node.right, &right, out);
        }
    }
}

/// The k x 2^k matrix turning coalition values into Shapley values:
/// `phi_j = sum over s without j of |s|! (k-|s|-1)! / k! * (v(s + j) - v(s))`.
fn shapley_matrix(k: usize) -> Array2<f64> {
    let factorial = |n: usize| (1..=n).map(|i| i as f64).product::<f64>();
    let mut matrix = Array2::zeros((k, 1 << k));
    for j in 0..k {
        for s in 0..1usize << k {
            if s >> j & 1 == 1 {
                continue;
            }
            let size = s.count_ones() as usize;
            let weight = factorial(size) * factorial(k - size - 1) / factorial(k);
            matrix[[j, s | 1 << j]] += weight;
            matrix[[j, s]] -= weight;
        }
    }
    matrix
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(
        feature: Vec<i32>,
        threshold: Vec<f64>,
        left: Vec<u32>,
        right: Vec<u32>,
        value: Vec<f64>,
        cover: Vec<u32>,
    ) -> Tree {
        Tree {
            feature,
            threshold,
            left,
            right,
            value,
            cover,
        }
    }

    fn stump(feature: Feature, low: f64, high: f64) -> Tree {
        tree(
            vec![feature as i32, -1, -1],
            vec![5.0, 0.0, 0.0],
            vec![1, 0, 0],
            vec![2, 0, 0],
            vec![0.0, low, high],
            vec![4, 3, 1],
        )
    }

    fn parameters_with(trees: Vec<Tree>) -> Parameters {
        Parameters {
            sub_models: SUB_MODEL_PATTERNS
                .iter()
                .map(|uses| SubModel {
                    uses: uses.iter().map(|f| f.name().to_owned()).collect(),
                    base_score: 0.5,
                    trees: trees
                        .iter()
                        .filter(|t| {
                            t.feature
                                .iter()
                                .all(|&f| f < 0 || uses.contains(&Feature::ALL[f as usize]))
                        })
                        .cloned()
                        .collect(),
                })
                .collect(),
        }
    }

    fn tree_problem(trees: Vec<Tree>) -> TreeProblem {
        match Ensemble::compile(&parameters_with(trees)) {
            Err(ArtifactError::InvalidTree { problem, .. }) => problem,
            other => panic!("expected an invalid tree, got {other:?}"),
        }
    }

    #[test]
    fn unknown_features_are_averaged_by_cover() {
        let ensemble = Ensemble::compile(&parameters_with(vec![stump(
            Feature::Designation,
            0.0,
            0.4,
        )]))
        .unwrap();
        assert_eq!(ensemble.score(&[Some(1.0), None, None, None]), 0.5);
        assert_eq!(ensemble.score(&[Some(9.0), None, None, None]), 0.9);
        // 3 of 4 training rows went left.
        assert!((ensemble.score(&[None, None, None, None]) - 0.6).abs() < 1e-12);
    }

    #[test]
    fn shapley_values_of_a_sum_are_its_terms() {
        let trees = vec![
            stump(Feature::Designation, 0.0, 0.4),
            stump(Feature::MentalFatigue, -0.1, 0.3),
        ];
        let ensemble = Ensemble::compile(&parameters_with(trees)).unwrap();
        let values = [Some(9.0), None, Some(1.0), Some(1.0)];
        let explained = ensemble.explain(&values);
        // Designation: 0.4 - E[stump] = 0.4 - 0.1; fatigue: -0.1 - (0.75 * -0.1 + 0.25 * 0.3).
        assert!((explained.contributions[0] - 0.3).abs() < 1e-12);
        assert!((explained.contributions[2] + 0.1).abs() < 1e-12);
        assert_eq!(explained.contributions[1], 0.0);
        assert_eq!(explained.contributions[3], 0.0);
        let sum: f64 = explained.baseline + explained.contributions.iter().sum::<f64>();
        assert!((sum - ensemble.score(&values)).abs() < 1e-12);
    }

    #[test]
    fn shapley_matrix_rows_sum_to_zero_and_efficiency_holds() {
        for k in 1..=4 {
            let m = shapley_matrix(k);
            for j in 0..k {
                assert!(m.row(j).sum().abs() < 1e-12);
            }
            // Summed over features, the weights telescope to v(all) - v(none).
            let total = m.sum_axis(ndarray::Axis(0));
            assert!((total[(1 << k) - 1] - 1.0).abs() < 1e-12);
            assert!((total[0] + 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn malformed_trees_are_rejected_with_the_reason() {
        let mut short = stump(Feature::Designation, 0.0, 1.0);
        short.value.pop();
        assert!(matches!(
            tree_problem(vec![short]),
            TreeProblem::ArrayLengths { .. }
        ));

        let mut backwards = stump(Feature::Designation, 0.0, 1.0);
        backwards.left[0] = 0;
        assert!(matches!(
            tree_problem(vec![backwards]),
            TreeProblem::ChildOutOfRange { child: 0 }
        ));

        let mut nan = stump(Feature::Designation, 0.0, 1.0);
        nan.threshold[0] = f64::NAN;
        assert!(matches!(
            tree_problem(vec![nan]),
            TreeProblem::NonFinite { field: "threshold" }
        ));

        let mut cover = stump(Feature::Designation, 0.0, 1.0);
        cover.cover[0] = 5;
        assert!(matches!(
            tree_problem(vec![cover]),
            TreeProblem::BadCover { .. }
        ));

        let mut unknown = stump(Feature::Designation, 0.0, 1.0);
        unknown.feature[0] = 7;
        assert!(matches!(
            Ensemble::compile(&Parameters {
                sub_models: parameters_with(vec![])
                    .sub_models
                    .into_iter()
                    .map(|mut s| {
                        s.trees.push(unknown.clone());
                        s
                    })
                    .collect()
            }),
            Err(ArtifactError::InvalidTree {
                problem: TreeProblem::UnknownFeature { index: 7 },
                ..
            })
        ));

        let orphan = tree(
            vec![-1, -1],
            vec![0.0; 2],
            vec![0; 2],
            vec![0; 2],
            vec![0.0; 2],
            vec![1; 2],
        );
        assert!(matches!(
            tree_problem(vec![orphan]),
            TreeProblem::Unreachable
        ));

        let decreasing = stump(Feature::MentalFatigue, 0.2, 0.1);
        assert!(matches!(
            tree_problem(vec![decreasing]),
            TreeProblem::NotMonotone {
                feature: "mental_fatigue",
                ..
            }
        ));
        // Decreasing in a feature that carries no promise is fine.
        assert!(
            Ensemble::compile(&parameters_with(vec![stump(Feature::RemoteWork, 0.2, 0.1)])).is_ok()
        );
    }

    #[test]
    fn a_sub_model_may_not_split_on_a_feature_its_pattern_lacks() {
        let mut parameters = parameters_with(vec![]);
        parameters.sub_models[0]
            .trees
            .push(stump(Feature::MentalFatigue, 0.0, 0.1));
        assert!(matches!(
            Ensemble::compile(&parameters),
            Err(ArtifactError::InvalidTree {
                sub_model: 0,
                problem: TreeProblem::FeatureNotUsed {
                    feature: "mental_fatigue"
                },
                ..
            })
        ));
    }

    #[test]
    fn sub_model_patterns_must_cover_each_case_once() {
        let mut missing = parameters_with(vec![]);
        missing.sub_models.pop();
        assert!(matches!(
            Ensemble::compile(&missing),
            Err(ArtifactError::MissingSubModel { .. })
        ));

        let mut duplicate = parameters_with(vec![]);
        duplicate.sub_models[1].uses = duplicate.sub_models[0].uses.clone();
        assert!(matches!(
            Ensemble::compile(&duplicate),
            Err(ArtifactError::DuplicateSubModel { sub_model: 1, .. })
        ));

        let mut gender = parameters_with(vec![]);
        gender.sub_models[0].uses.push("gender".into());
        assert!(matches!(
            Ensemble::compile(&gender),
            Err(ArtifactError::UnexpectedSubModel { sub_model: 0, .. })
        ));

        let mut nan = parameters_with(vec![]);
        nan.sub_models[2].base_score = f64::INFINITY;
        assert!(matches!(
            Ensemble::compile(&nan),
            Err(ArtifactError::NonFiniteBaseScore { sub_model: 2 })
        ));
    }
}
