//! The UniFFI facade over the Qamqor core: FFI-safe records and enums converted from the core's
//! types, one `QamqorCore` object opened on a database path, and an error enum a UI can act on.
//! Every exported method is a one-liner into the core plus conversions. Nothing here holds a
//! rule: validation, storage and statistics all live in `qamqor-core`.

use std::sync::Arc;
use std::time::SystemTime;

use chrono::{DateTime, NaiveDate, Utc};
use qamqor_core as core;

mod competencies;
mod error;
mod ratings;
mod risk;
mod sync;
mod types;

pub use competencies::*;
pub use error::{ApiError, ConflictKind, InvalidReason, SyncErrorKind};
pub use ratings::*;
pub use risk::*;
pub use sync::*;
pub use types::*;

uniffi::setup_scaffolding!();

type Result<T> = std::result::Result<T, ApiError>;

/// An instant from the app. Times chrono cannot represent (e.g. Kotlin's `Instant.MAX`) are
/// rejected with the field's name, never a panic.
fn utc(field: &str, t: SystemTime) -> Result<DateTime<Utc>> {
    let converted = match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).ok().and_then(|s| DateTime::from_timestamp(s, d.subsec_nanos())),
        Err(e) => {
            let d = e.duration();
            i64::try_from(d.as_secs()).ok().and_then(|s| DateTime::from_timestamp(-s, 0)).map(|t| t - chrono::Duration::nanoseconds(i64::from(d.subsec_nanos())))
        }
    };
    converted.ok_or_else(|| ApiError::InvalidInput {
        field: field.to_string(),
        reason: InvalidReason::OutOfRange,
        detail: "the time is outside the range the app can store".to_string(),
    })
}

fn date(field: &str, s: &str) -> Result<NaiveDate> {
    s.parse().map_err(|_| ApiError::InvalidInput {
        field: field.to_string(),
        reason: InvalidReason::BadFormat,
        detail: format!("'{s}' is not a date in the form YYYY-MM-DD"),
    })
}

fn map<T, U: From<T>>(v: Vec<T>) -> Vec<U> {
    v.into_iter().map(U::from).collect()
}

/// The employee's data on this device. Open one per database file and share it: every method
/// is safe to call from several threads at once.
#[derive(uniffi::Object)]
pub struct QamqorCore {
    store: Arc<core::Store>,
    syncer: core::Syncer,
    /// The running sync's cancel switch.
    cancel: std::sync::Mutex<core::CancelToken>,
}

#[uniffi::export]
impl QamqorCore {
    /// Opens (creating if needed) the database at `db_path` and brings it up to date.
    #[uniffi::constructor]
    pub fn open(db_path: String) -> Result<Arc<Self>> {
        let store = Arc::new(core::Store::open(db_path)?);
        Ok(Arc::new(QamqorCore { syncer: core::Syncer::new(store.clone()), store, cancel: Default::default() }))
    }

    /// This installation's id.
    pub fn device_id(&self) -> String {
        self.store.device_id().to_string()
    }

    /// The person's local date today, as YYYY-MM-DD.
    pub fn today(&self) -> String {
        self.store.today().to_string()
    }

    /// The instant of a wall-clock time `YYYY-MM-DDTHH:MM` in the person's time zone (their
    /// schedule's; daylight-saving gaps and overlaps resolved by the core). `field` names the
    /// input in an `InvalidInput` error (e.g. "started_at").
    pub fn local_time_to_instant(&self, field: String, local_time: String) -> Result<SystemTime> {
        Ok(self.store.local_time_to_instant(&field, &local_time)?.into())
    }

    // ---- profile ----

    /// The profile (defaults until filled in).
    pub fn profile(&self) -> Profile {
        self.store.profile().into()
    }

    /// Validates and saves the editable profile fields.
    pub fn update_profile(&self, input: ProfileInput) -> Result<Profile> {
        Ok(self.store.update_profile(&input.try_into()?)?.into())
    }

    /// Processes a picked or taken photo (JPEG, PNG or WebP) and stores it as the profile photo.
    pub fn set_profile_photo(&self, image: Vec<u8>) -> Result<Profile> {
        Ok(self.store.set_profile_photo(&image)?.into())
    }

    /// The stored profile photo as JPEG bytes, if any.
    pub fn profile_photo(&self) -> Result<Option<Vec<u8>>> {
        Ok(self.store.profile_photo()?)
    }

    /// Removes the profile photo.
    pub fn remove_profile_photo(&self) -> Result<Profile> {
        Ok(self.store.remove_profile_photo()?.into())
    }

    // ---- work sessions ----

    /// Starts the work timer now.
    pub fn start_timer(&self, note: Option<String>) -> Result<WorkSession> {
        Ok(self.store.start_timer(note.as_deref())?.into())
    }

    /// Stops the running timer now, or at `at` if the person forgot to stop it.
    pub fn stop_timer(&self, at: Option<SystemTime>) -> Result<WorkSession> {
        Ok(self.store.stop_timer(at.map(|t| utc("ended_at", t)).transpose()?)?.into())
    }

    /// The running timer, if any.
    pub fn running_session(&self) -> Result<Option<WorkSession>> {
        Ok(self.store.running_session()?.map(Into::into))
    }

    /// Records a past session by hand.
    pub fn add_session(&self, started_at: SystemTime, ended_at: SystemTime, note: Option<String>) -> Result<WorkSession> {
        Ok(self.store.add_session(utc("started_at", started_at)?, utc("ended_at", ended_at)?, note.as_deref())?.into())
    }

    /// Deletes a session recorded by mistake.
    pub fn delete_session(&self, id: String) -> Result<()> {
        Ok(self.store.delete_session(&id)?)
    }

    /// Sessions touching the local days `from`..=`to` (YYYY-MM-DD).
    pub fn sessions(&self, from: String, to: String) -> Result<Vec<WorkSession>> {
        Ok(map(self.store.sessions(date("from", &from)?, date("to", &to)?)?))
    }

    // ---- tasks ----

    /// Adds a task.
    pub fn add_task(&self, input: TaskInput) -> Result<WorkTask> {
        Ok(self.store.add_task(&input.try_into()?)?.into())
    }

    /// Edits a task's fields.
    pub fn edit_task(&self, id: String, input: TaskInput) -> Result<WorkTask> {
        Ok(self.store.edit_task(&id, &input.try_into()?)?.into())
    }

    /// Moves a task to a status.
    pub fn set_task_status(&self, id: String, status: TaskStatus) -> Result<WorkTask> {
        Ok(self.store.set_task_status(&id, status.into())?.into())
    }

    /// One task.
    pub fn task(&self, id: String) -> Result<WorkTask> {
        Ok(self.store.task(&id)?.into())
    }

    /// Tasks, optionally of one status; open ones first by due date.
    pub fn tasks(&self, status: Option<TaskStatus>) -> Result<Vec<WorkTask>> {
        Ok(map(self.store.tasks(status.map(Into::into))?))
    }

    // ---- check-ins ----

    /// Records today's check-in (replacing an earlier one today, which stays in history).
    pub fn record_check_in(&self, input: CheckInInput) -> Result<CheckIn> {
        Ok(self.store.record_check_in(&input.into())?.into())
    }

    /// Today's check-in, if done.
    pub fn todays_check_in(&self) -> Result<Option<CheckIn>> {
        Ok(self.store.todays_check_in()?.map(Into::into))
    }

    /// The current check-in of each day in `from`..=`to`.
    pub fn check_ins(&self, from: String, to: String) -> Result<Vec<CheckIn>> {
        Ok(map(self.store.check_ins(date("from", &from)?, date("to", &to)?)?))
    }

    /// Every version of the check-ins of `from`..=`to`, replaced ones included.
    pub fn check_in_history(&self, from: String, to: String) -> Result<Vec<CheckIn>> {
        Ok(map(self.store.check_in_history(date("from", &from)?, date("to", &to)?)?))
    }

    // ---- questionnaire ----

    /// Scores and stores a Copenhagen Burnout Inventory response: 19 answers, 0..=4 or null.
    pub fn record_cbi(&self, answers: Vec<Option<u8>>) -> Result<CbiResponse> {
        Ok(self.store.record_cbi(&answers)?.into())
    }

    /// All questionnaire responses, oldest first.
    pub fn cbi_responses(&self) -> Result<Vec<CbiResponse>> {
        Ok(map(self.store.cbi_responses()?))
    }

    // ---- activity ----

    /// Call when the app comes to the foreground: counts the days it is used.
    pub fn record_app_open(&self) -> Result<AppOpenDay> {
        Ok(self.store.record_app_open()?.into())
    }

    /// Days the app was opened in `from`..=`to`.
    pub fn app_open_days(&self, from: String, to: String) -> Result<Vec<AppOpenDay>> {
        Ok(map(self.store.app_open_days(date("from", &from)?, date("to", &to)?)?))
    }

    // ---- statistics ----

    /// Today, this week, the last 7 days and the last 12 weeks, with streaks.
    pub fn stats_overview(&self) -> Result<StatsOverview> {
        Ok(self.store.stats_overview()?.into())
    }

    /// Statistics of each local day in `from`..=`to`.
    pub fn day_stats(&self, from: String, to: String) -> Result<Vec<DayStats>> {
        Ok(map(self.store.day_stats(date("from", &from)?, date("to", &to)?)?))
    }

    /// Statistics of one ISO week.
    pub fn week_stats(&self, iso_year: i32, iso_week: u32) -> Result<WeekStats> {
        Ok(self.store.week_stats(iso_year, iso_week)?.into())
    }

    // ---- burnout risk ----

    /// Assesses the burnout risk now from this person's own data (on the device, no network),
    /// and keeps it as today's entry of the history.
    pub fn assess_risk(&self) -> Result<RiskAssessment> {
        Ok(self.store.assess_risk()?.into())
    }

    /// The newest kept assessment, read without assessing or writing (null before the first):
    /// for screens that only show the risk.
    pub fn latest_risk_assessment(&self) -> Result<Option<RiskHistoryEntry>> {
        Ok(self.store.latest_risk_assessment()?.map(Into::into))
    }

    /// The latest `limit` daily assessments, newest first.
    pub fn risk_history(&self, limit: u32) -> Result<Vec<RiskHistoryEntry>> {
        Ok(map(self.store.risk_history(limit)?))
    }

    /// Version of the risk model in use.
    pub fn risk_model_version(&self) -> Result<String> {
        Ok(self.store.risk_model()?.version().to_string())
    }

    /// Installs a newer model artifact (delivered by sync); a bad or older one is rejected
    /// with the reason and the current model stays. Returns the version now in use.
    pub fn install_risk_model(&self, artifact: Vec<u8>) -> Result<String> {
        Ok(self.store.install_risk_model(&artifact)?)
    }

    // ---- sync and privacy ----

    /// Changes recorded on this device and not yet acknowledged by the server.
    pub fn pending_change_count(&self) -> Result<u64> {
        Ok(self.store.pending_change_count()?)
    }

    /// Signs in to the organisation's server (blocking: call off the main thread).
    pub fn sign_in(&self, server_url: String, email: String, password: String, device_name: String) -> Result<SyncAccount> {
        Ok(self.syncer.login(&server_url, &email, &password, &device_name)?.into())
    }

    /// Creates the account from an invitation code and signs in (blocking).
    pub fn register(&self, server_url: String, invite_code: String, email: String, name: String, password: String, device_name: String) -> Result<SyncAccount> {
        Ok(self.syncer.register(&server_url, &invite_code, &email, &name, &password, &device_name)?.into())
    }

    /// Signs out; local data and unsent changes stay (blocking).
    pub fn sign_out(&self) -> Result<()> {
        Ok(self.syncer.logout()?)
    }

    /// Pushes the changes waiting here, then pulls what is new, retrying transient failures
    /// (blocking: call off the main thread). `cancel_sync` stops it.
    pub fn sync(&self, observer: Option<Arc<dyn SyncObserver>>) -> Result<SyncReport> {
        let token = core::CancelToken::new();
        *self.cancel.lock().unwrap_or_else(|e| e.into_inner()) = token.clone();
        let report = match observer {
            Some(o) => self.syncer.sync(&Forward(o), &token),
            None => self.syncer.sync(&core::NoProgress, &token),
        };
        Ok(report?.into())
    }

    /// Cancels the running sync, if any (what completed stays done).
    pub fn cancel_sync(&self) {
        self.cancel.lock().unwrap_or_else(|e| e.into_inner()).cancel();
    }

    /// The sync state: signed in, pending changes, last success, last error (never blocks).
    pub fn sync_status(&self) -> Result<SyncStatus> {
        Ok(self.syncer.status()?.into())
    }

    /// Messages from the manager, newest first.
    pub fn feedback(&self) -> Result<Vec<Feedback>> {
        Ok(map(self.store.feedback()?))
    }

    /// Marks a message read.
    pub fn mark_feedback_read(&self, id: String) -> Result<()> {
        Ok(self.store.mark_feedback_read(&id)?)
    }

    /// The privacy centre: exactly what the manager sees about this person, under the policy.
    pub fn privacy_view(&self) -> Result<PrivacyView> {
        Ok(self.store.privacy_view()?.into())
    }

    /// Asks the organisation to delete the person's account and data: recorded here at once
    /// (offline first) and sent with the next sync; asking again returns the same request.
    pub fn request_deletion(&self) -> Result<DeletionRequest> {
        Ok(self.store.request_deletion()?.into())
    }

    /// The person's deletion request and where it is (null if they never asked).
    pub fn deletion_request(&self) -> Result<Option<DeletionRequest>> {
        Ok(self.store.deletion_request()?.map(Into::into))
    }

    /// Reminders due now: check-in not done on a working day, a very long day, questionnaire due.
    pub fn nudges(&self) -> Result<Nudges> {
        Ok(self.store.nudges()?.into())
    }

    /// The organisation's settings (privacy policy), once received.
    pub fn org_settings(&self) -> Result<Option<OrgSettings>> {
        Ok(self.store.org_settings()?.map(Into::into))
    }

    /// All of the person's data on this device as one JSON document.
    pub fn export_json(&self) -> Result<String> {
        Ok(core::export::to_json(&self.store.export()?)?)
    }

    /// All of the person's data as CSV files (one per kind of record).
    pub fn export_csv(&self) -> Result<Vec<ExportFile>> {
        Ok(map(core::export::to_csv(&self.store.export()?)?))
    }
}

/// The check-in's scales (fatigue 0-10, stress and mood 1-5, hours slept 0-24 by half hours):
/// the one definition the core validates by and the apps' pickers offer.
#[uniffi::export]
pub fn check_in_scales() -> CheckInScales {
    core::CHECK_IN_SCALES.into()
}

/// The questionnaire's 19 items in a language.
#[uniffi::export]
pub fn cbi_items(language: Language) -> Vec<CbiItem> {
    map(core::cbi_items(language.into()))
}

/// The five answer labels (least to most) for an item's answer kind, in a language.
#[uniffi::export]
pub fn cbi_answer_labels(kind: CbiAnswerKind, language: Language) -> Vec<String> {
    core::cbi_answer_labels(kind.into(), language.into()).iter().map(|s| s.to_string()).collect()
}
