//! Competencies in the admin API (source document 004): an admin assigns each person a profession
//! card of the professional standards catalogue; the person rates the card's skills on their phone
//! (0-4), their manager rates too; per department, the coverage of each labour function (who is
//! strong, where the gaps are), exportable. The rules are `qamqor_core::competency`, the phone's.

use std::collections::{BTreeMap, HashMap, HashSet};

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use qamqor_core::competency::{self, FunctionKind, ProfessionCard};
use qamqor_protocol::{CompetencyAssignmentPayload, Entity, SkillRatingPayload, COMPETENCY_RECORD_ID};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::departments::subtree_ids;
use super::people::person_in_reach;
use super::{department_in_reach, path_id, rfc3339, user_not_found, Ctx};
use crate::auth::AuthUser;
use crate::error::{code, AppError, AppResult};
use crate::export::{Format, Table};
use crate::extract::{ApiJson, ApiQuery, ClientAddr};
use crate::openapi::ErrorBodyDoc;
use crate::store::admin::{PeopleFilter, PeopleSort, StatusFilter};
use crate::store::ratings::PersonRecord;
use crate::store::ServerWriteOutcome;
use crate::AppState;

/// The routes of this module, with their OpenAPI descriptions.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_competency, assign_competency))
        .routes(routes!(rate_skill))
        .routes(routes!(coverage))
}

fn invalid(e: qamqor_core::Error) -> AppError {
    match e {
        qamqor_core::Error::Invalid { field, message, .. } => AppError::invalid(field, message),
        other => AppError::internal(anyhow::anyhow!(other.to_string())),
    }
}

fn catalogue() -> AppResult<&'static competency::Catalogue> {
    competency::catalogue().map_err(|e| AppError::internal(anyhow::anyhow!(e.to_string())))
}

/// One skill with the person's and the manager's scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SkillView {
    pub skill_id: String,
    pub name: String,
    /// The person's own score, 0-4.
    pub own: Option<u8>,
    /// The manager's score, 0-4, and who gave it.
    pub manager: Option<u8>,
    pub manager_name: Option<String>,
}

/// One labour function of the card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FunctionView {
    pub function_id: String,
    pub name: String,
    pub mandatory: bool,
    /// Mean of the rated skills (the manager's score first), two decimals.
    pub score: Option<f64>,
    /// Score of 3 or more.
    pub strong: bool,
    pub skills: Vec<SkillView>,
}

/// A person's profile against their card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompetencyView {
    pub person_id: Uuid,
    pub card_id: String,
    pub card_name: String,
    pub occupation_code: Option<String>,
    pub level: u8,
    pub assigned_by: String,
    pub assigned_at: String,
    pub functions: Vec<FunctionView>,
}

/// A person's assignment and scores, from their records.
#[derive(Default)]
struct Held {
    assignment: Option<CompetencyAssignmentPayload>,
    own: HashMap<String, u8>,
    manager: HashMap<String, (u8, Option<String>)>,
}

fn held_by_person(records: Vec<PersonRecord>) -> HashMap<Uuid, Held> {
    let mut out: HashMap<Uuid, Held> = HashMap::new();
    for r in records {
        let h = out.entry(r.user_id).or_default();
        match r.entity {
            Entity::CompetencyAssignment => h.assignment = serde_json::from_value(r.payload).ok(),
            Entity::SkillRating => {
                if let Ok(p) = serde_json::from_value::<SkillRatingPayload>(r.payload) {
                    h.own.insert(p.skill_id, p.score);
                }
            }
            Entity::ManagerSkillRating => {
                if let Ok(p) = serde_json::from_value::<SkillRatingPayload>(r.payload) {
                    h.manager.insert(p.skill_id, (p.score, p.rated_by));
                }
            }
            _ => {}
        }
    }
    out
}

const KINDS: [Entity; 3] = [Entity::CompetencyAssignment, Entity::SkillRating, Entity::ManagerSkillRating];

fn functions_of(card: &ProfessionCard, h: &Held) -> Vec<FunctionView> {
    card.labour_functions()
        .map(|(f, kind)| {
            let skills: Vec<SkillView> = f
                .skills
                .iter()
                .map(|s| SkillView {
                    skill_id: s.id.clone(),
                    name: s.name.clone(),
                    own: h.own.get(&s.id).copied(),
                    manager: h.manager.get(&s.id).map(|m| m.0),
                    manager_name: h.manager.get(&s.id).and_then(|m| m.1.clone()),
                })
                .collect();
            let score = competency::function_score(skills.iter().map(|s| competency::effective(s.own, s.manager)));
            FunctionView {
                function_id: f.id.clone(),
                name: f.name.clone(),
                mandatory: kind == FunctionKind::Mandatory,
                score,
                strong: competency::is_strong(score),
                skills,
            }
        })
        .collect()
}

pub async fn profile(state: &AppState, ctx: &Ctx, person: Uuid) -> AppResult<Option<(CompetencyView, &'static ProfessionCard)>> {
    let records = state.store.ratings().records_of(ctx.org_id(), None, Some(person), KINDS.to_vec()).await?;
    let held = held_by_person(records).remove(&person).unwrap_or_default();
    let Some(a) = &held.assignment else { return Ok(None) };
    let Some(card) = catalogue()?.card(&a.card_id) else { return Ok(None) };
    Ok(Some((
        CompetencyView {
            person_id: person,
            card_id: card.id.clone(),
            card_name: card.name.clone(),
            occupation_code: card.occupation_code.clone(),
            level: a.level,
            assigned_by: a.assigned_by.clone(),
            assigned_at: rfc3339(a.assigned_at),
            functions: functions_of(card, &held),
        },
        card,
    )))
}

fn not_assigned() -> AppError {
    AppError::not_found(code::COMPETENCY_NOT_ASSIGNED, "no profession card is assigned to this person")
}

/// A person's card, labour functions and skill scores.
#[utoipa::path(get, path = "/api/v1/admin/people/{id}/competency", tag = "competencies",
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile against the card", body = CompetencyView),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; outside a manager's subtree", body = ErrorBodyDoc),
        (status = 404, description = "Unknown person (`user_not_found`); no card assigned (`competency_not_assigned`)", body = ErrorBodyDoc)))]
pub async fn get_competency(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> AppResult<Json<CompetencyView>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let person = person_in_reach(&state, &ctx, path_id(&id, user_not_found)?).await?;
    profile(&state, &ctx, person.id).await?.map(|(v, _)| Json(v)).ok_or_else(not_assigned)
}

/// `PUT /api/v1/admin/people/{id}/competency`: a card by id, or by occupation code and level.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssignCompetency {
    /// The card's id in the catalogue (`J62011053/7`).
    pub card_id: Option<String>,
    /// Or the occupation code (`2511-1-005`) with `level`.
    pub occupation_code: Option<String>,
    /// The qualification level, 1-8 (with a card id it must be the card's).
    pub level: Option<u8>,
}

/// Assigns a person a profession card and level (admins); their phone pulls it.
#[utoipa::path(put, path = "/api/v1/admin/people/{id}/competency", tag = "competencies", request_body = AssignCompetency,
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile against the new card", body = CompetencyView),
        (status = 400, description = "Malformed JSON", body = ErrorBodyDoc),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Not an admin", body = ErrorBodyDoc),
        (status = 404, description = "Unknown person", body = ErrorBodyDoc),
        (status = 422, description = "Unknown card (`card_id`, `occupation_code`), a level that is not the card's (`level`)", body = ErrorBodyDoc)))]
pub async fn assign_competency(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<AssignCompetency>,
) -> AppResult<Json<CompetencyView>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    assign(&state, &ctx, path_id(&id, user_not_found)?, &req).await.map(Json)
}

/// The assignment of `PUT /api/v1/admin/people/{id}/competency` by the caller of `ctx`: checked,
/// written with its audit entry, and answered as the endpoint does (also what the demo's
/// simulated admin does).
pub async fn assign(state: &AppState, ctx: &Ctx, id: Uuid, req: &AssignCompetency) -> AppResult<CompetencyView> {
    ctx.require_admin("assign profession cards")?;
    let person = person_in_reach(state, ctx, id).await?;
    let card = competency::resolve_card(catalogue()?, req.card_id.as_deref().map(str::trim), req.occupation_code.as_deref().map(str::trim), req.level)
        .map_err(invalid)?;
    let level = card.level.or(req.level).ok_or_else(|| AppError::invalid("level", format!("the card {} has no level: give it", card.id)))?;
    let payload = CompetencyAssignmentPayload { card_id: card.id.clone(), level, assigned_by: ctx.name.clone(), assigned_at: ctx.now };
    let change = crate::sync::server_change(Entity::CompetencyAssignment, COMPETENCY_RECORD_ID, serde_json::to_value(&payload).map_err(AppError::internal)?, ctx.now);
    let audit = ctx.audit("competency.assign", "person", Some(person.id.to_string()), json!({"card_id": card.id, "card": card.name, "level": level}));
    match state.store.ratings().write_person_record(ctx.org_id(), person.id, ctx.caller.user_id, change, audit, ctx.now).await? {
        ServerWriteOutcome::Written(_) => {}
        _ => return Err(user_not_found()),
    }
    profile(state, ctx, person.id).await?.map(|(v, _)| v).ok_or_else(not_assigned)
}

/// `PUT /api/v1/admin/people/{id}/skills/{skill_id}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RateSkill {
    /// 0 no experience yet, 1 learning, 2 independent, 3 strong, 4 expert.
    pub score: u8,
}

/// The manager's score of one skill of the person's card (managers of their subtree, admins; not
/// oneself); it reaches the person's phone and counts before their own.
#[utoipa::path(put, path = "/api/v1/admin/people/{id}/skills/{skill_id}", tag = "competencies", request_body = RateSkill,
    params(("id" = uuid::Uuid, Path, description = "Person id"), ("skill_id" = String, Path, description = "Skill id, URL-encoded (`J62011053%2F7%2Ff1%2Fs2`)")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile with the new score", body = CompetencyView),
        (status = 400, description = "Malformed JSON", body = ErrorBodyDoc),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; outside a manager's subtree; oneself", body = ErrorBodyDoc),
        (status = 404, description = "Unknown person; no card assigned (`competency_not_assigned`)", body = ErrorBodyDoc),
        (status = 422, description = "Score out of 0-4 (`score`); not a skill of the person's card (`skill_id`)", body = ErrorBodyDoc)))]
pub async fn rate_skill(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path((id, skill_id)): Path<(String, String)>,
    ApiJson(req): ApiJson<RateSkill>,
) -> AppResult<Json<CompetencyView>> {
    let ctx = Ctx::of(&state, user, addr).await?;
    rate(&state, &ctx, path_id(&id, user_not_found)?, &skill_id, &req).await.map(Json)
}

/// The manager's score of `PUT /api/v1/admin/people/{id}/skills/{skill_id}` by the caller of
/// `ctx`: checked, written with its audit entry, and answered as the endpoint does (also what the
/// demo's simulated managers do).
pub async fn rate(state: &AppState, ctx: &Ctx, id: Uuid, skill_id: &str, req: &RateSkill) -> AppResult<CompetencyView> {
    let person = person_in_reach(state, ctx, id).await?;
    if person.id == ctx.caller.user_id {
        return Err(AppError::forbidden("rate your own skills on your phone").with_field("id"));
    }
    competency::validate_score("score", req.score).map_err(invalid)?;
    let (_, card) = profile(state, ctx, person.id).await?.ok_or_else(not_assigned)?;
    competency::skill_of(card, skill_id).map_err(invalid)?;
    let payload = SkillRatingPayload { skill_id: skill_id.to_string(), score: req.score, rated_at: ctx.now, rated_by: Some(ctx.name.clone()) };
    let change = crate::sync::server_change(Entity::ManagerSkillRating, skill_id, serde_json::to_value(&payload).map_err(AppError::internal)?, ctx.now);
    let audit = ctx.audit("competency.rate", "person", Some(person.id.to_string()), json!({"skill_id": skill_id, "score": req.score}));
    state.store.ratings().write_person_record(ctx.org_id(), person.id, ctx.caller.user_id, change, audit, ctx.now).await?;
    profile(state, ctx, person.id).await?.map(|(v, _)| v).ok_or_else(not_assigned)
}

/// `?department_id=&format=` of the coverage.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// The people of this department's subtree (default: everyone in reach).
    pub department_id: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
}

/// One labour function across the people whose card has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FunctionCoverage {
    pub function_id: String,
    pub function: String,
    pub card_id: String,
    pub card: String,
    pub mandatory: bool,
    /// People assigned a card with this function.
    pub people: u32,
    /// Of them, with at least one rated skill of the function.
    pub rated: u32,
    /// Of them, strong (function score 3 or more), by name.
    pub strong: u32,
    pub strong_people: Vec<String>,
    /// Mean function score of the rated people, two decimals.
    pub average: Option<f64>,
    /// Nobody assigned is strong in it.
    pub gap: bool,
}

/// Coverage of the labour functions of the people in reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Coverage {
    pub department_id: Option<Uuid>,
    /// Active people in reach, and how many have a card.
    pub people: u32,
    pub assigned: u32,
    /// Gaps first, then by card and function.
    pub functions: Vec<FunctionCoverage>,
}

/// Per labour function, who is strong and where the gaps are, over a department's subtree (or
/// everything in reach).
#[utoipa::path(get, path = "/api/v1/admin/competencies/coverage", tag = "competencies", params(CoverageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The coverage (or a CSV/xlsx download with `format`)", body = Coverage),
        (status = 401, description = "Not signed in", body = ErrorBodyDoc),
        (status = 403, description = "Employees; a department outside a manager's subtree", body = ErrorBodyDoc),
        (status = 404, description = "Unknown department", body = ErrorBodyDoc),
        (status = 422, description = "Invalid format", body = ErrorBodyDoc)))]
pub async fn coverage(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiQuery(q): ApiQuery<CoverageQuery>,
) -> AppResult<Response> {
    let ctx = Ctx::of(&state, user, addr).await?;
    let format = Format::parse(q.format.as_deref())?;
    let body = coverage_of(&state, &ctx, &q).await?;
    ctx.answer(&state, format, body, coverage_table).await
}

/// The coverage of the labour functions of the people in reach (see [`coverage`]).
pub async fn coverage_of(state: &AppState, ctx: &Ctx, q: &CoverageQuery) -> AppResult<Coverage> {
    let department = match q.department_id.as_deref() {
        None => None,
        Some(raw) => {
            let id = raw.parse().map_err(|_| super::department_not_found("department_id"))?;
            department_in_reach(state, ctx, id, "department_id").await?;
            Some(id)
        }
    };
    let subtree: Option<HashSet<Uuid>> = match department {
        None => None,
        Some(d) => Some(subtree_ids(&state.store.admin().departments(ctx.org_id()).await?, d).into_iter().collect()),
    };
    let people: Vec<_> = state
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
        .items
        .into_iter()
        .filter(|p| subtree.as_ref().is_none_or(|s| p.department_id.is_some_and(|d| s.contains(&d))))
        .collect();
    let held = held_by_person(state.store.ratings().records_of(ctx.org_id(), ctx.within, None, KINDS.to_vec()).await?);
    let cat = catalogue()?;
    // Function id -> (coverage so far, function scores of the rated).
    let mut rows: BTreeMap<(String, usize), (FunctionCoverage, Vec<f64>)> = BTreeMap::new();
    let mut assigned = 0;
    for p in &people {
        let Some(h) = held.get(&p.id) else { continue };
        let Some(card) = h.assignment.as_ref().and_then(|a| cat.card(&a.card_id)) else { continue };
        assigned += 1;
        for (i, f) in functions_of(card, h).into_iter().enumerate() {
            let (row, scores) = rows.entry((card.id.clone(), i)).or_insert_with(|| {
                (
                    FunctionCoverage {
                        function_id: f.function_id.clone(),
                        function: f.name.clone(),
                        card_id: card.id.clone(),
                        card: card.name.clone(),
                        mandatory: f.mandatory,
                        people: 0,
                        rated: 0,
                        strong: 0,
                        strong_people: Vec::new(),
                        average: None,
                        gap: true,
                    },
                    Vec::new(),
                )
            });
            row.people += 1;
            if let Some(s) = f.score {
                row.rated += 1;
                scores.push(s);
            }
            if f.strong {
                row.strong += 1;
                row.strong_people.push(p.name.clone());
            }
        }
    }
    let mut functions: Vec<FunctionCoverage> = rows
        .into_values()
        .map(|(mut row, scores)| {
            row.average = (!scores.is_empty()).then(|| qamqor_core::rating::round2(scores.iter().sum::<f64>() / scores.len() as f64));
            row.gap = row.strong == 0;
            row
        })
        .collect();
    functions.sort_by_key(|f| !f.gap);
    Ok(Coverage { department_id: department, people: people.len() as u32, assigned, functions })
}

/// The coverage download.
pub fn coverage_table(body: &Coverage) -> Table {
    let mut t = Table::new(
        "competency-coverage",
        vec!["card", "function", "mandatory", "people", "rated", "strong", "strong_people", "average", "gap"],
    );
    for f in &body.functions {
        t.push(vec![
            f.card.clone().into(),
            f.function.clone().into(),
            (if f.mandatory { "yes" } else { "no" }).into(),
            f.people.into(),
            f.rated.into(),
            f.strong.into(),
            f.strong_people.join(", ").into(),
            f.average.into(),
            (if f.gap { "yes" } else { "no" }).into(),
        ]);
    }
    t
}
