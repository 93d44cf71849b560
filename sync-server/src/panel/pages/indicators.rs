//! The weekly indicators (document 003's dashboard): each department's value and category per
//! indicator against the organisation's targets, the index, the change against the week before.

use axum::extract::{RawQuery, State};
use chrono::Days;
use maud::{html, Markup};

use crate::admin::indicators::{self, Category, Change, IndicatorsQuery};
use crate::admin::period::Period;
use crate::export::Format;
use crate::panel::layout::{self, export_bar, figure, pct, Nav};
use crate::panel::pages::people::{pairs_ref, raw_pairs};
use crate::panel::{charts, parse_form, Page, PageResult};
use crate::AppState;

/// An indicator's name in the page's language.
pub fn indicator_name(p: &Page, key: &str) -> String {
    p.t(&format!("indicator-{}", key.replace('_', "-")))
}

/// A category badge, or "not enough data".
pub fn category_badge(p: &Page, c: Option<Category>) -> Markup {
    let (class, key) = match c {
        Some(Category::Low) => ("cat-low", "category-low"),
        Some(Category::Medium) => ("cat-medium", "category-medium"),
        Some(Category::High) => ("cat-high", "category-high"),
        None => ("cat-none", "not-enough-data-short"),
    };
    html! { span class={ "badge " (class) } { (p.t(key)) } }
}

fn week_link(w: &Period) -> String {
    format!("/panel/indicators?week={}", w.label())
}

/// `GET /panel/indicators?week=2026-W47` (default: the last complete week).
pub async fn page(State(state): State<AppState>, p: Page, RawQuery(raw): RawQuery) -> PageResult {
    let pairs = raw_pairs(&raw);
    let q: IndicatorsQuery = parse_form(raw.as_deref().unwrap_or_default())?;
    let format = Format::parse(q.format.as_deref())?;
    let mut t = indicators::weekly(&state, &p.ctx, &q).await?;
    if format.is_file() {
        return super::download(&state, &p, format, indicators::export(&t)).await;
    }
    // Best index first; departments without an index (not enough data) last.
    t.departments.sort_by(|a, b| b.index.unwrap_or(-1.0).total_cmp(&a.index.unwrap_or(-1.0)).then_with(|| a.name.cmp(&b.name)));
    let week = Period::week_of(t.week.from);
    let previous = week.previous();
    let next = Period::week_of(t.week.from + Days::new(7));
    let today = p.ctx.today(&state);
    let bars: Vec<(String, Option<f64>, Option<f64>)> = t.departments.iter().map(|d| (d.name.clone(), d.previous_index, d.index)).collect();
    let body = html! {
        h1 { (p.lang.ta("indicators-of-week", &[("week", t.week.label.as_str().into())])) }
        nav.weeks {
            a id="previous-week" rel="prev" href=(week_link(&previous)) { "← " (previous.label()) }
            span id="current-week" data-week=(t.week.label) { (t.week.label) " (" (t.week.from) " — " (t.week.to) ")" }
            @if next.from <= today { a id="next-week" rel="next" href=(week_link(&next)) { (next.label()) " →" } }
            form.inline method="get" action="/panel/indicators" {
                label { (p.t("pick-week")) input type="week" name="week" id="week-picker" value=(t.week.label); }
                button type="submit" { (p.t("show")) }
            }
        }
        @if !t.enough_data { p.notice id="not-enough-data" { (p.t("not-enough-data")) } }
        (export_bar(&p, "/panel/indicators", &pairs_ref(&pairs)))
        table.summary id="indicator-summary" {
            thead { tr { th { (p.t("indicator")) } th { (p.t("target")) } th { (p.t("value")) } th { (p.t("category")) } th { (p.t("departments-meeting")) } } }
            tbody {
                @for s in &t.summary {
                    tr {
                        td { (indicator_name(&p, &s.key)) }
                        td { (if s.lower_is_better { "≤ " } else { "≥ " }) (s.target) " %" }
                        td { (pct(s.value)) }
                        td { (category_badge(&p, s.category)) }
                        td { (s.departments_meeting) " / " (s.departments_with_data) }
                    }
                }
            }
        }
        p { (p.lang.ta("fully-compliant-count", &[("count", t.fully_compliant_departments.into())])) }
        div.scroll {
            table.data id="indicators" {
                thead { tr {
                    th { (p.t("department")) } th { (p.t("people")) }
                    @for s in &t.summary { th { (indicator_name(&p, &s.key)) } }
                    th { (p.t("index")) } th { (p.t("previous-week")) } th { (p.t("change")) } th { (p.t("compliant")) }
                } }
                tbody {
                    @for d in &t.departments {
                        tr data-department=(d.department_id) {
                            td { (d.name) }
                            td { (d.people) }
                            @for v in &d.indicators {
                                td class=[v.meets_target.then_some("meets")] {
                                    @if v.not_enough_data { span.badge.cat-none { (p.t("not-enough-data-short")) } }
                                    @else { (pct(v.value)) " " (category_badge(&p, v.category)) }
                                }
                            }
                            td.index { (d.index.map_or_else(|| "—".to_string(), |i| format!("{i:.1}"))) }
                            td { (d.previous_index.map_or_else(|| "—".to_string(), |i| format!("{i:.1}"))) }
                            td {
                                @match d.change {
                                    Some(Change::Up) => span.up title=(p.t("change-up")) { "▲ " (p.t("change-up")) },
                                    Some(Change::Down) => span.down title=(p.t("change-down")) { "▼ " (p.t("change-down")) },
                                    Some(Change::Same) => span { "= " (p.t("change-same")) },
                                    None => "—",
                                }
                            }
                            td { @if d.fully_compliant { "✓" } @else { "✗ " (d.missed.iter().map(|k| indicator_name(&p, k)).collect::<Vec<_>>().join(", ")) } }
                        }
                    }
                }
            }
        }
        p.help { (p.t("index-help")) }
        @if !bars.is_empty() {
            (figure(&p.t("index-chart"), charts::paired_bars(&bars, (&previous.label(), &t.week.label), 100.0)))
        }
    };
    Ok(layout::page(&p, Nav::Indicators, &p.t("nav-indicators"), body))
}
