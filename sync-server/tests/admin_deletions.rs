//! Deletion requests: a person asks from their phone's privacy centre, the request reaches the
//! server through sync like every fact, comes back to the person's other phones, and only the
//! organisation's admins list it (`GET /api/v1/admin/deletion-requests`), each read logged.

mod common;

use common::world::World;
use common::*;
use qamqor_protocol::Entity;
use serde_json::json;
use uuid::Uuid;

fn request(id: &str, requested_at: i64) -> qamqor_protocol::Change {
    upsert(Entity::DeletionRequest, id, &hlc(requested_at, "a1"), json!({ "requested_at": requested_at }))
}

#[tokio::test]
async fn only_admins_see_who_asked_for_deletion_and_each_read_is_logged() {
    let w = World::new().await;
    let (st, list) = w.get(&w.admin.token, "/api/v1/admin/deletion-requests").await;
    assert_eq!((st, list["items"].as_array().map(Vec::len)), (200, Some(0)));

    let id = Uuid::now_v7().to_string();
    let asked_at = NOW - 3_600_000;
    assert_eq!(w.s.push(&w.east.token, &[request(&id, asked_at)]).await.status(), 200);
    // Delivered twice (a lost answer): still one request.
    assert_eq!(w.s.push(&w.east.token, &[request(&id, asked_at)]).await.status(), 200);
    // Another organisation's request never shows.
    assert_eq!(w.s.push(&w.outsider.token, &[request(&Uuid::now_v7().to_string(), asked_at)]).await.status(), 200);

    let (st, list) = w.get(&w.admin.token, "/api/v1/admin/deletion-requests").await;
    assert_eq!(st, 200, "{list}");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["id"], id.as_str());
    assert_eq!(items[0]["user_id"], w.east.id.to_string());
    assert_eq!(items[0]["email"], "east@acme.kz");
    assert_eq!(items[0]["department_id"], w.dept("East").to_string());
    assert_eq!(items[0]["requested_at"], "2024-12-31T23:00:00.000Z");
    assert!(items[0]["received_at"].as_str().is_some_and(|t| t.starts_with("20")), "{list}");

    // Managers and employees: 403 (employees are refused on every admin route; see admin_scope).
    let (st, body) = w.get(&w.manager.token, "/api/v1/admin/deletion-requests").await;
    assert_eq!((st, body["code"].as_str()), (403, Some("forbidden")));
    let (st, list) = w.get(&w.other_admin.token, "/api/v1/admin/deletion-requests").await;
    assert_eq!((st, list["items"].as_array().map(Vec::len)), (200, Some(1)), "their own only: {list}");

    let (_, log) = w.get(&w.admin.token, "/api/v1/admin/audit?action=deletion_requests.read").await;
    assert_eq!(log["total"], 2, "{log}");
    assert_eq!(log["items"][0]["details"]["count"], 1);
}

#[tokio::test]
async fn a_request_comes_back_to_the_person_s_phones_and_cannot_be_withdrawn() {
    let w = World::new().await;
    let id = Uuid::now_v7().to_string();
    let r = w.s.push(&w.sales.token, &[request(&id, NOW - 1000)]).await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    let mine = w.s.pull_personal(&w.sales.token).await;
    assert!(mine.iter().any(|c| c.entity == Entity::DeletionRequest && c.record_id == id), "the person's other phones get it");
    assert!(!w.s.pull_personal(&w.east.token).await.iter().any(|c| c.entity == Entity::DeletionRequest), "nobody else does");

    let (st, e) = error_of(w.s.push(&w.sales.token, &[tombstone(Entity::DeletionRequest, &id, &hlc(NOW, "a1"))]).await).await;
    assert_eq!((st, e.field.as_deref()), (422, Some("changes[0].op")));
    let future = upsert(Entity::DeletionRequest, &Uuid::now_v7().to_string(), &hlc(NOW, "a1"), json!({ "requested_at": NOW + 3 * 86_400_000 }));
    let (st, e) = error_of(w.s.push(&w.sales.token, &[future]).await).await;
    assert_eq!((st, e.field.as_deref()), (422, Some("changes[0].payload.requested_at")));
    let (_, list) = w.get(&w.admin.token, "/api/v1/admin/deletion-requests").await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
}

/// Rows of a table of the server's database whose `column` is `value`.
fn rows_where(w: &World, table: &str, column: &str, value: &str) -> i64 {
    let c = rusqlite::Connection::open(w.s.db_path()).unwrap();
    c.query_row(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = ?1"), [value], |r| r.get(0)).unwrap()
}

/// Rows of `user`'s in a table of the server's database.
fn rows_of(w: &World, table: &str, user: Uuid) -> i64 {
    let c = rusqlite::Connection::open(w.s.db_path()).unwrap();
    c.query_row(&format!("SELECT COUNT(*) FROM {table} WHERE user_id = ?1"), [user.to_string()], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn an_admin_carries_out_a_request_and_the_person_s_data_and_sign_in_are_gone() {
    let w = World::new().await;
    let h = |n: i64| hlc(NOW - 86_400_000 + n, "a1");
    let session = json!({"started_at": "2025-01-01T04:00:00Z", "ended_at": "2025-01-01T12:00:00Z", "source": "manual", "note": null});
    let id = Uuid::now_v7().to_string();
    let r = w.s.push(&w.east.token, &[upsert(Entity::WorkSession, "s1", &h(1), session), request(&id, NOW - 3_600_000)]).await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    // Someone else's data in the same organisation, which must stay.
    let r = w.s.push(&w.sales.token, &[upsert(Entity::WorkSession, "s1", &h(2), json!({"started_at": "2025-01-01T04:00:00Z",
        "ended_at": "2025-01-01T06:00:00Z", "source": "manual", "note": null}))]).await;
    assert_eq!(r.status(), 200);
    assert!(rows_of(&w, "records", w.east.id) >= 2 && rows_of(&w, "person_sessions", w.east.id) == 1);
    let path = format!("/api/v1/admin/deletion-requests/{id}/carry-out");

    // Refused, with nothing changed: a manager, another organisation's admin, an unknown id.
    let (st, body) = w.post(&w.manager.token, &path, json!({})).await;
    assert_eq!((st, body["code"].as_str()), (403, Some("forbidden")));
    let (st, body) = w.post(&w.other_admin.token, &path, json!({})).await;
    assert_eq!((st, body["code"].as_str()), (404, Some("deletion_request_not_found")), "another organisation's request looks unknown");
    let (st, body) = w.post(&w.admin.token, "/api/v1/admin/deletion-requests/no-such-request/carry-out", json!({})).await;
    assert_eq!((st, body["code"].as_str()), (404, Some("deletion_request_not_found")));
    assert!(rows_of(&w, "records", w.east.id) >= 2);
    assert_eq!(w.s.pull_personal(&w.east.token).await.len(), 2, "the person still syncs until it is carried out");

    // Earlier traces of the person: an audit entry naming them, a mistyped password.
    let (_, before) = w.get(&w.admin.token, &format!("/api/v1/admin/people/{}", w.east.id)).await;
    let name = before["name"].as_str().unwrap().to_string();
    assert_eq!(w.s.try_login("east@acme.kz", "not the password", None).await.status(), 401);
    assert_eq!(rows_where(&w, "login_failures", "key", "account:east@acme.kz"), 1);
    let (st, _) = w.post(&w.admin.token, &format!("/api/v1/admin/people/{}/deactivate", w.east.id), json!({})).await;
    assert_eq!(st, 200);
    let (_, log) = w.get(&w.admin.token, "/api/v1/admin/audit?per_page=200").await;
    assert!(log.to_string().contains("east@acme.kz"), "{log}");

    let (st, done) = w.post(&w.admin.token, &path, json!({})).await;
    assert_eq!(st, 200, "{done}");
    assert_eq!(done["status"], "carried_out");
    assert_eq!(done["user_id"], w.east.id.to_string());
    assert_ne!(done["email"], "east@acme.kz", "the email is erased too");
    assert_ne!(done["name"], name.as_str(), "and the name");
    assert!(done["erased"].as_u64().unwrap() >= 4, "records, changes, statistics, the device: {done}");
    assert!(done["carried_out_at"].as_str().is_some());
    assert_eq!(done["carried_out_by"], w.admin.id.to_string());

    // Gone from the server: records, change log, statistics, devices.
    for table in ["records", "changes", "person_sessions", "person_days", "person_weeks", "sync_days", "devices"] {
        assert_eq!(rows_of(&w, table, w.east.id), 0, "{table}");
    }
    assert_eq!(rows_of(&w, "records", w.sales.id), 1, "nobody else's data is touched");
    assert_eq!(rows_where(&w, "login_failures", "key", "account:east@acme.kz"), 0, "nor sign-in throttling by the address");
    // Signed out everywhere, and the old email and password no longer sign in.
    let r = w.s.get("/api/v1/sync/pull?since=0&limit=10").bearer_auth(&w.east.token).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(w.s.try_login("east@acme.kz", common::PASSWORD, None).await.status(), 401);
    // The admin's view: deactivated, anonymised; the request listed as carried out.
    let (st, person) = w.get(&w.admin.token, &format!("/api/v1/admin/people/{}", w.east.id)).await;
    assert_eq!(st, 200, "{person}");
    assert!(person["deactivated_at"].as_str().is_some(), "{person}");
    assert_ne!(person["email"], "east@acme.kz");
    let (_, list) = w.get(&w.admin.token, "/api/v1/admin/deletion-requests").await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list["items"][0]["status"], "carried_out");

    // The audit log keeps what was done, not who the person was.
    let (_, log) = w.get(&w.admin.token, "/api/v1/admin/audit?per_page=200").await;
    assert!(!log.to_string().contains("east@acme.kz") && !log.to_string().contains(&name), "the email and name are gone from the audit log too: {log}");

    // Nothing brings the account back or writes about the person any more.
    let (st, body) = w.post(&w.admin.token, &format!("/api/v1/admin/people/{}/reactivate", w.east.id), json!({})).await;
    assert_eq!((st, body["code"].as_str()), (409, Some("account_erased")), "{body}");
    let (st, body) = w.patch(&w.admin.token, &format!("/api/v1/admin/people/{}", w.east.id), json!({"role": "manager"})).await;
    assert_eq!((st, body["code"].as_str()), (409, Some("account_erased")), "{body}");
    let r = w.s.post("/api/v1/feedback").bearer_auth(&w.admin.token).json(&json!({"user_id": w.east.id, "message": "Hi"})).send().await.unwrap();
    assert_eq!(r.status(), 404, "feedback to an erased person: as to nobody");
    assert_eq!(rows_of(&w, "records", w.east.id), 0);

    // Again: the same answer, nothing more erased, logged once.
    let (st, again) = w.post(&w.admin.token, &path, json!({})).await;
    assert_eq!((st, &again), (200, &done));
    let (_, log) = w.get(&w.admin.token, "/api/v1/admin/audit?action=deletion_request.carry_out").await;
    assert_eq!(log["total"], 1, "{log}");
    assert_eq!(log["items"][0]["details"]["user_id"], w.east.id.to_string());
}

#[tokio::test]
async fn an_admin_s_own_request_waits_for_another_admin() {
    let w = World::new().await;
    let id = Uuid::now_v7().to_string();
    assert_eq!(w.s.push(&w.admin.token, &[request(&id, NOW - 1000)]).await.status(), 200);
    let path = format!("/api/v1/admin/deletion-requests/{id}/carry-out");
    let (st, body) = w.post(&w.admin.token, &path, json!({})).await;
    assert_eq!((st, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    let (_, list) = w.get(&w.admin.token, "/api/v1/admin/deletion-requests").await;
    assert_eq!(list["items"][0]["status"], "waiting", "nothing changed");
    assert_eq!(w.s.try_login("admin@acme.kz", common::PASSWORD, None).await.status(), 200);
    // Another admin carries it out.
    let second = common::world::person(&w.s, "Acme", "second@acme.kz", qamqor_protocol::Role::Admin, None).await;
    let (st, done) = w.post(&second.token, &path, json!({})).await;
    assert_eq!((st, done["status"].as_str()), (200, Some("carried_out")), "{done}");
    assert_eq!(w.s.try_login("admin@acme.kz", common::PASSWORD, None).await.status(), 401);
}
