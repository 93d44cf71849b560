//! Departments (create, rename, move without cycles, archive) and people (search, filters,
//! sort, pages, one person, creation with an invitation, role and department changes,
//! deactivation and reactivation), with bad input that changes nothing.

mod common;

use common::world::World;
use common::*;
use qamqor_protocol::{Entity, Role};
use serde_json::{json, Value};

fn names(list: &Value) -> Vec<String> {
    assert!(list["items"].is_array(), "{list}");
    list["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn departments_are_created_renamed_moved_and_archived() {
    let mut w = World::new().await;
    let t = w.admin.token.clone();
    let (st, west) = w.post(&t, "/api/v1/admin/departments", json!({"name": " West ", "parent_id": w.dept("Sales")})).await;
    assert_eq!(st, 201, "{west}");
    assert_eq!((west["name"].as_str(), west["depth"].as_u64()), (Some("West"), Some(1)));
    assert_eq!(west["path"], json!(["Sales", "West"]));
    let west_id = west["id"].as_str().unwrap().to_string();
    let (st, body) = w.patch(&t, &format!("/api/v1/admin/departments/{west_id}"), json!({"name": "West Region"})).await;
    assert_eq!((st, body["name"].as_str()), (200, Some("West Region")));
    let (st, body) = w.patch(&t, &format!("/api/v1/admin/departments/{west_id}"), json!({"parent_id": null})).await;
    assert_eq!((st, body["depth"].as_u64()), (200, Some(0)));

    // A cycle: Sales below Almaty (its own grandchild), or below itself. Nothing changes.
    let sales = w.dept("Sales");
    for parent in [w.dept("Almaty"), sales] {
        let (st, e) = w.patch(&t, &format!("/api/v1/admin/departments/{sales}"), json!({"parent_id": parent})).await;
        assert_eq!((st, e["code"].as_str(), e["field"].as_str()), (422, Some("department_cycle"), Some("parent_id")));
    }
    // A name taken among the siblings; bad names and bodies.
    let (st, e) = w.post(&t, "/api/v1/admin/departments", json!({"name": "Support"})).await;
    assert_eq!((st, e["code"].as_str(), e["field"].as_str()), (409, Some("department_exists"), Some("name")));
    for (body, field) in [(json!({"name": "  "}), "name"), (json!({"name": 5}), "name"), (json!({}), "name"), (json!({"name": "x", "parent_id": "nope"}), "parent_id")] {
        let (st, e) = w.post(&t, "/api/v1/admin/departments", body.clone()).await;
        assert_eq!((st, e["field"].as_str()), (422, Some(field)), "{body}");
    }
    let r = w.s.post("/api/v1/admin/departments").bearer_auth(&t).header("content-type", "application/json").body("{\"name\":").send().await.unwrap();
    assert_eq!(error_of(r).await.0, 400);
    let (st, e) = w.patch(&t, &format!("/api/v1/admin/departments/{west_id}"), json!({})).await;
    assert_eq!(st, 422, "{e}");
    let (_, before) = w.get(&t, "/api/v1/admin/departments").await;
    assert_eq!(before["items"].as_array().unwrap().len(), 5);
    let tree: Vec<String> = before["items"].as_array().unwrap().iter().map(|d| d["path"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect::<Vec<_>>().join("/")).collect();
    assert_eq!(tree, ["Sales", "Sales/East", "Sales/East/Almaty", "Support", "West Region"]);

    // Archiving: not while people or active sub-departments belong to it.
    let (st, e) = w.post(&t, &format!("/api/v1/admin/departments/{}/archive", w.dept("Support")), Value::Null).await;
    assert_eq!((st, e["code"].as_str()), (409, Some("department_not_empty")));
    let (st, e) = w.post(&t, &format!("/api/v1/admin/departments/{}/archive", w.dept("East")), Value::Null).await;
    assert_eq!((st, e["code"].as_str()), (409, Some("department_not_empty")));
    let (st, body) = w.post(&t, &format!("/api/v1/admin/departments/{west_id}/archive"), Value::Null).await;
    assert_eq!(st, 200);
    assert!(body["archived_at"].is_string());
    let (_, after) = w.get(&t, "/api/v1/admin/departments").await;
    assert_eq!(after["items"].as_array().unwrap().len(), 4, "archived departments are hidden by default");
    let (_, all) = w.get(&t, "/api/v1/admin/departments?include_archived=true").await;
    assert_eq!(all["items"].as_array().unwrap().len(), 5);
    // An archived department takes no children, people or renames.
    let (st, e) = w.post(&t, "/api/v1/admin/departments", json!({"name": "Sub", "parent_id": west_id})).await;
    assert_eq!((st, e["code"].as_str()), (422, Some("department_archived")));
    let (st, e) = w.patch(&t, &format!("/api/v1/admin/people/{}", w.sales.id), json!({"department_id": west_id})).await;
    assert_eq!((st, e["code"].as_str()), (422, Some("department_archived")));
    let (st, _) = w.patch(&t, &format!("/api/v1/admin/departments/{west_id}"), json!({"name": "Again"})).await;
    assert_eq!(st, 409);
    w.refresh_departments().await;
    assert_eq!(w.departments.len(), 5);
}

#[tokio::test]
async fn people_are_searched_filtered_sorted_and_paged() {
    let w = World::new().await;
    let t = &w.admin.token;
    // A Kazakh name, found case-insensitively.
    w.s.user("Acme", "aigerim@acme.kz", Role::Employee, Some("Support")).await;
    let db = rusqlite::Connection::open(w.s.db_path()).unwrap();
    db.execute("UPDATE users SET name = 'Әйгерім Сұлтанова', search_name = 'әйгерім сұлтанова' WHERE email = 'aigerim@acme.kz'", []).unwrap();
    let (st, found) = w.get(t, "/api/v1/admin/people?q=%D3%98%D0%99%D0%93%D0%95%D0%A0").await; // "ӘЙГЕР"
    assert_eq!((st, found["total"].as_u64()), (200, Some(1)), "{found}");
    let (_, found) = w.get(t, "/api/v1/admin/people?q=SUPPORT@").await;
    assert_eq!(names(&found), ["Person support@acme.kz"]);
    let (_, found) = w.get(t, "/api/v1/admin/people?q=%25").await;
    assert_eq!(found["total"], 0, "LIKE wildcards are searched literally");

    // Department, with and without its subtree; role.
    let (_, sales) = w.get(t, &format!("/api/v1/admin/people?department_id={}", w.dept("Sales"))).await;
    assert_eq!(sales["total"], 4);
    let (_, only) = w.get(t, &format!("/api/v1/admin/people?department_id={}&subdepartments=false", w.dept("Sales"))).await;
    assert_eq!(only["total"], 2);
    let (_, managers) = w.get(t, "/api/v1/admin/people?role=manager").await;
    assert_eq!(names(&managers), ["Person boss@acme.kz"]);

    // Activity: aigerim never signed in; everyone else did today. Ten days on, the support
    // person syncs again.
    let (_, never) = w.get(t, "/api/v1/admin/people?activity=never").await;
    assert_eq!(names(&never), ["Әйгерім Сұлтанова"]);
    w.s.clock.advance(10 * 24 * 60 * MINUTE);
    assert_eq!(w.s.push(&w.support.token, &[]).await.status(), 401, "access tokens expire");
    let admin = w.s.login("admin@acme.kz").await.access_token;
    let t = &admin;
    w.s.clock.advance(MINUTE);
    let support = w.s.login("support@acme.kz").await.access_token;
    assert_eq!(w.s.push(&support, &[]).await.status(), 200);
    let (_, active) = w.get(t, "/api/v1/admin/people?activity=active").await;
    assert_eq!(names(&active), ["Person admin@acme.kz", "Person support@acme.kz"]);
    let (_, inactive) = w.get(t, "/api/v1/admin/people?activity=inactive&inactive_days=7").await;
    assert_eq!(inactive["total"], 4);
    let (_, inactive) = w.get(t, "/api/v1/admin/people?activity=inactive&inactive_days=11").await;
    assert_eq!(inactive["total"], 0);

    // Sorts and pages.
    let (_, by_seen) = w.get(t, "/api/v1/admin/people?sort=last_seen&per_page=1").await;
    assert_eq!((names(&by_seen), by_seen["total"].as_u64()), (vec!["Person support@acme.kz".to_string()], Some(7)));
    let (_, by_dept) = w.get(t, "/api/v1/admin/people?sort=department").await;
    let depts: Vec<Option<&str>> = by_dept["items"].as_array().unwrap().iter().map(|p| p["department"].as_str()).collect();
    assert_eq!(depts, [Some("Almaty"), Some("East"), Some("Sales"), Some("Sales"), Some("Support"), Some("Support"), None]);
    let (_, p1) = w.get(t, "/api/v1/admin/people?per_page=3&page=1").await;
    let (_, p3) = w.get(t, "/api/v1/admin/people?per_page=3&page=3&order=desc").await;
    assert_eq!((p1["items"].as_array().unwrap().len(), p1["total"].as_u64()), (3, Some(7)));
    assert_eq!(names(&p3), ["Person admin@acme.kz"]);

    for (q, field) in [
        ("per_page=201", "per_page"),
        ("role=boss", "role"),
        ("activity=sometimes", "activity"),
        ("inactive_days=0", "inactive_days"),
        ("sort=age", "sort"),
        ("order=up", "order"),
        ("status=gone", "status"),
        ("risk_level=extreme", "risk_level"),
    ] {
        let (st, e) = w.get(t, &format!("/api/v1/admin/people?{q}")).await;
        assert_eq!((st, e["field"].as_str()), (422, Some(field)), "{q}");
    }
}

fn risk(date: &str, level: &str) -> serde_json::Value {
    json!({"local_date": date, "level": level, "score": 0.8, "model_version": "1.0.0",
           "factors": [{"key": "overtime", "contribution": 0.3}]})
}

#[tokio::test]
async fn risk_levels_filter_only_under_the_individual_policy() {
    let w = World::new().await;
    let t = &w.admin.token;
    let h = hlc(NOW, "a1");
    assert_eq!(w.s.push(&w.east.token, &[upsert(Entity::RiskAssessment, "2024-12-31", &h, risk("2024-12-31", "high"))]).await.status(), 200);
    assert_eq!(w.s.push(&w.sales.token, &[upsert(Entity::RiskAssessment, "2024-12-30", &h, risk("2024-12-30", "low"))]).await.status(), 200);
    // Aggregate (the default): no levels in the list, and no filtering on them.
    let (_, list) = w.get(t, "/api/v1/admin/people").await;
    assert!(list["items"].as_array().unwrap().iter().all(|p| p.get("risk").is_none()));
    let (st, e) = w.get(t, "/api/v1/admin/people?risk_level=high").await;
    assert_eq!((st, e["code"].as_str(), e["field"].as_str()), (403, Some("risk_levels_hidden"), Some("risk_level")));
    w.policy("individual", 5).await;
    let (st, high) = w.get(t, "/api/v1/admin/people?risk_level=high").await;
    assert_eq!((st, names(&high)), (200, vec!["Person east@acme.kz".to_string()]));
    assert_eq!(high["items"][0]["risk"], json!({"level": "high", "score": 0.8, "assessed_on": "2024-12-31"}));
    let (_, one) = w.get(t, &format!("/api/v1/admin/people/{}", w.sales.id)).await;
    assert_eq!(one["risk"]["level"], "low");
    // A manager sees levels in their subtree only.
    let (_, mine) = w.get(&w.manager.token, "/api/v1/admin/people?risk_level=high").await;
    assert_eq!(mine["total"], 1);
}

#[tokio::test]
async fn an_admin_creates_a_person_who_registers_with_the_invitation() {
    let w = World::new().await;
    let t = &w.admin.token;
    let body = json!({"email": " New@Acme.kz ", "name": "Dana", "role": "employee", "department_id": w.dept("East")});
    let (st, created) = w.post(t, "/api/v1/admin/people", body).await;
    assert_eq!(st, 201, "{created}");
    let p = &created["person"];
    assert_eq!((p["email"].as_str(), p["status"].as_str(), p["department"].as_str()), (Some("new@acme.kz"), Some("invited"), Some("East")));
    assert!(p["activated_at"].is_null());
    let code = created["invitation"]["code"].as_str().unwrap().to_string();
    // Nobody can sign in to it before registration.
    assert_eq!(w.s.try_login("new@acme.kz", PASSWORD, None).await.status(), 401);
    let (_, never) = w.get(t, "/api/v1/admin/people?activity=never").await;
    assert_eq!(names(&never), ["Dana"]);
    let (st, e) = w.post(t, "/api/v1/admin/people", json!({"email": "new@acme.kz", "name": "Again", "role": "employee"})).await;
    assert_eq!((st, e["code"].as_str()), (409, Some("email_taken")));
    for (body, field) in [
        (json!({"email": "nope", "name": "x", "role": "employee"}), "email"),
        (json!({"email": "a@b.kz", "name": "", "role": "employee"}), "name"),
        (json!({"email": "a@b.kz", "name": "x", "role": "king"}), "role"),
    ] {
        let (st, e) = w.post(t, "/api/v1/admin/people", body).await;
        assert_eq!((st, e["field"].as_str()), (422, Some(field)));
    }
    let (st, e) = w.post(t, "/api/v1/admin/people", json!({"email": "a@b.kz", "name": "x", "role": "employee", "department_id": uuid::Uuid::now_v7()})).await;
    assert_eq!((st, e["field"].as_str()), (404, Some("department_id")));

    let reg = json!({"code": code, "email": "new@acme.kz", "name": "Dana K.", "password": PASSWORD, "device_name": "phone"});
    let r = w.s.post("/api/v1/auth/register").json(&reg).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let (_, one) = w.get(t, &format!("/api/v1/admin/people/{}", p["id"].as_str().unwrap())).await;
    assert_eq!((one["status"].as_str(), one["name"].as_str(), one["department"].as_str()), (Some("active"), Some("Dana K."), Some("East")));
    assert_eq!(one["activated_at"], "2025-01-01T00:00:00.000Z");
    let (_, log) = w.get(t, "/api/v1/admin/audit?action=person.create").await;
    assert_eq!(log["items"][0]["target_id"], p["id"]);
}

#[tokio::test]
async fn roles_and_departments_change_and_the_last_admin_stays() {
    let w = World::new().await;
    let t = &w.admin.token;
    let path = format!("/api/v1/admin/people/{}", w.support.id);
    let (st, p) = w.patch(t, &path, json!({"role": "manager", "department_id": w.dept("East")})).await;
    assert_eq!((st, p["role"].as_str(), p["department"].as_str()), (200, Some("manager"), Some("East")), "{p}");
    let (st, p) = w.patch(t, &path, json!({"department_id": null})).await;
    assert_eq!((st, p["department"].as_str()), (200, None));
    // The only admin cannot stop being one, nor be deactivated.
    let me = format!("/api/v1/admin/people/{}", w.admin.id);
    let (st, e) = w.patch(t, &me, json!({"role": "employee"})).await;
    assert_eq!((st, e["code"].as_str()), (409, Some("last_admin")));
    for (body, field) in [(json!({"role": "boss"}), "role"), (json!({}), "role"), (json!({"department_id": 7}), "department_id")] {
        let (st, e) = w.patch(t, &path, body.clone()).await;
        assert_eq!((st, e["field"].as_str()), (422, Some(field)), "{body}");
    }
    let (_, p) = w.get(t, &path).await;
    assert_eq!((p["role"].as_str(), p["department"].as_str()), (Some("manager"), None), "bad input changed nothing");
    let (_, log) = w.get(t, "/api/v1/admin/audit?action=person.change_role_department").await;
    assert_eq!(log["items"][0]["details"]["role"], json!({"from": "employee", "to": "manager"}));
}

#[tokio::test]
async fn deactivation_signs_out_every_device_and_keeps_the_data() {
    let w = World::new().await;
    let t = &w.admin.token;
    let h = hlc(NOW, "b1");
    let second_device = w.s.login("east@acme.kz").await.access_token;
    assert_eq!(w.s.push(&w.east.token, &[upsert(Entity::CheckIn, "c1", &h, json!({"local_date": "2025-01-01"}))]).await.status(), 200);
    let (st, p) = w.post(t, &format!("/api/v1/admin/people/{}/deactivate", w.east.id), Value::Null).await;
    assert_eq!((st, p["status"].as_str()), (200, Some("deactivated")));
    for token in [&w.east.token, &second_device] {
        let (st, e) = error_of(w.s.push(token, &[]).await).await;
        assert_eq!((st, e.code.as_str()), (401, "unauthorized"));
    }
    let (st, e) = error_of(w.s.try_login("east@acme.kz", PASSWORD, None).await).await;
    assert_eq!((st, e.code.as_str()), (403, "account_deactivated"));
    let (st, e) = error_of(w.s.try_login("east@acme.kz", "wrong password!", None).await).await;
    assert_eq!((st, e.code.as_str()), (401, "unauthorized"), "a wrong password reveals nothing");
    let (_, listed) = w.get(t, "/api/v1/admin/people?status=deactivated").await;
    assert_eq!(names(&listed), ["Person east@acme.kz"]);
    let (_, active) = w.get(t, "/api/v1/admin/people").await;
    assert_eq!(active["total"], 5);
    let (st, e) = w.post(t, &format!("/api/v1/admin/people/{}/deactivate", w.admin.id), Value::Null).await;
    assert_eq!(st, 403, "{e}");

    let (st, p) = w.post(t, &format!("/api/v1/admin/people/{}/reactivate", w.east.id), Value::Null).await;
    assert_eq!((st, p["status"].as_str()), (200, Some("active")));
    let token = w.s.login("east@acme.kz").await.access_token;
    let kept = w.s.pull_personal(&token).await;
    assert_eq!(kept.len(), 1, "the data was kept");
    let (_, log) = w.get(t, "/api/v1/admin/audit?action=person.deactivate").await;
    assert_eq!(log["total"], 1);
}
