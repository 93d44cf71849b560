//! The employee's records, as the core hands them to the apps.

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// The languages the apps and panel speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Kk,
    Ru,
    En,
}

impl Language {
    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Language::Kk => "kk",
            Language::Ru => "ru",
            Language::En => "en",
        }
    }

    /// Parses an ISO 639-1 code (`kk`, `ru`, `en`).
    pub fn parse(code: &str) -> Option<Language> {
        match code {
            "kk" => Some(Language::Kk),
            "ru" => Some(Language::Ru),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// When a person is expected to work: the basis of overtime, after-hours and weekend work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkSchedule {
    /// Working days of the week (Monday..Sunday), in order, without repeats.
    pub working_days: Vec<Weekday>,
    /// Start of the working day, minutes after local midnight.
    pub start_minute: u16,
    /// End of the working day, minutes after local midnight (after `start_minute`).
    pub end_minute: u16,
    /// IANA time zone name, e.g. `Asia/Almaty`.
    pub time_zone: String,
}

impl Default for WorkSchedule {
    /// Monday to Friday, 09:00 to 18:00, Almaty time.
    fn default() -> Self {
        WorkSchedule {
            working_days: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
            start_minute: 9 * 60,
            end_minute: 18 * 60,
            time_zone: "Asia/Almaty".to_string(),
        }
    }
}

/// The employee's professional profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub department: String,
    pub position: String,
    /// National qualification framework level, 1 to 8, when known.
    pub qualification_level: Option<u8>,
    pub schedule: WorkSchedule,
    pub remote_work: bool,
    pub language: Language,
    /// Whether a profile photo is stored (fetch it with `profile_photo`).
    pub has_photo: bool,
    /// When the profile was last changed; `None` until the person fills it in.
    pub updated_at: Option<DateTime<Utc>>,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            name: String::new(),
            department: String::new(),
            position: String::new(),
            qualification_level: None,
            schedule: WorkSchedule::default(),
            remote_work: false,
            language: Language::Ru,
            has_photo: false,
            updated_at: None,
        }
    }
}

/// The editable part of the profile (the photo has its own pipeline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileInput {
    pub name: String,
    pub department: String,
    pub position: String,
    pub qualification_level: Option<u8>,
    pub schedule: WorkSchedule,
    pub remote_work: bool,
    pub language: Language,
}

impl From<&Profile> for ProfileInput {
    fn from(p: &Profile) -> Self {
        ProfileInput {
            name: p.name.clone(),
            department: p.department.clone(),
            position: p.position.clone(),
            qualification_level: p.qualification_level,
            schedule: p.schedule.clone(),
            remote_work: p.remote_work,
            language: p.language,
        }
    }
}

/// How a work session was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionSource {
    /// Started and stopped with the timer.
    Timer,
    /// Entered afterwards.
    Manual,
}

impl SessionSource {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SessionSource::Timer => "timer",
            SessionSource::Manual => "manual",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<SessionSource> {
        match s {
            "timer" => Some(SessionSource::Timer),
            "manual" => Some(SessionSource::Manual),
            _ => None,
        }
    }
}

/// A span of work. `ended_at` is `None` while the timer runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkSession {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub source: SessionSource,
    pub note: Option<String>,
    /// Minutes worked (up to now while the timer runs).
    pub minutes: i64,
    /// Minutes outside the working hours of working days, per the person's schedule.
    pub after_hours_minutes: i64,
    /// Minutes on days that are not working days.
    pub weekend_minutes: i64,
}

/// The life cycle of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Todo,
    InProgress,
    Done,
    Cancelled,
}

impl TaskStatus {
    /// The stable name stored and sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Todo => "todo",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<TaskStatus> {
        match s {
            "todo" => Some(TaskStatus::Todo),
            "in_progress" => Some(TaskStatus::InProgress),
            "done" => Some(TaskStatus::Done),
            "cancelled" => Some(TaskStatus::Cancelled),
            _ => None,
        }
    }

    /// Whether the task still needs work.
    pub fn is_open(self) -> bool {
        matches!(self, TaskStatus::Todo | TaskStatus::InProgress)
    }
}

/// A task on the person's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub title: String,
    pub notes: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub estimate_minutes: Option<u32>,
    pub status: TaskStatus,
    /// Who assigned it (a manager's name), or `None` for the person's own task.
    pub assigned_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// The fields of a new task, or of an edit to one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TaskInput {
    pub title: String,
    pub notes: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub estimate_minutes: Option<u32>,
    pub assigned_by: Option<String>,
}

/// The answers of a daily check-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInInput {
    /// 0 (none) to 10 (exhausted).
    pub fatigue: u8,
    /// 1 (calm) to 5 (very stressed).
    pub stress: u8,
    /// 1 (very bad) to 5 (very good).
    pub mood: u8,
    /// Hours slept last night, 0 to 24.
    pub sleep_hours: f64,
    pub note: Option<String>,
}

/// The check-in's scales: what [`Store::record_check_in`](crate::Store::record_check_in)
/// accepts, and so what apps offer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckInScales {
    /// Fatigue, lowest (none) to highest (exhausted).
    pub fatigue: (u8, u8),
    /// Stress, calm to very stressed.
    pub stress: (u8, u8),
    /// Mood, very bad to very good.
    pub mood: (u8, u8),
    /// Hours slept, 0 to this.
    pub sleep_hours_max: f64,
    /// The step a picker of hours slept moves by.
    pub sleep_hours_step: f64,
}

impl CheckInScales {
    /// The first answer off its scale, as (field, its range in words), if any.
    pub fn off_scale(&self, fatigue: u8, stress: u8, mood: u8, sleep_hours: f64) -> Option<(&'static str, String)> {
        let within = |v: u8, (low, high): (u8, u8)| (low..=high).contains(&v);
        let range = |(low, high): (u8, u8)| format!("{low} to {high}");
        if !within(fatigue, self.fatigue) {
            return Some(("fatigue", range(self.fatigue)));
        }
        if !within(stress, self.stress) {
            return Some(("stress", range(self.stress)));
        }
        if !within(mood, self.mood) {
            return Some(("mood", range(self.mood)));
        }
        if !sleep_hours.is_finite() || !(0.0..=self.sleep_hours_max).contains(&sleep_hours) {
            return Some(("sleep_hours", format!("0 to {} hours", self.sleep_hours_max)));
        }
        None
    }
}

/// The one set of check-in scales.
pub const CHECK_IN_SCALES: CheckInScales =
    CheckInScales { fatigue: (0, 10), stress: (1, 5), mood: (1, 5), sleep_hours_max: 24.0, sleep_hours_step: 0.5 };

/// A recorded daily check-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    pub id: String,
    /// The person's local day the check-in belongs to.
    pub local_date: NaiveDate,
    pub fatigue: u8,
    pub stress: u8,
    pub mood: u8,
    pub sleep_hours: f64,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
    /// True when a later check-in the same day replaced this one (kept as history).
    pub replaced: bool,
}

/// The app was opened on this local day, `open_count` times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppOpenDay {
    pub local_date: NaiveDate,
    pub open_count: u32,
    pub first_opened_at: DateTime<Utc>,
    pub last_opened_at: DateTime<Utc>,
}

/// A message from the person's manager, delivered by sync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub id: String,
    pub from_name: String,
    pub message: String,
    pub sent_at: DateTime<Utc>,
    /// When the person opened it on this device.
    pub read_at: Option<DateTime<Utc>>,
}

/// Where the person's request to delete their account and data is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeletionRequestStatus {
    /// Recorded on this phone; it reaches the organisation with the next sync.
    WaitingToSend,
    /// The server has it (this phone's sync delivered it, or it came from another of the
    /// person's phones); the organisation's admins see it.
    Received,
}

/// The person's request, from the privacy centre, to delete their account and data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeletionRequest {
    pub id: String,
    pub requested_at: DateTime<Utc>,
    pub status: DeletionRequestStatus,
}

pub use qamqor_protocol::PrivacyPolicy;

/// The organisation's settings as this device last received them: the phone shows the privacy
/// policy to the person and shares risk assessments accordingly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgSettings {
    pub organisation: String,
    pub privacy_policy: PrivacyPolicy,
    pub min_group_size: u32,
}

/// Gentle reminders the phone may show (each switchable off in the app).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nudges {
    /// Today is a working day and today's check-in is not done yet.
    pub check_in_due: bool,
    /// Today's work (a running timer included) is very long: the minutes so far.
    pub long_day_minutes: Option<i64>,
    /// No burnout questionnaire in the last 90 days: it is due.
    pub questionnaire_due: bool,
}
