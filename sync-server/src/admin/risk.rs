//! The risk overview under the organisation's privacy policy: the distribution of the latest
//! shared risk levels (the last 28 days) per department, its trend over the last N weeks, and,
//! only under the `individual` policy, the people at high risk with their main factors.
//!
//! **Groups**: everything in reach (the total), each department over its subtree, and, for a
//! department with sub-departments and people of its own, those people ("direct members", the
//! parent's remainder). A group's size is the number of its people with a recent assessment.
//!
//! **Suppression** under the `aggregate` policy with minimum group size k ([`suppress`]):
//! 1. a group with 1 to k−1 assessed people is hidden (primary suppression);
//! 2. a family is a shown parent and its members (sub-departments and direct members): if
//!    exactly one member is hidden, its figures would follow by subtracting the others from the
//!    parent, so the smallest other member with data is hidden too (the parent itself when no
//!    such member exists); a hidden parent whose members are all shown would be their sum, so
//!    the smallest member with data is hidden as well;
//! 3. repeated until nothing changes (hiding only grows, so it ends).
//!
//! The trend shows the total only, hidden in a week when it has fewer than k assessed people.

use std::collections::HashMap;

use chrono::Days;
use qamqor_protocol::PrivacyPolicy;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::departments::{in_reach, tree};
use super::period::{Period, PeriodView};
use super::{org_settings, risk_window_ending, Ctx};
use crate::error::{AppError, AppResult};
use crate::export::{Cell, Table};
use crate::store::admin::{PeriodQuery, RiskMark};
use crate::AppState;

/// The longest trend.
pub const MAX_WEEKS: u32 = 52;
pub const DEFAULT_WEEKS: u32 = 8;
/// Factors shown per person.
pub const TOP_FACTORS: usize = 3;

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RiskQuery {
    /// Weeks of trend, ending with the current one (1 to 52, default 8).
    pub weeks: Option<u32>,
    /// `json` (default), `csv` or `xlsx` (the groups).
    pub format: Option<String>,
}

/// Levels counted in a group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Distribution {
    pub low: u32,
    pub medium: u32,
    pub high: u32,
}

impl Distribution {
    pub fn assessed(&self) -> u32 {
        self.low + self.medium + self.high
    }

    fn add_level(&mut self, level: &str) {
        match level {
            "low" => self.low += 1,
            "medium" => self.medium += 1,
            "high" => self.high += 1,
            _ => {}
        }
    }

    fn add(&mut self, o: &Distribution) {
        self.low += o.low;
        self.medium += o.medium;
        self.high += o.high;
    }
}

/// One group of the overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RiskGroup {
    /// `total`, a department id, or `<department id>:direct`.
    pub key: String,
    /// The family it belongs to (`null` for the total).
    pub parent: Option<String>,
    /// `total`, `department` or `direct_members`.
    pub kind: String,
    pub department_id: Option<Uuid>,
    pub name: String,
    /// Active people in the group.
    pub people: u32,
    /// `null` when hidden.
    pub assessed: Option<u32>,
    pub distribution: Option<Distribution>,
    /// `small_group` (fewer than k assessed) or `complementary` (would be derivable).
    pub suppressed: Option<String>,
}

/// One week of the trend (the total).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RiskWeek {
    pub week: PeriodView,
    pub assessed: Option<u32>,
    pub distribution: Option<Distribution>,
    pub suppressed: bool,
}

/// A person at high risk (individual policy only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HighRiskPerson {
    pub person_id: Uuid,
    pub name: String,
    pub department_id: Option<Uuid>,
    pub assessed_on: chrono::NaiveDate,
    pub score: Option<f64>,
    /// The strongest factors as shared, `{key, contribution}`, strongest first.
    #[schema(value_type = Vec<Object>)]
    pub factors: Vec<Value>,
}

/// `GET /api/v1/admin/risk`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RiskOverview {
    /// `individual` or `aggregate`.
    pub privacy_policy: String,
    pub min_group_size: u32,
    /// The local days whose latest assessments count.
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub groups: Vec<RiskGroup>,
    pub trend: Vec<RiskWeek>,
    /// Under the individual policy only (absent otherwise), highest score first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people_at_high_risk: Option<Vec<HighRiskPerson>>,
}

/// A node of the suppression problem: a group with its family.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub parent: Option<usize>,
    pub assessed: u32,
    pub hidden: Option<&'static str>,
}

/// Applies primary and complementary suppression in place (see the module documentation).
pub fn suppress(nodes: &mut [Node], k: u32) {
    for n in nodes.iter_mut() {
        if n.assessed > 0 && n.assessed < k {
            n.hidden = Some("small_group");
        }
    }
    loop {
        let mut changed = false;
        for p in 0..nodes.len() {
            let members: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].parent == Some(p)).collect();
            if members.is_empty() {
                continue;
            }
            let hidden = members.iter().filter(|&&i| nodes[i].hidden.is_some()).count();
            let parent_hidden = nodes[p].hidden.is_some();
            let needs_more = (!parent_hidden && hidden == 1) || (parent_hidden && hidden == 0);
            if !needs_more {
                continue;
            }
            // The smallest member with data that is still shown (the first one on ties).
            let candidate = members
                .iter()
                .copied()
                .filter(|&i| nodes[i].hidden.is_none() && nodes[i].assessed > 0)
                .min_by_key(|&i| (nodes[i].assessed, i));
            match candidate {
                Some(i) => nodes[i].hidden = Some("complementary"),
                None if !parent_hidden && nodes[p].assessed > 0 => nodes[p].hidden = Some("complementary"),
                None => continue,
            }
            changed = true;
        }
        if !changed {
            return;
        }
    }
}

pub async fn overview(state: &AppState, ctx: &Ctx, q: &RiskQuery) -> AppResult<RiskOverview> {
    let weeks = q.weeks.unwrap_or(DEFAULT_WEEKS);
    if !(1..=MAX_WEEKS).contains(&weeks) {
        return Err(AppError::invalid("weeks", format!("must be 1 to {MAX_WEEKS}, got {weeks}")));
    }
    let settings = org_settings(state, ctx).await?;
    let individual = settings.privacy_policy == PrivacyPolicy::Individual;
    let k = settings.min_group_size;
    let today = ctx.today(state);
    let window = ctx.risk_window(state);
    let facts = state
        .store
        .admin()
        .period_facts(PeriodQuery {
            org_id: ctx.org_id(),
            within: ctx.within,
            from: today,
            to: today,
            with_syncs_and_tasks: false,
            risk_window: Some(window),
        })
        .await?;
    let active: Vec<_> = facts.iter().filter(|f| f.deactivated_at.is_none()).collect();
    let mut departments = tree(&in_reach(state, ctx).await?);
    departments.retain(|d| d.archived_at.is_none());
    let parents: HashMap<Uuid, Option<Uuid>> = departments.iter().map(|d| (d.id, d.parent_id)).collect();

    // Subtree and direct-member tallies.
    let mut subtree: HashMap<Uuid, (u32, Distribution)> = HashMap::new();
    let mut direct: HashMap<Option<Uuid>, (u32, Distribution)> = HashMap::new();
    let mut total = (0u32, Distribution::default());
    for f in &active {
        let mut dist = Distribution::default();
        if let Some(r) = &f.risk {
            dist.add_level(&r.level);
        }
        total.0 += 1;
        total.1.add(&dist);
        let home = f.department_id.filter(|d| parents.contains_key(d));
        let e = direct.entry(home).or_default();
        e.0 += 1;
        e.1.add(&dist);
        let mut at = home;
        let mut steps = 0;
        while let Some(d) = at {
            let e = subtree.entry(d).or_default();
            e.0 += 1;
            e.1.add(&dist);
            at = parents.get(&d).copied().flatten();
            steps += 1;
            if steps > parents.len() {
                break;
            }
        }
    }

    // The groups, in tree order: the total, then each department, its direct members last.
    let mut groups: Vec<RiskGroup> = Vec::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let total_name = if ctx.within.is_some() { "Your departments" } else { "Organisation" };
    let mut push = |g: RiskGroup, dist: Distribution, groups: &mut Vec<RiskGroup>, nodes: &mut Vec<Node>| {
        let parent = g.parent.as_ref().and_then(|p| index_of.get(p).copied());
        index_of.insert(g.key.clone(), groups.len());
        nodes.push(Node { parent, assessed: dist.assessed(), hidden: None });
        groups.push(RiskGroup { assessed: Some(dist.assessed()), distribution: Some(dist), ..g });
    };
    let blank = |key: String, parent: Option<String>, kind: &str, department_id: Option<Uuid>, name: String, people: u32| RiskGroup {
        key,
        parent,
        kind: kind.to_string(),
        department_id,
        name,
        people,
        assessed: None,
        distribution: None,
        suppressed: None,
    };
    push(blank("total".into(), None, "total", None, total_name.into(), total.0), total.1, &mut groups, &mut nodes);
    let top: Vec<Uuid> = departments.iter().filter(|d| d.parent_id.is_none_or(|p| !parents.contains_key(&p))).map(|d| d.id).collect();
    for d in &departments {
        let (people, dist) = subtree.get(&d.id).copied().unwrap_or_default();
        let parent = if top.contains(&d.id) { "total".to_string() } else { d.parent_id.map(|p| p.to_string()).unwrap_or_default() };
        push(blank(d.id.to_string(), Some(parent), "department", Some(d.id), d.path.join(" / "), people), dist, &mut groups, &mut nodes);
        let has_children = departments.iter().any(|c| c.parent_id == Some(d.id));
        if has_children {
            if let Some((people, dist)) = direct.get(&Some(d.id)).copied() {
                let name = format!("{} (direct members)", d.path.join(" / "));
                push(blank(format!("{}:direct", d.id), Some(d.id.to_string()), "direct_members", Some(d.id), name, people), dist, &mut groups, &mut nodes);
            }
        }
    }
    if let Some((people, dist)) = direct.get(&None).copied() {
        push(blank("none:direct".into(), Some("total".into()), "direct_members", None, "No department".into(), people), dist, &mut groups, &mut nodes);
    }
    if !individual {
        suppress(&mut nodes, k);
        for (g, n) in groups.iter_mut().zip(&nodes) {
            if let Some(reason) = n.hidden {
                g.suppressed = Some(reason.to_string());
                g.assessed = None;
                g.distribution = None;
            }
        }
    }

    // The trend: the total as of the end of each of the last `weeks` weeks.
    let mut trend = Vec::new();
    let current = Period::week_of(today);
    let by_id: HashMap<Uuid, &&crate::store::admin::PersonFacts> = active.iter().map(|f| (f.user_id, f)).collect();
    for i in (0..weeks).rev() {
        let week = Period::week_of(current.from - Days::new(7 * u64::from(i)));
        let marks = state.store.admin().risk_marks(ctx.org_id(), ctx.within, risk_window_ending(week.to.min(today))).await?;
        let mut dist = Distribution::default();
        for (id, mark) in &marks {
            if by_id.contains_key(id) {
                dist.add_level(&mark.level);
            }
        }
        let hidden = !individual && dist.assessed() > 0 && dist.assessed() < k;
        trend.push(RiskWeek {
            week: week.view(),
            assessed: (!hidden).then(|| dist.assessed()),
            distribution: (!hidden).then_some(dist),
            suppressed: hidden,
        });
    }

    let people_at_high_risk = if individual {
        let marks = state.store.admin().risk_marks(ctx.org_id(), ctx.within, window).await?;
        let mut list: Vec<HighRiskPerson> = marks
            .into_iter()
            .filter(|(_, m)| m.level == "high")
            .filter_map(|(id, m)| by_id.get(&id).map(|f| high_risk_person(f.user_id, &f.name, f.department_id, m)))
            .collect();
        list.sort_by(|a, b| b.score.partial_cmp(&a.score).unwrap_or(std::cmp::Ordering::Equal).then(a.name.cmp(&b.name)));
        let entry = ctx.audit("risk.view_individuals", "risk", None, json!({"people_at_high_risk": list.len()}));
        ctx.log(state, entry).await?;
        Some(list)
    } else {
        None
    };
    Ok(RiskOverview {
        privacy_policy: settings.privacy_policy.as_str().to_string(),
        min_group_size: k,
        from: window.0,
        to: window.1,
        groups,
        trend,
        people_at_high_risk,
    })
}

fn high_risk_person(id: Uuid, name: &str, department_id: Option<Uuid>, m: RiskMark) -> HighRiskPerson {
    let mut factors: Vec<Value> = m.factors.and_then(|f| f.as_array().cloned()).unwrap_or_default();
    factors.sort_by(|a, b| {
        let c = |v: &Value| v["contribution"].as_f64().unwrap_or(0.0).abs();
        c(b).partial_cmp(&c(a)).unwrap_or(std::cmp::Ordering::Equal)
    });
    factors.truncate(TOP_FACTORS);
    HighRiskPerson { person_id: id, name: name.to_string(), department_id, assessed_on: m.day, score: m.score, factors }
}

/// The overview's export: one row per group.
pub fn export(o: &RiskOverview) -> Table {
    let mut t = Table::new(
        format!("risk-overview-{}", o.to),
        vec!["group", "kind", "people", "assessed", "low", "medium", "high", "suppressed", "privacy_policy"],
    );
    for g in &o.groups {
        let d = g.distribution;
        t.push(vec![
            g.name.clone().into(),
            g.kind.clone().into(),
            g.people.into(),
            g.assessed.into(),
            d.map(|d| d.low).into(),
            d.map(|d| d.medium).into(),
            d.map(|d| d.high).into(),
            g.suppressed.clone().into(),
            Cell::Text(o.privacy_policy.clone()),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(parent: Option<usize>, assessed: u32) -> Node {
        Node { parent, assessed, hidden: None }
    }

    fn hidden(nodes: &[Node]) -> Vec<Option<&'static str>> {
        nodes.iter().map(|n| n.hidden).collect()
    }

    #[test]
    fn one_small_child_hides_the_next_smallest_sibling() {
        // Total 20 = A 12 + B 5 + C 3: C alone would be total − A − B.
        let mut n = vec![node(None, 20), node(Some(0), 12), node(Some(0), 5), node(Some(0), 3)];
        suppress(&mut n, 5);
        assert_eq!(hidden(&n), [None, None, Some("complementary"), Some("small_group")]);
    }

    #[test]
    fn two_small_children_protect_each_other() {
        let mut n = vec![node(None, 20), node(Some(0), 14), node(Some(0), 3), node(Some(0), 3)];
        suppress(&mut n, 5);
        assert_eq!(hidden(&n), [None, None, Some("small_group"), Some("small_group")]);
    }

    #[test]
    fn a_lone_small_member_hides_its_parent_and_that_cascades() {
        // Org 30 = Sales 8 (= East 6 + direct 2) + Support 22. The direct members (2) are hidden;
        // East is the only other member with data and is hidden too. Nothing more is needed
        // above: Sales is still shown.
        let mut n = vec![node(None, 30), node(Some(0), 8), node(Some(1), 6), node(Some(1), 2), node(Some(0), 22)];
        suppress(&mut n, 5);
        assert_eq!(hidden(&n), [None, None, Some("complementary"), Some("small_group"), None]);
        // Sales 3 (small) with a single child of 3: the child is small too; Support would give
        // Sales away by subtraction, so it is hidden, and then the total would be their sum.
        let mut n = vec![node(None, 25), node(Some(0), 3), node(Some(1), 3), node(Some(0), 22)];
        suppress(&mut n, 5);
        assert_eq!(hidden(&n), [None, Some("small_group"), Some("small_group"), Some("complementary")]);
    }

    #[test]
    fn a_lone_member_without_siblings_hides_the_parent() {
        // Total 9 = one department of 6 + "no department" 3: the department is the only other
        // member with data, so it is hidden; with nothing else to hide, the rule stops there.
        let mut n = vec![node(None, 9), node(Some(0), 6), node(Some(0), 3)];
        suppress(&mut n, 5);
        assert_eq!(hidden(&n), [None, Some("complementary"), Some("small_group")]);
        // A parent whose only member with data is hidden: the parent goes.
        let mut n = vec![node(None, 6), node(Some(0), 3), node(Some(0), 0)];
        suppress(&mut n, 5);
        assert_eq!(hidden(&n), [Some("complementary"), Some("small_group"), None]);
    }

    #[test]
    fn groups_of_k_or_more_and_empty_groups_stay() {
        let mut n = vec![node(None, 10), node(Some(0), 5), node(Some(0), 5), node(Some(0), 0)];
        suppress(&mut n, 5);
        assert!(n.iter().all(|x| x.hidden.is_none()));
    }
}
