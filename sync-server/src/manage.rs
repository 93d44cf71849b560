//! What managers and admins write for others: tasks assigned to a person and feedback for
//! them (in the caller's scope), and, for admins, the organisation's settings and risk-model
//! updates. Each write is a server change ([`sync::server_change`]) stored through
//! [`Store::write_server_record`](crate::store::Store::write_server_record), so it reaches the
//! devices by pull like any other change, and wins over the state it replaces.
//!
//! Scope: an admin addresses anyone in their organisation; a manager, the people whose
//! department is the manager's own or lies below it; an employee, nobody (403). A person who
//! does not exist or belongs to another organisation is `404 user_not_found`, so ids of other
//! organisations are never confirmed.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use qamqor_protocol::{
    Entity, FeedbackPayload, OrgSettingsPayload, PrivacyPolicy, RiskModelPayload, Role, MIN_GROUP_SIZE, ORG_SETTINGS_RECORD_ID,
};
use qamqor_risk_model::Model;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::error::{code, AppError, AppResult};
use crate::extract::parse_json;
use crate::store::{Member, Millis, RecordOwner, ServerWrite, ServerWriteOutcome, StoreError};
use crate::sync;
use crate::AppState;

/// Longest task title, in characters (as the device core).
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest task notes or feedback message, in characters (as the device core).
pub const MAX_NOTE_CHARS: usize = 2000;
/// Longest task estimate, in minutes: a month of full days (as the device core).
pub const MAX_ESTIMATE_MINUTES: u32 = 31 * 24 * 60;
/// Due dates are accepted within these years (as the device core).
pub const DUE_DATE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// The largest `min_group_size` an organisation may set.
pub const MAX_GROUP_SIZE: u32 = 1000;

// ---- request and answer bodies -----------------------------------------------------------

/// `POST /api/v1/tasks`: a task for one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateTaskRequest {
    pub user_id: Uuid,
    pub title: String,
    #[serde(default)]
    pub notes: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due_date: Option<String>,
    #[serde(default)]
    pub estimate_minutes: Option<u32>,
}

/// Answer to `POST /api/v1/tasks`: the new task's id (its record id and payload `id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedTask {
    pub task_id: Uuid,
}

/// `POST /api/v1/feedback`: a message for one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateFeedbackRequest {
    pub user_id: Uuid,
    pub message: String,
}

/// Answer to `POST /api/v1/feedback`: the feedback record's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedFeedback {
    pub feedback_id: Uuid,
}

/// `PUT /api/v1/settings` (admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateSettingsRequest {
    pub privacy_policy: PrivacyPolicy,
    pub min_group_size: u32,
}

/// Answer to `POST /api/v1/risk-models`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedModel {
    pub version: String,
}

/// The payload of an assigned task: exactly the device core's `Task` (`core/src/model.rs`),
/// whose serde form is what devices read and write.
#[derive(Debug, Clone, Serialize)]
struct TaskPayload {
    id: String,
    title: String,
    notes: Option<String>,
    due_date: Option<NaiveDate>,
    estimate_minutes: Option<u32>,
    /// The core's `TaskStatus` (`todo`, `in_progress`, `done`, `cancelled`); a new task is `todo`.
    status: &'static str,
    assigned_by: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    completed_at: Option<DateTime<Utc>>,
}

// ---- input rules ---------------------------------------------------------------------------

/// Trimmed text of 1 to `max` characters without NUL (the core's rule for required text).
fn required_text(field: &str, raw: &str, max: usize) -> AppResult<String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, "must not be empty"));
    }
    check_text(field, text, max)?;
    Ok(text.to_string())
}

/// Optional text: blank is absent (the core's rule for optional text).
fn optional_text(field: &str, raw: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => check_text(field, text, max).map(|()| Some(text.to_string())),
    }
}

fn check_text(field: &str, text: &str, max: usize) -> AppResult<()> {
    let n = text.chars().count();
    if n > max {
        return Err(AppError::invalid(field, format!("{n} characters; at most {max} allowed")));
    }
    if text.contains('\0') {
        return Err(AppError::invalid(field, "contains a NUL character"));
    }
    Ok(())
}

/// A `YYYY-MM-DD` date within [`DUE_DATE_YEARS`].
fn due_date(raw: Option<&str>) -> AppResult<Option<NaiveDate>> {
    let Some(raw) = raw.map(str::trim) else {
        return Ok(None);
    };
    let date = if sync::is_iso_date(raw) { NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok() } else { None };
    let Some(date) = date else {
        return Err(AppError::invalid("due_date", format!("'{raw}' is not a date: expected YYYY-MM-DD")));
    };
    if !DUE_DATE_YEARS.contains(&date.year()) {
        return Err(AppError::invalid(
            "due_date",
            format!("the year must be {} to {}, got {}", DUE_DATE_YEARS.start(), DUE_DATE_YEARS.end(), date.year()),
        ));
    }
    Ok(Some(date))
}

fn estimate(minutes: Option<u32>) -> AppResult<Option<u32>> {
    match minutes {
        Some(m) if !(1..=MAX_ESTIMATE_MINUTES).contains(&m) => {
            Err(AppError::invalid("estimate_minutes", format!("must be 1 to {MAX_ESTIMATE_MINUTES}, got {m}")))
        }
        m => Ok(m),
    }
}

fn instant(now: Millis) -> AppResult<DateTime<Utc>> {
    DateTime::from_timestamp_millis(now).ok_or_else(|| AppError::internal(anyhow::anyhow!("the clock reads {now} ms")))
}

// ---- scope ---------------------------------------------------------------------------------

fn user_not_found() -> AppError {
    AppError::not_found(code::USER_NOT_FOUND, "no such person in your organisation").with_field("user_id")
}

/// The caller and the person they address, if the caller may address them (see the module
/// documentation).
async fn addressee(state: &AppState, caller: &AuthUser, user_id: Uuid) -> AppResult<(Member, Member)> {
    if caller.role == Role::Employee {
        return Err(AppError::forbidden("only managers and admins can assign tasks and send feedback"));
    }
    let target = state.store.member(user_id).await?.filter(|m| m.org_id == caller.org_id).ok_or_else(user_not_found)?;
    let Some(me) = state.store.member(caller.user_id).await? else {
        return Err(AppError::unauthorized("the account of this session no longer exists"));
    };
    if caller.role == Role::Manager {
        let within = match (me.department_id, target.department_id) {
            (Some(mine), Some(theirs)) => state.store.department_within(theirs, mine).await?,
            _ => false,
        };
        if !within {
            return Err(AppError::forbidden(
                "managers can address the people of their own department and the departments below it only",
            )
            .with_field("user_id"));
        }
    }
    Ok((me, target))
}

fn require_admin(caller: &AuthUser, what: &str) -> AppResult<()> {
    if caller.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::forbidden(format!("only admins can {what}")))
    }
}

/// Stores a server write; `NoSuchUser` (the person vanished meanwhile) is a 404.
async fn write(state: &AppState, w: ServerWrite) -> AppResult<ServerWriteOutcome> {
    match state.store.write_server_record(w).await? {
        ServerWriteOutcome::NoSuchUser => Err(user_not_found()),
        outcome => Ok(outcome),
    }
}

fn to_payload<T: Serialize>(value: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(value).map_err(AppError::internal)
}

// ---- services ------------------------------------------------------------------------------

/// `POST /tasks`: a `todo` task on the person's list, assigned by the caller.
pub async fn create_task(state: &AppState, caller: &AuthUser, req: CreateTaskRequest) -> AppResult<CreatedTask> {
    if caller.role == Role::Employee {
        return Err(AppError::forbidden("only managers and admins can assign tasks"));
    }
    let title = required_text("title", &req.title, MAX_TITLE_CHARS)?;
    let notes = optional_text("notes", req.notes.as_deref(), MAX_NOTE_CHARS)?;
    let due_date = due_date(req.due_date.as_deref())?;
    let estimate_minutes = estimate(req.estimate_minutes)?;
    let (me, target) = addressee(state, caller, req.user_id).await?;
    let now = state.clock.now_millis();
    let at = instant(now)?;
    let task_id = Uuid::now_v7();
    let payload = TaskPayload {
        id: task_id.to_string(),
        title,
        notes,
        due_date,
        estimate_minutes,
        status: "todo",
        assigned_by: Some(me.name),
        created_at: at,
        updated_at: at,
        completed_at: None,
    };
    let change = sync::server_change(Entity::Task, &payload.id, to_payload(&payload)?, now);
    let w = ServerWrite {
        org_id: caller.org_id,
        owner: RecordOwner::User(target.id),
        author_id: Some(me.id),
        change,
        create_only: true,
        now,
    };
    match write(state, w).await? {
        ServerWriteOutcome::Written(_) => Ok(CreatedTask { task_id }),
        other => Err(AppError::internal(anyhow::anyhow!("a new task id was already taken: {other:?}"))),
    }
}

/// `POST /feedback`: a message from the caller to the person.
pub async fn create_feedback(state: &AppState, caller: &AuthUser, req: CreateFeedbackRequest) -> AppResult<CreatedFeedback> {
    if caller.role == Role::Employee {
        return Err(AppError::forbidden("only managers and admins can send feedback"));
    }
    let message = required_text("message", &req.message, MAX_NOTE_CHARS)?;
    let (me, target) = addressee(state, caller, req.user_id).await?;
    let now = state.clock.now_millis();
    let feedback_id = Uuid::now_v7();
    let payload = FeedbackPayload { from_name: me.name, message, sent_at: now };
    let change = sync::server_change(Entity::Feedback, &feedback_id.to_string(), to_payload(&payload)?, now);
    let w = ServerWrite {
        org_id: caller.org_id,
        owner: RecordOwner::User(target.id),
        author_id: Some(me.id),
        change,
        create_only: true,
        now,
    };
    match write(state, w).await? {
        ServerWriteOutcome::Written(_) => Ok(CreatedFeedback { feedback_id }),
        other => Err(AppError::internal(anyhow::anyhow!("a new feedback id was already taken: {other:?}"))),
    }
}

/// `GET /settings`: the caller's organisation's settings.
pub async fn settings(state: &AppState, caller: &AuthUser) -> AppResult<OrgSettingsPayload> {
    let record = state.store.org_record(caller.org_id, Entity::OrgSettings, ORG_SETTINGS_RECORD_ID).await?;
    // Every organisation has its settings record from its creation (or migration 2) on.
    let Some(record) = record else {
        return Err(StoreError::Corrupt(format!("organisation {} has no settings record", caller.org_id)).into());
    };
    serde_json::from_value(record.payload)
        .map_err(|e| StoreError::Corrupt(format!("settings of organisation {}: {e}", caller.org_id)).into())
}

/// `PUT /settings` (admins): replaces the privacy policy and minimum group size; the record
/// gets a new sequence number, so every member pulls it again.
pub async fn update_settings(state: &AppState, caller: &AuthUser, req: UpdateSettingsRequest) -> AppResult<OrgSettingsPayload> {
    require_admin(caller, "change the organisation's settings")?;
    if !(MIN_GROUP_SIZE..=MAX_GROUP_SIZE).contains(&req.min_group_size) {
        return Err(AppError::invalid(
            "min_group_size",
            format!(
                "must be {MIN_GROUP_SIZE} to {MAX_GROUP_SIZE}, got {}: smaller groups would let people be singled out",
                req.min_group_size
            ),
        ));
    }
    let current = settings(state, caller).await?;
    let next = OrgSettingsPayload {
        organisation: current.organisation,
        privacy_policy: req.privacy_policy,
        min_group_size: req.min_group_size,
    };
    let now = state.clock.now_millis();
    let change = sync::server_change(Entity::OrgSettings, ORG_SETTINGS_RECORD_ID, to_payload(&next)?, now);
    let w = ServerWrite {
        org_id: caller.org_id,
        owner: RecordOwner::Org,
        author_id: Some(caller.user_id),
        change,
        create_only: false,
        now,
    };
    write(state, w).await?;
    Ok(next)
}

/// `POST /risk-models` (admins): publishes a model artifact to every member's devices after
/// validating it exactly as a device will (`Model::from_artifact`). A version is published
/// once.
pub async fn publish_model(state: &AppState, caller: &AuthUser, body: &[u8]) -> AppResult<PublishedModel> {
    require_admin(caller, "publish risk models")?;
    let artifact: serde_json::Value = parse_json(body)?;
    let model = Model::from_artifact(body)
        .map_err(|e| AppError::unprocessable(code::INVALID_ARTIFACT, format!("the model artifact is not valid: {e}")))?;
    let version = model.version().to_string();
    let payload = RiskModelPayload { version: version.clone(), artifact };
    let now = state.clock.now_millis();
    let change = sync::server_change(Entity::RiskModel, &version, to_payload(&payload)?, now);
    let w = ServerWrite {
        org_id: caller.org_id,
        owner: RecordOwner::Org,
        author_id: Some(caller.user_id),
        change,
        create_only: true,
        now,
    };
    match write(state, w).await? {
        ServerWriteOutcome::Exists => Err(AppError::conflict(
            code::MODEL_VERSION_EXISTS,
            format!("model version {version} is already published: publish a newer version"),
        )
        .with_field("model_version")),
        _ => Ok(PublishedModel { version }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_fields_follow_the_core_rules() {
        assert_eq!(required_text("title", "  Report  ", MAX_TITLE_CHARS).unwrap(), "Report");
        assert!(required_text("title", " \t ", MAX_TITLE_CHARS).is_err());
        assert!(required_text("title", &"ж".repeat(MAX_TITLE_CHARS), MAX_TITLE_CHARS).is_ok());
        assert!(required_text("title", &"x".repeat(MAX_TITLE_CHARS + 1), MAX_TITLE_CHARS).is_err());
        assert!(required_text("title", "a\0b", MAX_TITLE_CHARS).is_err());
        assert_eq!(optional_text("notes", Some("   "), MAX_NOTE_CHARS).unwrap(), None);
        assert_eq!(due_date(Some("2025-02-28")).unwrap(), NaiveDate::from_ymd_opt(2025, 2, 28));
        for bad in ["2025-02-30", "2025-2-3", "28.02.2025", "1999-12-31", "2101-01-01", ""] {
            let e = due_date(Some(bad)).unwrap_err();
            assert_eq!(e.message().1, Some("due_date"), "{bad}");
        }
        assert!(estimate(Some(0)).is_err());
        assert!(estimate(Some(MAX_ESTIMATE_MINUTES + 1)).is_err());
        assert_eq!(estimate(Some(30)).unwrap(), Some(30));
    }

    #[test]
    fn a_task_payload_has_the_core_shape() {
        let at = instant(1_735_689_600_123).unwrap();
        let p = TaskPayload {
            id: "t".into(),
            title: "x".into(),
            notes: None,
            due_date: NaiveDate::from_ymd_opt(2025, 1, 31),
            estimate_minutes: Some(5),
            status: "todo",
            assigned_by: Some("M".into()),
            created_at: at,
            updated_at: at,
            completed_at: None,
        };
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["due_date"], "2025-01-31");
        assert_eq!(v["created_at"], "2025-01-01T00:00:00.123Z");
        assert!(v["completed_at"].is_null() && v["notes"].is_null());
    }
}
