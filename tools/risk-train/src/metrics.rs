//! Regression and low/medium/high classification metrics of burn-rate predictions.

pub use qamqor_risk_model::artifact::Metrics;

/// Burn Rate below this is "low".
pub const MEDIUM_FROM: f64 = 0.4;
/// Burn Rate from this up is "high".
pub const HIGH_FROM: f64 = 0.6;

/// The evaluation class of a burn rate: 0 low (< 0.4), 1 medium (0.4..0.6), 2 high (>= 0.6).
pub fn burn_class(burn_rate: f64) -> usize {
    if burn_rate < MEDIUM_FROM {
        0
    } else if burn_rate < HIGH_FROM {
        1
    } else {
        2
    }
}

/// Scores predictions against targets; `None` when there is no row.
///
/// R² is `1 - SSE/SST`; when the targets do not vary it is 1 for a perfect fit and 0
/// otherwise (scikit-learn's convention). Macro-F1 averages F1 over the classes that occur in
/// the targets or the predictions.
pub fn evaluate(predicted: &[f64], actual: &[f64]) -> Option<Metrics> {
    let n = predicted.len().min(actual.len());
    if n == 0 {
        return None;
    }
    let mean = actual[..n].iter().sum::<f64>() / n as f64;
    let mut sse = 0.0;
    let mut sst = 0.0;
    let mut correct = 0usize;
    // confusion[truth][predicted]
    let mut confusion = [[0usize; 3]; 3];
    for (&p, &y) in predicted.iter().zip(actual) {
        sse += (p - y) * (p - y);
        sst += (y - mean) * (y - mean);
        let (truth, guess) = (burn_class(y), burn_class(p));
        confusion[truth][guess] += 1;
        correct += usize::from(truth == guess);
    }
    let r2 = if sst > 0.0 {
        1.0 - sse / sst
    } else if sse == 0.0 {
        1.0
    } else {
        0.0
    };
    let mut f1_sum = 0.0;
    let mut classes = 0;
    for class in 0..3 {
        let true_positive = confusion[class][class] as f64;
        let actual_count: usize = confusion[class].iter().sum();
        let predicted_count: usize = confusion.iter().map(|row| row[class]).sum();
        if actual_count + predicted_count == 0 {
            continue;
        }
        classes += 1;
        f1_sum += 2.0 * true_positive / (actual_count + predicted_count) as f64;
    }
    Some(Metrics {
        rows: n as u64,
        r2,
        rmse: (sse / n as f64).sqrt(),
        accuracy: correct as f64 / n as f64,
        macro_f1: f1_sum / classes as f64,
    })
}

/// The `rows=N r2=X rmse=X accuracy=X macro_f1=X` summary line, four decimals each.
pub fn summary_line(metrics: &Metrics) -> String {
    format!(
        "rows={} r2={:.4} rmse={:.4} accuracy={:.4} macro_f1={:.4}",
        metrics.rows, metrics.r2, metrics.rmse, metrics.accuracy, metrics.macro_f1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_thresholds() {
        assert_eq!(
            [0.0, 0.39, 0.4, 0.59, 0.6, 1.0].map(burn_class),
            [0, 0, 1, 1, 2, 2]
        );
    }

    #[test]
    fn metrics_match_hand_computation() {
        let actual = [0.1, 0.5, 0.9, 0.3];
        let predicted = [0.2, 0.5, 0.7, 0.45];
        let m = evaluate(&predicted, &actual).unwrap();
        // SSE = 0.01 + 0 + 0.04 + 0.0225 = 0.0725; mean 0.45, SST = 0.1225+0.0025+0.2025+0.0225.
        assert!((m.r2 - (1.0 - 0.0725 / 0.35)).abs() < 1e-12);
        assert!((m.rmse - (0.0725f64 / 4.0).sqrt()).abs() < 1e-12);
        // Classes: truth [L, M, H, L], predicted [L, M, H, M]: 3 of 4 right.
        assert_eq!(m.accuracy, 0.75);
        // F1: low 2*1/(2+1), medium 2*1/(1+2), high 1.
        assert!((m.macro_f1 - (2.0 / 3.0 + 2.0 / 3.0 + 1.0) / 3.0).abs() < 1e-12);
        assert_eq!(
            summary_line(&m),
            "rows=4 r2=0.7929 rmse=0.1346 accuracy=0.7500 macro_f1=0.7778"
        );
    }

    #[test]
    fn degenerate_inputs_do_not_produce_nan() {
        assert!(evaluate(&[], &[]).is_none());
        let constant = evaluate(&[0.5, 0.5], &[0.5, 0.5]).unwrap();
        assert_eq!((constant.r2, constant.macro_f1), (1.0, 1.0));
        assert_eq!(evaluate(&[0.4], &[0.5]).unwrap().r2, 0.0);
    }
}
