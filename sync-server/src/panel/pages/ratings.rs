//! Achievements and the rating (document 001): the ranking of the people in reach, the
//! comparison between departments, and the achievements to verify or reject.

use axum::extract::{Path, RawQuery, State};
use maud::html;
use serde::Deserialize;

use crate::admin::departments;
use crate::admin::ratings::{self, AchievementsQuery, RatingsQuery, ReviewRequest};
use crate::export::Format;
use crate::panel::layout::{self, done_banner, export_bar, instant, Nav};
use crate::panel::pages::people::{department_options, options, pairs_ref, raw_pairs};
use crate::panel::{parse_form, redirect, Form, Page, PageResult};
use crate::AppState;

/// A category's name in the page's language while it is still the default catalogue's English
/// name; a name the organisation chose is shown as it is.
fn category_label(p: &Page, id: &str, name: &str) -> String {
    match qamqor_core::rating::default_category_key(id, name) {
        Some(key) => p.t(&format!("achievement-category-{key}")),
        None => name.to_string(),
    }
}

/// A type's name in the page's language while it is still the default catalogue's.
fn type_label(p: &Page, id: &str, name: &str) -> String {
    match qamqor_core::rating::default_type_key(id, name) {
        Some(key) => p.t(&format!("achievement-type-{}", key.replace('_', "-"))),
        None => name.to_string(),
    }
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

/// `GET /panel/ratings?department_id=&from=&to=` (and `view=departments` for the comparison's
/// download).
pub async fn page(State(state): State<AppState>, p: Page, RawQuery(raw): RawQuery) -> PageResult {
    #[derive(Deserialize)]
    struct Q {
        department_id: Option<String>,
        from: Option<String>,
        to: Option<String>,
        format: Option<String>,
        view: Option<String>,
    }
    let pairs = raw_pairs(&raw);
    let q: Q = parse_form(raw.as_deref().unwrap_or_default())?;
    let format = Format::parse(q.format.as_deref())?;
    let rq = RatingsQuery { department_id: q.department_id.clone(), from: q.from.clone(), to: q.to.clone(), format: None };
    if format.is_file() {
        let table = match q.view.as_deref() {
            Some("departments") => ratings::departments_table(&ratings::comparison(&state, &p.ctx, &rq).await?),
            _ => ratings::people_table(&ratings::ranking(&state, &p.ctx, &rq).await?),
        };
        return super::download(&state, &p, format, table).await;
    }
    let ranking = ratings::ranking(&state, &p.ctx, &rq).await?;
    let comparison = ratings::comparison(&state, &p.ctx, &rq).await?;
    let depts = departments::list(&state, &p.ctx, false).await?.items;
    let mut dept_q = pairs_ref(&pairs);
    dept_q.push(("view", "departments".into()));
    let body = html! {
        h1 { (p.t("nav-ratings")) }
        p.policy id="rating-method" data-method=(ranking.method) { (p.t(&format!("rating-method-{}", ranking.method))) }
        form.inline method="get" action="/panel/ratings" {
            label { (p.t("department")) select name="department_id" { (department_options(&p, &depts, get(&pairs, "department_id"), &p.t("any"))) } }
            label { (p.t("from")) input type="date" name="from" value=(get(&pairs, "from")); }
            label { (p.t("to")) input type="date" name="to" value=(get(&pairs, "to")); }
            button type="submit" { (p.t("show")) }
        }
        h2 { (p.t("ranking")) }
        (export_bar(&p, "/panel/ratings", &pairs_ref(&pairs)))
        div.scroll {
            table.data id="ranking" {
                thead { tr {
                    th { (p.t("rank")) } th { (p.t("department-rank")) } th { (p.t("name")) } th { (p.t("department")) }
                    th { (p.t("rating")) } th { (p.t("points")) }
                    @for c in &ranking.categories {
                        th { (category_label(&p, &c.id, &c.name)) @if let Some(w) = c.weight_percent { " (" (w) " %)" } }
                    }
                } }
                tbody {
                    @for r in &ranking.people {
                        tr data-person=(r.person_id) data-total=(r.total) {
                            td { (r.rank) } td { (r.department_rank) }
                            td { a href={ "/panel/people/" (r.person_id) } { (r.name) } }
                            td { (r.department.clone().unwrap_or_else(|| "—".into())) }
                            td.total { (format!("{:.2}", r.total)) } td { (r.points) }
                            @for c in &r.categories { td { (c.points) } }
                        }
                    }
                }
            }
        }
        h2 { (p.t("department-comparison")) }
        (export_bar(&p, "/panel/ratings", &dept_q))
        div.scroll {
            table.data id="department-ratings" {
                thead { tr {
                    th { (p.t("rank")) } th { (p.t("department")) } th { (p.t("people")) } th { (p.t("average-rating")) } th { (p.t("best-rating")) }
                    @for c in &comparison.categories { th { (category_label(&p, &c.id, &c.name)) } }
                } }
                tbody {
                    @for d in comparison.departments.iter().chain([&comparison.total]) {
                        tr class=[d.department_id.is_none().then_some("total")] {
                            td { (d.rank.map_or_else(|| "—".to_string(), |r| r.to_string())) }
                            td { @if d.department_id.is_none() { (p.t("total")) } @else { (d.department) } }
                            td { (d.people) }
                            td { (d.average.map_or_else(|| "—".to_string(), |a| format!("{a:.2}"))) }
                            td { (d.best.map_or_else(|| "—".to_string(), |a| format!("{a:.2}"))) }
                            @for c in &d.categories { td { (c.average_points.map_or_else(|| "—".to_string(), |a| format!("{a:.2}"))) } }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(&p, Nav::Ratings, &p.t("nav-ratings"), body))
}

/// `GET /panel/achievements?status=pending&person_id=&department_id=&from=&to=&page=`.
pub async fn achievements(State(state): State<AppState>, p: Page, RawQuery(raw): RawQuery) -> PageResult {
    let pairs = raw_pairs(&raw);
    let q: AchievementsQuery = parse_form(raw.as_deref().unwrap_or_default())?;
    let format = Format::parse(q.format.as_deref())?;
    let list = ratings::achievements(&state, &p.ctx, &q, format.is_file()).await?;
    if format.is_file() {
        return super::download(&state, &p, format, ratings::achievements_table(&list.items)).await;
    }
    let depts = departments::list(&state, &p.ctx, false).await?.items;
    let qs = pairs_ref(&pairs);
    let body = html! {
        (done_banner(&p, pairs.iter().find(|(k, _)| k == "done").map(|(_, v)| v.as_str())))
        h1 { (p.t("nav-achievements")) }
        form.inline method="get" action="/panel/achievements" {
            label { (p.t("status")) select name="status" id="achievement-status" {
                (options(get(&pairs, "status"), &[(String::new(), p.t("any")), ("pending".into(), p.t("achievement-pending")), ("verified".into(), p.t("achievement-verified")), ("rejected".into(), p.t("achievement-rejected"))]))
            } }
            label { (p.t("department")) select name="department_id" { (department_options(&p, &depts, get(&pairs, "department_id"), &p.t("any"))) } }
            label { (p.t("from")) input type="date" name="from" value=(get(&pairs, "from")); }
            label { (p.t("to")) input type="date" name="to" value=(get(&pairs, "to")); }
            button type="submit" { (p.t("show")) }
        }
        p.count { (p.lang.ta("entries-count", &[("count", list.total.into())])) }
        (export_bar(&p, "/panel/achievements", &qs))
        table.data id="achievements" {
            thead { tr {
                th { (p.t("name")) } th { (p.t("achievement")) } th { (p.t("category")) } th { (p.t("achieved-on")) }
                th { (p.t("points")) } th { (p.t("status")) } th.no-print { (p.t("actions")) }
            } }
            tbody {
                @for a in &list.items {
                    tr data-achievement=(a.id) data-status=(a.status) {
                        td { a href={ "/panel/people/" (a.person_id) } { (a.person) } br; small { (a.department.clone().unwrap_or_default()) } }
                        td {
                            strong { (a.title) } br; small { (type_label(&p, &a.type_id, &a.type_name)) }
                            @if let Some(d) = &a.description { br; small { (d) } }
                            @if a.has_evidence { br; a href={ "/panel/achievements/" (a.id) "/evidence" } target="_blank" { (p.t("evidence")) } }
                        }
                        td { (category_label(&p, &a.category_id, &a.category)) }
                        td { (a.achieved_on) }
                        td { (a.points) }
                        td {
                            span class={ "badge achievement-" (a.status) } { (p.t(&format!("achievement-{}", a.status))) }
                            @if let Some(r) = &a.review {
                                br; small { (r.reviewer_name) ", " (instant(Some(&r.reviewed_at))) }
                                @if let Some(c) = &r.comment { br; small.comment { "«" (c) "»" } }
                            }
                        }
                        td.no-print {
                            @if a.person_id != p.ctx.caller.user_id {
                                form.review method="post" action={ "/panel/achievements/" (a.id) "/review" } {
                                    input type="hidden" name="next" value=(p.here);
                                    input type="text" name="comment" maxlength="2000" placeholder=(p.t("comment")) aria-label=(p.t("comment"));
                                    @if a.status != "verified" { button type="submit" name="status" value="verified" class="verify" { (p.t("verify")) } }
                                    @if a.status != "rejected" { button.danger type="submit" name="status" value="rejected" class="reject" { (p.t("reject")) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        (layout::pager(&p, "/panel/achievements", &qs, list.page, list.per_page, list.total))
        p.help { (p.t("review-help")) }
    };
    Ok(layout::page(&p, Nav::Achievements, &p.t("nav-achievements"), body))
}

#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    status: Option<String>,
    comment: Option<String>,
    next: Option<String>,
}

/// `POST /panel/achievements/{id}/review`: verify or reject (a comment is required to reject).
pub async fn review(State(state): State<AppState>, p: Page, Path(id): Path<String>, Form(f): Form<ReviewForm>) -> PageResult {
    let status = f.status.unwrap_or_default();
    ratings::review(&state, &p.ctx, &id, &ReviewRequest { status: status.clone(), comment: f.comment }).await?;
    let back = crate::panel::local_next(f.next.as_deref());
    let back = if back.starts_with("/panel/achievements") { back } else { "/panel/achievements".into() };
    let sep = if back.contains('?') { '&' } else { '?' };
    let done = if status.trim() == "verified" { "achievement-verified" } else { "achievement-rejected" };
    Ok(redirect(&format!("{back}{sep}done={done}")))
}

/// `GET /panel/achievements/{id}/evidence`: the evidence photo.
pub async fn evidence(State(state): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    Ok(ratings::evidence_response(ratings::evidence(&state, &p.ctx, &id).await?)?)
}
