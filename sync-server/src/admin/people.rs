//! People: the filtered, sorted, paginated list; one person; creating an account with its
//! invitation (admins); changing a role (admins) or department (admins; managers within their
//! subtree); deactivating and reactivating (admins).
//!
//! Risk levels appear, and can be filtered on, only under the `individual` privacy policy;
//! under `aggregate` a `risk_level` filter is `403 risk_levels_hidden`.

use chrono::{Datelike, Days};
use qamqor_protocol::{PrivacyPolicy, Role};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::departments::present;
use super::{day_start, department_in_reach, org_settings, rfc3339, user_not_found, Ctx, Paging};
use crate::accounts::{check_name, normalize_email};
use crate::auth::{self, INVITATION_PREFIX};
use crate::error::{code, AppError, AppResult};
use crate::export::Table;
use crate::store::admin::{
    ActivityFilter, NewPerson, PeopleFilter, PeopleSort, Person, PersonChange, PersonOutcome, StatusFilter,
};
use crate::AppState;

/// "Not seen for N days": N when the query does not say.
pub const DEFAULT_INACTIVE_DAYS: u32 = 14;
/// The largest N of "not seen for N days".
pub const MAX_INACTIVE_DAYS: u32 = 3650;
/// The most people one export carries.
pub const MAX_EXPORT_ROWS: u32 = 100_000;

/// A person's latest shared risk level (individual policy only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RiskView {
    /// `low`, `medium` or `high`.
    pub level: String,
    pub score: Option<f64>,
    /// The local day it was assessed on.
    pub assessed_on: chrono::NaiveDate,
}

/// A person as the admin API shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PersonView {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    /// `admin`, `manager` or `employee`.
    pub role: String,
    pub department_id: Option<Uuid>,
    pub department: Option<String>,
    /// `active`, `invited` (created, not registered yet) or `deactivated`.
    pub status: String,
    /// RFC 3339 instants.
    pub created_at: String,
    /// The first sign-in; absent: never activated.
    pub activated_at: Option<String>,
    /// The last sign-in, push or pull.
    pub last_seen_at: Option<String>,
    pub deactivated_at: Option<String>,
    /// The latest risk level shared in the last 28 days, under the individual policy only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskView>,
}

pub fn view(p: Person, show_risk: bool) -> PersonView {
    let status = if p.deactivated_at.is_some() {
        "deactivated"
    } else if p.invited {
        "invited"
    } else {
        "active"
    };
    PersonView {
        id: p.id,
        name: p.name,
        email: p.email,
        role: p.role.as_str().to_string(),
        department_id: p.department_id,
        department: p.department,
        status: status.to_string(),
        created_at: rfc3339(p.created_at),
        activated_at: p.activated_at.map(rfc3339),
        last_seen_at: p.last_seen_at.map(rfc3339),
        deactivated_at: p.deactivated_at.map(rfc3339),
        risk: p
            .risk
            .filter(|_| show_risk)
            .map(|r| RiskView { level: r.level, score: r.score, assessed_on: r.day }),
    }
}

/// `GET /api/v1/admin/people` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Part of the name or email (case-insensitive, any script).
    pub q: Option<String>,
    /// Only people of this department...
    pub department_id: Option<Uuid>,
    /// ...and of the departments below it (default true).
    pub subdepartments: Option<bool>,
    /// `admin`, `manager` or `employee`.
    pub role: Option<String>,
    /// `low`, `medium` or `high` (individual policy only).
    pub risk_level: Option<String>,
    /// `active` (seen this week), `inactive` (activated, not seen for `inactive_days`),
    /// `never` (never activated).
    pub activity: Option<String>,
    /// N of "not seen for N days" (1 to 3650, default 14).
    pub inactive_days: Option<u32>,
    /// `active` (default), `deactivated` or `all`.
    pub status: Option<String>,
    /// `name` (default), `last_seen` or `department`.
    pub sort: Option<String>,
    /// `asc` (default; `desc` for `last_seen`) or `desc`.
    pub order: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    /// `json` (default), `csv` or `xlsx` (every matching person, no paging).
    pub format: Option<String>,
}

/// A page of people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PeoplePage {
    pub items: Vec<PersonView>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

fn role_of(raw: &str, field: &str) -> AppResult<Role> {
    Role::parse(raw.trim()).ok_or_else(|| AppError::invalid(field, format!("'{raw}' is not a role: admin, manager or employee")))
}

/// The list's filter from the query, or 4xx naming the field.
async fn filter(state: &AppState, ctx: &Ctx, q: &PeopleQuery, export: bool) -> AppResult<(PeopleFilter, u32, u32, bool)> {
    let (offset, per_page, page) = Paging { page: q.page, per_page: q.per_page }.resolve()?;
    let search = q.q.as_deref().map(super::super::store::admin::search_key).filter(|s| !s.is_empty());
    if search.as_ref().is_some_and(|s| s.chars().count() > 200) {
        return Err(AppError::invalid("q", "at most 200 characters"));
    }
    let role = q.role.as_deref().map(|r| role_of(r, "role")).transpose()?;
    let risk_level = match q.risk_level.as_deref().map(str::trim) {
        None => None,
        Some(l @ ("low" | "medium" | "high")) => Some(l.to_string()),
        Some(other) => return Err(AppError::invalid("risk_level", format!("'{other}' is not a level: low, medium or high"))),
    };
    let inactive_days = q.inactive_days.unwrap_or(DEFAULT_INACTIVE_DAYS);
    if !(1..=MAX_INACTIVE_DAYS).contains(&inactive_days) {
        return Err(AppError::invalid("inactive_days", format!("must be 1 to {MAX_INACTIVE_DAYS}, got {inactive_days}")));
    }
    let today = ctx.today(state);
    let activity = match q.activity.as_deref().map(str::trim) {
        None => None,
        Some("active") => {
            let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
            Some(ActivityFilter::SeenSince(day_start(state, monday)))
        }
        Some("inactive") => Some(ActivityFilter::NotSeenSince(ctx.now - i64::from(inactive_days) * 86_400_000)),
        Some("never") => Some(ActivityFilter::NeverActivated),
        Some(other) => {
            return Err(AppError::invalid("activity", format!("'{other}' is not an activity: active, inactive or never")))
        }
    };
    let status = match q.status.as_deref().map(str::trim) {
        None | Some("active") => StatusFilter::Active,
        Some("deactivated") => StatusFilter::Deactivated,
        Some("all") => StatusFilter::All,
        Some(other) => return Err(AppError::invalid("status", format!("'{other}' is not a status: active, deactivated or all"))),
    };
    let sort = match q.sort.as_deref().map(str::trim) {
        None | Some("name") => PeopleSort::Name,
        Some("last_seen") => PeopleSort::LastSeen,
        Some("department") => PeopleSort::Department,
        Some(other) => return Err(AppError::invalid("sort", format!("'{other}' is not a sort: name, last_seen or department"))),
    };
    let descending = match q.order.as_deref().map(str::trim) {
        None => sort == PeopleSort::LastSeen,
        Some("asc") => false,
        Some("desc") => true,
        Some(other) => return Err(AppError::invalid("order", format!("'{other}' is not an order: asc or desc"))),
    };
    let department = match q.department_id {
        Some(d) => {
            department_in_reach(state, ctx, d, "department_id").await?;
            Some((d, q.subdepartments.unwrap_or(true)))
        }
        None => None,
    };
    let show_risk = org_settings(state, ctx).await?.privacy_policy == PrivacyPolicy::Individual;
    if risk_level.is_some() && !show_risk {
        return Err(AppError::new_forbidden(
            code::RISK_LEVELS_HIDDEN,
            "the organisation's privacy policy is 'aggregate': individual risk levels cannot be seen or filtered on",
        )
        .with_field("risk_level"));
    }
    let (offset, limit) = if export { (0, MAX_EXPORT_ROWS) } else { (offset, per_page) };
    let f = PeopleFilter {
        org_id: ctx.org_id(),
        within: ctx.within,
        search,
        department,
        role,
        risk_level,
        risk_window: ctx.risk_window(state),
        activity,
        status,
        sort,
        descending,
        offset,
        limit,
    };
    Ok((f, page, per_page, show_risk))
}

pub async fn list(state: &AppState, ctx: &Ctx, q: PeopleQuery, export: bool) -> AppResult<PeoplePage> {
    let (f, page, per_page, show_risk) = filter(state, ctx, &q, export).await?;
    let found = state.store.admin().people(f).await?;
    Ok(PeoplePage { items: found.items.into_iter().map(|p| view(p, show_risk)).collect(), total: found.total, page, per_page })
}

/// The people export.
pub fn table(items: &[PersonView]) -> Table {
    let mut t = Table::new(
        "people",
        vec![
            "id",
            "name",
            "email",
            "role",
            "department",
            "status",
            "created_at",
            "activated_at",
            "last_seen_at",
            "deactivated_at",
            "risk_level",
            "risk_assessed_on",
        ],
    );
    for p in items {
        t.push(vec![
            p.id.to_string().into(),
            p.name.clone().into(),
            p.email.clone().into(),
            p.role.clone().into(),
            p.department.clone().into(),
            p.status.clone().into(),
            p.created_at.clone().into(),
            p.activated_at.clone().into(),
            p.last_seen_at.clone().into(),
            p.deactivated_at.clone().into(),
            p.risk.as_ref().map(|r| r.level.clone()).into(),
            p.risk.as_ref().map(|r| r.assessed_on.to_string()).into(),
        ]);
    }
    t
}

/// One person in the caller's reach: 404 when unknown or of another organisation, 403 outside
/// a manager's subtree.
pub async fn person_in_reach(state: &AppState, ctx: &Ctx, id: Uuid) -> AppResult<Person> {
    let p = state.store.admin().person(ctx.org_id(), id, ctx.risk_window(state)).await?.ok_or_else(user_not_found)?;
    if !ctx.reaches_person(state, p.department_id).await? {
        return Err(AppError::forbidden("this person is outside your department's subtree"));
    }
    Ok(p)
}

pub async fn get(state: &AppState, ctx: &Ctx, id: Uuid) -> AppResult<PersonView> {
    let p = person_in_reach(state, ctx, id).await?;
    let show_risk = org_settings(state, ctx).await?.privacy_policy == PrivacyPolicy::Individual;
    Ok(view(p, show_risk))
}

/// `POST /api/v1/admin/people` (admins).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CreatePerson {
    pub email: String,
    pub name: String,
    /// `admin`, `manager` or `employee`.
    #[schema(value_type = String)]
    pub role: Role,
    #[serde(default)]
    pub department_id: Option<Uuid>,
}

/// The invitation the new person registers with (`POST /api/v1/auth/register`), shown once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PersonInvitation {
    pub code: String,
    /// RFC 3339.
    pub expires_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CreatedPerson {
    pub person: PersonView,
    pub invitation: PersonInvitation,
}

fn person_outcome(o: PersonOutcome) -> AppResult<Person> {
    match o {
        PersonOutcome::Done(p) => Ok(*p),
        PersonOutcome::NotFound => Err(user_not_found()),
        PersonOutcome::Erased => Err(AppError::conflict(
            code::ACCOUNT_ERASED,
            "this person's data was erased at their request: the account cannot be changed or reactivated",
        )),
        PersonOutcome::EmailTaken => Err(AppError::conflict(
            qamqor_protocol::error_code::EMAIL_TAKEN,
            "an account with this email already exists",
        )
        .with_field("email")),
        PersonOutcome::DepartmentNotFound => Err(super::department_not_found("department_id")),
        PersonOutcome::DepartmentArchived => {
            Err(AppError::invalid_with(code::DEPARTMENT_ARCHIVED, "department_id", "this department is archived"))
        }
        PersonOutcome::LastAdmin => Err(AppError::conflict(
            code::LAST_ADMIN,
            "this would leave the organisation without an active admin: make someone else admin first",
        )),
    }
}

pub async fn create(state: &AppState, ctx: &Ctx, req: CreatePerson) -> AppResult<CreatedPerson> {
    ctx.require_admin("create accounts")?;
    let email = normalize_email(&req.email)?;
    let name = check_name("name", &req.name)?;
    if let Some(d) = req.department_id {
        department_in_reach(state, ctx, d, "department_id").await?;
    }
    let (code, hash) = auth::new_secret(INVITATION_PREFIX).map_err(AppError::internal)?;
    let expires_at = ctx.now + state.settings.invitation_ttl_ms;
    let new = NewPerson {
        org_id: ctx.org_id(),
        email: email.clone(),
        name: name.clone(),
        role: req.role,
        department_id: req.department_id,
        invitation_hash: hash,
        invitation_expires_at: expires_at,
        now: ctx.now,
    };
    let audit = ctx.audit(
        "person.create",
        "person",
        None,
        json!({"email": email, "name": name, "role": req.role.as_str(), "department_id": req.department_id}),
    );
    let p = person_outcome(state.store.admin().create_person(new, audit).await?)?;
    Ok(CreatedPerson { person: view(p, false), invitation: PersonInvitation { code, expires_at: rfc3339(expires_at) } })
}

/// `PATCH /api/v1/admin/people/{id}`: a new role (admins), a new department (`null`: none;
/// admins, or managers within their subtree), or both.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UpdatePerson {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub role: Option<Role>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub department_id: Option<Option<Uuid>>,
}

pub async fn update(state: &AppState, ctx: &Ctx, id: Uuid, req: UpdatePerson) -> AppResult<PersonView> {
    if req.role.is_none() && req.department_id.is_none() {
        return Err(AppError::invalid("role", "send a new role, a new department_id, or both"));
    }
    if req.role.is_some() && !ctx.is_admin() {
        return Err(AppError::forbidden("only admins can change roles").with_field("role"));
    }
    let current = person_in_reach(state, ctx, id).await?;
    match req.department_id {
        Some(Some(d)) => {
            department_in_reach(state, ctx, d, "department_id").await?;
        }
        Some(None) if !ctx.is_admin() => {
            return Err(AppError::forbidden("managers move people within their own department's subtree only")
                .with_field("department_id"))
        }
        _ => {}
    }
    let mut details = json!({});
    if let Some(r) = req.role {
        details["role"] = json!({"from": current.role.as_str(), "to": r.as_str()});
    }
    if let Some(d) = req.department_id {
        details["department_id"] = json!({"from": current.department_id, "to": d});
    }
    let action = match (req.role, req.department_id) {
        (Some(_), Some(_)) => "person.change_role_department",
        (Some(_), None) => "person.change_role",
        _ => "person.change_department",
    };
    let audit = ctx.audit(action, "person", Some(id.to_string()), details);
    let change = PersonChange { role: req.role, department_id: req.department_id };
    let p = person_outcome(state.store.admin().change_person(ctx.org_id(), id, change, audit).await?)?;
    let show_risk = org_settings(state, ctx).await?.privacy_policy == PrivacyPolicy::Individual;
    Ok(view(p, show_risk))
}

/// Deactivates (every device signed out, sign-in refused, data kept) or reactivates a person.
pub async fn set_active(state: &AppState, ctx: &Ctx, id: Uuid, active: bool) -> AppResult<PersonView> {
    ctx.require_admin(if active { "reactivate accounts" } else { "deactivate accounts" })?;
    let current = person_in_reach(state, ctx, id).await?;
    if !active && id == ctx.caller.user_id {
        return Err(AppError::forbidden("you cannot deactivate your own account: ask another admin"));
    }
    let action = if active { "person.reactivate" } else { "person.deactivate" };
    let audit = ctx.audit(action, "person", Some(id.to_string()), json!({"email": current.email, "name": current.name}));
    let p = person_outcome(state.store.admin().set_person_active(ctx.org_id(), id, active, audit).await?)?;
    let show_risk = org_settings(state, ctx).await?.privacy_policy == PrivacyPolicy::Individual;
    Ok(view(p, show_risk))
}
