//! What could help, for an assessment: the one place that decides which suggestions the apps
//! show, and in which order. The apps only turn each [`RiskSuggestion`] into text
//! (`docs/RISK_MODEL.md`, "What could help").

use serde::Serialize;

use super::assess::{FactorKind, RiskAssessment, RiskFactor};

/// At most this many suggestions come from the reasons: a few ideas, not a to-do list.
pub const MAX_FACTOR_SUGGESTIONS: usize = 3;

/// Something a person could do. Serialised as a stable snake_case key the apps translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskSuggestion {
    /// Plan real rest: an evening without work, an early night (fatigue).
    Rest,
    /// A regular bedtime, no work late in the evening (short sleep).
    ProtectSleep,
    /// End the working day on time (long days, long weeks).
    EndTheDayOnTime,
    /// Switch off work notifications after hours (after-hours work).
    SwitchOffAfterHours,
    /// Plan a full day off (no recovery, work on days off).
    TakeADayOff,
    /// Talk with the manager about priorities and deadlines (overdue tasks).
    TalkAboutWorkload,
    /// Pause for a few slow breaths or a short walk (stress).
    PauseAndBreathe,
    /// Keep in touch with colleagues (remote work).
    StayConnected,
    /// Regular breaks and time for oneself: the general idea when no reason calls for another.
    KeepBreaks,
    /// Someone to talk to (a colleague, someone close, HR, a psychologist): always offered, last.
    TalkToSomeone,
}

/// Every suggestion, in a stable order (for the apps' translation checks).
pub const ALL_SUGGESTIONS: [RiskSuggestion; 10] = [
    RiskSuggestion::Rest,
    RiskSuggestion::ProtectSleep,
    RiskSuggestion::EndTheDayOnTime,
    RiskSuggestion::SwitchOffAfterHours,
    RiskSuggestion::TakeADayOff,
    RiskSuggestion::TalkAboutWorkload,
    RiskSuggestion::PauseAndBreathe,
    RiskSuggestion::StayConnected,
    RiskSuggestion::KeepBreaks,
    RiskSuggestion::TalkToSomeone,
];

impl RiskSuggestion {
    /// The stable snake_case key (as serialised).
    pub fn key(self) -> &'static str {
        match self {
            RiskSuggestion::Rest => "rest",
            RiskSuggestion::ProtectSleep => "protect_sleep",
            RiskSuggestion::EndTheDayOnTime => "end_the_day_on_time",
            RiskSuggestion::SwitchOffAfterHours => "switch_off_after_hours",
            RiskSuggestion::TakeADayOff => "take_a_day_off",
            RiskSuggestion::TalkAboutWorkload => "talk_about_workload",
            RiskSuggestion::PauseAndBreathe => "pause_and_breathe",
            RiskSuggestion::StayConnected => "stay_connected",
            RiskSuggestion::KeepBreaks => "keep_breaks",
            RiskSuggestion::TalkToSomeone => "talk_to_someone",
        }
    }

    /// What could help with a reason, if it is something the person can act on (the
    /// qualification level is not).
    pub fn for_factor(kind: FactorKind) -> Option<RiskSuggestion> {
        Some(match kind {
            FactorKind::Fatigue => RiskSuggestion::Rest,
            FactorKind::ShortSleep => RiskSuggestion::ProtectSleep,
            FactorKind::WorkHours | FactorKind::LongWeeks => RiskSuggestion::EndTheDayOnTime,
            FactorKind::AfterHoursWork => RiskSuggestion::SwitchOffAfterHours,
            FactorKind::NoRecovery | FactorKind::WeekendWork => RiskSuggestion::TakeADayOff,
            FactorKind::OverdueTasks => RiskSuggestion::TalkAboutWorkload,
            FactorKind::Stress => RiskSuggestion::PauseAndBreathe,
            FactorKind::RemoteWork => RiskSuggestion::StayConnected,
            FactorKind::BurnoutQuestionnaire => RiskSuggestion::TalkToSomeone,
            FactorKind::QualificationLevel => return None,
        })
    }
}

/// The suggestions for a score and its factors (largest first, as the assessment orders them):
/// one for each reason that raises the score, in that order, without repeats and at most
/// [`MAX_FACTOR_SUGGESTIONS`]; [`RiskSuggestion::KeepBreaks`] when no reason calls for one (also
/// while there is not enough data to score); and always, last, [`RiskSuggestion::TalkToSomeone`].
/// The level does not change the list: the apps' wording above it does, without alarm.
pub fn suggestions(score: Option<f64>, factors: &[RiskFactor]) -> Vec<RiskSuggestion> {
    let mut out: Vec<RiskSuggestion> = Vec::new();
    if score.is_some() {
        for s in factors.iter().filter(|f| f.contribution > 0.0).filter_map(|f| RiskSuggestion::for_factor(f.kind)) {
            if s != RiskSuggestion::TalkToSomeone && !out.contains(&s) {
                out.push(s);
            }
            if out.len() == MAX_FACTOR_SUGGESTIONS {
                break;
            }
        }
    }
    if out.is_empty() {
        out.push(RiskSuggestion::KeepBreaks);
    }
    out.push(RiskSuggestion::TalkToSomeone);
    out
}

impl RiskAssessment {
    /// What could help, in the order to show (see [`suggestions`]).
    pub fn suggestions(&self) -> Vec<RiskSuggestion> {
        suggestions(self.score, &self.factors)
    }
}

impl crate::store::RiskHistoryEntry {
    /// What could help, by the same rule as for a fresh assessment.
    pub fn suggestions(&self) -> Vec<RiskSuggestion> {
        suggestions(self.score, &self.factors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::FactorSource;

    fn f(kind: FactorKind, contribution: f64) -> RiskFactor {
        RiskFactor { kind, value: 1.0, contribution, source: FactorSource::Literature }
    }

    #[test]
    fn not_enough_data_gives_the_general_idea_and_someone_to_talk_to() {
        assert_eq!(suggestions(None, &[]), [RiskSuggestion::KeepBreaks, RiskSuggestion::TalkToSomeone]);
        // Factors without a score are not reasons yet.
        assert_eq!(suggestions(None, &[f(FactorKind::Fatigue, 0.2)]), [RiskSuggestion::KeepBreaks, RiskSuggestion::TalkToSomeone]);
    }

    #[test]
    fn each_raising_reason_brings_its_suggestion_in_the_factors_order() {
        let factors = [
            f(FactorKind::ShortSleep, 0.05),
            f(FactorKind::QualificationLevel, 0.04), // nothing to do about it
            f(FactorKind::RemoteWork, -0.03),        // lowers the score: no suggestion
            f(FactorKind::Fatigue, 0.02),
        ];
        assert_eq!(
            suggestions(Some(0.5), &factors),
            [RiskSuggestion::ProtectSleep, RiskSuggestion::Rest, RiskSuggestion::TalkToSomeone]
        );
    }

    #[test]
    fn repeats_are_dropped_and_at_most_three_come_from_reasons() {
        let factors = [
            f(FactorKind::WorkHours, 0.1),
            f(FactorKind::LongWeeks, 0.08), // same idea as work hours
            f(FactorKind::BurnoutQuestionnaire, 0.07), // talking to someone is always last
            f(FactorKind::NoRecovery, 0.06),
            f(FactorKind::OverdueTasks, 0.05),
            f(FactorKind::Stress, 0.04),
        ];
        assert_eq!(
            suggestions(Some(0.7), &factors),
            [
                RiskSuggestion::EndTheDayOnTime,
                RiskSuggestion::TakeADayOff,
                RiskSuggestion::TalkAboutWorkload,
                RiskSuggestion::TalkToSomeone
            ]
        );
    }

    #[test]
    fn a_score_with_no_raising_reason_gives_the_general_idea() {
        assert_eq!(
            suggestions(Some(0.1), &[f(FactorKind::Fatigue, -0.1)]),
            [RiskSuggestion::KeepBreaks, RiskSuggestion::TalkToSomeone]
        );
        assert_eq!(
            suggestions(Some(0.3), &[f(FactorKind::BurnoutQuestionnaire, 0.1)]),
            [RiskSuggestion::KeepBreaks, RiskSuggestion::TalkToSomeone]
        );
    }

    #[test]
    fn keys_are_the_serialised_names_and_every_factor_is_covered() {
        for s in ALL_SUGGESTIONS {
            assert_eq!(serde_json::to_value(s).unwrap(), s.key());
        }
        for kind in [
            FactorKind::Fatigue,
            FactorKind::WorkHours,
            FactorKind::RemoteWork,
            FactorKind::AfterHoursWork,
            FactorKind::LongWeeks,
            FactorKind::NoRecovery,
            FactorKind::WeekendWork,
            FactorKind::OverdueTasks,
            FactorKind::BurnoutQuestionnaire,
            FactorKind::ShortSleep,
            FactorKind::Stress,
        ] {
            assert!(RiskSuggestion::for_factor(kind).is_some(), "{kind:?} has no suggestion");
        }
    }
}
