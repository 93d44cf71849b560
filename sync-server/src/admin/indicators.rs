//! The weekly indicators (document 003's dashboard): for one ISO week, each department's value
//! of every indicator against the organisation's target, its category, the departments that
//! meet every indicator, a department index, and the change against the week before.
//!
//! | indicator | value | target (default) |
//! |---|---|---|
//! | `accounts_activated` | people who have signed in at least once / people in the system | ≥ 90 % |
//! | `check_ins` | working days with a check-in / working days (activated people) | ≥ 70 % |
//! | `work_sessions` | working days with work logged / working days (activated people) | ≥ 80 % |
//! | `high_risk` | people whose latest level shared in the four ISO weeks ending with the week (the 28 days to its end) is high / people with one | ≤ 15 % (lower is better) |
//!
//! **Categories**, for an indicator where higher is better with target `t`: `high` when the
//! value meets the target (`v ≥ t`), `medium` when it reaches 80 % of it (`v ≥ 0.8·t`), `low`
//! otherwise. Where lower is better the same rule applies to the complement (the share of
//! people *not* at high risk against `100 − t`): `high` when `v ≤ t`, `medium` when
//! `100 − v ≥ 0.8·(100 − t)` (for 15 %: up to 32 %), `low` otherwise.
//!
//! **Not enough data**: a department's indicator has no value when fewer than `min_people`
//! (default 3) people count in it (the people in the system; activated people with working
//! days; people with a recent assessment), or there are no working days. Under the `aggregate`
//! privacy policy the risk indicator also needs at least `min_group_size` (k) people.
//!
//! **Index** of a department = `100 / N · (0·X1 + 0.5·X2 + 1·X3)`, where the units counted are
//! its active sub-departments, or, when it has none, its people; each unit's category is the
//! worst of its categories over the indicators it has data for (so `high` = meets every one of
//! them); X1, X2, X3 count the units in `low`, `medium`, `high`; N = X1 + X2 + X3 (units
//! without any data are left out; no units with data: no index). People as units are judged
//! alone (no minimum), without the risk indicator under the `aggregate` policy.

use std::collections::HashMap;

use qamqor_protocol::PrivacyPolicy;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::activity::{percent, person_stats, Window};
use super::departments::{in_reach, tree, DepartmentView};
use super::period::{parse_week, Period, PeriodView};
use super::{org_settings, Ctx};
use crate::error::{AppError, AppResult};
use crate::export::{Cell, Table};
use crate::store::admin::PersonFacts;
use crate::AppState;

/// The indicators, in their order on the dashboard.
pub const INDICATORS: [Indicator; 4] = [
    Indicator { key: "accounts_activated", name: "Accounts activated", lower_is_better: false },
    Indicator { key: "check_ins", name: "Daily check-ins completed", lower_is_better: false },
    Indicator { key: "work_sessions", name: "Work sessions logged", lower_is_better: false },
    Indicator { key: "high_risk", name: "People at high risk", lower_is_better: true },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indicator {
    pub key: &'static str,
    pub name: &'static str,
    pub lower_is_better: bool,
}

/// The organisation's targets (percent) and the minimum people for a value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Targets {
    pub accounts_activated: f64,
    pub check_ins: f64,
    pub work_sessions: f64,
    /// The most people at high risk that still meets the target (lower is better).
    pub high_risk: f64,
    /// Fewer people than this in a department: "not enough data".
    pub min_people: u32,
}

impl Default for Targets {
    fn default() -> Targets {
        Targets { accounts_activated: 90.0, check_ins: 70.0, work_sessions: 80.0, high_risk: 15.0, min_people: 3 }
    }
}

impl Targets {
    fn of(&self, key: &str) -> f64 {
        match key {
            "accounts_activated" => self.accounts_activated,
            "check_ins" => self.check_ins,
            "work_sessions" => self.work_sessions,
            _ => self.high_risk,
        }
    }
}

/// The largest `min_people`.
pub const MAX_MIN_PEOPLE: u32 = 1000;

/// `PUT /api/v1/admin/indicators/targets`: the fields sent replace the current ones.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UpdateTargets {
    pub accounts_activated: Option<f64>,
    pub check_ins: Option<f64>,
    pub work_sessions: Option<f64>,
    pub high_risk: Option<f64>,
    pub min_people: Option<u32>,
}

/// The targets in force (the defaults until an admin sets them).
pub async fn targets(state: &AppState, ctx: &Ctx) -> AppResult<Targets> {
    match state.store.admin().indicator_targets(ctx.org_id()).await? {
        None => Ok(Targets::default()),
        Some(v) => serde_json::from_value(v).map_err(|e| AppError::internal(anyhow::anyhow!("stored targets: {e}"))),
    }
}

pub async fn set_targets(state: &AppState, ctx: &Ctx, req: UpdateTargets) -> AppResult<Targets> {
    ctx.require_admin("change the indicators' targets")?;
    let mut t = targets(state, ctx).await?;
    for (field, value, slot) in [
        ("accounts_activated", req.accounts_activated, &mut t.accounts_activated),
        ("check_ins", req.check_ins, &mut t.check_ins),
        ("work_sessions", req.work_sessions, &mut t.work_sessions),
        ("high_risk", req.high_risk, &mut t.high_risk),
    ] {
        if let Some(v) = value {
            if !v.is_finite() || !(0.0..=100.0).contains(&v) {
                return Err(AppError::invalid(field, format!("a target is a percentage from 0 to 100, got {v}")));
            }
            *slot = v;
        }
    }
    if let Some(n) = req.min_people {
        if !(1..=MAX_MIN_PEOPLE).contains(&n) {
            return Err(AppError::invalid("min_people", format!("must be 1 to {MAX_MIN_PEOPLE}, got {n}")));
        }
        t.min_people = n;
    }
    let value = serde_json::to_value(t).map_err(AppError::internal)?;
    let audit = ctx.audit("indicators.set_targets", "organisation", Some(ctx.org_id().to_string()), value.clone());
    state.store.admin().set_indicator_targets(ctx.org_id(), value, audit).await?;
    Ok(t)
}

/// What a group counts for the indicators.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub accounts: u32,
    pub activated: u32,
    /// Activated people with working days, and those days.
    pub working_people: u32,
    pub working_days: u32,
    pub check_in_days: u32,
    pub session_days: u32,
    /// People with a recent assessment, and those at high risk.
    pub assessed: u32,
    pub high: u32,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.accounts += o.accounts;
        self.activated += o.activated;
        self.working_people += o.working_people;
        self.working_days += o.working_days;
        self.check_in_days += o.check_in_days;
        self.session_days += o.session_days;
        self.assessed += o.assessed;
        self.high += o.high;
    }

    /// `(numerator, denominator, people)` of an indicator.
    fn parts(&self, key: &str) -> (u32, u32, u32) {
        match key {
            "accounts_activated" => (self.activated, self.accounts, self.accounts),
            "check_ins" => (self.check_in_days, self.working_days, self.working_people),
            "work_sessions" => (self.session_days, self.working_days, self.working_people),
            _ => (self.high, self.assessed, self.assessed),
        }
    }
}

/// One person's tally for a week, `None` when not in the system.
pub fn person_tally(f: &PersonFacts, w: &Window) -> Option<Tally> {
    let s = person_stats(f, w)?;
    Some(Tally {
        accounts: 1,
        activated: s.activated,
        working_people: u32::from(s.working_days > 0),
        working_days: s.working_days,
        check_in_days: s.check_in_days,
        session_days: s.session_days,
        assessed: u32::from(f.risk.is_some()),
        high: u32::from(f.risk.as_ref().is_some_and(|r| r.level == "high")),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Low,
    Medium,
    High,
}

/// The category of a value against a target (see the module documentation).
pub fn category(value: f64, target: f64, lower_is_better: bool) -> Category {
    let (v, t) = if lower_is_better { (100.0 - value, 100.0 - target) } else { (value, target) };
    if v >= t {
        Category::High
    } else if v >= 0.8 * t {
        Category::Medium
    } else {
        Category::Low
    }
}

/// One indicator of one department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IndicatorValue {
    pub key: String,
    /// Percent with one decimal; `null`: not enough data.
    pub value: Option<f64>,
    pub numerator: u32,
    pub denominator: u32,
    /// The people counted.
    pub people: u32,
    /// `null`: not enough data.
    pub category: Option<Category>,
    pub meets_target: bool,
    pub not_enough_data: bool,
}

/// How many people (or how much data) a value needs.
#[derive(Debug, Clone, Copy)]
struct Minimums {
    people: u32,
    /// For the risk indicator (k under the aggregate policy).
    risk_people: u32,
    /// Whether the risk indicator counts at all (person units under the aggregate policy: no).
    with_risk: bool,
}

fn values(t: &Tally, targets: &Targets, min: Minimums) -> Vec<IndicatorValue> {
    INDICATORS
        .iter()
        .map(|ind| {
            let (num, den, people) = t.parts(ind.key);
            let needed = if ind.key == "high_risk" { min.risk_people } else { min.people };
            let counts = den > 0 && people >= needed && (ind.key != "high_risk" || min.with_risk);
            let value = if counts { percent(num, den) } else { None };
            let cat = value.map(|v| category(v, targets.of(ind.key), ind.lower_is_better));
            IndicatorValue {
                key: ind.key.to_string(),
                value,
                numerator: if counts { num } else { 0 },
                denominator: if counts { den } else { 0 },
                people: if counts { people } else { 0 },
                category: cat,
                meets_target: cat == Some(Category::High),
                not_enough_data: value.is_none(),
            }
        })
        .collect()
}

/// The worst category among the indicators with data.
fn overall(values: &[IndicatorValue]) -> Option<Category> {
    values.iter().filter_map(|v| v.category).min()
}

/// `100 / N · (0.5·X2 + X3)` with one decimal; `None` without units.
pub fn index(categories: &[Category]) -> Option<f64> {
    let n = categories.len();
    if n == 0 {
        return None;
    }
    let score: f64 = categories.iter().map(|c| match c {
        Category::Low => 0.0,
        Category::Medium => 0.5,
        Category::High => 1.0,
    }).sum();
    Some((score * 1000.0 / n as f64).round() / 10.0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Up,
    Down,
    Same,
}

/// One department's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DepartmentIndicators {
    pub department_id: Uuid,
    /// Names from the top of the tree, ` / ` joined.
    pub name: String,
    pub people: u32,
    pub indicators: Vec<IndicatorValue>,
    /// Every indicator has data and meets its target.
    pub fully_compliant: bool,
    /// The indicators whose target is missed (a tooltip's content).
    pub missed: Vec<String>,
    /// `sub_departments` or `people`: what the index counts.
    pub units: String,
    /// X1, X2, X3: the units in the low, medium and high category.
    pub units_low: u32,
    pub units_medium: u32,
    pub units_high: u32,
    pub index: Option<f64>,
    pub previous_index: Option<f64>,
    /// Against the previous week; `null` when either week has no index.
    pub change: Option<Change>,
}

/// One indicator over everything in reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IndicatorSummary {
    pub key: String,
    pub name: String,
    pub target: f64,
    pub lower_is_better: bool,
    /// Over everyone in reach.
    pub value: Option<f64>,
    pub category: Option<Category>,
    pub departments_with_data: u32,
    pub departments_meeting: u32,
}

/// `GET /api/v1/admin/indicators`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WeeklyIndicators {
    pub week: PeriodView,
    pub previous_week: PeriodView,
    pub targets: Targets,
    pub summary: Vec<IndicatorSummary>,
    /// Departments meeting every indicator.
    pub fully_compliant_departments: u32,
    /// False when no department has data for any indicator this week.
    pub enough_data: bool,
    /// Sorted by index, highest first (no index last), then by name.
    pub departments: Vec<DepartmentIndicators>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndicatorsQuery {
    /// ISO week `YYYY-Www` (default: the last complete week).
    pub week: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
}

/// What one week computes to, per department.
struct WeekResult {
    rows: HashMap<Uuid, (Tally, Vec<IndicatorValue>, Vec<Category>)>,
    total: Tally,
}

fn compute_week(
    departments: &[DepartmentView],
    facts: &[PersonFacts],
    w: &Window,
    targets: &Targets,
    policy: PrivacyPolicy,
    k: u32,
) -> WeekResult {
    let parents: HashMap<Uuid, Option<Uuid>> = departments.iter().map(|d| (d.id, d.parent_id)).collect();
    let mut tallies: HashMap<Uuid, Tally> = HashMap::new();
    let mut people_units: HashMap<Uuid, Vec<Tally>> = HashMap::new();
    let mut total = Tally::default();
    for f in facts {
        let Some(t) = person_tally(f, w) else { continue };
        total.add(&t);
        if let Some(d) = f.department_id {
            people_units.entry(d).or_default().push(t);
        }
        let mut at = f.department_id;
        let mut steps = 0;
        while let Some(d) = at.filter(|d| parents.contains_key(d)) {
            tallies.entry(d).or_default().add(&t);
            at = parents.get(&d).copied().flatten();
            steps += 1;
            if steps > parents.len() {
                break;
            }
        }
    }
    let aggregate = policy == PrivacyPolicy::Aggregate;
    let group = Minimums {
        people: targets.min_people,
        risk_people: if aggregate { targets.min_people.max(k) } else { targets.min_people },
        with_risk: true,
    };
    let person = Minimums { people: 1, risk_people: 1, with_risk: !aggregate };
    let mut values_of: HashMap<Uuid, (Tally, Vec<IndicatorValue>)> = HashMap::new();
    for d in departments {
        let t = tallies.get(&d.id).copied().unwrap_or_default();
        values_of.insert(d.id, (t, values(&t, targets, group)));
    }
    let mut rows = HashMap::new();
    for d in departments {
        let children: Vec<&DepartmentView> = departments.iter().filter(|c| c.parent_id == Some(d.id)).collect();
        let units: Vec<Category> = if children.is_empty() {
            people_units.get(&d.id).map_or_else(Vec::new, |ps| ps.iter().filter_map(|t| overall(&values(t, targets, person))).collect())
        } else {
            children.iter().filter_map(|c| values_of.get(&c.id).and_then(|(_, v)| overall(v))).collect()
        };
        let (t, v) = values_of.remove(&d.id).unwrap_or_default();
        rows.insert(d.id, (t, v, units));
    }
    WeekResult { rows, total }
}

pub async fn weekly(state: &AppState, ctx: &Ctx, q: &IndicatorsQuery) -> AppResult<WeeklyIndicators> {
    let today = ctx.today(state);
    let week = match q.week.as_deref() {
        Some(w) => parse_week(w, "week")?,
        None => Period::last_complete_week(today),
    };
    let previous = week.previous();
    let targets = targets(state, ctx).await?;
    let settings = org_settings(state, ctx).await?;
    let mut departments = tree(&in_reach(state, ctx).await?);
    departments.retain(|d| d.archived_at.is_none());

    // Each week's sums, and the latest level of the four weeks ending with it (the 28 days to a
    // complete week's end), in one read. A week that has not begun has no facts.
    let mut facts = state.store.admin().week_facts(ctx.org_id(), ctx.within, vec![week.from, previous.from], 3).await?;
    let mut results = Vec::new();
    for (k, p) in [week, previous].into_iter().enumerate() {
        let w = Window::new(state, p, today);
        let week_facts = if p.from > today { Vec::new() } else { facts.get_mut(k).map(std::mem::take).unwrap_or_default() };
        results.push(compute_week(&departments, &week_facts, &w, &targets, settings.privacy_policy, settings.min_group_size));
    }
    let (now, before) = (&results[0], &results[1]);

    let mut rows = Vec::with_capacity(departments.len());
    for d in &departments {
        let Some((tally, values, units)) = now.rows.get(&d.id) else { continue };
        let prev_index = before.rows.get(&d.id).and_then(|(_, _, u)| index(u));
        let idx = index(units);
        let count = |c: Category| units.iter().filter(|u| **u == c).count() as u32;
        let has_children = departments.iter().any(|c| c.parent_id == Some(d.id));
        rows.push(DepartmentIndicators {
            department_id: d.id,
            name: d.path.join(" / "),
            people: tally.accounts,
            fully_compliant: values.iter().all(|v| v.meets_target),
            missed: values.iter().filter(|v| v.category.is_some() && !v.meets_target).map(|v| v.key.clone()).collect(),
            indicators: values.clone(),
            units: if has_children { "sub_departments" } else { "people" }.to_string(),
            units_low: count(Category::Low),
            units_medium: count(Category::Medium),
            units_high: count(Category::High),
            index: idx,
            previous_index: prev_index,
            change: match (idx, prev_index) {
                (Some(a), Some(b)) if a > b => Some(Change::Up),
                (Some(a), Some(b)) if a < b => Some(Change::Down),
                (Some(_), Some(_)) => Some(Change::Same),
                _ => None,
            },
        });
    }
    rows.sort_by(|a, b| {
        b.index.is_some().cmp(&a.index.is_some()).then(b.index.partial_cmp(&a.index).unwrap_or(std::cmp::Ordering::Equal)).then(a.name.cmp(&b.name))
    });

    let aggregate = settings.privacy_policy == PrivacyPolicy::Aggregate;
    let scope_min = Minimums {
        people: targets.min_people,
        risk_people: if aggregate { targets.min_people.max(settings.min_group_size) } else { targets.min_people },
        with_risk: true,
    };
    let totals = values(&now.total, &targets, scope_min);
    let summary = INDICATORS
        .iter()
        .zip(&totals)
        .map(|(ind, v)| {
            let of = |r: &DepartmentIndicators| r.indicators.iter().find(|x| x.key == ind.key).cloned();
            IndicatorSummary {
                key: ind.key.to_string(),
                name: ind.name.to_string(),
                target: targets.of(ind.key),
                lower_is_better: ind.lower_is_better,
                value: v.value,
                category: v.category,
                departments_with_data: rows.iter().filter_map(of).filter(|x| x.value.is_some()).count() as u32,
                departments_meeting: rows.iter().filter_map(of).filter(|x| x.meets_target).count() as u32,
            }
        })
        .collect();
    let enough_data = rows.iter().any(|r| r.indicators.iter().any(|v| v.value.is_some()));
    Ok(WeeklyIndicators {
        week: week.view(),
        previous_week: previous.view(),
        targets,
        summary,
        fully_compliant_departments: rows.iter().filter(|r| r.fully_compliant).count() as u32,
        enough_data,
        departments: rows,
    })
}

/// The indicators export: one row per department.
pub fn export(t: &WeeklyIndicators) -> Table {
    let mut columns = vec!["department_id", "department", "people", "index", "previous_index", "change", "fully_compliant"];
    for ind in INDICATORS {
        columns.push(match ind.key {
            "accounts_activated" => "accounts_activated_percent",
            "check_ins" => "check_ins_percent",
            "work_sessions" => "work_sessions_percent",
            _ => "high_risk_percent",
        });
        columns.push(match ind.key {
            "accounts_activated" => "accounts_activated_category",
            "check_ins" => "check_ins_category",
            "work_sessions" => "work_sessions_category",
            _ => "high_risk_category",
        });
    }
    columns.push("week");
    let mut out = Table::new(format!("indicators-{}", t.week.label), columns);
    let name = |c: Option<Category>| -> Cell {
        match c {
            Some(Category::Low) => "low".into(),
            Some(Category::Medium) => "medium".into(),
            Some(Category::High) => "high".into(),
            None => "not enough data".into(),
        }
    };
    for r in &t.departments {
        let mut cells: Vec<Cell> = vec![
            r.department_id.to_string().into(),
            r.name.clone().into(),
            r.people.into(),
            r.index.into(),
            r.previous_index.into(),
            r.change.map(|c| json!(c).as_str().unwrap_or_default().to_string()).into(),
            (if r.fully_compliant { "yes" } else { "no" }).into(),
        ];
        for v in &r.indicators {
            cells.push(v.value.into());
            cells.push(name(v.category));
        }
        cells.push(t.week.label.clone().into());
        out.push(cells);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_mind_the_direction() {
        assert_eq!(category(90.0, 90.0, false), Category::High);
        assert_eq!(category(72.0, 90.0, false), Category::Medium);
        assert_eq!(category(71.9, 90.0, false), Category::Low);
        assert_eq!(category(15.0, 15.0, true), Category::High);
        assert_eq!(category(32.0, 15.0, true), Category::Medium);
        assert_eq!(category(32.1, 15.0, true), Category::Low);
        assert_eq!(category(0.0, 0.0, true), Category::High);
        assert_eq!(category(0.1, 0.0, true), Category::Medium);
    }

    #[test]
    fn the_index_weighs_low_medium_high_as_0_half_1() {
        use Category::*;
        assert_eq!(index(&[High, High, Medium, Low]), Some(62.5));
        assert_eq!(index(&[Low]), Some(0.0));
        assert_eq!(index(&[]), None);
        assert_eq!(index(&[High, Medium, Medium]), Some(66.7));
    }

    #[test]
    fn too_few_people_is_not_enough_data() {
        let t = Tally { accounts: 2, activated: 2, ..Tally::default() };
        let min = Minimums { people: 3, risk_people: 5, with_risk: true };
        let v = values(&t, &Targets::default(), min);
        assert!(v.iter().all(|x| x.not_enough_data && x.category.is_none()));
        let t = Tally { accounts: 4, activated: 3, working_people: 3, working_days: 10, check_in_days: 8, session_days: 7, assessed: 4, high: 1 };
        let v = values(&t, &Targets::default(), min);
        let got: Vec<(Option<f64>, Option<Category>)> = v.iter().map(|x| (x.value, x.category)).collect();
        assert_eq!(got, vec![(Some(75.0), Some(Category::Medium)), (Some(80.0), Some(Category::High)), (Some(70.0), Some(Category::Medium)), (None, None)]);
        assert_eq!(overall(&v), Some(Category::Medium));
    }
}
