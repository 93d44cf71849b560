//! The person's competencies at the FFI: their profession card's labour functions and skills
//! with their own and their manager's scores, and rating a skill (0-4). Rules in
//! `qamqor_core::competency`.

use std::time::SystemTime;

use qamqor_core as core;

use crate::{QamqorCore, Result};

/// One skill of the card with its scores (0-4).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SkillScore {
    pub skill_id: String,
    pub name: String,
    pub abilities: Vec<String>,
    pub knowledge: Vec<String>,
    pub own: Option<u8>,
    pub manager: Option<u8>,
    pub manager_name: Option<String>,
}

/// One labour function with its skills.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FunctionScore {
    pub function_id: String,
    pub name: String,
    pub mandatory: bool,
    pub skills: Vec<SkillScore>,
    /// Mean of the rated skills (the manager's score first).
    pub score: Option<f64>,
    /// Score of 3 or more.
    pub strong: bool,
}

/// The person's profession card and where they stand on it.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CompetencyProfile {
    pub card_id: String,
    pub card_name: String,
    pub occupation_code: Option<String>,
    pub level: u8,
    pub main_purpose: Option<String>,
    pub assigned_by: String,
    pub assigned_at: SystemTime,
    pub functions: Vec<FunctionScore>,
}

impl From<core::CompetencyProfile> for CompetencyProfile {
    fn from(p: core::CompetencyProfile) -> Self {
        CompetencyProfile {
            card_id: p.card_id,
            card_name: p.card_name,
            occupation_code: p.occupation_code,
            level: p.level,
            main_purpose: p.main_purpose,
            assigned_by: p.assigned_by,
            assigned_at: p.assigned_at.into(),
            functions: p
                .functions
                .into_iter()
                .map(|f| FunctionScore {
                    function_id: f.function_id,
                    name: f.name,
                    mandatory: f.mandatory,
                    score: f.score,
                    strong: f.strong,
                    skills: f
                        .skills
                        .into_iter()
                        .map(|s| SkillScore {
                            skill_id: s.skill_id,
                            name: s.name,
                            abilities: s.abilities,
                            knowledge: s.knowledge,
                            own: s.own,
                            manager: s.manager,
                            manager_name: s.manager_name,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

#[uniffi::export]
impl QamqorCore {
    /// The person's profession card with their scores (`null` until an admin assigns one).
    pub fn competency_profile(&self) -> Result<Option<CompetencyProfile>> {
        Ok(self.store.competency_profile()?.map(Into::into))
    }

    /// Rates one skill of the card: 0 no experience yet, 1 learning, 2 independent, 3 strong,
    /// 4 expert.
    pub fn rate_skill(&self, skill_id: String, score: u8) -> Result<()> {
        Ok(self.store.rate_skill(&skill_id, score)?)
    }
}

/// The skill scale, lowest first (0 "no experience yet" … 4 "expert: teaches others"): the
/// scores a person or manager may give. Apps offer exactly these and translate each score.
#[uniffi::export]
pub fn skill_scale() -> Vec<u8> {
    core::competency::SCALE.iter().map(|(score, _)| *score).collect()
}
