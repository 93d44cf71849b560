//! FFI records of the burnout-risk assessment.

use std::time::SystemTime;

use qamqor_core as core;
use qamqor_core::risk as r;

/// Risk levels: low (< 0.4), medium (0.4-0.6), high (>= 0.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl From<r::RiskLevel> for RiskLevel {
    fn from(l: r::RiskLevel) -> Self {
        match l {
            r::RiskLevel::Low => RiskLevel::Low,
            r::RiskLevel::Medium => RiskLevel::Medium,
            r::RiskLevel::High => RiskLevel::High,
        }
    }
}

/// What a factor is about (its value's unit is documented per kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum FactorKind {
    /// Fatigue, 7-day average of the check-ins, 0-10.
    Fatigue,
    /// Hours worked per working day.
    WorkHours,
    /// Qualification level 1-8.
    QualificationLevel,
    /// 1 = remote work, 0 = office.
    RemoteWork,
    /// Minutes of after-hours work per week.
    AfterHoursWork,
    /// Hours of the longest recent week.
    LongWeeks,
    /// Longest run of days worked without a day off.
    NoRecovery,
    /// Days off worked in the last four weeks.
    WeekendWork,
    /// Share of open tasks past their due date, 0-1.
    OverdueTasks,
    /// Highest personal or work-related CBI score, 0-100.
    BurnoutQuestionnaire,
    /// Hours slept per night, 7-day average.
    ShortSleep,
    /// Stress, 7-day average of the check-ins, 1-5.
    Stress,
}

impl From<r::FactorKind> for FactorKind {
    fn from(k: r::FactorKind) -> Self {
        use r::FactorKind as K;
        match k {
            K::Fatigue => FactorKind::Fatigue,
            K::WorkHours => FactorKind::WorkHours,
            K::QualificationLevel => FactorKind::QualificationLevel,
            K::RemoteWork => FactorKind::RemoteWork,
            K::AfterHoursWork => FactorKind::AfterHoursWork,
            K::LongWeeks => FactorKind::LongWeeks,
            K::NoRecovery => FactorKind::NoRecovery,
            K::WeekendWork => FactorKind::WeekendWork,
            K::OverdueTasks => FactorKind::OverdueTasks,
            K::BurnoutQuestionnaire => FactorKind::BurnoutQuestionnaire,
            K::ShortSleep => FactorKind::ShortSleep,
            K::Stress => FactorKind::Stress,
        }
    }
}

/// Whether a factor comes from the trained model or a literature-based term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum FactorSource {
    Model,
    Literature,
}

/// One reason behind the score.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RiskFactor {
    pub kind: FactorKind,
    /// The person's value, in the kind's unit.
    pub value: f64,
    /// How much it moves the score; positive raises the risk.
    pub contribution: f64,
    pub source: FactorSource,
}

impl From<r::RiskFactor> for RiskFactor {
    fn from(f: r::RiskFactor) -> Self {
        RiskFactor {
            kind: f.kind.into(),
            value: f.value,
            contribution: f.contribution,
            source: match f.source {
                r::FactorSource::Model => FactorSource::Model,
                r::FactorSource::Literature => FactorSource::Literature,
            },
        }
    }
}

/// Data that would let the assessment say more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum MissingData {
    CheckIns,
    WorkSessions,
    QualificationLevel,
    Questionnaire,
}

/// Direction of the score against the person's previous weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TrendDirection {
    Rising,
    Stable,
    Falling,
}

/// The change against the mean of the previous weeks' scores.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RiskTrend {
    pub direction: TrendDirection,
    pub change: f64,
}

/// The score as of an earlier week.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WeeklyScore {
    pub as_of: String,
    pub score: Option<f64>,
}

/// How much data the assessment rests on.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DataCoverage {
    pub days_of_history: u32,
    pub check_ins_last_14_days: u32,
    pub has_recent_questionnaire: bool,
    pub observed_features: u32,
    pub total_features: u32,
}

/// Something the person could do (translate in the app); the core decides which and in which order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RiskSuggestion {
    /// Plan real rest (fatigue).
    Rest,
    /// A regular bedtime, no late work (short sleep).
    ProtectSleep,
    /// End the working day on time (long days or weeks).
    EndTheDayOnTime,
    /// Switch off work notifications after hours (after-hours work).
    SwitchOffAfterHours,
    /// Plan a full day off (no recovery, work on days off).
    TakeADayOff,
    /// Talk with the manager about priorities (overdue tasks).
    TalkAboutWorkload,
    /// A few slow breaths or a short walk (stress).
    PauseAndBreathe,
    /// Keep in touch with colleagues (remote work).
    StayConnected,
    /// Regular breaks: the general idea when no reason calls for another.
    KeepBreaks,
    /// Someone to talk to: always offered, last.
    TalkToSomeone,
}

impl From<r::RiskSuggestion> for RiskSuggestion {
    fn from(s: r::RiskSuggestion) -> Self {
        use r::RiskSuggestion as S;
        match s {
            S::Rest => RiskSuggestion::Rest,
            S::ProtectSleep => RiskSuggestion::ProtectSleep,
            S::EndTheDayOnTime => RiskSuggestion::EndTheDayOnTime,
            S::SwitchOffAfterHours => RiskSuggestion::SwitchOffAfterHours,
            S::TakeADayOff => RiskSuggestion::TakeADayOff,
            S::TalkAboutWorkload => RiskSuggestion::TalkAboutWorkload,
            S::PauseAndBreathe => RiskSuggestion::PauseAndBreathe,
            S::StayConnected => RiskSuggestion::StayConnected,
            S::KeepBreaks => RiskSuggestion::KeepBreaks,
            S::TalkToSomeone => RiskSuggestion::TalkToSomeone,
        }
    }
}

/// A full assessment. `score` and `level` are null while there is not enough data yet.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RiskAssessment {
    pub assessed_at: SystemTime,
    pub local_date: String,
    pub score: Option<f64>,
    pub level: Option<RiskLevel>,
    pub baseline: f64,
    /// Largest contribution first.
    pub factors: Vec<RiskFactor>,
    /// 1 to 4 weeks ago, most recent first.
    pub previous_weeks: Vec<WeeklyScore>,
    pub trend: Option<RiskTrend>,
    pub coverage: DataCoverage,
    pub missing: Vec<MissingData>,
    /// What could help, in the order to show (the talk-to-someone option last).
    pub suggestions: Vec<RiskSuggestion>,
    pub model_version: String,
}

impl From<r::RiskAssessment> for RiskAssessment {
    fn from(a: r::RiskAssessment) -> Self {
        RiskAssessment {
            suggestions: a.suggestions().into_iter().map(Into::into).collect(),
            assessed_at: a.assessed_at.into(),
            local_date: a.local_date.to_string(),
            score: a.score,
            level: a.level.map(Into::into),
            baseline: a.baseline,
            factors: a.factors.into_iter().map(Into::into).collect(),
            previous_weeks: a.previous_weeks.into_iter().map(|w| WeeklyScore { as_of: w.as_of.to_string(), score: w.score }).collect(),
            trend: a.trend.map(|t| RiskTrend {
                direction: match t.direction {
                    r::TrendDirection::Rising => TrendDirection::Rising,
                    r::TrendDirection::Stable => TrendDirection::Stable,
                    r::TrendDirection::Falling => TrendDirection::Falling,
                },
                change: t.change,
            }),
            coverage: DataCoverage {
                days_of_history: a.coverage.days_of_history,
                check_ins_last_14_days: a.coverage.check_ins_last_14_days,
                has_recent_questionnaire: a.coverage.has_recent_questionnaire,
                observed_features: a.coverage.observed_features,
                total_features: a.coverage.total_features,
            },
            missing: a
                .missing
                .into_iter()
                .map(|m| match m {
                    r::MissingData::CheckIns => MissingData::CheckIns,
                    r::MissingData::WorkSessions => MissingData::WorkSessions,
                    r::MissingData::QualificationLevel => MissingData::QualificationLevel,
                    r::MissingData::Questionnaire => MissingData::Questionnaire,
                })
                .collect(),
            model_version: a.model_version,
        }
    }
}

/// A past daily assessment.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RiskHistoryEntry {
    pub local_date: String,
    pub assessed_at: SystemTime,
    pub score: Option<f64>,
    pub level: Option<RiskLevel>,
    pub model_version: String,
    pub factors: Vec<RiskFactor>,
    /// What could help, by the same rule as for a fresh assessment.
    pub suggestions: Vec<RiskSuggestion>,
}

impl From<core::RiskHistoryEntry> for RiskHistoryEntry {
    fn from(h: core::RiskHistoryEntry) -> Self {
        RiskHistoryEntry {
            suggestions: h.suggestions().into_iter().map(Into::into).collect(),
            local_date: h.local_date.to_string(),
            assessed_at: h.assessed_at.into(),
            score: h.score,
            level: h.level.map(Into::into),
            model_version: h.model_version,
            factors: h.factors.into_iter().map(Into::into).collect(),
        }
    }
}
