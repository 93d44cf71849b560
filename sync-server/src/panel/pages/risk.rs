//! The risk overview under the organisation's privacy policy: the distribution per department
//! (small groups hidden under `aggregate`), the trend, and under `individual` only the people at
//! high risk with their main factors.

use axum::extract::{RawQuery, State};
use maud::html;

use crate::admin::risk::{self, RiskQuery};
use crate::export::Format;
use crate::panel::layout::{self, export_bar, figure, Nav};
use crate::panel::pages::people::{pairs_ref, raw_pairs};
use crate::panel::{charts, parse_form, Page, PageResult};
use crate::AppState;

/// A shared factor (`{key, contribution}`) in the page's language.
fn factor_text(p: &Page, f: &serde_json::Value) -> String {
    let key = f.get("key").and_then(|k| k.as_str()).unwrap_or("unknown");
    let name = p.t(&format!("factor-{}", key.replace('_', "-")));
    match f.get("value").and_then(serde_json::Value::as_f64) {
        Some(v) => format!("{name} ({v:.1})"),
        None => name,
    }
}

/// A group's name in the page's language (the API names the direct members of a department in
/// English).
fn group_name(p: &Page, all: &[risk::RiskGroup], g: &risk::RiskGroup) -> String {
    if g.kind != "direct_members" {
        return g.name.clone();
    }
    match g.department_id.and_then(|d| all.iter().find(|x| x.kind == "department" && x.department_id == Some(d))) {
        Some(d) => format!("{} ({})", d.name, p.t("direct-members")),
        None => p.t("no-department"),
    }
}

/// `GET /panel/risk?weeks=12`.
pub async fn page(State(state): State<AppState>, p: Page, RawQuery(raw): RawQuery) -> PageResult {
    let pairs = raw_pairs(&raw);
    let q: RiskQuery = parse_form(raw.as_deref().unwrap_or_default())?;
    let format = Format::parse(q.format.as_deref())?;
    let q = RiskQuery { weeks: q.weeks.or(Some(12)), format: q.format };
    let o = risk::overview(&state, &p.ctx, &q).await?;
    if format.is_file() {
        return super::download(&state, &p, format, risk::export(&o)).await;
    }
    let labels = [p.t("level-low"), p.t("level-medium"), p.t("level-high")];
    let labels = [labels[0].as_str(), labels[1].as_str(), labels[2].as_str()];
    let total = o.groups.iter().find(|g| g.kind == "total");
    let trend: Vec<(String, Option<[u32; 3]>)> =
        o.trend.iter().map(|w| (w.week.label.clone(), w.distribution.as_ref().map(|d| [d.low, d.medium, d.high]))).collect();
    let body = html! {
        h1 { (p.t("nav-risk")) }
        p.policy id="policy" data-policy=(o.privacy_policy) {
            (p.t(&format!("policy-{}", o.privacy_policy)))
            @if o.privacy_policy == "aggregate" { " " (p.lang.ta("policy-k", &[("k", o.min_group_size.into())])) }
        }
        p { (p.lang.ta("risk-window", &[("from", o.from.to_string().into()), ("to", o.to.to_string().into())])) }
        (export_bar(&p, "/panel/risk", &pairs_ref(&pairs)))
        div.row {
            section {
                h2 { (p.t("risk-distribution")) }
                @match total.and_then(|g| g.distribution.as_ref()) {
                    Some(d) if d.low + d.medium + d.high > 0 => { (figure(&p.t("risk-distribution"), charts::level_pie([d.low, d.medium, d.high], labels))) }
                    Some(_) => { p.notice { (p.t("risk-nobody-assessed")) } }
                    None => { p.notice { (p.lang.ta("risk-suppressed", &[("k", o.min_group_size.into())])) } }
                }
            }
            section {
                h2 { (p.t("risk-trend")) }
                (figure(&p.t("risk-trend"), charts::level_trend(&trend, labels)))
            }
        }
        table.data id="risk-groups" {
            thead { tr {
                th { (p.t("group")) } th { (p.t("people")) } th { (p.t("assessed")) }
                th { (p.t("level-low")) } th { (p.t("level-medium")) } th { (p.t("level-high")) }
            } }
            tbody {
                @for g in &o.groups {
                    tr data-group=(g.key) class=[g.suppressed.as_ref().map(|_| "suppressed")] {
                        td { @if g.kind == "total" { strong { (p.t("total")) } } @else { (group_name(&p, &o.groups, g)) } }
                        td { (g.people) }
                        @match (&g.distribution, &g.suppressed) {
                            (Some(d), _) => { td { (g.assessed.unwrap_or(0)) } td { (d.low) } td { (d.medium) } td { (d.high) } }
                            (None, Some(reason)) => { td colspan="4" { span.badge.cat-none { (p.t(&format!("suppressed-{}", reason.replace('_', "-")))) } } }
                            (None, None) => { td colspan="4" { "—" } }
                        }
                    }
                }
            }
        }
        @if let Some(people) = &o.people_at_high_risk {
            h2 { (p.t("people-at-high-risk")) }
            @if people.is_empty() { p { (p.t("nobody-at-high-risk")) } }
            @else {
                table.data id="high-risk" {
                    thead { tr { th { (p.t("name")) } th { (p.t("assessed-on")) } th { (p.t("score")) } th { (p.t("main-factors")) } } }
                    tbody {
                        @for h in people {
                            tr {
                                td { a href={ "/panel/people/" (h.person_id) "#feedback" } { (h.name) } }
                                td { (h.assessed_on) }
                                td { (h.score.map_or_else(|| "—".to_string(), |s| format!("{:.0}", s * 100.0))) }
                                td { (h.factors.iter().map(|f| factor_text(&p, f)).collect::<Vec<_>>().join("; ")) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(&p, Nav::Risk, &p.t("nav-risk"), body))
}
