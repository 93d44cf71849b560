//! The organisation's settings: indicator targets and the privacy policy (admins change them;
//! managers see them).

use axum::extract::State;
use maud::html;
use qamqor_protocol::PrivacyPolicy;
use serde::Deserialize;

use crate::admin::indicators::{self, UpdateTargets};
use crate::admin::{log_action, org_settings};
use crate::error::AppError;
use crate::extract::ClientAddr;
use crate::manage::{self, UpdateSettingsRequest};
use crate::panel::layout::{self, done_banner, Nav};
use crate::panel::pages::indicators::indicator_name;
use crate::panel::{redirect, Form, Page, PageResult, Query};
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct SettingsQuery {
    done: Option<String>,
}

/// `GET /panel/settings`.
pub async fn page(State(state): State<AppState>, p: Page, Query(q): Query<SettingsQuery>) -> PageResult {
    let targets = indicators::targets(&state, &p.ctx).await?;
    let settings = org_settings(&state, &p.ctx).await?;
    let admin = p.is_admin();
    let target_row = |key: &str, value: f64| {
        html! {
            label { (indicator_name(&p, key)) " (%)"
                input type="number" name=(key) id={ "target-" (key) } min="0" max="100" step="0.1" value=(value) disabled[!admin];
            }
        }
    };
    let body = html! {
        (done_banner(&p, q.done.as_deref()))
        h1 { (p.t("nav-settings")) }
        @if !admin { p.notice { (p.t("settings-admins-only")) } }
        section {
            h2 { (p.t("targets")) }
            form method="post" action="/panel/settings/targets" id="targets" {
                (target_row("accounts_activated", targets.accounts_activated))
                (target_row("check_ins", targets.check_ins))
                (target_row("work_sessions", targets.work_sessions))
                (target_row("high_risk", targets.high_risk))
                label { (p.t("min-people")) input type="number" name="min_people" min="1" max="1000" value=(targets.min_people) disabled[!admin]; }
                @if admin { button type="submit" { (p.t("save")) } }
            }
        }
        section {
            h2 { (p.t("privacy-policy")) }
            form method="post" action="/panel/settings/privacy" id="privacy" {
                label { input type="radio" name="privacy_policy" value="aggregate" checked[settings.privacy_policy == PrivacyPolicy::Aggregate] disabled[!admin]; " " (p.t("policy-aggregate")) }
                label { input type="radio" name="privacy_policy" value="individual" checked[settings.privacy_policy == PrivacyPolicy::Individual] disabled[!admin]; " " (p.t("policy-individual")) }
                label { (p.t("min-group-size")) input type="number" name="min_group_size" min="2" max="100" value=(settings.min_group_size) disabled[!admin]; }
                p.help { (p.t("privacy-help")) }
                @if admin { button type="submit" { (p.t("save")) } }
            }
        }
    };
    let body = html! {
        (body)
        @if admin {
            section #deletion-requests {
                h2 { (p.t("deletions-title")) }
                p.help { (p.t("deletions-help")) }
                a href="/panel/deletions" { (p.t("deletions-open")) }
            }
        }
    };
    Ok(layout::page(&p, Nav::Settings, &p.t("nav-settings"), body))
}

/// `POST /panel/settings/targets` (admins).
pub async fn targets(State(state): State<AppState>, p: Page, Form(f): Form<UpdateTargets>) -> PageResult {
    indicators::set_targets(&state, &p.ctx, f).await?;
    Ok(redirect("/panel/settings?done=saved"))
}

#[derive(Debug, Deserialize)]
pub struct PrivacyForm {
    privacy_policy: Option<String>,
    min_group_size: Option<u32>,
}

/// `POST /panel/settings/privacy` (admins): the policy every phone shows its person.
pub async fn privacy(State(state): State<AppState>, p: Page, addr: ClientAddr, Form(f): Form<PrivacyForm>) -> PageResult {
    let policy = match f.privacy_policy.as_deref() {
        Some("aggregate") => PrivacyPolicy::Aggregate,
        Some("individual") => PrivacyPolicy::Individual,
        Some(other) => return Err(AppError::invalid("privacy_policy", format!("'{other}' is not a policy: aggregate or individual")).into()),
        None => return Err(AppError::invalid("privacy_policy", "choose aggregate or individual").into()),
    };
    let Some(k) = f.min_group_size else {
        return Err(AppError::invalid("min_group_size", "required").into());
    };
    let saved = manage::update_settings(&state, &p.ctx.caller, UpdateSettingsRequest { privacy_policy: policy, min_group_size: k }).await?;
    let details = serde_json::json!({"privacy_policy": saved.privacy_policy, "min_group_size": saved.min_group_size, "via": "panel"});
    log_action(&state, &p.ctx.caller, &addr, "settings.update", ("organisation", Some(p.ctx.org_id().to_string())), details).await?;
    Ok(redirect("/panel/settings?done=saved"))
}
