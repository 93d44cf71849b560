//! Roles and scope on every admin route (401 without a session, 403 for employees and for a
//! manager outside their subtree, 404 for another organisation's ids), and the audit log of
//! admin and manager actions: recorded with who, what, when and from where, filtered, paged and
//! exported.

mod common;

use common::world::World;
use common::*;
use serde_json::{json, Value};

/// Every admin route, with a body that would be valid, and its method.
fn routes(w: &World) -> Vec<(&'static str, String, Value)> {
    let (dept, person) = (w.dept("Support"), w.support.id);
    vec![
        ("GET", "/api/v1/admin/audit".into(), Value::Null),
        ("GET", "/api/v1/admin/departments".into(), Value::Null),
        ("POST", "/api/v1/admin/departments".into(), json!({"name": "New", "parent_id": dept})),
        ("PATCH", format!("/api/v1/admin/departments/{dept}"), json!({"name": "Renamed"})),
        ("POST", format!("/api/v1/admin/departments/{dept}/archive"), Value::Null),
        ("GET", "/api/v1/admin/people".into(), Value::Null),
        ("POST", "/api/v1/admin/people".into(), json!({"email": "new.person@acme.kz", "name": "N", "role": "employee"})),
        ("GET", format!("/api/v1/admin/people/{person}"), Value::Null),
        ("PATCH", format!("/api/v1/admin/people/{person}"), json!({"department_id": dept})),
        ("POST", format!("/api/v1/admin/people/{person}/deactivate"), Value::Null),
        ("POST", format!("/api/v1/admin/people/{person}/reactivate"), Value::Null),
        ("GET", format!("/api/v1/admin/activity/people/{person}"), Value::Null),
        ("GET", format!("/api/v1/admin/activity/departments/{dept}"), Value::Null),
        ("GET", "/api/v1/admin/activity".into(), Value::Null),
        ("GET", "/api/v1/admin/indicators".into(), Value::Null),
        ("GET", "/api/v1/admin/indicators/targets".into(), Value::Null),
        ("PUT", "/api/v1/admin/indicators/targets".into(), json!({"accounts_activated": 90})),
        ("GET", "/api/v1/admin/risk".into(), Value::Null),
        ("GET", "/api/v1/admin/ratings/catalogue".into(), Value::Null),
        ("PUT", "/api/v1/admin/ratings/catalogue".into(), json!({"method": "average", "categories": [{"id": "a", "name": "A", "weight_percent": 100}], "types": []})),
        ("GET", "/api/v1/admin/achievements".into(), Value::Null),
        ("GET", "/api/v1/admin/achievements/x".into(), Value::Null),
        ("POST", "/api/v1/admin/achievements/x/review".into(), json!({"status": "verified"})),
        ("GET", "/api/v1/admin/achievements/x/evidence".into(), Value::Null),
        ("GET", "/api/v1/admin/ratings".into(), Value::Null),
        ("GET", "/api/v1/admin/ratings/departments".into(), Value::Null),
        ("GET", format!("/api/v1/admin/people/{person}/competency"), Value::Null),
        ("PUT", format!("/api/v1/admin/people/{person}/competency"), json!({"occupation_code": "2511-1-005", "level": 5})),
        ("PUT", format!("/api/v1/admin/people/{person}/skills/x"), json!({"score": 2})),
        ("GET", "/api/v1/admin/competencies/coverage".into(), Value::Null),
        ("GET", "/api/v1/admin/deletion-requests".into(), Value::Null),
        ("POST", "/api/v1/admin/deletion-requests/x/carry-out".into(), json!({})),
    ]
}

async fn call(w: &World, token: Option<&str>, (method, path, body): &(&'static str, String, Value)) -> reqwest::Response {
    let url = format!("{}{path}", w.s.base);
    let mut r = match *method {
        "GET" => w.s.http.get(url),
        "POST" => w.s.http.post(url),
        "PATCH" => w.s.http.patch(url),
        _ => w.s.http.put(url),
    }
    .header(qamqor_protocol::PROTOCOL_HEADER, "1");
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if !body.is_null() {
        r = r.json(body);
    }
    r.send().await.unwrap()
}

#[tokio::test]
async fn anonymous_callers_get_401_and_employees_403_everywhere() {
    let w = World::new().await;
    for route in routes(&w) {
        let (st, e) = error_of(call(&w, None, &route).await).await;
        assert_eq!((st, e.code.as_str()), (401, "unauthorized"), "{route:?}");
        let (st, e) = error_of(call(&w, Some("qat_forged"), &route).await).await;
        assert_eq!(st, 401, "{route:?}: {e:?}");
        let (st, e) = error_of(call(&w, Some(&w.sales.token), &route).await).await;
        assert_eq!((st, e.code.as_str()), (403, "forbidden"), "{route:?}");
    }
    // Nothing an employee tried was done.
    let (_, people) = w.get(&w.admin.token, "/api/v1/admin/people?q=new.person").await;
    assert_eq!(people["total"], 0);
}

#[tokio::test]
async fn another_organisations_ids_look_unknown() {
    let w = World::new().await;
    let theirs_person = w.outsider.id;
    let (_, depts) = w.get(&w.other_admin.token, "/api/v1/admin/departments").await;
    let theirs_dept = depts["items"][0]["id"].as_str().unwrap().to_string();
    let t = &w.admin.token;
    for path in [format!("/api/v1/admin/people/{theirs_person}"), format!("/api/v1/admin/activity/people/{theirs_person}")] {
        let (st, body) = w.get(t, &path).await;
        assert_eq!((st, body["code"].as_str()), (404, Some("user_not_found")), "{path}");
    }
    let (st, body) = w.patch(t, &format!("/api/v1/admin/people/{theirs_person}"), json!({"role": "manager"})).await;
    assert_eq!((st, body["code"].as_str()), (404, Some("user_not_found")));
    let (st, body) = w.post(t, &format!("/api/v1/admin/people/{theirs_person}/deactivate"), Value::Null).await;
    assert_eq!(st, 404, "{body}");
    let (st, body) = w.patch(t, &format!("/api/v1/admin/departments/{theirs_dept}"), json!({"name": "Mine"})).await;
    assert_eq!((st, body["code"].as_str()), (404, Some("department_not_found")));
    let (st, body) = w.post(t, "/api/v1/admin/departments", json!({"name": "X", "parent_id": theirs_dept})).await;
    assert_eq!((st, body["field"].as_str()), (404, Some("parent_id")));
    let (st, _) = w.get(t, &format!("/api/v1/admin/people?department_id={theirs_dept}")).await;
    assert_eq!(st, 404);
    let (st, _) = w.get(t, &format!("/api/v1/admin/activity/departments/{theirs_dept}")).await;
    assert_eq!(st, 404);
    // A malformed id is just as unknown.
    let (st, _) = w.get(t, "/api/v1/admin/people/not-a-uuid").await;
    assert_eq!(st, 404);
    // The other organisation's data is untouched.
    let (st, body) = w.get(&w.other_admin.token, &format!("/api/v1/admin/people/{theirs_person}")).await;
    assert_eq!((st, body["role"].as_str(), body["status"].as_str()), (200, Some("employee"), Some("active")));
    let (_, list) = w.get(t, "/api/v1/admin/people?per_page=200").await;
    assert!(list["items"].as_array().unwrap().iter().all(|p| p["email"].as_str().unwrap().ends_with("@acme.kz")));
}

#[tokio::test]
async fn managers_reach_their_department_subtree_only() {
    let w = World::new().await;
    let m = &w.manager.token;
    let (st, list) = w.get(m, "/api/v1/admin/people?per_page=200").await;
    assert_eq!(st, 200);
    let mut emails: Vec<&str> = list["items"].as_array().unwrap().iter().map(|p| p["email"].as_str().unwrap()).collect();
    emails.sort();
    assert_eq!(emails, ["almaty@acme.kz", "boss@acme.kz", "east@acme.kz", "sales@acme.kz"]);
    let (st, _) = w.get(m, &format!("/api/v1/admin/people/{}", w.almaty.id)).await;
    assert_eq!(st, 200);
    let (st, body) = w.get(m, &format!("/api/v1/admin/people/{}", w.support.id)).await;
    assert_eq!((st, body["code"].as_str()), (403, Some("forbidden")));
    let (st, _) = w.get(m, &format!("/api/v1/admin/people/{}", w.admin.id)).await;
    assert_eq!(st, 403, "an admin without a department is outside every subtree");
    let (st, _) = w.get(m, &format!("/api/v1/admin/activity/people/{}", w.support.id)).await;
    assert_eq!(st, 403);
    let (st, _) = w.get(m, &format!("/api/v1/admin/activity/departments/{}", w.dept("Support"))).await;
    assert_eq!(st, 403);
    let (st, body) = w.get(m, &format!("/api/v1/admin/people?department_id={}", w.dept("Support"))).await;
    assert_eq!((st, body["field"].as_str()), (403, Some("department_id")));
    // Managers move people within their subtree, never out of it, and change no roles.
    let path = format!("/api/v1/admin/people/{}", w.sales.id);
    let (st, _) = w.patch(m, &path, json!({"department_id": w.dept("Support")})).await;
    assert_eq!(st, 403);
    let (st, body) = w.patch(m, &path, json!({"role": "manager"})).await;
    assert_eq!((st, body["field"].as_str()), (403, Some("role")));
    let (st, body) = w.patch(m, &path, json!({"department_id": w.dept("Almaty")})).await;
    assert_eq!((st, body["department"].as_str()), (200, Some("Almaty")), "{body}");
    // Their departments: their own and below; they cannot touch their own department or
    // create at the top level.
    let (_, depts) = w.get(m, "/api/v1/admin/departments").await;
    let paths: Vec<String> = depts["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect::<Vec<_>>().join("/"))
        .collect();
    assert_eq!(paths, ["Sales", "Sales/East", "Sales/East/Almaty"]);
    let (st, _) = w.patch(m, &format!("/api/v1/admin/departments/{}", w.dept("Sales")), json!({"name": "Mine"})).await;
    assert_eq!(st, 403);
    let (st, _) = w.post(m, "/api/v1/admin/departments", json!({"name": "Top"})).await;
    assert_eq!(st, 403);
    let (st, body) = w.post(m, "/api/v1/admin/departments", json!({"name": "West", "parent_id": w.dept("Sales")})).await;
    assert_eq!(st, 201, "{body}");
    // Admin-only actions.
    let (st, _) = w.post(m, "/api/v1/admin/people", json!({"email": "n@acme.kz", "name": "N", "role": "employee"})).await;
    assert_eq!(st, 403);
    let (st, _) = w.post(m, &format!("/api/v1/admin/people/{}/deactivate", w.east.id), Value::Null).await;
    assert_eq!(st, 403);
}

#[tokio::test]
async fn the_audit_log_records_who_did_what_when_and_from_where() {
    let w = World::new().await;
    let t = &w.admin.token;
    // World::new moved two departments: two entries already.
    let (st, body) = w.post(t, "/api/v1/admin/departments", json!({"name": "Audit"})).await;
    assert_eq!(st, 201);
    let audit_dept = body["id"].as_str().unwrap().to_string();
    w.s.clock.advance(MINUTE);
    let (st, _) = w.post(&w.manager.token, "/api/v1/tasks", json!({"user_id": w.east.id, "title": "Report"})).await;
    assert_eq!(st, 201);
    w.s.clock.advance(MINUTE);
    w.policy("individual", 5).await;

    let (st, log) = w.get(t, "/api/v1/admin/audit").await;
    assert_eq!(st, 200, "{log}");
    let items = log["items"].as_array().unwrap();
    let actions: Vec<&str> = items.iter().map(|i| i["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["settings.update", "task.assign", "department.create", "department.move", "department.move"]);
    assert_eq!(log["total"], 5);
    let task = &items[1];
    assert_eq!(task["actor_id"], json!(w.manager.id));
    assert_eq!(task["actor_role"], "manager");
    assert_eq!(task["target_id"], json!(w.east.id.to_string()));
    assert_eq!(task["details"]["title"], "Report");
    assert_eq!(task["client_addr"], "127.0.0.1");
    assert_eq!(task["at"], "2025-01-01T00:01:00.000Z");
    assert_eq!(items[2]["target_id"], json!(audit_dept));
    assert_eq!(items[0]["details"]["privacy_policy"], "individual");

    // Filters: actor, action, time range, pages.
    let (_, by_manager) = w.get(t, &format!("/api/v1/admin/audit?actor={}", w.manager.id)).await;
    assert_eq!(by_manager["total"], 1);
    let (_, moves) = w.get(t, "/api/v1/admin/audit?action=department.move").await;
    assert_eq!(moves["total"], 2);
    let (_, later) = w.get(t, "/api/v1/admin/audit?from=2025-01-01T00:00:30Z").await;
    assert_eq!(later["total"], 2);
    let (_, earlier) = w.get(t, "/api/v1/admin/audit?to=2025-01-01T00:00:30Z").await;
    assert_eq!(earlier["total"], 3);
    let (_, day) = w.get(t, "/api/v1/admin/audit?from=2025-01-01&to=2025-01-01").await;
    assert_eq!(day["total"], 5);
    let (_, page2) = w.get(t, "/api/v1/admin/audit?per_page=2&page=2").await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 2);
    assert_eq!(page2["items"][0]["action"], "department.create");

    // A manager sees the actions of their subtree's people only.
    let (st, mine) = w.get(&w.manager.token, "/api/v1/admin/audit").await;
    assert_eq!((st, mine["total"].as_u64()), (200, Some(1)));

    // Bad input: 422 naming the field, 400 for an unreadable query.
    for (q, field) in [("per_page=500", "per_page"), ("page=0", "page"), ("from=yesterday", "from"), ("from=2025-01-02&to=2025-01-01", "to")] {
        let (st, e) = w.get(t, &format!("/api/v1/admin/audit?{q}")).await;
        assert_eq!((st, e["field"].as_str()), (422, Some(field)), "{q}");
    }
    let (st, e) = w.get(t, "/api/v1/admin/audit?actor=nobody").await;
    assert_eq!((st, e["code"].as_str()), (400, Some("invalid_query")));
}

#[tokio::test]
async fn the_audit_log_exports_as_csv_and_xlsx() {
    let w = World::new().await;
    let t = &w.admin.token;
    let r = w.get_raw(t, "/api/v1/admin/audit?format=csv").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(r.headers()["content-disposition"], "attachment; filename=\"audit-log.csv\"");
    let text = String::from_utf8(r.bytes().await.unwrap()[3..].to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().take(6).collect::<Vec<_>>(), ["id", "at", "actor_id", "actor_name", "actor_role", "action"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][5], "department.move");

    let r = w.get_raw(t, "/api/v1/admin/audit?format=xlsx").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let rows = xlsx_rows(&r.bytes().await.unwrap());
    assert_eq!(rows[0][5], "action");
    assert_eq!(rows.len(), 4, "the header, the CSV export (logged once it was made) and two moves");
    assert_eq!(rows[1][5], "export");
    // Each export is itself logged.
    let (_, log) = w.get(t, "/api/v1/admin/audit?action=export").await;
    assert_eq!(log["total"], 2);
    let (st, e) = w.get(t, "/api/v1/admin/audit?format=pdf").await;
    assert_eq!((st, e["field"].as_str()), (422, Some("format")));
}
