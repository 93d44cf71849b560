//! Competencies against the national IT professional standards: per labour function, who is
//! strong and where the gaps are, over a department's subtree.

use axum::extract::{RawQuery, State};
use maud::html;

use crate::admin::competencies::{self, CoverageQuery};
use crate::admin::departments;
use crate::export::Format;
use crate::panel::layout::{self, export_bar, Nav};
use crate::panel::pages::people::{department_options, pairs_ref, raw_pairs};
use crate::panel::{parse_form, Page, PageResult};
use crate::AppState;

/// `GET /panel/competencies?department_id=`.
pub async fn page(State(state): State<AppState>, p: Page, RawQuery(raw): RawQuery) -> PageResult {
    let pairs = raw_pairs(&raw);
    let q: CoverageQuery = parse_form(raw.as_deref().unwrap_or_default())?;
    let format = Format::parse(q.format.as_deref())?;
    let c = competencies::coverage_of(&state, &p.ctx, &q).await?;
    if format.is_file() {
        return super::download(&state, &p, format, competencies::coverage_table(&c)).await;
    }
    let depts = departments::list(&state, &p.ctx, false).await?.items;
    let current = q.department_id.clone().unwrap_or_default();
    let body = html! {
        h1 { (p.t("nav-competencies")) }
        form.inline method="get" action="/panel/competencies" {
            label { (p.t("department")) select name="department_id" { (department_options(&p, &depts, &current, &p.t("any"))) } }
            button type="submit" { (p.t("show")) }
        }
        p id="coverage-summary" { (p.lang.ta("cards-assigned", &[("assigned", c.assigned.into()), ("people", c.people.into())])) }
        p.help { (p.t("coverage-help")) }
        (export_bar(&p, "/panel/competencies", &pairs_ref(&pairs)))
        div.scroll {
            table.data id="coverage" {
                thead { tr {
                    th { (p.t("card")) } th { (p.t("labour-function")) } th { (p.t("people")) } th { (p.t("rated")) }
                    th { (p.t("strong")) } th { (p.t("average")) } th { (p.t("who-is-strong")) }
                } }
                tbody {
                    @for f in &c.functions {
                        tr class=[f.gap.then_some("gap")] {
                            td { (f.card) }
                            td { (f.function) @if !f.mandatory { " " small { "(" (p.t("additional")) ")" } } }
                            td { (f.people) } td { (f.rated) } td { (f.strong) }
                            td { (f.average.map_or_else(|| "—".to_string(), |a| format!("{a:.2}"))) }
                            td { @if f.gap { span.badge.level-high { (p.t("gap")) } } @else { (f.strong_people.join(", ")) } }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(&p, Nav::Competencies, &p.t("nav-competencies"), body))
}
