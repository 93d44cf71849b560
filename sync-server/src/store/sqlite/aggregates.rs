//! Keeps the tables derived from a person's records current (`person_schedules`,
//! `person_sessions`, `person_days`, `person_tasks`, `person_risk`), inside the push transaction
//! that changed the records, so the statistics never disagree with what was acknowledged. The
//! rules are the pure functions of [`crate::aggregates`]; this module only reads and writes.
//!
//! A push notes what each applied change touches ([`Touched::note`], before the record is
//! overwritten, so the days of the state it replaces are known), then recomputes exactly those
//! person-days ([`Touched::apply`]). A new profile can change the time zone and working days, so
//! it recomputes all of the person's days and tasks.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate};
use qamqor_core::schedule::Schedule;
use qamqor_protocol::{Change, Entity, Op};
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::Value;

use crate::aggregates::{self, ScheduleRow, MAX_SESSION_MS};
use crate::store::admin::SyncKind;
use crate::store::{Millis, StoreResult};

/// Touched days closer than this are recomputed as one range.
const CLUSTER_GAP_DAYS: i64 = 31;

/// What the changes of one push touched, for one person.
#[derive(Debug, Default)]
pub(super) struct Touched {
    profile: bool,
    spans: Vec<(Millis, Millis)>,
    dates: BTreeSet<NaiveDate>,
    tasks: BTreeSet<String>,
    risks: BTreeSet<String>,
}

/// The current state of one of the person's records.
fn record(tx: &Transaction, user_id: &str, entity: Entity, record_id: &str) -> StoreResult<Option<(String, Value)>> {
    let row = tx
        .prepare_cached("SELECT op, payload FROM records WHERE user_id = ?1 AND entity = ?2 AND record_id = ?3")?
        .query_row(params![user_id, entity.as_str(), record_id], |r| Ok((r.get::<_, String>("op")?, r.get::<_, String>("payload")?)))
        .optional()?;
    Ok(row.map(|(op, payload)| (op, serde_json::from_str(&payload).unwrap_or(Value::Null))))
}

/// The payload of a record that is not deleted.
fn live_payload(tx: &Transaction, user_id: &str, entity: Entity, record_id: &str) -> StoreResult<Option<Value>> {
    Ok(record(tx, user_id, entity, record_id)?.and_then(|(op, p)| (op == Op::Upsert.as_str()).then_some(p)))
}

impl Touched {
    /// Notes what an applied change touches. Call it before the record is overwritten.
    pub(super) fn note(&mut self, tx: &Transaction, user_id: &str, c: &Change) -> StoreResult<()> {
        match c.entity {
            Entity::Profile => self.profile = true,
            Entity::WorkSession => {
                let old = tx
                    .prepare_cached("SELECT started_at, ended_at FROM person_sessions WHERE user_id = ?1 AND record_id = ?2")?
                    .query_row(params![user_id, c.record_id], |r| Ok((r.get::<_, Millis>("started_at")?, r.get::<_, Millis>("ended_at")?)))
                    .optional()?;
                if let Some(span) = old {
                    self.spans.push(span);
                    tx.prepare_cached("DELETE FROM person_sessions WHERE user_id = ?1 AND record_id = ?2")?
                        .execute(params![user_id, c.record_id])?;
                }
                let new = if c.op == Op::Upsert { aggregates::session_span(&c.payload) } else { None };
                if let Some((start, end)) = new {
                    tx.prepare_cached(
                        "INSERT INTO person_sessions (user_id, record_id, started_at, ended_at) VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![user_id, c.record_id, start, end])?;
                    self.spans.push((start, end));
                }
            }
            Entity::CheckIn | Entity::AppOpen => {
                if let Some(old) = live_payload(tx, user_id, c.entity, &c.record_id)? {
                    self.dates.extend(aggregates::payload_local_date(&old));
                }
                if c.op == Op::Upsert {
                    self.dates.extend(aggregates::payload_local_date(&c.payload));
                }
            }
            Entity::Task => {
                self.tasks.insert(c.record_id.clone());
            }
            Entity::RiskAssessment => {
                self.risks.insert(c.record_id.clone());
            }
            Entity::CbiResponse | Entity::Feedback | Entity::OrgSettings | Entity::RiskModel | Entity::DeletionRequest => {}
            // Ratings are computed when asked for, from the records themselves.
            Entity::Achievement | Entity::AchievementReview | Entity::RatingCatalogue => {}
            Entity::CompetencyAssignment | Entity::SkillRating | Entity::ManagerSkillRating => {}
        }
        Ok(())
    }

    /// Recomputes what was touched, from the records as they now are.
    pub(super) fn apply(self, tx: &Transaction, org_id: &str, user_id: &str) -> StoreResult<()> {
        if self.profile {
            refresh_schedule(tx, user_id)?;
        }
        let row = schedule_row(tx, user_id)?;
        let schedule = row.resolve();
        let mut weeks = BTreeSet::new();
        if self.profile {
            rebuild_days(tx, org_id, user_id, &schedule)?;
            refresh_all_tasks(tx, org_id, user_id, &schedule)?;
        } else {
            let mut days = self.dates;
            for span in self.spans {
                let (first, last) = aggregates::span_days(&schedule, span);
                days.extend(first.iter_days().take_while(|d| *d <= last));
            }
            for (from, to) in aggregates::clusters(&days, CLUSTER_GAP_DAYS) {
                recompute_days(tx, org_id, user_id, &schedule, from, to)?;
                weeks.extend(from.iter_days().take_while(|d| *d <= to).map(monday));
            }
            for task_id in &self.tasks {
                refresh_task(tx, org_id, user_id, &schedule, task_id)?;
            }
        }
        for record_id in &self.risks {
            refresh_risk(tx, org_id, user_id, record_id)?;
            weeks.extend(record_id.parse::<NaiveDate>().ok().map(monday));
        }
        if self.profile {
            rebuild_weeks(tx, org_id, user_id)?;
        } else {
            for week in weeks {
                refresh_week(tx, org_id, user_id, week)?;
            }
        }
        Ok(())
    }
}

/// The person's schedule as stored (the default one without a profile).
pub(super) fn schedule_row(tx: &rusqlite::Connection, user_id: &str) -> StoreResult<ScheduleRow> {
    let row = tx
        .prepare_cached("SELECT working_days, start_minute, end_minute, time_zone FROM person_schedules WHERE user_id = ?1")?
        .query_row(params![user_id], |r| {
            Ok(ScheduleRow {
                working_days: r.get("working_days")?,
                start_minute: r.get("start_minute")?,
                end_minute: r.get("end_minute")?,
                time_zone: r.get("time_zone")?,
            })
        })
        .optional()?;
    Ok(row.unwrap_or_else(ScheduleRow::default_row))
}

/// Stores the schedule of the person's current profile (or forgets it: the default applies).
fn refresh_schedule(tx: &Transaction, user_id: &str) -> StoreResult<()> {
    let schedule = live_payload(tx, user_id, Entity::Profile, "profile")?.and_then(|p| aggregates::profile_schedule(&p));
    match schedule {
        Some(s) => {
            let row = ScheduleRow::from_schedule(&s);
            tx.prepare_cached(
                "INSERT INTO person_schedules (user_id, working_days, start_minute, end_minute, time_zone)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (user_id) DO UPDATE SET working_days = excluded.working_days,
                     start_minute = excluded.start_minute, end_minute = excluded.end_minute, time_zone = excluded.time_zone",
            )?
            .execute(params![user_id, row.working_days, row.start_minute, row.end_minute, row.time_zone])?;
        }
        None => {
            tx.prepare_cached("DELETE FROM person_schedules WHERE user_id = ?1")?.execute(params![user_id])?;
        }
    }
    Ok(())
}

/// The local dates of the person's live check-ins or app opens within `[from, to]` (all when
/// `None`), with the payloads.
fn dated_payloads(
    tx: &Transaction,
    user_id: &str,
    entity: Entity,
    range: Option<(NaiveDate, NaiveDate)>,
) -> StoreResult<Vec<Value>> {
    let (from, to) = range.map_or_else(|| ("0000".to_string(), "9999".to_string()), |(a, b)| (a.to_string(), b.to_string()));
    let mut stmt = tx.prepare_cached(
        "SELECT payload FROM records
         WHERE user_id = ?1 AND entity = ?2 AND op = 'upsert'
           AND json_extract(payload, '$.local_date') BETWEEN ?3 AND ?4",
    )?;
    let rows = stmt.query_map(params![user_id, entity.as_str(), from, to], |r| r.get::<_, String>("payload"))?;
    let mut out = Vec::new();
    for payload in rows {
        if let Ok(v) = serde_json::from_str(&payload?) {
            out.push(v);
        }
    }
    Ok(out)
}

/// Recomputes the person's `person_days` rows of `[from, to]`.
fn recompute_days(
    tx: &Transaction,
    org_id: &str,
    user_id: &str,
    schedule: &Schedule,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<()> {
    let start = schedule.day_start(from).timestamp_millis();
    let end = schedule.day_start(to + Days::new(1)).timestamp_millis();
    let spans = tx
        .prepare_cached(
            "SELECT started_at, ended_at FROM person_sessions
             WHERE user_id = ?1 AND started_at >= ?2 AND started_at < ?3 AND ended_at > ?4",
        )?
        .query_map(params![user_id, start - MAX_SESSION_MS, end, start], |r| {
            Ok((r.get::<_, Millis>("started_at")?, r.get::<_, Millis>("ended_at")?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let check_ins: Vec<_> =
        dated_payloads(tx, user_id, Entity::CheckIn, Some((from, to)))?.iter().filter_map(aggregates::payload_local_date).collect();
    let opens: Vec<_> =
        dated_payloads(tx, user_id, Entity::AppOpen, Some((from, to)))?.iter().filter_map(aggregates::payload_local_date).collect();
    tx.prepare_cached("DELETE FROM person_days WHERE user_id = ?1 AND day BETWEEN ?2 AND ?3")?.execute(params![
        user_id,
        from.to_string(),
        to.to_string()
    ])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO person_days (org_id, day, user_id, worked_minutes, scheduled_minutes, overtime_minutes,
             after_hours_minutes, weekend_minutes, check_in, app_open)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for d in aggregates::day_rows(schedule, &spans, &check_ins, &opens, from, to) {
        insert.execute(params![
            org_id,
            d.day.to_string(),
            user_id,
            d.worked_minutes,
            d.scheduled_minutes,
            d.overtime_minutes,
            d.after_hours_minutes,
            d.weekend_minutes,
            d.check_in,
            d.app_open
        ])?;
    }
    Ok(())
}

/// Recomputes every `person_days` row of the person (after a schedule change).
fn rebuild_days(tx: &Transaction, org_id: &str, user_id: &str, schedule: &Schedule) -> StoreResult<()> {
    tx.prepare_cached("DELETE FROM person_days WHERE user_id = ?1")?.execute(params![user_id])?;
    let mut days = BTreeSet::new();
    let bounds = tx
        .prepare_cached("SELECT MIN(started_at) AS a, MAX(ended_at) AS b FROM person_sessions WHERE user_id = ?1")?
        .query_row(params![user_id], |r| Ok((r.get::<_, Option<Millis>>("a")?, r.get::<_, Option<Millis>>("b")?)))?;
    if let (Some(a), Some(b)) = bounds {
        let (first, _) = aggregates::span_days(schedule, (a, a + 1));
        let (_, last) = aggregates::span_days(schedule, (b.saturating_sub(1), b));
        days.extend([first, last]);
    }
    for entity in [Entity::CheckIn, Entity::AppOpen] {
        days.extend(dated_payloads(tx, user_id, entity, None)?.iter().filter_map(aggregates::payload_local_date));
    }
    if let (Some(&from), Some(&to)) = (days.first(), days.last()) {
        recompute_days(tx, org_id, user_id, schedule, from, to)?;
    }
    Ok(())
}

fn refresh_task(tx: &Transaction, org_id: &str, user_id: &str, schedule: &Schedule, task_id: &str) -> StoreResult<()> {
    let facts = live_payload(tx, user_id, Entity::Task, task_id)?
        .and_then(|p| aggregates::task_facts(&p, schedule))
        .filter(aggregates::TaskFacts::counts);
    match facts {
        Some(f) => {
            tx.prepare_cached(
                "INSERT INTO person_tasks (org_id, user_id, task_id, completed_day, overdue_from, overdue_until)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (user_id, task_id) DO UPDATE SET completed_day = excluded.completed_day,
                     overdue_from = excluded.overdue_from, overdue_until = excluded.overdue_until",
            )?
            .execute(params![
                org_id,
                user_id,
                task_id,
                f.completed_day.map(|d| d.to_string()),
                f.overdue_from.map(|d| d.to_string()),
                f.overdue_until.map(|d| d.to_string())
            ])?;
        }
        None => {
            tx.prepare_cached("DELETE FROM person_tasks WHERE user_id = ?1 AND task_id = ?2")?.execute(params![user_id, task_id])?;
        }
    }
    Ok(())
}

fn refresh_all_tasks(tx: &Transaction, org_id: &str, user_id: &str, schedule: &Schedule) -> StoreResult<()> {
    tx.prepare_cached("DELETE FROM person_tasks WHERE user_id = ?1")?.execute(params![user_id])?;
    let ids = tx
        .prepare_cached("SELECT record_id FROM records WHERE user_id = ?1 AND entity = 'task' AND op = 'upsert'")?
        .query_map(params![user_id], |r| r.get::<_, String>("record_id"))?
        .collect::<Result<Vec<_>, _>>()?;
    for id in ids {
        refresh_task(tx, org_id, user_id, schedule, &id)?;
    }
    Ok(())
}

fn refresh_risk(tx: &Transaction, org_id: &str, user_id: &str, record_id: &str) -> StoreResult<()> {
    tx.prepare_cached("DELETE FROM person_risk WHERE user_id = ?1 AND day = ?2")?.execute(params![user_id, record_id])?;
    let Some((day, p)) = live_payload(tx, user_id, Entity::RiskAssessment, record_id)?.and_then(|p| aggregates::risk_assessment(&p))
    else {
        return Ok(());
    };
    let factors = p.factors.as_ref().map(|f| serde_json::to_string(f).unwrap_or_default());
    tx.prepare_cached(
        "INSERT INTO person_risk (org_id, user_id, day, level, score, factors) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (user_id, day) DO UPDATE SET level = excluded.level, score = excluded.score, factors = excluded.factors",
    )?
    .execute(params![org_id, user_id, day.to_string(), p.level, p.score, factors])?;
    Ok(())
}

/// The Monday of a date's ISO week.
fn monday(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// Recomputes the person's `person_weeks` row of the week starting on `week` from their
/// `person_days` and `person_risk` rows (no row when the week has neither).
fn refresh_week(tx: &Transaction, org_id: &str, user_id: &str, week: NaiveDate) -> StoreResult<()> {
    let (from, to) = (week.to_string(), (week + Days::new(6)).to_string());
    tx.prepare_cached("DELETE FROM person_weeks WHERE user_id = ?1 AND week = ?2")?.execute(params![user_id, from])?;
    tx.prepare_cached(
        "INSERT INTO person_weeks (org_id, week, user_id, worked_minutes, overtime_minutes, after_hours_minutes,
             weekend_minutes, session_working_days, check_in_working_days, check_in_days, app_open_days,
             risk_day, risk_level, risk_score)
         SELECT ?1, ?3, ?2, COALESCE(d.worked, 0), COALESCE(d.overtime, 0), COALESCE(d.after_hours, 0),
                COALESCE(d.weekend, 0), COALESCE(d.session_days, 0), COALESCE(d.check_in_working_days, 0),
                COALESCE(d.check_in_days, 0), COALESCE(d.app_open_days, 0), r.day, r.level, r.score
         FROM (SELECT COUNT(*) AS n, SUM(worked_minutes) AS worked, SUM(overtime_minutes) AS overtime,
                      SUM(after_hours_minutes) AS after_hours, SUM(weekend_minutes) AS weekend,
                      SUM(worked_minutes > 0 AND scheduled_minutes > 0) AS session_days,
                      SUM(check_in AND scheduled_minutes > 0) AS check_in_working_days,
                      SUM(check_in) AS check_in_days, SUM(app_open) AS app_open_days
               FROM person_days WHERE user_id = ?2 AND day BETWEEN ?3 AND ?4) AS d
         LEFT JOIN (SELECT day, level, score FROM person_risk
                    WHERE user_id = ?2 AND day BETWEEN ?3 AND ?4 AND level IS NOT NULL
                    ORDER BY day DESC LIMIT 1) AS r ON 1
         WHERE d.n > 0 OR r.day IS NOT NULL",
    )?
    .execute(params![org_id, user_id, from, to])?;
    Ok(())
}

/// Recomputes every `person_weeks` row of the person.
fn rebuild_weeks(tx: &Transaction, org_id: &str, user_id: &str) -> StoreResult<()> {
    tx.prepare_cached("DELETE FROM person_weeks WHERE user_id = ?1")?.execute(params![user_id])?;
    let days = tx
        .prepare_cached("SELECT day FROM person_days WHERE user_id = ?1 UNION SELECT day FROM person_risk WHERE user_id = ?1")?
        .query_map(params![user_id], |r| r.get::<_, String>("day"))?
        .collect::<Result<Vec<_>, _>>()?;
    let weeks: BTreeSet<NaiveDate> = days.iter().filter_map(|d| d.parse().ok()).map(monday).collect();
    for week in weeks {
        refresh_week(tx, org_id, user_id, week)?;
    }
    Ok(())
}

/// Rebuilds every derived table of one person from their records (migration 3's data step).
pub(super) fn rebuild_person(tx: &Transaction, org_id: &str, user_id: &str) -> StoreResult<()> {
    refresh_schedule(tx, user_id)?;
    let schedule = schedule_row(tx, user_id)?.resolve();
    tx.prepare_cached("DELETE FROM person_sessions WHERE user_id = ?1")?.execute(params![user_id])?;
    let sessions = tx
        .prepare_cached("SELECT record_id, payload FROM records WHERE user_id = ?1 AND entity = 'work_session' AND op = 'upsert'")?
        .query_map(params![user_id], |r| Ok((r.get::<_, String>("record_id")?, r.get::<_, String>("payload")?)))?
        .collect::<Result<Vec<_>, _>>()?;
    for (record_id, payload) in sessions {
        let span = serde_json::from_str(&payload).ok().and_then(|p: Value| aggregates::session_span(&p));
        if let Some((start, end)) = span {
            tx.prepare_cached("INSERT INTO person_sessions (user_id, record_id, started_at, ended_at) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![user_id, record_id, start, end])?;
        }
    }
    rebuild_days(tx, org_id, user_id, &schedule)?;
    refresh_all_tasks(tx, org_id, user_id, &schedule)?;
    let risks = tx
        .prepare_cached("SELECT record_id FROM records WHERE user_id = ?1 AND entity = 'risk_assessment'")?
        .query_map(params![user_id], |r| r.get::<_, String>("record_id"))?
        .collect::<Result<Vec<_>, _>>()?;
    for id in risks {
        refresh_risk(tx, org_id, user_id, &id)?;
    }
    rebuild_weeks(tx, org_id, user_id)
}

/// Counts a push or pull on the person's local day and marks them seen.
pub(super) fn log_sync(
    tx: &Transaction,
    org_id: &str,
    user_id: &str,
    device_id: &str,
    kind: SyncKind,
    at: Millis,
) -> StoreResult<()> {
    let day = schedule_row(tx, user_id)?.local_day(at).to_string();
    let (push, pull) = match kind {
        SyncKind::Push => (1, 0),
        SyncKind::Pull => (0, 1),
    };
    tx.prepare_cached(
        "INSERT INTO sync_days (org_id, day, user_id, device_id, pushes, pulls) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (org_id, day, user_id, device_id) DO UPDATE SET
             pushes = pushes + excluded.pushes, pulls = pulls + excluded.pulls",
    )?
    .execute(params![org_id, day, user_id, device_id, push, pull])?;
    tx.prepare_cached("UPDATE users SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?2) WHERE id = ?1")?
        .execute(params![user_id, at])?;
    Ok(())
}
