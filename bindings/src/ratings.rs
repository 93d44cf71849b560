//! Achievements and the person's own rating at the FFI: records converted from the core's,
//! and one-line methods on [`QamqorCore`]. The rating is computed by `qamqor_core::rating`, the
//! same function the server ranks people with.

use std::time::SystemTime;

use qamqor_core as core;
use core::rating as protocol;

use crate::{date, map, QamqorCore, Result};

/// How category scores combine into the rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RatingMethod {
    /// The plain average of the category scores.
    Average,
    /// Each category weighted by its share of the workload (weights sum to 100 %).
    Workload,
}

impl From<protocol::RatingMethod> for RatingMethod {
    fn from(m: protocol::RatingMethod) -> Self {
        match m {
            protocol::RatingMethod::Average => RatingMethod::Average,
            protocol::RatingMethod::Workload => RatingMethod::Workload,
        }
    }
}

/// A category of achievements.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AchievementCategory {
    pub id: String,
    pub name: String,
    pub weight_percent: f64,
    pub archived: bool,
    /// Set while the category is the default catalogue's, unrenamed (`research`, `professional`,
    /// `methodical`, `social`, `organisational`): the app shows its own translation; otherwise
    /// it shows `name` as the organisation wrote it.
    pub default_key: Option<String>,
}

/// A kind of achievement and the points a verified one earns.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AchievementType {
    pub id: String,
    pub category_id: String,
    pub name: String,
    pub points: u32,
    pub archived: bool,
    /// Whether the person may record an achievement of this type now (the core's rule: not
    /// retired, in an active category); the form offers only these.
    pub recordable: bool,
    /// Set while the type is the default catalogue's, unrenamed (`research_article` for
    /// `research.article`): the app shows its own translation; otherwise `name` as written.
    pub default_key: Option<String>,
}

/// The organisation's catalogue: what can be recorded and how the rating is computed.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RatingCatalogue {
    pub method: RatingMethod,
    pub categories: Vec<AchievementCategory>,
    pub types: Vec<AchievementType>,
}

impl From<protocol::RatingCataloguePayload> for RatingCatalogue {
    fn from(c: protocol::RatingCataloguePayload) -> Self {
        RatingCatalogue {
            method: c.method.into(),
            categories: c
                .categories
                .iter()
                .map(|x| AchievementCategory {
                    id: x.id.clone(),
                    name: x.name.clone(),
                    weight_percent: x.weight_percent,
                    archived: x.archived,
                    default_key: core::rating::default_category_key(&x.id, &x.name).map(str::to_string),
                })
                .collect(),
            types: c
                .types
                .iter()
                .map(|t| AchievementType {
                    id: t.id.clone(),
                    category_id: t.category_id.clone(),
                    name: t.name.clone(),
                    points: t.points,
                    archived: t.archived,
                    recordable: core::rating::recordable_type(&c, &t.id).is_ok(),
                    default_key: core::rating::default_type_key(&t.id, &t.name),
                })
                .collect(),
        }
    }
}

/// What the person enters to record an achievement.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AchievementInput {
    /// An active type id of the catalogue.
    pub type_id: String,
    pub title: String,
    pub description: Option<String>,
    /// YYYY-MM-DD, not in the future.
    pub achieved_on: String,
}

/// Where an achievement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AchievementStatus {
    Pending,
    Verified,
    Rejected,
}

impl From<core::AchievementStatus> for AchievementStatus {
    fn from(s: core::AchievementStatus) -> Self {
        match s {
            core::AchievementStatus::Pending => AchievementStatus::Pending,
            core::AchievementStatus::Verified => AchievementStatus::Verified,
            core::AchievementStatus::Rejected => AchievementStatus::Rejected,
        }
    }
}

/// A manager's verdict.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AchievementReview {
    pub status: AchievementStatus,
    pub comment: Option<String>,
    pub reviewer_name: String,
    pub reviewed_at: SystemTime,
    pub category_id: String,
    pub points: u32,
}

/// An achievement with its type, category and review.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Achievement {
    pub id: String,
    pub type_id: String,
    pub type_name: String,
    /// As [`AchievementType::default_key`]: the app's translation while it is set.
    pub type_default_key: Option<String>,
    pub category_id: String,
    pub category_name: String,
    /// As [`AchievementCategory::default_key`]: the app's translation while it is set.
    pub category_default_key: Option<String>,
    pub title: String,
    pub description: Option<String>,
    /// YYYY-MM-DD.
    pub achieved_on: String,
    pub recorded_at: SystemTime,
    pub has_evidence: bool,
    pub status: AchievementStatus,
    /// Verified: earned; pending: what the type earns now; rejected: 0.
    pub points: u32,
    pub review: Option<AchievementReview>,
    /// Whether the person may still delete it (until a manager reviews it).
    pub can_delete: bool,
}

impl From<core::Achievement> for Achievement {
    fn from(a: core::Achievement) -> Self {
        Achievement {
            can_delete: a.can_delete(),
            category_default_key: core::rating::default_category_key(&a.category_id, &a.category_name).map(str::to_string),
            type_default_key: core::rating::default_type_key(&a.type_id, &a.type_name),
            id: a.id,
            type_id: a.type_id,
            type_name: a.type_name,
            category_id: a.category_id,
            category_name: a.category_name,
            title: a.title,
            description: a.description,
            achieved_on: a.achieved_on.to_string(),
            recorded_at: a.recorded_at.into(),
            has_evidence: a.has_evidence,
            status: a.status.into(),
            points: a.points,
            review: a.review.map(|r| AchievementReview {
                status: r.status.into(),
                comment: r.comment,
                reviewer_name: r.reviewer_name,
                reviewed_at: r.reviewed_at.into(),
                category_id: r.category_id,
                points: r.points,
            }),
        }
    }
}

/// One category of the person's rating.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CategoryScore {
    pub category_id: String,
    pub name: String,
    /// As [`AchievementCategory::default_key`]: the app's translation while it is set.
    pub default_key: Option<String>,
    /// Verified points in the category.
    pub points: u64,
    pub achievements: u32,
    /// Workload share in percent (workload method only).
    pub weight_percent: Option<f64>,
    /// What the category adds to the rating.
    pub contribution: f64,
}

/// The person's rating and its breakdown.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Rating {
    pub method: RatingMethod,
    /// Two decimals.
    pub total: f64,
    pub points: u64,
    pub categories: Vec<CategoryScore>,
}

impl From<core::rating::Rating> for Rating {
    fn from(r: core::rating::Rating) -> Self {
        Rating {
            method: r.method.into(),
            total: r.total,
            points: r.points,
            categories: r
                .categories
                .into_iter()
                .map(|c| CategoryScore {
                    default_key: core::rating::default_category_key(&c.category_id, &c.name).map(str::to_string),
                    category_id: c.category_id,
                    name: c.name,
                    points: c.points,
                    achievements: c.achievements,
                    weight_percent: c.weight_percent,
                    contribution: c.contribution,
                })
                .collect(),
        }
    }
}

#[uniffi::export]
impl QamqorCore {
    /// The organisation's achievement catalogue and rating method (defaults until synced).
    pub fn rating_catalogue(&self) -> Result<RatingCatalogue> {
        Ok(self.store.rating_catalogue()?.into())
    }

    /// Records an achievement offline, with an optional evidence photo (JPEG, PNG or WebP).
    pub fn record_achievement(&self, input: AchievementInput, evidence: Option<Vec<u8>>) -> Result<Achievement> {
        let input = core::AchievementInput {
            achieved_on: date("achieved_on", &input.achieved_on)?,
            type_id: input.type_id,
            title: input.title,
            description: input.description,
        };
        Ok(self.store.record_achievement(&input, evidence.as_deref())?.into())
    }

    /// Every achievement, the latest day first.
    pub fn achievements(&self) -> Result<Vec<Achievement>> {
        Ok(map(self.store.achievements()?))
    }

    /// The evidence photo (JPEG) of an achievement, if any.
    pub fn achievement_evidence(&self, id: String) -> Result<Option<Vec<u8>>> {
        Ok(self.store.achievement_evidence(&id)?)
    }

    /// Deletes an achievement that waits for review.
    pub fn delete_achievement(&self, id: String) -> Result<()> {
        Ok(self.store.delete_achievement(&id)?)
    }

    /// The person's rating of the days `from`..`to` (YYYY-MM-DD, either optional).
    pub fn rating(&self, from: Option<String>, to: Option<String>) -> Result<Rating> {
        let from = from.map(|d| date("from", &d)).transpose()?;
        let to = to.map(|d| date("to", &d)).transpose()?;
        Ok(self.store.rating(from, to)?.into())
    }
}
