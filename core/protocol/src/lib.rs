//! Wire types of the Qamqor sync protocol.
//!
//! Both the device core and the sync server compile this crate, so the two can never disagree
//! about the format. It is serde-only on purpose: the server does not need SQLite, ndarray or
//! UniFFI to speak the protocol. `docs/SYNC_PROTOCOL.md` is the specification.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Version of the wire format. Every request carries it; a server that does not support it
/// answers with an explicit "update the app" error instead of misreading the data.
pub const PROTOCOL_VERSION: u32 = 1;

/// The kinds of record a change can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// The employee's profile (mutable, last-writer-wins).
    Profile,
    /// A work session (append-only fact; may be deleted by a tombstone).
    WorkSession,
    /// A task (mutable, last-writer-wins).
    Task,
    /// A daily check-in (append-only fact).
    CheckIn,
    /// A Copenhagen Burnout Inventory response (append-only fact).
    CbiResponse,
    /// A day the app was opened (append-only fact, counted per day).
    AppOpen,
    /// The day's burnout-risk assessment the device shares under the organisation's privacy
    /// policy (record id: the local date; mutable, last-writer-wins).
    RiskAssessment,
    /// A manager's message to one person ([`FeedbackPayload`]; written by the server only).
    Feedback,
    /// The organisation's settings the phone shows and obeys ([`OrgSettingsPayload`], record id
    /// [`ORG_SETTINGS_RECORD_ID`]; written by the server only, visible to every member).
    OrgSettings,
    /// A burnout-risk model update ([`RiskModelPayload`], record id: the model version; written
    /// by the server only, visible to every member).
    RiskModel,
    /// An achievement the employee recorded ([`AchievementPayload`], record id: its UUIDv7;
    /// append-only fact, deletable while it waits for review).
    Achievement,
    /// A manager's verdict on one achievement ([`AchievementReviewPayload`], record id: the
    /// achievement's id; written by the server only, pulled by the achievement's owner).
    AchievementReview,
    /// The organisation's catalogue of achievement categories and types and its rating method
    /// ([`RatingCataloguePayload`], record id [`RATING_CATALOGUE_RECORD_ID`]; written by the
    /// server only, visible to every member).
    RatingCatalogue,
    /// The profession card and level an admin assigned to one person
    /// ([`CompetencyAssignmentPayload`], record id [`COMPETENCY_RECORD_ID`]; written by the server
    /// only, pulled by that person).
    CompetencyAssignment,
    /// The person's own rating of one skill of their card ([`SkillRatingPayload`], record id: the
    /// skill id; mutable, last-writer-wins).
    SkillRating,
    /// Their manager's rating of one skill ([`SkillRatingPayload`] with `rated_by`, record id: the
    /// skill id; written by the server only, pulled by the person rated).
    ManagerSkillRating,
    /// The person's request to delete their account and data ([`DeletionRequestPayload`],
    /// record id: the request's UUID; an append-only fact written by the device, never deleted
    /// by it; visible to the person's devices and, through the admin API, to admins).
    DeletionRequest,
}

/// Every entity, in a stable order.
pub const ALL_ENTITIES: [Entity; 17] = [
    Entity::Profile,
    Entity::WorkSession,
    Entity::Task,
    Entity::CheckIn,
    Entity::CbiResponse,
    Entity::AppOpen,
    Entity::RiskAssessment,
    Entity::Feedback,
    Entity::OrgSettings,
    Entity::RiskModel,
    Entity::Achievement,
    Entity::AchievementReview,
    Entity::RatingCatalogue,
    Entity::CompetencyAssignment,
    Entity::SkillRating,
    Entity::ManagerSkillRating,
    Entity::DeletionRequest,
];

impl Entity {
    /// The stable name used on the wire and in the device's outbox table.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Profile => "profile",
            Entity::WorkSession => "work_session",
            Entity::Task => "task",
            Entity::CheckIn => "check_in",
            Entity::CbiResponse => "cbi_response",
            Entity::AppOpen => "app_open",
            Entity::RiskAssessment => "risk_assessment",
            Entity::Feedback => "feedback",
            Entity::OrgSettings => "org_settings",
            Entity::RiskModel => "risk_model",
            Entity::Achievement => "achievement",
            Entity::AchievementReview => "achievement_review",
            Entity::RatingCatalogue => "rating_catalogue",
            Entity::CompetencyAssignment => "competency_assignment",
            Entity::SkillRating => "skill_rating",
            Entity::ManagerSkillRating => "manager_skill_rating",
            Entity::DeletionRequest => "deletion_request",
        }
    }

    /// Parses the stable wire name back into an entity.
    pub fn parse(name: &str) -> Option<Entity> {
        ALL_ENTITIES.into_iter().find(|e| e.as_str() == name)
    }

    /// Records only the server writes: a device never pushes them, it only pulls them.
    pub fn is_server_written(self) -> bool {
        matches!(
            self,
            Entity::Feedback
                | Entity::OrgSettings
                | Entity::RiskModel
                | Entity::AchievementReview
                | Entity::RatingCatalogue
                | Entity::CompetencyAssignment
                | Entity::ManagerSkillRating
        )
    }

    /// Records shared by the whole organisation rather than owned by one person.
    pub fn is_org_wide(self) -> bool {
        matches!(self, Entity::OrgSettings | Entity::RiskModel | Entity::RatingCatalogue)
    }
}

/// The record id of the single [`Entity::OrgSettings`] record.
pub const ORG_SETTINGS_RECORD_ID: &str = "org";

/// Payload of a [`Entity::Feedback`] record: a manager's message to one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackPayload {
    /// The sender's name, as the person knows them.
    pub from_name: String,
    pub message: String,
    /// When it was sent, in Unix milliseconds.
    pub sent_at: i64,
}

/// The record id of the single [`Entity::RatingCatalogue`] record.
pub const RATING_CATALOGUE_RECORD_ID: &str = "org";

/// How a person's category scores combine into their rating (`docs/RATINGS.md`, after source
/// document 001).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingMethod {
    /// The plain average of the category scores.
    Average,
    /// Each category score weighted by the share of the workload the category takes (weights
    /// in percent, summing to 100).
    Workload,
}

impl RatingMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            RatingMethod::Average => "average",
            RatingMethod::Workload => "workload",
        }
    }

    pub fn parse(name: &str) -> Option<RatingMethod> {
        [RatingMethod::Average, RatingMethod::Workload].into_iter().find(|m| m.as_str() == name)
    }
}

/// A category of achievements (research, professional, methodical, social, organisational...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchievementCategory {
    /// Stable key (`research`); never reused for another category.
    pub id: String,
    pub name: String,
    /// Share of the workload in percent, used by [`RatingMethod::Workload`].
    pub weight_percent: f64,
    /// Retired: no new achievements, and left out of ratings.
    #[serde(default)]
    pub archived: bool,
}

/// A kind of achievement and the points a verified one earns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchievementType {
    /// Stable key (`research.article`); never reused for another type.
    pub id: String,
    pub category_id: String,
    pub name: String,
    pub points: u32,
    /// Retired: no new achievements of this type (verified ones keep their points).
    #[serde(default)]
    pub archived: bool,
}

/// Payload of the [`Entity::RatingCatalogue`] record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingCataloguePayload {
    pub method: RatingMethod,
    pub categories: Vec<AchievementCategory>,
    pub types: Vec<AchievementType>,
}

/// Payload of an [`Entity::Achievement`] record: what the employee recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchievementPayload {
    /// The record id.
    pub id: String,
    pub type_id: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The day it happened, `YYYY-MM-DD`.
    pub achieved_on: String,
    /// When it was recorded, in Unix milliseconds.
    pub recorded_at: i64,
    /// The evidence photo, a metadata-free JPEG in standard base64, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_jpeg: Option<String>,
}

/// A manager's verdict on an achievement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    Verified,
    Rejected,
}

impl ReviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Verified => "verified",
            ReviewStatus::Rejected => "rejected",
        }
    }

    pub fn parse(name: &str) -> Option<ReviewStatus> {
        [ReviewStatus::Verified, ReviewStatus::Rejected].into_iter().find(|s| s.as_str() == name)
    }
}

/// Payload of an [`Entity::AchievementReview`] record. The category and points are those of the
/// achievement's type when it was reviewed: a later change of the catalogue does not move them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchievementReviewPayload {
    pub achievement_id: String,
    pub status: ReviewStatus,
    #[serde(default)]
    pub comment: Option<String>,
    pub reviewer_name: String,
    /// Unix milliseconds.
    pub reviewed_at: i64,
    pub category_id: String,
    /// Points earned (0 when rejected).
    pub points: u32,
}

/// The record id of a person's single [`Entity::CompetencyAssignment`] record.
pub const COMPETENCY_RECORD_ID: &str = "competency";

/// The highest score of the skill scale (`docs/COMPETENCIES.md`): 0 no experience yet, 1 learning
/// (with help), 2 independent, 3 strong, 4 expert (teaches others).
pub const SKILL_SCALE_MAX: u8 = 4;

/// Payload of an [`Entity::CompetencyAssignment`] record: a card of the professional standards
/// catalogue (`qamqor-competencies`) and its qualification level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompetencyAssignmentPayload {
    /// The card's stable id (`J62011053/7`).
    pub card_id: String,
    /// The card's qualification level, 1 to 8.
    pub level: u8,
    /// The admin's name.
    pub assigned_by: String,
    /// Unix milliseconds.
    pub assigned_at: i64,
}

/// Payload of [`Entity::SkillRating`] (the person's own) and [`Entity::ManagerSkillRating`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillRatingPayload {
    /// The skill's stable id (`J62011053/7/f1/s2`), also the record id.
    pub skill_id: String,
    /// 0 to [`SKILL_SCALE_MAX`].
    pub score: u8,
    /// Unix milliseconds.
    pub rated_at: i64,
    /// The manager's name (manager ratings only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rated_by: Option<String>,
}

/// Who may see individual burnout-risk levels (`docs/SYNC_PROTOCOL.md`, DESIGN invariant 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivacyPolicy {
    /// A manager sees the level and factors of each person in their scope.
    Individual,
    /// Managers see only group figures, for groups of at least `min_group_size` people.
    Aggregate,
}

impl PrivacyPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            PrivacyPolicy::Individual => "individual",
            PrivacyPolicy::Aggregate => "aggregate",
        }
    }

    pub fn parse(name: &str) -> Option<PrivacyPolicy> {
        [PrivacyPolicy::Individual, PrivacyPolicy::Aggregate].into_iter().find(|p| p.as_str() == name)
    }
}

/// The smallest group whose risk figures are shown under [`PrivacyPolicy::Aggregate`].
pub const MIN_GROUP_SIZE: u32 = 5;

/// Payload of the [`Entity::OrgSettings`] record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgSettingsPayload {
    /// The organisation's name.
    pub organisation: String,
    pub privacy_policy: PrivacyPolicy,
    /// Under [`PrivacyPolicy::Aggregate`], groups smaller than this are suppressed (at least
    /// [`MIN_GROUP_SIZE`]).
    pub min_group_size: u32,
}

/// Payload of a [`Entity::RiskModel`] record: a model artifact (the JSON format of
/// `core/risk-model/model/burnout-*.json`) the device validates before installing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskModelPayload {
    pub version: String,
    pub artifact: serde_json::Value,
}

/// Payload of a [`Entity::RiskAssessment`] record: what the device shares of one day's
/// assessment. `factors` is present only under [`PrivacyPolicy::Individual`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskAssessmentPayload {
    /// The local date, `YYYY-MM-DD` (also the record id).
    pub local_date: String,
    /// `low`, `medium` or `high`; absent when there was not enough data.
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub score: Option<f64>,
    pub model_version: String,
    /// The factors' names, strongest first, with their contributions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factors: Option<Vec<SharedFactor>>,
}

/// Payload of an [`Entity::DeletionRequest`] record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeletionRequestPayload {
    /// When the person asked, in Unix milliseconds (on their phone, possibly offline).
    pub requested_at: i64,
}

/// One factor of a shared assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedFactor {
    pub key: String,
    pub contribution: f64,
}

/// What a change does to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Create or replace the record with the payload.
    Upsert,
    /// Delete the record: a tombstone that wins over older writes.
    Delete,
}

impl Op {
    /// The stable name used on the wire and in the outbox table.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Upsert => "upsert",
            Op::Delete => "delete",
        }
    }

    /// Parses the stable wire name back into an operation.
    pub fn parse(name: &str) -> Option<Op> {
        match name {
            "upsert" => Some(Op::Upsert),
            "delete" => Some(Op::Delete),
            _ => None,
        }
    }
}

/// One change to one record, as recorded in the device's outbox and sent by push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Unique id (UUIDv7) of the change itself: the server applies a change id at most once.
    pub id: Uuid,
    pub entity: Entity,
    /// Id of the record the change applies to.
    pub record_id: String,
    pub op: Op,
    /// Hybrid logical clock of the write, as a string whose byte order is the clock order.
    pub hlc: String,
    /// The record's full state after the write (`null` for a delete).
    pub payload: serde_json::Value,
}

// =========================================================================================
// HTTP API of the sync server (added with `sync-server/`). Request and response bodies of
// `/api/v1/...`, shared by the server and the device's sync client. See docs/SYNC_PROTOCOL.md.
// =========================================================================================

/// Request header that carries [`PROTOCOL_VERSION`] on every API request.
pub const PROTOCOL_HEADER: &str = "Qamqor-Protocol";

/// The most changes one push may carry.
pub const MAX_PUSH_CHANGES: usize = 500;

/// The largest payload of one change, in bytes of its JSON text.
pub const MAX_CHANGE_PAYLOAD_BYTES: usize = 64 * 1024;

/// The longest record id, in bytes.
pub const MAX_RECORD_ID_BYTES: usize = 128;

/// The page size of a pull when the request does not name one.
pub const DEFAULT_PULL_LIMIT: u32 = 500;

/// The largest page a pull returns.
pub const MAX_PULL_LIMIT: u32 = 1000;

/// `POST /api/v1/sync/push`: a batch of the device's outbox, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub changes: Vec<Change>,
}

/// Answer to a push: the ids the server now holds durably (new and already known alike). The
/// device removes exactly these from its outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub acked: Vec<Uuid>,
}

/// `GET /api/v1/sync/pull?since=SEQ&limit=N`: the changes visible to the user after the cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Current state of each changed record, in server order.
    pub changes: Vec<Change>,
    /// The cursor to send as `since` next time (unchanged when the page is empty).
    pub next: u64,
    /// True when more changes wait after `next`: pull again at once.
    pub has_more: bool,
}

/// The body of every error response: a machine-readable `code` (see [`error_code`]), a message
/// for people, and the offending request field when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The error codes the server sends in [`ErrorBody::code`]. Clients match on these, never on
/// messages; a code a client does not know should be treated by its HTTP status.
pub mod error_code {
    /// 400: the body is not valid JSON.
    pub const MALFORMED_JSON: &str = "malformed_json";
    /// 400: the query string cannot be read.
    pub const INVALID_QUERY: &str = "invalid_query";
    /// 400: the request lacks the `Qamqor-Protocol` header or it is not a number.
    pub const PROTOCOL_VERSION_MISSING: &str = "protocol_version_missing";
    /// 401: no valid credentials (missing, unknown, forged or revoked token; wrong password).
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// 401: the access or refresh token has expired: refresh, or log in again.
    pub const TOKEN_EXPIRED: &str = "token_expired";
    /// 401: an already-rotated refresh token was presented again; the device's session is revoked.
    pub const REFRESH_TOKEN_REUSED: &str = "refresh_token_reused";
    /// 403: authenticated, but not allowed to do this.
    pub const FORBIDDEN: &str = "forbidden";
    /// 404: no such route.
    pub const NOT_FOUND: &str = "not_found";
    /// 404: no such device visible to the caller.
    pub const DEVICE_NOT_FOUND: &str = "device_not_found";
    /// 404: no such invitation code.
    pub const INVITATION_NOT_FOUND: &str = "invitation_not_found";
    /// 405: the route exists but not with this method.
    pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
    /// 409: an account with this email already exists.
    pub const EMAIL_TAKEN: &str = "email_taken";
    /// 409: the device id is registered to another account.
    pub const DEVICE_ID_TAKEN: &str = "device_id_taken";
    /// 409: a change id is already held with different content or for another user.
    pub const CHANGE_ID_CONFLICT: &str = "change_id_conflict";
    /// 410: the invitation was already used.
    pub const INVITATION_USED: &str = "invitation_used";
    /// 410: the invitation has expired.
    pub const INVITATION_EXPIRED: &str = "invitation_expired";
    /// 413: the request body is larger than the server accepts.
    pub const BODY_TOO_LARGE: &str = "body_too_large";
    /// 415: the body must be `application/json`.
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "unsupported_media_type";
    /// 422: a field has the wrong type or an invalid value (see `field`).
    pub const INVALID_FIELD: &str = "invalid_field";
    /// 422: the push carries more than [`super::MAX_PUSH_CHANGES`] changes.
    pub const TOO_MANY_CHANGES: &str = "too_many_changes";
    /// 426: the protocol version is not supported: the app must be updated.
    pub const UPGRADE_REQUIRED: &str = "upgrade_required";
    /// 429: too many failed logins; retry after the `Retry-After` header's seconds.
    pub const TOO_MANY_ATTEMPTS: &str = "too_many_attempts";
    /// 500: the server failed; the request may be retried.
    pub const INTERNAL: &str = "internal";
}

/// A person's role in their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages the organisation: any account, device or department in it.
    Admin,
    /// Leads a department: sees its subtree, invites employees into it.
    Manager,
    /// Uses the app for their own data.
    Employee,
}

impl Role {
    /// The stable name used on the wire and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Employee => "employee",
        }
    }

    /// Parses the stable name back into a role.
    pub fn parse(name: &str) -> Option<Role> {
        [Role::Admin, Role::Manager, Role::Employee].into_iter().find(|r| r.as_str() == name)
    }
}

/// `POST /api/v1/auth/login`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// A name the person recognises in their device list ("Aigerim's Pixel").
    pub device_name: String,
    /// The device's own id, to keep one device entry across logins; a new one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<Uuid>,
}

/// `POST /api/v1/auth/register`: create an account from an invitation code.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterRequest {
    pub code: String,
    pub email: String,
    pub name: String,
    pub password: String,
    pub device_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<Uuid>,
}

/// `POST /api/v1/auth/refresh`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// The tokens of a device session, from login, register and refresh.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthTokens {
    /// Sent as `Authorization: Bearer <access_token>` on every other request.
    pub access_token: String,
    /// Seconds until the access token expires.
    pub access_expires_in: u64,
    /// Single use: exchange it at `/auth/refresh` for new tokens, then forget it.
    pub refresh_token: String,
    /// Seconds until the refresh token expires.
    pub refresh_expires_in: u64,
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub role: Role,
}

/// `POST /api/v1/invitations` (admins and managers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateInvitationRequest {
    pub email: String,
    pub role: Role,
    /// Department by name; admins create it on demand, managers may only name their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
}

/// A one-time invitation code, shown once to the person who issued it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub code: String,
    pub email: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// When the code stops working, in Unix milliseconds.
    pub expires_at: i64,
}

/// Secrets stay out of logs: these types print their fields except passwords and tokens.
mod redacted_debug {
    use std::fmt;

    use super::*;

    impl fmt::Debug for LoginRequest {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("LoginRequest")
                .field("email", &self.email)
                .field("password", &"<redacted>")
                .field("device_name", &self.device_name)
                .field("device_id", &self.device_id)
                .finish()
        }
    }

    impl fmt::Debug for RegisterRequest {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("RegisterRequest")
                .field("code", &"<redacted>")
                .field("email", &self.email)
                .field("name", &self.name)
                .field("password", &"<redacted>")
                .field("device_name", &self.device_name)
                .field("device_id", &self.device_id)
                .finish()
        }
    }

    impl fmt::Debug for RefreshRequest {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("RefreshRequest").field("refresh_token", &"<redacted>").finish()
        }
    }

    impl fmt::Debug for AuthTokens {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("AuthTokens")
                .field("access_token", &"<redacted>")
                .field("access_expires_in", &self.access_expires_in)
                .field("refresh_token", &"<redacted>")
                .field("refresh_expires_in", &self.refresh_expires_in)
                .field("user_id", &self.user_id)
                .field("device_id", &self.device_id)
                .field("role", &self.role)
                .finish()
        }
    }

    impl fmt::Debug for Invitation {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Invitation")
                .field("code", &"<redacted>")
                .field("email", &self.email)
                .field("role", &self.role)
                .field("department", &self.department)
                .field("expires_at", &self.expires_at)
                .finish()
        }
    }
}

// ---- end of the HTTP API types ----------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_and_op_names_round_trip() {
        for e in ALL_ENTITIES {
            assert_eq!(Entity::parse(e.as_str()), Some(e));
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("\"{}\"", e.as_str()));
        }
        assert_eq!(Entity::parse("nope"), None);
        assert_eq!(Op::parse("delete"), Some(Op::Delete));
        assert_eq!(Op::parse("DELETE"), None);
    }

    #[test]
    fn change_json_shape_is_stable() {
        let change = Change {
            id: Uuid::nil(),
            entity: Entity::CheckIn,
            record_id: "r1".into(),
            op: Op::Upsert,
            hlc: "0000000000000001-00".into(),
            payload: serde_json::json!({"fatigue": 3}),
        };
        let v = serde_json::to_value(&change).unwrap();
        assert_eq!(v["entity"], "check_in");
        assert_eq!(v["op"], "upsert");
        let back: Change = serde_json::from_value(v).unwrap();
        assert_eq!(back, change);
    }
}

#[cfg(test)]
mod api_tests {
    use super::*;

    #[test]
    fn error_body_omits_an_absent_field() {
        let body = ErrorBody { code: error_code::UNAUTHORIZED.into(), message: "m".into(), field: None };
        assert_eq!(serde_json::to_value(&body).unwrap(), serde_json::json!({"code": "unauthorized", "message": "m"}));
    }

    #[test]
    fn roles_round_trip_and_secrets_stay_out_of_debug() {
        for r in [Role::Admin, Role::Manager, Role::Employee] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), serde_json::json!(r.as_str()));
        }
        let login = LoginRequest {
            email: "a@b.kz".into(),
            password: "hunter2hunter2".into(),
            device_name: "phone".into(),
            device_id: None,
        };
        assert!(!format!("{login:?}").contains("hunter2"));
        let back: LoginRequest = serde_json::from_value(serde_json::json!({
            "email": "a@b.kz", "password": "hunter2hunter2", "device_name": "phone"
        }))
        .unwrap();
        assert!(back == login);
    }
}
