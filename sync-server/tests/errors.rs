//! Bad input gets a precise status and code, as JSON, and changes nothing.

mod common;

use common::*;
use qamqor_protocol::{Change, Entity, Role, MAX_PUSH_CHANGES, PROTOCOL_HEADER};
use qamqor_server::Settings;
use serde_json::json;

async fn user(s: &TestServer) -> String {
    s.org("Acme").await;
    s.user("Acme", "a@acme.kz", Role::Employee, None).await;
    s.login("a@acme.kz").await.access_token
}

fn raw_push(s: &TestServer, token: &str, body: &'static str) -> reqwest::RequestBuilder {
    s.post("/api/v1/sync/push").bearer_auth(token).header("content-type", "application/json").body(body)
}

#[tokio::test]
async fn malformed_json_wrong_types_and_missing_fields() {
    let s = TestServer::start().await;
    let a = user(&s).await;

    let (status, body) = error_of(raw_push(&s, &a, r#"{"changes": [ "#).send().await.unwrap()).await;
    assert_eq!((status, body.code.as_str()), (400, "malformed_json"));

    let (status, body) = error_of(raw_push(&s, &a, r#"{"changes": 7}"#).send().await.unwrap()).await;
    assert_eq!((status, body.code.as_str(), body.field.as_deref()), (422, "invalid_field", Some("changes")));

    let bad_entity = r#"{"changes": [{"id": "01936d2c-7c00-7000-8000-000000000001", "entity": "salary", "record_id": "r",
        "op": "upsert", "hlc": "0000000000000001-1", "payload": {}}]}"#;
    let (status, body) = error_of(raw_push(&s, &a, bad_entity).send().await.unwrap()).await;
    assert_eq!((status, body.field.as_deref()), (422, Some("changes[0].entity")));
    assert!(body.message.contains("unknown variant"), "{}", body.message);

    let missing = r#"{"changes": [{"id": "01936d2c-7c00-7000-8000-000000000001", "entity": "task", "record_id": "r",
        "op": "upsert", "payload": {}}]}"#;
    let (status, body) = error_of(raw_push(&s, &a, missing).send().await.unwrap()).await;
    assert_eq!((status, body.field.as_deref()), (422, Some("changes[0].hlc")));

    let r = s
        .post("/api/v1/auth/login")
        .json(&json!({"email": "a@acme.kz", "password": 12, "device_name": "x"}))
        .send()
        .await
        .unwrap();
    let (status, body) = error_of(r).await;
    assert_eq!((status, body.field.as_deref()), (422, Some("password")));

    assert!(s.pull_personal(&a).await.is_empty());
}

#[tokio::test]
async fn invalid_changes_name_their_field_and_store_nothing() {
    let s = TestServer::start().await;
    let a = user(&s).await;
    let good = upsert(Entity::Task, "t1", &hlc(NOW, "a1"), json!({"title": "x"}));
    let cases = [
        (Change { hlc: "yesterday".into(), ..upsert(Entity::Task, "t2", "", json!({})) }, "changes[1].hlc"),
        (upsert(Entity::Task, "", &hlc(NOW, "a1"), json!({})), "changes[1].record_id"),
        (upsert(Entity::Task, "t2", &hlc(NOW, "a1"), json!("not an object")), "changes[1].payload"),
        (upsert(Entity::Task, "t2", &hlc(NOW + 3 * 24 * 60 * MINUTE, "a1"), json!({})), "changes[1].hlc"),
    ];
    for (bad, field) in cases {
        let (status, body) = error_of(s.push(&a, &[good.clone(), bad]).await).await;
        assert_eq!((status, body.code.as_str(), body.field.as_deref()), (422, "invalid_field", Some(field)));
    }
    let too_many: Vec<Change> =
        (0..=MAX_PUSH_CHANGES).map(|i| upsert(Entity::CheckIn, &format!("c{i}"), &hlc(NOW, "a1"), json!({}))).collect();
    let (status, body) = error_of(s.push(&a, &too_many).await).await;
    assert_eq!((status, body.code.as_str(), body.field.as_deref()), (422, "too_many_changes", Some("changes")));
    assert!(s.pull_personal(&a).await.is_empty(), "no part of a rejected batch is stored");
}

#[tokio::test]
async fn wrong_content_type_and_oversized_bodies() {
    let settings = Settings { push_body_limit: 4096, ..Settings::default() };
    let s = TestServer::start_with(settings).await;
    let a = user(&s).await;

    let r = s
        .post("/api/v1/sync/push")
        .bearer_auth(&a)
        .header("content-type", "text/plain")
        .body(r#"{"changes": []}"#)
        .send()
        .await
        .unwrap();
    let (status, body) = error_of(r).await;
    assert_eq!((status, body.code.as_str()), (415, "unsupported_media_type"));

    let big: Vec<Change> =
        (0..20).map(|i| upsert(Entity::Task, &format!("t{i}"), &hlc(NOW, "a1"), json!({"notes": "n".repeat(300)}))).collect();
    let (status, body) = error_of(s.push(&a, &big).await).await;
    assert_eq!((status, body.code.as_str()), (413, "body_too_large"));

    // Other endpoints keep the small default limit.
    let r = s
        .post("/api/v1/auth/login")
        .json(&json!({"email": "a@acme.kz", "password": "p".repeat(100_000), "device_name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, 413);
    assert!(s.pull_personal(&a).await.is_empty());
}

#[tokio::test]
async fn the_protocol_version_is_required_and_checked() {
    let s = TestServer::start().await;
    let a = user(&s).await;
    let url = format!("{}/api/v1/sync/pull", s.base);

    let r = s.http.get(&url).bearer_auth(&a).header(PROTOCOL_HEADER, "2").send().await.unwrap();
    assert_eq!(r.headers()[PROTOCOL_HEADER], "1", "the server says which version it speaks");
    let (status, body) = error_of(r).await;
    assert_eq!((status, body.code.as_str()), (426, "upgrade_required"));
    assert!(body.message.contains("update the app"));

    let (status, body) = error_of(s.http.get(&url).bearer_auth(&a).send().await.unwrap()).await;
    assert_eq!((status, body.code.as_str()), (400, "protocol_version_missing"));
    let (status, _) = error_of(s.http.get(&url).bearer_auth(&a).header(PROTOCOL_HEADER, "one").send().await.unwrap()).await;
    assert_eq!(status, 400);

    // An old app pushing is told to update before anything else is looked at, and nothing is stored.
    let c = upsert(Entity::Task, "t1", &hlc(NOW, "a1"), json!({}));
    let r = s
        .http
        .post(format!("{}/api/v1/sync/push", s.base))
        .bearer_auth(&a)
        .header(PROTOCOL_HEADER, "0")
        .json(&json!({"changes": [c]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 426);
    assert!(s.pull_personal(&a).await.is_empty());
}

#[tokio::test]
async fn unknown_routes_methods_and_queries_answer_in_json() {
    let s = TestServer::start().await;
    let a = user(&s).await;
    let (status, body) = error_of(s.get("/api/v1/nothing").send().await.unwrap()).await;
    assert_eq!((status, body.code.as_str()), (404, "not_found"));
    let (status, body) = error_of(s.get("/api/v1/sync/push").bearer_auth(&a).send().await.unwrap()).await;
    assert_eq!((status, body.code.as_str()), (405, "method_not_allowed"));
    let (status, body) = error_of(s.get("/api/v1/sync/pull?since=-1").bearer_auth(&a).send().await.unwrap()).await;
    assert_eq!((status, body.code.as_str()), (400, "invalid_query"));
    let (status, body) = error_of(s.get("/api/v1/sync/pull?limit=0").bearer_auth(&a).send().await.unwrap()).await;
    assert_eq!((status, body.field.as_deref()), (422, Some("limit")));
    let (status, body) = error_of(s.get("/api/v1/sync/pull?limit=100000").bearer_auth(&a).send().await.unwrap()).await;
    assert_eq!((status, body.field.as_deref()), (422, Some("limit")));
}
