//! Additive models for the family comparison: a linear model and a piecewise-linear GAM,
//! both fitted by least squares with non-negative slopes in resource allocation and fatigue
//! (so they are monotone like the shipped model).

use ndarray::{Array1, Array2};
use qamqor_risk_model::Feature;

/// Which additive family to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdditiveKind {
    /// One slope per feature.
    Linear,
    /// Designation as categories; resource allocation and fatigue as piecewise-linear shapes
    /// with a knot at every whole point of their scale; remote work as a shift.
    PiecewiseLinear,
}

/// A fitted additive model over the `uses` features.
#[derive(Debug, Clone)]
pub struct AdditiveModel {
    kind: AdditiveKind,
    uses: Vec<Feature>,
    coefficients: Array1<f64>,
}

/// Knots of the piecewise-linear shapes: unit segments over the dataset's ranges.
fn knots(feature: Feature) -> std::ops::Range<u32> {
    match feature {
        Feature::ResourceAllocation => 1..10,
        Feature::MentalFatigue => 0..10,
        _ => 0..0,
    }
}

/// Appends the basis of one row; `constrained` marks columns whose weight must be >= 0.
fn basis(
    kind: AdditiveKind,
    uses: &[Feature],
    row: &[Option<f64>; 4],
    out: &mut Vec<f64>,
    constrained: &mut Vec<bool>,
) {
    out.push(1.0);
    constrained.push(false);
    for &feature in uses {
        let x = row[feature.index()].unwrap_or(0.0);
        match (kind, feature) {
            (AdditiveKind::PiecewiseLinear, Feature::Designation) => {
                // One indicator per grade above 0.
                let grade = x.round().clamp(0.0, 5.0) as u32;
                for level in 1..=5 {
                    out.push(if grade == level { 1.0 } else { 0.0 });
                    constrained.push(false);
                }
            }
            (
                AdditiveKind::PiecewiseLinear,
                Feature::ResourceAllocation | Feature::MentalFatigue,
            ) => {
                // Ramps: each contributes the slope of its unit segment, so slopes >= 0 is
                // exactly "non-decreasing".
                for k in knots(feature) {
                    out.push((x - f64::from(k)).clamp(0.0, 1.0));
                    constrained.push(true);
                }
            }
            _ => {
                out.push(x);
                constrained.push(feature.is_monotone_increasing());
            }
        }
    }
}

impl AdditiveModel {
    /// Fits the model to the rows' `uses` features (all present in every row).
    pub fn fit(
        kind: AdditiveKind,
        uses: &[Feature],
        rows: &[[Option<f64>; 4]],
        targets: &[f64],
    ) -> AdditiveModel {
        let mut constrained = Vec::new();
        let mut flat = Vec::new();
        let mut width = 0;
        for row in rows {
            constrained.clear();
            basis(kind, uses, row, &mut flat, &mut constrained);
            width = constrained.len();
        }
        let n = rows.len();
        let design =
            Array2::from_shape_vec((n, width), flat).unwrap_or_else(|_| Array2::zeros((0, width)));
        let scale = 1.0 / n.max(1) as f64;
        let gram = design.t().dot(&design) * scale;
        let moment = design.t().dot(&Array1::from(targets[..n].to_vec())) * scale;
        let coefficients = nonnegative_least_squares(&gram, &moment, &constrained);
        AdditiveModel {
            kind,
            uses: uses.to_vec(),
            coefficients,
        }
    }

    /// The model's output for one row.
    pub fn predict(&self, row: &[Option<f64>; 4]) -> f64 {
        let mut x = Vec::with_capacity(self.coefficients.len());
        let mut constrained = Vec::new();
        basis(self.kind, &self.uses, row, &mut x, &mut constrained);
        Array1::from(x).dot(&self.coefficients)
    }
}

/// Minimises `b'Gb/2 - m'b` (least squares in normal-equation form) subject to `b_j >= 0`
/// where `constrained[j]`, by cyclic coordinate descent; a tiny ridge keeps it well posed.
fn nonnegative_least_squares(
    gram: &Array2<f64>,
    moment: &Array1<f64>,
    constrained: &[bool],
) -> Array1<f64> {
    const RIDGE: f64 = 1e-9;
    const SWEEPS: usize = 20_000;
    let p = moment.len();
    let mut beta = Array1::<f64>::zeros(p);
    for _ in 0..SWEEPS {
        let mut largest_step: f64 = 0.0;
        for j in 0..p {
            let diagonal = gram[[j, j]] + RIDGE;
            let residual = moment[j] - gram.row(j).dot(&beta) + gram[[j, j]] * beta[j];
            let mut updated = residual / diagonal;
            if constrained[j] {
                updated = updated.max(0.0);
            }
            largest_step = largest_step.max((updated - beta[j]).abs());
            beta[j] = updated;
        }
        if largest_step < 1e-12 {
            break;
        }
    }
    beta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_fit_recovers_coefficients() {
        let rows: Vec<[Option<f64>; 4]> = (0..200)
            .map(|i| {
                [
                    Some((i % 6) as f64),
                    Some((i % 10 + 1) as f64),
                    Some((i % 11) as f64),
                    Some((i % 2) as f64),
                ]
            })
            .collect();
        let targets: Vec<f64> = rows
            .iter()
            .map(|r| {
                0.1 + 0.05 * r[0].unwrap() + 0.02 * r[1].unwrap() + 0.04 * r[2].unwrap()
                    - 0.03 * r[3].unwrap()
            })
            .collect();
        let model = AdditiveModel::fit(AdditiveKind::Linear, &Feature::ALL, &rows, &targets);
        for (row, target) in rows.iter().zip(&targets) {
            assert!((model.predict(row) - target).abs() < 1e-6);
        }
    }

    #[test]
    fn slopes_of_monotone_features_stay_non_negative() {
        // The truth falls with fatigue; the constrained fit must flatten instead.
        let rows: Vec<[Option<f64>; 4]> = (0..=100)
            .map(|i| [Some(1.0), None, Some(i as f64 / 10.0), Some(0.0)])
            .collect();
        let targets: Vec<f64> = rows.iter().map(|r| 1.0 - 0.05 * r[2].unwrap()).collect();
        for kind in [AdditiveKind::Linear, AdditiveKind::PiecewiseLinear] {
            let model = AdditiveModel::fit(kind, &[Feature::MentalFatigue], &rows, &targets);
            let curve: Vec<f64> = rows.iter().map(|r| model.predict(r)).collect();
            assert!(curve.windows(2).all(|w| w[0] <= w[1] + 1e-12), "{kind:?}");
        }
    }
}
