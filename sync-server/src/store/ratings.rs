//! The storage interface of achievements and ratings ([`RatingStore`], reached through
//! [`Store::ratings`](super::Store::ratings)). Achievements are the employees' synced records and
//! verdicts are server-written records of the same `records` table; the catalogue is an
//! organisation-wide record. This trait only adds the reads the admin API needs and the writes
//! that must store their audit entry in the same transaction.

use async_trait::async_trait;
use qamqor_protocol::{AchievementReviewPayload, Change, Entity};
use uuid::Uuid;

use super::admin::AuditEntry;
use super::{Millis, ServerWriteOutcome, StoreError, StoreResult};

/// An achievement as the admin API lists it: the record without its evidence bytes, its owner,
/// and the current verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct AchievementRecord {
    pub id: String,
    pub owner_id: Uuid,
    pub owner_name: String,
    pub department_id: Option<Uuid>,
    pub department: Option<String>,
    pub type_id: String,
    pub title: String,
    pub description: Option<String>,
    /// `YYYY-MM-DD` as recorded (validated on push).
    pub achieved_on: String,
    pub recorded_at: Millis,
    pub has_evidence: bool,
    pub review: Option<AchievementReviewPayload>,
}

/// A verified achievement, as rankings count it.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedRow {
    pub user_id: Uuid,
    pub category_id: String,
    pub points: u32,
    pub achieved_on: String,
}

/// Achievements, ratings and the catalogue in storage. Each method is one transaction.
#[async_trait]
pub trait RatingStore: Send + Sync {
    /// Every achievement (not deleted) of the organisation's people whose department lies in the
    /// subtree of `within` (everyone for `None`), newest recorded first.
    async fn achievements(&self, org_id: Uuid, within: Option<Uuid>) -> StoreResult<Vec<AchievementRecord>>;

    /// One achievement of the organisation (`None`: unknown, deleted or another organisation's).
    async fn achievement(&self, org_id: Uuid, id: &str) -> StoreResult<Option<AchievementRecord>>;

    /// The evidence (base64 JPEG, as pushed) of one achievement of the organisation.
    async fn achievement_evidence(&self, org_id: Uuid, id: &str) -> StoreResult<Option<Option<String>>>;

    /// Writes a record of one person on the server's behalf (a verdict, a competency assignment,
    /// a manager's skill score) and its audit entry, in one transaction.
    async fn write_person_record(
        &self,
        org_id: Uuid,
        owner: Uuid,
        author: Uuid,
        change: Change,
        audit: AuditEntry,
        now: Millis,
    ) -> StoreResult<ServerWriteOutcome>;

    /// Writes the organisation's catalogue record and its audit entry in one transaction.
    async fn set_rating_catalogue(&self, org_id: Uuid, author: Uuid, change: Change, audit: AuditEntry, now: Millis) -> StoreResult<ServerWriteOutcome>;

    /// The verified achievements (not deleted) of the organisation's people in reach.
    async fn verified(&self, org_id: Uuid, within: Option<Uuid>) -> StoreResult<Vec<VerifiedRow>>;

    /// The current (not deleted) records of these kinds of the organisation's people in reach
    /// (or of one person), with their owner.
    async fn records_of(&self, org_id: Uuid, within: Option<Uuid>, user: Option<Uuid>, entities: Vec<Entity>) -> StoreResult<Vec<PersonRecord>>;
}

/// A person's record as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecord {
    pub user_id: Uuid,
    pub entity: Entity,
    pub record_id: String,
    pub payload: serde_json::Value,
}

/// A backend without ratings: every method fails (wrappers and test doubles).
pub struct NoRatingStore;

fn unsupported<T>() -> StoreResult<T> {
    Err(StoreError::Invalid("this store does not serve ratings".into()))
}

#[async_trait]
impl RatingStore for NoRatingStore {
    async fn achievements(&self, _org_id: Uuid, _within: Option<Uuid>) -> StoreResult<Vec<AchievementRecord>> {
        unsupported()
    }
    async fn achievement(&self, _org_id: Uuid, _id: &str) -> StoreResult<Option<AchievementRecord>> {
        unsupported()
    }
    async fn achievement_evidence(&self, _org_id: Uuid, _id: &str) -> StoreResult<Option<Option<String>>> {
        unsupported()
    }
    async fn write_person_record(
        &self,
        _org_id: Uuid,
        _owner: Uuid,
        _author: Uuid,
        _change: Change,
        _audit: AuditEntry,
        _now: Millis,
    ) -> StoreResult<ServerWriteOutcome> {
        unsupported()
    }
    async fn set_rating_catalogue(&self, _org_id: Uuid, _author: Uuid, _change: Change, _audit: AuditEntry, _now: Millis) -> StoreResult<ServerWriteOutcome> {
        unsupported()
    }
    async fn verified(&self, _org_id: Uuid, _within: Option<Uuid>) -> StoreResult<Vec<VerifiedRow>> {
        unsupported()
    }
    async fn records_of(&self, _org_id: Uuid, _within: Option<Uuid>, _user: Option<Uuid>, _entities: Vec<Entity>) -> StoreResult<Vec<PersonRecord>> {
        unsupported()
    }
}
