//! Nothing is lost and nothing is applied twice, at the protocol level: devices push through a
//! proxy that drops, loses, cuts, duplicates and delays, and through a server killed with
//! SIGKILL mid-push; in the end the server holds every change exactly once.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::time::Duration;

use chrono::NaiveDate;
use qamqor_e2e::workload::random_fact;
use qamqor_e2e::{server_binary, FaultConfig, FaultProxy, NewAccount, RetryPolicy, ServerProcess, WireDevice};
use qamqor_protocol::{Change, Role};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// Queues `n` new facts (each its own record) and returns them.
fn queue_facts(device: &mut WireDevice, rng: &mut StdRng, n: usize) -> Vec<Change> {
    (0..n)
        .map(|_| {
            let (entity, record_id, payload) = random_fact(rng, day());
            device.upsert(entity, &record_id, payload)
        })
        .collect()
}

/// A fresh device of the user pulls everything directly: every change is there exactly once,
/// as it was written, and the server logged each change id once.
async fn assert_held_exactly_once(server: &ServerProcess, email: &str, written: &[Change]) {
    let mut fresh = server.device(email, "fresh device").await.unwrap();
    fresh.pull_all(1000).await.unwrap();
    let by_id: HashMap<Uuid, &Change> = written.iter().map(|c| (c.id, c)).collect();
    assert_eq!(by_id.len(), written.len(), "change ids are unique");
    let pulled: Vec<Change> = fresh.device_records().into_values().collect();
    let pulled_ids: HashSet<Uuid> = pulled.iter().map(|c| c.id).collect();
    assert_eq!(pulled.len(), pulled_ids.len(), "a record appears once");
    let missing: Vec<_> = by_id.keys().filter(|id| !pulled_ids.contains(id)).collect();
    let unknown: Vec<_> = pulled_ids.iter().filter(|id| !by_id.contains_key(id)).collect();
    assert!(missing.is_empty() && unknown.is_empty(), "{} missing, {} unknown", missing.len(), unknown.len());
    for c in &pulled {
        assert_eq!(c, by_id[&c.id], "a change comes back as it was written");
    }
    let db = server.db().unwrap();
    assert_eq!(db.changes_held(fresh.user_id()).unwrap(), written.len() as u64, "the server logged each change once");
    assert_eq!(db.records_held(fresh.user_id()).unwrap(), written.len() as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_devices_pushing_through_faults_store_every_change_exactly_once() {
    let server = ServerProcess::start(server_binary!()).await.unwrap();
    server.create_org("Acme").await.unwrap();
    server.add_user(&NewAccount::new("Acme", "a@acme.kz", Role::Employee)).await.unwrap();
    let proxy = FaultProxy::start(&server.base_url(), FaultConfig::chaos(), 0x5eed).unwrap();

    let mut tasks = Vec::new();
    for i in 0..4u64 {
        let mut device = server.device("a@acme.kz", &format!("device {i}")).await.unwrap();
        device.set_api(proxy.api());
        tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(1000 + i);
            let mut written = Vec::new();
            for _ in 0..3 {
                let n = rng.random_range(50..=400);
                written.extend(queue_facts(&mut device, &mut rng, n));
                let batch = rng.random_range(1..=500);
                device.push_all_retrying(batch, &RetryPolicy::immediate(200)).await.unwrap();
                assert!(device.outbox().is_empty());
            }
            (written, device.stats().clone())
        }));
    }
    let mut written = Vec::new();
    let mut failures = 0;
    for t in tasks {
        let (w, stats) = t.await.unwrap();
        assert_eq!(stats.acked, w.len() as u64, "each change left the outbox once");
        failures += stats.push_failures;
        written.extend(w);
    }
    proxy.set_enabled(false);
    let stats = proxy.stats();
    assert!(stats.dropped_requests > 0 && stats.lost_responses > 0 && stats.cut_responses > 0, "{stats:?}");
    assert!(stats.duplicated_requests > 0 && stats.delayed_requests > 0, "{stats:?}");
    assert_eq!(
        failures,
        stats.dropped_requests + stats.lost_responses + stats.cut_responses,
        "every fault was seen as a failure"
    );
    assert_held_exactly_once(&server, "a@acme.kz", &written).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_push_loses_nothing_and_duplicates_nothing() {
    let mut server = ServerProcess::start(server_binary!()).await.unwrap();
    server.create_org("Acme").await.unwrap();
    server.add_user(&NewAccount::new("Acme", "a@acme.kz", Role::Employee)).await.unwrap();
    let mut device = server.device("a@acme.kz", "phone").await.unwrap();
    let mut rng = StdRng::seed_from_u64(0x9111);
    let written = queue_facts(&mut device, &mut rng, 20 * 500);
    let acked = device.acked_counter();
    let pusher = tokio::spawn(async move {
        let result = device.push_all_retrying(500, &RetryPolicy::default()).await;
        (device, result)
    });

    // Three kills at seeded moments: once a seeded number of changes is acknowledged, after a
    // seeded pause of up to 40 ms (a push of 500 takes about that long), so the kill lands
    // while the next push is in flight or being committed.
    let mut thresholds: Vec<u64> = (0..3).map(|_| rng.random_range(0..9_000)).collect();
    thresholds.sort_unstable();
    let mut kills = 0;
    for threshold in thresholds {
        while acked.load(Ordering::SeqCst) < threshold && !pusher.is_finished() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..40))).await;
        if pusher.is_finished() {
            break;
        }
        server.kill_hard().unwrap();
        kills += 1;
        server.restart().await.unwrap();
    }
    let (device, result) = pusher.await.unwrap();
    result.unwrap();
    eprintln!("{kills} kills; device: {:?}", device.stats());
    assert!(kills >= 2, "the server was killed while the device pushed ({kills} kills)");
    assert!(device.outbox().is_empty());
    assert_eq!(device.stats().acked, written.len() as u64);
    assert!(device.stats().push_failures >= kills, "each kill interrupted the device: {:?}", device.stats());
    assert!(device.stats().push_interrupted >= 1, "a kill landed while a push was in flight: {:?}", device.stats());
    assert_held_exactly_once(&server, "a@acme.kz", &written).await;
}
