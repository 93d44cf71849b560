//! The department tree (create, rename, move, archive) and one department's activity with its
//! people.

use axum::extract::{Path, State};
use maud::html;
use serde::Deserialize;
use uuid::Uuid;

use crate::admin::activity::{self, ActivityQuery};
use crate::admin::departments::{self, CreateDepartment, UpdateDepartment};
use crate::admin::path_id;
use crate::export::Format;
use crate::panel::layout::{self, done_banner, hours, instant, pct, period_picker, Nav};
use crate::panel::pages::people::department_options;
use crate::panel::pages::person::stats_rows;
use crate::panel::{redirect, Form, Page, PageResult, Query};
use crate::AppState;

fn not_found() -> crate::error::AppError {
    crate::admin::department_not_found("id")
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    archived: bool,
    done: Option<String>,
}

/// `GET /panel/departments`.
pub async fn list(State(state): State<AppState>, p: Page, Query(q): Query<ListQuery>) -> PageResult {
    let all = departments::list(&state, &p.ctx, q.archived).await?.items;
    let active: Vec<_> = all.iter().filter(|d| d.archived_at.is_none()).cloned().collect();
    let body = html! {
        (done_banner(&p, q.done.as_deref()))
        h1 { (p.t("nav-departments")) }
        p {
            @if q.archived { a href="/panel/departments" { (p.t("hide-archived")) } }
            @else { a href="/panel/departments?archived=true" { (p.t("show-archived")) } }
        }
        table.data id="departments" {
            thead { tr { th { (p.t("department")) } th { (p.t("people")) } th { (p.t("created")) } th.no-print { (p.t("actions")) } } }
            tbody {
                @for d in &all {
                    tr data-department=(d.id) class=[d.archived_at.as_ref().map(|_| "archived")] {
                        td style={ "padding-left:" (0.5 + 1.5 * f64::from(d.depth)) "em" } {
                            a href={ "/panel/departments/" (d.id) } { (d.name) }
                            @if d.archived_at.is_some() { " " span.badge { (p.t("archived")) } }
                        }
                        td { (d.people) }
                        td { (instant(Some(&d.created_at))) }
                        td.no-print {
                            @if d.archived_at.is_none() {
                                form.inline method="post" action={ "/panel/departments/" (d.id) } {
                                    input type="text" name="name" value=(d.name) maxlength="200" aria-label=(p.t("rename"));
                                    select name="parent" aria-label=(p.t("move-under")) {
                                        (department_options(&p, &active.iter().filter(|o| o.id != d.id).cloned().collect::<Vec<_>>(), &d.parent_id.map(|x| x.to_string()).unwrap_or_default(), &p.t("top-level")))
                                    }
                                    button type="submit" { (p.t("save")) }
                                }
                                form.inline method="post" action={ "/panel/departments/" (d.id) "/archive" } {
                                    button.danger type="submit" { (p.t("archive")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.create {
            h2 { (p.t("department-create")) }
            form method="post" action="/panel/departments" id="create-department" {
                label { (p.t("name")) input type="text" name="name" required maxlength="200"; }
                label { (p.t("parent")) select name="parent" { (department_options(&p, &active, "", &p.t("top-level"))) } }
                button type="submit" { (p.t("create")) }
            }
        }
    };
    Ok(layout::page(&p, Nav::Departments, &p.t("nav-departments"), body))
}

#[derive(Debug, Deserialize)]
pub struct DepartmentForm {
    #[serde(default)]
    name: String,
    parent: Option<Uuid>,
}

/// `POST /panel/departments`.
pub async fn create(State(state): State<AppState>, p: Page, Form(f): Form<DepartmentForm>) -> PageResult {
    departments::create(&state, &p.ctx, CreateDepartment { name: f.name, parent_id: f.parent }).await?;
    Ok(redirect("/panel/departments?done=department-created"))
}

/// `POST /panel/departments/{id}`: rename and/or move (the parent as chosen; top level when none).
pub async fn update(State(state): State<AppState>, p: Page, Path(id): Path<String>, Form(f): Form<DepartmentForm>) -> PageResult {
    let id = path_id(&id, not_found)?;
    let current = departments::list(&state, &p.ctx, false).await?.items.into_iter().find(|d| d.id == id);
    let (name, parent) = match &current {
        Some(d) => ((f.name.trim() != d.name).then_some(f.name), (f.parent != d.parent_id).then_some(f.parent)),
        None => (Some(f.name), Some(f.parent)),
    };
    departments::update(&state, &p.ctx, id, UpdateDepartment { name, parent_id: parent }).await?;
    Ok(redirect("/panel/departments?done=saved"))
}

/// `POST /panel/departments/{id}/archive`.
pub async fn archive(State(state): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id = path_id(&id, not_found)?;
    departments::archive(&state, &p.ctx, id).await?;
    Ok(redirect("/panel/departments?done=department-archived"))
}

#[derive(Debug, Deserialize)]
pub struct ActivityPageQuery {
    week: Option<String>,
    month: Option<String>,
    format: Option<String>,
}

/// `GET /panel/departments/{id}`: the department's activity over its subtree, with its people.
pub async fn page(State(state): State<AppState>, p: Page, Path(id): Path<String>, Query(q): Query<ActivityPageQuery>) -> PageResult {
    let id = path_id(&id, not_found)?;
    let d = activity::department(&state, &p.ctx, id, ActivityQuery { week: q.week.clone(), month: q.month.clone(), format: None }).await?;
    let format = Format::parse(q.format.as_deref())?;
    if format.is_file() {
        return super::download(&state, &p, format, activity::department_export(&d)).await;
    }
    let body = html! {
        h1 id="department-name" { (d.name) }
        h2 { (p.lang.ta("activity-of", &[("period", d.period.label.as_str().into())])) }
        (period_picker(&p, &format!("/panel/departments/{id}"), q.week.as_deref(), q.month.as_deref()))
        table.facts { tbody { (stats_rows(&p, &d.stats)) } }
        h2 { (p.t("nav-people")) }
        table.data id="department-people" {
            thead { tr {
                th { (p.t("name")) } th { (p.t("stat-hours")) } th { (p.t("stat-overtime")) } th { (p.t("stat-after-hours")) }
                th { (p.t("stat-weekend")) } th { (p.t("stat-check-in-rate")) } th { (p.t("stat-app-open-days")) } th { (p.t("stat-tasks-completed")) } th { (p.t("stat-tasks-overdue")) }
            } }
            tbody {
                @for r in &d.people {
                    tr {
                        td { a href={ "/panel/people/" (r.person_id) } { (r.name) } }
                        td { (hours(r.stats.worked_minutes)) } td { (hours(r.stats.overtime_minutes)) }
                        td { (hours(r.stats.after_hours_minutes)) } td { (hours(r.stats.weekend_minutes)) }
                        td { (pct(r.stats.check_in_rate)) } td { (r.stats.app_open_days) }
                        td { (r.stats.tasks_completed) } td { (r.stats.tasks_overdue) }
                    }
                }
            }
        }
    };
    Ok(layout::page(&p, Nav::Departments, &d.name, body))
}
