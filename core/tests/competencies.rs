//! The competency profile on the device: the card assigned by an admin arrives by pull, the
//! person rates the skills of its labour functions (0-4, synced), the manager's scores arrive too.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use qamqor_core::competency;
use qamqor_core::*;
use qamqor_protocol::{Change, CompetencyAssignmentPayload, Entity, Op, SkillRatingPayload, COMPETENCY_RECORD_ID};
use tempfile::TempDir;
use uuid::Uuid;

fn store() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 16, 9, 0, 0).unwrap()));
    let store = Store::open_with_clock(dir.path().join("qamqor.db"), clock).unwrap();
    (dir, store)
}

fn server(entity: Entity, record_id: &str, n: u64, payload: serde_json::Value) -> Change {
    Change { id: Uuid::now_v7(), entity, record_id: record_id.into(), op: Op::Upsert, hlc: format!("{:016x}-1", (1_900_000_000u64 << 32) + n), payload }
}

fn assign(card_id: &str, level: u8, n: u64) -> Change {
    let p = CompetencyAssignmentPayload { card_id: card_id.into(), level, assigned_by: "Admin".into(), assigned_at: 1_795_000_000_000 };
    server(Entity::CompetencyAssignment, COMPETENCY_RECORD_ID, n, serde_json::to_value(p).unwrap())
}

fn field_and_reason(r: Result<()>) -> (String, InvalidReason) {
    match r {
        Err(Error::Invalid { field, reason, .. }) => (field, reason),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_assigned_card_arrives_and_the_person_rates_its_skills() {
    let (_d, s) = store();
    assert_eq!(s.competency_profile().unwrap(), None);
    assert_eq!(field_and_reason(s.rate_skill("J62011053/1/f1/s1", 3)), ("skill_id".into(), InvalidReason::Unknown));

    let designer = competency::resolve_card(competency::catalogue().unwrap(), None, Some("2511-1-005"), Some(5)).unwrap();
    assert_eq!(s.apply_pulled(&[assign(&designer.id, 5, 1)], 1).unwrap().applied, 1);
    let p = s.competency_profile().unwrap().unwrap();
    assert_eq!((p.card_name.as_str(), p.level, p.occupation_code.as_deref()), ("IT-дизайнер", 5, Some("2511-1-005")));
    assert!(p.functions.iter().any(|f| f.name == "БҚ прототиптері бар пайдаланушы сынақтарын өткізу"));
    let f = &p.functions[0];
    assert!(f.mandatory && !f.skills.is_empty());
    assert_eq!((f.score, f.strong), (None, false));

    let skill = f.skills[0].skill_id.clone();
    s.rate_skill(&skill, 3).unwrap();
    s.rate_skill(&skill, 4).unwrap();
    let out: Vec<Change> = s.pending_changes(10).unwrap();
    assert_eq!(out.len(), 2);
    assert_eq!((out[1].entity, out[1].record_id.as_str(), out[1].payload["score"].as_u64()), (Entity::SkillRating, skill.as_str(), Some(4)));
    let p = s.competency_profile().unwrap().unwrap();
    assert_eq!(p.functions[0].skills[0].own, Some(4));
    assert_eq!(p.functions[0].score, Some(4.0));
    assert!(p.functions[0].strong);

    // Out of range, another card's skill: refused, nothing changed.
    assert_eq!(field_and_reason(s.rate_skill(&skill, 5)), ("score".into(), InvalidReason::OutOfRange));
    assert_eq!(field_and_reason(s.rate_skill("J000/1/f1/s1", 2)), ("skill_id".into(), InvalidReason::Unknown));
    assert_eq!(s.pending_change_count().unwrap(), 2);

    // The manager's score counts first.
    let m = SkillRatingPayload { skill_id: skill.clone(), score: 2, rated_at: 1_795_000_000_000, rated_by: Some("Boss".into()) };
    s.apply_pulled(&[server(Entity::ManagerSkillRating, &skill, 2, serde_json::to_value(m).unwrap())], 2).unwrap();
    let f = &s.competency_profile().unwrap().unwrap().functions[0];
    assert_eq!((f.skills[0].manager, f.skills[0].manager_name.as_deref()), (Some(2), Some("Boss")));
    assert_eq!((f.score, f.strong), (Some(2.0), false));

    // An unknown card from the server is kept aside; the current one stays.
    assert_eq!(s.apply_pulled(&[assign("J000/9", 5, 3)], 3).unwrap().rejected, 1);
    assert_eq!(s.competency_profile().unwrap().unwrap().card_id, designer.id);
}

#[test]
fn another_device_receives_the_persons_own_scores() {
    let (_a, a) = store();
    let (_b, b) = store();
    let card = competency::catalogue().unwrap().cards().next().unwrap();
    for s in [&a, &b] {
        s.apply_pulled(&[assign(&card.id, card.level.unwrap(), 1)], 1).unwrap();
    }
    let skill = card.mandatory_functions[0].skills[0].id.clone();
    a.rate_skill(&skill, 2).unwrap();
    b.apply_pulled(&a.pending_changes(10).unwrap(), 2).unwrap();
    assert_eq!(b.competency_profile().unwrap().unwrap().functions[0].skills[0].own, Some(2));
}
