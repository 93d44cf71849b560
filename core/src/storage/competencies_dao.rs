//! SQL of the competency assignment and the skill scores.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::dao::{from_ms, ms};
use crate::error::Result;

/// The assignment as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AssignmentRow {
    pub card_id: String,
    pub level: u8,
    pub assigned_by: String,
    pub assigned_at: DateTime<Utc>,
}

pub(crate) fn assignment(c: &Connection) -> Result<Option<AssignmentRow>> {
    Ok(c.prepare_cached("SELECT card_id, level, assigned_by, assigned_at FROM competency_assignment WHERE id = 1")?
        .query_row([], |r| {
            Ok(AssignmentRow {
                card_id: r.get("card_id")?,
                level: r.get("level")?,
                assigned_by: r.get("assigned_by")?,
                assigned_at: from_ms(r.get("assigned_at")?),
            })
        })
        .optional()?)
}

pub(crate) fn assignment_hlc(c: &Connection) -> Result<Option<String>> {
    Ok(c.prepare_cached("SELECT hlc FROM competency_assignment WHERE id = 1")?.query_row([], |r| r.get("hlc")).optional()?)
}

pub(crate) fn save_assignment(c: &Connection, a: &AssignmentRow, hlc: &str) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO competency_assignment (id, card_id, level, assigned_by, assigned_at, hlc) VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET card_id = excluded.card_id, level = excluded.level,
            assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at, hlc = excluded.hlc",
    )?
    .execute(rusqlite::params![a.card_id, a.level, a.assigned_by, ms(a.assigned_at), hlc])?;
    Ok(())
}

pub(crate) fn delete_assignment(c: &Connection) -> Result<()> {
    c.execute("DELETE FROM competency_assignment", [])?;
    Ok(())
}

/// Which table: the person's own scores or their manager's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rater {
    Own,
    Manager,
}

/// A score as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScoreRow {
    pub skill_id: String,
    pub score: u8,
    pub rated_at: DateTime<Utc>,
    pub rated_by: Option<String>,
}

pub(crate) fn scores(c: &Connection, rater: Rater) -> Result<Vec<ScoreRow>> {
    let sql = match rater {
        Rater::Own => "SELECT skill_id, score, rated_at, NULL AS rated_by FROM skill_ratings",
        Rater::Manager => "SELECT skill_id, score, rated_at, rated_by FROM manager_skill_ratings",
    };
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| {
        Ok(ScoreRow { skill_id: r.get("skill_id")?, score: r.get("score")?, rated_at: from_ms(r.get("rated_at")?), rated_by: r.get("rated_by")? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn score_hlc(c: &Connection, rater: Rater, skill_id: &str) -> Result<Option<String>> {
    let sql = match rater {
        Rater::Own => "SELECT hlc FROM skill_ratings WHERE skill_id = ?1",
        Rater::Manager => "SELECT hlc FROM manager_skill_ratings WHERE skill_id = ?1",
    };
    Ok(c.prepare_cached(sql)?.query_row([skill_id], |r| r.get("hlc")).optional()?)
}

pub(crate) fn save_score(c: &Connection, rater: Rater, s: &ScoreRow, hlc: &str) -> Result<()> {
    match rater {
        Rater::Own => c
            .prepare_cached(
                "INSERT INTO skill_ratings (skill_id, score, rated_at, hlc) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (skill_id) DO UPDATE SET score = excluded.score, rated_at = excluded.rated_at, hlc = excluded.hlc",
            )?
            .execute(rusqlite::params![s.skill_id, s.score, ms(s.rated_at), hlc])?,
        Rater::Manager => c
            .prepare_cached(
                "INSERT INTO manager_skill_ratings (skill_id, score, rated_by, rated_at, hlc) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (skill_id) DO UPDATE SET score = excluded.score, rated_by = excluded.rated_by,
                    rated_at = excluded.rated_at, hlc = excluded.hlc",
            )?
            .execute(rusqlite::params![s.skill_id, s.score, s.rated_by.as_deref().unwrap_or_default(), ms(s.rated_at), hlc])?,
    };
    Ok(())
}

pub(crate) fn delete_score(c: &Connection, rater: Rater, skill_id: &str) -> Result<()> {
    let sql = match rater {
        Rater::Own => "DELETE FROM skill_ratings WHERE skill_id = ?1",
        Rater::Manager => "DELETE FROM manager_skill_ratings WHERE skill_id = ?1",
    };
    c.prepare_cached(sql)?.execute([skill_id])?;
    Ok(())
}
