//! Security through the real socket: no one reads or overwrites another person's records,
//! across organisations or within one; expired, forged and revoked tokens are refused with
//! their codes; oversized batches and other protocol versions are refused whole.

use qamqor_e2e::{server_binary, Api, NewAccount, ServerProcess, WireDevice, WireError};
use qamqor_protocol::{Change, Entity, Op, PROTOCOL_HEADER};
use serde_json::json;
use uuid::Uuid;

/// Acme (Aigerim and her colleague Dana) and Globex (Bolat), each logged in on one device.
async fn two_organisations() -> (ServerProcess, WireDevice, WireDevice, WireDevice) {
    let server = ServerProcess::start(server_binary!()).await.unwrap();
    server.create_org("Acme").await.unwrap();
    server.create_org("Globex").await.unwrap();
    for (org, email) in [("Acme", "aigerim@acme.kz"), ("Acme", "dana@acme.kz"), ("Globex", "bolat@globex.kz")] {
        server.add_user(&NewAccount::new(org, email, qamqor_protocol::Role::Employee)).await.unwrap();
    }
    let aigerim = server.device("aigerim@acme.kz", "phone").await.unwrap();
    let dana = server.device("dana@acme.kz", "phone").await.unwrap();
    let bolat = server.device("bolat@globex.kz", "phone").await.unwrap();
    (server, aigerim, dana, bolat)
}

fn assert_error(e: &WireError, status: u16, code: &str) {
    assert_eq!((e.status(), e.code()), (Some(status), Some(code)), "{e}");
}

#[tokio::test]
async fn nobody_reads_or_overwrites_another_persons_records() {
    let (server, mut aigerim, mut dana, mut bolat) = two_organisations().await;
    let plan = aigerim.upsert(Entity::Task, "t1", json!({"title": "Acme's secret plan"}));
    let mood = aigerim.upsert(Entity::CheckIn, "c1", json!({"fatigue": 9, "note": "exhausted"}));
    aigerim.push_all().await.unwrap();

    // Pulls from the very beginning show none of Aigerim's records to anyone else.
    for other in [&mut bolat, &mut dana] {
        other.pull_all(1000).await.unwrap();
        assert!(other.device_records().is_empty(), "{:?}", other.device_records());
        assert!(other.records().values().all(|c| c.id != plan.id && c.id != mood.id));
    }

    // Writing to the same record ids, even with newer stamps, creates their own records.
    let globex_plan = bolat.upsert(Entity::Task, "t1", json!({"title": "overwritten by Globex"}));
    let globex_delete = bolat.delete(Entity::CheckIn, "c1");
    let dana_plan = dana.upsert(Entity::Task, "t1", json!({"title": "overwritten by a colleague"}));
    bolat.push_all().await.unwrap();
    dana.push_all().await.unwrap();
    aigerim.pull_all(1000).await.unwrap();
    assert_eq!(aigerim.record(Entity::Task, "t1"), Some(&plan));
    assert_eq!(aigerim.record(Entity::CheckIn, "c1"), Some(&mood));
    let mut fresh = server.device("aigerim@acme.kz", "new phone").await.unwrap();
    fresh.pull_all(1000).await.unwrap();
    assert_eq!(fresh.device_records(), aigerim.device_records());
    assert_eq!(fresh.device_records().len(), 2);
    bolat.pull_all(1000).await.unwrap();
    assert_eq!(bolat.record(Entity::Task, "t1"), Some(&globex_plan));
    assert_eq!(bolat.record(Entity::CheckIn, "c1"), Some(&globex_delete));
    dana.pull_all(1000).await.unwrap();
    assert_eq!(dana.device_records().into_values().collect::<Vec<_>>(), vec![dana_plan]);

    // Replaying Aigerim's change under another account is refused whole and changes nothing.
    for thief in [&bolat, &dana] {
        let e = thief.api().push(&thief.tokens().access_token, std::slice::from_ref(&plan)).await.unwrap_err();
        assert_error(&e, 409, "change_id_conflict");
        assert_eq!(e.body().unwrap().field.as_deref(), Some("changes[0].id"));
    }
    let db = server.db().unwrap();
    assert_eq!(db.changes_held(bolat.user_id()).unwrap(), 2);
    assert_eq!(db.changes_held(dana.user_id()).unwrap(), 1);
    let mut again = server.device("bolat@globex.kz", "laptop").await.unwrap();
    again.pull_all(1000).await.unwrap();
    assert_eq!(again.device_records(), bolat.device_records());
}

#[tokio::test]
async fn expired_forged_and_revoked_tokens_are_refused_with_their_code() {
    let (server, mut aigerim, _, _) = two_organisations().await;
    let api = server.api();
    let db = server.db().unwrap();
    aigerim.upsert(Entity::Task, "t1", json!({"title": "before expiry"}));

    // An expired access token: 401 token_expired on every endpoint; a refresh fixes it.
    assert!(db.expire_access_tokens(aigerim.device_id()).unwrap() > 0);
    let access = aigerim.tokens().access_token.clone();
    assert_error(&aigerim.push_all().await.unwrap_err(), 401, "token_expired");
    assert_error(&api.pull(&access, 0, 10).await.unwrap_err(), 401, "token_expired");
    assert_eq!(aigerim.outbox().len(), 1, "nothing was acknowledged");
    aigerim.refresh().await.unwrap();
    assert_eq!(aigerim.push_all().await.unwrap(), 1);

    // Forged or malformed tokens, or none: 401 unauthorized.
    let forged = format!("qat_{}", "A".repeat(43));
    assert_error(&api.pull(&forged, 0, 10).await.unwrap_err(), 401, "unauthorized");
    assert_error(&api.pull("not-a-token", 0, 10).await.unwrap_err(), 401, "unauthorized");
    let refresh_as_access = aigerim.tokens().refresh_token.clone();
    assert_error(&api.pull(&refresh_as_access, 0, 10).await.unwrap_err(), 401, "unauthorized");
    let anonymous = api.request(reqwest::Method::GET, "/api/v1/sync/pull").send().await.unwrap();
    assert_eq!(anonymous.status(), 401);

    // An expired refresh token: 401 token_expired, log in again.
    assert!(db.expire_refresh_tokens(aigerim.device_id()).unwrap() > 0);
    assert_error(&aigerim.refresh().await.unwrap_err(), 401, "token_expired");

    // A spent refresh token presented after the device has refreshed again is taken for a
    // stolen one: the device's session is revoked.
    let mut phone = server.device("aigerim@acme.kz", "second phone").await.unwrap();
    let spent = phone.tokens().refresh_token.clone();
    phone.refresh().await.unwrap();
    phone.refresh().await.unwrap();
    assert_error(&api.refresh(&spent).await.unwrap_err(), 401, "refresh_token_reused");
    assert_error(&phone.pull_all(10).await.unwrap_err(), 401, "unauthorized");
    assert_error(&phone.refresh().await.unwrap_err(), 401, "unauthorized");

    // After logout the token is dead.
    let mut tablet = server.device("aigerim@acme.kz", "tablet").await.unwrap();
    api.logout(&tablet.tokens().access_token).await.unwrap();
    assert_error(&tablet.pull_all(10).await.unwrap_err(), 401, "unauthorized");
}

fn facts(device: &mut WireDevice, n: usize) -> Vec<Change> {
    (0..n).map(|i| device.upsert(Entity::WorkSession, &Uuid::now_v7().to_string(), json!({"minutes": i}))).collect()
}

#[tokio::test]
async fn a_batch_over_500_changes_is_refused_whole() {
    let (server, mut aigerim, _, _) = two_organisations().await;
    let batch = facts(&mut aigerim, 501);
    let e = server.api().push(&aigerim.tokens().access_token, &batch).await.unwrap_err();
    assert_error(&e, 422, "too_many_changes");
    assert_eq!(e.body().unwrap().field.as_deref(), Some("changes"));
    let db = server.db().unwrap();
    assert_eq!(db.changes_held(aigerim.user_id()).unwrap(), 0, "nothing of the batch was stored");
    // The device's own batching never sends more than 500.
    assert_eq!(aigerim.push_batch(10_000).await.unwrap(), 500);
    assert_eq!(aigerim.push_all().await.unwrap(), 1);
    assert_eq!(db.changes_held(aigerim.user_id()).unwrap(), 501);

    // One invalid change rejects its whole batch too, naming it.
    let mut bad = facts(&mut aigerim, 3);
    bad[1].hlc = "yesterday".into();
    bad[2].op = Op::Delete;
    let e = server.api().push(&aigerim.tokens().access_token, &bad).await.unwrap_err();
    assert_error(&e, 422, "invalid_field");
    assert_eq!(e.body().unwrap().field.as_deref(), Some("changes[1].hlc"));
    assert_eq!(db.changes_held(aigerim.user_id()).unwrap(), 501);
}

#[tokio::test]
async fn another_protocol_version_is_refused_before_anything_else() {
    let (server, aigerim, _, _) = two_organisations().await;
    let http = server.api().client().clone();
    let url = |path: &str| format!("{}{path}", server.base_url());
    let access = aigerim.tokens().access_token.clone();
    let requests = [
        http.get(url("/api/v1/sync/pull")).bearer_auth(&access),
        http.post(url("/api/v1/sync/push")).bearer_auth(&access).json(&json!({"changes": []})),
        // The version check comes before authentication and body parsing.
        http.get(url("/api/v1/sync/pull")).bearer_auth("forged"),
        http.post(url("/api/v1/auth/login")).body("not json"),
    ];
    for request in requests {
        let r = request.try_clone().unwrap().header(PROTOCOL_HEADER, "2").send().await.unwrap();
        assert_eq!(r.status(), 426);
        assert_eq!(r.headers().get(PROTOCOL_HEADER).and_then(|v| v.to_str().ok()), Some("1"), "the server says what it speaks");
        let body: qamqor_protocol::ErrorBody = r.json().await.unwrap();
        assert_eq!(body.code, "upgrade_required");
        assert!(body.message.to_lowercase().contains("update"), "{}", body.message);

        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 400);
        let body: qamqor_protocol::ErrorBody = r.json().await.unwrap();
        assert_eq!((body.code.as_str(), body.field.as_deref()), ("protocol_version_missing", Some(PROTOCOL_HEADER)));
    }
    // The same requests with version 1 work.
    let page = Api::new(server.base_url()).pull(&access, 0, 10).await.unwrap();
    assert!(page.changes.iter().all(|c| c.entity.is_server_written()));
}
