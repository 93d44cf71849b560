//! What leaves the phone and who sees it: the privacy centre's content, derived from the
//! organisation's policy in one place, so the apps only render it (DESIGN invariant 5).

use serde::Serialize;

use crate::model::{OrgSettings, PrivacyPolicy};

/// A kind of data, for the privacy centre's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// Hours worked, overtime, after-hours and weekend work (from work sessions).
    WorkHours,
    /// Whether the daily check-in was done (its completion rate).
    CheckInCompletion,
    /// The check-in answers themselves (fatigue, stress, mood, sleep).
    CheckInAnswers,
    /// Tasks completed and overdue (counts).
    TaskCounts,
    /// Task titles and notes.
    TaskDetails,
    /// Days the app was used and syncs.
    AppActivity,
    /// Burnout questionnaire answers.
    Questionnaire,
    /// The burnout-risk level and score.
    RiskLevel,
    /// The factors behind the risk.
    RiskFactors,
    /// Profile fields (name, department, position, schedule).
    Profile,
    /// The profile photo.
    ProfilePhoto,
}

/// The privacy centre: who sees what, under the organisation's current policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrivacyView {
    /// The organisation's name, once received.
    pub organisation: Option<String>,
    /// The policy in force; `Aggregate` until the organisation's settings arrive (private by
    /// default).
    pub policy: PrivacyPolicy,
    /// Under the aggregate policy, the smallest group shown.
    pub min_group_size: u32,
    /// What the person's manager (and the organisation's admins) see about this person.
    pub manager_sees: Vec<DataKind>,
    /// What managers see only as figures of groups of at least `min_group_size` people.
    pub manager_sees_only_in_groups: Vec<DataKind>,
    /// Kept on the server only so the person's other devices get it; no manager sees it.
    pub stored_for_your_devices_only: Vec<DataKind>,
    /// Never leaves this phone.
    pub never_leaves_this_phone: Vec<DataKind>,
}

/// The privacy centre for the organisation's settings (`None`: not received yet).
pub fn view(settings: Option<&OrgSettings>) -> PrivacyView {
    use DataKind::*;
    let policy = settings.map_or(PrivacyPolicy::Aggregate, |s| s.privacy_policy);
    let individual = policy == PrivacyPolicy::Individual;
    let mut manager_sees = vec![Profile, WorkHours, CheckInCompletion, TaskCounts, AppActivity];
    let mut in_groups = Vec::new();
    let mut never = vec![ProfilePhoto];
    if individual {
        manager_sees.extend([RiskLevel, RiskFactors]);
    } else {
        in_groups.push(RiskLevel);
        never.push(RiskFactors);
    }
    PrivacyView {
        organisation: settings.map(|s| s.organisation.clone()),
        policy,
        min_group_size: settings.map_or(qamqor_protocol::MIN_GROUP_SIZE, |s| s.min_group_size),
        manager_sees,
        manager_sees_only_in_groups: in_groups,
        stored_for_your_devices_only: vec![CheckInAnswers, TaskDetails, Questionnaire],
        never_leaves_this_phone: never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_are_shown_to_the_manager_only_under_the_individual_policy() {
        let aggregate = view(None);
        assert_eq!(aggregate.policy, PrivacyPolicy::Aggregate, "private until the settings arrive");
        assert!(aggregate.manager_sees_only_in_groups.contains(&DataKind::RiskLevel));
        assert!(aggregate.never_leaves_this_phone.contains(&DataKind::RiskFactors));
        assert!(!aggregate.manager_sees.contains(&DataKind::RiskLevel));
        let s = OrgSettings { organisation: "Acme".into(), privacy_policy: PrivacyPolicy::Individual, min_group_size: 5 };
        let individual = view(Some(&s));
        assert!(individual.manager_sees.contains(&DataKind::RiskLevel));
        assert!(individual.manager_sees.contains(&DataKind::RiskFactors));
        assert!(!individual.never_leaves_this_phone.contains(&DataKind::RiskFactors));
        // The answers themselves are never shown to a manager under any policy.
        for v in [&aggregate, &individual] {
            assert!(!v.manager_sees.contains(&DataKind::CheckInAnswers));
            assert!(v.never_leaves_this_phone.contains(&DataKind::ProfilePhoto));
        }
    }
}
