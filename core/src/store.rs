//! The employee's offline store: every rule about what may be written, each write one
//! transaction that also records its change in the outbox. SQL lives in `storage::dao`.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock};

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use serde::Serialize;
use uuid::Uuid;

use crate::cbi::{score_cbi, CbiResponse};
use crate::clock::{Clock, SystemClock};
use crate::error::{ConflictKind, Error, InvalidReason, Result};
use crate::hlc::HlcClock;
use crate::model::*;
use crate::photo::{process_photo, PROFILE_PHOTO_SIDE};
use crate::risk::{self, ArtifactError, Model, RiskAssessment, RiskFactor, RiskLevel};
use crate::schedule::{secs_to_minutes, Schedule};
use crate::stats::{self, merge_overlaps, DayStats, StatsInput, StatsOverview, WeekStats};
use crate::storage::{dao, sync_dao, schema};
use qamqor_protocol::{Change, Entity, Op};

mod competencies;
mod ratings;
pub use competencies::{CompetencyProfile, FunctionScore, SkillScore};
pub use ratings::{Achievement, AchievementInput, AchievementReview, AchievementStatus, EVIDENCE_PHOTO_SIDE};

/// Longest name, department, position or task title, in characters.
pub const MAX_SHORT_TEXT: usize = 200;
/// Longest note on a check-in, session or task, in characters.
pub const MAX_NOTE: usize = 2000;
/// Longest manual work session.
pub const MAX_SESSION_HOURS: i64 = 24;
/// Longest task estimate, in minutes (a month of full days).
pub const MAX_ESTIMATE_MINUTES: u32 = 31 * 24 * 60;
/// How far in the future a time may be (phone clocks drift).
const FUTURE_TOLERANCE_SECS: i64 = 60;
/// Meta key: the privacy policy today's risk assessment was last shared under.
const RISK_SHARED_AS: &str = "risk_shared_as";
/// Longest range of daily statistics asked for at once.
pub const MAX_STATS_DAYS: i64 = 3 * 366;

/// Everything the person has recorded, for the privacy centre's export.
#[derive(Debug, Clone, Serialize)]
pub struct Export {
    pub format_version: u32,
    pub exported_at: DateTime<Utc>,
    pub device_id: String,
    pub profile: Profile,
    pub work_sessions: Vec<WorkSession>,
    pub tasks: Vec<Task>,
    /// Every check-in, including the replaced ones.
    pub check_ins: Vec<CheckIn>,
    pub cbi_responses: Vec<CbiResponse>,
    pub app_opens: Vec<AppOpenDay>,
}

pub(crate) struct Inner {
    pub(crate) conn: Connection,
    pub(crate) profile: Profile,
    pub(crate) schedule: Schedule,
    first_seen: NaiveDate,
}

/// The device's store. Safe to share between threads: calls are serialised on one connection.
pub struct Store {
    inner: Mutex<Inner>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) hlc: HlcClock,
    device_id: String,
    /// The risk model in use, loaded on first use (parsing and validating it takes a moment).
    pub(crate) risk_model: RwLock<Option<Arc<Model>>>,
}

/// A past daily assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskHistoryEntry {
    pub local_date: NaiveDate,
    pub assessed_at: DateTime<Utc>,
    pub score: Option<f64>,
    pub level: Option<RiskLevel>,
    pub model_version: String,
    pub factors: Vec<RiskFactor>,
}

/// The built-in model, parsed and validated once per process.
fn builtin_model() -> Result<Model> {
    static BUILTIN: OnceLock<std::result::Result<Model, String>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| Model::builtin().map_err(|e| e.to_string()))
        .clone()
        .map_err(|e| Error::Corrupt(format!("the built-in risk model is damaged: {e}")))
}

fn trimmed(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(field, InvalidReason::Empty, "must not be empty"));
    }
    check_len(field, v, max)?;
    Ok(v.to_string())
}

fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => {
            check_len(field, v, max)?;
            Ok(Some(v.to_string()))
        }
    }
}

fn check_len(field: &str, v: &str, max: usize) -> Result<()> {
    let n = v.chars().count();
    if n > max {
        return Err(Error::invalid(field, InvalidReason::TooLong, format!("{n} characters; at most {max} allowed")));
    }
    if v.contains('\0') {
        return Err(Error::invalid(field, InvalidReason::BadFormat, "contains a NUL character"));
    }
    Ok(())
}

fn in_range(field: &str, v: i64, min: i64, max: i64) -> Result<()> {
    if v < min || v > max {
        return Err(Error::invalid(field, InvalidReason::OutOfRange, format!("must be {min} to {max}, got {v}")));
    }
    Ok(())
}

pub(crate) fn validate_profile(p: &ProfileInput) -> Result<(Profile, Schedule)> {
    let schedule = Schedule::new(&p.schedule)?;
    if let Some(level) = p.qualification_level {
        in_range("qualification_level", i64::from(level), 1, 8)?;
    }
    let mut days = p.schedule.working_days.clone();
    days.sort_by_key(|d| d.num_days_from_monday());
    days.dedup();
    let profile = Profile {
        name: trimmed("name", &p.name, MAX_SHORT_TEXT)?,
        department: optional_text("department", Some(&p.department), MAX_SHORT_TEXT)?.unwrap_or_default(),
        position: optional_text("position", Some(&p.position), MAX_SHORT_TEXT)?.unwrap_or_default(),
        qualification_level: p.qualification_level,
        schedule: WorkSchedule { working_days: days, ..p.schedule.clone() },
        remote_work: p.remote_work,
        language: p.language,
        has_photo: false,
        updated_at: None,
    };
    Ok((profile, schedule))
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Store::open_with_clock(path, Arc::new(SystemClock))
    }

    /// Opens the database with a given clock (tests, demos, benchmarks).
    pub fn open_with_clock(path: impl AsRef<Path>, clock: Arc<dyn Clock>) -> Result<Store> {
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&mut conn)?;

        let device_id = match dao::meta_get(&conn, "device_id")? {
            Some(id) => id,
            None => {
                let id = Uuid::now_v7().to_string();
                dao::meta_set(&conn, "device_id", &id)?;
                id
            }
        };
        let node = Uuid::parse_str(&device_id).map_err(|_| Error::Corrupt(format!("device id '{device_id}'")))?;
        let hlc = HlcClock::new(*node.as_bytes(), clock.clone());
        if let Some(last) = dao::meta_get(&conn, "last_hlc")? {
            // Never issue a stamp below one issued before a restart, even if the clock went back.
            hlc.restore(&last);
        }
        let profile = dao::profile(&conn)?.unwrap_or_default();
        let schedule = Schedule::new(&profile.schedule)?;
        // The day this installation started: the risk window's observed part starts there.
        let first_seen = match dao::meta_get(&conn, "first_seen")? {
            Some(d) => d.parse().map_err(|_| Error::Corrupt(format!("first_seen '{d}'")))?,
            None => {
                let d = schedule.local_date(clock.now());
                dao::meta_set(&conn, "first_seen", &d.to_string())?;
                d
            }
        };
        Ok(Store { inner: Mutex::new(Inner { conn, profile, schedule, first_seen }), clock, hlc, device_id, risk_model: RwLock::new(None) })
    }

    /// This installation's id, the node id of its clock.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// The current time as the core sees it.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere must not make the store unusable: SQLite rolled the transaction back.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` in an immediate transaction and commits; on error nothing is written.
    /// The schedule and profile seen by `f` are those under the same lock as the transaction,
    /// and a profile change `f` makes (`Writer::profile`) reaches the cache before the lock is
    /// released, so the cache never disagrees with the database.
    fn write<T>(&self, f: impl FnOnce(&Transaction, &mut Writer) -> Result<T>) -> Result<T> {
        let mut inner = self.lock();
        let mut w = Writer {
            store: self,
            now: to_ms(self.clock.now()),
            last_hlc: None,
            schedule: inner.schedule.clone(),
            profile: inner.profile.clone(),
            profile_changed: false,
        };
        let tx = inner.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx, &mut w)?;
        if let Some(h) = &w.last_hlc {
            dao::meta_set(&tx, "last_hlc", h)?;
        }
        tx.commit()?;
        if w.profile_changed {
            inner.schedule = w.schedule;
            inner.profile = w.profile;
        }
        Ok(out)
    }

    // ---- profile ------------------------------------------------------------------------

    /// The profile (defaults until the person fills it in).
    pub fn profile(&self) -> Profile {
        self.lock().profile.clone()
    }

    /// Replaces the editable profile fields after validating every one of them.
    pub fn update_profile(&self, input: &ProfileInput) -> Result<Profile> {
        let (mut profile, schedule) = validate_profile(input)?;
        self.write(|tx, w| {
            profile.has_photo = dao::photo(tx)?.is_some();
            profile.updated_at = Some(w.now);
            let hlc = w.stamp();
            dao::save_profile(tx, &profile, &hlc)?;
            w.record(tx, Entity::Profile, "profile", Op::Upsert, &hlc, serde_json::to_value(ProfileInput::from(&profile))?)?;
            w.set_profile(profile.clone(), schedule);
            Ok(profile)
        })
    }

    /// Processes a photo through the image pipeline and stores it as the profile photo.
    pub fn set_profile_photo(&self, bytes: &[u8]) -> Result<Profile> {
        if self.lock().profile.updated_at.is_none() {
            return Err(Error::invalid("profile", InvalidReason::Empty, "fill in the profile before adding a photo"));
        }
        let photo = process_photo("photo", bytes, PROFILE_PHOTO_SIDE)?;
        self.write(|tx, w| w.save_photo(tx, Some(&photo.jpeg)))
    }

    /// Removes the profile photo.
    pub fn remove_profile_photo(&self) -> Result<Profile> {
        self.write(|tx, w| w.save_photo(tx, None))
    }

    /// The stored profile photo (JPEG), if any.
    pub fn profile_photo(&self) -> Result<Option<Vec<u8>>> {
        dao::photo(&self.lock().conn)
    }

    // ---- work sessions ------------------------------------------------------------------

    fn session_view(&self, schedule: &Schedule, row: dao::SessionRow, now: DateTime<Utc>) -> WorkSession {
        let end = row.ended_at.unwrap_or(now).max(row.started_at);
        let (mut after, mut weekend) = (0, 0);
        schedule.split(row.started_at, end, |_, s| {
            after += s.after_hours_secs;
            weekend += s.weekend_secs;
        });
        WorkSession {
            minutes: secs_to_minutes((end - row.started_at).num_seconds()),
            after_hours_minutes: secs_to_minutes(after),
            weekend_minutes: secs_to_minutes(weekend),
            id: row.id,
            started_at: row.started_at,
            ended_at: row.ended_at,
            source: row.source,
            note: row.note,
        }
    }

    fn session_payload(s: &WorkSession) -> serde_json::Value {
        serde_json::json!({
            "started_at": s.started_at, "ended_at": s.ended_at, "source": s.source, "note": s.note,
        })
    }

    /// Starts the work timer now.
    pub fn start_timer(&self, note: Option<&str>) -> Result<WorkSession> {
        let note = optional_text("note", note, MAX_NOTE)?;
        let row = self.write(|tx, w| {
            if dao::running_session(tx)?.is_some() {
                return Err(Error::conflict(ConflictKind::TimerAlreadyRunning, "stop the running timer first"));
            }
            if let Some(other) = dao::overlapping_session(tx, w.now, DateTime::<Utc>::MAX_UTC)? {
                return Err(Error::conflict(
                    ConflictKind::SessionOverlap,
                    format!("a session entered by hand runs until {}", other.ended_at.unwrap_or(w.now)),
                ));
            }
            let row = dao::SessionRow {
                id: Uuid::now_v7().to_string(),
                started_at: w.now,
                ended_at: None,
                source: SessionSource::Timer,
                note,
            };
            dao::insert_session(tx, &row, w.now)?;
            Ok(row)
        })?;
        let s = self.session_view(&self.lock().schedule, row, self.clock.now());
        // The running timer is recorded for sync when it stops: one complete fact, one change.
        Ok(s)
    }

    /// Stops the running timer, now or at an earlier time the person forgot to stop it.
    pub fn stop_timer(&self, at: Option<DateTime<Utc>>) -> Result<WorkSession> {
        let at = at.map(to_ms);
        self.write(|tx, w| {
            let mut row = dao::running_session(tx)?
                .ok_or_else(|| Error::conflict(ConflictKind::NoRunningTimer, "start the timer first"))?;
            let end = at.unwrap_or(w.now);
            if end > w.now + chrono::Duration::seconds(FUTURE_TOLERANCE_SECS) {
                return Err(Error::invalid("ended_at", InvalidReason::InFuture, "the timer cannot stop in the future"));
            }
            if end <= row.started_at {
                return Err(Error::invalid("ended_at", InvalidReason::EndBeforeStart, "the stop time must be after the start"));
            }
            dao::end_session(tx, &row.id, end)?;
            row.ended_at = Some(end);
            let s = self.session_view(&w.schedule, row, w.now);
            let hlc = w.stamp();
            w.record(tx, Entity::WorkSession, &s.id, Op::Upsert, &hlc, Self::session_payload(&s))?;
            Ok(s)
        })
    }

    /// The running timer, if any.
    pub fn running_session(&self) -> Result<Option<WorkSession>> {
        let inner = self.lock();
        let now = self.clock.now();
        Ok(dao::running_session(&inner.conn)?.map(|r| self.session_view(&inner.schedule, r, now)))
    }

    /// Records a session afterwards. It must lie in the past, last at most a day and not overlap.
    pub fn add_session(&self, from: DateTime<Utc>, to: DateTime<Utc>, note: Option<&str>) -> Result<WorkSession> {
        let (from, to) = (to_ms(from), to_ms(to));
        let note = optional_text("note", note, MAX_NOTE)?;
        self.write(|tx, w| {
            if to <= from {
                return Err(Error::invalid("ended_at", InvalidReason::EndBeforeStart, "the end must be after the start"));
            }
            if to > w.now + chrono::Duration::seconds(FUTURE_TOLERANCE_SECS) {
                return Err(Error::invalid("ended_at", InvalidReason::InFuture, "a session cannot end in the future"));
            }
            if to - from > chrono::Duration::hours(MAX_SESSION_HOURS) {
                return Err(Error::invalid(
                    "ended_at",
                    InvalidReason::OutOfRange,
                    format!("a session lasts at most {MAX_SESSION_HOURS} hours; split longer work"),
                ));
            }
            if let Some(other) = dao::overlapping_session(tx, from, to)? {
                return Err(Error::conflict(
                    ConflictKind::SessionOverlap,
                    format!("overlaps the session {} started at {}", other.id, other.started_at.to_rfc3339()),
                ));
            }
            let row = dao::SessionRow {
                id: Uuid::now_v7().to_string(),
                started_at: from,
                ended_at: Some(to),
                source: SessionSource::Manual,
                note,
            };
            dao::insert_session(tx, &row, w.now)?;
            let s = self.session_view(&w.schedule, row, w.now);
            let hlc = w.stamp();
            w.record(tx, Entity::WorkSession, &s.id, Op::Upsert, &hlc, Self::session_payload(&s))?;
            Ok(s)
        })
    }

    /// Deletes a session recorded by mistake (a tombstone is sent on sync).
    pub fn delete_session(&self, id: &str) -> Result<()> {
        self.write(|tx, w| {
            let row = dao::session(tx, id)?.ok_or_else(|| Error::NotFound { entity: "work_session", id: id.into() })?;
            dao::delete_session(tx, id)?;
            if row.ended_at.is_some() {
                let hlc = w.stamp();
                sync_dao::set_tombstone(tx, Entity::WorkSession, id, &hlc)?;
                w.record(tx, Entity::WorkSession, id, Op::Delete, &hlc, serde_json::Value::Null)?;
            }
            Ok(())
        })
    }

    /// Sessions that touch the local days `[from, to]`, oldest first.
    pub fn sessions(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<WorkSession>> {
        check_date_range(from, to)?;
        let inner = self.lock();
        let now = self.clock.now();
        let (a, b) = (inner.schedule.day_start(from), inner.schedule.day_start(to + Days::new(1)));
        Ok(dao::sessions_between(&inner.conn, a, b)?
            .into_iter()
            .map(|r| self.session_view(&inner.schedule, r, now))
            .collect())
    }

    // ---- tasks --------------------------------------------------------------------------

    pub(crate) fn validate_task(input: &TaskInput) -> Result<TaskInput> {
        if let Some(e) = input.estimate_minutes {
            in_range("estimate_minutes", i64::from(e), 1, i64::from(MAX_ESTIMATE_MINUTES))?;
        }
        if let Some(d) = input.due_date {
            use chrono::Datelike;
            in_range("due_date", i64::from(d.year()), 2000, 2100)?;
        }
        Ok(TaskInput {
            title: trimmed("title", &input.title, MAX_SHORT_TEXT)?,
            notes: optional_text("notes", input.notes.as_deref(), MAX_NOTE)?,
            due_date: input.due_date,
            estimate_minutes: input.estimate_minutes,
            assigned_by: optional_text("assigned_by", input.assigned_by.as_deref(), MAX_SHORT_TEXT)?,
        })
    }

    fn save_task(tx: &Transaction, w: &mut Writer, task: &Task) -> Result<()> {
        let hlc = w.stamp();
        dao::save_task(tx, task, &hlc)?;
        w.record(tx, Entity::Task, &task.id, Op::Upsert, &hlc, serde_json::to_value(task)?)
    }

    /// Adds a task to the list.
    pub fn add_task(&self, input: &TaskInput) -> Result<Task> {
        let input = Self::validate_task(input)?;
        self.write(|tx, w| {
            let task = Task {
                id: Uuid::now_v7().to_string(),
                title: input.title,
                notes: input.notes,
                due_date: input.due_date,
                estimate_minutes: input.estimate_minutes,
                status: TaskStatus::Todo,
                assigned_by: input.assigned_by,
                created_at: w.now,
                updated_at: w.now,
                completed_at: None,
            };
            Self::save_task(tx, w, &task)?;
            Ok(task)
        })
    }

    /// Changes a task's title, notes, due date, estimate or assigner.
    pub fn edit_task(&self, id: &str, input: &TaskInput) -> Result<Task> {
        let input = Self::validate_task(input)?;
        self.write(|tx, w| {
            let mut task = dao::task(tx, id)?.ok_or_else(|| Error::NotFound { entity: "task", id: id.into() })?;
            task.title = input.title;
            task.notes = input.notes;
            task.due_date = input.due_date;
            task.estimate_minutes = input.estimate_minutes;
            task.assigned_by = input.assigned_by;
            task.updated_at = w.now;
            Self::save_task(tx, w, &task)?;
            Ok(task)
        })
    }

    /// Moves a task to a status; marking it done records when it was completed.
    pub fn set_task_status(&self, id: &str, status: TaskStatus) -> Result<Task> {
        self.write(|tx, w| {
            let mut task = dao::task(tx, id)?.ok_or_else(|| Error::NotFound { entity: "task", id: id.into() })?;
            if task.status == status {
                return Ok(task);
            }
            task.status = status;
            task.completed_at = (status == TaskStatus::Done).then_some(w.now);
            task.updated_at = w.now;
            Self::save_task(tx, w, &task)?;
            Ok(task)
        })
    }

    /// One task.
    pub fn task(&self, id: &str) -> Result<Task> {
        dao::task(&self.lock().conn, id)?.ok_or_else(|| Error::NotFound { entity: "task", id: id.into() })
    }

    /// Tasks, optionally of one status: open ones by due date first.
    pub fn tasks(&self, status: Option<TaskStatus>) -> Result<Vec<Task>> {
        dao::tasks(&self.lock().conn, status)
    }

    // ---- check-ins ----------------------------------------------------------------------

    /// Records today's check-in; a second one the same day replaces the first (kept as history).
    pub fn record_check_in(&self, input: &CheckInInput) -> Result<CheckIn> {
        if let Some((field, range)) = CHECK_IN_SCALES.off_scale(input.fatigue, input.stress, input.mood, input.sleep_hours) {
            return Err(Error::invalid(field, InvalidReason::OutOfRange, format!("must be {range}")));
        }
        let note = optional_text("note", input.note.as_deref(), MAX_NOTE)?;
        self.write(|tx, w| {
            let ci = CheckIn {
                id: Uuid::now_v7().to_string(),
                local_date: w.schedule.local_date(w.now),
                fatigue: input.fatigue,
                stress: input.stress,
                mood: input.mood,
                sleep_hours: (input.sleep_hours * 4.0).round() / 4.0,
                note,
                recorded_at: w.now,
                replaced: false,
            };
            let hlc = w.stamp();
            let replaces = dao::insert_check_in(tx, &ci, &hlc)?;
            let mut payload = serde_json::to_value(&ci)?;
            payload["replaces"] = serde_json::json!(replaces);
            w.record(tx, Entity::CheckIn, &ci.id, Op::Upsert, &hlc, payload)?;
            Ok(ci)
        })
    }

    /// The current check-in of a local day.
    pub fn check_in_for(&self, date: NaiveDate) -> Result<Option<CheckIn>> {
        Ok(dao::current_check_ins(&self.lock().conn, date, date)?.pop())
    }

    /// Today's check-in, if done.
    pub fn todays_check_in(&self) -> Result<Option<CheckIn>> {
        let today = self.today();
        self.check_in_for(today)
    }

    /// The current check-in of each day in `[from, to]`.
    pub fn check_ins(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CheckIn>> {
        check_date_range(from, to)?;
        dao::current_check_ins(&self.lock().conn, from, to)
    }

    /// Every version of the check-ins of `[from, to]`, replaced ones included.
    pub fn check_in_history(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CheckIn>> {
        check_date_range(from, to)?;
        dao::check_in_history(&self.lock().conn, from, to)
    }

    // ---- questionnaire ------------------------------------------------------------------

    /// Scores and stores a Copenhagen Burnout Inventory response (19 answers, each 0..=4 or skipped).
    pub fn record_cbi(&self, answers: &[Option<u8>]) -> Result<CbiResponse> {
        let scores = score_cbi(answers)?;
        self.write(|tx, w| {
            let row = dao::CbiRow {
                id: Uuid::now_v7().to_string(),
                answered_at: w.now,
                answers: answers.to_vec(),
                personal: scores.personal,
                work_related: scores.work_related,
                client_related: scores.client_related,
            };
            dao::insert_cbi(tx, &row)?;
            let response = CbiResponse::from(row);
            let hlc = w.stamp();
            w.record(tx, Entity::CbiResponse, &response.id, Op::Upsert, &hlc, serde_json::to_value(&response)?)?;
            Ok(response)
        })
    }

    /// All questionnaire responses, oldest first.
    pub fn cbi_responses(&self) -> Result<Vec<CbiResponse>> {
        Ok(dao::cbi_responses(&self.lock().conn)?.into_iter().map(CbiResponse::from).collect())
    }

    // ---- app activity -------------------------------------------------------------------

    /// Notes that the app was opened now ("login frequency").
    pub fn record_app_open(&self) -> Result<AppOpenDay> {
        self.write(|tx, w| {
            let day = dao::record_app_open(tx, w.schedule.local_date(w.now), w.now)?;
            if day.open_count == 1 {
                // One change per day and device: the server counts days with activity, not
                // every tap, and two devices of one person never overwrite each other's day.
                let hlc = w.stamp();
                let id = format!("{}:{}", self.device_id, day.local_date);
                w.record(tx, Entity::AppOpen, &id, Op::Upsert, &hlc, serde_json::to_value(&day)?)?;
            }
            Ok(day)
        })
    }

    /// Days the app was opened in `[from, to]`.
    pub fn app_open_days(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AppOpenDay>> {
        check_date_range(from, to)?;
        dao::app_opens(&self.lock().conn, from, to)
    }

    // ---- statistics ---------------------------------------------------------------------

    /// The person's local date today.
    pub fn today(&self) -> NaiveDate {
        self.lock().schedule.local_date(self.clock.now())
    }

    /// The instant of a wall-clock time in the person's time zone (their schedule's), written
    /// `YYYY-MM-DDTHH:MM` (seconds allowed): how a person enters a session afterwards. When the
    /// clocks go back it is the earlier of the two instants; in the gap when they go forward,
    /// the first time that exists. `field` names the input in the error.
    pub fn local_time_to_instant(&self, field: &str, local: &str) -> Result<DateTime<Utc>> {
        let text = local.trim();
        let parsed = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%.f"]
            .iter()
            .find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok())
            .ok_or_else(|| {
                Error::invalid(field, InvalidReason::BadFormat, format!("'{text}' is not a local time like 2026-11-23T09:30"))
            })?;
        Ok(self.lock().schedule.to_utc(parsed))
    }

    fn with_stats_input<T>(&self, from: NaiveDate, to: NaiveDate, f: impl FnOnce(&StatsInput, &Inner) -> T) -> Result<T> {
        let inner = self.lock();
        let now = self.clock.now();
        let end = inner.schedule.day_start(to + Days::new(1));
        let r = Records::load(&inner, from, to, end, now)?;
        Ok(f(&r.stats_input(&inner.schedule), &inner))
    }

    /// Today, this week, the last 7 days and the last 12 weeks, with check-in streaks.
    pub fn stats_overview(&self) -> Result<StatsOverview> {
        let today = self.today();
        let from = stats::week_start(today) - Days::new(77);
        self.with_stats_input(from, today, |input, inner| {
            let dates = dao::check_in_dates(&inner.conn)?;
            Ok(stats::overview(input, today, &dates))
        })?
    }

    /// Statistics of each local day in `[from, to]`.
    pub fn day_stats(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<DayStats>> {
        check_date_range(from, to)?;
        self.with_stats_input(from, to, |input, _| stats::day_stats(input, from, to))
    }

    /// Statistics of ISO week `week` of `iso_year` (up to today if it is the current week).
    pub fn week_stats(&self, iso_year: i32, week: u32) -> Result<WeekStats> {
        let start = stats::iso_week_start(iso_year, week).ok_or_else(|| {
            Error::invalid("week", InvalidReason::OutOfRange, format!("{iso_year} has no ISO week {week}"))
        })?;
        let today = self.today();
        if start > today {
            return Err(Error::invalid("week", InvalidReason::InFuture, "that week has not started yet"));
        }
        let end = (start + Days::new(6)).min(today);
        let days = self.day_stats(start, end)?;
        Ok(stats::week_stats(&days).remove(0))
    }

    // ---- burnout risk ----------------------------------------------------------------------

    /// The built-in model upgraded by the newest valid installed artifact. Reads the stored
    /// artifacts under the database lock, then validates them without holding it.
    fn load_risk_model(&self) -> Result<Model> {
        let artifacts = dao::risk_models(&self.lock().conn)?;
        let mut model = builtin_model()?;
        for artifact in artifacts {
            // A stored artifact that no longer validates is skipped, never fatal.
            let _ = model.try_replace(&artifact);
        }
        Ok(model)
    }

    /// The risk model in use: the newest valid installed update, else the built-in one.
    pub fn risk_model(&self) -> Result<Arc<Model>> {
        if let Some(m) = self.risk_model.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            return Ok(m.clone());
        }
        let mut slot = self.risk_model.write().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = slot.as_ref() {
            return Ok(m.clone());
        }
        let model = Arc::new(self.load_risk_model()?);
        *slot = Some(model.clone());
        Ok(model)
    }

    /// Validates a newer model artifact and makes it the one in use (kept across restarts).
    /// A bad or older artifact is rejected with the reason, and the current model stays.
    pub fn install_risk_model(&self, artifact: &[u8]) -> Result<String> {
        // One install at a time, and never racing the first load.
        let mut slot = self.risk_model.write().unwrap_or_else(|e| e.into_inner());
        let current = match slot.as_ref() {
            Some(m) => m.clone(),
            None => Arc::new(self.load_risk_model()?),
        };
        let mut candidate = (*current).clone();
        candidate.try_replace(artifact).map_err(|e| {
            let reason = match e {
                ArtifactError::NotNewer { .. } => InvalidReason::Unsupported,
                _ => InvalidReason::BadFormat,
            };
            Error::invalid("risk_model", reason, e.to_string())
        })?;
        let now = self.clock.now();
        dao::save_risk_model(&self.lock().conn, candidate.version(), artifact, now)?;
        let version = candidate.version().to_string();
        *slot = Some(Arc::new(candidate));
        Ok(version)
    }

    /// Assesses the person's burnout risk now, from their own records, and keeps it as today's
    /// entry of the history (and shares it) when it differs from the entry kept for today.
    pub fn assess_risk(&self) -> Result<RiskAssessment> {
        let model = self.risk_model()?;
        let now = to_ms(self.clock.now());
        let inner = self.lock();
        let s = &inner.schedule;
        let today = s.local_date(now);
        // The 28-day window, as of today and as of each of the four previous weeks.
        let from = today - Days::new(risk::features::WINDOW_DAYS + 28);
        let r = Records::load(&inner, from, today, now + chrono::Duration::milliseconds(1), now)?;
        let since = now - chrono::Duration::days(risk::features::CBI_VALID_DAYS + 28);
        let cbi: Vec<CbiResponse> = dao::cbi_responses_since(&inner.conn, since)?.into_iter().map(CbiResponse::from).collect();
        let data = risk::RiskData {
            schedule: s,
            first_seen: Some(inner.first_seen),
            qualification_level: inner.profile.qualification_level,
            remote_work: inner.profile.remote_work,
            sessions: &r.spans,
            tasks: &r.tasks,
            check_ins: &r.check_ins,
            app_open_days: &r.opens,
            cbi: &cbi,
        };
        let assessment = risk::assess(&data, &model, now);
        drop(inner);
        let row = dao::RiskRow {
            local_date: assessment.local_date,
            assessed_at: now,
            score: assessment.score,
            level: assessment.level.map(|l| l.as_str().to_string()),
            model_version: assessment.model_version.clone(),
            factors_json: serde_json::to_string(&assessment.factors)?,
        };
        self.write(|tx, w| {
            // Shared with the organisation as its privacy policy allows (factors only under the
            // individual policy; aggregate by default). Only the day's latest matters.
            let individual = sync_dao::org_settings(tx)?.is_some_and(|s| s.privacy_policy == PrivacyPolicy::Individual);
            let shared_as = if individual { "individual" } else { "aggregate" };
            // Screens assess each time they open: the same result as today's kept entry, shared
            // under the same policy, is not a change, so it is neither written nor sent again.
            if dao::assessments(tx, 1)?.first().is_some_and(|kept| kept.same_result(&row))
                && dao::meta_get(tx, RISK_SHARED_AS)?.as_deref() == Some(shared_as)
            {
                return Ok(());
            }
            dao::save_assessment(tx, &row)?;
            dao::meta_set(tx, RISK_SHARED_AS, shared_as)?;
            let shared = qamqor_protocol::RiskAssessmentPayload {
                local_date: assessment.local_date.to_string(),
                level: assessment.level.map(|l| l.as_str().to_string()),
                score: assessment.score,
                model_version: assessment.model_version.clone(),
                factors: individual.then(|| {
                    assessment
                        .factors
                        .iter()
                        .map(|f| qamqor_protocol::SharedFactor { key: f.kind.key(), contribution: f.contribution })
                        .collect()
                }),
            };
            let record_id = assessment.local_date.to_string();
            sync_dao::drop_pending(tx, Entity::RiskAssessment, &record_id)?;
            let hlc = w.stamp();
            w.record(tx, Entity::RiskAssessment, &record_id, Op::Upsert, &hlc, serde_json::to_value(&shared)?)
        })?;
        Ok(assessment)
    }

    /// Asks the organisation to delete the person's account and data. Offline first: the request
    /// is recorded here at once and reaches the server with the next sync (a signed-out phone
    /// sends it after signing in again). Asking again returns the request already made (from
    /// this phone or another of the person's). Without an organisation account there is nobody
    /// to ask (the data is only on this phone): `SyncError::NotSignedIn`.
    pub fn request_deletion(&self) -> Result<DeletionRequest> {
        let now = to_ms(self.clock.now());
        self.write(|tx, w| {
            if let Some(existing) = sync_dao::deletion_request(tx)? {
                return Ok(deletion_request_of(existing));
            }
            if sync_dao::account(tx)?.is_none() {
                return Err(Error::Sync(crate::sync::SyncError::NotSignedIn));
            }
            let id = Uuid::now_v7().to_string();
            sync_dao::save_deletion_request(tx, &id, now)?;
            let hlc = w.stamp();
            let payload = qamqor_protocol::DeletionRequestPayload { requested_at: now.timestamp_millis() };
            w.record(tx, Entity::DeletionRequest, &id, Op::Upsert, &hlc, serde_json::to_value(&payload)?)?;
            Ok(DeletionRequest { id, requested_at: now, status: DeletionRequestStatus::WaitingToSend })
        })
    }

    /// The person's deletion request and where it is, if they made one.
    pub fn deletion_request(&self) -> Result<Option<DeletionRequest>> {
        Ok(sync_dao::deletion_request(&self.lock().conn)?.map(deletion_request_of))
    }

    /// The newest kept assessment (today's or an earlier day's), read without assessing again
    /// and without writing anything; `None` before the first assessment.
    pub fn latest_risk_assessment(&self) -> Result<Option<RiskHistoryEntry>> {
        Ok(self.risk_history(1)?.into_iter().next())
    }

    /// The latest `limit` daily assessments, newest first.
    pub fn risk_history(&self, limit: u32) -> Result<Vec<RiskHistoryEntry>> {
        dao::assessments(&self.lock().conn, limit)?
            .into_iter()
            .map(|r| {
                Ok(RiskHistoryEntry {
                    local_date: r.local_date,
                    assessed_at: r.assessed_at,
                    score: r.score,
                    level: r.level.as_deref().and_then(RiskLevel::parse),
                    model_version: r.model_version,
                    factors: serde_json::from_str(&r.factors_json)?,
                })
            })
            .collect()
    }

    // ---- sync outbox ---------------------------------------------------------------------

    /// Number of changes not yet acknowledged by the server.
    pub fn pending_change_count(&self) -> Result<u64> {
        dao::outbox_count(&self.lock().conn)
    }

    /// The oldest `limit` changes waiting to be pushed.
    pub fn pending_changes(&self, limit: u32) -> Result<Vec<Change>> {
        dao::outbox(&self.lock().conn, limit)
    }

    /// Removes the changes the server acknowledged; returns how many were removed.
    pub fn acknowledge_changes(&self, ids: &[String]) -> Result<u64> {
        let mut inner = self.lock();
        let tx = inner.conn.transaction()?;
        let n = dao::remove_from_outbox(&tx, ids)?;
        tx.commit()?;
        Ok(n)
    }

    // ---- reminders and privacy -------------------------------------------------------------

    /// A day this long (in minutes) earns a gentle "time to stop" reminder: ten hours, or two
    /// hours past the scheduled day, whichever is less.
    pub const LONG_DAY_MINUTES: i64 = 10 * 60;

    /// The reminders due now.
    pub fn nudges(&self) -> Result<Nudges> {
        let now = to_ms(self.clock.now());
        let overview = self.stats_overview()?;
        let inner = self.lock();
        let today = inner.schedule.local_date(now);
        let scheduled = inner.schedule.scheduled_minutes(today);
        let worked = overview.today.worked_minutes;
        let long_after = if scheduled > 0 { (scheduled + 120).min(Self::LONG_DAY_MINUTES) } else { Self::LONG_DAY_MINUTES.min(6 * 60) };
        let since = now - chrono::Duration::days(risk::features::CBI_VALID_DAYS);
        Ok(Nudges {
            check_in_due: scheduled > 0 && dao::current_check_ins(&inner.conn, today, today)?.is_empty(),
            long_day_minutes: (worked >= long_after).then_some(worked),
            questionnaire_due: dao::cbi_responses_since(&inner.conn, since)?.is_empty(),
        })
    }

    /// The privacy centre: who sees what under the organisation's current policy.
    pub fn privacy_view(&self) -> Result<crate::privacy::PrivacyView> {
        Ok(crate::privacy::view(sync_dao::org_settings(&self.lock().conn)?.as_ref()))
    }

    // ---- from the organisation ---------------------------------------------------------

    /// Messages from the person's manager, newest first.
    pub fn feedback(&self) -> Result<Vec<Feedback>> {
        sync_dao::feedback(&self.lock().conn)
    }

    /// Marks a message read (stays on this device).
    pub fn mark_feedback_read(&self, id: &str) -> Result<()> {
        let now = to_ms(self.clock.now());
        if sync_dao::mark_feedback_read(&self.lock().conn, id, now)? {
            Ok(())
        } else {
            Err(Error::NotFound { entity: "feedback", id: id.into() })
        }
    }

    /// The organisation's settings, once received from the server.
    pub fn org_settings(&self) -> Result<Option<OrgSettings>> {
        sync_dao::org_settings(&self.lock().conn)
    }

    // ---- export ---------------------------------------------------------------------------

    /// Everything the person has recorded on this device.
    pub fn export(&self) -> Result<Export> {
        // Dates are compared as ISO strings: stay within four-digit years.
        let (first, last) = (NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default(), NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default());
        let inner = self.lock();
        let now = self.clock.now();
        let sessions = dao::sessions_between(&inner.conn, DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC)?
            .into_iter()
            .map(|r| self.session_view(&inner.schedule, r, now))
            .collect();
        Ok(Export {
            format_version: 1,
            exported_at: now,
            device_id: self.device_id.clone(),
            profile: inner.profile.clone(),
            work_sessions: sessions,
            tasks: dao::tasks(&inner.conn, None)?,
            check_ins: dao::check_in_history(&inner.conn, first, last)?,
            cbi_responses: dao::cbi_responses(&inner.conn)?.into_iter().map(CbiResponse::from).collect(),
            app_opens: dao::app_opens(&inner.conn, first, last)?,
        })
    }
}

/// The records statistics and the risk assessment are computed from, for local days
/// `[from, to]` (sessions up to the instant `end`; a running timer ends at `now`).
struct Records {
    spans: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    tasks: Vec<Task>,
    check_ins: Vec<CheckIn>,
    opens: Vec<NaiveDate>,
}

impl Records {
    fn load(inner: &Inner, from: NaiveDate, to: NaiveDate, end: DateTime<Utc>, now: DateTime<Utc>) -> Result<Records> {
        let rows = dao::sessions_between(&inner.conn, inner.schedule.day_start(from), end)?;
        Ok(Records {
            spans: merge_overlaps(rows.iter().map(|r| (r.started_at, r.ended_at.unwrap_or(now).max(r.started_at))).collect()),
            tasks: dao::tasks(&inner.conn, None)?,
            check_ins: dao::current_check_ins(&inner.conn, from, to)?,
            opens: dao::app_opens(&inner.conn, from, to)?.into_iter().map(|d| d.local_date).collect(),
        })
    }

    fn stats_input<'a>(&'a self, schedule: &'a Schedule) -> StatsInput<'a> {
        StatsInput { schedule, sessions: &self.spans, tasks: &self.tasks, check_ins: &self.check_ins, app_open_days: &self.opens }
    }
}


/// Instants are stored with millisecond precision: round every instant to the nearest
/// millisecond on the way in, so a record returned by a write equals the same record read back
/// later. Rounding, not truncating: Swift's `Date` is a Double, and an instant the app got from
/// the core (…237.102 s) comes back as …237.1019999 s, which truncation would move a millisecond
/// earlier.
fn deletion_request_of((id, requested_at, waiting): (String, DateTime<Utc>, bool)) -> DeletionRequest {
    let status = if waiting { DeletionRequestStatus::WaitingToSend } else { DeletionRequestStatus::Received };
    DeletionRequest { id, requested_at, status }
}

fn to_ms(t: DateTime<Utc>) -> DateTime<Utc> {
    let round_up = i64::from(t.timestamp_subsec_nanos() % 1_000_000 >= 500_000);
    DateTime::from_timestamp_millis(t.timestamp_millis() + round_up).unwrap_or(t)
}

fn check_date_range(from: NaiveDate, to: NaiveDate) -> Result<()> {
    // Dates are compared as ISO strings in SQL: keep them to four-digit years after 1970.
    for (field, d) in [("from", from), ("to", to)] {
        use chrono::Datelike;
        if !(1970..=9999).contains(&d.year()) {
            return Err(Error::invalid(field, InvalidReason::OutOfRange, format!("{d} is outside the years 1970 to 9999")));
        }
    }
    if to < from {
        return Err(Error::invalid("to", InvalidReason::EndBeforeStart, "the range must end on or after its start"));
    }
    if (to - from).num_days() > MAX_STATS_DAYS {
        return Err(Error::invalid("to", InvalidReason::OutOfRange, format!("at most {MAX_STATS_DAYS} days at once")));
    }
    Ok(())
}

/// The context of one write transaction: its time, the schedule and profile it sees, its HLC
/// stamps and its outbox entries.
struct Writer<'a> {
    store: &'a Store,
    now: DateTime<Utc>,
    last_hlc: Option<String>,
    schedule: Schedule,
    profile: Profile,
    profile_changed: bool,
}

impl Writer<'_> {
    /// The profile (and its schedule) this transaction saved: cached on commit.
    fn set_profile(&mut self, profile: Profile, schedule: Schedule) {
        self.profile = profile;
        self.schedule = schedule;
        self.profile_changed = true;
    }

    fn save_photo(&mut self, tx: &Transaction, jpeg: Option<&[u8]>) -> Result<Profile> {
        dao::set_photo(tx, jpeg, self.now)?;
        let mut profile = self.profile.clone();
        profile.has_photo = jpeg.is_some();
        profile.updated_at = Some(self.now);
        let schedule = self.schedule.clone();
        self.set_profile(profile.clone(), schedule);
        Ok(profile)
    }

    fn stamp(&mut self) -> String {
        let s = self.store.hlc.stamp();
        self.last_hlc = Some(s.clone());
        s
    }

    fn record(&mut self, tx: &Transaction, entity: Entity, record_id: &str, op: Op, hlc: &str, payload: serde_json::Value) -> Result<()> {
        let change = Change { id: Uuid::now_v7(), entity, record_id: record_id.to_string(), op, hlc: hlc.to_string(), payload };
        dao::enqueue(tx, &change, self.now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_sessions_from_two_devices_count_once() {
        let t = |h: i64| DateTime::from_timestamp(1_795_000_000 + h * 3600, 0).unwrap();
        let merged = merge_overlaps(vec![(t(5), t(6)), (t(0), t(2)), (t(1), t(3)), (t(3), t(4))]);
        assert_eq!(merged, vec![(t(0), t(3)), (t(3), t(4)), (t(5), t(6))]);
    }

    #[test]
    fn a_deletion_request_needs_an_account_is_recorded_offline_once_and_waits_for_sync() {
        use crate::clock::FixedClock;
        let dir = tempfile::TempDir::new().unwrap();
        let t0 = DateTime::from_timestamp(1_795_000_000, 0).unwrap();
        let clock = Arc::new(FixedClock::new(t0));
        let store = Store::open_with_clock(dir.path().join("q.db"), clock.clone()).unwrap();
        assert_eq!(store.deletion_request().unwrap(), None);
        // Only on this phone: nobody to ask.
        assert!(matches!(store.request_deletion(), Err(Error::Sync(crate::sync::SyncError::NotSignedIn))));
        assert_eq!(store.pending_change_count().unwrap(), 0);

        // Signed in once, then signed out (tokens gone): the request still waits for the next sync.
        let account = sync_dao::AccountRow {
            server_url: "https://q.example.kz".into(),
            email: "a@acme.kz".into(),
            user_id: "u1".into(),
            role: qamqor_protocol::Role::Employee,
            access_token: None,
            access_expires_at: None,
            refresh_token: None,
            refresh_expires_at: None,
            signed_in_at: t0,
        };
        sync_dao::save_account(&store.lock().conn, &account).unwrap();
        let asked = store.request_deletion().unwrap();
        assert_eq!((asked.status, asked.requested_at), (DeletionRequestStatus::WaitingToSend, t0));
        let changes = store.pending_changes(100).unwrap();
        assert_eq!(changes.len(), 1);
        let change = &changes[0];
        assert_eq!((change.entity, change.record_id.as_str(), change.op), (Entity::DeletionRequest, asked.id.as_str(), Op::Upsert));
        assert_eq!(change.payload, serde_json::json!({ "requested_at": t0.timestamp_millis() }));

        clock.advance(chrono::Duration::hours(2));
        assert_eq!(store.request_deletion().unwrap(), asked, "asking again returns the request already made");
        assert_eq!(store.pending_change_count().unwrap(), 1, "and sends nothing more");

        drop(store);
        let store = Store::open_with_clock(dir.path().join("q.db"), clock.clone()).unwrap();
        assert_eq!(store.deletion_request().unwrap(), Some(asked.clone()), "kept across restarts");
        store.acknowledge_changes(&[change.id.to_string()]).unwrap();
        assert_eq!(store.deletion_request().unwrap().unwrap().status, DeletionRequestStatus::Received, "the server has it");
    }

    #[test]
    fn instants_round_to_the_nearest_millisecond() {
        let at = |ns: i64| to_ms(DateTime::from_timestamp_nanos(1_795_438_237_000_000_000 + ns)).timestamp_nanos_opt();
        // A Double from Swift just below a millisecond boundary keeps that millisecond.
        assert_eq!(at(101_999_999), Some(1_795_438_237_102_000_000));
        assert_eq!(at(102_000_000), Some(1_795_438_237_102_000_000));
        assert_eq!(at(102_499_999), Some(1_795_438_237_102_000_000));
        assert_eq!(at(102_500_000), Some(1_795_438_237_103_000_000));
    }
}
