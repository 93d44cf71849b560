//! The employee's own statistics: per day and per ISO week, and the chart series the apps draw.
//! Pure functions over already-loaded records: data and `today` in, numbers out.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::model::{CheckIn, Task, TaskStatus};
use crate::schedule::{secs_to_minutes, Schedule};

/// A day's answers, as shown beside the day's work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInSummary {
    pub fatigue: u8,
    pub stress: u8,
    pub mood: u8,
    pub sleep_hours: f64,
}

/// One local day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayStats {
    pub date: NaiveDate,
    pub worked_minutes: i64,
    pub scheduled_minutes: i64,
    /// Minutes worked beyond the scheduled length of the day (all of them on a day off).
    pub overtime_minutes: i64,
    pub after_hours_minutes: i64,
    pub weekend_minutes: i64,
    pub tasks_completed: u32,
    /// Open tasks whose due date had passed at the end of the day.
    pub tasks_overdue: u32,
    pub check_in: Option<CheckInSummary>,
    pub app_opened: bool,
}

/// Averages of the check-ins of a period (`None` without any check-in).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CheckInAverages {
    pub count: u32,
    pub fatigue: Option<f64>,
    pub stress: Option<f64>,
    pub mood: Option<f64>,
    pub sleep_hours: Option<f64>,
}

/// One ISO week (Monday to Sunday), limited to the days up to `today`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekStats {
    pub iso_year: i32,
    pub iso_week: u32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub worked_minutes: i64,
    pub scheduled_minutes: i64,
    pub overtime_minutes: i64,
    pub after_hours_minutes: i64,
    pub weekend_minutes: i64,
    pub days_worked: u32,
    pub tasks_completed: u32,
    /// Overdue tasks at the end of the week's last day counted.
    pub tasks_overdue: u32,
    pub check_ins: CheckInAverages,
    pub app_open_days: u32,
}

/// Everything the "history" and "today" screens show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsOverview {
    pub today: DayStats,
    pub this_week: WeekStats,
    /// The last 7 days, oldest first, ending today.
    pub last_7_days: Vec<DayStats>,
    /// The last 12 ISO weeks, oldest first, ending with this week.
    pub last_12_weeks: Vec<WeekStats>,
    /// Consecutive days with a check-in, ending today (or yesterday while today is not done).
    pub check_in_streak: u32,
    pub longest_check_in_streak: u32,
}

/// The records statistics are computed from.
pub struct StatsInput<'a> {
    pub schedule: &'a Schedule,
    /// Work spans; a running timer is passed as ending now.
    pub sessions: &'a [(DateTime<Utc>, DateTime<Utc>)],
    pub tasks: &'a [Task],
    /// The current (not replaced) check-in of each day.
    pub check_ins: &'a [CheckIn],
    pub app_open_days: &'a [NaiveDate],
}

/// Statistics for each day of `[from, to]`, oldest first.
pub fn day_stats(input: &StatsInput, from: NaiveDate, to: NaiveDate) -> Vec<DayStats> {
    if to < from {
        return Vec::new();
    }
    let n = (to - from).num_days() as usize + 1;
    let idx = |d: NaiveDate| -> Option<usize> {
        (d >= from && d <= to).then(|| (d - from).num_days() as usize)
    };
    let mut worked = vec![0i64; n];
    let mut after = vec![0i64; n];
    let mut weekend = vec![0i64; n];
    for &(start, end) in input.sessions {
        input.schedule.split(start, end, |d, s| {
            if let Some(i) = idx(d) {
                worked[i] += s.worked_secs;
                after[i] += s.after_hours_secs;
                weekend[i] += s.weekend_secs;
            }
        });
    }

    let mut completed = vec![0u32; n];
    // Overdue days of a task form one interval: a difference array keeps this linear.
    let mut overdue_delta = vec![0i64; n + 1];
    for t in input.tasks {
        if let Some(i) = completed_on(t, input.schedule).and_then(idx) {
            completed[i] += 1;
        }
        let Some((first, last)) = overdue_days(t, input.schedule) else { continue };
        let first = first.max(from);
        let last = last.unwrap_or(to).min(to);
        if first <= last {
            overdue_delta[(first - from).num_days() as usize] += 1;
            overdue_delta[(last - from).num_days() as usize + 1] -= 1;
        }
    }

    let mut check_in = vec![None; n];
    for c in input.check_ins {
        if let Some(i) = idx(c.local_date) {
            check_in[i] = Some(CheckInSummary {
                fatigue: c.fatigue,
                stress: c.stress,
                mood: c.mood,
                sleep_hours: c.sleep_hours,
            });
        }
    }
    let mut opened = vec![false; n];
    for d in input.app_open_days {
        if let Some(i) = idx(*d) {
            opened[i] = true;
        }
    }

    let mut running_overdue = 0i64;
    (0..n)
        .map(|i| {
            let date = from + Days::new(i as u64);
            running_overdue += overdue_delta[i];
            let worked_minutes = secs_to_minutes(worked[i]);
            let scheduled_minutes = input.schedule.scheduled_minutes(date);
            DayStats {
                date,
                worked_minutes,
                scheduled_minutes,
                overtime_minutes: (worked_minutes - scheduled_minutes).max(0),
                after_hours_minutes: secs_to_minutes(after[i]),
                weekend_minutes: secs_to_minutes(weekend[i]),
                tasks_completed: completed[i],
                tasks_overdue: running_overdue.max(0) as u32,
                check_in: check_in[i].take(),
                app_opened: opened[i],
            }
        })
        .collect()
}

/// The local day a task was completed on, if it is done.
pub fn completed_on(task: &Task, schedule: &Schedule) -> Option<NaiveDate> {
    if task.status != TaskStatus::Done {
        return None;
    }
    task.completed_at.map(|c| schedule.local_date(c))
}

/// The local days a task counts as overdue: from the day after its due date (or the day it
/// was created, if later) to the day before it was completed, or open-ended (`None`) while it
/// is not done. `None` when it is never overdue (no due date, cancelled, done in time).
pub fn overdue_days(task: &Task, schedule: &Schedule) -> Option<(NaiveDate, Option<NaiveDate>)> {
    if task.status == TaskStatus::Cancelled {
        return None;
    }
    let due = task.due_date?;
    let created = schedule.local_date(task.created_at);
    let first = (due + Days::new(1)).max(created);
    let last = match (task.status, task.completed_at) {
        (TaskStatus::Done, Some(c)) => {
            let d = schedule.local_date(c);
            Some(d.pred_opt().unwrap_or(d))
        }
        _ => None,
    };
    match last {
        Some(l) if l < first => None,
        last => Some((first, last)),
    }
}

/// Work spans in start order with overlapping ones merged: one device refuses overlapping
/// sessions, but two devices of one person can each time the same hours, which count once.
pub fn merge_overlaps(spans: Vec<(DateTime<Utc>, DateTime<Utc>)>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut spans = spans;
    spans.sort();
    let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match out.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// The Monday that starts the ISO week of a date.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// The Monday of ISO week `week` of `iso_year`, if that week exists.
pub fn iso_week_start(iso_year: i32, week: u32) -> Option<NaiveDate> {
    NaiveDate::from_isoywd_opt(iso_year, week, Weekday::Mon)
}

/// Groups consecutive days (as returned by [`day_stats`]) into ISO weeks.
pub fn week_stats(days: &[DayStats]) -> Vec<WeekStats> {
    let mut weeks: Vec<WeekStats> = Vec::new();
    let mut sums: Vec<(u32, f64, f64, f64, f64)> = Vec::new();
    for d in days {
        let start = week_start(d.date);
        if weeks.last().map(|w| w.start_date) != Some(start) {
            let iso = d.date.iso_week();
            weeks.push(WeekStats {
                iso_year: iso.year(),
                iso_week: iso.week(),
                start_date: start,
                end_date: d.date,
                worked_minutes: 0,
                scheduled_minutes: 0,
                overtime_minutes: 0,
                after_hours_minutes: 0,
                weekend_minutes: 0,
                days_worked: 0,
                tasks_completed: 0,
                tasks_overdue: 0,
                check_ins: CheckInAverages::default(),
                app_open_days: 0,
            });
            sums.push((0, 0.0, 0.0, 0.0, 0.0));
        }
        let (w, s) = (weeks.last_mut().expect("pushed above"), sums.last_mut().expect("pushed above"));
        w.end_date = d.date;
        w.worked_minutes += d.worked_minutes;
        w.scheduled_minutes += d.scheduled_minutes;
        w.overtime_minutes += d.overtime_minutes;
        w.after_hours_minutes += d.after_hours_minutes;
        w.weekend_minutes += d.weekend_minutes;
        w.days_worked += u32::from(d.worked_minutes > 0);
        w.tasks_completed += d.tasks_completed;
        w.tasks_overdue = d.tasks_overdue;
        w.app_open_days += u32::from(d.app_opened);
        if let Some(c) = &d.check_in {
            s.0 += 1;
            s.1 += f64::from(c.fatigue);
            s.2 += f64::from(c.stress);
            s.3 += f64::from(c.mood);
            s.4 += c.sleep_hours;
        }
    }
    for (w, s) in weeks.iter_mut().zip(sums) {
        w.check_ins = averages(s);
    }
    weeks
}

fn averages((count, fatigue, stress, mood, sleep): (u32, f64, f64, f64, f64)) -> CheckInAverages {
    let avg = |sum: f64| (count > 0).then(|| sum / f64::from(count));
    CheckInAverages { count, fatigue: avg(fatigue), stress: avg(stress), mood: avg(mood), sleep_hours: avg(sleep) }
}

/// Current and longest runs of consecutive check-in days. `dates` must be sorted ascending.
pub fn check_in_streaks(dates: &[NaiveDate], today: NaiveDate) -> (u32, u32) {
    let mut longest = 0u32;
    let mut run = 0u32;
    let mut prev: Option<NaiveDate> = None;
    for &d in dates.iter().filter(|d| **d <= today) {
        run = match prev {
            Some(p) if p == d => run,
            Some(p) if p.succ_opt() == Some(d) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        prev = Some(d);
    }
    let alive = prev.is_some_and(|p| p == today || p.succ_opt() == Some(today));
    (if alive { run } else { 0 }, longest)
}

/// The overview for `today`: today, this week, the last 7 days and the last 12 weeks.
pub fn overview(input: &StatsInput, today: NaiveDate, check_in_dates: &[NaiveDate]) -> StatsOverview {
    let from = week_start(today) - Days::new(7 * 11);
    let days = day_stats(input, from, today);
    let weeks = week_stats(&days);
    let (streak, longest) = check_in_streaks(check_in_dates, today);
    StatsOverview {
        today: days.last().cloned().expect("range ends today"),
        this_week: weeks.last().cloned().expect("range ends today"),
        last_7_days: days[days.len().saturating_sub(7)..].to_vec(),
        last_12_weeks: weeks,
        check_in_streak: streak,
        longest_check_in_streak: longest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WorkSchedule;
    use chrono::NaiveTime;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn at(s: &Schedule, date: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
        s.to_utc(date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap()))
    }

    fn task(s: &Schedule, due: Option<NaiveDate>, created: NaiveDate, status: TaskStatus, done: Option<NaiveDate>) -> Task {
        Task {
            id: "t".into(),
            title: "t".into(),
            notes: None,
            due_date: due,
            estimate_minutes: None,
            status,
            assigned_by: None,
            created_at: at(s, created, 9, 0),
            updated_at: at(s, created, 9, 0),
            completed_at: done.map(|x| at(s, x, 12, 0)),
        }
    }

    #[test]
    fn overtime_after_hours_and_weekend_per_day() {
        let s = Schedule::new(&WorkSchedule::default()).unwrap();
        let mon = d(11, 16);
        let sat = d(11, 21);
        let sessions = [
            (at(&s, mon, 8, 0), at(&s, mon, 12, 0)),  // 1 h before start
            (at(&s, mon, 13, 0), at(&s, mon, 20, 30)), // 2.5 h after end
            (at(&s, sat, 10, 0), at(&s, sat, 12, 0)),
        ];
        let input = StatsInput { schedule: &s, sessions: &sessions, tasks: &[], check_ins: &[], app_open_days: &[mon] };
        let days = day_stats(&input, mon, d(11, 22));
        assert_eq!(days.len(), 7);
        let m = &days[0];
        assert_eq!((m.worked_minutes, m.scheduled_minutes, m.overtime_minutes), (690, 540, 150));
        assert_eq!((m.after_hours_minutes, m.weekend_minutes), (210, 0));
        assert!(m.app_opened);
        let sa = &days[5];
        assert_eq!((sa.worked_minutes, sa.overtime_minutes, sa.weekend_minutes, sa.after_hours_minutes), (120, 120, 120, 0));
        let w = &week_stats(&days)[0];
        assert_eq!((w.worked_minutes, w.overtime_minutes, w.days_worked, w.app_open_days), (810, 270, 2, 1));
        assert_eq!((w.iso_year, w.iso_week, w.start_date), (2026, 47, mon));
    }

    #[test]
    fn overdue_counts_from_the_day_after_due_until_done() {
        let s = Schedule::new(&WorkSchedule::default()).unwrap();
        let tasks = [
            task(&s, Some(d(11, 17)), d(11, 10), TaskStatus::Done, Some(d(11, 20))),
            task(&s, Some(d(11, 18)), d(11, 10), TaskStatus::Todo, None),
            task(&s, Some(d(11, 16)), d(11, 10), TaskStatus::Cancelled, None),
            task(&s, None, d(11, 10), TaskStatus::Done, Some(d(11, 16))),
        ];
        let input = StatsInput { schedule: &s, sessions: &[], tasks: &tasks, check_ins: &[], app_open_days: &[] };
        let days = day_stats(&input, d(11, 16), d(11, 22));
        let overdue: Vec<u32> = days.iter().map(|x| x.tasks_overdue).collect();
        // Tue 17 due: overdue 18,19 (done on the 20th). Wed 18 due: overdue from the 19th on.
        assert_eq!(overdue, vec![0, 0, 1, 2, 1, 1, 1]);
        let completed: Vec<u32> = days.iter().map(|x| x.tasks_completed).collect();
        assert_eq!(completed, vec![1, 0, 0, 0, 1, 0, 0]);
    }

    #[test]
    fn streaks() {
        let dates = [d(11, 1), d(11, 2), d(11, 3), d(11, 10), d(11, 11)];
        assert_eq!(check_in_streaks(&dates, d(11, 11)), (2, 3));
        assert_eq!(check_in_streaks(&dates, d(11, 12)), (2, 3)); // today not done yet: still alive
        assert_eq!(check_in_streaks(&dates, d(11, 13)), (0, 3));
        assert_eq!(check_in_streaks(&[], d(11, 13)), (0, 0));
    }

    #[test]
    fn overview_has_7_days_and_12_weeks_ending_today() {
        let s = Schedule::new(&WorkSchedule::default()).unwrap();
        let input = StatsInput { schedule: &s, sessions: &[], tasks: &[], check_ins: &[], app_open_days: &[] };
        let today = d(11, 23);
        let o = overview(&input, today, &[]);
        assert_eq!(o.last_7_days.len(), 7);
        assert_eq!(o.last_7_days.last().unwrap().date, today);
        assert_eq!(o.last_12_weeks.len(), 12);
        assert_eq!(o.this_week.start_date, d(11, 23));
        assert_eq!(o.last_12_weeks[0].start_date, d(9, 7));
    }
}
