//! Activity statistics of every department in reach for an ISO week or a month.

use axum::extract::{RawQuery, State};
use maud::html;

use crate::admin::activity::{self, ActivityQuery};
use crate::export::Format;
use crate::panel::layout::{self, hours, pct, period_picker, Nav};
use crate::panel::{parse_form, Page, PageResult};
use crate::AppState;

/// `GET /panel/activity?week=2026-W48` (or `month=2026-11`; default: this week so far).
pub async fn page(State(state): State<AppState>, p: Page, RawQuery(raw): RawQuery) -> PageResult {
    let q: ActivityQuery = parse_form(raw.as_deref().unwrap_or_default())?;
    let format = Format::parse(q.format.as_deref())?;
    let (week, month) = (q.week.clone(), q.month.clone());
    let t = activity::table(&state, &p.ctx, q).await?;
    if format.is_file() {
        return super::download(&state, &p, format, activity::table_export(&t)).await;
    }
    let body = html! {
        h1 { (p.lang.ta("activity-of", &[("period", t.period.label.as_str().into())])) }
        p { (t.period.from) " — " (t.period.to) }
        (period_picker(&p, "/panel/activity", week.as_deref(), month.as_deref()))
        div.scroll {
            table.data id="activity" {
                thead { tr {
                    th { (p.t("department")) } th { (p.t("stat-accounts")) } th { (p.t("stat-activated")) }
                    th { (p.t("stat-app-open-days")) } th { (p.t("stat-syncs")) } th { (p.t("stat-hours")) }
                    th { (p.t("stat-overtime")) } th { (p.t("stat-after-hours")) } th { (p.t("stat-weekend")) }
                    th { (p.t("stat-check-in-rate")) } th { (p.t("stat-session-rate")) }
                    th { (p.t("stat-tasks-completed")) } th { (p.t("stat-tasks-overdue")) }
                } }
                tbody {
                    @for r in &t.rows {
                        tr class=[r.department_id.is_none().then_some("total")] {
                            td {
                                @if let Some(id) = r.department_id { a href={ "/panel/departments/" (id) } { (r.name) } }
                                @else { strong { (p.t("total")) } }
                            }
                            td { (r.stats.accounts) } td { (r.stats.activated) }
                            td { (r.stats.app_open_days) } td { (r.stats.syncs) }
                            td { (hours(r.stats.worked_minutes)) } td { (hours(r.stats.overtime_minutes)) }
                            td { (hours(r.stats.after_hours_minutes)) } td { (hours(r.stats.weekend_minutes)) }
                            td { (pct(r.stats.check_in_rate)) } td { (pct(r.stats.session_rate)) }
                            td { (r.stats.tasks_completed) } td { (r.stats.tasks_overdue) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(&p, Nav::Activity, &p.t("nav-activity"), body))
}
