//! The risk overview under each privacy policy: distributions per department from the risk
//! assessments the devices share, groups smaller than k hidden under `aggregate` together with
//! the groups that would give them away by subtraction, the trend, and the people at high risk
//! with their main factors only under `individual`.

mod common;

use common::world::{person, World};
use common::*;
use qamqor_protocol::{Entity, Role};
use serde_json::{json, Value};

fn assessment(level: &str, factors: Value) -> qamqor_protocol::Change {
    upsert(
        Entity::RiskAssessment,
        "2024-12-31",
        &hlc(NOW, "c1"),
        json!({"local_date": "2024-12-31", "level": level, "score": if level == "high" { 0.9 } else { 0.2 }, "model_version": "1.0.0", "factors": factors}),
    )
}

async fn assessed(w: &World, token: &str, level: &str) {
    let r = w.s.push(token, &[assessment(level, json!([{"key": "sleep", "contribution": 0.1}]))]).await;
    assert_eq!(r.status(), 200);
}

/// Adds `n` assessed people to a department (created without one, then moved by the admin).
async fn add_people(w: &World, dept: &str, n: usize, level: &str) {
    for i in 0..n {
        let email = format!("{}{i}@acme.kz", dept.to_lowercase());
        let p = person(&w.s, "Acme", &email, Role::Employee, None).await;
        let (st, body) = w.patch(&w.admin.token, &format!("/api/v1/admin/people/{}", p.id), json!({"department_id": w.dept(dept)})).await;
        assert_eq!(st, 200, "{body}");
        assessed(w, &p.token, level).await;
    }
}

/// Sales (direct: 4 assessed) > East (direct: 5) > Almaty (1); Support: 6. The manager and
/// the admin share nothing.
async fn org() -> World {
    let w = World::new().await;
    let factors = json!([
        {"key": "sleep", "contribution": 0.05}, {"key": "overtime", "contribution": 0.4},
        {"key": "fatigue", "contribution": 0.3}, {"key": "weekend_work", "contribution": -0.2}
    ]);
    assert_eq!(w.s.push(&w.east.token, &[assessment("high", factors)]).await.status(), 200);
    assessed(&w, &w.almaty.token, "medium").await;
    assessed(&w, &w.sales.token, "low").await;
    assessed(&w, &w.support.token, "low").await;
    add_people(&w, "East", 4, "low").await;
    add_people(&w, "Sales", 3, "medium").await;
    add_people(&w, "Support", 5, "low").await;
    w
}

fn group<'a>(o: &'a Value, name: &str) -> &'a Value {
    o["groups"].as_array().unwrap().iter().find(|g| g["name"] == name).unwrap_or_else(|| panic!("{name} in {o}"))
}

#[tokio::test]
async fn aggregate_hides_small_groups_and_what_would_reveal_them() {
    let w = org().await;
    let (st, o) = w.get(&w.admin.token, "/api/v1/admin/risk?weeks=3").await;
    assert_eq!(st, 200, "{o}");
    assert_eq!((o["privacy_policy"].as_str(), o["min_group_size"].as_u64()), (Some("aggregate"), Some(5)));
    assert!(o.get("people_at_high_risk").is_none());
    let total = group(&o, "Organisation");
    assert_eq!((total["assessed"].as_u64(), total["distribution"].clone()), (Some(16), json!({"low": 11, "medium": 4, "high": 1})));
    assert_eq!(group(&o, "Sales")["assessed"], 10);
    assert_eq!(group(&o, "Support")["distribution"], json!({"low": 6, "medium": 0, "high": 0}));
    // Sales' direct members (4) are too small; East (6) would then be Sales − direct, so East
    // is hidden too. Almaty (1) is too small; East's direct members (5) stay shown: with East
    // hidden, Almaty = East − 5 has an unknown on each side.
    assert_eq!(group(&o, "Sales (direct members)")["suppressed"], "small_group");
    let east = group(&o, "Sales / East");
    assert_eq!((east["suppressed"].as_str(), east["distribution"].is_null(), east["people"].as_u64()), (Some("complementary"), true, Some(6)));
    assert_eq!(group(&o, "Sales / East / Almaty")["suppressed"], "small_group");
    assert_eq!(group(&o, "Sales / East (direct members)")["assessed"], 5);
    // Nobody shown can be derived: every shown parent has 0 or at least 2 hidden members.
    for g in o["groups"].as_array().unwrap() {
        let members: Vec<&Value> = o["groups"].as_array().unwrap().iter().filter(|m| m["parent"] == g["key"]).collect();
        let hidden = members.iter().filter(|m| !m["suppressed"].is_null()).count();
        if g["suppressed"].is_null() {
            assert_ne!(hidden, 1, "{} gives a member away", g["name"]);
        }
    }
    // The trend: this week has the assessments; the weeks before none.
    let trend = o["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 3);
    assert_eq!((trend[2]["week"]["label"].as_str(), trend[2]["assessed"].as_u64()), (Some("2025-W01"), Some(16)));
    assert_eq!(trend[0]["assessed"], 0);

    // A manager's total is their subtree; the same rules apply.
    let (_, mine) = w.get(&w.manager.token, "/api/v1/admin/risk").await;
    assert_eq!(group(&mine, "Your departments")["assessed"], 10);
    assert!(mine["groups"].as_array().unwrap().iter().all(|g| g["name"] != "Support"));

    let (st, e) = w.get(&w.admin.token, "/api/v1/admin/risk?weeks=0").await;
    assert_eq!((st, e["field"].as_str()), (422, Some("weeks")));
}

#[tokio::test]
async fn individual_shows_every_group_and_the_people_at_high_risk() {
    let w = org().await;
    w.policy("individual", 5).await;
    let (_, o) = w.get(&w.admin.token, "/api/v1/admin/risk").await;
    assert!(o["groups"].as_array().unwrap().iter().all(|g| g["suppressed"].is_null()));
    assert_eq!(group(&o, "Sales / East / Almaty")["distribution"], json!({"low": 0, "medium": 1, "high": 0}));
    let high = o["people_at_high_risk"].as_array().unwrap();
    assert_eq!(high.len(), 1);
    assert_eq!(high[0]["person_id"], json!(w.east.id));
    assert_eq!(high[0]["assessed_on"], "2024-12-31");
    let keys: Vec<&str> = high[0]["factors"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["overtime", "fatigue", "weekend_work"], "the three strongest, strongest first");
    // Managers see the people of their subtree; the reading is logged.
    let (_, mine) = w.get(&w.manager.token, "/api/v1/admin/risk").await;
    assert_eq!(mine["people_at_high_risk"].as_array().unwrap().len(), 1);
    let (_, log) = w.get(&w.admin.token, "/api/v1/admin/audit?action=risk.view_individuals").await;
    assert_eq!(log["total"], 2);
    // Export of the groups.
    let r = w.get_raw(&w.admin.token, "/api/v1/admin/risk?format=csv").await;
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let text = String::from_utf8(r.bytes().await.unwrap()[3..].to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!((&rows[0][0], &rows[0][3], &rows[0][6]), ("Organisation", "16", "1"));
}
