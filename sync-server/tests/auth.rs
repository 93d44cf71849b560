//! Login, token rotation with reuse detection, expiry, logout, device revocation, throttling
//! and invitations, against the real server over HTTP.

mod common;

use common::*;
use qamqor_protocol::{AuthTokens, Invitation, Role};
use qamqor_server::Settings;
use serde_json::json;
use uuid::Uuid;

async fn can_pull(s: &TestServer, access: &str) -> u16 {
    s.get("/api/v1/sync/pull").bearer_auth(access).send().await.unwrap().status().as_u16()
}

async fn refresh(s: &TestServer, token: &str) -> reqwest::Response {
    s.post("/api/v1/auth/refresh").json(&json!({"refresh_token": token})).send().await.unwrap()
}

#[tokio::test]
async fn login_gives_working_tokens_and_wrong_credentials_look_the_same() {
    let s = TestServer::start().await;
    s.org("Acme").await;
    s.user("Acme", "Aigerim@Acme.kz", Role::Employee, None).await;

    // The email is normalised on both sides.
    let t = s.login("  aigerim@ACME.kz ").await;
    assert_eq!(t.role, Role::Employee);
    assert!(t.access_token.starts_with("qat_") && t.refresh_token.starts_with("qrt_"));
    assert_eq!(t.access_expires_in, 15 * 60);
    assert_eq!(can_pull(&s, &t.access_token).await, 200);

    let (status, wrong_password) = error_of(s.try_login("aigerim@acme.kz", "not the password", None).await).await;
    assert_eq!((status, wrong_password.code.as_str()), (401, "unauthorized"));
    let (status, unknown) = error_of(s.try_login("nobody@acme.kz", "not the password", None).await).await;
    assert_eq!(status, 401);
    assert_eq!(unknown, wrong_password, "an unknown account must be indistinguishable from a wrong password");

    // Missing, malformed and forged tokens.
    let r = s.get("/api/v1/sync/pull").send().await.unwrap();
    assert_eq!(error_of(r).await.1.code, "unauthorized");
    let forged = format!("qat_{}", "A".repeat(43));
    assert_eq!(can_pull(&s, &forged).await, 401);
    assert_eq!(can_pull(&s, "qat_short").await, 401);
    assert_eq!(can_pull(&s, &t.refresh_token).await, 401, "a refresh token is not an access token");
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_refresh_token_revokes_the_device() {
    // No grace for a retried refresh here: any second use is a reuse.
    let s = TestServer::start_with(Settings { refresh_reuse_grace_ms: 0, ..Settings::default() }).await;
    s.org("Acme").await;
    s.user("Acme", "a@acme.kz", Role::Employee, None).await;
    let first = s.login("a@acme.kz").await;

    let r = refresh(&s, &first.refresh_token).await;
    assert_eq!(r.status(), 200);
    let second: AuthTokens = r.json().await.unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(second.device_id, first.device_id);
    assert_eq!(can_pull(&s, &second.access_token).await, 200);

    // The old refresh token is spent: presenting it again is treated as theft.
    let (status, body) = error_of(refresh(&s, &first.refresh_token).await).await;
    assert_eq!((status, body.code.as_str()), (401, "refresh_token_reused"));
    // ... and the whole session of that device is gone, including the newest tokens.
    assert_eq!(can_pull(&s, &second.access_token).await, 401);
    assert_eq!(error_of(refresh(&s, &second.refresh_token).await).await.1.code, "unauthorized");

    // Logging in again on the same device starts a fresh session.
    let again: AuthTokens = s.try_login("a@acme.kz", PASSWORD, Some(first.device_id)).await.json().await.unwrap();
    assert_eq!(again.device_id, first.device_id);
    assert_eq!(can_pull(&s, &again.access_token).await, 200);
}

#[tokio::test]
async fn expired_tokens_say_so() {
    let s = TestServer::start().await;
    s.org("Acme").await;
    s.user("Acme", "a@acme.kz", Role::Employee, None).await;
    let t = s.login("a@acme.kz").await;

    s.clock.advance(15 * MINUTE);
    let r = s.get("/api/v1/sync/pull").bearer_auth(&t.access_token).send().await.unwrap();
    let (status, body) = error_of(r).await;
    assert_eq!((status, body.code.as_str()), (401, "token_expired"));

    // The refresh token still works, and its new access token too.
    let fresh: AuthTokens = refresh(&s, &t.refresh_token).await.json().await.unwrap();
    assert_eq!(can_pull(&s, &fresh.access_token).await, 200);

    s.clock.advance(31 * 24 * 60 * MINUTE);
    let (status, body) = error_of(refresh(&s, &fresh.refresh_token).await).await;
    assert_eq!((status, body.code.as_str()), (401, "token_expired"));
}

#[tokio::test]
async fn logout_and_device_revocation_respect_ownership_and_organisations() {
    let s = TestServer::start().await;
    s.org("Acme").await;
    s.org("Other").await;
    s.user("Acme", "admin@acme.kz", Role::Admin, None).await;
    s.user("Acme", "a@acme.kz", Role::Employee, None).await;
    s.user("Acme", "b@acme.kz", Role::Employee, None).await;
    s.user("Other", "admin@other.kz", Role::Admin, None).await;

    let a_phone = s.login("a@acme.kz").await;
    let a_tablet = s.login("a@acme.kz").await;
    let b = s.login("b@acme.kz").await;
    let admin = s.login("admin@acme.kz").await;
    let other_admin = s.login("admin@other.kz").await;
    assert_ne!(a_phone.device_id, a_tablet.device_id);

    let revoke = |token: &str, device: Uuid| s.delete(&format!("/api/v1/devices/{device}")).bearer_auth(token.to_string()).send();

    // Another employee, and another organisation's admin, cannot see the device at all.
    let (status, body) = error_of(revoke(&b.access_token, a_tablet.device_id).await.unwrap()).await;
    assert_eq!((status, body.code.as_str()), (404, "device_not_found"));
    let (status, _) = error_of(revoke(&other_admin.access_token, a_tablet.device_id).await.unwrap()).await;
    assert_eq!(status, 404);
    assert_eq!(error_of(revoke(&b.access_token, Uuid::now_v7()).await.unwrap()).await.0, 404);
    assert_eq!(s.delete("/api/v1/devices/not-a-uuid").bearer_auth(&b.access_token).send().await.unwrap().status(), 404);
    assert_eq!(can_pull(&s, &a_tablet.access_token).await, 200);

    // The owner revokes their tablet: its tokens die, the phone keeps working.
    assert_eq!(revoke(&a_phone.access_token, a_tablet.device_id).await.unwrap().status(), 204);
    assert_eq!(can_pull(&s, &a_tablet.access_token).await, 401);
    assert_eq!(refresh(&s, &a_tablet.refresh_token).await.status(), 401);
    assert_eq!(can_pull(&s, &a_phone.access_token).await, 200);

    // Their organisation's admin can revoke any of its devices.
    assert_eq!(revoke(&admin.access_token, b.device_id).await.unwrap().status(), 204);
    assert_eq!(can_pull(&s, &b.access_token).await, 401);

    // Logout ends the calling device's session.
    let r = s.post("/api/v1/auth/logout").bearer_auth(&a_phone.access_token).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(can_pull(&s, &a_phone.access_token).await, 401);
    assert_eq!(refresh(&s, &a_phone.refresh_token).await.status(), 401);
}

#[tokio::test]
async fn a_device_id_belongs_to_one_account() {
    let s = TestServer::start().await;
    s.org("Acme").await;
    s.user("Acme", "a@acme.kz", Role::Employee, None).await;
    s.user("Acme", "b@acme.kz", Role::Employee, None).await;
    let a = s.login("a@acme.kz").await;
    let (status, body) = error_of(s.try_login("b@acme.kz", PASSWORD, Some(a.device_id)).await).await;
    assert_eq!((status, body.code.as_str(), body.field.as_deref()), (409, "device_id_taken", Some("device_id")));
    assert_eq!(can_pull(&s, &a.access_token).await, 200, "the owner's session is untouched");
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_with_retry_after() {
    let s = TestServer::start().await;
    s.org("Acme").await;
    s.user("Acme", "a@acme.kz", Role::Employee, None).await;
    s.user("Acme", "b@acme.kz", Role::Employee, None).await;

    for _ in 0..5 {
        assert_eq!(s.try_login("a@acme.kz", "wrong password!", None).await.status(), 401);
    }
    s.clock.advance(MINUTE);
    // Even the right password is refused now, and the client is told when to come back.
    let r = s.try_login("a@acme.kz", PASSWORD, None).await;
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert_eq!(retry, 14 * 60);
    assert_eq!(error_of(r).await.1.code, "too_many_attempts");
    // Other accounts from the same address are not locked out by one account's failures.
    assert_eq!(s.try_login("b@acme.kz", PASSWORD, None).await.status(), 200);

    s.clock.advance(14 * MINUTE);
    assert_eq!(s.try_login("a@acme.kz", PASSWORD, None).await.status(), 200);
}

#[tokio::test]
async fn failed_logins_are_throttled_per_address() {
    let settings = Settings { max_failures_per_address: 3, ..Settings::default() };
    let s = TestServer::start_with(settings).await;
    s.org("Acme").await;
    s.user("Acme", "a@acme.kz", Role::Employee, None).await;
    for i in 0..3 {
        assert_eq!(s.try_login(&format!("guess{i}@acme.kz"), "wrong password!", None).await.status(), 401);
    }
    let r = s.try_login("a@acme.kz", PASSWORD, None).await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "900");
}

async fn invite(s: &TestServer, token: &str, body: serde_json::Value) -> reqwest::Response {
    s.post("/api/v1/invitations").bearer_auth(token).json(&body).send().await.unwrap()
}

async fn register(s: &TestServer, code: &str, email: &str) -> reqwest::Response {
    let body = json!({"code": code, "email": email, "name": "New Person", "password": PASSWORD, "device_name": "new phone"});
    s.post("/api/v1/auth/register").json(&body).send().await.unwrap()
}

#[tokio::test]
async fn an_invitation_registers_one_account_once() {
    let s = TestServer::start().await;
    s.org("Acme").await;
    s.user("Acme", "admin@acme.kz", Role::Admin, None).await;
    let admin = s.login("admin@acme.kz").await;

    let r = invite(&s, &admin.access_token, json!({"email": "New@Acme.kz", "role": "employee", "department": "Sales"})).await;
    assert_eq!(r.status(), 201);
    let inv: Invitation = r.json().await.unwrap();
    assert_eq!((inv.email.as_str(), inv.department.as_deref()), ("new@acme.kz", Some("Sales")));
    assert_eq!(inv.expires_at, NOW + 7 * 24 * 60 * MINUTE);

    // Bound to its email.
    let (status, body) = error_of(register(&s, &inv.code, "someone.else@acme.kz").await).await;
    assert_eq!((status, body.field.as_deref()), (422, Some("email")));

    let r = register(&s, &inv.code, "new@acme.kz").await;
    assert_eq!(r.status(), 201);
    let t: AuthTokens = r.json().await.unwrap();
    assert_eq!(t.role, Role::Employee);
    assert_eq!(can_pull(&s, &t.access_token).await, 200);
    assert_eq!(s.try_login("new@acme.kz", PASSWORD, None).await.status(), 200);

    // Single use.
    let (status, body) = error_of(register(&s, &inv.code, "new@acme.kz").await).await;
    assert_eq!((status, body.code.as_str()), (410, "invitation_used"));
    let (status, body) = error_of(register(&s, &format!("qic_{}", "x".repeat(43)), "new@acme.kz").await).await;
    assert_eq!((status, body.code.as_str()), (404, "invitation_not_found"));

    // Expires after seven days.
    let inv: Invitation =
        invite(&s, &admin.access_token, json!({"email": "late@acme.kz", "role": "manager"})).await.json().await.unwrap();
    s.clock.advance(7 * 24 * 60 * MINUTE);
    let (status, body) = error_of(register(&s, &inv.code, "late@acme.kz").await).await;
    assert_eq!((status, body.code.as_str()), (410, "invitation_expired"));
}

#[tokio::test]
async fn only_admins_and_managers_invite_and_managers_only_into_their_department() {
    let s = TestServer::start().await;
    s.org("Acme").await;
    s.user("Acme", "m@acme.kz", Role::Manager, Some("Sales")).await;
    s.user("Acme", "e@acme.kz", Role::Employee, Some("Sales")).await;
    let manager = s.login("m@acme.kz").await;
    let employee = s.login("e@acme.kz").await;

    let (status, body) =
        error_of(invite(&s, &employee.access_token, json!({"email": "x@acme.kz", "role": "employee"})).await).await;
    assert_eq!((status, body.code.as_str()), (403, "forbidden"));
    let (status, body) = error_of(invite(&s, &manager.access_token, json!({"email": "x@acme.kz", "role": "admin"})).await).await;
    assert_eq!((status, body.field.as_deref()), (403, Some("role")));
    let r = invite(&s, &manager.access_token, json!({"email": "x@acme.kz", "role": "employee", "department": "Finance"})).await;
    assert_eq!(error_of(r).await.1.field.as_deref(), Some("department"));

    let r = invite(&s, &manager.access_token, json!({"email": "x@acme.kz", "role": "employee"})).await;
    assert_eq!(r.status(), 201);
    let inv: Invitation = r.json().await.unwrap();
    assert_eq!(inv.department.as_deref(), Some("Sales"), "a manager's invitee joins their department");
}

#[tokio::test]
async fn a_refresh_retried_after_a_lost_answer_gets_a_new_pair_but_a_later_reuse_still_revokes() {
    let s = TestServer::start().await;
    s.org("Acme").await;
    s.user("Acme", "a@acme.kz", Role::Employee, None).await;
    let first = s.login("a@acme.kz").await;
    // The answer to this refresh is lost on the way: the device never sees `lost`.
    let lost: AuthTokens = refresh(&s, &first.refresh_token).await.json().await.unwrap();
    // It retries with the same token at once, and gets a working pair; the lost one is dropped.
    let r = refresh(&s, &first.refresh_token).await;
    assert_eq!(r.status(), 200);
    let retried: AuthTokens = r.json().await.unwrap();
    assert_eq!(retried.device_id, first.device_id);
    assert_eq!(can_pull(&s, &retried.access_token).await, 200);
    assert_eq!(error_of(refresh(&s, &lost.refresh_token).await).await.1.code, "unauthorized", "the lost successor is gone");
    // Once the device has moved on, the old token is a reuse again: the session is revoked.
    let next: AuthTokens = refresh(&s, &retried.refresh_token).await.json().await.unwrap();
    let (status, body) = error_of(refresh(&s, &first.refresh_token).await).await;
    assert_eq!((status, body.code.as_str()), (401, "refresh_token_reused"));
    assert_eq!(can_pull(&s, &next.access_token).await, 401);
}
