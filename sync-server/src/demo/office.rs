//! What the demo organisation's admin and managers do in the panel during the simulated weeks:
//! the admin assigns profession cards, managers score some skills of their people, and verify or
//! reject the achievements their people recorded. Each action goes through the admin API's own
//! service functions (`admin::competencies::{assign, rate}`, `admin::ratings::review`) as the
//! acting account ([`Ctx::acting`]) at the simulated instant: checked, scoped, written with its
//! audit entry and pulled by the person's phone exactly as a request's would be. Nothing here
//! writes a table itself.

use anyhow::anyhow;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::admin::competencies::{self, AssignCompetency, RateSkill};
use crate::admin::ratings::{self, ReviewRequest};
use crate::admin::Ctx;
use crate::error::AppError;
use crate::AppState;

/// One action of an admin or manager on one person's records.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The admin assigns the person this profession card.
    Assign { card_id: &'static str },
    /// The manager scores one skill of the person's card (0-4).
    RateSkill { skill_id: String, score: u8 },
    /// The manager (or the admin) verifies an achievement, or rejects it with a comment.
    Review { achievement_id: String, verified: bool, comment: Option<String> },
}

/// An action planned for a moment of the simulated weeks.
#[derive(Debug, Clone)]
pub struct Planned {
    pub at: DateTime<Utc>,
    /// The acting admin or manager.
    pub by: Uuid,
    /// Whose record it is.
    pub person: Uuid,
    pub action: Action,
}

/// The server's admin API as the demo's office uses it, from the phones' plain threads.
pub struct Office {
    pub state: AppState,
    pub runtime: tokio::runtime::Handle,
}

fn failed(what: &str, e: AppError) -> anyhow::Error {
    let (message, field) = e.message();
    match field {
        Some(f) => anyhow!("{what}: {message} ({f})"),
        None => anyhow!("{what}: {message}"),
    }
}

impl Office {
    /// Does one action, as its actor at its instant. Blocks: call it from a plain thread.
    pub fn run(&self, p: &Planned) -> anyhow::Result<()> {
        self.runtime.block_on(self.act(p))
    }

    /// Does one action, as its actor at its instant.
    pub async fn act(&self, p: &Planned) -> anyhow::Result<()> {
        {
            let ctx = Ctx::acting(&self.state, p.by, p.at.timestamp_millis()).await.map_err(|e| failed("acting", e))?;
            match &p.action {
                Action::Assign { card_id } => {
                    let req = AssignCompetency { card_id: Some((*card_id).to_string()), occupation_code: None, level: None };
                    competencies::assign(&self.state, &ctx, p.person, &req).await.map_err(|e| failed("assigning a card", e))?;
                }
                Action::RateSkill { skill_id, score } => {
                    competencies::rate(&self.state, &ctx, p.person, skill_id, &RateSkill { score: *score })
                        .await
                        .map_err(|e| failed("rating a skill", e))?;
                }
                Action::Review { achievement_id, verified, comment } => {
                    let req = ReviewRequest { status: if *verified { "verified" } else { "rejected" }.into(), comment: comment.clone() };
                    ratings::review(&self.state, &ctx, achievement_id, &req).await.map_err(|e| failed("reviewing an achievement", e))?;
                }
            }
            Ok(())
        }
    }

    /// Does, in time order, the planned actions due by `until` (removing them from `plan`).
    pub fn run_due(&self, plan: &mut Vec<Planned>, until: DateTime<Utc>) -> anyhow::Result<Vec<Planned>> {
        plan.sort_by_key(|p| p.at);
        let n = plan.iter().take_while(|p| p.at <= until).count();
        let due: Vec<Planned> = plan.drain(..n).collect();
        for p in &due {
            self.run(p).map_err(|e| e.context(format!("{:?} at {}", p.action, p.at)))?;
        }
        Ok(due)
    }
}
