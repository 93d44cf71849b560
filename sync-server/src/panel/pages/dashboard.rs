//! The dashboard: the organisation at a glance, within the caller's reach.

use axum::extract::State;
use maud::html;

use crate::admin::activity::{self, ActivityQuery};
use crate::admin::indicators::{self, IndicatorsQuery};
use crate::admin::people::{self, PeopleQuery};
use crate::admin::risk::{self, RiskQuery};
use crate::admin::org_settings;
use crate::panel::layout::{self, figure, pct, Nav};
use crate::panel::pages::indicators::{category_badge, indicator_name};
use crate::panel::{charts, Page, PageResult};
use crate::AppState;

/// `GET /panel/`.
pub async fn page(State(state): State<AppState>, p: Page) -> PageResult {
    let (state, p) = (&state, &p);
    let settings = org_settings(state, &p.ctx).await?;
    let everyone = PeopleQuery {
        q: None,
        department_id: None,
        subdepartments: None,
        role: None,
        risk_level: None,
        activity: None,
        inactive_days: None,
        status: None,
        sort: None,
        order: None,
        page: Some(1),
        per_page: Some(1),
        format: None,
    };
    let people_total = people::list(state, &p.ctx, everyone, false).await?.total;
    let week = activity::table(state, &p.ctx, ActivityQuery { week: None, month: None, format: None }).await?;
    let total = week.rows.iter().find(|r| r.department_id.is_none()).map(|r| r.stats).unwrap_or_default();
    let ind = indicators::weekly(state, &p.ctx, &IndicatorsQuery { week: None, format: None }).await?;
    let overview = risk::overview(state, &p.ctx, &RiskQuery { weeks: Some(8), format: None }).await?;
    let top = overview.groups.iter().find(|g| g.kind == "total");
    let labels = [p.t("level-low"), p.t("level-medium"), p.t("level-high")];
    let labels = [labels[0].as_str(), labels[1].as_str(), labels[2].as_str()];
    let body = html! {
        h1 { (settings.organisation) }
        p.policy { (p.t(&format!("policy-{}", settings.privacy_policy.as_str()))) }
        div.cards {
            div.card { span.big id="people-total" { (people_total) } span { (p.t("card-people")) } }
            div.card { span.big { (total.activated) " / " (total.accounts) } span { (p.t("card-activated")) } }
            div.card { span.big { (total.app_open_days) } span { (p.lang.ta("card-app-open-days", &[("week", week.period.label.as_str().into())])) } }
            div.card { span.big { (pct(total.check_in_rate)) } span { (p.t("card-check-in-rate")) } }
            div.card { span.big { (ind.fully_compliant_departments) " / " (ind.departments.len()) } span { (p.t("card-compliant")) } }
        }
        div.row {
            section {
                h2 { a href="/panel/indicators" { (p.lang.ta("indicators-of-week", &[("week", ind.week.label.as_str().into())])) } }
                @if !ind.enough_data { p.notice { (p.t("not-enough-data")) } }
                table.summary {
                    thead { tr { th { (p.t("indicator")) } th { (p.t("target")) } th { (p.t("value")) } th { (p.t("category")) } } }
                    tbody {
                        @for s in &ind.summary {
                            tr {
                                td { (indicator_name(p, &s.key)) }
                                td { (if s.lower_is_better { "≤ " } else { "≥ " }) (s.target) " %" }
                                td { (pct(s.value)) }
                                td { (category_badge(p, s.category)) }
                            }
                        }
                    }
                }
            }
            section {
                h2 { a href="/panel/risk" { (p.t("risk-distribution")) } }
                @match top.and_then(|g| g.distribution.as_ref()) {
                    Some(d) if d.low + d.medium + d.high > 0 => {
                        (figure(&p.t("risk-distribution"), charts::level_pie([d.low, d.medium, d.high], labels)))
                    }
                    Some(_) => { p.notice { (p.t("risk-nobody-assessed")) } }
                    None => { p.notice { (p.lang.ta("risk-suppressed", &[("k", overview.min_group_size.into())])) } }
                }
            }
        }
    };
    Ok(layout::page(p, Nav::Dashboard, &p.t("nav-dashboard"), body))
}

