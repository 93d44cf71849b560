//! `GET /api/v1/admin/audit`: the log of admin and manager actions. Admins read their whole
//! organisation's log; managers the actions of the people of their subtree (their own included).

use chrono::{DateTime, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{day_start, rfc3339, Ctx, Paging};
use crate::error::{AppError, AppResult};
use crate::export::{Cell, Format, Table};
use crate::store::admin::{AuditFilter, AuditRecord};
use crate::store::Millis;
use crate::AppState;

/// The most entries one export carries.
pub const MAX_EXPORT_ROWS: u32 = 100_000;

/// `GET /api/v1/admin/audit` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// From this day (`YYYY-MM-DD`, the organisations' calendar) or instant (RFC 3339), inclusive.
    pub from: Option<String>,
    /// To this day (inclusive) or instant (exclusive).
    pub to: Option<String>,
    /// Only this person's actions.
    pub actor: Option<Uuid>,
    /// Only this action (`person.deactivate`...).
    pub action: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    /// `json` (default), `csv` or `xlsx` (every matching entry, no paging).
    pub format: Option<String>,
}

/// One logged action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditItem {
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    pub actor_id: Uuid,
    pub actor_name: String,
    pub actor_role: String,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub client_addr: Option<String>,
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditItem>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

fn item(r: AuditRecord) -> AuditItem {
    let e = r.entry;
    AuditItem {
        id: r.id,
        at: rfc3339(e.at),
        actor_id: e.actor_id,
        actor_name: e.actor_name,
        actor_role: e.actor_role.as_str().to_string(),
        action: e.action,
        target_type: e.target_type,
        target_id: e.target_id,
        details: e.details,
        client_addr: e.client_addr,
    }
}

/// A bound of the range: a day (its start, or the next day's start for `to`) or an instant.
fn bound(state: &AppState, raw: &str, field: &str, end: bool) -> AppResult<Millis> {
    let raw = raw.trim();
    if let Ok(day) = raw.parse::<NaiveDate>() {
        if !super::period::YEARS.contains(&chrono::Datelike::year(&day)) {
            return Err(AppError::invalid(field, "the year must be 2000 to 2100"));
        }
        return Ok(day_start(state, if end { day + Days::new(1) } else { day }));
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.timestamp_millis())
        .map_err(|_| AppError::invalid(field, format!("'{raw}' is neither a date (YYYY-MM-DD) nor an RFC 3339 instant")))
}

/// The filter of a query, or 422 naming the field.
fn filter(state: &AppState, ctx: &Ctx, q: &AuditQuery, offset: u64, limit: u32) -> AppResult<AuditFilter> {
    let from = q.from.as_deref().map(|f| bound(state, f, "from", false)).transpose()?;
    let to = q.to.as_deref().map(|t| bound(state, t, "to", true)).transpose()?;
    if let (Some(a), Some(b)) = (from, to) {
        if b <= a {
            return Err(AppError::invalid("to", "the range must end after it starts"));
        }
    }
    let action = q.action.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(str::to_string);
    if action.as_ref().is_some_and(|a| a.len() > 64) {
        return Err(AppError::invalid("action", "at most 64 characters"));
    }
    Ok(AuditFilter { org_id: ctx.org_id(), within: ctx.within, from, to, actor_id: q.actor, action, offset, limit })
}

/// The columns of the audit export.
pub fn table(items: &[AuditItem]) -> Table {
    let mut t = Table::new(
        "audit-log",
        vec!["id", "at", "actor_id", "actor_name", "actor_role", "action", "target_type", "target_id", "details", "client_addr"],
    );
    for i in items {
        t.push(vec![
            Cell::Int(i.id),
            i.at.clone().into(),
            i.actor_id.to_string().into(),
            i.actor_name.clone().into(),
            i.actor_role.clone().into(),
            i.action.clone().into(),
            i.target_type.clone().into(),
            i.target_id.clone().into(),
            i.details.to_string().into(),
            i.client_addr.clone().into(),
        ]);
    }
    t
}

/// A page of the log (JSON), or every matching entry (an export).
pub async fn list(state: &AppState, ctx: &Ctx, q: AuditQuery, format: Format) -> AppResult<AuditPage> {
    let (offset, per_page, page) = Paging { page: q.page, per_page: q.per_page }.resolve()?;
    let (offset, limit) = if format.is_file() { (0, MAX_EXPORT_ROWS) } else { (offset, per_page) };
    let f = filter(state, ctx, &q, offset, limit)?;
    let found = state.store.admin().audit_log(f).await?;
    Ok(AuditPage { items: found.items.into_iter().map(item).collect(), total: found.total, page, per_page })
}
