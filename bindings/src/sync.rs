//! Sign-in, sync and what arrives from the organisation, as the apps see them.

use std::time::SystemTime;

use qamqor_core as core;

/// What the sync is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SyncPhase {
    Pushing,
    Pulling,
    WaitingToRetry,
}

/// One progress report of a running sync.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SyncProgress {
    pub phase: SyncPhase,
    pub pushed: u64,
    pub to_push: u64,
    pub pulled: u64,
    pub attempt: u32,
    pub retry_in_ms: u64,
    pub last_error: Option<String>,
}

impl From<&core::SyncProgress> for SyncProgress {
    fn from(p: &core::SyncProgress) -> Self {
        SyncProgress {
            phase: match p.phase {
                core::SyncPhase::Pushing => SyncPhase::Pushing,
                core::SyncPhase::Pulling => SyncPhase::Pulling,
                core::SyncPhase::WaitingToRetry => SyncPhase::WaitingToRetry,
            },
            pushed: p.pushed,
            to_push: p.to_push,
            pulled: p.pulled,
            attempt: p.attempt,
            retry_in_ms: p.retry_in_ms,
            last_error: p.last_error.clone(),
        }
    }
}

/// Implemented by the app to follow a sync's progress (called on the syncing thread).
#[uniffi::export(with_foreign)]
pub trait SyncObserver: Send + Sync {
    fn on_progress(&self, progress: SyncProgress);
}

/// Adapts the app's observer to the core's.
pub(crate) struct Forward(pub std::sync::Arc<dyn SyncObserver>);

impl core::SyncObserver for Forward {
    fn on_progress(&self, progress: &core::SyncProgress) {
        self.0.on_progress(progress.into());
    }
}

/// A person's role in their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Role {
    Admin,
    Manager,
    Employee,
}

impl From<qamqor_core::sync::Role> for Role {
    fn from(r: qamqor_core::sync::Role) -> Self {
        match r {
            qamqor_core::sync::Role::Admin => Role::Admin,
            qamqor_core::sync::Role::Manager => Role::Manager,
            qamqor_core::sync::Role::Employee => Role::Employee,
        }
    }
}

/// The account this device syncs with.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SyncAccount {
    pub server_url: String,
    pub email: String,
    pub user_id: String,
    pub role: Role,
    pub signed_in_at: SystemTime,
}

impl From<core::Account> for SyncAccount {
    fn from(a: core::Account) -> Self {
        SyncAccount { server_url: a.server_url, email: a.email, user_id: a.user_id, role: a.role.into(), signed_in_at: a.signed_in_at.into() }
    }
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SyncReport {
    pub pushed: u64,
    pub pulled: u64,
    pub applied: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

impl From<core::SyncReport> for SyncReport {
    fn from(r: core::SyncReport) -> Self {
        SyncReport { pushed: r.pushed, pulled: r.pulled, applied: r.applied.applied, unchanged: r.applied.unchanged, rejected: r.applied.rejected }
    }
}

/// The sync state to show: pending changes, last success, last error.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SyncStatus {
    pub account: Option<SyncAccount>,
    pub signed_in: bool,
    pub pending_changes: u64,
    pub last_success_at: Option<SystemTime>,
    pub last_attempt_at: Option<SystemTime>,
    pub last_error_code: Option<String>,
    /// What the last error needs from the person (the core's reading of `last_error_code`).
    pub last_error_kind: Option<crate::SyncErrorKind>,
    pub last_error: Option<String>,
    pub rejected_changes: u64,
}

impl From<core::SyncStatus> for SyncStatus {
    fn from(s: core::SyncStatus) -> Self {
        SyncStatus {
            account: s.account.map(Into::into),
            signed_in: s.signed_in,
            pending_changes: s.pending_changes,
            last_success_at: s.last_success_at.map(Into::into),
            last_attempt_at: s.last_attempt_at.map(Into::into),
            last_error_code: s.last_error_code,
            last_error_kind: s.last_error_kind.map(Into::into),
            last_error: s.last_error,
            rejected_changes: s.rejected_changes,
        }
    }
}

/// A message from the person's manager.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Feedback {
    pub id: String,
    pub from_name: String,
    pub message: String,
    pub sent_at: SystemTime,
    pub read_at: Option<SystemTime>,
}

impl From<core::Feedback> for Feedback {
    fn from(f: core::Feedback) -> Self {
        Feedback { id: f.id, from_name: f.from_name, message: f.message, sent_at: f.sent_at.into(), read_at: f.read_at.map(Into::into) }
    }
}

/// Who in the organisation may see the person's risk level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PrivacyPolicy {
    /// The manager sees this person's level and its factors.
    Individual,
    /// Managers see only group figures, for groups of at least `min_group_size` people.
    Aggregate,
}

/// The organisation's settings, as last received.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct OrgSettings {
    pub organisation: String,
    pub privacy_policy: PrivacyPolicy,
    pub min_group_size: u32,
}

impl From<core::OrgSettings> for OrgSettings {
    fn from(s: core::OrgSettings) -> Self {
        OrgSettings {
            organisation: s.organisation,
            privacy_policy: match s.privacy_policy {
                core::PrivacyPolicy::Individual => PrivacyPolicy::Individual,
                core::PrivacyPolicy::Aggregate => PrivacyPolicy::Aggregate,
            },
            min_group_size: s.min_group_size,
        }
    }
}

/// A kind of data, for the privacy centre's lists (translate in the app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DataKind {
    WorkHours,
    CheckInCompletion,
    CheckInAnswers,
    TaskCounts,
    TaskDetails,
    AppActivity,
    Questionnaire,
    RiskLevel,
    RiskFactors,
    Profile,
    ProfilePhoto,
}

impl From<core::privacy::DataKind> for DataKind {
    fn from(k: core::privacy::DataKind) -> Self {
        use core::privacy::DataKind as K;
        match k {
            K::WorkHours => DataKind::WorkHours,
            K::CheckInCompletion => DataKind::CheckInCompletion,
            K::CheckInAnswers => DataKind::CheckInAnswers,
            K::TaskCounts => DataKind::TaskCounts,
            K::TaskDetails => DataKind::TaskDetails,
            K::AppActivity => DataKind::AppActivity,
            K::Questionnaire => DataKind::Questionnaire,
            K::RiskLevel => DataKind::RiskLevel,
            K::RiskFactors => DataKind::RiskFactors,
            K::Profile => DataKind::Profile,
            K::ProfilePhoto => DataKind::ProfilePhoto,
        }
    }
}

/// The privacy centre: exactly what the person's manager sees, under the current policy.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PrivacyView {
    pub organisation: Option<String>,
    pub policy: PrivacyPolicy,
    pub min_group_size: u32,
    pub manager_sees: Vec<DataKind>,
    pub manager_sees_only_in_groups: Vec<DataKind>,
    pub stored_for_your_devices_only: Vec<DataKind>,
    pub never_leaves_this_phone: Vec<DataKind>,
}

impl From<core::privacy::PrivacyView> for PrivacyView {
    fn from(v: core::privacy::PrivacyView) -> Self {
        let map = |v: Vec<core::privacy::DataKind>| v.into_iter().map(Into::into).collect();
        PrivacyView {
            organisation: v.organisation,
            policy: match v.policy {
                core::PrivacyPolicy::Individual => PrivacyPolicy::Individual,
                core::PrivacyPolicy::Aggregate => PrivacyPolicy::Aggregate,
            },
            min_group_size: v.min_group_size,
            manager_sees: map(v.manager_sees),
            manager_sees_only_in_groups: map(v.manager_sees_only_in_groups),
            stored_for_your_devices_only: map(v.stored_for_your_devices_only),
            never_leaves_this_phone: map(v.never_leaves_this_phone),
        }
    }
}

/// Gentle reminders due now (the app lets the person switch each off).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Nudges {
    pub check_in_due: bool,
    pub long_day_minutes: Option<i64>,
    pub questionnaire_due: bool,
}

impl From<core::Nudges> for Nudges {
    fn from(n: core::Nudges) -> Self {
        Nudges { check_in_due: n.check_in_due, long_day_minutes: n.long_day_minutes, questionnaire_due: n.questionnaire_due }
    }
}

/// Where the person's deletion request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DeletionRequestStatus {
    /// Recorded on this phone; it reaches the organisation with the next sync.
    WaitingToSend,
    /// The organisation's server has it; its admins see it.
    Received,
}

/// The person's request to delete their account and data (from the privacy centre).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DeletionRequest {
    pub id: String,
    pub requested_at: SystemTime,
    pub status: DeletionRequestStatus,
}

impl From<core::DeletionRequest> for DeletionRequest {
    fn from(r: core::DeletionRequest) -> Self {
        DeletionRequest {
            id: r.id,
            requested_at: r.requested_at.into(),
            status: match r.status {
                core::DeletionRequestStatus::WaitingToSend => DeletionRequestStatus::WaitingToSend,
                core::DeletionRequestStatus::Received => DeletionRequestStatus::Received,
            },
        }
    }
}
