//! HTTP handlers: parse, call a service or the store, answer. No rules and no SQL here.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use qamqor_protocol::{
    error_code, AuthTokens, CreateInvitationRequest, Invitation, LoginRequest, OrgSettingsPayload, PullResponse, PushRequest,
    PushResponse, RefreshRequest, RegisterRequest, DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT,
};
use serde::Deserialize;

use crate::accounts;
use crate::auth::AuthUser;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, ApiQuery, ClientAddr, JsonBytes};
use crate::manage::{
    self, CreateFeedbackRequest, CreateTaskRequest, CreatedFeedback, CreatedTask, PublishedModel, UpdateSettingsRequest,
};
use crate::admin::log_action;
use crate::store::admin::SyncKind;
use crate::store::{PushOutcome, SyncScope};
use crate::sync::validate_push;
use crate::AppState;

pub async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({"status": "ok"}))
}

pub async fn not_found() -> AppError {
    AppError::not_found(error_code::NOT_FOUND, "no such route")
}

pub async fn method_not_allowed() -> AppError {
    AppError::method_not_allowed()
}

pub async fn login(
    State(state): State<AppState>,
    addr: ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> AppResult<Json<AuthTokens>> {
    accounts::login(&state, req, addr).await.map(Json)
}

pub async fn register(
    State(state): State<AppState>,
    addr: ClientAddr,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> AppResult<(StatusCode, Json<AuthTokens>)> {
    accounts::register(&state, req, addr).await.map(|t| (StatusCode::CREATED, Json(t)))
}

pub async fn refresh(State(state): State<AppState>, ApiJson(req): ApiJson<RefreshRequest>) -> AppResult<Json<AuthTokens>> {
    accounts::refresh(&state, req).await.map(Json)
}

pub async fn logout(State(state): State<AppState>, user: AuthUser) -> AppResult<StatusCode> {
    accounts::logout(&state, &user).await.map(|()| StatusCode::NO_CONTENT)
}

pub async fn revoke_device(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    accounts::revoke_device(&state, &user, &id).await?;
    log_action(&state, &user, &addr, "device.revoke", ("device", Some(id)), serde_json::json!({})).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn create_invitation(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiJson(req): ApiJson<CreateInvitationRequest>,
) -> AppResult<(StatusCode, Json<Invitation>)> {
    let invitation = accounts::create_invitation(&state, &user, req).await?;
    let details = serde_json::json!({"email": invitation.email, "role": invitation.role, "department": invitation.department});
    log_action(&state, &user, &addr, "invitation.create", ("invitation", None), details).await?;
    Ok((StatusCode::CREATED, Json(invitation)))
}

/// Counts a push or pull for the activity statistics. A failure here is logged and does not
/// fail the sync: the changes are already committed (push) or read (pull).
async fn log_sync(state: &AppState, user: &AuthUser, kind: SyncKind) {
    let at = state.clock.now_millis();
    if let Err(e) = state.store.admin().log_sync(user.org_id, user.user_id, user.device_id, kind, at).await {
        tracing::warn!(error = %e, "could not count a sync");
    }
}

fn scope(user: &AuthUser) -> SyncScope {
    SyncScope { org_id: user.org_id, user_id: user.user_id, device_id: user.device_id }
}

pub async fn push(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<PushRequest>,
) -> AppResult<Json<PushResponse>> {
    validate_push(&req.changes, state.clock.now_millis())?;
    match state.store.push(scope(&user), req.changes, state.clock.now_millis()).await? {
        PushOutcome::Acked(acked) => {
            log_sync(&state, &user, SyncKind::Push).await;
            Ok(Json(PushResponse { acked }))
        }
        PushOutcome::Conflict { index } => Err(AppError::conflict(
            error_code::CHANGE_ID_CONFLICT,
            "this change id is already held with different content: a change id must be unique",
        )
        .with_field(format!("changes[{index}].id"))),
    }
}

/// Query of `GET /sync/pull`.
#[derive(Debug, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    since: u64,
    limit: Option<u32>,
}

pub async fn pull(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(q): ApiQuery<PullQuery>,
) -> AppResult<Json<PullResponse>> {
    let limit = q.limit.unwrap_or(DEFAULT_PULL_LIMIT);
    if !(1..=MAX_PULL_LIMIT).contains(&limit) {
        return Err(AppError::invalid("limit", format!("limit is between 1 and {MAX_PULL_LIMIT}")));
    }
    let page = state.store.pull(scope(&user), q.since, limit).await?;
    log_sync(&state, &user, SyncKind::Pull).await;
    Ok(Json(PullResponse { changes: page.changes, next: page.next, has_more: page.has_more }))
}

pub async fn create_task(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiJson(req): ApiJson<CreateTaskRequest>,
) -> AppResult<(StatusCode, Json<CreatedTask>)> {
    let (person, title) = (req.user_id, req.title.clone());
    let task = manage::create_task(&state, &user, req).await?;
    let details = serde_json::json!({"task_id": task.task_id, "title": title.trim()});
    log_action(&state, &user, &addr, "task.assign", ("person", Some(person.to_string())), details).await?;
    Ok((StatusCode::CREATED, Json(task)))
}

pub async fn create_feedback(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiJson(req): ApiJson<CreateFeedbackRequest>,
) -> AppResult<(StatusCode, Json<CreatedFeedback>)> {
    let person = req.user_id;
    let feedback = manage::create_feedback(&state, &user, req).await?;
    let details = serde_json::json!({"feedback_id": feedback.feedback_id});
    log_action(&state, &user, &addr, "feedback.send", ("person", Some(person.to_string())), details).await?;
    Ok((StatusCode::CREATED, Json(feedback)))
}

pub async fn get_settings(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<OrgSettingsPayload>> {
    manage::settings(&state, &user).await.map(Json)
}

pub async fn put_settings(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    ApiJson(req): ApiJson<UpdateSettingsRequest>,
) -> AppResult<Json<OrgSettingsPayload>> {
    let settings = manage::update_settings(&state, &user, req).await?;
    let details = serde_json::json!({"privacy_policy": settings.privacy_policy, "min_group_size": settings.min_group_size});
    log_action(&state, &user, &addr, "settings.update", ("organisation", Some(user.org_id.to_string())), details).await?;
    Ok(Json(settings))
}

pub async fn publish_model(
    State(state): State<AppState>,
    user: AuthUser,
    addr: ClientAddr,
    JsonBytes(body): JsonBytes,
) -> AppResult<(StatusCode, Json<PublishedModel>)> {
    let model = manage::publish_model(&state, &user, &body).await?;
    log_action(&state, &user, &addr, "risk_model.publish", ("risk_model", Some(model.version.clone())), serde_json::json!({}))
        .await?;
    Ok((StatusCode::CREATED, Json(model)))
}
