//! The shipped model never lowers the risk when fatigue or working hours go up, all else equal,
//! whichever features are missing.

use proptest::prelude::*;
use qamqor_risk_model::{Model, ModelInput};

/// Parsed once: loading validates the whole artifact, which is slow in debug builds.
fn model() -> &'static Model {
    static MODEL: std::sync::LazyLock<Model> =
        std::sync::LazyLock::new(|| Model::builtin().expect("the shipped artifact must validate"));
    &MODEL
}

/// `base` with only the features whose bit is set in `mask` kept (1 designation,
/// 2 resource allocation, 4 fatigue, 8 remote work).
fn masked(mask: u8, base: ModelInput) -> ModelInput {
    ModelInput {
        designation: base.designation.filter(|_| mask & 1 != 0),
        resource_allocation: base.resource_allocation.filter(|_| mask & 2 != 0),
        mental_fatigue: base.mental_fatigue.filter(|_| mask & 4 != 0),
        remote_work: base.remote_work.filter(|_| mask & 8 != 0),
    }
}

/// Values just outside, on and between the points the trees split at.
fn grid(low: f64, high: f64, step: f64) -> Vec<f64> {
    let count = ((high - low) / step).round() as usize;
    (0..=count).map(|i| low + i as f64 * step).collect()
}

/// The grid for a feature, or a single placeholder when the mask leaves it out (its value
/// is then ignored, so one pass is enough).
fn axis(present: bool, values: &[f64]) -> Vec<f64> {
    if present {
        values.to_vec()
    } else {
        vec![values[0]]
    }
}

#[test]
fn dense_grid_is_non_decreasing_in_fatigue_and_allocation_for_every_missing_pattern() {
    let model = model();
    let fatigues = grid(-0.5, 10.5, 0.05);
    let allocations = grid(0.0, 11.0, 0.25);
    let mut checked = 0usize;
    for mask in 0..16u8 {
        for designation in axis(mask & 1 != 0, &grid(0.0, 5.0, 0.5)) {
            for remote in axis(mask & 8 != 0, &[0.0, 1.0]) {
                let input = |allocation: f64, fatigue: f64| {
                    masked(
                        mask,
                        ModelInput {
                            designation: Some(designation),
                            resource_allocation: Some(allocation),
                            mental_fatigue: Some(fatigue),
                            remote_work: Some(remote == 1.0),
                        },
                    )
                };
                // Along fatigue, for each allocation.
                for &allocation in &axis(mask & 2 != 0, &allocations) {
                    let mut previous = f64::NEG_INFINITY;
                    for &fatigue in &fatigues {
                        let score = model.burn_rate(&input(allocation, fatigue));
                        assert!(
                            score >= previous,
                            "fatigue {fatigue} lowered the risk: {:?}",
                            input(allocation, fatigue)
                        );
                        previous = score;
                        checked += 1;
                    }
                }
                // Along allocation, for each fatigue.
                for &fatigue in &axis(mask & 4 != 0, &fatigues) {
                    let mut previous = f64::NEG_INFINITY;
                    for &allocation in &allocations {
                        let score = model.burn_rate(&input(allocation, fatigue));
                        assert!(
                            score >= previous,
                            "allocation {allocation} lowered the risk: {:?}",
                            input(allocation, fatigue)
                        );
                        previous = score;
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 500_000, "{checked}");
}

#[test]
fn explained_predictions_agree_with_the_fast_score() {
    let model = model();
    for mask in 0..16u8 {
        for fatigue in grid(0.0, 10.0, 0.7) {
            for allocation in grid(1.0, 10.0, 1.5) {
                let input = masked(
                    mask,
                    ModelInput {
                        designation: Some(2.0),
                        resource_allocation: Some(allocation),
                        mental_fatigue: Some(fatigue),
                        remote_work: Some(true),
                    },
                );
                let prediction = model.predict(&input);
                assert!((prediction.burn_rate - model.burn_rate(&input)).abs() < 1e-12);
            }
        }
    }
}

fn optional(range: std::ops::RangeInclusive<f64>) -> impl Strategy<Value = Option<f64>> {
    prop_oneof![1 => Just(None), 4 => range.prop_map(Some)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn more_fatigue_or_hours_never_lowers_the_risk(
        designation in optional(-1.0..=6.0),
        allocation in optional(0.0..=11.0),
        fatigue in optional(-1.0..=11.0),
        remote in prop_oneof![Just(None), Just(Some(false)), Just(Some(true))],
        more_fatigue in 0.0..=5.0f64,
        more_allocation in 0.0..=5.0f64,
    ) {
        let model = model();
        let base = ModelInput { designation, resource_allocation: allocation, mental_fatigue: fatigue, remote_work: remote };
        let before = model.burn_rate(&base);
        let tired = ModelInput { mental_fatigue: fatigue.map(|f| f + more_fatigue), ..base };
        let busy = ModelInput { resource_allocation: allocation.map(|a| a + more_allocation), ..base };
        let both = ModelInput { mental_fatigue: tired.mental_fatigue, ..busy };
        prop_assert!(model.burn_rate(&tired) >= before);
        prop_assert!(model.burn_rate(&busy) >= before);
        prop_assert!(model.burn_rate(&both) >= model.burn_rate(&busy));

        let prediction = model.predict(&base);
        prop_assert!((0.0..=1.0).contains(&prediction.burn_rate));
        let total = prediction.baseline + prediction.contributions.iter().map(|c| c.contribution).sum::<f64>();
        prop_assert!((total.clamp(0.0, 1.0) - prediction.burn_rate).abs() < 1e-9);
    }
}
