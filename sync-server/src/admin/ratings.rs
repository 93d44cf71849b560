//! Achievements and the rating (source document 001) in the admin API: the organisation's
//! catalogue of achievement types (admins edit it; phones pull it), the achievements of the
//! people in reach and their review (verify or reject with a comment; the verdict syncs back to
//! the phone), rankings of people and a comparison of departments, with CSV/xlsx exports.
//!
//! The rating is `qamqor_core::rating::compute`, the function the phone shows its person's own
//! rating with: one formula, one place (`docs/RATINGS.md`).

use std::collections::{HashMap, HashSet};

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use qamqor_core::rating::{self, Rating, VerifiedPoints};
use qamqor_protocol::{
    AchievementReviewPayload, Entity, RatingCataloguePayload, ReviewStatus, RATING_CATALOGUE_RECORD_ID,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::departments::subtree_ids;
use super::people::person_in_reach;
use super::{department_in_reach, rfc3339, user_not_found, Ctx, Paging};
use crate::auth::AuthUser;
use crate::error::{code, AppError, AppResult};
use crate::export::{Cell, Format, Table};
use crate::extract::{ApiJson, ApiQuery, ClientAddr};
use crate::openapi::ErrorBodyDoc;
use crate::store::admin::{PeopleFilter, PeopleSort, Person, StatusFilter};
use crate::store::ratings::AchievementRecord;
use crate::store::{ServerWriteOutcome, StoreError};
use crate::AppState;

/// The routes of this module, with their OpenAPI descriptions.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_catalogue, put_catalogue))
        .routes(routes!(list_achievements))
        .routes(routes!(get_achievement))
        .routes(routes!(review_achievement))
        .routes(routes!(achievement_evidence))
        .routes(routes!(people_ratings))
        .routes(routes!(department_ratings))
}

fn achievement_not_found() -> AppError {
    AppError::not_found(code::ACHIEVEMENT_NOT_FOUND, "no such achievement in your organisation")
}

/// A core validation error as a 422 naming the field.
fn invalid(e: qamqor_core::Error) -> AppError {
    match e {
        qamqor_core::Error::Invalid { field, message, .. } => AppError::invalid(field, message),
        other => AppError::internal(anyhow::anyhow!(other.to_string())),
    }
}

// ---- catalogue -------------------------------------------------------------------------------

/// The organisation's catalogue: its record, or the built-in defaults until an admin saves one
/// (the phones start from the same defaults).
pub async fn catalogue(state: &AppState, org_id: Uuid) -> AppResult<RatingCataloguePayload> {
    match state.store.org_record(org_id, Entity::RatingCatalogue, RATING_CATALOGUE_RECORD_ID).await? {
        None => Ok(rating::default_catalogue()),
        Some(c) => serde_json::from_value(c.payload)
            .map_err(|e| StoreError::Corrupt(format!("rating catalogue of organisation {org_id}: {e}")).into()),
    }
}

/// The catalogue (documentation shape of `qamqor_protocol::RatingCataloguePayload`).
#[derive(ToSchema)]
#[schema(as = RatingCatalogue)]
#[allow(dead_code)]
pub struct CatalogueDoc {
    /// `average` (the plain mean of the category scores) or `workload` (weighted by
    /// `weight_percent`, the active categories summing to 100).
    method: String,
    categories: Vec<CategoryDoc>,
    types: Vec<TypeDoc>,
}

#[derive(ToSchema)]
#[schema(as = AchievementCategory)]
#[allow(dead_code)]
pub struct CategoryDoc {
    /// Stable key: a-z, 0-9, `.`, `_`, `-`; never removed (archive it instead).
    id: String,
    name: String,
    /// 0 to 100; under `workload` the active categories' weights sum to 100.
    weight_percent: f64,
    /// Retired: no new achievements, left out of ratings.
    archived: Option<bool>,
}

#[derive(ToSchema)]
#[schema(as = AchievementType)]
#[allow(dead_code)]
pub struct TypeDoc {
    /// Stable key (`research.article`); never removed (archive it instead).
    id: String,
    category_id: String,
    name: String,
    /// 1 to 1000.
    points: u32,
    archived: Option<bool>,
}

/// The organisation's achievement catalogue and rating method.
#[utoipa::path(get, path = "/api/v1/admin/ratings/catalogue", tag = "ratings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The catalogue in force (the defaults until an admin saves one)", body = CatalogueDoc),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees (they pull the catalogue)", body = ErrorBodyDoc)))]
pub async fn get_catalogue(State(state): State<AppState>, user: AuthUser, addr: ClientAddr) -> AppResult<Json<RatingCataloguePayload>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    catalogue(&state, ctx.org_id()).await.map(Json)
}

/// Replaces the catalogue (admins): categories with their workload weights, achievement types
/// with their points, and the rating method. Every member's phone pulls it.
#[utoipa::path(put, path = "/api/v1/admin/ratings/catalogue", tag = "ratings", request_body = CatalogueDoc,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The catalogue now in force", body = CatalogueDoc),
        (status = 400, description = "Malformed JSON", body = ErrorBodyDoc),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Not an admin", body = ErrorBodyDoc),
        (status = 422, description = "Invalid field (`categories.weight_percent` when the weights do not sum to 100 % under `workload`; a removed category or type)", body = ErrorBodyDoc)))]
pub async fn put_catalogue(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiJson(new): ApiJson<RatingCataloguePayload>,
) -> AppResult<Json<RatingCataloguePayload>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    ctx.require_admin("change the rating catalogue")?;
    let current = catalogue(&state, ctx.org_id()).await?;
    rating::validate_catalogue_change(&current, &new).map_err(invalid)?;
    let payload = serde_json::to_value(&new).map_err(AppError::internal)?;
    let change = crate::sync::server_change(Entity::RatingCatalogue, RATING_CATALOGUE_RECORD_ID, payload, ctx.now);
    let audit = ctx.audit(
        "rating_catalogue.update",
        "organisation",
        Some(ctx.org_id().to_string()),
        json!({"method": new.method.as_str(), "categories": new.categories.len(), "types": new.types.len()}),
    );
    state.store.ratings().set_rating_catalogue(ctx.org_id(), ctx.caller.user_id, change, audit, ctx.now).await?;
    Ok(Json(new))
}

// ---- achievements ----------------------------------------------------------------------------

/// A manager's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReviewView {
    /// `verified` or `rejected`.
    pub status: String,
    pub comment: Option<String>,
    pub reviewer_name: String,
    pub reviewed_at: String,
    pub category_id: String,
    pub points: u32,
}

/// An achievement as the admin API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AchievementView {
    pub id: String,
    pub person_id: Uuid,
    pub person: String,
    pub department_id: Option<Uuid>,
    pub department: Option<String>,
    pub type_id: String,
    pub type_name: String,
    pub category_id: String,
    pub category: String,
    pub title: String,
    pub description: Option<String>,
    pub achieved_on: String,
    pub recorded_at: String,
    /// Download it from `.../achievements/{id}/evidence`.
    pub has_evidence: bool,
    /// `pending`, `verified` or `rejected`.
    pub status: String,
    /// Verified: the points earned; pending: what its type earns now; rejected: 0.
    pub points: u32,
    pub review: Option<ReviewView>,
}

fn achievement_view(c: &RatingCataloguePayload, a: AchievementRecord) -> AchievementView {
    let ty = c.types.iter().find(|t| t.id == a.type_id);
    let category_id = a.review.as_ref().map(|r| r.category_id.clone()).or_else(|| ty.map(|t| t.category_id.clone())).unwrap_or_default();
    let category = c.categories.iter().find(|x| x.id == category_id).map_or_else(|| category_id.clone(), |x| x.name.clone());
    let (status, points) = match &a.review {
        None => ("pending".to_string(), ty.map_or(0, |t| t.points)),
        Some(r) => (r.status.as_str().to_string(), r.points),
    };
    AchievementView {
        id: a.id,
        person_id: a.owner_id,
        person: a.owner_name,
        department_id: a.department_id,
        department: a.department,
        type_name: ty.map_or_else(|| a.type_id.clone(), |t| t.name.clone()),
        type_id: a.type_id,
        category_id,
        category,
        title: a.title,
        description: a.description,
        achieved_on: a.achieved_on,
        recorded_at: rfc3339(a.recorded_at),
        has_evidence: a.has_evidence,
        status,
        points,
        review: a.review.map(|r| ReviewView {
            status: r.status.as_str().to_string(),
            comment: r.comment,
            reviewer_name: r.reviewer_name,
            reviewed_at: rfc3339(r.reviewed_at),
            category_id: r.category_id,
            points: r.points,
        }),
    }
}

/// `GET /api/v1/admin/achievements` parameters.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AchievementsQuery {
    /// `pending`, `verified` or `rejected` (default: all).
    pub status: Option<String>,
    /// One person's achievements.
    pub person_id: Option<String>,
    /// The people of this department's subtree.
    pub department_id: Option<String>,
    /// Achieved on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Achieved on or before this day.
    pub to: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    /// `json` (default), `csv` or `xlsx` (every matching row).
    pub format: Option<String>,
}

/// A page of achievements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AchievementPage {
    pub items: Vec<AchievementView>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

fn day(field: &str, raw: Option<&str>) -> AppResult<Option<NaiveDate>> {
    raw.map(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| AppError::invalid(field, format!("'{s}' is not a date: expected YYYY-MM-DD"))))
        .transpose()
}

fn period(from: Option<&str>, to: Option<&str>) -> AppResult<(Option<NaiveDate>, Option<NaiveDate>)> {
    let (from, to) = (day("from", from)?, day("to", to)?);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(AppError::invalid("to", "the period must end on or after its start"));
        }
    }
    Ok((from, to))
}

/// The department ids of the subtree of `department_id` (checked to be in reach), if one is given.
async fn department_filter(state: &AppState, ctx: &Ctx, raw: Option<&str>) -> AppResult<Option<HashSet<Uuid>>> {
    let Some(raw) = raw else { return Ok(None) };
    let id = raw.parse().map_err(|_| super::department_not_found("department_id"))?;
    department_in_reach(state, ctx, id, "department_id").await?;
    let all = state.store.admin().departments(ctx.org_id()).await?;
    Ok(Some(subtree_ids(&all, id).into_iter().collect()))
}

/// Achievements of the people in reach, newest recorded first.
#[utoipa::path(get, path = "/api/v1/admin/achievements", tag = "ratings", params(AchievementsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of achievements (or a CSV/xlsx download with `format`)", body = AchievementPage),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; a person or department outside a manager's subtree", body = ErrorBodyDoc),
        (status = 404, description = "Unknown person or department", body = ErrorBodyDoc),
        (status = 422, description = "Invalid value, `field` names it", body = ErrorBodyDoc)))]
pub async fn list_achievements(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiQuery(q): ApiQuery<AchievementsQuery>,
) -> AppResult<Response> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let format = Format::parse(q.format.as_deref())?;
    let page = achievements(&state, &ctx, &q, format.is_file()).await?;
    ctx.answer(&state, format, page, |p| achievements_table(&p.items)).await
}

/// Achievements of the people in reach, filtered; a page of them, or every one with `all`.
pub async fn achievements(state: &AppState, ctx: &Ctx, q: &AchievementsQuery, all: bool) -> AppResult<AchievementPage> {
    let (offset, per_page, page) = Paging { page: q.page, per_page: q.per_page }.resolve()?;
    let status = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s @ ("pending" | "verified" | "rejected")) => Some(s.to_string()),
        Some(other) => return Err(AppError::invalid("status", format!("'{other}' is not a status: use pending, verified or rejected"))),
    };
    let person = match q.person_id.as_deref() {
        None => None,
        Some(raw) => Some(person_in_reach(state, ctx, raw.parse().map_err(|_| user_not_found().with_field("person_id"))?).await.map_err(|e| e.with_field("person_id"))?.id),
    };
    let departments = department_filter(state, ctx, q.department_id.as_deref()).await?;
    let (from, to) = period(q.from.as_deref(), q.to.as_deref())?;
    let c = catalogue(state, ctx.org_id()).await?;
    let items: Vec<AchievementView> = state
        .store
        .ratings()
        .achievements(ctx.org_id(), ctx.within)
        .await?
        .into_iter()
        .filter(|a| person.is_none_or(|p| a.owner_id == p))
        .filter(|a| departments.as_ref().is_none_or(|d| a.department_id.is_some_and(|id| d.contains(&id))))
        .filter(|a| a.achieved_on.parse().is_ok_and(|d| rating::in_period(d, from, to)))
        .map(|a| achievement_view(&c, a))
        .filter(|a| status.as_ref().is_none_or(|s| &a.status == s))
        .collect();
    let total = items.len() as u64;
    let items = if all { items } else { items.into_iter().skip(offset as usize).take(per_page as usize).collect() };
    Ok(AchievementPage { items, total, page, per_page })
}

/// The achievements download.
pub fn achievements_table(items: &[AchievementView]) -> Table {
    let mut t = Table::new(
        "achievements",
        vec![
            "id", "person", "department", "category", "type", "title", "achieved_on", "recorded_at", "status", "points",
            "reviewer", "reviewed_at", "comment",
        ],
    );
    for a in items {
        let r = a.review.as_ref();
        t.push(vec![
            a.id.clone().into(),
            a.person.clone().into(),
            a.department.clone().into(),
            a.category.clone().into(),
            a.type_name.clone().into(),
            a.title.clone().into(),
            a.achieved_on.clone().into(),
            a.recorded_at.clone().into(),
            a.status.clone().into(),
            a.points.into(),
            r.map(|r| r.reviewer_name.clone()).into(),
            r.map(|r| r.reviewed_at.clone()).into(),
            r.and_then(|r| r.comment.clone()).into(),
        ]);
    }
    t
}

/// The achievement with this id in the caller's reach: 404 when unknown, deleted or of another
/// organisation; 403 when its person is outside a manager's subtree.
async fn achievement_in_reach(state: &AppState, ctx: &Ctx, id: &str) -> AppResult<AchievementRecord> {
    let a = state.store.ratings().achievement(ctx.org_id(), id).await?.ok_or_else(achievement_not_found)?;
    if !ctx.reaches_person(state, a.department_id).await? {
        return Err(AppError::forbidden("this achievement's person is outside your department's subtree").with_field("id"));
    }
    Ok(a)
}

/// One achievement.
#[utoipa::path(get, path = "/api/v1/admin/achievements/{id}", tag = "ratings",
    params(("id" = String, Path, description = "Achievement id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The achievement", body = AchievementView),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; outside a manager's subtree", body = ErrorBodyDoc),
        (status = 404, description = "Unknown, deleted or another organisation's (`achievement_not_found`)", body = ErrorBodyDoc)))]
pub async fn get_achievement(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> AppResult<Json<AchievementView>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let a = achievement_in_reach(&state, &ctx, &id).await?;
    Ok(Json(achievement_view(&catalogue(&state, ctx.org_id()).await?, a)))
}

/// `POST /api/v1/admin/achievements/{id}/review`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// `verified` or `rejected`.
    pub status: String,
    /// Up to 2000 characters; required when rejecting (say why).
    pub comment: Option<String>,
}

/// Verifies or rejects an achievement (managers: people of their subtree; admins: anyone but
/// themselves). The verdict fixes the type's current points and category; it reaches the
/// person's phone by pull. A later verdict replaces an earlier one.
#[utoipa::path(post, path = "/api/v1/admin/achievements/{id}/review", tag = "ratings", request_body = ReviewRequest,
    params(("id" = String, Path, description = "Achievement id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The achievement with its verdict", body = AchievementView),
        (status = 400, description = "Malformed JSON", body = ErrorBodyDoc),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; outside a manager's subtree; one's own achievement", body = ErrorBodyDoc),
        (status = 404, description = "Unknown, deleted or another organisation's (`achievement_not_found`)", body = ErrorBodyDoc),
        (status = 422, description = "Invalid status or comment; a type the catalogue does not know (`type_id`)", body = ErrorBodyDoc)))]
pub async fn review_achievement(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ReviewRequest>,
) -> AppResult<Json<AchievementView>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    review(&state, &ctx, &id, &req).await.map(Json)
}

/// The review of `POST /api/v1/admin/achievements/{id}/review` by the caller of `ctx`: checked,
/// written with its audit entry, and returned as the endpoint answers (also what the demo's
/// simulated managers do).
pub async fn review(state: &AppState, ctx: &Ctx, id: &str, req: &ReviewRequest) -> AppResult<AchievementView> {
    let status = ReviewStatus::parse(req.status.trim())
        .ok_or_else(|| AppError::invalid("status", format!("'{}' is not a verdict: use verified or rejected", req.status)))?;
    let comment = req.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    if let Some(c) = &comment {
        let n = c.chars().count();
        if n > rating::MAX_DESCRIPTION_CHARS || c.contains('\0') {
            return Err(AppError::invalid("comment", format!("{n} characters; at most {}, no NUL", rating::MAX_DESCRIPTION_CHARS)));
        }
    }
    if status == ReviewStatus::Rejected && comment.is_none() {
        return Err(AppError::invalid("comment", "say why the achievement is rejected"));
    }
    let a = achievement_in_reach(state, ctx, id).await?;
    if a.owner_id == ctx.caller.user_id {
        return Err(AppError::forbidden("nobody reviews their own achievement").with_field("id"));
    }
    let c = catalogue(state, ctx.org_id()).await?;
    let ty = c
        .types
        .iter()
        .find(|t| t.id == a.type_id)
        .ok_or_else(|| AppError::invalid("type_id", format!("the achievement's type '{}' is not in the catalogue", a.type_id)))?;
    let payload = AchievementReviewPayload {
        achievement_id: a.id.clone(),
        status,
        comment: comment.clone(),
        reviewer_name: ctx.name.clone(),
        reviewed_at: ctx.now,
        category_id: ty.category_id.clone(),
        points: if status == ReviewStatus::Verified { ty.points } else { 0 },
    };
    let change = crate::sync::server_change(Entity::AchievementReview, &a.id, serde_json::to_value(&payload).map_err(AppError::internal)?, ctx.now);
    let action = if status == ReviewStatus::Verified { "achievement.verify" } else { "achievement.reject" };
    let audit = ctx.audit(
        action,
        "achievement",
        Some(a.id.clone()),
        json!({"person_id": a.owner_id, "type_id": a.type_id, "points": payload.points, "comment": comment}),
    );
    match state.store.ratings().write_person_record(ctx.org_id(), a.owner_id, ctx.caller.user_id, change, audit, ctx.now).await? {
        ServerWriteOutcome::Written(_) => {}
        ServerWriteOutcome::NoSuchUser => return Err(achievement_not_found()),
        ServerWriteOutcome::Exists => return Err(AppError::internal(anyhow::anyhow!("a review write was create-only"))),
    }
    Ok(achievement_view(&c, AchievementRecord { review: Some(payload), ..a }))
}

/// The evidence photo of an achievement (a metadata-free JPEG).
#[utoipa::path(get, path = "/api/v1/admin/achievements/{id}/evidence", tag = "ratings",
    params(("id" = String, Path, description = "Achievement id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The photo", content_type = "image/jpeg", body = Vec<u8>),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; outside a manager's subtree", body = ErrorBodyDoc),
        (status = 404, description = "Unknown achievement (`achievement_not_found`) or none attached (`evidence_not_found`)", body = ErrorBodyDoc)))]
pub async fn achievement_evidence(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let ctx = Ctx::of(&state, user, addr).await?;
    evidence_response(evidence(&state, &ctx, &id).await?)
}

/// The evidence photo of an achievement in reach, as JPEG bytes.
pub async fn evidence(state: &AppState, ctx: &Ctx, id: &str) -> AppResult<Vec<u8>> {
    achievement_in_reach(state, ctx, id).await?;
    let b64 = state.store.ratings().achievement_evidence(ctx.org_id(), id).await?.ok_or_else(achievement_not_found)?;
    let b64 = b64.ok_or_else(|| AppError::not_found(code::EVIDENCE_NOT_FOUND, "this achievement has no evidence photo"))?;
    rating::decode_evidence(&b64).map_err(|e| AppError::internal(anyhow::anyhow!("stored evidence of {id}: {e}")))
}

/// A JPEG answer that a browser never sniffs as anything else.
pub fn evidence_response(jpeg: Vec<u8>) -> AppResult<Response> {
    let mut r = jpeg.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    // The bytes come from a phone: never let a browser guess another type from them.
    r.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(r)
}

// ---- rankings --------------------------------------------------------------------------------

/// `?department_id=&from=&to=&format=` of the rankings.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RatingsQuery {
    /// Only the people of this department's subtree (ranks are then within it).
    pub department_id: Option<String>,
    /// Count achievements from this day (`YYYY-MM-DD`, inclusive).
    pub from: Option<String>,
    /// Count achievements up to this day (inclusive).
    pub to: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
}

/// A category as the rankings head it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CategoryHead {
    pub id: String,
    pub name: String,
    /// Under `workload` only.
    pub weight_percent: Option<f64>,
}

/// One category of one person's rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CategoryPoints {
    pub category_id: String,
    /// The category score: verified points.
    pub points: u64,
    pub achievements: u32,
    /// What the category adds to the rating.
    pub contribution: f64,
}

/// One person's place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PersonRating {
    /// Competition rank among the people listed (equal ratings share a rank).
    pub rank: u32,
    /// Rank among the listed people of the same department.
    pub department_rank: u32,
    pub person_id: Uuid,
    pub name: String,
    pub department_id: Option<Uuid>,
    pub department: Option<String>,
    /// The rating, two decimals.
    pub total: f64,
    pub points: u64,
    pub categories: Vec<CategoryPoints>,
}

/// People ranked by their rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PeopleRatings {
    /// `average` or `workload`.
    pub method: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub categories: Vec<CategoryHead>,
    pub people: Vec<PersonRating>,
}

fn heads(c: &RatingCataloguePayload) -> Vec<CategoryHead> {
    c.categories
        .iter()
        .filter(|x| !x.archived)
        .map(|x| CategoryHead {
            id: x.id.clone(),
            name: x.name.clone(),
            weight_percent: (c.method == qamqor_protocol::RatingMethod::Workload).then_some(x.weight_percent),
        })
        .collect()
}

/// Every active person in reach (optionally in one subtree) with their rating.
async fn rated_people(state: &AppState, ctx: &Ctx, q: &RatingsQuery) -> AppResult<(RatingCataloguePayload, Vec<(Person, Rating)>)> {
    let departments = department_filter(state, ctx, q.department_id.as_deref()).await?;
    let (from, to) = period(q.from.as_deref(), q.to.as_deref())?;
    let c = catalogue(state, ctx.org_id()).await?;
    let people = state
        .store
        .admin()
        .people(PeopleFilter {
            org_id: ctx.org_id(),
            within: ctx.within,
            search: None,
            department: None,
            role: None,
            risk_level: None,
            risk_window: ctx.risk_window(state),
            activity: None,
            status: StatusFilter::Active,
            sort: PeopleSort::Name,
            descending: false,
            offset: 0,
            limit: u32::MAX,
        })
        .await?
        .items;
    let mut verified: HashMap<Uuid, Vec<(String, u32)>> = HashMap::new();
    for v in state.store.ratings().verified(ctx.org_id(), ctx.within).await? {
        if v.achieved_on.parse().is_ok_and(|d| rating::in_period(d, from, to)) {
            verified.entry(v.user_id).or_default().push((v.category_id, v.points));
        }
    }
    let rated = people
        .into_iter()
        .filter(|p| departments.as_ref().is_none_or(|d| p.department_id.is_some_and(|id| d.contains(&id))))
        .map(|p| {
            let mine = verified.get(&p.id).map(Vec::as_slice).unwrap_or_default();
            let r = rating::compute(&c, mine.iter().map(|(category_id, points)| VerifiedPoints { category_id, points: *points }));
            (p, r)
        })
        .collect();
    Ok((c, rated))
}

/// People in reach ranked by their rating, with each category's score and contribution.
#[utoipa::path(get, path = "/api/v1/admin/ratings", tag = "ratings", params(RatingsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The ranking, highest rating first (or a CSV/xlsx download with `format`)", body = PeopleRatings),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; a department outside a manager's subtree", body = ErrorBodyDoc),
        (status = 404, description = "Unknown department", body = ErrorBodyDoc),
        (status = 422, description = "Invalid date or format, `field` names it", body = ErrorBodyDoc)))]
pub async fn people_ratings(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiQuery(q): ApiQuery<RatingsQuery>,
) -> AppResult<Response> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let format = Format::parse(q.format.as_deref())?;
    let body = ranking(&state, &ctx, &q).await?;
    ctx.answer(&state, format, body, people_table).await
}

/// People in reach ranked by their rating (see [`people_ratings`]).
pub async fn ranking(state: &AppState, ctx: &Ctx, q: &RatingsQuery) -> AppResult<PeopleRatings> {
    let (c, mut rated) = rated_people(state, ctx, q).await?;
    rated.sort_by(|(pa, ra), (pb, rb)| rb.total.total_cmp(&ra.total).then_with(|| pa.name.cmp(&pb.name)));
    let totals: Vec<f64> = rated.iter().map(|(_, r)| r.total).collect();
    let ranks = rating::competition_ranks(&totals);
    let mut by_department: HashMap<Option<Uuid>, Vec<f64>> = HashMap::new();
    for (p, r) in &rated {
        by_department.entry(p.department_id).or_default().push(r.total);
    }
    let people = rated
        .into_iter()
        .zip(ranks)
        .map(|((p, r), rank)| {
            let peers = &by_department[&p.department_id];
            PersonRating {
                rank,
                department_rank: 1 + peers.iter().filter(|t| **t > r.total).count() as u32,
                person_id: p.id,
                name: p.name,
                department_id: p.department_id,
                department: p.department,
                total: r.total,
                points: r.points,
                categories: r
                    .categories
                    .into_iter()
                    .map(|x| CategoryPoints { category_id: x.category_id, points: x.points, achievements: x.achievements, contribution: x.contribution })
                    .collect(),
            }
        })
        .collect();
    Ok(PeopleRatings { method: c.method.as_str().into(), from: q.from.clone(), to: q.to.clone(), categories: heads(&c), people })
}

/// The ranking download.
pub fn people_table(b: &PeopleRatings) -> Table {
    let mut columns: Vec<String> = ["rank", "department_rank", "name", "department", "rating", "points"].map(String::from).to_vec();
    columns.extend(b.categories.iter().map(|c| format!("{} (points)", c.name)));
    let mut t = Table::with_columns("ratings", columns);
    for p in &b.people {
        let mut row: Vec<Cell> =
            vec![p.rank.into(), p.department_rank.into(), p.name.clone().into(), p.department.clone().into(), p.total.into(), p.points.into()];
        row.extend(p.categories.iter().map(|c| Cell::from(c.points)));
        t.push(row);
    }
    t
}

/// One department's people's ratings over its subtree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DepartmentRating {
    /// Competition rank by `average` among departments with people (`null` without people; the
    /// total row has none either).
    pub rank: Option<u32>,
    /// `null` for the total of everything in reach.
    pub department_id: Option<Uuid>,
    pub department: String,
    /// Active people counted.
    pub people: u32,
    /// Mean of the people's ratings, two decimals.
    pub average: Option<f64>,
    pub best: Option<f64>,
    /// Per category, the mean of the people's category scores (two decimals).
    pub categories: Vec<CategoryAverage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CategoryAverage {
    pub category_id: String,
    pub average_points: Option<f64>,
}

/// Departments compared by their people's ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DepartmentComparison {
    pub method: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub categories: Vec<CategoryHead>,
    /// Departments in reach, highest average first (without people last).
    pub departments: Vec<DepartmentRating>,
    /// Everything in reach.
    pub total: DepartmentRating,
}

fn department_rating(c: &RatingCataloguePayload, id: Option<Uuid>, name: String, rated: &[&(Person, Rating)]) -> DepartmentRating {
    let n = rated.len();
    let mean = |xs: &mut dyn Iterator<Item = f64>| (n > 0).then(|| rating::round2(xs.sum::<f64>() / n as f64));
    DepartmentRating {
        rank: None,
        department_id: id,
        department: name,
        people: n as u32,
        average: mean(&mut rated.iter().map(|(_, r)| r.total)),
        best: rated.iter().map(|(_, r)| r.total).reduce(f64::max),
        categories: c
            .categories
            .iter()
            .filter(|x| !x.archived)
            .enumerate()
            .map(|(i, x)| CategoryAverage {
                category_id: x.id.clone(),
                average_points: mean(&mut rated.iter().map(|(_, r)| r.categories.get(i).map_or(0.0, |s| s.points as f64))),
            })
            .collect(),
    }
}

/// Departments in reach compared: each over its whole subtree, the mean and best rating of its
/// people and the mean score per category, ranked.
#[utoipa::path(get, path = "/api/v1/admin/ratings/departments", tag = "ratings", params(RatingsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The comparison (or a CSV/xlsx download with `format`)", body = DepartmentComparison),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; a department outside a manager's subtree", body = ErrorBodyDoc),
        (status = 404, description = "Unknown department", body = ErrorBodyDoc),
        (status = 422, description = "Invalid date or format, `field` names it", body = ErrorBodyDoc)))]
pub async fn department_ratings(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiQuery(q): ApiQuery<RatingsQuery>,
) -> AppResult<Response> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let format = Format::parse(q.format.as_deref())?;
    let body = comparison(&state, &ctx, &q).await?;
    ctx.answer(&state, format, body, departments_table).await
}

/// Departments in reach compared by their people's ratings (see [`department_ratings`]).
pub async fn comparison(state: &AppState, ctx: &Ctx, q: &RatingsQuery) -> AppResult<DepartmentComparison> {
    let (c, rated) = rated_people(state, ctx, q).await?;
    let all = state.store.admin().departments(ctx.org_id()).await?;
    let root = match q.department_id.as_deref() {
        Some(raw) => Some(raw.parse::<Uuid>().map_err(|_| super::department_not_found("department_id"))?),
        None => ctx.within,
    };
    let in_reach: HashSet<Uuid> = match root {
        Some(r) => subtree_ids(&all, r).into_iter().collect(),
        None => all.iter().map(|d| d.id).collect(),
    };
    let mut departments: Vec<DepartmentRating> = all
        .iter()
        .filter(|d| d.archived_at.is_none() && in_reach.contains(&d.id))
        .map(|d| {
            let sub: HashSet<Uuid> = subtree_ids(&all, d.id).into_iter().collect();
            let members: Vec<&(Person, Rating)> = rated.iter().filter(|(p, _)| p.department_id.is_some_and(|id| sub.contains(&id))).collect();
            department_rating(&c, Some(d.id), d.name.clone(), &members)
        })
        .collect();
    departments.sort_by(|a, b| match (a.average, b.average) {
        (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.department.cmp(&b.department)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.department.cmp(&b.department),
    });
    let averages: Vec<f64> = departments.iter().filter_map(|d| d.average).collect();
    let ranks = rating::competition_ranks(&averages);
    for (d, rank) in departments.iter_mut().filter(|d| d.average.is_some()).zip(ranks) {
        d.rank = Some(rank);
    }
    let everyone: Vec<&(Person, Rating)> = rated.iter().collect();
    let total = department_rating(&c, None, "Total".into(), &everyone);
    Ok(DepartmentComparison { method: c.method.as_str().into(), from: q.from.clone(), to: q.to.clone(), categories: heads(&c), departments, total })
}

/// The comparison download.
pub fn departments_table(b: &DepartmentComparison) -> Table {
    let mut columns: Vec<String> = ["rank", "department", "people", "average_rating", "best_rating"].map(String::from).to_vec();
    columns.extend(b.categories.iter().map(|c| format!("{} (average points)", c.name)));
    let mut t = Table::with_columns("ratings-departments", columns);
    for d in b.departments.iter().chain([&b.total]) {
        let mut row: Vec<Cell> = vec![d.rank.into(), d.department.clone().into(), d.people.into(), d.average.into(), d.best.into()];
        row.extend(d.categories.iter().map(|c| Cell::from(c.average_points)));
        t.push(row);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_checked_field_by_field() {
        assert_eq!(period(Some("2026-01-01"), Some("2026-12-31")).unwrap().0, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(period(Some("01.01.2026"), None).unwrap_err().message().1, Some("from"));
        assert_eq!(period(Some("2026-02-01"), Some("2026-01-01")).unwrap_err().message().1, Some("to"));
        assert_eq!(period(None, None).unwrap(), (None, None));
    }
}
