//! The person's competency profile on the device: the card an admin assigned (pulled), its labour
//! functions and skills from the shipped catalogue, the person's own scores (written here and
//! synced) and their manager's (pulled). Rules in [`crate::competency`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Store;
use crate::competency::{self, FunctionKind};
use crate::error::{Error, InvalidReason, Result};
use crate::storage::competencies_dao::{self, Rater, ScoreRow};
use qamqor_protocol::{Entity, Op, SkillRatingPayload};

/// One skill with its scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillScore {
    pub skill_id: String,
    pub name: String,
    pub abilities: Vec<String>,
    pub knowledge: Vec<String>,
    /// The person's own score (0-4).
    pub own: Option<u8>,
    /// The manager's score (0-4) and name.
    pub manager: Option<u8>,
    pub manager_name: Option<String>,
}

/// One labour function with its skills and score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionScore {
    pub function_id: String,
    pub name: String,
    /// Mandatory (or additional) for the card.
    pub mandatory: bool,
    pub skills: Vec<SkillScore>,
    /// Mean of the rated skills (manager's score first), two decimals.
    pub score: Option<f64>,
    /// Score of 3 or more.
    pub strong: bool,
}

/// The person's card and where they stand on each of its functions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompetencyProfile {
    pub card_id: String,
    pub card_name: String,
    pub occupation_code: Option<String>,
    pub level: u8,
    pub main_purpose: Option<String>,
    pub assigned_by: String,
    pub assigned_at: DateTime<Utc>,
    pub functions: Vec<FunctionScore>,
}

impl Store {
    /// The person's competency profile, once an admin has assigned them a card (`None` before).
    pub fn competency_profile(&self) -> Result<Option<CompetencyProfile>> {
        let inner = self.lock();
        let Some(a) = competencies_dao::assignment(&inner.conn)? else { return Ok(None) };
        let own: HashMap<String, ScoreRow> =
            competencies_dao::scores(&inner.conn, Rater::Own)?.into_iter().map(|s| (s.skill_id.clone(), s)).collect();
        let manager: HashMap<String, ScoreRow> =
            competencies_dao::scores(&inner.conn, Rater::Manager)?.into_iter().map(|s| (s.skill_id.clone(), s)).collect();
        drop(inner);
        let catalogue = competency::catalogue()?;
        let card = catalogue.card(&a.card_id).ok_or_else(|| Error::Corrupt(format!("the assigned card {} is not in the catalogue", a.card_id)))?;
        let functions = card
            .labour_functions()
            .map(|(f, kind)| {
                let skills: Vec<SkillScore> = f
                    .skills
                    .iter()
                    .map(|s| SkillScore {
                        skill_id: s.id.clone(),
                        name: s.name.clone(),
                        abilities: s.abilities.clone(),
                        knowledge: s.knowledge.clone(),
                        own: own.get(&s.id).map(|r| r.score),
                        manager: manager.get(&s.id).map(|r| r.score),
                        manager_name: manager.get(&s.id).and_then(|r| r.rated_by.clone()),
                    })
                    .collect();
                let score = competency::function_score(skills.iter().map(|s| competency::effective(s.own, s.manager)));
                FunctionScore {
                    function_id: f.id.clone(),
                    name: f.name.clone(),
                    mandatory: kind == FunctionKind::Mandatory,
                    skills,
                    score,
                    strong: competency::is_strong(score),
                }
            })
            .collect();
        Ok(Some(CompetencyProfile {
            card_id: card.id.clone(),
            card_name: card.name.clone(),
            occupation_code: card.occupation_code.clone(),
            level: a.level,
            main_purpose: card.main_purpose.clone(),
            assigned_by: a.assigned_by,
            assigned_at: a.assigned_at,
            functions,
        }))
    }

    /// Rates one skill of the person's card on the 0-4 scale (replacing an earlier score); synced.
    pub fn rate_skill(&self, skill_id: &str, score: u8) -> Result<()> {
        competency::validate_score("score", score)?;
        let catalogue = competency::catalogue()?;
        self.write(|tx, w| {
            let a = competencies_dao::assignment(tx)?.ok_or_else(|| {
                Error::invalid("skill_id", InvalidReason::Unknown, "no profession card is assigned to you yet: ask your admin")
            })?;
            let card = catalogue.card(&a.card_id).ok_or_else(|| Error::Corrupt(format!("the assigned card {} is not in the catalogue", a.card_id)))?;
            competency::skill_of(card, skill_id)?;
            let hlc = w.stamp();
            let row = ScoreRow { skill_id: skill_id.to_string(), score, rated_at: w.now, rated_by: None };
            competencies_dao::save_score(tx, Rater::Own, &row, &hlc)?;
            let payload = SkillRatingPayload { skill_id: skill_id.to_string(), score, rated_at: w.now.timestamp_millis(), rated_by: None };
            w.record(tx, Entity::SkillRating, skill_id, Op::Upsert, &hlc, serde_json::to_value(&payload)?)
        })
    }
}
