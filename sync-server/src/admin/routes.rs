//! The admin API's HTTP handlers: extract, resolve the caller's scope ([`Ctx::of`]), call the
//! service, answer (JSON, or a CSV/xlsx download for the tables). Each handler carries its
//! OpenAPI description; [`router`] registers them, so the published document and the routes
//! come from the same list and cannot drift apart.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::activity::{self, ActivityQuery, ActivityTable, DepartmentActivity, PersonActivity};
use super::audit::{self, AuditPage, AuditQuery};
use super::deletions::{self, DeletionRequestItem, DeletionRequestList};
use super::risk::{self, RiskOverview, RiskQuery};
use super::indicators::{self, IndicatorsQuery, Targets, UpdateTargets, WeeklyIndicators};
use super::departments::{self, CreateDepartment, DepartmentList, DepartmentListQuery, DepartmentView, UpdateDepartment};
use super::people::{self, CreatePerson, CreatedPerson, PeoplePage, PeopleQuery, PersonView, UpdatePerson};
use super::{path_id, user_not_found, Ctx};
use crate::auth::AuthUser;
use crate::error::AppResult;
use crate::export::Format;
use crate::extract::{ApiJson, ApiQuery, ClientAddr};
use crate::openapi::ErrorBodyDoc;
use crate::AppState;

/// Every admin route, with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_audit))
        .routes(routes!(list_departments, create_department))
        .routes(routes!(update_department))
        .routes(routes!(archive_department))
        .routes(routes!(list_people, create_person))
        .routes(routes!(get_person, update_person))
        .routes(routes!(deactivate_person))
        .routes(routes!(reactivate_person))
        .routes(routes!(activity_table))
        .routes(routes!(person_activity))
        .routes(routes!(department_activity))
        .routes(routes!(weekly_indicators))
        .routes(routes!(get_targets, put_targets))
        .routes(routes!(risk_overview))
        .routes(routes!(list_deletion_requests))
        .routes(routes!(carry_out_deletion_request))
        .merge(super::ratings::router())
        .merge(super::competencies::router())
}

fn department_not_found() -> crate::error::AppError {
    super::department_not_found("id")
}

// ---- audit -------------------------------------------------------------------------------

/// The audit log: who did what, when and from where. Admins: the organisation; managers: the
/// actions of people in their subtree.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "audit", params(AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of entries, newest first (or a CSV/xlsx download with `format`)", body = AuditPage),
        (status = 400, description = "Unreadable query", body = ErrorBodyDoc),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees", body = ErrorBodyDoc),
        (status = 422, description = "Invalid value, `field` names it", body = ErrorBodyDoc)))]
pub async fn list_audit(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> AppResult<Response> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let format = Format::parse(q.format.as_deref())?;
    let page = audit::list(&state, &ctx, q, format).await?;
    ctx.answer(&state, format, page, |p: &AuditPage| audit::table(&p.items)).await
}

// ---- deletion requests ---------------------------------------------------------------------

/// The people who asked, from their phone's privacy centre, for their account and data to be
/// deleted (the request reaches the server through sync). Admins only; each read is logged.
#[utoipa::path(get, path = "/api/v1/admin/deletion-requests", tag = "deletion requests",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The organisation's requests, newest received first", body = DeletionRequestList),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Managers and employees", body = ErrorBodyDoc)))]
pub async fn list_deletion_requests(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
) -> AppResult<Json<DeletionRequestList>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    deletions::list(&state, &ctx).await.map(Json)
}

/// Carries out a person's deletion request: their devices are signed out and forgotten, their
/// records, change log, statistics and open invitations erased, and the account kept only as an
/// anonymised, deactivated row (so the audit log's references stay valid). One transaction,
/// logged; the same request again answers as before and changes nothing. Admins only.
#[utoipa::path(post, path = "/api/v1/admin/deletion-requests/{id}/carry-out", tag = "deletion requests",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The request's id")),
    responses(
        (status = 200, description = "Carried out (now or before)", body = DeletionRequestItem),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Managers and employees; an admin's own request", body = ErrorBodyDoc),
        (status = 404, description = "`deletion_request_not_found`: no such request in the organisation", body = ErrorBodyDoc)))]
pub async fn carry_out_deletion_request(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> AppResult<Json<DeletionRequestItem>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    deletions::carry_out(&state, &ctx, &id).await.map(Json)
}

// ---- departments -------------------------------------------------------------------------

/// The department tree in reach (a manager's starts at their own department).
#[utoipa::path(get, path = "/api/v1/admin/departments", tag = "departments", params(DepartmentListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Departments, depth-first", body = DepartmentList),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees", body = ErrorBodyDoc)))]
pub async fn list_departments(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiQuery(q): ApiQuery<DepartmentListQuery>,
) -> AppResult<Json<DepartmentList>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    departments::list(&state, &ctx, q.include_archived).await.map(Json)
}

/// Creates a department (managers: below their own).
#[utoipa::path(post, path = "/api/v1/admin/departments", tag = "departments", request_body = CreateDepartment,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = DepartmentView),
        (status = 400, description = "Malformed JSON", body = ErrorBodyDoc),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; a parent outside a manager's subtree", body = ErrorBodyDoc),
        (status = 404, description = "Unknown parent (`department_not_found`)", body = ErrorBodyDoc),
        (status = 409, description = "Name taken among the siblings (`department_exists`)", body = ErrorBodyDoc),
        (status = 422, description = "Invalid field; archived parent", body = ErrorBodyDoc)))]
pub async fn create_department(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiJson(req): ApiJson<CreateDepartment>,
) -> AppResult<(StatusCode, Json<DepartmentView>)> {
    let ctx = Ctx::of(&state, user, addr).await?;
    departments::create(&state, &ctx, req).await.map(|d| (StatusCode::CREATED, Json(d)))
}

/// Renames and/or moves a department (never below itself: `422 department_cycle`).
#[utoipa::path(patch, path = "/api/v1/admin/departments/{id}", tag = "departments", request_body = UpdateDepartment,
    params(("id" = uuid::Uuid, Path, description = "Department id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = DepartmentView),
        (status = 400, description = "Malformed JSON", body = ErrorBodyDoc),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Outside the caller's reach; a manager's own department", body = ErrorBodyDoc),
        (status = 404, description = "Unknown department or parent", body = ErrorBodyDoc),
        (status = 409, description = "Name taken; archived", body = ErrorBodyDoc),
        (status = 422, description = "Invalid field; cycle; archived parent", body = ErrorBodyDoc)))]
pub async fn update_department(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<UpdateDepartment>,
) -> AppResult<Json<DepartmentView>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let id = path_id(&id, department_not_found)?;
    departments::update(&state, &ctx, id, req).await.map(Json)
}

/// Archives a department that has no people and no active sub-departments.
#[utoipa::path(post, path = "/api/v1/admin/departments/{id}/archive", tag = "departments",
    params(("id" = uuid::Uuid, Path, description = "Department id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Archived", body = DepartmentView),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Outside the caller's reach; a manager's own department", body = ErrorBodyDoc),
        (status = 404, description = "Unknown department", body = ErrorBodyDoc),
        (status = 409, description = "Not empty (`department_not_empty`); already archived", body = ErrorBodyDoc)))]
pub async fn archive_department(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> AppResult<Json<DepartmentView>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let id = path_id(&id, department_not_found)?;
    departments::archive(&state, &ctx, id).await.map(Json)
}

// ---- people ------------------------------------------------------------------------------

/// People in reach: search, filters, sort and pages (or a CSV/xlsx download with `format`).
#[utoipa::path(get, path = "/api/v1/admin/people", tag = "people", params(PeopleQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of people", body = PeoplePage),
        (status = 400, description = "Unreadable query", body = ErrorBodyDoc),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; a department outside the caller's reach; `risk_levels_hidden` under the aggregate policy", body = ErrorBodyDoc),
        (status = 404, description = "Unknown department", body = ErrorBodyDoc),
        (status = 422, description = "Invalid value, `field` names it", body = ErrorBodyDoc)))]
pub async fn list_people(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> AppResult<Response> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let format = Format::parse(q.format.as_deref())?;
    let page = people::list(&state, &ctx, q, format.is_file()).await?;
    ctx.answer(&state, format, page, |p: &PeoplePage| people::table(&p.items)).await
}

/// Creates an account (admins) with the invitation its person registers with.
#[utoipa::path(post, path = "/api/v1/admin/people", tag = "people", request_body = CreatePerson,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; the invitation code is shown once", body = CreatedPerson),
        (status = 400, description = "Malformed JSON", body = ErrorBodyDoc),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Not an admin", body = ErrorBodyDoc),
        (status = 404, description = "Unknown department", body = ErrorBodyDoc),
        (status = 409, description = "Email taken (`email_taken`)", body = ErrorBodyDoc),
        (status = 422, description = "Invalid field", body = ErrorBodyDoc)))]
pub async fn create_person(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiJson(req): ApiJson<CreatePerson>,
) -> AppResult<(StatusCode, Json<CreatedPerson>)> {
    let ctx = Ctx::of(&state, user, addr).await?;
    people::create(&state, &ctx, req).await.map(|p| (StatusCode::CREATED, Json(p)))
}

/// One person.
#[utoipa::path(get, path = "/api/v1/admin/people/{id}", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person", body = PersonView),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; outside a manager's subtree", body = ErrorBodyDoc),
        (status = 404, description = "Unknown, or of another organisation (`user_not_found`)", body = ErrorBodyDoc)))]
pub async fn get_person(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> AppResult<Json<PersonView>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let id = path_id(&id, user_not_found)?;
    people::get(&state, &ctx, id).await.map(Json)
}

/// Changes a person's role (admins) and/or department (admins; managers within their subtree).
#[utoipa::path(patch, path = "/api/v1/admin/people/{id}", tag = "people", request_body = UpdatePerson,
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = PersonView),
        (status = 400, description = "Malformed JSON", body = ErrorBodyDoc),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Not allowed (role changes: admins only)", body = ErrorBodyDoc),
        (status = 404, description = "Unknown person or department", body = ErrorBodyDoc),
        (status = 409, description = "The last active admin (`last_admin`)", body = ErrorBodyDoc),
        (status = 422, description = "Invalid field; archived department", body = ErrorBodyDoc)))]
pub async fn update_person(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<UpdatePerson>,
) -> AppResult<Json<PersonView>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let id = path_id(&id, user_not_found)?;
    people::update(&state, &ctx, id, req).await.map(Json)
}

/// Deactivates a person (admins): data kept, every device signed out, sign-in refused with
/// `403 account_deactivated`.
#[utoipa::path(post, path = "/api/v1/admin/people/{id}/deactivate", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Deactivated", body = PersonView),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Not an admin; oneself", body = ErrorBodyDoc),
        (status = 404, description = "Unknown person", body = ErrorBodyDoc),
        (status = 409, description = "The last active admin (`last_admin`)", body = ErrorBodyDoc)))]
pub async fn deactivate_person(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> AppResult<Json<PersonView>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let id = path_id(&id, user_not_found)?;
    people::set_active(&state, &ctx, id, false).await.map(Json)
}

/// Reactivates a person (admins); they sign in again on their devices.
#[utoipa::path(post, path = "/api/v1/admin/people/{id}/reactivate", tag = "people",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Reactivated", body = PersonView),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Not an admin", body = ErrorBodyDoc),
        (status = 404, description = "Unknown person", body = ErrorBodyDoc)))]
pub async fn reactivate_person(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> AppResult<Json<PersonView>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let id = path_id(&id, user_not_found)?;
    people::set_active(&state, &ctx, id, true).await.map(Json)
}

// ---- activity ----------------------------------------------------------------------------

/// Activity of a week or month for every department in reach (each over its subtree) and the
/// total (or a CSV/xlsx download with `format`).
#[utoipa::path(get, path = "/api/v1/admin/activity", tag = "activity", params(ActivityQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One row per department, then the total", body = ActivityTable),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees", body = ErrorBodyDoc),
        (status = 422, description = "Invalid week, month or format", body = ErrorBodyDoc)))]
pub async fn activity_table(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiQuery(q): ApiQuery<ActivityQuery>,
) -> AppResult<Response> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let format = Format::parse(q.format.as_deref())?;
    let t = activity::table(&state, &ctx, q).await?;
    ctx.answer(&state, format, t, activity::table_export).await
}

/// One person's activity over a week or month.
#[utoipa::path(get, path = "/api/v1/admin/activity/people/{id}", tag = "activity", params(("id" = uuid::Uuid, Path, description = "Person id"), ActivityQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person's statistics", body = PersonActivity),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; outside a manager's subtree", body = ErrorBodyDoc),
        (status = 404, description = "Unknown person", body = ErrorBodyDoc),
        (status = 422, description = "Invalid week, month or format", body = ErrorBodyDoc)))]
pub async fn person_activity(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ActivityQuery>,
) -> AppResult<Response> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let id = path_id(&id, user_not_found)?;
    let format = Format::parse(q.format.as_deref())?;
    let p = activity::person(&state, &ctx, id, q).await?;
    ctx.answer(&state, format, p, activity::person_export).await
}

/// One department's activity over its subtree, with each of its people.
#[utoipa::path(get, path = "/api/v1/admin/activity/departments/{id}", tag = "activity", params(("id" = uuid::Uuid, Path, description = "Department id"), ActivityQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The department's statistics and its people's", body = DepartmentActivity),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; outside a manager's subtree", body = ErrorBodyDoc),
        (status = 404, description = "Unknown department", body = ErrorBodyDoc),
        (status = 422, description = "Invalid week, month or format", body = ErrorBodyDoc)))]
pub async fn department_activity(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ActivityQuery>,
) -> AppResult<Response> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let id = path_id(&id, department_not_found)?;
    let format = Format::parse(q.format.as_deref())?;
    let d = activity::department(&state, &ctx, id, q).await?;
    ctx.answer(&state, format, d, activity::department_export).await
}

// ---- weekly indicators -------------------------------------------------------------------

/// The weekly indicators: each department's value and category per indicator, the index, the
/// change against the week before (or a CSV/xlsx download with `format`).
#[utoipa::path(get, path = "/api/v1/admin/indicators", tag = "indicators", params(IndicatorsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The week's table, sorted by index", body = WeeklyIndicators),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees", body = ErrorBodyDoc),
        (status = 422, description = "Invalid week or format", body = ErrorBodyDoc)))]
pub async fn weekly_indicators(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiQuery(q): ApiQuery<IndicatorsQuery>,
) -> AppResult<Response> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let format = Format::parse(q.format.as_deref())?;
    let t = indicators::weekly(&state, &ctx, &q).await?;
    ctx.answer(&state, format, t, indicators::export).await
}

/// The organisation's indicator targets.
#[utoipa::path(get, path = "/api/v1/admin/indicators/targets", tag = "indicators",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The targets in force", body = Targets),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees", body = ErrorBodyDoc)))]
pub async fn get_targets(State(state): State<AppState>, user: AuthUser, addr: ClientAddr) -> AppResult<Json<Targets>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    indicators::targets(&state, &ctx).await.map(Json)
}

/// Changes the targets (admins): the fields sent replace the current ones.
#[utoipa::path(put, path = "/api/v1/admin/indicators/targets", tag = "indicators", request_body = UpdateTargets,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The targets now in force", body = Targets),
        (status = 400, description = "Malformed JSON", body = ErrorBodyDoc),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Not an admin", body = ErrorBodyDoc),
        (status = 422, description = "Out of range or wrong type, `field` names it", body = ErrorBodyDoc)))]
pub async fn put_targets(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiJson(req): ApiJson<UpdateTargets>,
) -> AppResult<Json<Targets>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    indicators::set_targets(&state, &ctx, req).await.map(Json)
}

// ---- risk overview -----------------------------------------------------------------------

/// The risk overview under the privacy policy: levels per department (groups under k hidden,
/// with complementary suppression, under `aggregate`), the trend, and (under `individual` only)
/// the people at high risk with their main factors.
#[utoipa::path(get, path = "/api/v1/admin/risk", tag = "risk", params(RiskQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The overview (or a CSV/xlsx download of the groups with `format`)", body = RiskOverview),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees", body = ErrorBodyDoc),
        (status = 422, description = "Invalid weeks or format", body = ErrorBodyDoc)))]
pub async fn risk_overview(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiQuery(q): ApiQuery<RiskQuery>,
) -> AppResult<Response> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let format = Format::parse(q.format.as_deref())?;
    let o = risk::overview(&state, &ctx, &q).await?;
    ctx.answer(&state, format, o, risk::export).await
}
