//! FFI-safe records and enums, converted from and to the core's types. Instants cross the FFI
//! as `SystemTime` (java.time.Instant / Date); local dates as ISO strings (YYYY-MM-DD).

use std::time::SystemTime;

use chrono::{DateTime, NaiveDate, Utc};
use qamqor_core as core;

use crate::error::{ApiError, InvalidReason};

fn st(t: DateTime<Utc>) -> SystemTime {
    t.into()
}

fn iso(d: NaiveDate) -> String {
    d.to_string()
}

/// The languages the apps speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Language {
    Kk,
    Ru,
    En,
}

impl From<core::Language> for Language {
    fn from(l: core::Language) -> Self {
        match l {
            core::Language::Kk => Language::Kk,
            core::Language::Ru => Language::Ru,
            core::Language::En => Language::En,
        }
    }
}

impl From<Language> for core::Language {
    fn from(l: Language) -> Self {
        match l {
            Language::Kk => core::Language::Kk,
            Language::Ru => core::Language::Ru,
            Language::En => core::Language::En,
        }
    }
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl From<chrono::Weekday> for Weekday {
    fn from(d: chrono::Weekday) -> Self {
        use chrono::Weekday as W;
        match d {
            W::Mon => Weekday::Monday,
            W::Tue => Weekday::Tuesday,
            W::Wed => Weekday::Wednesday,
            W::Thu => Weekday::Thursday,
            W::Fri => Weekday::Friday,
            W::Sat => Weekday::Saturday,
            W::Sun => Weekday::Sunday,
        }
    }
}

impl From<Weekday> for chrono::Weekday {
    fn from(d: Weekday) -> Self {
        use chrono::Weekday as W;
        match d {
            Weekday::Monday => W::Mon,
            Weekday::Tuesday => W::Tue,
            Weekday::Wednesday => W::Wed,
            Weekday::Thursday => W::Thu,
            Weekday::Friday => W::Fri,
            Weekday::Saturday => W::Sat,
            Weekday::Sunday => W::Sun,
        }
    }
}

/// When the person is expected to work.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WorkSchedule {
    pub working_days: Vec<Weekday>,
    /// Minutes after local midnight.
    pub start_minute: u16,
    /// Minutes after local midnight; after `start_minute`.
    pub end_minute: u16,
    /// IANA time zone, e.g. Asia/Almaty.
    pub time_zone: String,
}

impl From<core::WorkSchedule> for WorkSchedule {
    fn from(s: core::WorkSchedule) -> Self {
        WorkSchedule {
            working_days: s.working_days.into_iter().map(Into::into).collect(),
            start_minute: s.start_minute,
            end_minute: s.end_minute,
            time_zone: s.time_zone,
        }
    }
}

impl From<WorkSchedule> for core::WorkSchedule {
    fn from(s: WorkSchedule) -> Self {
        core::WorkSchedule {
            working_days: s.working_days.into_iter().map(Into::into).collect(),
            start_minute: s.start_minute,
            end_minute: s.end_minute,
            time_zone: s.time_zone,
        }
    }
}

/// The employee's professional profile.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Profile {
    pub name: String,
    pub department: String,
    pub position: String,
    pub qualification_level: Option<u8>,
    pub schedule: WorkSchedule,
    pub remote_work: bool,
    pub language: Language,
    pub has_photo: bool,
    /// `None` until the person fills the profile in.
    pub updated_at: Option<SystemTime>,
}

impl From<core::Profile> for Profile {
    fn from(p: core::Profile) -> Self {
        Profile {
            name: p.name,
            department: p.department,
            position: p.position,
            qualification_level: p.qualification_level,
            schedule: p.schedule.into(),
            remote_work: p.remote_work,
            language: p.language.into(),
            has_photo: p.has_photo,
            updated_at: p.updated_at.map(st),
        }
    }
}

/// The editable profile fields.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ProfileInput {
    pub name: String,
    pub department: String,
    pub position: String,
    pub qualification_level: Option<u8>,
    pub schedule: WorkSchedule,
    pub remote_work: bool,
    pub language: Language,
}

impl TryFrom<ProfileInput> for core::ProfileInput {
    type Error = ApiError;
    fn try_from(p: ProfileInput) -> Result<Self, ApiError> {
        Ok(core::ProfileInput {
            name: p.name,
            department: p.department,
            position: p.position,
            qualification_level: p.qualification_level,
            schedule: p.schedule.into(),
            remote_work: p.remote_work,
            language: p.language.into(),
        })
    }
}

/// How a session was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SessionSource {
    Timer,
    Manual,
}

/// A span of work; `ended_at` is `None` while the timer runs.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WorkSession {
    pub id: String,
    pub started_at: SystemTime,
    pub ended_at: Option<SystemTime>,
    pub source: SessionSource,
    pub note: Option<String>,
    pub minutes: i64,
    pub after_hours_minutes: i64,
    pub weekend_minutes: i64,
}

impl From<core::WorkSession> for WorkSession {
    fn from(s: core::WorkSession) -> Self {
        WorkSession {
            id: s.id,
            started_at: st(s.started_at),
            ended_at: s.ended_at.map(st),
            source: match s.source {
                core::SessionSource::Timer => SessionSource::Timer,
                core::SessionSource::Manual => SessionSource::Manual,
            },
            note: s.note,
            minutes: s.minutes,
            after_hours_minutes: s.after_hours_minutes,
            weekend_minutes: s.weekend_minutes,
        }
    }
}

/// The life cycle of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TaskStatus {
    Todo,
    InProgress,
    Done,
    Cancelled,
}

impl From<core::TaskStatus> for TaskStatus {
    fn from(s: core::TaskStatus) -> Self {
        match s {
            core::TaskStatus::Todo => TaskStatus::Todo,
            core::TaskStatus::InProgress => TaskStatus::InProgress,
            core::TaskStatus::Done => TaskStatus::Done,
            core::TaskStatus::Cancelled => TaskStatus::Cancelled,
        }
    }
}

impl From<TaskStatus> for core::TaskStatus {
    fn from(s: TaskStatus) -> Self {
        match s {
            TaskStatus::Todo => core::TaskStatus::Todo,
            TaskStatus::InProgress => core::TaskStatus::InProgress,
            TaskStatus::Done => core::TaskStatus::Done,
            TaskStatus::Cancelled => core::TaskStatus::Cancelled,
        }
    }
}

/// A task on the person's list. (Named `WorkTask` at the FFI so that it does not shadow Swift's
/// concurrency `Task` in the apps.)
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WorkTask {
    pub id: String,
    pub title: String,
    pub notes: Option<String>,
    /// YYYY-MM-DD.
    pub due_date: Option<String>,
    pub estimate_minutes: Option<u32>,
    pub status: TaskStatus,
    pub assigned_by: Option<String>,
    pub created_at: SystemTime,
    pub updated_at: SystemTime,
    pub completed_at: Option<SystemTime>,
}

impl From<core::Task> for WorkTask {
    fn from(t: core::Task) -> Self {
        WorkTask {
            id: t.id,
            title: t.title,
            notes: t.notes,
            due_date: t.due_date.map(iso),
            estimate_minutes: t.estimate_minutes,
            status: t.status.into(),
            assigned_by: t.assigned_by,
            created_at: st(t.created_at),
            updated_at: st(t.updated_at),
            completed_at: t.completed_at.map(st),
        }
    }
}

/// The fields of a new or edited task.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TaskInput {
    pub title: String,
    pub notes: Option<String>,
    /// YYYY-MM-DD.
    pub due_date: Option<String>,
    pub estimate_minutes: Option<u32>,
    pub assigned_by: Option<String>,
}

impl TryFrom<TaskInput> for core::TaskInput {
    type Error = ApiError;
    fn try_from(t: TaskInput) -> Result<Self, ApiError> {
        let due_date = match t.due_date {
            Some(d) => Some(d.parse().map_err(|_| ApiError::InvalidInput {
                field: "due_date".into(),
                reason: InvalidReason::BadFormat,
                detail: format!("'{d}' is not a date in the form YYYY-MM-DD"),
            })?),
            None => None,
        };
        Ok(core::TaskInput {
            title: t.title,
            notes: t.notes,
            due_date,
            estimate_minutes: t.estimate_minutes,
            assigned_by: t.assigned_by,
        })
    }
}

/// The answers of the daily check-in.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CheckInInput {
    /// 0 to 10.
    pub fatigue: u8,
    /// 1 to 5.
    pub stress: u8,
    /// 1 to 5.
    pub mood: u8,
    /// 0 to 24.
    pub sleep_hours: f64,
    pub note: Option<String>,
}

impl From<CheckInInput> for core::CheckInInput {
    fn from(c: CheckInInput) -> Self {
        core::CheckInInput { fatigue: c.fatigue, stress: c.stress, mood: c.mood, sleep_hours: c.sleep_hours, note: c.note }
    }
}

/// A recorded check-in.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CheckIn {
    pub id: String,
    /// YYYY-MM-DD in the person's time zone.
    pub local_date: String,
    pub fatigue: u8,
    pub stress: u8,
    pub mood: u8,
    pub sleep_hours: f64,
    pub note: Option<String>,
    pub recorded_at: SystemTime,
    /// Replaced by a later check-in the same day.
    pub replaced: bool,
}

impl From<core::CheckIn> for CheckIn {
    fn from(c: core::CheckIn) -> Self {
        CheckIn {
            id: c.id,
            local_date: iso(c.local_date),
            fatigue: c.fatigue,
            stress: c.stress,
            mood: c.mood,
            sleep_hours: c.sleep_hours,
            note: c.note,
            recorded_at: st(c.recorded_at),
            replaced: c.replaced,
        }
    }
}

/// A scale of the Copenhagen Burnout Inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CbiScale {
    Personal,
    WorkRelated,
    ClientRelated,
}

/// Which answer labels an item uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CbiAnswerKind {
    Frequency,
    Degree,
}

impl From<CbiAnswerKind> for core::CbiAnswerKind {
    fn from(k: CbiAnswerKind) -> Self {
        match k {
            CbiAnswerKind::Frequency => core::CbiAnswerKind::Frequency,
            CbiAnswerKind::Degree => core::CbiAnswerKind::Degree,
        }
    }
}

/// One item of the questionnaire.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CbiItem {
    pub number: u8,
    pub scale: CbiScale,
    pub answer_kind: CbiAnswerKind,
    pub reverse_scored: bool,
    pub text: String,
}

impl From<core::CbiItem> for CbiItem {
    fn from(i: core::CbiItem) -> Self {
        CbiItem {
            number: i.number,
            scale: match i.scale {
                core::CbiScale::Personal => CbiScale::Personal,
                core::CbiScale::WorkRelated => CbiScale::WorkRelated,
                core::CbiScale::ClientRelated => CbiScale::ClientRelated,
            },
            answer_kind: match i.answer_kind {
                core::CbiAnswerKind::Frequency => CbiAnswerKind::Frequency,
                core::CbiAnswerKind::Degree => CbiAnswerKind::Degree,
            },
            reverse_scored: i.reverse_scored,
            text: i.text,
        }
    }
}

/// Scale scores, 0 to 100 (`None` when a scale has fewer than three answers).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CbiScores {
    pub personal: Option<f64>,
    pub work_related: Option<f64>,
    pub client_related: Option<f64>,
}

/// A stored questionnaire response.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CbiResponse {
    pub id: String,
    pub answered_at: SystemTime,
    pub answers: Vec<Option<u8>>,
    pub scores: CbiScores,
}

impl From<core::CbiResponse> for CbiResponse {
    fn from(r: core::CbiResponse) -> Self {
        CbiResponse {
            id: r.id,
            answered_at: st(r.answered_at),
            answers: r.answers,
            scores: CbiScores {
                personal: r.scores.personal,
                work_related: r.scores.work_related,
                client_related: r.scores.client_related,
            },
        }
    }
}

/// A day the app was used.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AppOpenDay {
    pub local_date: String,
    pub open_count: u32,
    pub first_opened_at: SystemTime,
    pub last_opened_at: SystemTime,
}

impl From<core::AppOpenDay> for AppOpenDay {
    fn from(d: core::AppOpenDay) -> Self {
        AppOpenDay {
            local_date: iso(d.local_date),
            open_count: d.open_count,
            first_opened_at: st(d.first_opened_at),
            last_opened_at: st(d.last_opened_at),
        }
    }
}

/// A day's check-in answers, beside the day's work.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CheckInSummary {
    pub fatigue: u8,
    pub stress: u8,
    pub mood: u8,
    pub sleep_hours: f64,
}

/// One local day of statistics.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DayStats {
    pub date: String,
    pub worked_minutes: i64,
    pub scheduled_minutes: i64,
    pub overtime_minutes: i64,
    pub after_hours_minutes: i64,
    pub weekend_minutes: i64,
    pub tasks_completed: u32,
    pub tasks_overdue: u32,
    pub check_in: Option<CheckInSummary>,
    pub app_opened: bool,
}

impl From<core::DayStats> for DayStats {
    fn from(d: core::DayStats) -> Self {
        DayStats {
            date: iso(d.date),
            worked_minutes: d.worked_minutes,
            scheduled_minutes: d.scheduled_minutes,
            overtime_minutes: d.overtime_minutes,
            after_hours_minutes: d.after_hours_minutes,
            weekend_minutes: d.weekend_minutes,
            tasks_completed: d.tasks_completed,
            tasks_overdue: d.tasks_overdue,
            check_in: d.check_in.map(|c| CheckInSummary { fatigue: c.fatigue, stress: c.stress, mood: c.mood, sleep_hours: c.sleep_hours }),
            app_opened: d.app_opened,
        }
    }
}

/// Check-in averages over a period.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CheckInAverages {
    pub count: u32,
    pub fatigue: Option<f64>,
    pub stress: Option<f64>,
    pub mood: Option<f64>,
    pub sleep_hours: Option<f64>,
}

/// One ISO week of statistics.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WeekStats {
    pub iso_year: i32,
    pub iso_week: u32,
    pub start_date: String,
    pub end_date: String,
    pub worked_minutes: i64,
    pub scheduled_minutes: i64,
    pub overtime_minutes: i64,
    pub after_hours_minutes: i64,
    pub weekend_minutes: i64,
    pub days_worked: u32,
    pub tasks_completed: u32,
    pub tasks_overdue: u32,
    pub check_ins: CheckInAverages,
    pub app_open_days: u32,
}

impl From<core::WeekStats> for WeekStats {
    fn from(w: core::WeekStats) -> Self {
        WeekStats {
            iso_year: w.iso_year,
            iso_week: w.iso_week,
            start_date: iso(w.start_date),
            end_date: iso(w.end_date),
            worked_minutes: w.worked_minutes,
            scheduled_minutes: w.scheduled_minutes,
            overtime_minutes: w.overtime_minutes,
            after_hours_minutes: w.after_hours_minutes,
            weekend_minutes: w.weekend_minutes,
            days_worked: w.days_worked,
            tasks_completed: w.tasks_completed,
            tasks_overdue: w.tasks_overdue,
            check_ins: CheckInAverages {
                count: w.check_ins.count,
                fatigue: w.check_ins.fatigue,
                stress: w.check_ins.stress,
                mood: w.check_ins.mood,
                sleep_hours: w.check_ins.sleep_hours,
            },
            app_open_days: w.app_open_days,
        }
    }
}

/// What the "today" and "history" screens show.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct StatsOverview {
    pub today: DayStats,
    pub this_week: WeekStats,
    pub last_7_days: Vec<DayStats>,
    pub last_12_weeks: Vec<WeekStats>,
    pub check_in_streak: u32,
    pub longest_check_in_streak: u32,
}

impl From<core::StatsOverview> for StatsOverview {
    fn from(o: core::StatsOverview) -> Self {
        StatsOverview {
            today: o.today.into(),
            this_week: o.this_week.into(),
            last_7_days: o.last_7_days.into_iter().map(Into::into).collect(),
            last_12_weeks: o.last_12_weeks.into_iter().map(Into::into).collect(),
            check_in_streak: o.check_in_streak,
            longest_check_in_streak: o.longest_check_in_streak,
        }
    }
}

/// One exported CSV file.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ExportFile {
    pub name: String,
    pub content: String,
}

impl From<core::ExportFile> for ExportFile {
    fn from(f: core::ExportFile) -> Self {
        ExportFile { name: f.name, content: f.content }
    }
}

/// The check-in's scales: what `recordCheckIn` accepts, so what the app offers.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct CheckInScales {
    pub fatigue_min: u8,
    pub fatigue_max: u8,
    pub stress_min: u8,
    pub stress_max: u8,
    pub mood_min: u8,
    pub mood_max: u8,
    /// Hours slept: 0 to this, in steps of `sleep_hours_step`.
    pub sleep_hours_max: f64,
    pub sleep_hours_step: f64,
}

impl From<core::CheckInScales> for CheckInScales {
    fn from(s: core::CheckInScales) -> Self {
        CheckInScales {
            fatigue_min: s.fatigue.0,
            fatigue_max: s.fatigue.1,
            stress_min: s.stress.0,
            stress_max: s.stress.1,
            mood_min: s.mood.0,
            mood_max: s.mood.1,
            sleep_hours_max: s.sleep_hours_max,
            sleep_hours_step: s.sleep_hours_step,
        }
    }
}
