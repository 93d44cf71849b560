//! The page shell (head, navigation, language switch, sign-out), the error page, and the small
//! pieces every page uses (export links, pagers, number formats).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::{urlencode, FailureInfo, Lang, Page};

/// The sections of the panel, in the navigation's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Dashboard,
    People,
    Departments,
    Activity,
    Indicators,
    Risk,
    Ratings,
    Achievements,
    Competencies,
    Audit,
    Settings,
}

impl Nav {
    const ALL: [Nav; 11] = [
        Nav::Dashboard,
        Nav::People,
        Nav::Departments,
        Nav::Activity,
        Nav::Indicators,
        Nav::Risk,
        Nav::Ratings,
        Nav::Achievements,
        Nav::Competencies,
        Nav::Audit,
        Nav::Settings,
    ];

    fn href(self) -> &'static str {
        match self {
            Nav::Dashboard => "/panel/",
            Nav::People => "/panel/people",
            Nav::Departments => "/panel/departments",
            Nav::Activity => "/panel/activity",
            Nav::Indicators => "/panel/indicators",
            Nav::Risk => "/panel/risk",
            Nav::Ratings => "/panel/ratings",
            Nav::Achievements => "/panel/achievements",
            Nav::Competencies => "/panel/competencies",
            Nav::Audit => "/panel/audit",
            Nav::Settings => "/panel/settings",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Nav::Dashboard => "nav-dashboard",
            Nav::People => "nav-people",
            Nav::Departments => "nav-departments",
            Nav::Activity => "nav-activity",
            Nav::Indicators => "nav-indicators",
            Nav::Risk => "nav-risk",
            Nav::Ratings => "nav-ratings",
            Nav::Achievements => "nav-achievements",
            Nav::Competencies => "nav-competencies",
            Nav::Audit => "nav-audit",
            Nav::Settings => "nav-settings",
        }
    }
}

fn lang_switch(lang: Lang, here: &str) -> Markup {
    html! {
        nav.langs aria-label=(lang.t("language")) {
            @for l in Lang::ALL {
                @if l == lang {
                    span.lang.current lang=(l.code()) { (l.own_name()) }
                } @else {
                    a.lang lang=(l.code()) hreflang=(l.code()) data-lang=(l.code())
                        href={ "/panel/lang?set=" (l.code()) "&next=" (urlencode(here)) } { (l.own_name()) }
                }
            }
        }
    }
}

/// A whole HTML document.
pub fn document(lang: Lang, page: Option<&Page>, active: Option<Nav>, title: &str, body: Markup) -> Markup {
    let here = page.map_or("/panel/", |p| p.here.as_str());
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Qamqor" }
                link rel="stylesheet" href="/panel/static/panel.css";
            }
            body {
                header.top {
                    a.brand href="/panel/" { "Qamqor" }
                    @if let Some(p) = page {
                        nav.main {
                            @for n in Nav::ALL {
                                @if Some(n) == active {
                                    a.current href=(n.href()) aria-current="page" { (lang.t(n.key())) }
                                } @else {
                                    a href=(n.href()) { (lang.t(n.key())) }
                                }
                            }
                        }
                        div.who {
                            span id="who" { (p.ctx.name) " · " (lang.t(&format!("role-{}", p.ctx.caller.role.as_str()))) }
                            form method="post" action="/panel/logout" {
                                button.link type="submit" id="sign-out" { (lang.t("sign-out")) }
                            }
                        }
                    }
                    (lang_switch(lang, here))
                }
                main { (body) }
            }
        }
    }
}

/// A signed-in page, 200.
pub fn page(p: &Page, active: Nav, title: &str, body: Markup) -> Response {
    document(p.lang, Some(p), Some(active), title, body).into_response()
}

fn error_title(lang: Lang, status: StatusCode) -> String {
    let key = match status.as_u16() {
        400 | 413 | 415 | 422 => "error-invalid",
        401 => "error-unauthorized",
        403 => "error-forbidden",
        404 => "error-not-found",
        409 => "error-conflict",
        429 => "error-throttled",
        _ => "error-internal",
    };
    lang.t(key)
}

fn error_body(lang: Lang, info: &FailureInfo) -> Markup {
    html! {
        section.error role="alert" data-status=(info.status.as_u16()) data-code=(info.code) {
            h1 { (error_title(lang, info.status)) }
            p.message { (info.message) }
            @if let Some(f) = &info.field {
                p.field { (lang.t("error-field")) ": " code { (f) } }
            }
            p.code { (lang.t("error-code")) ": " code { (info.code) } " · HTTP " (info.status.as_u16()) }
            p { a href="/panel/" { (lang.t("back-to-dashboard")) } }
        }
    }
}

/// The error page in a language, with the status of the error.
pub fn error_page(lang: Lang, page: Option<&Page>, info: &FailureInfo) -> Response {
    let title = error_title(lang, info.status);
    let mut r = document(lang, page, None, &title, error_body(lang, info)).into_response();
    *r.status_mut() = info.status;
    r
}

/// The error page before the language is known (replaced by the session middleware).
pub fn bare_error(lang: Lang, info: &FailureInfo) -> Markup {
    document(lang, None, None, &error_title(lang, info.status), error_body(lang, info))
}

/// The "done" banner after a change (post/redirect/get: `?done=key`).
pub fn done_banner(p: &Page, done: Option<&str>) -> Markup {
    html! {
        @if let Some(key) = done.filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '-') && k.len() < 40) {
            p.done role="status" { (p.t(&format!("done-{key}"))) }
        }
    }
}

/// Download links for a table: the same query with `format=csv|xlsx`, and a print button.
pub fn export_bar(p: &Page, path: &str, query: &[(&str, String)]) -> Markup {
    let base: Vec<(&str, &str)> = query.iter().filter(|(k, v)| *k != "format" && *k != "page" && !v.is_empty()).map(|(k, v)| (*k, v.as_str())).collect();
    let link = |format: &str| {
        let mut q = base.clone();
        q.push(("format", format));
        format!("{path}?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
    };
    html! {
        div.exports {
            a.button.export data-format="xlsx" href=(link("xlsx")) download { (p.t("export-xlsx")) }
            a.button.export data-format="csv" href=(link("csv")) download { (p.t("export-csv")) }
            button.print type="button" onclick="window.print()" { (p.t("print")) }
        }
    }
}

/// Previous/next page links.
pub fn pager(p: &Page, path: &str, query: &[(&str, String)], page: u32, per_page: u32, total: u64) -> Markup {
    let pages = total.div_ceil(u64::from(per_page.max(1))).max(1);
    let link = |n: u64| {
        let mut q: Vec<(&str, String)> = query.iter().filter(|(k, v)| *k != "page" && !v.is_empty()).cloned().collect();
        q.push(("page", n.to_string()));
        format!("{path}?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
    };
    let page = u64::from(page);
    html! {
        nav.pager aria-label=(p.t("pages")) {
            @if page > 1 { a rel="prev" href=(link(page - 1)) { "← " (p.t("previous")) } }
            span { (p.lang.ta("page-of", &[("page", page.into()), ("pages", pages.into())])) }
            @if page < pages { a rel="next" href=(link(page + 1)) { (p.t("next")) " →" } }
        }
    }
}

/// A share, `62.5 %`, or a dash.
pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:.1} %"))
}

/// Minutes as hours, `12.5`.
pub fn hours(minutes: i64) -> String {
    format!("{:.1}", minutes as f64 / 60.0)
}

/// An RFC 3339 instant as `2026-12-01 09:30 UTC`, or a dash.
pub fn instant(at: Option<&str>) -> String {
    match at {
        Some(s) if s.len() >= 16 => format!("{} {} UTC", &s[..10], &s[11..16]),
        Some(s) => s.to_string(),
        None => "—".to_string(),
    }
}

/// A level badge (`low`, `medium`, `high`) in the page's language.
pub fn level_badge(p: &Page, level: &str) -> Markup {
    html! { span class={ "badge level-" (level) } { (p.t(&format!("level-{level}"))) } }
}

/// Raw SVG (drawn by [`super::charts`]) inside a figure.
pub fn figure(caption: &str, svg: String) -> Markup {
    html! { figure.chart { (PreEscaped(svg)) figcaption { (caption) } } }
}

/// The period picker of the activity pages (an ISO week from the browser's calendar, or a
/// month) and the download bar for the chosen period.
pub fn period_picker(p: &Page, path: &str, week: Option<&str>, month: Option<&str>) -> Markup {
    let query: Vec<(&str, String)> =
        [("week", week), ("month", month)].into_iter().filter_map(|(k, v)| Some((k, v?.to_string()))).collect();
    html! {
        form.inline method="get" action=(path) {
            label { (p.t("week")) input type="week" name="week" value=(week.unwrap_or_default()); }
            label { (p.t("month")) input type="month" name="month" value=(month.unwrap_or_default()); }
            button type="submit" { (p.t("show")) }
        }
        (export_bar(p, path, &query))
    }
}
