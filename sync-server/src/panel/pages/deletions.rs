//! Deletion requests (admins): who asked, from their phone's privacy centre, for their account
//! and data to be deleted, and the action that carries a request out. Reached from the
//! settings page, not shown on it: every read of the list is logged, since it names people.

use axum::extract::{Path, State};
use maud::html;
use serde::Deserialize;

use crate::admin::deletions::{self, DeletionStatus};
use crate::error::AppError;
use crate::panel::layout::{self, done_banner, instant, Nav};
use crate::panel::{redirect, Form, Page, PageResult, Query};
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct DeletionsQuery {
    done: Option<String>,
}

/// `GET /panel/deletions`.
pub async fn page(State(state): State<AppState>, p: Page, Query(q): Query<DeletionsQuery>) -> PageResult {
    let list = deletions::list(&state, &p.ctx).await?;
    let body = html! {
        (done_banner(&p, q.done.as_deref()))
        h1 { (p.t("deletions-title")) }
        p.help { (p.t("deletions-help")) }
        @if list.items.is_empty() {
            p.notice { (p.t("deletions-none")) }
        } @else {
            table #deletions {
                thead { tr {
                    th { (p.t("name")) } th { (p.t("email")) } th { (p.t("deletions-requested")) }
                    th { (p.t("deletions-received")) } th { (p.t("status")) } th.noprint { }
                } }
                tbody {
                    @for r in &list.items {
                        tr data-request=(r.id) {
                            td { (r.name) } td { (r.email) }
                            td { (instant(Some(&r.requested_at))) } td { (instant(Some(&r.received_at))) }
                            @match r.status {
                                DeletionStatus::Waiting => {
                                    td { (p.t("deletions-waiting")) }
                                    td.noprint {
                                        form method="post" action={ "/panel/deletions/" (r.id) "/carry-out" } {
                                            label { input type="checkbox" name="confirm" value="yes" required; " " (p.t("deletions-confirm")) }
                                            button.danger type="submit" { (p.t("deletions-carry-out")) }
                                        }
                                    }
                                }
                                DeletionStatus::CarriedOut => {
                                    td { (p.t("deletions-carried-out")) " " (instant(r.carried_out_at.as_deref())) }
                                    td.noprint { }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(&p, Nav::Settings, &p.t("deletions-title"), body))
}

#[derive(Debug, Deserialize)]
pub struct CarryOutForm {
    confirm: Option<String>,
}

/// `POST /panel/deletions/{id}/carry-out`: only with the confirmation ticked.
pub async fn carry_out(State(state): State<AppState>, p: Page, Path(id): Path<String>, Form(f): Form<CarryOutForm>) -> PageResult {
    if f.confirm.as_deref() != Some("yes") {
        return Err(AppError::invalid("confirm", "tick the box to confirm that the person's data is erased for good").into());
    }
    deletions::carry_out(&state, &p.ctx, &id).await?;
    Ok(redirect("/panel/deletions?done=deletion-carried-out"))
}
