//! What the admin statistics derive from the records the devices push: the schedule of a
//! profile, the span of a work session, the day of a check-in or app open, the completion and
//! overdue days of a task, a shared risk level, and the per-day statistics of a person. Pure
//! functions over payloads (no I/O, no clock), reusing the device core's rules
//! (`qamqor_core::stats`, `qamqor_core::schedule`) so a day counts the same on the phone and in
//! the admin panel. The store calls them inside the push transaction to keep its derived tables
//! (`person_days`, `person_sessions`, `person_tasks`, `person_risk`) current.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use qamqor_core::schedule::Schedule;
use qamqor_core::stats::{self, StatsInput};
use qamqor_core::{Task, WorkSchedule};
use qamqor_protocol::RiskAssessmentPayload;
use serde::Deserialize;
use serde_json::Value;

use crate::store::Millis;

/// Work sessions longer than this are not counted (a device caps a manual session at a day; a
/// stopped timer of more than a week is a forgotten one or a forged payload, and would make the
/// store recompute years of days).
pub const MAX_SESSION_MS: Millis = 7 * 24 * 3600 * 1000;

/// Days derived from a payload are accepted within these years (like the device's ranges).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A schedule in the compact form the store keeps per person (`person_schedules`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRow {
    /// Bit 0 = Monday ... bit 6 = Sunday.
    pub working_days: u8,
    pub start_minute: u16,
    pub end_minute: u16,
    pub time_zone: String,
}

impl ScheduleRow {
    /// The device's default schedule: Monday to Friday, 09:00 to 18:00, Asia/Almaty.
    pub fn default_row() -> ScheduleRow {
        ScheduleRow::from_schedule(&WorkSchedule::default())
    }

    pub fn from_schedule(s: &WorkSchedule) -> ScheduleRow {
        let working_days = s.working_days.iter().fold(0u8, |m, d| m | (1 << d.num_days_from_monday()));
        ScheduleRow { working_days, start_minute: s.start_minute, end_minute: s.end_minute, time_zone: s.time_zone.clone() }
    }

    pub fn to_schedule(&self) -> WorkSchedule {
        let days = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
        WorkSchedule {
            working_days: days.into_iter().filter(|d| self.working_days & (1 << d.num_days_from_monday()) != 0).collect(),
            start_minute: self.start_minute,
            end_minute: self.end_minute,
            time_zone: self.time_zone.clone(),
        }
    }

    /// The resolved schedule; the default one if this row is not valid (it always is: rows are
    /// written from validated schedules).
    pub fn resolve(&self) -> Schedule {
        Schedule::new(&self.to_schedule()).unwrap_or_else(|_| default_schedule())
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        self.working_days & (1 << d.weekday().num_days_from_monday()) != 0
    }

    /// Working days in `[from, to]` (0 when the range is empty).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to < from {
            return 0;
        }
        let days = (to - from).num_days() + 1;
        let (weeks, rest) = (days / 7, days % 7);
        let per_week = self.working_days.count_ones() as i64;
        let tail = (0..rest).filter(|i| self.is_working_day(from + Days::new(*i as u64))).count() as i64;
        (weeks * per_week + tail) as u32
    }

    /// The person's local day at an instant.
    pub fn local_day(&self, at: Millis) -> NaiveDate {
        let tz: Tz = self.time_zone.parse().unwrap_or(chrono_tz::Asia::Almaty);
        let t = DateTime::from_timestamp_millis(at).unwrap_or_default();
        t.with_timezone(&tz).date_naive()
    }
}

/// The device's default schedule, resolved.
pub fn default_schedule() -> Schedule {
    // A constant that the core's own tests validate: not an input path.
    Schedule::new(&WorkSchedule::default()).expect("the default schedule is valid")
}

/// The schedule of a profile payload (the core's `ProfileInput`), if it has a valid one.
pub fn profile_schedule(payload: &Value) -> Option<WorkSchedule> {
    #[derive(Deserialize)]
    struct ProfileSchedule {
        schedule: WorkSchedule,
    }
    let p: ProfileSchedule = serde_json::from_value(payload.clone()).ok()?;
    Schedule::new(&p.schedule).ok().map(|_| p.schedule)
}

/// The span of an ended work session payload (`{started_at, ended_at, source, note}`), if it
/// is one that counts: ended, after it started, at most [`MAX_SESSION_MS`] long, within
/// [`YEARS`].
pub fn session_span(payload: &Value) -> Option<(Millis, Millis)> {
    #[derive(Deserialize)]
    struct Span {
        started_at: DateTime<Utc>,
        ended_at: Option<DateTime<Utc>>,
    }
    let s: Span = serde_json::from_value(payload.clone()).ok()?;
    let (start, end) = (s.started_at, s.ended_at?);
    let ok = end > start
        && (end - start).num_milliseconds() <= MAX_SESSION_MS
        && YEARS.contains(&start.year())
        && YEARS.contains(&end.year());
    ok.then(|| (start.timestamp_millis(), end.timestamp_millis()))
}

/// The `local_date` of a check-in or app-open payload.
pub fn payload_local_date(payload: &Value) -> Option<NaiveDate> {
    let d: NaiveDate = payload.get("local_date")?.as_str()?.parse().ok()?;
    YEARS.contains(&d.year()).then_some(d)
}

/// What the statistics need of one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFacts {
    pub completed_day: Option<NaiveDate>,
    pub overdue_from: Option<NaiveDate>,
    pub overdue_until: Option<NaiveDate>,
}

impl TaskFacts {
    /// Whether the task counts for any statistic (otherwise nothing is stored for it).
    pub fn counts(&self) -> bool {
        self.completed_day.is_some() || self.overdue_from.is_some()
    }
}

/// The completion day and overdue days of a task payload (the core's `Task`), per the core's
/// rules.
pub fn task_facts(payload: &Value, schedule: &Schedule) -> Option<TaskFacts> {
    let task: Task = serde_json::from_value(payload.clone()).ok()?;
    let in_years = |d: &NaiveDate| YEARS.contains(&d.year());
    let completed_day = stats::completed_on(&task, schedule).filter(in_years);
    let overdue = stats::overdue_days(&task, schedule).filter(|(from, _)| in_years(from));
    Some(TaskFacts {
        completed_day,
        overdue_from: overdue.map(|(from, _)| from),
        overdue_until: overdue.and_then(|(_, until)| until),
    })
}

/// A shared risk assessment (validated on push).
pub fn risk_assessment(payload: &Value) -> Option<(NaiveDate, RiskAssessmentPayload)> {
    let p: RiskAssessmentPayload = serde_json::from_value(payload.clone()).ok()?;
    let day: NaiveDate = p.local_date.parse().ok()?;
    Some((day, p))
}

/// One person's statistics for one local day, as `person_days` keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRow {
    pub day: NaiveDate,
    pub worked_minutes: i64,
    pub scheduled_minutes: i64,
    pub overtime_minutes: i64,
    pub after_hours_minutes: i64,
    pub weekend_minutes: i64,
    pub check_in: bool,
    pub app_open: bool,
}

impl DayRow {
    /// A day with nothing to count is not stored.
    pub fn has_activity(&self) -> bool {
        self.worked_minutes > 0 || self.check_in || self.app_open
    }
}

/// The day statistics of `[from, to]` from a person's work spans (overlapping ones from two
/// devices count once, by the core's `day_stats` on their schedule), the days they checked in
/// (a day has a check-in when a live check-in record carries its local date) and the days they
/// opened the app. Only days with activity are returned.
pub fn day_rows(
    schedule: &Schedule,
    spans: &[(Millis, Millis)],
    check_in_days: &[NaiveDate],
    app_open_days: &[NaiveDate],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<DayRow> {
    let instant = |ms: Millis| DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let merged = stats::merge_overlaps(spans.iter().map(|&(a, b)| (instant(a), instant(b))).collect());
    let input = StatsInput { schedule, sessions: &merged, tasks: &[], check_ins: &[], app_open_days };
    stats::day_stats(&input, from, to)
        .into_iter()
        .map(|d| DayRow {
            day: d.date,
            worked_minutes: d.worked_minutes,
            scheduled_minutes: d.scheduled_minutes,
            overtime_minutes: d.overtime_minutes,
            after_hours_minutes: d.after_hours_minutes,
            weekend_minutes: d.weekend_minutes,
            check_in: check_in_days.contains(&d.date),
            app_open: d.app_opened,
        })
        .filter(DayRow::has_activity)
        .collect()
}

/// The local days a span touches under a schedule.
pub fn span_days(schedule: &Schedule, (start, end): (Millis, Millis)) -> (NaiveDate, NaiveDate) {
    let instant = |ms: Millis| DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let first = schedule.local_date(instant(start));
    // The span ends before `end`: its last instant is a millisecond earlier.
    let last = schedule.local_date(instant(end.saturating_sub(1).max(start)));
    (first, last)
}

/// Groups sorted days into ranges whose gaps are shorter than `max_gap` days, so a push that
/// touches days far apart recomputes each cluster, not the whole stretch between them.
pub fn clusters(days: &std::collections::BTreeSet<NaiveDate>, max_gap: i64) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for &d in days {
        match out.last_mut() {
            Some((_, last)) if (d - *last).num_days() <= max_gap => *last = d,
            _ => out.push((d, d)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ms(s: &str) -> Millis {
        s.parse::<DateTime<Utc>>().unwrap().timestamp_millis()
    }

    #[test]
    fn schedule_rows_round_trip_and_count_working_days() {
        let row = ScheduleRow::default_row();
        assert_eq!(row.working_days, 0b001_1111);
        assert_eq!(row.to_schedule(), WorkSchedule::default());
        // 2026-11-16 is a Monday: two full weeks and a Monday-Tuesday tail.
        assert_eq!(row.working_days_between(d("2026-11-16"), d("2026-12-01")), 12);
        assert_eq!(row.working_days_between(d("2026-11-21"), d("2026-11-22")), 0);
        assert_eq!(row.working_days_between(d("2026-11-22"), d("2026-11-21")), 0);
        // 2026-11-20 19:30 UTC is already Saturday in Almaty (UTC+5).
        assert_eq!(row.local_day(ms("2026-11-20T19:30:00Z")), d("2026-11-21"));
    }

    #[test]
    fn sessions_count_only_when_ended_and_plausible() {
        let span = session_span(&json!({"started_at": "2026-11-16T04:00:00Z", "ended_at": "2026-11-16T06:00:00Z", "source": "timer", "note": null}));
        assert_eq!(span, Some((ms("2026-11-16T04:00:00Z"), ms("2026-11-16T06:00:00Z"))));
        assert_eq!(session_span(&json!({"started_at": "2026-11-16T04:00:00Z", "ended_at": null})), None);
        assert_eq!(session_span(&json!({"started_at": "2026-11-16T04:00:00Z", "ended_at": "2026-11-16T03:00:00Z"})), None);
        assert_eq!(session_span(&json!({"started_at": "2026-01-01T00:00:00Z", "ended_at": "2026-11-16T03:00:00Z"})), None);
        assert_eq!(session_span(&json!({"started_at": 5})), None);
    }

    #[test]
    fn day_rows_use_the_core_rules() {
        let s = default_schedule();
        // Monday 2026-11-16, 08:00-12:00 and 13:00-20:30 Almaty (UTC+5), the second also timed
        // on another device: 11.5 h worked, 2.5 h overtime, 3.5 h after hours.
        let spans = [
            (ms("2026-11-16T03:00:00Z"), ms("2026-11-16T07:00:00Z")),
            (ms("2026-11-16T08:00:00Z"), ms("2026-11-16T15:30:00Z")),
            (ms("2026-11-16T08:00:00Z"), ms("2026-11-16T15:30:00Z")),
        ];
        let rows = day_rows(&s, &spans, &[], &[d("2026-11-18")], d("2026-11-16"), d("2026-11-22"));
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            DayRow {
                day: d("2026-11-16"),
                worked_minutes: 690,
                scheduled_minutes: 540,
                overtime_minutes: 150,
                after_hours_minutes: 210,
                weekend_minutes: 0,
                check_in: false,
                app_open: false
            }
        );
        assert!(rows[1].app_open && rows[1].worked_minutes == 0);
        assert_eq!(span_days(&s, spans[0]), (d("2026-11-16"), d("2026-11-16")));
    }

    #[test]
    fn tasks_follow_the_core_overdue_rule() {
        let s = default_schedule();
        let task = json!({"id": "t", "title": "x", "notes": null, "due_date": "2026-11-17", "estimate_minutes": null,
            "status": "done", "assigned_by": null, "created_at": "2026-11-10T04:00:00Z", "updated_at": "2026-11-20T07:00:00Z",
            "completed_at": "2026-11-20T07:00:00Z"});
        let f = task_facts(&task, &s).unwrap();
        assert_eq!(f.completed_day, Some(d("2026-11-20")));
        assert_eq!((f.overdue_from, f.overdue_until), (Some(d("2026-11-18")), Some(d("2026-11-19"))));
        let mut open = task.clone();
        open["status"] = json!("todo");
        open["completed_at"] = Value::Null;
        let f = task_facts(&open, &s).unwrap();
        assert_eq!((f.completed_day, f.overdue_from, f.overdue_until), (None, Some(d("2026-11-18")), None));
        assert!(task_facts(&json!({"title": 1}), &s).is_none());
    }

    #[test]
    fn clusters_split_far_apart_days() {
        let days = [d("2026-01-01"), d("2026-01-03"), d("2026-06-01")].into_iter().collect();
        assert_eq!(clusters(&days, 31), vec![(d("2026-01-01"), d("2026-01-03")), (d("2026-06-01"), d("2026-06-01"))]);
    }
}
