//! Competencies through the admin API: an admin assigns profession cards of the professional
//! standards catalogue, phones push their own skill scores (checked), managers rate within their
//! subtree, and the coverage of each labour function shows who is strong and where the gaps are.

mod common;

use common::world::World;
use common::*;
use qamqor_protocol::{Entity, SkillRatingPayload};
use serde_json::{json, Value};
use uuid::Uuid;

fn own_score(skill: &str, score: u8) -> qamqor_protocol::Change {
    let p = SkillRatingPayload { skill_id: skill.into(), score, rated_at: NOW, rated_by: None };
    upsert(Entity::SkillRating, skill, &hlc(NOW, "b2"), serde_json::to_value(p).unwrap())
}

fn enc(skill: &str) -> String {
    skill.replace('/', "%2F")
}

async fn assign(w: &World, who: Uuid, body: Value) -> (u16, Value) {
    w.put(&w.admin.token, &format!("/api/v1/admin/people/{who}/competency"), body).await
}

#[tokio::test]
async fn cards_are_assigned_scores_pushed_and_rated_and_coverage_shows_the_gaps() {
    let w = World::new().await;
    // Unknown cards and wrong levels are refused with their field; nothing is assigned.
    let (st, e) = assign(&w, w.east.id, json!({"card_id": "J000/1"})).await;
    assert_eq!((st, e["field"].as_str()), (422, Some("card_id")), "{e}");
    let (st, e) = assign(&w, w.east.id, json!({"occupation_code": "2511-1-005", "level": 8})).await;
    assert_eq!((st, e["field"].as_str()), (422, Some("occupation_code")), "{e}");
    let (st, e) = assign(&w, w.east.id, json!({"occupation_code": "2511-1-005", "level": 9})).await;
    assert_eq!((st, e["field"].as_str()), (422, Some("level")), "{e}");
    let (st, e) = w.get(&w.manager.token, &format!("/api/v1/admin/people/{}/competency", w.east.id)).await;
    assert_eq!((st, e["code"].as_str()), (404, Some("competency_not_assigned")));
    let (st, _) = w.put(&w.manager.token, &format!("/api/v1/admin/people/{}/competency", w.east.id), json!({"card_id": "J000/1"})).await;
    assert_eq!(st, 403);
    let (st, e) = w.put(&w.other_admin.token, &format!("/api/v1/admin/people/{}/competency", w.east.id), json!({"occupation_code": "2511-1-005", "level": 5})).await;
    assert_eq!((st, e["code"].as_str()), (404, Some("user_not_found")));

    let (st, p) = assign(&w, w.east.id, json!({"occupation_code": "2511-1-005", "level": 5})).await;
    assert_eq!(st, 200, "{p}");
    assert_eq!((p["card_name"].as_str(), p["level"].as_u64()), (Some("IT-дизайнер"), Some(5)));
    let card = p["card_id"].as_str().unwrap().to_string();
    let functions = p["functions"].as_array().unwrap();
    assert!(functions.iter().any(|f| f["name"] == "БҚ прототиптері бар пайдаланушы сынақтарын өткізу"));
    let skill = functions[0]["skills"][0]["skill_id"].as_str().unwrap().to_string();
    let (st, _) = assign(&w, w.almaty.id, json!({"card_id": card})).await;
    assert_eq!(st, 200);
    let pulled = w.s.pull_personal(&w.east.token).await;
    let a = pulled.iter().find(|c| c.entity == Entity::CompetencyAssignment).expect("the phone pulls its card");
    assert_eq!(a.payload["card_id"], json!(card));

    // Own scores pushed by the phones: checked by the core's rules.
    let (st, e) = error_of(w.s.push(&w.east.token, &[own_score(&skill, 7)]).await).await;
    assert_eq!((st, e.field.as_deref()), (422, Some("changes[0].payload.score")));
    let (st, e) = error_of(w.s.push(&w.east.token, &[own_score("J000/1/f1/s1", 2)]).await).await;
    assert_eq!((st, e.field.as_deref()), (422, Some("changes[0].payload.skill_id")));
    assert_eq!(w.s.push(&w.east.token, &[own_score(&skill, 4)]).await.status(), 200);
    assert_eq!(w.s.push(&w.almaty.token, &[own_score(&skill, 1)]).await.status(), 200);

    // The manager rates within the subtree.
    let path = |who: Uuid, s: &str| format!("/api/v1/admin/people/{who}/skills/{}", enc(s));
    let (st, e) = w.put(&w.manager.token, &path(w.east.id, &skill), json!({"score": 5})).await;
    assert_eq!((st, e["field"].as_str()), (422, Some("score")), "{e}");
    let (st, e) = w.put(&w.manager.token, &path(w.east.id, "J000/1/f1/s1"), json!({"score": 2})).await;
    assert_eq!((st, e["field"].as_str()), (422, Some("skill_id")), "{e}");
    let (st, _) = w.put(&w.manager.token, &path(w.support.id, &skill), json!({"score": 2})).await;
    assert_eq!(st, 403);
    let (st, e) = w.put(&w.manager.token, &path(w.sales.id, &skill), json!({"score": 2})).await;
    assert_eq!((st, e["code"].as_str()), (404, Some("competency_not_assigned")));
    let (st, p) = w.put(&w.manager.token, &path(w.east.id, &skill), json!({"score": 3})).await;
    assert_eq!(st, 200, "{p}");
    let s0 = &p["functions"][0]["skills"][0];
    assert_eq!((s0["own"].as_u64(), s0["manager"].as_u64(), s0["manager_name"].as_str()), (Some(4), Some(3), Some("Person boss@acme.kz")));
    assert_eq!(p["functions"][0]["strong"], true);
    let pulled = w.s.pull_personal(&w.east.token).await;
    let m = pulled.iter().find(|c| c.entity == Entity::ManagerSkillRating).expect("the manager's score reaches the phone");
    assert_eq!((m.record_id.as_str(), m.payload["score"].as_u64()), (skill.as_str(), Some(3)));
    let (_, log) = w.get(&w.admin.token, "/api/v1/admin/audit?action=competency.rate").await;
    assert_eq!(log["total"], 1);
    let (_, log) = w.get(&w.admin.token, "/api/v1/admin/audit?action=competency.assign").await;
    assert_eq!(log["total"], 2);

    // Coverage over the manager's subtree: the first function has one strong person of two.
    let (st, c) = w.get(&w.manager.token, "/api/v1/admin/competencies/coverage").await;
    assert_eq!(st, 200, "{c}");
    assert_eq!((c["people"].as_u64(), c["assigned"].as_u64()), (Some(4), Some(2)));
    let rows = c["functions"].as_array().unwrap();
    let first = rows.iter().find(|f| f["function_id"] == functions[0]["function_id"]).unwrap();
    assert_eq!((first["people"].as_u64(), first["rated"].as_u64(), first["strong"].as_u64()), (Some(2), Some(2), Some(1)));
    assert_eq!(first["strong_people"], json!(["Person east@acme.kz"]));
    assert_eq!((first["average"].as_f64(), first["gap"].as_bool()), (Some(2.0), Some(false)));
    assert!(rows[0]["gap"].as_bool().unwrap(), "gaps come first");
    assert_eq!(rows.len(), functions.len());
    // Almaty's subtree alone: nobody strong anywhere.
    let (_, c) = w.get(&w.manager.token, &format!("/api/v1/admin/competencies/coverage?department_id={}", w.dept("Almaty"))).await;
    assert!(c["functions"].as_array().unwrap().iter().all(|f| f["gap"] == true));
    let (st, _) = w.get(&w.manager.token, &format!("/api/v1/admin/competencies/coverage?department_id={}", w.dept("Support"))).await;
    assert_eq!(st, 403);
    // The export holds one row per function.
    let r = w.get_raw(&w.manager.token, "/api/v1/admin/competencies/coverage?format=csv").await;
    assert_eq!(r.status(), 200);
    let text = String::from_utf8(r.bytes().await.unwrap()[3..].to_vec()).unwrap();
    assert_eq!(text.lines().count(), 1 + functions.len());
    assert!(text.lines().next().unwrap().starts_with("card,function,mandatory,people,rated,strong"));
    let x = w.get_raw(&w.admin.token, "/api/v1/admin/competencies/coverage?format=xlsx").await;
    assert_eq!(xlsx_rows(&x.bytes().await.unwrap()).len(), 1 + functions.len());
}
