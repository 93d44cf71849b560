//! The weekly indicators from data pushed by the employees: values and categories per
//! department, "not enough data", fully compliant departments, the index over sub-units or
//! people, the change against the previous week, the targets (validated, admins only), the
//! privacy policy's effect on the risk indicator, and the export.

mod common;

use common::world::World;
use common::*;
use qamqor_protocol::Entity;
use serde_json::{json, Value};

const DAY: i64 = 24 * 60 * MINUTE;

/// A working day: a check-in and a 09:00-17:00 (Almaty) session.
fn day(date: &str, n: u32) -> Vec<qamqor_protocol::Change> {
    let h = hlc(NOW + i64::from(n), "d1");
    vec![
        upsert(Entity::CheckIn, &format!("c{date}"), &h, json!({"local_date": date})),
        upsert(
            Entity::WorkSession,
            &format!("s{date}"),
            &h,
            json!({"started_at": format!("{date}T04:00:00Z"), "ended_at": format!("{date}T12:00:00Z"), "source": "timer", "note": null}),
        ),
    ]
}

fn risk(date: &str, level: &str) -> qamqor_protocol::Change {
    upsert(
        Entity::RiskAssessment,
        date,
        &hlc(NOW, "d1"),
        json!({"local_date": date, "level": level, "score": 0.5, "model_version": "1.0.0", "factors": [{"key": "overtime", "contribution": 0.2}]}),
    )
}

async fn push(w: &World, token: &str, days: &[&str], risks: &[(&str, &str)]) {
    let mut changes: Vec<_> = days.iter().enumerate().flat_map(|(i, d)| day(d, i as u32)).collect();
    changes.extend(risks.iter().map(|(d, l)| risk(d, l)));
    let r = w.s.push(token, &changes).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

const W01: [&str; 3] = ["2025-01-01", "2025-01-02", "2025-01-03"];
const W02: [&str; 5] = ["2025-01-06", "2025-01-07", "2025-01-08", "2025-01-09", "2025-01-10"];

/// Two weeks: Support and East complete both; Almaty only the second; Sales checks in on two
/// days of the first. East shares a high risk level, the others low.
async fn two_weeks(w: &World) {
    push(w, &w.support.token, &[&W01[..], &W02[..]].concat(), &[("2025-01-03", "low"), ("2025-01-10", "low")]).await;
    push(w, &w.east.token, &[&W01[..], &W02[..]].concat(), &[("2025-01-03", "high")]).await;
    push(w, &w.almaty.token, &W02, &[("2025-01-10", "low")]).await;
    push(w, &w.sales.token, &W01[..2], &[]).await;
}

fn row<'a>(t: &'a Value, name: &str) -> &'a Value {
    t["departments"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name} in {t}"))
}

fn indicator<'a>(r: &'a Value, key: &str) -> &'a Value {
    r["indicators"].as_array().unwrap().iter().find(|i| i["key"] == key).unwrap()
}

#[tokio::test]
async fn the_weekly_table_has_values_categories_an_index_and_the_change() {
    let w = World::new().await;
    two_weeks(&w).await;
    w.policy("individual", 5).await;
    let (st, t) = w.put(&w.admin.token, "/api/v1/admin/indicators/targets", json!({"min_people": 1})).await;
    assert_eq!((st, t["min_people"].as_u64(), t["check_ins"].as_f64()), (200, Some(1), Some(70.0)));
    w.s.clock.advance(14 * DAY); // Wednesday 15 January: the last complete week is 2025-W02.
    let admin = w.s.login("admin@acme.kz").await.access_token;
    let (st, t) = w.get(&admin, "/api/v1/admin/indicators").await;
    assert_eq!(st, 200, "{t}");
    assert_eq!((t["week"]["label"].as_str(), t["previous_week"]["label"].as_str()), (Some("2025-W02"), Some("2025-W01")));
    assert_eq!(t["enough_data"], true);

    let almaty = row(&t, "Sales / East / Almaty");
    assert_eq!((almaty["units"].as_str(), almaty["units_high"].as_u64()), (Some("people"), Some(1)));
    assert_eq!((almaty["index"].as_f64(), almaty["previous_index"].as_f64(), almaty["change"].as_str()), (Some(100.0), Some(0.0), Some("up")));
    assert_eq!(almaty["fully_compliant"], true);

    let east = row(&t, "Sales / East");
    assert_eq!(east["units"], "sub_departments");
    assert_eq!((east["index"].as_f64(), east["change"].as_str()), (Some(100.0), Some("up")));
    let high_risk = indicator(east, "high_risk");
    assert_eq!((high_risk["value"].as_f64(), high_risk["numerator"].as_u64(), high_risk["denominator"].as_u64()), (Some(50.0), Some(1), Some(2)));
    assert_eq!(high_risk["category"], "low");
    assert_eq!(east["missed"], json!(["high_risk"]));
    assert_eq!(indicator(east, "check_ins")["value"], 100.0);

    let support = row(&t, "Support");
    assert_eq!((support["index"].as_f64(), support["change"].as_str(), support["fully_compliant"].as_bool()), (Some(100.0), Some("same"), Some(true)));

    let sales = row(&t, "Sales");
    // Sales' only sub-unit is East, which misses the risk target: index 0. Its own people
    // count in its values: 10 check-in days of 20 working days.
    assert_eq!((sales["index"].as_f64(), sales["people"].as_u64()), (Some(0.0), Some(4)));
    assert_eq!((indicator(sales, "check_ins")["value"].as_f64(), indicator(sales, "check_ins")["category"].as_str()), (Some(50.0), Some("low")));

    // Sorted by index, ties by name.
    let order: Vec<&str> = t["departments"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(order, ["Sales / East", "Sales / East / Almaty", "Support", "Sales"]);
    assert_eq!(t["fully_compliant_departments"], 2);
    let summary = t["summary"].as_array().unwrap();
    assert_eq!(summary.iter().map(|s| s["key"].as_str().unwrap()).collect::<Vec<_>>(), ["accounts_activated", "check_ins", "work_sessions", "high_risk"]);
    assert_eq!((summary[3]["target"].as_f64(), summary[3]["lower_is_better"].as_bool()), (Some(15.0), Some(true)));
    assert_eq!(summary[1]["departments_meeting"], 3);

    // The week before the accounts existed has no data; a week named in the query.
    let (_, old) = w.get(&admin, "/api/v1/admin/indicators?week=2024-W50").await;
    assert_eq!(old["enough_data"], false);
    let (_, w01) = w.get(&admin, "/api/v1/admin/indicators?week=2025-W01").await;
    assert_eq!(row(&w01, "Sales / East / Almaty")["index"], 0.0);
    assert!(row(&w01, "Support")["change"].is_null(), "no index the week before");

    // A manager's table covers their subtree.
    let boss = w.s.login("boss@acme.kz").await.access_token;
    let (_, mine) = w.get(&boss, "/api/v1/admin/indicators").await;
    assert_eq!(mine["departments"].as_array().unwrap().len(), 3);

    // Export.
    let r = w.get_raw(&admin, "/api/v1/admin/indicators?format=xlsx").await;
    assert_eq!(r.headers()["content-disposition"], "attachment; filename=\"indicators-2025-W02.xlsx\"");
    let sheet = xlsx_rows(&r.bytes().await.unwrap());
    assert_eq!(sheet.len(), 5);
    assert_eq!((sheet[1][1].as_str(), sheet[1][3].as_str(), sheet[1][5].as_str()), ("Sales / East", "100", "up"));
    let col = sheet[0].iter().position(|c| c == "high_risk_category").unwrap();
    assert_eq!(sheet[1][col], "low");
}

#[tokio::test]
async fn small_groups_are_not_enough_data_and_aggregate_hides_small_risk_groups() {
    let w = World::new().await;
    two_weeks(&w).await;
    w.s.clock.advance(14 * DAY);
    let admin = w.s.login("admin@acme.kz").await.access_token;
    // Defaults: min_people 3, aggregate policy with k = 5.
    let (_, t) = w.get(&admin, "/api/v1/admin/indicators").await;
    let support = row(&t, "Support");
    assert!(support["indicators"].as_array().unwrap().iter().all(|i| i["not_enough_data"] == true && i["value"].is_null()));
    assert_eq!(support["fully_compliant"], false);
    // Its person is still a unit of its index (judged alone, without the risk indicator).
    assert_eq!(support["index"], 100.0);
    let sales = row(&t, "Sales");
    assert_eq!(indicator(sales, "check_ins")["people"], 4);
    assert_eq!(indicator(sales, "high_risk")["not_enough_data"], true, "3 assessed people < k = 5");
    let east = row(&t, "Sales / East");
    assert_eq!(indicator(east, "accounts_activated")["not_enough_data"], true, "2 people < 3");
}

#[tokio::test]
async fn targets_are_validated_and_set_by_admins_only() {
    let w = World::new().await;
    let t = &w.admin.token;
    let (st, got) = w.get(t, "/api/v1/admin/indicators/targets").await;
    assert_eq!((st, got), (200, json!({"accounts_activated": 90.0, "check_ins": 70.0, "work_sessions": 80.0, "high_risk": 15.0, "min_people": 3})));
    for (body, field) in [
        (json!({"check_ins": 120}), "check_ins"),
        (json!({"high_risk": -1}), "high_risk"),
        (json!({"work_sessions": "most"}), "work_sessions"),
        (json!({"min_people": 0}), "min_people"),
        (json!({"min_people": 5000}), "min_people"),
        (json!({"accounts_activated": 95, "min_people": -2}), "min_people"),
    ] {
        let (st, e) = w.put(t, "/api/v1/admin/indicators/targets", body.clone()).await;
        assert_eq!((st, e["code"].as_str(), e["field"].as_str()), (422, Some("invalid_field"), Some(field)), "{body}");
    }
    let r = w
        .s
        .http
        .put(format!("{}/api/v1/admin/indicators/targets", w.s.base))
        .header(qamqor_protocol::PROTOCOL_HEADER, "1")
        .bearer_auth(t)
        .header("content-type", "application/json")
        .body("{\"check_ins\": 5")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, 400);
    let (st, _) = w.put(&w.manager.token, "/api/v1/admin/indicators/targets", json!({"check_ins": 50})).await;
    assert_eq!(st, 403);
    let (_, unchanged) = w.get(t, "/api/v1/admin/indicators/targets").await;
    assert_eq!(unchanged["check_ins"], 70.0, "refused changes change nothing");
    let (st, set) = w.put(t, "/api/v1/admin/indicators/targets", json!({"check_ins": 60.5, "high_risk": 10})).await;
    assert_eq!((st, set["check_ins"].as_f64(), set["high_risk"].as_f64(), set["work_sessions"].as_f64()), (200, Some(60.5), Some(10.0), Some(80.0)));
    let (_, log) = w.get(t, "/api/v1/admin/audit?action=indicators.set_targets").await;
    assert_eq!(log["items"][0]["details"]["check_ins"], 60.5);
    // Another organisation keeps its defaults.
    let (_, theirs) = w.get(&w.other_admin.token, "/api/v1/admin/indicators/targets").await;
    assert_eq!(theirs["check_ins"], 70.0);
    let (st, e) = w.get(t, "/api/v1/admin/indicators?week=2025-W60").await;
    assert_eq!((st, e["field"].as_str()), (422, Some("week")));
}
