//! Achievements on the device and the person's own rating: recorded offline like everything
//! else (one transaction with its outbox change), reviewed by a manager on the server, the
//! verdict pulled back. The rating itself is [`crate::rating::compute`], the same function the
//! server ranks people with.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::{optional_text, trimmed, Store, MAX_NOTE, MAX_SHORT_TEXT};
use crate::error::{ConflictKind, Error, Result};
use crate::photo::process_photo_within;
use crate::rating::{self, Rating, VerifiedPoints, MAX_EVIDENCE_BYTES};
use crate::storage::ratings_dao::{self, AchievementRow, ReviewRow};
use crate::storage::sync_dao;
use qamqor_protocol::{AchievementPayload, Entity, Op, RatingCataloguePayload, ReviewStatus};

/// Longest side of a stored evidence photo, in pixels (a certificate stays readable).
pub const EVIDENCE_PHOTO_SIDE: u32 = 768;

/// What the person enters to record an achievement.
#[derive(Debug, Clone, PartialEq)]
pub struct AchievementInput {
    /// An active type of the organisation's catalogue (`research.article`).
    pub type_id: String,
    pub title: String,
    pub description: Option<String>,
    /// The day it happened (not in the future).
    pub achieved_on: NaiveDate,
}

/// Where an achievement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AchievementStatus {
    /// Waiting for a manager (or not synced yet).
    Pending,
    Verified,
    Rejected,
}

/// A manager's verdict, as received.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AchievementReview {
    pub status: AchievementStatus,
    pub comment: Option<String>,
    pub reviewer_name: String,
    pub reviewed_at: DateTime<Utc>,
    /// The category and points the verdict fixed.
    pub category_id: String,
    pub points: u32,
}

/// An achievement with its type, category and review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Achievement {
    pub id: String,
    pub type_id: String,
    /// The type's name in the catalogue (its id if the catalogue does not know it).
    pub type_name: String,
    pub category_id: String,
    pub category_name: String,
    pub title: String,
    pub description: Option<String>,
    pub achieved_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub has_evidence: bool,
    pub status: AchievementStatus,
    /// Points earned when verified; the type's current points while pending; 0 when rejected.
    pub points: u32,
    pub review: Option<AchievementReview>,
}

impl Achievement {
    /// The person may delete it until a manager reviews it.
    pub fn can_delete(&self) -> bool {
        self.review.is_none()
    }
}

fn view(c: &RatingCataloguePayload, a: AchievementRow, r: Option<ReviewRow>) -> Achievement {
    let ty = c.types.iter().find(|t| t.id == a.type_id);
    let category_id = r.as_ref().map(|r| r.category_id.clone()).or_else(|| ty.map(|t| t.category_id.clone())).unwrap_or_default();
    let category_name = c.categories.iter().find(|cat| cat.id == category_id).map_or_else(|| category_id.clone(), |cat| cat.name.clone());
    let review = r.map(|r| AchievementReview {
        status: match r.status {
            ReviewStatus::Verified => AchievementStatus::Verified,
            ReviewStatus::Rejected => AchievementStatus::Rejected,
        },
        comment: r.comment,
        reviewer_name: r.reviewer_name,
        reviewed_at: r.reviewed_at,
        category_id: r.category_id,
        points: r.points,
    });
    let (status, points) = match &review {
        None => (AchievementStatus::Pending, ty.map_or(0, |t| t.points)),
        Some(r) => (r.status, r.points),
    };
    Achievement {
        type_name: ty.map_or_else(|| a.type_id.clone(), |t| t.name.clone()),
        id: a.id,
        type_id: a.type_id,
        category_id,
        category_name,
        title: a.title,
        description: a.description,
        achieved_on: a.achieved_on,
        recorded_at: a.recorded_at,
        has_evidence: a.has_evidence,
        status,
        points,
        review,
    }
}

impl Store {
    /// The organisation's achievement catalogue and rating method (the built-in defaults until
    /// the organisation's arrives by sync).
    pub fn rating_catalogue(&self) -> Result<RatingCataloguePayload> {
        Ok(ratings_dao::catalogue(&self.lock().conn)?.unwrap_or_else(rating::default_catalogue))
    }

    /// Records an achievement offline, with an optional evidence photo (JPEG, PNG or WebP; shrunk,
    /// stripped of metadata and re-encoded by the photo pipeline). It waits for a manager's review.
    pub fn record_achievement(&self, input: &AchievementInput, evidence: Option<&[u8]>) -> Result<Achievement> {
        let title = trimmed("title", &input.title, MAX_SHORT_TEXT)?;
        let description = optional_text("description", input.description.as_deref(), MAX_NOTE)?;
        let photo = evidence.map(|b| process_photo_within("evidence", b, EVIDENCE_PHOTO_SIDE, MAX_EVIDENCE_BYTES)).transpose()?;
        self.write(|tx, w| {
            let catalogue = ratings_dao::catalogue(tx)?.unwrap_or_else(rating::default_catalogue);
            rating::recordable_type(&catalogue, &input.type_id)?;
            let id = Uuid::now_v7().to_string();
            let payload = AchievementPayload {
                id: id.clone(),
                type_id: input.type_id.clone(),
                title,
                description,
                achieved_on: input.achieved_on.to_string(),
                recorded_at: w.now.timestamp_millis(),
                evidence_jpeg: photo.as_ref().map(|p| rating::encode_evidence(&p.jpeg)),
            };
            let today = w.schedule.local_date(w.now);
            let achieved_on = rating::validate_achievement(&payload, today)?;
            if achieved_on > today {
                return Err(Error::invalid("achieved_on", crate::error::InvalidReason::InFuture, format!("{achieved_on} has not happened yet")));
            }
            let row = AchievementRow {
                id: id.clone(),
                type_id: payload.type_id.clone(),
                title: payload.title.clone(),
                description: payload.description.clone(),
                achieved_on,
                recorded_at: w.now,
                has_evidence: photo.is_some(),
            };
            let hlc = w.stamp();
            ratings_dao::insert_achievement(tx, &row, photo.as_ref().map(|p| p.jpeg.as_slice()), &hlc)?;
            w.record(tx, Entity::Achievement, &id, Op::Upsert, &hlc, serde_json::to_value(&payload)?)?;
            Ok(view(&catalogue, row, None))
        })
    }

    /// Every achievement recorded on any of the person's devices, the latest day first.
    pub fn achievements(&self) -> Result<Vec<Achievement>> {
        let inner = self.lock();
        let catalogue = ratings_dao::catalogue(&inner.conn)?.unwrap_or_else(rating::default_catalogue);
        Ok(ratings_dao::achievements(&inner.conn)?.into_iter().map(|(a, r)| view(&catalogue, a, r)).collect())
    }

    /// One achievement.
    pub fn achievement(&self, id: &str) -> Result<Achievement> {
        let inner = self.lock();
        let catalogue = ratings_dao::catalogue(&inner.conn)?.unwrap_or_else(rating::default_catalogue);
        let (a, r) = ratings_dao::achievement(&inner.conn, id)?.ok_or_else(|| Error::NotFound { entity: "achievement", id: id.into() })?;
        Ok(view(&catalogue, a, r))
    }

    /// The evidence photo (JPEG) of an achievement, if it has one.
    pub fn achievement_evidence(&self, id: &str) -> Result<Option<Vec<u8>>> {
        ratings_dao::evidence(&self.lock().conn, id)?.ok_or_else(|| Error::NotFound { entity: "achievement", id: id.into() })
    }

    /// Deletes an achievement recorded by mistake, while it waits for review (a tombstone is
    /// sent on sync). A reviewed one is a conflict: its verdict stands.
    pub fn delete_achievement(&self, id: &str) -> Result<()> {
        self.write(|tx, w| {
            let (_, review) = ratings_dao::achievement(tx, id)?.ok_or_else(|| Error::NotFound { entity: "achievement", id: id.into() })?;
            if review.is_some() {
                return Err(Error::conflict(ConflictKind::AchievementReviewed, "a reviewed achievement cannot be deleted"));
            }
            ratings_dao::delete_achievement(tx, id)?;
            let hlc = w.stamp();
            sync_dao::set_tombstone(tx, Entity::Achievement, id, &hlc)?;
            w.record(tx, Entity::Achievement, id, Op::Delete, &hlc, serde_json::Value::Null)
        })
    }

    /// The person's rating from their verified achievements of the days `[from, to]` (either
    /// bound optional), with its breakdown by category, by the organisation's method.
    pub fn rating(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Rating> {
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                return Err(Error::invalid("to", crate::error::InvalidReason::EndBeforeStart, "the period must end on or after its start"));
            }
        }
        let inner = self.lock();
        let catalogue = ratings_dao::catalogue(&inner.conn)?.unwrap_or_else(rating::default_catalogue);
        let verified = ratings_dao::verified(&inner.conn)?;
        Ok(rating::compute(
            &catalogue,
            verified
                .iter()
                .filter(|(_, _, day)| rating::in_period(*day, from, to))
                .map(|(category_id, points, _)| VerifiedPoints { category_id, points: *points }),
        ))
    }
}
