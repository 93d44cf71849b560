//! One person: their account, their activity over a week or month, and what an admin or
//! manager can do (role, department, deactivation, feedback).

use axum::extract::{Path, State};
use maud::html;
use qamqor_protocol::Role;
use serde::Deserialize;
use uuid::Uuid;

use crate::admin::activity::{self, ActivityQuery, ActivityStats};
use crate::admin::competencies;
use crate::admin::departments;
use crate::admin::people::{self, UpdatePerson};
use crate::admin::{log_action, path_id, user_not_found};
use crate::error::AppError;
use crate::export::Format;
use crate::extract::ClientAddr;
use crate::manage::{self, CreateFeedbackRequest};
use crate::panel::layout::{self, done_banner, hours, instant, level_badge, pct, period_picker, Nav};
use crate::panel::pages::people::{department_options, options};
use crate::panel::{redirect, Form, Page, PageResult, Query};
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct PersonQuery {
    week: Option<String>,
    month: Option<String>,
    format: Option<String>,
    done: Option<String>,
}

/// The rows of an activity table (person, department or organisation), in the page's language.
pub fn stats_rows(p: &Page, s: &ActivityStats) -> maud::Markup {
    let row = |key: &str, value: String| html! { tr { th scope="row" { (p.t(key)) } td { (value) } } };
    html! {
        (row("stat-accounts", format!("{} ({} {})", s.accounts, s.created, p.t("stat-created-in-period"))))
        (row("stat-activated", format!("{} ({} {})", s.activated, s.activated_in_period, p.t("stat-in-period"))))
        (row("stat-app-open-days", s.app_open_days.to_string()))
        (row("stat-syncs", format!("{} ({} {})", s.syncs, s.sync_days, p.t("stat-days"))))
        (row("stat-hours", hours(s.worked_minutes)))
        (row("stat-overtime", hours(s.overtime_minutes)))
        (row("stat-after-hours", hours(s.after_hours_minutes)))
        (row("stat-weekend", hours(s.weekend_minutes)))
        (row("stat-check-in-rate", format!("{} ({}/{})", pct(s.check_in_rate), s.check_in_days, s.working_days)))
        (row("stat-session-rate", format!("{} ({}/{})", pct(s.session_rate), s.session_days, s.working_days)))
        (row("stat-tasks-completed", s.tasks_completed.to_string()))
        (row("stat-tasks-overdue", s.tasks_overdue.to_string()))
    }
}

/// `GET /panel/people/{id}`.
pub async fn page(State(state): State<AppState>, p: Page, Path(id): Path<String>, Query(q): Query<PersonQuery>) -> PageResult {
    let id = path_id(&id, user_not_found)?;
    let person = people::get(&state, &p.ctx, id).await?;
    let aq = ActivityQuery { week: q.week.clone(), month: q.month.clone(), format: None };
    let act = activity::person(&state, &p.ctx, id, aq).await?;
    let format = Format::parse(q.format.as_deref())?;
    if format.is_file() {
        return super::download(&state, &p, format, activity::person_export(&act)).await;
    }
    let depts = departments::list(&state, &p.ctx, false).await?.items;
    let competency = competencies::profile(&state, &p.ctx, id).await?.map(|(v, _)| v);
    let deactivated = person.status == "deactivated";
    let body = html! {
        (done_banner(&p, q.done.as_deref()))
        h1 id="person-name" { (person.name) }
        dl.facts {
            dt { (p.t("email")) } dd { (person.email) }
            dt { (p.t("role")) } dd { (p.t(&format!("role-{}", person.role))) }
            dt { (p.t("department")) } dd { (person.department.clone().unwrap_or_else(|| "—".into())) }
            dt { (p.t("status")) } dd id="person-status" { (p.t(&format!("status-{}", person.status))) }
            dt { (p.t("created")) } dd { (instant(Some(&person.created_at))) }
            dt { (p.t("activated")) } dd { (instant(person.activated_at.as_deref())) }
            dt { (p.t("last-seen")) } dd { (instant(person.last_seen_at.as_deref())) }
            @if let Some(r) = &person.risk {
                dt { (p.t("risk-level")) } dd { (level_badge(&p, &r.level)) " " (r.assessed_on) }
            }
        }
        section {
            h2 { (p.lang.ta("activity-of", &[("period", act.period.label.as_str().into())])) }
            (period_picker(&p, &format!("/panel/people/{id}"), q.week.as_deref(), q.month.as_deref()))
            @match &act.stats {
                Some(s) => { table.facts id="person-activity" { tbody { (stats_rows(&p, s)) } } }
                None => { p.notice { (p.t("no-activity")) } }
            }
        }
        section id="competency" {
            h2 { (p.t("competency-profile")) }
            @match &competency {
                None => { p.notice { (p.t("no-card")) } }
                Some(c) => {
                    p id="card" { strong { (c.card_name) } " · " (c.occupation_code.clone().unwrap_or_default()) " · " (p.t("level")) " " (c.level) }
                    table.data id="competency-functions" {
                        thead { tr { th { (p.t("labour-function")) } th { (p.t("function-score")) } th { (p.t("skills")) } } }
                        tbody {
                            @for f in &c.functions {
                                tr class=[f.strong.then_some("meets")] {
                                    td { (f.name) @if !f.mandatory { " " small { "(" (p.t("additional")) ")" } } }
                                    td { (f.score.map_or_else(|| "—".to_string(), |s| format!("{s:.2}"))) @if f.strong { " ✓" } }
                                    td { ul.skills { @for sk in &f.skills {
                                        li { (sk.name) ": " (p.t("own-score")) " " (sk.own.map_or_else(|| "—".to_string(), |x| x.to_string()))
                                            ", " (p.t("manager-score")) " " (sk.manager.map_or_else(|| "—".to_string(), |x| x.to_string())) }
                                    } } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !deactivated {
            section.actions {
                h2 { (p.t("person-change")) }
                form method="post" action={ "/panel/people/" (id) } id="change-person" {
                    @if p.is_admin() {
                        label { (p.t("role")) select name="role" {
                            (options(&person.role, &["employee", "manager", "admin"].map(|r| (r.to_string(), p.t(&format!("role-{r}"))))))
                        } }
                    }
                    label { (p.t("department")) select name="department" {
                        (department_options(&p, &depts, &person.department_id.map(|d| d.to_string()).unwrap_or_default(), &p.t("no-department")))
                    } }
                    button type="submit" { (p.t("save")) }
                }
                h2 { (p.t("feedback-send")) }
                form method="post" action={ "/panel/people/" (id) "/feedback" } id="feedback" {
                    label { (p.t("feedback-message")) textarea name="message" rows="3" maxlength="2000" required {} }
                    button type="submit" { (p.t("send")) }
                }
            }
        }
        @if p.is_admin() {
            section.actions {
                @if deactivated {
                    form method="post" action={ "/panel/people/" (id) "/reactivate" } { button type="submit" id="reactivate" { (p.t("reactivate")) } }
                } @else {
                    form method="post" action={ "/panel/people/" (id) "/deactivate" } {
                        p.notice { (p.t("deactivate-hint")) }
                        button.danger type="submit" id="deactivate" { (p.t("deactivate")) }
                    }
                }
            }
        }
    };
    Ok(layout::page(&p, Nav::People, &person.name, body))
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    role: Option<String>,
    /// A department id; absent (the empty choice): no department.
    department: Option<Uuid>,
}

/// `POST /panel/people/{id}`: role (admins) and department.
pub async fn update(State(state): State<AppState>, p: Page, Path(id): Path<String>, Form(f): Form<ChangeForm>) -> PageResult {
    let id = path_id(&id, user_not_found)?;
    let role = match f.role.as_deref() {
        None => None,
        Some(r) => Some(Role::parse(r).ok_or_else(|| AppError::invalid("role", format!("'{r}' is not a role: admin, manager or employee")))?),
    };
    let current = people::get(&state, &p.ctx, id).await?;
    let role = role.filter(|r| r.as_str() != current.role);
    let department = if f.department == current.department_id { None } else { Some(f.department) };
    people::update(&state, &p.ctx, id, UpdatePerson { role, department_id: department }).await?;
    Ok(redirect(&format!("/panel/people/{id}?done=saved")))
}

/// `POST /panel/people/{id}/deactivate` (admins).
pub async fn deactivate(State(state): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id = path_id(&id, user_not_found)?;
    people::set_active(&state, &p.ctx, id, false).await?;
    Ok(redirect(&format!("/panel/people/{id}?done=deactivated")))
}

/// `POST /panel/people/{id}/reactivate` (admins).
pub async fn reactivate(State(state): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id = path_id(&id, user_not_found)?;
    people::set_active(&state, &p.ctx, id, true).await?;
    Ok(redirect(&format!("/panel/people/{id}?done=reactivated")))
}

#[derive(Debug, Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    message: String,
}

/// `POST /panel/people/{id}/feedback`: a message that reaches the person's phone by sync.
pub async fn feedback(State(state): State<AppState>, p: Page, addr: ClientAddr, Path(id): Path<String>, Form(f): Form<FeedbackForm>) -> PageResult {
    let id = path_id(&id, user_not_found)?;
    // Scope as everywhere in the panel: 404 outside the organisation, 403 outside the subtree.
    people::person_in_reach(&state, &p.ctx, id).await?;
    let sent = manage::create_feedback(&state, &p.ctx.caller, CreateFeedbackRequest { user_id: id, message: f.message }).await?;
    let details = serde_json::json!({"feedback_id": sent.feedback_id, "via": "panel"});
    log_action(&state, &p.ctx.caller, &addr, "feedback.send", ("person", Some(id.to_string())), details).await?;
    Ok(redirect(&format!("/panel/people/{id}?done=feedback-sent")))
}
