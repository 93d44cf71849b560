//! SQL of achievements, their reviews and the organisation's rating catalogue.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{named_params, Connection, OptionalExtension, Row};

use super::dao::{from_ms, ms};
use crate::error::{Error, Result};
use qamqor_protocol::{RatingCataloguePayload, ReviewStatus};

// ---- catalogue ----------------------------------------------------------------------------

/// The catalogue as last pulled (`None` before the first one arrives).
pub(crate) fn catalogue(c: &Connection) -> Result<Option<RatingCataloguePayload>> {
    let json: Option<String> =
        c.prepare_cached("SELECT payload FROM rating_catalogue WHERE id = 1")?.query_row([], |r| r.get("payload")).optional()?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| Error::Corrupt(format!("rating catalogue: {e}")))).transpose()
}

pub(crate) fn catalogue_hlc(c: &Connection) -> Result<Option<String>> {
    Ok(c.prepare_cached("SELECT hlc FROM rating_catalogue WHERE id = 1")?.query_row([], |r| r.get("hlc")).optional()?)
}

pub(crate) fn save_catalogue(c: &Connection, payload: &RatingCataloguePayload, hlc: &str) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO rating_catalogue (id, payload, hlc) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET payload = excluded.payload, hlc = excluded.hlc",
    )?
    .execute(rusqlite::params![serde_json::to_string(payload)?, hlc])?;
    Ok(())
}

// ---- achievements -------------------------------------------------------------------------

/// An achievement as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AchievementRow {
    pub id: String,
    pub type_id: String,
    pub title: String,
    pub description: Option<String>,
    pub achieved_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub has_evidence: bool,
}

/// A review as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReviewRow {
    pub achievement_id: String,
    pub status: ReviewStatus,
    pub comment: Option<String>,
    pub reviewer_name: String,
    pub reviewed_at: DateTime<Utc>,
    pub category_id: String,
    pub points: u32,
}

fn date_at(r: &Row, col: &str) -> rusqlite::Result<NaiveDate> {
    let s: String = r.get(col)?;
    s.parse().map_err(|_| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, format!("{col}: '{s}'").into()))
}

fn achievement_row(r: &Row) -> rusqlite::Result<AchievementRow> {
    Ok(AchievementRow {
        id: r.get("id")?,
        type_id: r.get("type_id")?,
        title: r.get("title")?,
        description: r.get("description")?,
        achieved_on: date_at(r, "achieved_on")?,
        recorded_at: from_ms(r.get("recorded_at")?),
        has_evidence: r.get::<_, i64>("has_evidence")? != 0,
    })
}

fn review_row(r: &Row) -> rusqlite::Result<Option<ReviewRow>> {
    let Some(status) = r.get::<_, Option<String>>("status")? else { return Ok(None) };
    Ok(Some(ReviewRow {
        achievement_id: r.get("achievement_id")?,
        status: ReviewStatus::parse(&status).unwrap_or(ReviewStatus::Rejected),
        comment: r.get("comment")?,
        reviewer_name: r.get("reviewer_name")?,
        reviewed_at: from_ms(r.get("reviewed_at")?),
        category_id: r.get("category_id")?,
        points: r.get("points")?,
    }))
}

const SELECT: &str = "SELECT a.id, a.type_id, a.title, a.description, a.achieved_on, a.recorded_at,
        a.evidence IS NOT NULL AS has_evidence, r.achievement_id, r.status, r.comment, r.reviewer_name,
        r.reviewed_at, r.category_id, r.points
    FROM achievements a LEFT JOIN achievement_reviews r ON r.achievement_id = a.id";

pub(crate) fn insert_achievement(c: &Connection, a: &AchievementRow, evidence: Option<&[u8]>, hlc: &str) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO achievements (id, type_id, title, description, achieved_on, recorded_at, evidence, hlc)
         VALUES (:id, :type, :title, :description, :day, :at, :evidence, :hlc)",
    )?
    .execute(named_params! {
        ":id": a.id, ":type": a.type_id, ":title": a.title, ":description": a.description,
        ":day": a.achieved_on.to_string(), ":at": ms(a.recorded_at), ":evidence": evidence, ":hlc": hlc,
    })?;
    Ok(())
}

pub(crate) fn achievement_exists(c: &Connection, id: &str) -> Result<bool> {
    Ok(c.prepare_cached("SELECT 1 FROM achievements WHERE id = ?1")?.exists([id])?)
}

/// One achievement with its review.
pub(crate) fn achievement(c: &Connection, id: &str) -> Result<Option<(AchievementRow, Option<ReviewRow>)>> {
    Ok(c.prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?
        .query_row([id], |r| Ok((achievement_row(r)?, review_row(r)?)))
        .optional()?)
}

/// Every achievement with its review, the latest day first.
pub(crate) fn achievements(c: &Connection) -> Result<Vec<(AchievementRow, Option<ReviewRow>)>> {
    let mut stmt = c.prepare_cached(&format!("{SELECT} ORDER BY a.achieved_on DESC, a.recorded_at DESC, a.id DESC"))?;
    let rows = stmt.query_map([], |r| Ok((achievement_row(r)?, review_row(r)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn evidence(c: &Connection, id: &str) -> Result<Option<Option<Vec<u8>>>> {
    Ok(c.prepare_cached("SELECT evidence FROM achievements WHERE id = ?1")?.query_row([id], |r| r.get("evidence")).optional()?)
}

pub(crate) fn delete_achievement(c: &Connection, id: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM achievements WHERE id = ?1")?.execute([id])?;
    Ok(())
}

// ---- reviews ------------------------------------------------------------------------------

pub(crate) fn review_hlc(c: &Connection, achievement_id: &str) -> Result<Option<String>> {
    Ok(c.prepare_cached("SELECT hlc FROM achievement_reviews WHERE achievement_id = ?1")?
        .query_row([achievement_id], |r| r.get("hlc"))
        .optional()?)
}

pub(crate) fn save_review(c: &Connection, r: &ReviewRow, hlc: &str) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO achievement_reviews (achievement_id, status, comment, reviewer_name, reviewed_at, category_id, points, hlc)
         VALUES (:id, :status, :comment, :reviewer, :at, :category, :points, :hlc)
         ON CONFLICT (achievement_id) DO UPDATE SET status = excluded.status, comment = excluded.comment,
            reviewer_name = excluded.reviewer_name, reviewed_at = excluded.reviewed_at,
            category_id = excluded.category_id, points = excluded.points, hlc = excluded.hlc",
    )?
    .execute(named_params! {
        ":id": r.achievement_id, ":status": r.status.as_str(), ":comment": r.comment, ":reviewer": r.reviewer_name,
        ":at": ms(r.reviewed_at), ":category": r.category_id, ":points": r.points, ":hlc": hlc,
    })?;
    Ok(())
}

pub(crate) fn delete_review(c: &Connection, achievement_id: &str) -> Result<()> {
    c.prepare_cached("DELETE FROM achievement_reviews WHERE achievement_id = ?1")?.execute([achievement_id])?;
    Ok(())
}

/// The verified achievements that still exist: their category, points and day.
pub(crate) fn verified(c: &Connection) -> Result<Vec<(String, u32, NaiveDate)>> {
    let mut stmt = c.prepare_cached(
        "SELECT r.category_id, r.points, a.achieved_on FROM achievement_reviews r
         JOIN achievements a ON a.id = r.achievement_id WHERE r.status = 'verified'",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get("category_id")?, r.get("points")?, date_at(r, "achieved_on")?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
