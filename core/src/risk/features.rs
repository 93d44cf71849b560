//! Risk features over rolling windows of the person's own records. Pure: data and `now` in,
//! features out; no I/O, no clock. A feature is `None` when it was not observed (a skipped
//! check-in, a new employee, no tasks): missing data is normal, never a made-up zero.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;

use crate::cbi::CbiResponse;
use crate::model::{CheckIn, Task, TaskStatus};
use crate::schedule::Schedule;
use crate::stats::{self, StatsInput};

/// Length of the main window, in days.
pub const WINDOW_DAYS: u64 = 28;
/// A questionnaire older than this no longer describes the person.
pub const CBI_VALID_DAYS: i64 = 90;

/// The person's records the features are computed from (any superset of the window is fine).
pub struct RiskData<'a> {
    pub schedule: &'a Schedule,
    /// The day the person started using the app on this device: the observed window starts
    /// there when that is less than 28 days ago. Records never move it, so logging more work
    /// can never stretch the window and dilute the rates. `None` = the full window.
    pub first_seen: Option<NaiveDate>,
    pub qualification_level: Option<u8>,
    pub remote_work: bool,
    /// Work spans; a running timer ends at `now`.
    pub sessions: &'a [(DateTime<Utc>, DateTime<Utc>)],
    pub tasks: &'a [Task],
    /// The current check-in of each day, oldest first.
    pub check_ins: &'a [CheckIn],
    pub app_open_days: &'a [NaiveDate],
    /// Questionnaire responses, oldest first.
    pub cbi: &'a [CbiResponse],
}

/// The features of one moment. Rates are per week over the observed part of the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskFeatures {
    pub as_of: NaiveDate,
    /// Days since the first record, at most the window (28).
    pub days_of_history: u32,
    /// Hours worked per scheduled working day.
    pub avg_daily_hours: Option<f64>,
    pub overtime_hours_per_week: Option<f64>,
    pub after_hours_minutes_per_week: Option<f64>,
    /// Days off (per the schedule) with work in the window.
    pub weekend_days_worked: Option<f64>,
    /// Hours of the longest ISO week in the window.
    pub max_week_hours: Option<f64>,
    /// Longest run of consecutive days with work in the window.
    pub days_without_break: Option<f64>,
    pub open_tasks: Option<f64>,
    /// Share of open tasks with a due date that are past it.
    pub overdue_ratio: Option<f64>,
    pub tasks_completed_per_week: Option<f64>,
    /// Days the app was used in the last 7 days, against the person's own weekly baseline
    /// over the 21 days before (1.0 = as usual).
    pub app_activity_trend: Option<f64>,
    pub fatigue_latest: Option<f64>,
    pub fatigue_7d: Option<f64>,
    pub fatigue_28d: Option<f64>,
    /// 7-day minus 28-day fatigue average: positive when fatigue is rising.
    pub fatigue_trend: Option<f64>,
    pub stress_7d: Option<f64>,
    pub mood_7d: Option<f64>,
    pub sleep_7d: Option<f64>,
    pub check_ins_last_14_days: u32,
    pub cbi_personal: Option<f64>,
    pub cbi_work_related: Option<f64>,
    pub cbi_client_related: Option<f64>,
    pub cbi_age_days: Option<f64>,
    pub qualification_level: Option<f64>,
    pub remote_work: Option<f64>,
}

impl RiskFeatures {
    /// Every feature by name with its value (`None` = not observed), for display and export.
    pub fn named(&self) -> Vec<(&'static str, Option<f64>)> {
        vec![
            ("avg_daily_hours", self.avg_daily_hours),
            ("overtime_hours_per_week", self.overtime_hours_per_week),
            ("after_hours_minutes_per_week", self.after_hours_minutes_per_week),
            ("weekend_days_worked", self.weekend_days_worked),
            ("max_week_hours", self.max_week_hours),
            ("days_without_break", self.days_without_break),
            ("open_tasks", self.open_tasks),
            ("overdue_ratio", self.overdue_ratio),
            ("tasks_completed_per_week", self.tasks_completed_per_week),
            ("app_activity_trend", self.app_activity_trend),
            ("fatigue_latest", self.fatigue_latest),
            ("fatigue_7d", self.fatigue_7d),
            ("fatigue_28d", self.fatigue_28d),
            ("fatigue_trend", self.fatigue_trend),
            ("stress_7d", self.stress_7d),
            ("mood_7d", self.mood_7d),
            ("sleep_7d", self.sleep_7d),
            ("cbi_personal", self.cbi_personal),
            ("cbi_work_related", self.cbi_work_related),
            ("cbi_client_related", self.cbi_client_related),
            ("cbi_age_days", self.cbi_age_days),
            ("qualification_level", self.qualification_level),
            ("remote_work", self.remote_work),
        ]
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// Computes the features as of `now`.
pub fn extract(data: &RiskData, now: DateTime<Utc>) -> RiskFeatures {
    let s = data.schedule;
    let today = s.local_date(now);
    let from = today - Days::new(WINDOW_DAYS - 1);

    // Only what existed at `now` counts: the same data can be assessed as of an earlier day.
    let sessions: Vec<_> = data.sessions.iter().filter(|(a, _)| *a < now).map(|&(a, b)| (a, b.min(now))).collect();
    let check_ins: Vec<&CheckIn> = data.check_ins.iter().filter(|c| c.local_date <= today && c.recorded_at <= now).collect();
    let opens: Vec<NaiveDate> = data.app_open_days.iter().copied().filter(|d| *d <= today).collect();
    let tasks: Vec<Task> = data.tasks.iter().filter(|t| t.created_at <= now).map(|t| as_of_task(t, now)).collect();

    let first_seen = data.first_seen.unwrap_or(from).min(today);
    let start = first_seen.max(from);
    let observed_days = ((today - start).num_days() + 1) as f64;
    let weeks = observed_days.max(7.0) / 7.0;

    let owned_check_ins: Vec<CheckIn> = check_ins.iter().map(|c| (*c).clone()).collect();
    let input = StatsInput { schedule: s, sessions: &sessions, tasks: &tasks, check_ins: &owned_check_ins, app_open_days: &opens };
    let days = stats::day_stats(&input, from, today);
    let observed = &days[(start - from).num_days() as usize..];

    let worked_any = observed.iter().any(|d| d.worked_minutes > 0);
    let work = |f: &dyn Fn() -> f64| worked_any.then(f);
    let working_days = observed.iter().filter(|d| d.scheduled_minutes > 0).count().max(1) as f64;
    let total = |g: fn(&stats::DayStats) -> i64| observed.iter().map(g).sum::<i64>() as f64;

    let longest_run = observed
        .iter()
        .fold((0u32, 0u32), |(best, run), d| {
            let run = if d.worked_minutes > 0 { run + 1 } else { 0 };
            (best.max(run), run)
        })
        .0;
    let max_week_minutes = stats::week_stats(observed).iter().map(|w| w.worked_minutes).max().unwrap_or(0);

    let open: Vec<&Task> = tasks.iter().filter(|t| t.status.is_open()).collect();
    let with_due = open.iter().filter(|t| t.due_date.is_some()).count();
    let overdue = days.last().map(|d| d.tasks_overdue).unwrap_or(0);

    let last7 = today - Days::new(6);
    let in_window = |d: NaiveDate, a: NaiveDate| d >= a && d <= today;
    let recent: Vec<&&CheckIn> = check_ins.iter().filter(|c| in_window(c.local_date, last7)).collect();
    let month: Vec<&&CheckIn> = check_ins.iter().filter(|c| in_window(c.local_date, from)).collect();
    let fatigue_7d = mean(recent.iter().map(|c| f64::from(c.fatigue)));
    let fatigue_28d = mean(month.iter().map(|c| f64::from(c.fatigue)));

    let app_activity_trend = {
        // The baseline is the (up to) three weeks before the last seven days, as far as they
        // were observed; from 7 observed baseline days on.
        let base_from = (today - Days::new(27)).max(first_seen);
        let baseline_days = (last7 - base_from).num_days();
        let recent_days = opens.iter().filter(|d| in_window(**d, last7)).count() as f64;
        let baseline_opens = opens.iter().filter(|d| **d >= base_from && **d < last7).count() as f64;
        let per_week = baseline_opens * 7.0 / baseline_days.max(1) as f64;
        (baseline_days >= 7 && per_week > 0.0).then(|| recent_days / per_week)
    };

    let cbi = data
        .cbi
        .iter()
        .rev()
        .find(|r| r.answered_at <= now && (now - r.answered_at).num_days() <= CBI_VALID_DAYS);

    RiskFeatures {
        as_of: today,
        days_of_history: observed_days as u32,
        avg_daily_hours: work(&|| total(|d| d.worked_minutes) / 60.0 / working_days),
        overtime_hours_per_week: work(&|| total(|d| d.overtime_minutes) / 60.0 / weeks),
        after_hours_minutes_per_week: work(&|| total(|d| d.after_hours_minutes) / weeks),
        weekend_days_worked: work(&|| observed.iter().filter(|d| d.weekend_minutes > 0).count() as f64),
        max_week_hours: work(&|| max_week_minutes as f64 / 60.0),
        days_without_break: work(&|| f64::from(longest_run)),
        open_tasks: (!tasks.is_empty()).then_some(open.len() as f64),
        overdue_ratio: (with_due > 0).then(|| (f64::from(overdue) / with_due as f64).min(1.0)),
        tasks_completed_per_week: (!tasks.is_empty()).then(|| observed.iter().map(|d| f64::from(d.tasks_completed)).sum::<f64>() / weeks),
        app_activity_trend,
        fatigue_latest: check_ins.last().filter(|c| (today - c.local_date).num_days() < 14).map(|c| f64::from(c.fatigue)),
        fatigue_7d,
        fatigue_28d,
        fatigue_trend: fatigue_7d.zip(fatigue_28d).map(|(a, b)| a - b),
        stress_7d: mean(recent.iter().map(|c| f64::from(c.stress))),
        mood_7d: mean(recent.iter().map(|c| f64::from(c.mood))),
        sleep_7d: mean(recent.iter().map(|c| c.sleep_hours)),
        check_ins_last_14_days: check_ins.iter().filter(|c| (today - c.local_date).num_days() < 14).count() as u32,
        cbi_personal: cbi.and_then(|r| r.scores.personal),
        cbi_work_related: cbi.and_then(|r| r.scores.work_related),
        cbi_client_related: cbi.and_then(|r| r.scores.client_related),
        cbi_age_days: cbi.map(|r| (now - r.answered_at).num_days() as f64),
        qualification_level: data.qualification_level.map(f64::from),
        remote_work: Some(if data.remote_work { 1.0 } else { 0.0 }),
    }
}

/// A task as it stood at `now`: done only if it was completed by then.
fn as_of_task(t: &Task, now: DateTime<Utc>) -> Task {
    let mut t = t.clone();
    if t.status == TaskStatus::Done && t.completed_at.is_some_and(|c| c > now) {
        t.status = TaskStatus::InProgress;
        t.completed_at = None;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WorkSchedule;
    use chrono::{NaiveTime, TimeZone};

    fn sched() -> Schedule {
        Schedule::new(&WorkSchedule::default()).unwrap()
    }

    fn at(s: &Schedule, d: NaiveDate, h: u32) -> DateTime<Utc> {
        s.to_utc(d.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap()))
    }

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, n).unwrap()
    }

    fn ci(s: &Schedule, d: NaiveDate, fatigue: u8) -> CheckIn {
        CheckIn { id: d.to_string(), local_date: d, fatigue, stress: 3, mood: 3, sleep_hours: 7.0, note: None, recorded_at: at(s, d, 20), replaced: false }
    }

    fn data<'a>(s: &'a Schedule, sessions: &'a [(DateTime<Utc>, DateTime<Utc>)], check_ins: &'a [CheckIn]) -> RiskData<'a> {
        RiskData { schedule: s, first_seen: None, qualification_level: Some(5), remote_work: false, sessions, tasks: &[], check_ins, app_open_days: &[], cbi: &[] }
    }

    #[test]
    fn a_new_person_has_nothing_observed_but_their_profile() {
        let s = sched();
        let f = extract(&RiskData { first_seen: Some(day(23)), ..data(&s, &[], &[]) }, Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap());
        assert_eq!(f.avg_daily_hours, None);
        assert_eq!(f.fatigue_7d, None);
        assert_eq!(f.open_tasks, None);
        assert_eq!(f.app_activity_trend, None);
        assert_eq!(f.qualification_level, Some(5.0));
        assert_eq!(f.days_of_history, 1);
        assert_eq!(f.check_ins_last_14_days, 0);
    }

    #[test]
    fn work_features_over_two_observed_weeks() {
        let s = sched();
        // Mon 9th to Sun 22nd: 10 working days of 10 h (09:00-19:00), one Saturday 4 h.
        let mut sessions = vec![];
        for d in 9..=22 {
            let date = day(d);
            if s.is_working_day(date) {
                sessions.push((at(&s, date, 9), at(&s, date, 19)));
            }
        }
        sessions.push((at(&s, day(14), 10), at(&s, day(14), 14)));
        let now = at(&s, day(22), 23);
        let f = extract(&RiskData { first_seen: Some(day(9)), ..data(&s, &sessions, &[]) }, now);
        assert_eq!(f.days_of_history, 14);
        assert!((f.avg_daily_hours.unwrap() - 104.0 / 10.0).abs() < 1e-9, "{:?}", f.avg_daily_hours);
        // 10 x 1 h overtime + 4 h on Saturday over 2 weeks.
        assert!((f.overtime_hours_per_week.unwrap() - 7.0).abs() < 1e-9);
        assert!((f.after_hours_minutes_per_week.unwrap() - 300.0).abs() < 1e-9);
        assert_eq!(f.weekend_days_worked, Some(1.0));
        assert_eq!(f.max_week_hours, Some(54.0));
        assert_eq!(f.days_without_break, Some(6.0));
    }

    #[test]
    fn app_activity_trend_is_against_the_observed_baseline() {
        let s = sched();
        let opens: Vec<NaiveDate> = (8..=22).map(day).collect();
        let d = RiskData { first_seen: Some(day(8)), app_open_days: &opens, ..data(&s, &[], &[]) };
        // Opened every day for 15 days: exactly as usual.
        assert_eq!(extract(&d, at(&s, day(22), 23)).app_activity_trend, Some(1.0));
        let d = RiskData { first_seen: Some(day(12)), ..d };
        assert_eq!(extract(&d, at(&s, day(22), 23)).app_activity_trend, None, "under 7 days of baseline");
    }

    #[test]
    fn check_in_averages_and_trend() {
        let s = sched();
        let check_ins: Vec<CheckIn> = (1..=22).map(|d| ci(&s, day(d), if d > 15 { 8 } else { 2 })).collect();
        let f = extract(&data(&s, &[], &check_ins), at(&s, day(22), 23));
        assert_eq!(f.fatigue_latest, Some(8.0));
        assert_eq!(f.fatigue_7d, Some(8.0));
        assert!((f.fatigue_28d.unwrap() - (7.0 * 8.0 + 15.0 * 2.0) / 22.0).abs() < 1e-9);
        assert!(f.fatigue_trend.unwrap() > 0.0);
        assert_eq!(f.check_ins_last_14_days, 14);
        // As of an earlier day, later check-ins do not exist yet.
        let earlier = extract(&data(&s, &[], &check_ins), at(&s, day(15), 23));
        assert_eq!(earlier.fatigue_7d, Some(2.0));
    }
}
