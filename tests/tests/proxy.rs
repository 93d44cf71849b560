//! The fault proxy does what it says: each fault really happens, with the effect on the server
//! and on the client that the tests built on it rely on.

use std::time::{Duration, Instant};

use qamqor_e2e::{server_binary, FaultConfig, FaultProxy, NewAccount, ServerProcess, WireDevice, WireError, DEFAULT_PASSWORD};
use qamqor_protocol::{Entity, PushResponse, Role};
use serde_json::json;

async fn setup() -> (ServerProcess, WireDevice) {
    let server = ServerProcess::start(server_binary!()).await.unwrap();
    server.create_org("Acme").await.unwrap();
    server.add_user(&NewAccount::new("Acme", "a@acme.kz", Role::Employee)).await.unwrap();
    let device = server.device("a@acme.kz", "phone").await.unwrap();
    (server, device)
}

fn queue(device: &mut WireDevice, n: usize) {
    for i in 0..n {
        device.upsert(Entity::WorkSession, &format!("s{i}-{}", uuid::Uuid::now_v7()), json!({"minutes": i}));
    }
}

/// Ids the server holds for the user, seen by a fresh device pulling directly.
async fn held_by_server(server: &ServerProcess) -> usize {
    let mut check = server.device("a@acme.kz", "checker").await.unwrap();
    check.pull_all(1000).await.unwrap();
    check.device_records().len()
}

fn transport(e: &WireError) -> bool {
    matches!(e, WireError::Transport(_))
}

#[tokio::test]
async fn a_dropped_request_never_reaches_the_server() {
    let (server, mut device) = setup().await;
    let proxy = FaultProxy::start(&server.base_url(), FaultConfig { drop_request: 1.0, ..FaultConfig::none() }, 1).unwrap();
    device.set_api(proxy.api());
    queue(&mut device, 3);
    let e = device.push_batch(500).await.unwrap_err();
    assert!(transport(&e), "no answer at all: {e}");
    let stats = proxy.stats();
    assert_eq!((stats.dropped_requests, stats.forwarded), (1, 0), "{stats:?}");
    assert_eq!(device.outbox().len(), 3, "nothing acknowledged, nothing removed");
    assert_eq!(held_by_server(&server).await, 0);
    assert_eq!(server.db().unwrap().changes_held(device.user_id()).unwrap(), 0);

    proxy.set_enabled(false);
    assert_eq!(device.push_all().await.unwrap(), 3);
    assert_eq!(held_by_server(&server).await, 3);
}

#[tokio::test]
async fn a_lost_response_leaves_the_change_committed_but_unacknowledged() {
    let (server, mut device) = setup().await;
    let proxy = FaultProxy::start(&server.base_url(), FaultConfig { lose_response: 1.0, ..FaultConfig::none() }, 2).unwrap();
    device.set_api(proxy.api());
    queue(&mut device, 4);
    let e = device.push_batch(500).await.unwrap_err();
    assert!(transport(&e), "{e}");
    let stats = proxy.stats();
    assert_eq!((stats.lost_responses, stats.forwarded), (1, 1), "{stats:?}");
    assert_eq!(device.outbox().len(), 4, "the client saw an error and keeps its outbox");
    assert_eq!(held_by_server(&server).await, 4, "the server committed the push");

    // The retry is acknowledged and applies nothing twice.
    proxy.set_enabled(false);
    assert_eq!(device.push_all().await.unwrap(), 4);
    assert_eq!(server.db().unwrap().changes_held(device.user_id()).unwrap(), 4);
    assert_eq!(held_by_server(&server).await, 4);
}

#[tokio::test]
async fn a_cut_response_sends_the_status_and_part_of_the_body_then_aborts() {
    let (server, mut device) = setup().await;
    let proxy = FaultProxy::start(&server.base_url(), FaultConfig { cut_response: 1.0, ..FaultConfig::none() }, 3).unwrap();
    queue(&mut device, 5);
    let body = json!({"changes": device.outbox()});
    let response = proxy
        .api()
        .request(reqwest::Method::POST, "/api/v1/sync/push")
        .bearer_auth(&device.tokens().access_token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the head of the answer arrives");
    let announced = response.content_length().unwrap();
    let read = response.bytes().await;
    assert!(read.is_err(), "the body is cut short of its {announced} bytes: {read:?}");
    assert_eq!(proxy.stats().cut_responses, 1);
    assert_eq!(held_by_server(&server).await, 5);

    // Through the device: an error, the outbox kept; then a clean retry.
    device.set_api(proxy.api());
    assert!(transport(&device.push_batch(500).await.unwrap_err()));
    assert_eq!(device.outbox().len(), 5);
    proxy.set_enabled(false);
    assert_eq!(device.push_all().await.unwrap(), 5);
    assert_eq!(server.db().unwrap().changes_held(device.user_id()).unwrap(), 5);
}

#[tokio::test]
async fn duplicated_requests_reach_the_server_twice() {
    let (server, mut device) = setup().await;
    // Logins are not idempotent: each failed one counts towards the lock-out (5 per account),
    // so three duplicated wrong passwords lock the account where three single ones would not.
    let logins = FaultConfig { duplicate_request: 1.0, path_prefix: "/api/v1/auth/login".into(), ..FaultConfig::none() };
    let proxy = FaultProxy::start(&server.base_url(), logins, 4).unwrap();
    for _ in 0..3 {
        let e = proxy.api().login("a@acme.kz", "wrong password!", "phone", None).await.unwrap_err();
        assert_eq!(e.code(), Some("unauthorized"), "{e}");
    }
    let stats = proxy.stats();
    assert_eq!((stats.duplicated_requests, stats.forwarded), (3, 6), "{stats:?}");
    let locked = server.login("a@acme.kz", DEFAULT_PASSWORD, "phone").await.unwrap_err();
    assert_eq!((locked.status(), locked.code()), (Some(429), Some("too_many_attempts")), "six failures were counted");

    // A duplicated push (concurrent or not) is applied once and acknowledged both times.
    proxy.set_config(FaultConfig { duplicate_request: 1.0, ..FaultConfig::none() });
    device.set_api(proxy.api());
    for _ in 0..6 {
        queue(&mut device, 50);
        assert_eq!(device.push_all().await.unwrap(), 50);
    }
    assert_eq!(proxy.stats().duplicated_requests, 3 + 6);
    assert_eq!(server.db().unwrap().changes_held(device.user_id()).unwrap(), 300);
    let mut other = WireDevice::new(server.api(), device.tokens().clone());
    other.pull_all(1000).await.unwrap();
    assert_eq!(other.device_records(), device.device_records());
}

#[tokio::test]
async fn delays_hold_requests_back_for_the_time_they_draw() {
    let (server, mut device) = setup().await;
    let config = FaultConfig { delay: 1.0, max_delay: Duration::from_millis(30), ..FaultConfig::none() };
    let proxy = FaultProxy::start(&server.base_url(), config, 5).unwrap();
    device.set_api(proxy.api());
    let started = Instant::now();
    for _ in 0..10 {
        device.pull_page(100).await.unwrap();
    }
    let elapsed = started.elapsed();
    let stats = proxy.stats();
    assert_eq!(stats.delayed_requests, 10, "{stats:?}");
    assert!(stats.total_delay_ms > 0);
    assert!(elapsed >= Duration::from_millis(stats.total_delay_ms), "{elapsed:?} < {} ms of delays", stats.total_delay_ms);
}

#[tokio::test]
async fn switched_off_the_proxy_forwards_faithfully_and_counts_no_fault() {
    let (server, mut device) = setup().await;
    let all = FaultConfig {
        drop_request: 0.25,
        lose_response: 0.25,
        cut_response: 0.5,
        duplicate_request: 1.0,
        delay: 1.0,
        max_delay: Duration::from_millis(5),
        path_prefix: String::new(),
    };
    let proxy = FaultProxy::start(&server.base_url(), all, 6).unwrap();
    proxy.set_enabled(false);
    device.set_api(proxy.api());
    for _ in 0..5 {
        queue(&mut device, 20);
        assert_eq!(device.push_all().await.unwrap(), 20);
    }
    device.pull_all(7).await.unwrap();
    let stats = proxy.stats();
    assert_eq!(stats.forwarded, stats.requests);
    let faults =
        (stats.dropped_requests, stats.lost_responses, stats.cut_responses, stats.duplicated_requests, stats.delayed_requests);
    assert_eq!(faults, (0, 0, 0, 0, 0), "{stats:?}");
    // Errors of the server come through as they are.
    let e = proxy.api().push("qat_not-a-token", &[]).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(401), Some("unauthorized")));
    let direct: PushResponse = server.api().push(&device.tokens().access_token, &[]).await.unwrap();
    assert!(direct.acked.is_empty());
}

#[tokio::test]
async fn the_same_seed_makes_the_same_decisions() {
    let (server, device) = setup().await;
    let mut runs = Vec::new();
    for _ in 0..2 {
        let proxy = FaultProxy::start(&server.base_url(), FaultConfig::chaos(), 42).unwrap();
        let api = proxy.api();
        let mut outcomes = Vec::new();
        for _ in 0..40 {
            outcomes.push(match api.pull(&device.tokens().access_token, 0, 10).await {
                Ok(_) => "ok",
                Err(WireError::Transport(_)) => "no answer",
                Err(_) => "error",
            });
        }
        runs.push((outcomes, proxy.stats()));
    }
    assert_eq!(runs[0], runs[1]);
    let stats = &runs[0].1;
    assert!(stats.dropped_requests + stats.lost_responses + stats.cut_responses > 0, "{stats:?}");
}

#[tokio::test]
async fn a_refresh_whose_answer_is_lost_is_retried_without_signing_the_phone_out() {
    let (server, mut device) = setup().await;
    let refreshes = FaultConfig { lose_response: 1.0, path_prefix: "/api/v1/auth/refresh".into(), ..FaultConfig::none() };
    let proxy = FaultProxy::start(&server.base_url(), refreshes, 8).unwrap();
    device.set_api(proxy.api());
    let before = device.tokens().refresh_token.clone();
    assert!(transport(&device.refresh().await.unwrap_err()));
    assert_eq!(proxy.stats().lost_responses, 1, "the server rotated the token, the phone never heard");
    assert_eq!(device.tokens().refresh_token, before);

    // The phone retries with the token it still has, gets a working pair and keeps syncing.
    proxy.set_enabled(false);
    device.refresh().await.unwrap();
    assert_ne!(device.tokens().refresh_token, before);
    queue(&mut device, 2);
    assert_eq!(device.push_all().await.unwrap(), 2);
    device.refresh().await.unwrap();
    assert_eq!(held_by_server(&server).await, 2);
}

#[tokio::test]
async fn a_server_that_is_down_is_a_retryable_502() {
    let (mut server, device) = setup().await;
    let proxy = FaultProxy::start(&server.base_url(), FaultConfig::none(), 7).unwrap();
    server.kill_hard().unwrap();
    let e = proxy.api().pull(&device.tokens().access_token, 0, 10).await.unwrap_err();
    assert_eq!(e.status(), Some(502), "{e}");
    assert!(e.is_retryable());
    assert_eq!(proxy.stats().upstream_errors, 1);
    server.restart().await.unwrap();
    assert!(proxy.api().pull(&device.tokens().access_token, 0, 10).await.is_ok());
}
