//! Competencies against Kazakhstan's IT professional standards (`qamqor-competencies`, source
//! document 004): which card a person holds, the skill scale, and how skill scores add up to a
//! labour function's score and a department's coverage. Pure; the phone and the server use the
//! same rules (`docs/COMPETENCIES.md`, "Competencies in the product").
//!
//! The scale is 0 to 4: **0** no experience yet, **1** learning (does it with help), **2**
//! independent (does it alone), **3** strong (does it well, also in hard cases), **4** expert
//! (teaches others, sets the standard). A skill's score is the manager's when there is one, else
//! the person's own; a labour function's score is the mean of its rated skills (two decimals);
//! a person is **strong** in a function at 3 or more.

pub use qamqor_competencies::{Catalogue, FunctionKind, LabourFunction, ProfessionCard, Skill};
pub use qamqor_protocol::SKILL_SCALE_MAX;

use crate::error::{Error, InvalidReason, Result};
use crate::rating::round2;

/// The score from which a person counts as strong in a skill or function.
pub const STRONG_SCORE: f64 = 3.0;

/// The scale's labels, for documentation and the CLI.
pub const SCALE: [(u8, &str); 5] = [
    (0, "no experience yet"),
    (1, "learning: does it with help"),
    (2, "independent: does it alone"),
    (3, "strong: does it well, also in hard cases"),
    (4, "expert: teaches others"),
];

// The labelled scale is the range `validate_score` accepts.
const _: () = assert!(SCALE.len() == SKILL_SCALE_MAX as usize + 1);

/// The shipped catalogue of professional standards.
pub fn catalogue() -> Result<&'static Catalogue> {
    qamqor_competencies::builtin().map_err(Error::Corrupt)
}

/// A score on the scale, or `field` out of range.
pub fn validate_score(field: &str, score: u8) -> Result<()> {
    if score > SKILL_SCALE_MAX {
        return Err(Error::invalid(field, InvalidReason::OutOfRange, format!("must be 0 to {SKILL_SCALE_MAX}, got {score}")));
    }
    Ok(())
}

/// The card an admin names: by its id, or by occupation code and level. A level sent with a card
/// id must be the card's own (cards are per level).
pub fn resolve_card<'a>(c: &'a Catalogue, card_id: Option<&str>, occupation_code: Option<&str>, level: Option<u8>) -> Result<&'a ProfessionCard> {
    if let Some(l) = level {
        if !(1..=8).contains(&l) {
            return Err(Error::invalid("level", InvalidReason::OutOfRange, format!("a qualification level is 1 to 8, got {l}")));
        }
    }
    let card = match (card_id, occupation_code) {
        (Some(id), _) => c
            .card(id)
            .ok_or_else(|| Error::invalid("card_id", InvalidReason::Unknown, format!("'{id}' is not a profession card of the catalogue")))?,
        (None, Some(code)) => {
            let Some(l) = level else {
                return Err(Error::invalid("level", InvalidReason::Empty, "give the level with the occupation code"));
            };
            c.find_card(code, l).ok_or_else(|| {
                Error::invalid("occupation_code", InvalidReason::Unknown, format!("no profession card for occupation {code} at level {l}"))
            })?
        }
        (None, None) => return Err(Error::invalid("card_id", InvalidReason::Empty, "give card_id, or occupation_code and level")),
    };
    if let (Some(l), Some(card_level)) = (level, card.level) {
        if l != card_level {
            return Err(Error::invalid("level", InvalidReason::OutOfRange, format!("the card {} is level {card_level}, not {l}", card.id)));
        }
    }
    Ok(card)
}

/// The skill of `card` with this id, or `skill_id` unknown.
pub fn skill_of<'a>(card: &'a ProfessionCard, skill_id: &str) -> Result<(&'a LabourFunction, &'a Skill)> {
    card.mandatory_functions
        .iter()
        .chain(&card.additional_functions)
        .find_map(|f| f.skills.iter().find(|s| s.id == skill_id).map(|s| (f, s)))
        .ok_or_else(|| Error::invalid("skill_id", InvalidReason::Unknown, format!("'{skill_id}' is not a skill of the card {}", card.id)))
}

/// A skill's score: the manager's when there is one, else the person's own.
pub fn effective(own: Option<u8>, manager: Option<u8>) -> Option<u8> {
    manager.or(own)
}

/// A labour function's score: the mean of its rated skills, two decimals (`None`: none rated).
pub fn function_score(scores: impl IntoIterator<Item = Option<u8>>) -> Option<f64> {
    let rated: Vec<f64> = scores.into_iter().flatten().map(f64::from).collect();
    (!rated.is_empty()).then(|| round2(rated.iter().sum::<f64>() / rated.len() as f64))
}

/// Whether a function score makes a person strong in it.
pub fn is_strong(score: Option<f64>) -> bool {
    score.is_some_and(|s| s >= STRONG_SCORE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<impl std::fmt::Debug>) -> String {
        match r {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cards_are_found_by_id_or_by_occupation_and_level() {
        let c = catalogue().unwrap();
        let designer = resolve_card(c, None, Some("2511-1-005"), Some(5)).unwrap();
        assert_eq!(designer.name, "IT-дизайнер");
        assert_eq!(resolve_card(c, Some(&designer.id), None, None).unwrap().id, designer.id);
        assert_eq!(resolve_card(c, Some(&designer.id), None, Some(5)).unwrap().id, designer.id);
        assert_eq!(field(resolve_card(c, Some(&designer.id), None, Some(4))), "level");
        assert_eq!(field(resolve_card(c, Some("J000/1"), None, None)), "card_id");
        assert_eq!(field(resolve_card(c, None, Some("2511-1-005"), Some(8))), "occupation_code");
        assert_eq!(field(resolve_card(c, None, Some("2511-1-005"), None)), "level");
        assert_eq!(field(resolve_card(c, None, None, Some(9))), "level");
        assert_eq!(field(resolve_card(c, None, None, None)), "card_id");
    }

    #[test]
    fn skills_belong_to_their_card_and_scores_to_the_scale() {
        let c = catalogue().unwrap();
        let card = c.cards().next().unwrap();
        let skill = &card.mandatory_functions[0].skills[0];
        assert_eq!(skill_of(card, &skill.id).unwrap().1.id, skill.id);
        let other = c.cards().nth(5).unwrap();
        assert_eq!(field(skill_of(other, &skill.id)), "skill_id");
        validate_score("score", 4).unwrap();
        assert_eq!(field(validate_score("score", 5)), "score");
    }

    #[test]
    fn function_scores_average_the_rated_skills_and_managers_count_first() {
        assert_eq!(function_score([Some(3), None, Some(4)]), Some(3.5));
        assert_eq!(function_score([Some(1), Some(2), Some(2)]), Some(1.67));
        assert_eq!(function_score([None, None]), None);
        assert_eq!(effective(Some(4), Some(2)), Some(2));
        assert_eq!(effective(Some(4), None), Some(4));
        assert!(is_strong(Some(3.0)) && !is_strong(Some(2.99)) && !is_strong(None));
    }
}
