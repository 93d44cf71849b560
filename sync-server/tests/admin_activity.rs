//! Activity statistics from what the employees' devices push through the real sync endpoint:
//! hours, overtime, after-hours and weekend work on the person's schedule (overlapping sessions
//! from two devices counted once, deleted ones not at all), check-in and work completion,
//! app-open days, syncs, tasks, per person, per department subtree and as a table, for a week
//! or a month, with exports.

mod common;

use common::world::World;
use common::*;
use qamqor_protocol::Entity;
use serde_json::{json, Value};

const DAY: i64 = 24 * 60 * MINUTE;

fn session(from: &str, to: &str) -> Value {
    json!({"started_at": from, "ended_at": to, "source": "manual", "note": null})
}

fn check_in(id: &str, date: &str) -> Value {
    json!({"id": id, "local_date": date, "fatigue": 3, "stress": 2, "mood": 4, "sleep_hours": 7.5, "note": null,
           "recorded_at": format!("{date}T04:00:00Z"), "replaced": false, "replaces": null})
}

fn app_open(date: &str) -> Value {
    json!({"local_date": date, "open_count": 2, "first_opened_at": format!("{date}T04:00:00Z"), "last_opened_at": format!("{date}T09:00:00Z")})
}

fn task(id: &str, due: &str, status: &str, completed_at: Value) -> Value {
    json!({"id": id, "title": "t", "notes": null, "due_date": due, "estimate_minutes": null, "status": status,
           "assigned_by": null, "created_at": "2024-12-20T04:00:00Z", "updated_at": "2024-12-20T04:00:00Z", "completed_at": completed_at})
}

/// East's first week (2025-W01: Monday 30 December to Sunday 5 January; accounts created and
/// activated on Wednesday 1 January), in Almaty time (UTC+5), on the default Mon-Fri 09-18
/// schedule.
async fn east_week(w: &World) {
    let h = |n: i64| hlc(NOW + n, "e1");
    let changes = [
        // Wed: 09:00-19:00, an hour after hours and an hour overtime.
        upsert(Entity::WorkSession, "s1", &h(1), session("2025-01-01T04:00:00Z", "2025-01-01T14:00:00Z")),
        // Thu: 10:00-12:00, also timed on another device (below): counted once.
        upsert(Entity::WorkSession, "s2", &h(2), session("2025-01-02T05:00:00Z", "2025-01-02T07:00:00Z")),
        // Fri: recorded by mistake and deleted.
        upsert(Entity::WorkSession, "s3", &h(3), session("2025-01-03T05:00:00Z", "2025-01-03T09:00:00Z")),
        tombstone(Entity::WorkSession, "s3", &h(4)),
        // Sat: an hour of weekend work.
        upsert(Entity::WorkSession, "s4", &h(5), session("2025-01-04T05:00:00Z", "2025-01-04T06:00:00Z")),
        upsert(Entity::CheckIn, "c1", &h(6), check_in("c1", "2025-01-01")),
        upsert(Entity::CheckIn, "c2", &h(7), check_in("c2", "2025-01-02")),
        upsert(Entity::AppOpen, "d1:2025-01-01", &h(8), app_open("2025-01-01")),
        upsert(Entity::AppOpen, "d1:2025-01-02", &h(9), app_open("2025-01-02")),
        upsert(Entity::AppOpen, "d1:2025-01-04", &h(10), app_open("2025-01-04")),
        upsert(Entity::Task, "t1", &h(11), task("t1", "2025-01-10", "done", json!("2025-01-02T06:00:00Z"))),
        upsert(Entity::Task, "t2", &h(12), task("t2", "2024-12-31", "todo", Value::Null)),
        upsert(Entity::Task, "t3", &h(13), task("t3", "2024-12-31", "cancelled", Value::Null)),
    ];
    let r = w.s.push(&w.east.token, &changes).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let other_device = w.s.login("east@acme.kz").await.access_token;
    let dup = upsert(Entity::WorkSession, "s2b", &hlc(NOW + 20, "e2"), session("2025-01-02T05:30:00Z", "2025-01-02T07:00:00Z"));
    assert_eq!(w.s.push(&other_device, &[dup]).await.status(), 200);
    w.s.pull_all(&other_device).await;
}

fn stats_of(body: &Value) -> Value {
    let mut s = body.clone();
    for k in ["person_id", "name", "department_id", "period"] {
        s.as_object_mut().unwrap().remove(k);
    }
    s
}

#[tokio::test]
async fn a_persons_week_follows_the_device_rules() {
    let w = World::new().await;
    east_week(&w).await;
    w.s.clock.advance(7 * DAY);
    let admin = w.s.login("admin@acme.kz").await.access_token;
    let (st, body) = w.get(&admin, &format!("/api/v1/admin/activity/people/{}", w.east.id)).await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["period"], json!({"kind": "week", "label": "2025-W01", "from": "2024-12-30", "to": "2025-01-05"}));
    assert_eq!(
        body["stats"],
        json!({
            "accounts": 1, "created": 1, "activated": 1, "activated_in_period": 1,
            "app_open_days": 3, "sync_days": 1, "syncs": 3,
            "worked_minutes": 780, "overtime_minutes": 120, "after_hours_minutes": 60, "weekend_minutes": 60,
            "working_days": 3, "check_in_days": 2, "session_days": 2, "check_in_rate": 66.7, "session_rate": 66.7,
            "tasks_completed": 1, "tasks_overdue": 1
        })
    );
    // The same week asked for by name, and the month.
    let (_, named) = w.get(&admin, &format!("/api/v1/admin/activity/people/{}?week=2025-W01", w.east.id)).await;
    assert_eq!(named["stats"], body["stats"]);
    let (_, month) = w.get(&admin, &format!("/api/v1/admin/activity/people/{}?month=2025-01", w.east.id)).await;
    assert_eq!(month["period"]["label"], "2025-01");
    // January so far (to the 8th): Wed 1 to Wed 8 = 6 working days; only 2 sessions and 2
    // check-ins; Saturday's session falls in January; Monday 30 December does not.
    assert_eq!((month["stats"]["working_days"].as_u64(), month["stats"]["worked_minutes"].as_i64()), (Some(6), Some(780)));
    // A week before the account existed: not in the system.
    let (_, before) = w.get(&admin, &format!("/api/v1/admin/activity/people/{}?week=2024-W50", w.east.id)).await;
    assert!(before["stats"].is_null(), "{before}");
}

#[tokio::test]
async fn a_new_schedule_recomputes_the_persons_days() {
    let w = World::new().await;
    east_week(&w).await;
    // East now works Monday to Saturday: Saturday's hour is no longer weekend work.
    let profile = json!({"name": "East", "department": "East", "position": "Analyst", "qualification_level": null,
        "schedule": {"working_days": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"], "start_minute": 540, "end_minute": 1080, "time_zone": "Asia/Almaty"},
        "remote_work": false, "language": "ru"});
    let token = w.s.login("east@acme.kz").await.access_token;
    assert_eq!(w.s.push(&token, &[upsert(Entity::Profile, "profile", &hlc(NOW + 30, "e1"), profile)]).await.status(), 200);
    w.s.clock.advance(7 * DAY);
    let admin = w.s.login("admin@acme.kz").await.access_token;
    let (_, body) = w.get(&admin, &format!("/api/v1/admin/activity/people/{}", w.east.id)).await;
    let s = &body["stats"];
    assert_eq!((s["weekend_minutes"].as_i64(), s["overtime_minutes"].as_i64(), s["working_days"].as_u64()), (Some(0), Some(60), Some(4)));
    assert_eq!(s["session_days"], 3);
}

#[tokio::test]
async fn departments_sum_their_subtree_and_the_table_exports() {
    let w = World::new().await;
    east_week(&w).await;
    // Almaty (below East, below Sales) checks in once.
    let ci = upsert(Entity::CheckIn, "a1", &hlc(NOW, "a1"), check_in("a1", "2025-01-02"));
    assert_eq!(w.s.push(&w.almaty.token, &[ci]).await.status(), 200);
    w.s.clock.advance(7 * DAY);
    let admin = w.s.login("admin@acme.kz").await.access_token;
    let (st, east) = w.get(&admin, &format!("/api/v1/admin/activity/departments/{}", w.dept("East"))).await;
    assert_eq!(st, 200, "{east}");
    assert_eq!((east["stats"]["accounts"].as_u64(), east["stats"]["check_in_days"].as_u64()), (Some(2), Some(3)));
    assert_eq!(east["stats"]["working_days"], 6);
    assert_eq!(east["stats"]["check_in_rate"], 50.0);
    let people: Vec<&str> = east["people"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(people, ["Person almaty@acme.kz", "Person east@acme.kz"]);

    let (st, table) = w.get(&admin, "/api/v1/admin/activity?week=2025-W01").await;
    assert_eq!(st, 200);
    let rows = table["rows"].as_array().unwrap();
    let row = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name} in {table}"));
    assert_eq!(row("Sales")["accounts"], 4);
    assert_eq!(row("Sales / East")["accounts"], 2);
    assert_eq!(row("Sales / East")["worked_minutes"], 780);
    assert_eq!(row("Sales")["worked_minutes"], 780);
    assert_eq!(row("Support")["worked_minutes"], 0);
    assert_eq!(row("Total")["accounts"], 6);
    assert_eq!(stats_of(row("Sales / East")), stats_of(&east["stats"]));

    // A manager's table covers their subtree only.
    let boss = w.s.login("boss@acme.kz").await.access_token;
    let (_, mine) = w.get(&boss, "/api/v1/admin/activity?week=2025-W01").await;
    let names: Vec<&str> = mine["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Sales", "Sales / East", "Sales / East / Almaty", "Total"]);

    // Exports.
    let r = w.get_raw(&admin, "/api/v1/admin/activity?week=2025-W01&format=xlsx").await;
    assert_eq!(r.headers()["content-disposition"], "attachment; filename=\"activity-2025-W01.xlsx\"");
    let sheet = xlsx_rows(&r.bytes().await.unwrap());
    assert_eq!(sheet[0][1], "department");
    let east_row = sheet.iter().find(|r| r[1] == "Sales / East").unwrap();
    let col = |name: &str| sheet[0].iter().position(|c| c == name).unwrap();
    assert_eq!(east_row[col("worked_minutes")], "780");
    assert_eq!(east_row[col("check_in_rate")], "50");
    assert_eq!(sheet.last().unwrap()[1], "Total");
    let r = w.get_raw(&admin, &format!("/api/v1/admin/activity/departments/{}?week=2025-W01&format=csv", w.dept("East"))).await;
    let text = String::from_utf8(r.bytes().await.unwrap()[3..].to_vec()).unwrap();
    assert_eq!(text.lines().count(), 4, "header, two people, the total: {text}");

    // Bad periods name their field.
    for (q, field) in [("week=2025-53", "week"), ("week=2025-W53", "week"), ("month=2025-13", "month"), ("week=2025-W01&month=2025-01", "month")] {
        let (st, e) = w.get(&admin, &format!("/api/v1/admin/activity?{q}")).await;
        assert_eq!((st, e["field"].as_str()), (422, Some(field)), "{q}");
    }
}
