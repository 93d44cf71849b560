//! The audit log: who did what, when and from where.

use axum::extract::{RawQuery, State};
use maud::html;

use crate::admin::audit::{self, AuditQuery};
use crate::export::Format;
use crate::panel::layout::{self, export_bar, instant, pager, Nav};
use crate::panel::pages::people::{pairs_ref, raw_pairs};
use crate::panel::{parse_form, Page, PageResult};
use crate::AppState;

/// `GET /panel/audit?from=2026-11-01&to=2026-11-30&action=person.update`.
pub async fn page(State(state): State<AppState>, p: Page, RawQuery(raw): RawQuery) -> PageResult {
    let pairs = raw_pairs(&raw);
    let q: AuditQuery = parse_form(raw.as_deref().unwrap_or_default())?;
    let format = Format::parse(q.format.as_deref())?;
    let (from, to, action) = (q.from.clone().unwrap_or_default(), q.to.clone().unwrap_or_default(), q.action.clone().unwrap_or_default());
    let page = audit::list(&state, &p.ctx, q, format).await?;
    if format.is_file() {
        return super::download(&state, &p, format, audit::table(&page.items)).await;
    }
    let qs = pairs_ref(&pairs);
    let body = html! {
        h1 { (p.t("nav-audit")) }
        form.inline method="get" action="/panel/audit" {
            label { (p.t("from")) input type="date" name="from" value=(from); }
            label { (p.t("to")) input type="date" name="to" value=(to); }
            label { (p.t("action")) input type="text" name="action" value=(action) placeholder="person.update"; }
            button type="submit" { (p.t("show")) }
        }
        p.count { (p.lang.ta("entries-count", &[("count", page.total.into())])) }
        (export_bar(&p, "/panel/audit", &qs))
        table.data id="audit" {
            thead { tr { th { (p.t("when")) } th { (p.t("who")) } th { (p.t("action")) } th { (p.t("target")) } th { (p.t("details")) } th { (p.t("address")) } } }
            tbody {
                @for e in &page.items {
                    tr {
                        td { (instant(Some(&e.at))) }
                        td { (e.actor_name) " (" (p.t(&format!("role-{}", e.actor_role))) ")" }
                        td { code { (e.action) } }
                        td { (e.target_type.clone().unwrap_or_default()) " " (e.target_id.clone().unwrap_or_default()) }
                        td { code.details { (e.details) } }
                        td { (e.client_addr.clone().unwrap_or_else(|| "—".into())) }
                    }
                }
            }
        }
        (pager(&p, "/panel/audit", &qs, page.page, page.per_page, page.total))
    };
    Ok(layout::page(&p, Nav::Audit, &p.t("nav-audit"), body))
}
