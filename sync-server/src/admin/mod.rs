//! The admin API (`/api/v1/admin/...`): what managers and admins see and do in the web panel.
//! `docs/ADMIN_API.md` is its reference.
//!
//! **Scope**, checked here on the server for every request: an admin reaches the whole
//! organisation; a manager, their own department and every department below it (a manager
//! without a department reaches nobody); an employee, nothing (`403 forbidden`). An id of
//! another organisation answers exactly like an unknown id (`404`), so it is never confirmed;
//! an id of the caller's organisation outside a manager's subtree is `403 forbidden`.
//!
//! **Audit**: every action of an admin or manager that changes something, every export and
//! every read of individual risk data is logged with who, what, when and the client address
//! ([`Ctx::audit`]); writes store their entry in the same transaction as the change.

pub mod activity;
pub mod audit;
pub mod competencies;
pub mod deletions;
pub mod departments;
pub mod indicators;
pub mod people;
pub mod period;
pub mod ratings;
pub mod risk;
pub mod routes;

use chrono::{DateTime, NaiveDate, Utc};
use qamqor_protocol::{OrgSettingsPayload, Role};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;
use uuid::Uuid;

use axum::response::{IntoResponse, Response};

use crate::auth::AuthUser;
use crate::error::{code, AppError, AppResult};
use crate::export::{Format, Table};
use crate::extract::ClientAddr;
use crate::store::admin::{AuditEntry, Department};
use crate::store::Millis;
use crate::AppState;

/// The largest page of a list.
pub const MAX_PER_PAGE: u32 = 200;
/// The page size when none is asked for.
pub const DEFAULT_PER_PAGE: u32 = 50;
/// A person's risk level is their latest one shared within this many days (older ones are
/// stale: "no recent assessment").
pub const RISK_WINDOW_DAYS: u64 = 28;

/// Who is calling the admin API, and how far they reach.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub caller: AuthUser,
    pub name: String,
    /// `None`: the whole organisation (admins). `Some(d)`: department `d` and its subtree.
    pub within: Option<Uuid>,
    pub addr: Option<String>,
    pub now: Millis,
}

impl Ctx {
    /// The caller of an admin endpoint: admins and managers; employees are refused.
    pub async fn of(state: &AppState, caller: AuthUser, addr: ClientAddr) -> AppResult<Ctx> {
        if caller.role == Role::Employee {
            return Err(AppError::forbidden("only managers and admins can use the admin API"));
        }
        let Some(me) = state.store.member(caller.user_id).await? else {
            return Err(AppError::unauthorized("the account of this session no longer exists"));
        };
        let within = match caller.role {
            Role::Admin => None,
            // A manager without a department reaches nobody: a subtree that matches nothing.
            _ => Some(me.department_id.unwrap_or(Uuid::nil())),
        };
        Ok(Ctx { name: me.name, within, addr: addr.0.map(|a| a.to_string()), now: state.clock.now_millis(), caller })
    }

    /// An admin or manager acting outside a request, at the instant `now`: the same reach, name
    /// and audit identity [`Ctx::of`] gives their requests (no device, no client address). The
    /// demo's simulated office acts through it (`demo::office`).
    pub async fn acting(state: &AppState, user_id: Uuid, now: Millis) -> AppResult<Ctx> {
        let Some(me) = state.store.member(user_id).await? else {
            return Err(AppError::unauthorized("no such account"));
        };
        let within = match me.role {
            Role::Employee => return Err(AppError::forbidden("only managers and admins can use the admin API")),
            Role::Admin => None,
            _ => Some(me.department_id.unwrap_or(Uuid::nil())),
        };
        let caller = AuthUser { user_id, org_id: me.org_id, role: me.role, device_id: Uuid::nil(), department: None };
        Ok(Ctx { name: me.name, within, addr: None, now, caller })
    }

    pub fn is_admin(&self) -> bool {
        self.caller.role == Role::Admin
    }

    /// Refuses anyone but admins.
    pub fn require_admin(&self, what: &str) -> AppResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::forbidden(format!("only admins can {what}")))
        }
    }

    pub fn org_id(&self) -> Uuid {
        self.caller.org_id
    }

    /// A log entry of an action by the caller, now.
    pub fn audit(&self, action: &str, target_type: &str, target_id: Option<String>, details: Value) -> AuditEntry {
        AuditEntry {
            org_id: self.caller.org_id,
            actor_id: self.caller.user_id,
            actor_name: self.name.clone(),
            actor_role: self.caller.role,
            action: action.to_string(),
            target_type: Some(target_type.to_string()),
            target_id,
            details,
            client_addr: self.addr.clone(),
            at: self.now,
        }
    }

    /// Logs an action that was stored on its own (an export, a read of risk data).
    pub async fn log(&self, state: &AppState, entry: AuditEntry) -> AppResult<()> {
        state.store.admin().record_audit(entry).await?;
        Ok(())
    }

    /// A table as a download, logged first as an export (`via`: where it was asked from, when
    /// not the API, e.g. `panel`): the one way every table leaves the server.
    pub async fn export(&self, state: &AppState, table: &Table, format: Format, via: Option<&str>) -> AppResult<Response> {
        let mut details = serde_json::json!({"format": format.as_str(), "rows": table.rows.len()});
        if let Some(via) = via {
            details["via"] = via.into();
        }
        self.log(state, self.audit("export", "table", Some(table.file_name.clone()), details)).await?;
        crate::export::download(table, format)
    }

    /// JSON, or (for `format=csv|xlsx`) the table made from it as a logged download.
    pub async fn answer<T: serde::Serialize>(&self, state: &AppState, format: Format, body: T, table: impl FnOnce(&T) -> Table) -> AppResult<Response> {
        if !format.is_file() {
            return Ok(axum::Json(body).into_response());
        }
        self.export(state, &table(&body), format, None).await
    }

    /// Whether a department lies in the caller's reach.
    pub async fn reaches_department(&self, state: &AppState, department: Uuid) -> AppResult<bool> {
        match self.within {
            None => Ok(true),
            Some(root) => Ok(state.store.department_within(department, root).await?),
        }
    }

    /// Whether a person (by their department) lies in the caller's reach.
    pub async fn reaches_person(&self, state: &AppState, department: Option<Uuid>) -> AppResult<bool> {
        match (self.within, department) {
            (None, _) => Ok(true),
            (Some(_), None) => Ok(false),
            (Some(_), Some(d)) => self.reaches_department(state, d).await,
        }
    }

    /// Today in the organisations' calendar.
    pub fn today(&self, state: &AppState) -> NaiveDate {
        local_date(state, self.now)
    }

    /// The risk window ending today.
    pub fn risk_window(&self, state: &AppState) -> (NaiveDate, NaiveDate) {
        risk_window_ending(self.today(state))
    }
}

/// The [`RISK_WINDOW_DAYS`] local days ending on `last`.
pub fn risk_window_ending(last: NaiveDate) -> (NaiveDate, NaiveDate) {
    (last - chrono::Days::new(RISK_WINDOW_DAYS - 1), last)
}

/// The organisations' calendar date at an instant.
pub fn local_date(state: &AppState, at: Millis) -> NaiveDate {
    DateTime::<Utc>::from_timestamp_millis(at).unwrap_or_default().with_timezone(&state.settings.time_zone).date_naive()
}

/// The instant a calendar date starts in the organisations' calendar.
pub fn day_start(state: &AppState, d: NaiveDate) -> Millis {
    use chrono::TimeZone;
    let local = d.and_time(chrono::NaiveTime::MIN);
    state.settings.time_zone.from_local_datetime(&local).earliest().map_or(0, |t| t.timestamp_millis())
}

/// `?page=&per_page=`.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// 1-based page number (default 1).
    pub page: Option<u32>,
    /// Items per page, 1 to 200 (default 50).
    pub per_page: Option<u32>,
}

impl Paging {
    /// `(offset, limit)`, or 422 naming the field.
    pub fn resolve(self) -> AppResult<(u64, u32, u32)> {
        let page = self.page.unwrap_or(1);
        if page == 0 {
            return Err(AppError::invalid("page", "pages are numbered from 1"));
        }
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(AppError::invalid("per_page", format!("must be 1 to {MAX_PER_PAGE}, got {per_page}")));
        }
        Ok((u64::from(page - 1) * u64::from(per_page), per_page, page))
    }
}

/// The organisation's privacy settings.
pub async fn org_settings(state: &AppState, ctx: &Ctx) -> AppResult<OrgSettingsPayload> {
    crate::manage::settings(state, &ctx.caller).await
}

/// The department with this id in the caller's organisation and reach: 404 when unknown or of
/// another organisation, 403 when outside a manager's subtree.
pub async fn department_in_reach(state: &AppState, ctx: &Ctx, id: Uuid, field: &str) -> AppResult<Department> {
    let all = state.store.admin().departments(ctx.org_id()).await?;
    let Some(d) = all.into_iter().find(|d| d.id == id) else {
        return Err(department_not_found(field));
    };
    if !ctx.reaches_department(state, d.id).await? {
        return Err(AppError::forbidden("this department is outside your department's subtree").with_field(field));
    }
    Ok(d)
}

pub fn department_not_found(field: &str) -> AppError {
    AppError::not_found(code::DEPARTMENT_NOT_FOUND, "no such department in your organisation").with_field(field)
}

pub fn user_not_found() -> AppError {
    AppError::not_found(code::USER_NOT_FOUND, "no such person in your organisation")
}

/// Parses an id from a path: anything that is not a UUID is simply not found.
pub fn path_id(raw: &str, not_found: fn() -> AppError) -> AppResult<Uuid> {
    raw.parse().map_err(|_| not_found())
}

/// Logs an action of an admin or manager taken through the older endpoints (tasks, feedback,
/// settings, risk models, invitations, device revocation). Employees' own actions are not
/// admin actions and are not logged.
pub async fn log_action(
    state: &AppState,
    caller: &AuthUser,
    addr: &ClientAddr,
    action: &str,
    target: (&str, Option<String>),
    details: Value,
) -> AppResult<()> {
    if caller.role == Role::Employee {
        return Ok(());
    }
    let ctx = Ctx::of(state, caller.clone(), addr.clone()).await?;
    ctx.log(state, ctx.audit(action, target.0, target.1, details)).await
}

/// RFC 3339 in UTC with milliseconds, as the rest of the API writes instants.
pub fn rfc3339(at: Millis) -> String {
    DateTime::<Utc>::from_timestamp_millis(at)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
