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
