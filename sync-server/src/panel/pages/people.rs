//! People: search, filters, sort, pages, downloads; creating an account (admins).

use axum::extract::{RawQuery, State};
use maud::{html, Markup};
use qamqor_protocol::{CreateInvitationRequest, PrivacyPolicy, Role};
use serde::Deserialize;
use uuid::Uuid;

use crate::admin::departments::{self, DepartmentView};
use crate::admin::people::{self, CreatePerson, PeopleQuery};
use crate::admin::{log_action, org_settings};
use crate::extract::ClientAddr;
use crate::export::Format;
use crate::panel::layout::{self, export_bar, instant, level_badge, pager, Nav};
use crate::panel::{parse_form, Form, Page, PageResult};
use crate::AppState;

/// The query's fields as given, for the links that keep them (pages, downloads).
pub fn raw_pairs(raw: &Option<String>) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw.as_deref().unwrap_or_default())
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
}

pub fn pairs_ref(pairs: &[(String, String)]) -> Vec<(&str, String)> {
    pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect()
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

/// `<option>`s with the current value selected.
pub fn options(current: &str, items: &[(String, String)]) -> Markup {
    html! {
        @for (value, label) in items {
            option value=(value) selected[current == value] { (label) }
        }
    }
}

/// The departments in reach as `<option>`s, indented by depth.
pub fn department_options(p: &Page, all: &[DepartmentView], current: &str, empty_label: &str) -> Markup {
    let mut items = vec![(String::new(), empty_label.to_string())];
    items.extend(all.iter().filter(|d| d.archived_at.is_none()).map(|d| (d.id.to_string(), format!("{}{}", "\u{2003}".repeat(d.depth as usize), d.name))));
    let _ = p;
    options(current, &items)
}

fn role_options(p: &Page, current: &str, any: bool) -> Markup {
    let mut items = if any { vec![(String::new(), p.t("any"))] } else { vec![] };
    items.extend(["employee", "manager", "admin"].map(|r| (r.to_string(), p.t(&format!("role-{r}")))));
    options(current, &items)
}

/// `GET /panel/people`.
pub async fn list(State(state): State<AppState>, p: Page, RawQuery(raw): RawQuery) -> PageResult {
    let pairs = raw_pairs(&raw);
    let q: PeopleQuery = parse_form(raw.as_deref().unwrap_or_default())?;
    let format = Format::parse(q.format.as_deref())?;
    if format.is_file() {
        let all = people::list(&state, &p.ctx, q, true).await?;
        return super::download(&state, &p, format, people::table(&all.items)).await;
    }
    let individual = org_settings(&state, &p.ctx).await?.privacy_policy == PrivacyPolicy::Individual;
    let result = people::list(&state, &p.ctx, q, false).await?;
    let depts = departments::list(&state, &p.ctx, false).await?.items;
    let qs = pairs_ref(&pairs);
    let any = p.t("any");
    let body = html! {
        h1 { (p.t("nav-people")) }
        form.filters method="get" action="/panel/people" id="people-filters" {
            label { (p.t("search-name")) input type="search" name="q" id="q" value=(get(&pairs, "q")); }
            label { (p.t("department")) select name="department_id" id="department" { (department_options(&p, &depts, get(&pairs, "department_id"), &any)) } }
            label { (p.t("role")) select name="role" id="role" { (role_options(&p, get(&pairs, "role"), true)) } }
            @if individual {
                label { (p.t("risk-level")) select name="risk_level" id="risk-level" {
                    (options(get(&pairs, "risk_level"), &[(String::new(), any.clone()), ("low".into(), p.t("level-low")), ("medium".into(), p.t("level-medium")), ("high".into(), p.t("level-high"))]))
                } }
            }
            label { (p.t("activity")) select name="activity" id="activity" {
                (options(get(&pairs, "activity"), &[(String::new(), any.clone()), ("active".into(), p.t("activity-active")), ("inactive".into(), p.t("activity-inactive")), ("never".into(), p.t("activity-never"))]))
            } }
            label { (p.t("inactive-days")) input type="number" name="inactive_days" min="1" max="365" value=(get(&pairs, "inactive_days")) placeholder="7"; }
            label { (p.t("status")) select name="status" id="status" {
                (options(get(&pairs, "status"), &[(String::new(), p.t("status-active")), ("deactivated".into(), p.t("status-deactivated")), ("all".into(), p.t("status-all"))]))
            } }
            label { (p.t("sort")) select name="sort" id="sort" {
                (options(get(&pairs, "sort"), &[(String::new(), p.t("sort-name")), ("last_seen".into(), p.t("sort-last-seen")), ("department".into(), p.t("sort-department"))]))
            } }
            label { (p.t("order")) select name="order" id="order" {
                (options(get(&pairs, "order"), &[(String::new(), p.t("order-default")), ("asc".into(), p.t("order-asc")), ("desc".into(), p.t("order-desc"))]))
            } }
            button type="submit" id="apply" { (p.t("apply")) }
            a href="/panel/people" { (p.t("reset")) }
        }
        p.count id="people-count" data-total=(result.total) { (p.lang.ta("people-count", &[("count", result.total.into())])) }
        (export_bar(&p, "/panel/people", &qs))
        table.data id="people" {
            thead { tr {
                th { (p.t("name")) } th { (p.t("email")) } th { (p.t("role")) } th { (p.t("department")) }
                th { (p.t("status")) } th { (p.t("activated")) } th { (p.t("last-seen")) }
                @if individual { th { (p.t("risk-level")) } }
            } }
            tbody {
                @for person in &result.items {
                    tr data-person=(person.id) {
                        td { a href={ "/panel/people/" (person.id) } { (person.name) } }
                        td { (person.email) }
                        td { (p.t(&format!("role-{}", person.role))) }
                        td { (person.department.clone().unwrap_or_else(|| "—".into())) }
                        td { (p.t(&format!("status-{}", person.status))) }
                        td { (instant(person.activated_at.as_deref())) }
                        td { (instant(person.last_seen_at.as_deref())) }
                        @if individual { td { @if let Some(r) = &person.risk { (level_badge(&p, &r.level)) } @else { "—" } } }
                    }
                }
            }
        }
        (pager(&p, "/panel/people", &qs, result.page, result.per_page, result.total))
        @if !p.is_admin() {
            section.create {
                h2 { (p.t("invite-employee")) }
                p.help { (p.t("invite-help")) }
                form method="post" action="/panel/people/invite" id="invite-person" {
                    label { (p.t("email")) input type="email" name="email" required; }
                    button type="submit" { (p.t("invite")) }
                }
            }
        }
        @if p.is_admin() {
            section.create {
                h2 { (p.t("person-create")) }
                form method="post" action="/panel/people" id="create-person" {
                    label { (p.t("name")) input type="text" name="name" required maxlength="200"; }
                    label { (p.t("email")) input type="email" name="email" required; }
                    label { (p.t("role")) select name="role" { (role_options(&p, "employee", false)) } }
                    label { (p.t("department")) select name="department_id" { (department_options(&p, &depts, "", "—")) } }
                    button type="submit" { (p.t("create")) }
                }
            }
        }
    };
    Ok(layout::page(&p, Nav::People, &p.t("nav-people"), body))
}

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    role: Option<String>,
    department_id: Option<Uuid>,
}

#[derive(Debug, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
}

/// `POST /panel/people/invite` (managers): an invitation of an employee into the manager's own
/// department, its code shown once.
pub async fn invite(State(state): State<AppState>, p: Page, addr: ClientAddr, Form(f): Form<InviteForm>) -> PageResult {
    let req = CreateInvitationRequest { email: f.email, role: Role::Employee, department: None };
    let inv = crate::accounts::create_invitation(&state, &p.ctx.caller, req).await?;
    let details = serde_json::json!({"email": inv.email, "role": inv.role, "department": inv.department, "via": "panel"});
    log_action(&state, &p.ctx.caller, &addr, "invitation.create", ("invitation", None), details).await?;
    let expires = crate::admin::rfc3339(inv.expires_at);
    let body = html! {
        h1 { (p.t("invitation-created")) }
        p { (inv.email) " · " (inv.department.clone().unwrap_or_default()) }
        p { (p.t("invitation-code")) ": " code id="invitation-code" { (inv.code) } }
        p { (p.t("invitation-expires")) ": " (instant(Some(&expires))) }
        p.notice { (p.t("invitation-hint")) }
        p { a href="/panel/people" { (p.t("back-to-people")) } }
    };
    Ok(layout::page(&p, Nav::People, &p.t("invitation-created"), body))
}

/// `POST /panel/people` (admins): the account and its invitation code, shown once.
pub async fn create(State(state): State<AppState>, p: Page, Form(f): Form<CreateForm>) -> PageResult {
    let role = match f.role.as_deref() {
        None => Role::Employee,
        Some(r) => Role::parse(r).ok_or_else(|| crate::error::AppError::invalid("role", format!("'{r}' is not a role: admin, manager or employee")))?,
    };
    let created = people::create(&state, &p.ctx, CreatePerson { email: f.email, name: f.name, role, department_id: f.department_id }).await?;
    let body = html! {
        h1 { (p.t("person-created")) }
        p { a href={ "/panel/people/" (created.person.id) } { (created.person.name) } " · " (created.person.email) }
        p { (p.t("invitation-code")) ": " code id="invitation-code" { (created.invitation.code) } }
        p { (p.t("invitation-expires")) ": " (instant(Some(&created.invitation.expires_at))) }
        p.notice { (p.t("invitation-hint")) }
        p { a href="/panel/people" { (p.t("back-to-people")) } }
    };
    Ok(layout::page(&p, Nav::People, &p.t("person-created"), body))
}
