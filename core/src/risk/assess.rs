//! The burnout-risk assessment the app shows: the trained model's score for what the dataset
//! covers, plus documented literature-based terms for what it does not, with every factor
//! explained. Pure functions; `docs/RISK_MODEL.md` documents every number here.

use chrono::{DateTime, Days, NaiveDate, Utc};
use qamqor_risk_model::{
    designation_from_qualification_level, mental_fatigue_from_check_in, resource_allocation_from_daily_hours, Feature, Model,
    ModelInput,
};
use serde::{Deserialize, Serialize};

use super::features::{extract, RiskData, RiskFeatures};

/// Scores below this are low risk.
pub const MEDIUM_FROM: f64 = 0.4;
/// Scores at or above this are high risk.
pub const HIGH_FROM: f64 = 0.6;
/// The least data that supports a score: this many check-ins in the last 14 days...
pub const MIN_CHECK_INS_14D: u32 = 3;
/// ...or a questionnaire answered within this many days.
pub const RECENT_CBI_DAYS: f64 = 30.0;
/// A change of the score this large against the previous weeks is a trend, not noise.
pub const TREND_THRESHOLD: f64 = 0.05;

/// The three levels the app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    /// The level of a score in [0, 1].
    pub fn of(score: f64) -> RiskLevel {
        if score >= HIGH_FROM {
            RiskLevel::High
        } else if score >= MEDIUM_FROM {
            RiskLevel::Medium
        } else {
            RiskLevel::Low
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<RiskLevel> {
        [RiskLevel::Low, RiskLevel::Medium, RiskLevel::High].into_iter().find(|l| l.as_str() == s)
    }
}

/// What a factor is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    /// Fatigue from the daily check-ins (7-day average), 0-10.
    Fatigue,
    /// Hours worked per working day.
    WorkHours,
    /// Qualification level 1-8.
    QualificationLevel,
    /// Remote work (1 yes, 0 no).
    RemoteWork,
    /// Minutes of after-hours work per week.
    AfterHoursWork,
    /// Hours of the longest week in the last four.
    LongWeeks,
    /// Longest run of days worked without a day off.
    NoRecovery,
    /// Days off worked in the last four weeks.
    WeekendWork,
    /// Share of open tasks past their due date.
    OverdueTasks,
    /// Highest of the personal and work-related CBI scores, 0-100.
    BurnoutQuestionnaire,
    /// Hours slept per night (7-day average).
    ShortSleep,
    /// Stress from the daily check-ins (7-day average), 1-5.
    Stress,
}

impl FactorKind {
    /// The stable snake_case name (as serialised), used when a factor is shared.
    pub fn key(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }
}

/// Whether a factor comes from the trained model or from a literature-based term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorSource {
    Model,
    Literature,
}

/// One reason behind the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskFactor {
    pub kind: FactorKind,
    /// The person's value, in the unit of the kind.
    pub value: f64,
    /// How much it moves the score (positive raises the risk).
    pub contribution: f64,
    pub source: FactorSource,
}

/// A literature-based term: `weight * clamp((x - from) / (to - from), 0, 1)`, never negative
/// and never decreasing as `x` gets worse, so the assessment stays monotone.
#[derive(Debug, Clone, Copy)]
pub struct Term {
    pub kind: FactorKind,
    pub from: f64,
    pub to: f64,
    pub weight: f64,
    /// True when lower values are worse (sleep).
    pub lower_is_worse: bool,
    pub source: &'static str,
}

/// The terms for what the dataset does not cover, with their sources (see docs/RISK_MODEL.md).
pub const TERMS: [Term; 8] = [
    Term {
        kind: FactorKind::AfterHoursWork,
        from: 68.0,
        to: 480.0,
        weight: 0.08,
        lower_is_worse: false,
        source: "after-hours work above ~68 min/week goes with markedly higher exhaustion; Derks & Bakker 2014, Applied Psychology 63(3)",
    },
    Term {
        kind: FactorKind::LongWeeks,
        from: 55.0,
        to: 70.0,
        weight: 0.08,
        lower_is_worse: false,
        source: "weeks of 55 h or more (WHO/ILO: Pega et al. 2021, Environment International 154); over 60 h with much higher exhaustion",
    },
    Term {
        kind: FactorKind::NoRecovery,
        from: 6.0,
        to: 13.0,
        weight: 0.06,
        lower_is_worse: false,
        source: "lack of recovery between work periods; Sonnentag & Fritz 2007, J Occup Health Psychol 12(3)",
    },
    Term {
        kind: FactorKind::WeekendWork,
        from: 1.0,
        to: 6.0,
        weight: 0.04,
        lower_is_worse: false,
        source: "work on days off cuts recovery; Sonnentag & Fritz 2015, J Organ Behav 36(S1)",
    },
    Term {
        kind: FactorKind::OverdueTasks,
        from: 0.2,
        to: 0.8,
        weight: 0.04,
        lower_is_worse: false,
        source: "sustained job demands drive exhaustion (JD-R model); Demerouti et al. 2001, J Appl Psychol 86(3)",
    },
    Term {
        kind: FactorKind::BurnoutQuestionnaire,
        from: 50.0,
        to: 75.0,
        weight: 0.12,
        lower_is_worse: false,
        source: "CBI scale score of 50 or more is read as high burnout; Kristensen et al. 2005, Work & Stress 19(3); Borritz et al. 2006",
    },
    Term {
        kind: FactorKind::ShortSleep,
        from: 6.0,
        to: 4.5,
        weight: 0.05,
        lower_is_worse: true,
        source: "insufficient sleep (< 6 h) predicts clinical burnout; Söderström et al. 2012, J Occup Health Psychol 17(2)",
    },
    Term {
        kind: FactorKind::Stress,
        from: 3.0,
        to: 5.0,
        weight: 0.04,
        lower_is_worse: false,
        source: "persistent self-reported stress precedes exhaustion; Maslach & Leiter 2016, World Psychiatry 15(2)",
    },
];

impl Term {
    /// The term's contribution for a value.
    pub fn apply(&self, x: f64) -> f64 {
        let t = if self.lower_is_worse { (self.from - x) / (self.from - self.to) } else { (x - self.from) / (self.to - self.from) };
        self.weight * t.clamp(0.0, 1.0)
    }

    fn input(&self, f: &RiskFeatures) -> Option<f64> {
        match self.kind {
            FactorKind::AfterHoursWork => f.after_hours_minutes_per_week,
            FactorKind::LongWeeks => f.max_week_hours,
            FactorKind::NoRecovery => f.days_without_break,
            FactorKind::WeekendWork => f.weekend_days_worked,
            FactorKind::OverdueTasks => f.overdue_ratio,
            FactorKind::BurnoutQuestionnaire => match (f.cbi_personal, f.cbi_work_related) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            },
            FactorKind::ShortSleep => f.sleep_7d,
            FactorKind::Stress => f.stress_7d,
            _ => None,
        }
    }
}

/// Data the assessment would benefit from, so the app can say what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingData {
    /// Fewer than three check-ins in the last two weeks.
    CheckIns,
    /// No work sessions in the last four weeks.
    WorkSessions,
    /// No qualification level in the profile.
    QualificationLevel,
    /// No questionnaire in the last 90 days.
    Questionnaire,
}

/// How much data the assessment rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataCoverage {
    pub days_of_history: u32,
    pub check_ins_last_14_days: u32,
    pub has_recent_questionnaire: bool,
    /// Features observed, out of `total_features`.
    pub observed_features: u32,
    pub total_features: u32,
}

/// The score of an earlier week, for the trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeeklyScore {
    pub as_of: NaiveDate,
    pub score: Option<f64>,
}

/// Where the score is heading against the person's own recent weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendDirection {
    Rising,
    Stable,
    Falling,
}

/// The change against the mean of the earlier weeks' scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskTrend {
    pub direction: TrendDirection,
    pub change: f64,
}

/// A full assessment. `score` and `level` are `None` when there is not enough data yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskAssessment {
    pub assessed_at: DateTime<Utc>,
    pub local_date: NaiveDate,
    pub score: Option<f64>,
    pub level: Option<RiskLevel>,
    /// The model's average prediction, before any factor.
    pub baseline: f64,
    /// Ordered by the size of their contribution, largest first.
    pub factors: Vec<RiskFactor>,
    /// Scores as of 1 to 4 weeks ago, most recent first.
    pub previous_weeks: Vec<WeeklyScore>,
    pub trend: Option<RiskTrend>,
    pub coverage: DataCoverage,
    pub missing: Vec<MissingData>,
    pub model_version: String,
    pub features: RiskFeatures,
}

/// Whether the features support a score at all.
pub fn enough_data(f: &RiskFeatures) -> bool {
    f.check_ins_last_14_days >= MIN_CHECK_INS_14D || f.cbi_age_days.is_some_and(|d| d <= RECENT_CBI_DAYS)
}

/// The model's input from the features (each mapping documented in `qamqor-risk-model`).
fn model_input(f: &RiskFeatures) -> ModelInput {
    ModelInput {
        designation: f.qualification_level.and_then(|l| designation_from_qualification_level(l as u8).ok()),
        resource_allocation: f.avg_daily_hours.and_then(|h| resource_allocation_from_daily_hours(h.min(24.0)).ok()),
        mental_fatigue: f.fatigue_7d.or(f.fatigue_latest).and_then(|x| mental_fatigue_from_check_in(x).ok()),
        remote_work: f.remote_work.map(|r| r > 0.5),
    }
}

/// Score and factors of one moment, or `None` without enough data.
///
/// Logged hours can raise the score above what the model predicts without them, never lower
/// it: a sparse or empty work log is not evidence of a light workload, and this keeps the
/// score monotone when the first sessions are logged.
pub fn score(f: &RiskFeatures, model: &Model) -> (Option<f64>, f64, Vec<RiskFactor>) {
    let with_hours = model.predict(&model_input(f));
    let prediction = if f.avg_daily_hours.is_some() {
        let without = model.predict(&ModelInput { resource_allocation: None, ..model_input(f) });
        let total = |p: &qamqor_risk_model::Prediction| p.baseline + p.contributions.iter().map(|c| c.contribution).sum::<f64>();
        if total(&without) > total(&with_hours) {
            without
        } else {
            with_hours
        }
    } else {
        with_hours
    };
    if !enough_data(f) {
        return (None, prediction.baseline, Vec::new());
    }
    let mut factors: Vec<RiskFactor> = prediction
        .contributions
        .iter()
        .filter_map(|c| {
            let (kind, value) = match c.feature {
                Feature::MentalFatigue => (FactorKind::Fatigue, f.fatigue_7d.or(f.fatigue_latest)?),
                Feature::ResourceAllocation => (FactorKind::WorkHours, f.avg_daily_hours?),
                Feature::Designation => (FactorKind::QualificationLevel, f.qualification_level?),
                Feature::RemoteWork => (FactorKind::RemoteWork, f.remote_work?),
            };
            Some(RiskFactor { kind, value, contribution: c.contribution, source: FactorSource::Model })
        })
        .collect();
    let mut total = prediction.baseline + prediction.contributions.iter().map(|c| c.contribution).sum::<f64>();
    for term in &TERMS {
        if let Some(x) = term.input(f) {
            let c = term.apply(x);
            total += c;
            if c > 0.0 {
                factors.push(RiskFactor { kind: term.kind, value: x, contribution: c, source: FactorSource::Literature });
            }
        }
    }
    factors.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
    (Some(total.clamp(0.0, 1.0)), prediction.baseline, factors)
}

/// Assesses the person as of `now`, with the scores of the four previous weeks for the trend.
pub fn assess(data: &RiskData, model: &Model, now: DateTime<Utc>) -> RiskAssessment {
    let features = extract(data, now);
    let (score_now, baseline, factors) = score(&features, model);
    let previous_weeks: Vec<WeeklyScore> = (1..=4)
        .map(|w| {
            // The same local time w weeks earlier, so the label and the data agree across DST.
            let then = data.schedule.days_before(now, 7 * w as u64);
            let f = extract(data, then);
            WeeklyScore { as_of: features.as_of - Days::new(7 * w as u64), score: score(&f, model).0 }
        })
        .collect();
    let earlier: Vec<f64> = previous_weeks.iter().filter_map(|w| w.score).collect();
    let trend = score_now.filter(|_| !earlier.is_empty()).map(|s| {
        let change = s - earlier.iter().sum::<f64>() / earlier.len() as f64;
        let direction = if change > TREND_THRESHOLD {
            TrendDirection::Rising
        } else if change < -TREND_THRESHOLD {
            TrendDirection::Falling
        } else {
            TrendDirection::Stable
        };
        RiskTrend { direction, change }
    });

    let mut missing = Vec::new();
    if features.check_ins_last_14_days < MIN_CHECK_INS_14D {
        missing.push(MissingData::CheckIns);
    }
    if features.avg_daily_hours.is_none() {
        missing.push(MissingData::WorkSessions);
    }
    if features.qualification_level.is_none() {
        missing.push(MissingData::QualificationLevel);
    }
    if features.cbi_age_days.is_none() {
        missing.push(MissingData::Questionnaire);
    }
    let named = features.named();
    RiskAssessment {
        assessed_at: now,
        local_date: features.as_of,
        score: score_now,
        level: score_now.map(RiskLevel::of),
        baseline,
        factors,
        previous_weeks,
        trend,
        coverage: DataCoverage {
            days_of_history: features.days_of_history,
            check_ins_last_14_days: features.check_ins_last_14_days,
            has_recent_questionnaire: features.cbi_age_days.is_some_and(|d| d <= RECENT_CBI_DAYS),
            observed_features: named.iter().filter(|(_, v)| v.is_some()).count() as u32,
            total_features: named.len() as u32,
        },
        missing,
        model_version: model.version().to_string(),
        features,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_use_the_documented_cut_points() {
        assert_eq!(RiskLevel::of(0.0), RiskLevel::Low);
        assert_eq!(RiskLevel::of(0.399), RiskLevel::Low);
        assert_eq!(RiskLevel::of(0.4), RiskLevel::Medium);
        assert_eq!(RiskLevel::of(0.6), RiskLevel::High);
        assert_eq!(RiskLevel::parse("high"), Some(RiskLevel::High));
    }

    #[test]
    fn terms_are_zero_below_their_threshold_and_never_decrease() {
        for term in &TERMS {
            assert!(term.weight > 0.0 && term.weight <= 0.12, "{:?}", term.kind);
            assert!(!term.source.is_empty());
            let (lo, hi) = if term.lower_is_worse { (term.to - 5.0, term.from + 5.0) } else { (term.from - 5.0, term.to + 100.0) };
            let steps: Vec<f64> = (0..=200).map(|i| lo + (hi - lo) * f64::from(i) / 200.0).collect();
            let values: Vec<f64> = steps.iter().map(|&x| term.apply(x)).collect();
            let worse_first: Vec<f64> = if term.lower_is_worse { values.clone() } else { values.iter().rev().copied().collect() };
            assert!(worse_first.windows(2).all(|w| w[0] >= w[1]), "{:?} not monotone", term.kind);
            assert_eq!(term.apply(term.from), 0.0);
            assert!((term.apply(term.to) - term.weight).abs() < 1e-12);
        }
        let after = TERMS.iter().find(|t| t.kind == FactorKind::AfterHoursWork).unwrap();
        assert_eq!(after.apply(60.0), 0.0, "under 68 minutes a week is not a risk factor");
        assert!(after.apply(200.0) > 0.0);
    }
}
