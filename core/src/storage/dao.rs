//! All SQL of the device database, as functions over a connection or transaction.
//! Rows are read by column name; times are UTC milliseconds, local dates ISO strings.

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use rusqlite::{named_params, Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::model::{AppOpenDay, CheckIn, Language, Profile, SessionSource, Task, TaskStatus, WorkSchedule};
use qamqor_protocol::{Change, Entity, Op};

pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_ms(v: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(v).unwrap_or(DateTime::UNIX_EPOCH)
}

fn date(s: &str) -> rusqlite::Result<NaiveDate> {
    s.parse().map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

fn corrupt(what: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unexpected {what} '{value}' in the database").into(),
    )
}

// ---- meta -------------------------------------------------------------------------------

pub(crate) fn meta_get(c: &Connection, key: &str) -> Result<Option<String>> {
    Ok(c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get("value")).optional()?)
}

pub(crate) fn meta_set(c: &Connection, key: &str, value: &str) -> Result<()> {
    c.prepare_cached("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")?
        .execute([key, value])?;
    Ok(())
}

// ---- profile ----------------------------------------------------------------------------

fn days_to_mask(days: &[Weekday]) -> i64 {
    days.iter().fold(0, |m, d| m | (1 << d.num_days_from_monday()))
}

fn mask_to_days(mask: i64) -> Vec<Weekday> {
    (0..7u8)
        .filter(|i| mask & (1 << i) != 0)
        .filter_map(|i| Weekday::try_from(i).ok())
        .collect()
}

pub(crate) fn profile(c: &Connection) -> Result<Option<Profile>> {
    Ok(c
        .query_row(
            "SELECT name, department, position, qualification_level, working_days, day_start_minute,
                    day_end_minute, time_zone, remote_work, language, photo_jpeg IS NOT NULL AS has_photo,
                    updated_at
             FROM profile WHERE id = 1",
            [],
            |r| {
                let lang: String = r.get("language")?;
                Ok(Profile {
                    name: r.get("name")?,
                    department: r.get("department")?,
                    position: r.get("position")?,
                    qualification_level: r.get("qualification_level")?,
                    schedule: WorkSchedule {
                        working_days: mask_to_days(r.get("working_days")?),
                        start_minute: r.get("day_start_minute")?,
                        end_minute: r.get("day_end_minute")?,
                        time_zone: r.get("time_zone")?,
                    },
                    remote_work: r.get("remote_work")?,
                    language: Language::parse(&lang).ok_or_else(|| corrupt("language", &lang))?,
                    has_photo: r.get("has_photo")?,
                    updated_at: Some(from_ms(r.get("updated_at")?)),
                })
            },
        )
        .optional()?)
}

pub(crate) fn save_profile(c: &Connection, p: &Profile, hlc: &str) -> Result<()> {
    let updated_at = p.updated_at.map(ms).unwrap_or_default();
    c.execute(
        "INSERT INTO profile (id, name, department, position, qualification_level, working_days,
                              day_start_minute, day_end_minute, time_zone, remote_work, language, hlc, updated_at)
         VALUES (1, :name, :department, :position, :level, :days, :start, :end, :tz, :remote, :lang, :hlc, :updated_at)
         ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, department = excluded.department, position = excluded.position,
            qualification_level = excluded.qualification_level, working_days = excluded.working_days,
            day_start_minute = excluded.day_start_minute, day_end_minute = excluded.day_end_minute,
            time_zone = excluded.time_zone, remote_work = excluded.remote_work, language = excluded.language,
            hlc = excluded.hlc, updated_at = excluded.updated_at",
        named_params! {
            ":name": p.name, ":department": p.department, ":position": p.position,
            ":level": p.qualification_level, ":days": days_to_mask(&p.schedule.working_days),
            ":start": p.schedule.start_minute, ":end": p.schedule.end_minute, ":tz": p.schedule.time_zone,
            ":remote": p.remote_work, ":lang": p.language.code(), ":hlc": hlc, ":updated_at": updated_at,
        },
    )?;
    Ok(())
}

/// Sets the photo. It stays on the device (it is not synced), so the profile's stamp, which
/// orders synced profile edits, does not move.
pub(crate) fn set_photo(c: &Connection, jpeg: Option<&[u8]>, at: DateTime<Utc>) -> Result<()> {
    c.execute(
        "UPDATE profile SET photo_jpeg = ?1, updated_at = ?2 WHERE id = 1",
        rusqlite::params![jpeg, ms(at)],
    )?;
    Ok(())
}

pub(crate) fn photo(c: &Connection) -> Result<Option<Vec<u8>>> {
    Ok(c.query_row("SELECT photo_jpeg FROM profile WHERE id = 1", [], |r| r.get("photo_jpeg"))
        .optional()?
        .flatten())
}

// ---- work sessions ----------------------------------------------------------------------

/// A stored session before the schedule-derived minutes are added.
pub(crate) struct SessionRow {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub source: SessionSource,
    pub note: Option<String>,
}

fn session_row(r: &Row) -> rusqlite::Result<SessionRow> {
    let source: String = r.get("source")?;
    Ok(SessionRow {
        id: r.get("id")?,
        started_at: from_ms(r.get("started_at")?),
        ended_at: r.get::<_, Option<i64>>("ended_at")?.map(from_ms),
        source: SessionSource::parse(&source).ok_or_else(|| corrupt("session source", &source))?,
        note: r.get("note")?,
    })
}

const SESSION_COLUMNS: &str = "id, started_at, ended_at, source, note";

pub(crate) fn insert_session(c: &Connection, s: &SessionRow, now: DateTime<Utc>) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO work_sessions (id, started_at, ended_at, source, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(rusqlite::params![s.id, ms(s.started_at), s.ended_at.map(ms), s.source.as_str(), s.note, ms(now)])?;
    Ok(())
}

pub(crate) fn end_session(c: &Connection, id: &str, ended_at: DateTime<Utc>) -> Result<()> {
    c.execute("UPDATE work_sessions SET ended_at = ?2 WHERE id = ?1", rusqlite::params![id, ms(ended_at)])?;
    Ok(())
}

pub(crate) fn delete_session(c: &Connection, id: &str) -> Result<bool> {
    Ok(c.execute("DELETE FROM work_sessions WHERE id = ?1", [id])? == 1)
}

pub(crate) fn session(c: &Connection, id: &str) -> Result<Option<SessionRow>> {
    Ok(c
        .query_row(&format!("SELECT {SESSION_COLUMNS} FROM work_sessions WHERE id = ?1"), [id], session_row)
        .optional()?)
}

pub(crate) fn running_session(c: &Connection) -> Result<Option<SessionRow>> {
    Ok(c
        .query_row(&format!("SELECT {SESSION_COLUMNS} FROM work_sessions WHERE ended_at IS NULL"), [], session_row)
        .optional()?)
}

/// A session overlapping `[from, to)`, if any; a running one extends forever.
///
/// Stored sessions never overlap each other, so ordered by start they are ordered by end too:
/// only the last session starting before `to` can reach past `from`. One index probe, however
/// long the history.
pub(crate) fn overlapping_session(c: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Option<SessionRow>> {
    let last = c
        .prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS} FROM work_sessions WHERE started_at < ?1 ORDER BY started_at DESC LIMIT 1"
        ))?
        .query_row([ms(to)], session_row)
        .optional()?;
    Ok(last.filter(|s| s.ended_at.is_none_or(|end| end > from)))
}

/// Sessions overlapping `[from, to)`, oldest first. As sessions never overlap, the only one
/// starting before `from` that can reach into the range is the last one to start before it.
pub(crate) fn sessions_between(c: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<SessionRow>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS} FROM work_sessions
         WHERE started_at >= COALESCE((SELECT MAX(started_at) FROM work_sessions WHERE started_at < :from), :from)
           AND started_at < :to AND COALESCE(ended_at, 9223372036854775807) > :from
         ORDER BY started_at"
    ))?;
    let rows = stmt.query_map(named_params! { ":from": ms(from), ":to": ms(to) }, session_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- tasks ------------------------------------------------------------------------------

fn task_row(r: &Row) -> rusqlite::Result<Task> {
    let status: String = r.get("status")?;
    Ok(Task {
        id: r.get("id")?,
        title: r.get("title")?,
        notes: r.get("notes")?,
        due_date: r.get::<_, Option<String>>("due_date")?.map(|s| date(&s)).transpose()?,
        estimate_minutes: r.get("estimate_minutes")?,
        status: TaskStatus::parse(&status).ok_or_else(|| corrupt("task status", &status))?,
        assigned_by: r.get("assigned_by")?,
        created_at: from_ms(r.get("created_at")?),
        updated_at: from_ms(r.get("updated_at")?),
        completed_at: r.get::<_, Option<i64>>("completed_at")?.map(from_ms),
    })
}

const TASK_COLUMNS: &str =
    "id, title, notes, due_date, estimate_minutes, status, assigned_by, created_at, updated_at, completed_at";

pub(crate) fn save_task(c: &Connection, t: &Task, hlc: &str) -> Result<()> {
    c.execute(
        "INSERT INTO tasks (id, title, notes, due_date, estimate_minutes, status, assigned_by,
                            created_at, updated_at, completed_at, hlc)
         VALUES (:id, :title, :notes, :due, :estimate, :status, :assigned_by, :created, :updated, :completed, :hlc)
         ON CONFLICT (id) DO UPDATE SET
            title = excluded.title, notes = excluded.notes, due_date = excluded.due_date,
            estimate_minutes = excluded.estimate_minutes, status = excluded.status,
            assigned_by = excluded.assigned_by, updated_at = excluded.updated_at,
            completed_at = excluded.completed_at, hlc = excluded.hlc",
        named_params! {
            ":id": t.id, ":title": t.title, ":notes": t.notes, ":due": t.due_date.map(|d| d.to_string()),
            ":estimate": t.estimate_minutes, ":status": t.status.as_str(), ":assigned_by": t.assigned_by,
            ":created": ms(t.created_at), ":updated": ms(t.updated_at), ":completed": t.completed_at.map(ms),
            ":hlc": hlc,
        },
    )?;
    Ok(())
}

pub(crate) fn task(c: &Connection, id: &str) -> Result<Option<Task>> {
    Ok(c
        .query_row(&format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = ?1"), [id], task_row)
        .optional()?)
}

/// Tasks, optionally of one status: open ones by due date first, then the rest, newest first.
pub(crate) fn tasks(c: &Connection, status: Option<TaskStatus>) -> Result<Vec<Task>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {TASK_COLUMNS} FROM tasks WHERE ?1 IS NULL OR status = ?1
         ORDER BY status IN ('done', 'cancelled'), due_date IS NULL, due_date, created_at DESC, id DESC"
    ))?;
    let rows = stmt.query_map([status.map(TaskStatus::as_str)], task_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- check-ins --------------------------------------------------------------------------

fn check_in_row(r: &Row) -> rusqlite::Result<CheckIn> {
    let d: String = r.get("local_date")?;
    Ok(CheckIn {
        id: r.get("id")?,
        local_date: date(&d)?,
        fatigue: r.get("fatigue")?,
        stress: r.get("stress")?,
        mood: r.get("mood")?,
        sleep_hours: r.get("sleep_hours")?,
        note: r.get("note")?,
        recorded_at: from_ms(r.get("recorded_at")?),
        replaced: r.get::<_, Option<String>>("replaced_by")?.is_some(),
    })
}

const CHECK_IN_COLUMNS: &str = "id, local_date, fatigue, stress, mood, sleep_hours, note, recorded_at, replaced_by";

/// Inserts a check-in stamped `hlc` and makes the day's check-in with the greatest stamp the
/// current one (a local check-in is stamped after everything this device has seen, so it wins;
/// check-ins from other devices settle the same way on every device). Returns the id of the
/// check-in that was current before, if any.
pub(crate) fn insert_check_in(c: &Connection, ci: &CheckIn, hlc: &str) -> Result<Option<String>> {
    let previous = current_check_in_id(c, ci.local_date)?;
    // Inserted pointing at itself (not current) so the one-current-per-day index holds; the
    // foreign key is satisfied because the row exists once inserted.
    c.prepare_cached(
        "INSERT INTO check_ins (id, local_date, fatigue, stress, mood, sleep_hours, note, recorded_at, replaced_by, hlc)
         VALUES (:id, :date, :fatigue, :stress, :mood, :sleep, :note, :at, :id, :hlc)",
    )?
    .execute(named_params! {
            ":id": ci.id, ":date": ci.local_date.to_string(), ":fatigue": ci.fatigue, ":stress": ci.stress,
            ":mood": ci.mood, ":sleep": ci.sleep_hours, ":note": ci.note, ":at": ms(ci.recorded_at), ":hlc": hlc,
    })?;
    settle_current_check_in(c, ci.local_date)?;
    Ok(previous)
}

fn current_check_in_id(c: &Connection, day: NaiveDate) -> Result<Option<String>> {
    Ok(c
        .prepare_cached("SELECT id FROM check_ins INDEXED BY check_ins_one_current_per_day WHERE local_date = ?1 AND replaced_by IS NULL")?
        .query_row([day.to_string()], |r| r.get("id"))
        .optional()?)
}

/// Makes the check-in with the greatest stamp (then id) current on `day` and the others replaced
/// by it. Statement by statement the day never has two current check-ins.
pub(crate) fn settle_current_check_in(c: &Connection, day: NaiveDate) -> Result<()> {
    let d = day.to_string();
    let winner: Option<String> = c
        .prepare_cached("SELECT id FROM check_ins WHERE local_date = ?1 ORDER BY hlc IS NOT NULL DESC, hlc DESC, id DESC LIMIT 1")?
        .query_row([&d], |r| r.get("id"))
        .optional()?;
    let Some(winner) = winner else { return Ok(()) };
    c.prepare_cached("UPDATE check_ins SET replaced_by = id WHERE local_date = ?1")?.execute([&d])?;
    c.prepare_cached("UPDATE check_ins SET replaced_by = ?2 WHERE local_date = ?1 AND id <> ?2")?.execute([&d, &winner])?;
    c.prepare_cached("UPDATE check_ins SET replaced_by = NULL WHERE id = ?1")?.execute([&winner])?;
    Ok(())
}

/// Deletes a check-in (a tombstone from another device) and settles its day again.
pub(crate) fn delete_check_in(c: &Connection, id: &str) -> Result<()> {
    let day: Option<String> =
        c.prepare_cached("SELECT local_date FROM check_ins WHERE id = ?1")?.query_row([id], |r| r.get("local_date")).optional()?;
    let Some(day) = day else { return Ok(()) };
    c.prepare_cached("UPDATE check_ins SET replaced_by = id WHERE local_date = ?1")?.execute([&day])?;
    c.prepare_cached("DELETE FROM check_ins WHERE id = ?1")?.execute([id])?;
    settle_current_check_in(c, date(&day)?)
}

/// The current check-ins of the days in `[from, to]`, oldest first. (`INDEXED BY`: the planner
/// otherwise prefers the foreign-key index, which matches every current check-in.)
pub(crate) fn current_check_ins(c: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<CheckIn>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {CHECK_IN_COLUMNS} FROM check_ins INDEXED BY check_ins_one_current_per_day
         WHERE replaced_by IS NULL AND local_date BETWEEN ?1 AND ?2 ORDER BY local_date"
    ))?;
    let rows = stmt.query_map([from.to_string(), to.to_string()], check_in_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every version of every check-in of the days in `[from, to]`, in recording order.
pub(crate) fn check_in_history(c: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<CheckIn>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {CHECK_IN_COLUMNS} FROM check_ins WHERE local_date BETWEEN ?1 AND ?2 ORDER BY local_date, recorded_at, id"
    ))?;
    let rows = stmt.query_map([from.to_string(), to.to_string()], check_in_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// All days with a check-in, ascending.
pub(crate) fn check_in_dates(c: &Connection) -> Result<Vec<NaiveDate>> {
    let mut stmt = c.prepare_cached(
        "SELECT local_date FROM check_ins INDEXED BY check_ins_one_current_per_day WHERE replaced_by IS NULL ORDER BY local_date",
    )?;
    let rows = stmt.query_map([], |r| date(&r.get::<_, String>("local_date")?))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- CBI --------------------------------------------------------------------------------

/// A stored questionnaire response.
pub(crate) struct CbiRow {
    pub id: String,
    pub answered_at: DateTime<Utc>,
    pub answers: Vec<Option<u8>>,
    pub personal: Option<f64>,
    pub work_related: Option<f64>,
    pub client_related: Option<f64>,
}

fn cbi_row(r: &Row) -> rusqlite::Result<CbiRow> {
    let answers: String = r.get("answers_json")?;
    Ok(CbiRow {
        id: r.get("id")?,
        answered_at: from_ms(r.get("answered_at")?),
        answers: serde_json::from_str(&answers).map_err(|_| corrupt("CBI answers", &answers))?,
        personal: r.get("personal")?,
        work_related: r.get("work_related")?,
        client_related: r.get("client_related")?,
    })
}

pub(crate) fn insert_cbi(c: &Connection, row: &CbiRow) -> Result<()> {
    c.execute(
        "INSERT INTO cbi_responses (id, answered_at, answers_json, personal, work_related, client_related)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![
            row.id,
            ms(row.answered_at),
            serde_json::to_string(&row.answers)?,
            row.personal,
            row.work_related,
            row.client_related
        ],
    )?;
    Ok(())
}

/// All responses, oldest first.
pub(crate) fn cbi_responses(c: &Connection) -> Result<Vec<CbiRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, answered_at, answers_json, personal, work_related, client_related
         FROM cbi_responses ORDER BY answered_at",
    )?;
    let rows = stmt.query_map([], cbi_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- app activity -----------------------------------------------------------------------

fn app_open_row(r: &Row) -> rusqlite::Result<AppOpenDay> {
    Ok(AppOpenDay {
        local_date: date(&r.get::<_, String>("local_date")?)?,
        open_count: r.get("open_count")?,
        first_opened_at: from_ms(r.get("first_opened_at")?),
        last_opened_at: from_ms(r.get("last_opened_at")?),
    })
}

pub(crate) fn record_app_open(c: &Connection, day: NaiveDate, at: DateTime<Utc>) -> Result<AppOpenDay> {
    Ok(c.query_row(
        "INSERT INTO app_opens (local_date, open_count, first_opened_at, last_opened_at) VALUES (?1, 1, ?2, ?2)
         ON CONFLICT (local_date) DO UPDATE SET open_count = open_count + 1, last_opened_at = excluded.last_opened_at
         RETURNING local_date, open_count, first_opened_at, last_opened_at",
        rusqlite::params![day.to_string(), ms(at)],
        app_open_row,
    )?)
}

pub(crate) fn app_opens(c: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<AppOpenDay>> {
    // This device's opens plus those its person's other devices reported.
    let mut stmt = c.prepare_cached(
        "SELECT local_date, SUM(open_count) AS open_count, MIN(first_opened_at) AS first_opened_at,
                MAX(last_opened_at) AS last_opened_at
         FROM (SELECT local_date, open_count, first_opened_at, last_opened_at FROM app_opens
               WHERE local_date BETWEEN ?1 AND ?2
               UNION ALL
               SELECT local_date, open_count, first_opened_at, last_opened_at FROM other_app_opens
               WHERE local_date BETWEEN ?1 AND ?2)
         GROUP BY local_date ORDER BY local_date",
    )?;
    let rows = stmt.query_map([from.to_string(), to.to_string()], app_open_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- outbox -----------------------------------------------------------------------------

pub(crate) fn enqueue(c: &Connection, change: &Change, now: DateTime<Utc>) -> Result<()> {
    c.prepare_cached("INSERT INTO outbox (id, entity, record_id, op, hlc, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?
    .execute(rusqlite::params![
            change.id.to_string(),
            change.entity.as_str(),
            change.record_id,
            change.op.as_str(),
            change.hlc,
            change.payload.to_string(),
            ms(now)
    ])?;
    Ok(())
}

pub(crate) fn outbox_count(c: &Connection) -> Result<u64> {
    Ok(c.query_row("SELECT COUNT(*) AS n FROM outbox", [], |r| r.get::<_, i64>("n"))? as u64)
}

/// The oldest `limit` pending changes, in the order they were made.
pub(crate) fn outbox(c: &Connection, limit: u32) -> Result<Vec<Change>> {
    let mut stmt =
        c.prepare_cached("SELECT id, entity, record_id, op, hlc, payload FROM outbox ORDER BY seq LIMIT ?1")?;
    let rows = stmt.query_map([limit], |r| {
        Ok((
            r.get::<_, String>("id")?,
            r.get::<_, String>("entity")?,
            r.get::<_, String>("record_id")?,
            r.get::<_, String>("op")?,
            r.get::<_, String>("hlc")?,
            r.get::<_, String>("payload")?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, entity, record_id, op, hlc, payload) = row?;
        out.push(Change {
            id: id.parse().map_err(|_| Error::Corrupt(format!("outbox id '{id}'")))?,
            entity: Entity::parse(&entity).ok_or_else(|| Error::Corrupt(format!("outbox entity '{entity}'")))?,
            record_id,
            op: Op::parse(&op).ok_or_else(|| Error::Corrupt(format!("outbox op '{op}'")))?,
            hlc,
            payload: serde_json::from_str(&payload)?,
        });
    }
    Ok(out)
}

pub(crate) fn remove_from_outbox(c: &Connection, ids: &[String]) -> Result<u64> {
    let mut stmt = c.prepare_cached("DELETE FROM outbox WHERE id = ?1")?;
    let mut n = 0;
    for id in ids {
        n += stmt.execute([id])? as u64;
    }
    Ok(n)
}

// ---- risk ---------------------------------------------------------------------------------

/// A stored daily assessment.
pub(crate) struct RiskRow {
    pub local_date: NaiveDate,
    pub assessed_at: DateTime<Utc>,
    pub score: Option<f64>,
    pub level: Option<String>,
    pub model_version: String,
    pub factors_json: String,
}

impl RiskRow {
    /// The same day and the same result (when it was assessed aside).
    pub fn same_result(&self, other: &RiskRow) -> bool {
        self.local_date == other.local_date
            && self.score == other.score
            && self.level == other.level
            && self.model_version == other.model_version
            && self.factors_json == other.factors_json
    }
}

pub(crate) fn save_assessment(c: &Connection, r: &RiskRow) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO risk_assessments (local_date, assessed_at, score, level, model_version, factors_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (local_date) DO UPDATE SET assessed_at = excluded.assessed_at, score = excluded.score,
            level = excluded.level, model_version = excluded.model_version, factors_json = excluded.factors_json",
    )?
    .execute(rusqlite::params![r.local_date.to_string(), ms(r.assessed_at), r.score, r.level, r.model_version, r.factors_json])?;
    Ok(())
}

/// The latest `limit` daily assessments, newest first.
pub(crate) fn assessments(c: &Connection, limit: u32) -> Result<Vec<RiskRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT local_date, assessed_at, score, level, model_version, factors_json
         FROM risk_assessments ORDER BY local_date DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok(RiskRow {
            local_date: date(&r.get::<_, String>("local_date")?)?,
            assessed_at: from_ms(r.get("assessed_at")?),
            score: r.get("score")?,
            level: r.get("level")?,
            model_version: r.get("model_version")?,
            factors_json: r.get("factors_json")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn save_risk_model(c: &Connection, version: &str, artifact: &[u8], at: DateTime<Utc>) -> Result<()> {
    c.execute(
        "INSERT INTO risk_models (version, artifact, installed_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (version) DO UPDATE SET artifact = excluded.artifact, installed_at = excluded.installed_at",
        rusqlite::params![version, artifact, ms(at)],
    )?;
    Ok(())
}

/// Installed model artifacts, most recently installed first.
pub(crate) fn risk_models(c: &Connection) -> Result<Vec<Vec<u8>>> {
    let mut stmt = c.prepare_cached("SELECT artifact FROM risk_models ORDER BY installed_at DESC")?;
    let rows = stmt.query_map([], |r| r.get("artifact"))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// All questionnaire responses answered since `since`, oldest first.
pub(crate) fn cbi_responses_since(c: &Connection, since: DateTime<Utc>) -> Result<Vec<CbiRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, answered_at, answers_json, personal, work_related, client_related
         FROM cbi_responses WHERE answered_at >= ?1 ORDER BY answered_at",
    )?;
    let rows = stmt.query_map([ms(since)], cbi_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
