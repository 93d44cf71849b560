//! The fixed-seed shuffle split shared by the trainer and `risk-eval --holdout`.

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, well-mixed, fully specified generator, so
/// the split is the same on every platform and in every version of this tool.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform index below `bound` (> 0), by Lemire's multiply-shift.
    pub fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next_u64()) * bound as u128) >> 64) as usize
    }
}

/// Row indices of the training and held-out parts, each in ascending order.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// Rows to train on.
    pub train: Vec<usize>,
    /// Rows held out for evaluation.
    pub test: Vec<usize>,
}

/// Shuffles `0..rows` with `seed` (Fisher-Yates) and holds out the first
/// `round(rows * test_fraction)` of the shuffle.
pub fn holdout_split(rows: usize, seed: u64, test_fraction: f64) -> Split {
    let mut order: Vec<usize> = (0..rows).collect();
    let mut rng = SplitMix64::new(seed);
    for i in (1..rows).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let test_rows = ((rows as f64) * test_fraction.clamp(0.0, 1.0)).round() as usize;
    let mut test = order[..test_rows].to_vec();
    let mut train = order[test_rows..].to_vec();
    test.sort_unstable();
    train.sort_unstable();
    Split { train, test }
}

/// Assigns each of `rows` rows to one of `folds` cross-validation folds, by a seeded shuffle.
pub fn fold_assignment(rows: usize, folds: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows).collect();
    let mut rng = SplitMix64::new(seed);
    for i in (1..rows).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut fold_of = vec![0; rows];
    for (position, &row) in order.iter().enumerate() {
        fold_of[row] = position % folds.max(1);
    }
    fold_of
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // First outputs for seed 1234567 from the reference C implementation.
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn split_is_a_deterministic_partition() {
        let a = holdout_split(1_000, 7, 0.2);
        assert_eq!(a, holdout_split(1_000, 7, 0.2));
        assert_ne!(a, holdout_split(1_000, 8, 0.2));
        assert_eq!(a.test.len(), 200);
        let mut all: Vec<usize> = a.train.iter().chain(&a.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..1_000).collect::<Vec<_>>());
        assert_eq!(
            holdout_split(0, 7, 0.2),
            Split {
                train: vec![],
                test: vec![]
            }
        );
    }

    #[test]
    fn folds_are_balanced() {
        let folds = fold_assignment(103, 5, 3);
        for f in 0..5 {
            let size = folds.iter().filter(|&&x| x == f).count();
            assert!((20..=21).contains(&size));
        }
    }
}
