//! Activity statistics of a week or month, per person and per department (its whole subtree):
//! accounts in the system, created and activated (signed in at least once), app-open days and
//! syncs, hours worked, overtime, after-hours and weekend work (the device core's rules on the
//! person's schedule, kept per day in `person_days`), check-in and work-session completion
//! (days with one / working days), tasks completed and overdue.
//!
//! Counting rules (`docs/ADMIN_API.md` repeats them):
//! - a person is **in the system** for a period when their account was created before the
//!   period ended and not deactivated before it began;
//! - **working days** are the days of the person's schedule from the later of the period's start
//!   and their activation day, to the earlier of its end, today and the day before their
//!   deactivation: nobody is expected to check in before they have the app, or in the future;
//! - **completion rates** are days with a check-in (or with work logged) among those working
//!   days, summed over people, in percent; `null` without working days;
//! - **tasks overdue** are counted on the period's last day (today for the current period).

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::departments::{in_reach, tree};
use super::people::person_in_reach;
use super::period::{parse_period, Period, PeriodView};
use super::{day_start, department_in_reach, Ctx};
use crate::error::AppResult;
use crate::export::{Cell, Table};
use crate::store::admin::{PeriodQuery, PersonFacts};
use crate::store::Millis;
use crate::AppState;

/// `?week=2026-W48` or `?month=2026-11` (default: the last complete ISO week).
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// ISO week, `YYYY-Www`.
    pub week: Option<String>,
    /// Calendar month, `YYYY-MM`.
    pub month: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
}

/// The activity of a person or a group over a period.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ActivityStats {
    /// Accounts in the system during the period.
    pub accounts: u32,
    /// Accounts created within the period.
    pub created: u32,
    /// Accounts signed in at least once by the period's end.
    pub activated: u32,
    /// Accounts first signed in within the period.
    pub activated_in_period: u32,
    /// Days the app was opened (per person, summed).
    pub app_open_days: u32,
    /// Days with a push or pull (per person, summed), and the number of pushes and pulls.
    pub sync_days: u32,
    pub syncs: u32,
    pub worked_minutes: i64,
    pub overtime_minutes: i64,
    pub after_hours_minutes: i64,
    pub weekend_minutes: i64,
    /// Working days expected (see the module documentation).
    pub working_days: u32,
    /// Working days with a check-in.
    pub check_in_days: u32,
    /// Working days with work logged.
    pub session_days: u32,
    /// `check_in_days / working_days` in percent (one decimal), `null` without working days.
    pub check_in_rate: Option<f64>,
    pub session_rate: Option<f64>,
    pub tasks_completed: u32,
    /// Open tasks past their due date on the period's last day.
    pub tasks_overdue: u32,
}

impl ActivityStats {
    fn add(&mut self, o: &ActivityStats) {
        self.accounts += o.accounts;
        self.created += o.created;
        self.activated += o.activated;
        self.activated_in_period += o.activated_in_period;
        self.app_open_days += o.app_open_days;
        self.sync_days += o.sync_days;
        self.syncs += o.syncs;
        self.worked_minutes += o.worked_minutes;
        self.overtime_minutes += o.overtime_minutes;
        self.after_hours_minutes += o.after_hours_minutes;
        self.weekend_minutes += o.weekend_minutes;
        self.working_days += o.working_days;
        self.check_in_days += o.check_in_days;
        self.session_days += o.session_days;
        self.tasks_completed += o.tasks_completed;
        self.tasks_overdue += o.tasks_overdue;
        self.rates();
    }

    fn rates(&mut self) {
        self.check_in_rate = percent(self.check_in_days, self.working_days);
        self.session_rate = percent(self.session_days, self.working_days);
    }
}

/// `part / whole` in percent with one decimal; `None` when `whole` is 0.
pub fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0)
}

/// A period's bounds as the statistics use them.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub period: Period,
    /// Today in the organisations' calendar.
    pub today: NaiveDate,
    /// The instants the period starts and ends (exclusive), in the organisations' calendar.
    pub start: Millis,
    pub end: Millis,
}

impl Window {
    pub fn new(state: &AppState, period: Period, today: NaiveDate) -> Window {
        Window { period, today, start: day_start(state, period.from), end: day_start(state, period.to + Days::new(1)) }
    }

    /// The last day counted: the period's end, or today while it runs.
    pub fn last_day(&self) -> NaiveDate {
        self.period.to.min(self.today)
    }
}

/// One person's statistics, `None` when they were not in the system during the period.
pub fn person_stats(f: &PersonFacts, w: &Window) -> Option<ActivityStats> {
    let in_system = f.created_at < w.end && f.deactivated_at.is_none_or(|d| d >= w.start);
    if !in_system {
        return None;
    }
    let activated = f.activated_at.filter(|a| *a < w.end);
    let mut s = ActivityStats {
        accounts: 1,
        created: u32::from(f.created_at >= w.start),
        activated: u32::from(activated.is_some()),
        activated_in_period: u32::from(activated.is_some_and(|a| a >= w.start)),
        app_open_days: f.days.app_open_days,
        sync_days: f.sync_days,
        syncs: f.syncs,
        worked_minutes: f.days.worked_minutes,
        overtime_minutes: f.days.overtime_minutes,
        after_hours_minutes: f.days.after_hours_minutes,
        weekend_minutes: f.days.weekend_minutes,
        check_in_days: f.days.check_in_working_days,
        session_days: f.days.session_working_days,
        tasks_completed: f.tasks_completed,
        tasks_overdue: f.tasks_overdue,
        ..ActivityStats::default()
    };
    if let Some(a) = activated {
        let first = w.period.from.max(f.schedule.local_day(a));
        let mut last = w.last_day();
        if let Some(d) = f.deactivated_at {
            last = last.min(f.schedule.local_day(d).pred_opt().unwrap_or(last));
        }
        s.working_days = f.schedule.working_days_between(first, last);
        // Work logged on a day the expectation does not cover (before activation, through a
        // device used earlier) still counts, but a rate never passes 100 %.
        s.check_in_days = s.check_in_days.min(s.working_days);
        s.session_days = s.session_days.min(s.working_days);
    } else {
        s.check_in_days = 0;
        s.session_days = 0;
    }
    s.rates();
    Some(s)
}

/// One row of the activity table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ActivityRow {
    /// The department (`null`: the total of everything in reach).
    pub department_id: Option<Uuid>,
    /// Names from the top of the tree, ` / ` joined; `Total` for the total row.
    pub name: String,
    #[serde(flatten)]
    pub stats: ActivityStats,
}

/// `GET /api/v1/admin/activity`: each department in reach over its whole subtree, then the total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ActivityTable {
    pub period: PeriodView,
    pub rows: Vec<ActivityRow>,
}

/// One person's activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PersonActivity {
    pub period: PeriodView,
    pub person_id: Uuid,
    pub name: String,
    /// `null` when the person was not in the system during the period.
    pub stats: Option<ActivityStats>,
}

/// One department's activity (its subtree) and each of its people's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DepartmentActivity {
    pub period: PeriodView,
    pub department_id: Uuid,
    pub name: String,
    pub stats: ActivityStats,
    pub people: Vec<PersonActivityRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PersonActivityRow {
    pub person_id: Uuid,
    pub name: String,
    #[serde(flatten)]
    pub stats: ActivityStats,
}

/// The period of a query, its window, and every person's facts in `within`.
pub async fn facts(
    state: &AppState,
    ctx: &Ctx,
    q: &ActivityQuery,
    within: Option<Uuid>,
) -> AppResult<(Window, Vec<PersonFacts>)> {
    let today = ctx.today(state);
    let period = parse_period(q.week.as_deref(), q.month.as_deref(), Period::last_complete_week(today))?;
    let w = Window::new(state, period, today);
    let query = PeriodQuery {
        org_id: ctx.org_id(),
        within,
        from: period.from,
        to: w.last_day().max(period.from),
        with_syncs_and_tasks: true,
        risk_window: None,
    };
    let facts = if period.from > today { Vec::new() } else { state.store.admin().period_facts(query).await? };
    Ok((w, facts))
}

/// Sums people's statistics into every department above them.
pub fn by_department(
    parents: &HashMap<Uuid, Option<Uuid>>,
    people: impl Iterator<Item = (Option<Uuid>, ActivityStats)>,
) -> (HashMap<Uuid, ActivityStats>, ActivityStats) {
    let mut sums: HashMap<Uuid, ActivityStats> = HashMap::new();
    let mut total = ActivityStats::default();
    for (dept, s) in people {
        total.add(&s);
        let mut at = dept;
        let mut steps = 0;
        while let Some(d) = at {
            sums.entry(d).or_default().add(&s);
            at = parents.get(&d).copied().flatten();
            steps += 1;
            if steps > parents.len() {
                break; // a cycle in stored data: stop rather than loop
            }
        }
    }
    (sums, total)
}

pub async fn table(state: &AppState, ctx: &Ctx, q: ActivityQuery) -> AppResult<ActivityTable> {
    let (w, facts) = facts(state, ctx, &q, ctx.within).await?;
    let departments = in_reach(state, ctx).await?;
    let parents: HashMap<Uuid, Option<Uuid>> = departments.iter().map(|d| (d.id, d.parent_id)).collect();
    let (sums, total) = by_department(&parents, facts.iter().filter_map(|f| Some((f.department_id, person_stats(f, &w)?))));
    let mut rows: Vec<ActivityRow> = tree(&departments)
        .into_iter()
        .filter(|d| d.archived_at.is_none())
        .map(|d| ActivityRow {
            department_id: Some(d.id),
            name: d.path.join(" / "),
            stats: sums.get(&d.id).copied().unwrap_or_default(),
        })
        .collect();
    rows.push(ActivityRow { department_id: None, name: "Total".into(), stats: total });
    Ok(ActivityTable { period: w.period.view(), rows })
}

pub async fn person(state: &AppState, ctx: &Ctx, id: Uuid, q: ActivityQuery) -> AppResult<PersonActivity> {
    let p = person_in_reach(state, ctx, id).await?;
    let (w, facts) = facts(state, ctx, &q, ctx.within).await?;
    let stats = facts.iter().find(|f| f.user_id == id).and_then(|f| person_stats(f, &w));
    Ok(PersonActivity { period: w.period.view(), person_id: id, name: p.name, stats })
}

pub async fn department(state: &AppState, ctx: &Ctx, id: Uuid, q: ActivityQuery) -> AppResult<DepartmentActivity> {
    let d = department_in_reach(state, ctx, id, "id").await?;
    let (w, facts) = facts(state, ctx, &q, Some(id)).await?;
    let mut stats = ActivityStats::default();
    let mut people = Vec::new();
    for f in &facts {
        if let Some(s) = person_stats(f, &w) {
            stats.add(&s);
            people.push(PersonActivityRow { person_id: f.user_id, name: f.name.clone(), stats: s });
        }
    }
    people.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.person_id.cmp(&b.person_id)));
    Ok(DepartmentActivity { period: w.period.view(), department_id: id, name: d.name, stats, people })
}

const STAT_COLUMNS: [&str; 19] = [
    "accounts",
    "created",
    "activated",
    "activated_in_period",
    "app_open_days",
    "sync_days",
    "syncs",
    "worked_minutes",
    "overtime_minutes",
    "after_hours_minutes",
    "weekend_minutes",
    "working_days",
    "check_in_days",
    "check_in_rate",
    "session_days",
    "session_rate",
    "tasks_completed",
    "tasks_overdue",
    "period",
];

fn stat_cells(s: &ActivityStats, period: &str) -> Vec<Cell> {
    vec![
        s.accounts.into(),
        s.created.into(),
        s.activated.into(),
        s.activated_in_period.into(),
        s.app_open_days.into(),
        s.sync_days.into(),
        s.syncs.into(),
        s.worked_minutes.into(),
        s.overtime_minutes.into(),
        s.after_hours_minutes.into(),
        s.weekend_minutes.into(),
        s.working_days.into(),
        s.check_in_days.into(),
        s.check_in_rate.into(),
        s.session_days.into(),
        s.session_rate.into(),
        s.tasks_completed.into(),
        s.tasks_overdue.into(),
        period.into(),
    ]
}

fn with_columns(first: &[&'static str]) -> Vec<&'static str> {
    first.iter().copied().chain(STAT_COLUMNS).collect()
}

pub fn table_export(t: &ActivityTable) -> Table {
    let mut out = Table::new(format!("activity-{}", t.period.label), with_columns(&["department_id", "department"]));
    for r in &t.rows {
        let mut cells: Vec<Cell> = vec![r.department_id.map(|d| d.to_string()).into(), r.name.clone().into()];
        cells.extend(stat_cells(&r.stats, &t.period.label));
        out.push(cells);
    }
    out
}

pub fn person_export(p: &PersonActivity) -> Table {
    let mut out = Table::new(format!("activity-person-{}", p.period.label), with_columns(&["person_id", "name"]));
    let mut cells: Vec<Cell> = vec![p.person_id.to_string().into(), p.name.clone().into()];
    cells.extend(stat_cells(&p.stats.unwrap_or_default(), &p.period.label));
    out.push(cells);
    out
}

pub fn department_export(d: &DepartmentActivity) -> Table {
    let mut out = Table::new(format!("activity-department-{}", d.period.label), with_columns(&["person_id", "name"]));
    for p in &d.people {
        let mut cells: Vec<Cell> = vec![p.person_id.to_string().into(), p.name.clone().into()];
        cells.extend(stat_cells(&p.stats, &d.period.label));
        out.push(cells);
    }
    let mut cells: Vec<Cell> = vec![Cell::Empty, format!("{} (total)", d.name).into()];
    cells.extend(stat_cells(&d.stats, &d.period.label));
    out.push(cells);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregates::ScheduleRow;
    use crate::store::admin::DaySums;
    use qamqor_protocol::Role;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ms(s: &str) -> Millis {
        s.parse::<chrono::DateTime<chrono::Utc>>().unwrap().timestamp_millis()
    }

    fn facts(created: &str, activated: Option<&str>) -> PersonFacts {
        PersonFacts {
            user_id: Uuid::nil(),
            name: "x".into(),
            role: Role::Employee,
            department_id: None,
            created_at: ms(created),
            activated_at: activated.map(ms),
            deactivated_at: None,
            schedule: ScheduleRow::default_row(),
            days: DaySums { check_in_working_days: 4, session_working_days: 2, ..DaySums::default() },
            sync_days: 0,
            syncs: 0,
            tasks_completed: 0,
            tasks_overdue: 0,
            risk: None,
        }
    }

    #[test]
    fn working_days_start_at_activation_and_stop_today() {
        // W48 of 2026: Monday 23 to Sunday 29 November; Almaty is UTC+5.
        let period = Period::week_of(d("2026-11-23"));
        let w = Window { period, today: d("2026-12-10"), start: ms("2026-11-22T19:00:00Z"), end: ms("2026-11-29T19:00:00Z") };
        let s = person_stats(&facts("2026-11-01T00:00:00Z", Some("2026-11-02T00:00:00Z")), &w).unwrap();
        assert_eq!((s.accounts, s.created, s.activated, s.activated_in_period), (1, 0, 1, 0));
        assert_eq!((s.working_days, s.check_in_days, s.check_in_rate, s.session_rate), (5, 4, Some(80.0), Some(40.0)));
        // Activated on Wednesday (local): three working days expected.
        let s = person_stats(&facts("2026-11-01T00:00:00Z", Some("2026-11-25T04:00:00Z")), &w).unwrap();
        assert_eq!((s.working_days, s.check_in_days, s.activated_in_period), (3, 3, 1));
        // Never activated: in the system, nothing expected.
        let s = person_stats(&facts("2026-11-24T00:00:00Z", None), &w).unwrap();
        assert_eq!((s.created, s.activated, s.working_days, s.check_in_rate), (1, 0, 0, None));
        // Created after the period: not in it.
        assert!(person_stats(&facts("2026-12-01T00:00:00Z", None), &w).is_none());
        // The current week, on its Tuesday: two working days so far.
        let w = Window { today: d("2026-11-24"), ..w };
        let s = person_stats(&facts("2026-11-01T00:00:00Z", Some("2026-11-02T00:00:00Z")), &w).unwrap();
        assert_eq!(s.working_days, 2);
    }
}
