//! Seeded randomized schedules of offline edits, partial syncs and faults across several
//! devices of one person: in the end every device holds the same records, and they are what
//! last-writer-wins on the HLC says (for each record, the write with the greatest stamp;
//! deletes are tombstones).
//!
//! Each schedule has its own account (written into the store: an Argon2 hash per login would
//! dominate the run time), its own devices with skewed clocks and its own fault proxy seeded
//! with the schedule's seed, against one shared server process. `QAMQOR_E2E_SCHEDULES=N` runs
//! N schedules (default 200); `QAMQOR_E2E_SEED=S` runs only the schedule of seed S (the seed a
//! failure reports).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use qamqor_e2e::device::wins;
use qamqor_e2e::workload;
use qamqor_e2e::{
    server_binary, FaultConfig, FaultProxy, FaultStats, Provisioner, RecordKey, RetryPolicy, ServerDb, ServerProcess, WireClock,
    WireDevice, WireError,
};
use qamqor_protocol::{Change, Entity};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::sync::Semaphore;
use uuid::Uuid;

const DEFAULT_SCHEDULES: u64 = 200;
const FIRST_SEED: u64 = 0x5c4e_d000;
const PARALLEL: usize = 4;
const HOUR_MS: i64 = 3600 * 1000;

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// What one schedule did.
#[derive(Default)]
struct Report {
    steps: u64,
    changes: u64,
    /// Records whose final state is a tombstone.
    tombstones: u64,
    /// Writes to a mutable record that an earlier-arriving or concurrent write beat.
    overwritten: u64,
    faults: FaultStats,
}

/// The reference: every change ever written, reduced by last-writer-wins per record.
#[derive(Default)]
struct Model {
    records: BTreeMap<RecordKey, Change>,
    changes: u64,
}

impl Model {
    fn add(&mut self, c: Change) {
        self.changes += 1;
        let key = RecordKey::of(&c);
        if self.records.get(&key).is_none_or(|current| wins(&c, current)) {
            self.records.insert(key, c);
        }
    }
}

/// A failure a schedule may meet and shrug off: no answer, or a server failure behind the
/// proxy. Anything else (a 4xx, a protocol violation) is a bug.
fn tolerate(e: WireError, seed: u64) -> Result<(), String> {
    if e.is_retryable() {
        Ok(())
    } else {
        Err(format!("seed {seed}: unexpected error: {e}"))
    }
}

/// One offline edit: a new fact, a task written or deleted (tasks are shared by the devices,
/// so their writes conflict), or the profile.
fn edit(device: &mut WireDevice, rng: &mut StdRng, tasks: &[String], model: &mut Model) {
    let change = match rng.random_range(0..100) {
        0..=24 => {
            let (entity, id, payload) = workload::random_fact(rng, day());
            device.upsert(entity, &id, payload)
        }
        25..=69 => {
            let id = &tasks[rng.random_range(0..tasks.len())];
            let status = ["todo", "in_progress", "done", "cancelled"][rng.random_range(0..4)];
            let payload = workload::task(rng, id, day(), status);
            device.upsert(Entity::Task, id, payload)
        }
        70..=84 => {
            let id = &tasks[rng.random_range(0..tasks.len())];
            device.delete(Entity::Task, id)
        }
        _ => {
            let payload = workload::profile(rng, "Aigerim Bekova");
            device.upsert(Entity::Profile, "profile", payload)
        }
    };
    model.add(change);
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default()
}

async fn run_schedule(
    seed: u64,
    server_url: String,
    db_path: PathBuf,
    provisioner: Arc<Provisioner>,
    org_id: Uuid,
) -> Result<Report, String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| format!("seed {seed}: {what}: {e}");
    let mut rng = StdRng::seed_from_u64(seed);
    let n_devices = rng.random_range(2..=4);
    let sessions =
        provisioner.employee(org_id, &format!("s{seed:x}@schedules.kz"), n_devices).await.map_err(|e| fail("accounts", &e))?;
    let config = FaultConfig {
        drop_request: rng.random_range(0.0..0.15),
        lose_response: rng.random_range(0.0..0.15),
        cut_response: rng.random_range(0.0..0.15),
        duplicate_request: rng.random_range(0.0..0.3),
        delay: rng.random_range(0.0..0.3),
        max_delay: Duration::from_millis(3),
        ..FaultConfig::none()
    };
    let proxy = FaultProxy::start(&server_url, config, seed).map_err(|e| fail("proxy", &e))?;
    let mut devices: Vec<WireDevice> = sessions
        .into_iter()
        .map(|tokens| {
            let skew = rng.random_range(-6 * HOUR_MS..=6 * HOUR_MS);
            WireDevice::new(proxy.api(), tokens).with_clock(WireClock::new(rng.random()).with_skew(skew))
        })
        .collect();
    let tasks: Vec<String> = (0..rng.random_range(2..=5)).map(|i| format!("task-{i}")).collect();
    let mut model = Model::default();
    let mut report = Report::default();

    for _ in 0..rng.random_range(10..=30) {
        report.steps += 1;
        let d = rng.random_range(0..devices.len());
        let device = &mut devices[d];
        match rng.random_range(0..100) {
            // Offline edits.
            0..=39 => {
                for _ in 0..rng.random_range(1..=4) {
                    edit(device, &mut rng, &tasks, &mut model);
                }
            }
            // A partial push: one batch of part of the outbox.
            40..=64 => {
                let n = rng.random_range(1..=device.outbox().len().max(1));
                if let Err(e) = device.push_batch(n).await {
                    tolerate(e, seed)?;
                }
            }
            // A partial pull: a few small pages, then offline again.
            65..=89 => {
                let limit = rng.random_range(1..=4);
                for _ in 0..rng.random_range(1..=3) {
                    match device.pull_page(limit).await {
                        Ok(page) if !page.has_more => break,
                        Ok(_) => {}
                        Err(e) => {
                            tolerate(e, seed)?;
                            break;
                        }
                    }
                }
            }
            // A complete sync, retried through the faults.
            _ => device.sync_retrying(&RetryPolicy::immediate(100)).await.map_err(|e| fail("sync", &e))?,
        }
    }

    // Back online for good: everyone pushes, then everyone pulls.
    proxy.set_enabled(false);
    let policy = RetryPolicy::immediate(10);
    for device in &mut devices {
        device.push_all_retrying(500, &policy).await.map_err(|e| fail("final push", &e))?;
    }
    for device in &mut devices {
        device.pull_all_retrying(rng.random_range(1..=50), &policy).await.map_err(|e| fail("final pull", &e))?;
    }
    for (i, device) in devices.iter().enumerate() {
        if device.records() != devices[0].records() {
            return Err(format!("seed {seed}: device {i} holds other records than device 0"));
        }
        if device.device_records() != model.records {
            let diff: Vec<_> = model
                .records
                .iter()
                .filter(|(k, c)| device.records().get(*k) != Some(*c))
                .map(|(k, c)| format!("{}/{}: expected {} {}", k.entity.as_str(), k.record_id, c.op.as_str(), c.hlc))
                .collect();
            return Err(format!("seed {seed}: device {i} differs from the model: {diff:?}"));
        }
    }
    let user_id = devices[0].user_id();
    let db = ServerDb::open(&db_path).map_err(|e| fail("db", &e))?;
    let held = db.changes_held(user_id).map_err(|e| fail("db", &e))?;
    if held != model.changes {
        return Err(format!("seed {seed}: the server logged {held} changes, {} were written", model.changes));
    }
    report.changes = model.changes;
    report.tombstones = model.records.values().filter(|c| c.op == qamqor_protocol::Op::Delete).count() as u64;
    report.overwritten = model.changes - model.records.len() as u64;
    report.faults = proxy.stats();
    Ok(report)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn randomized_schedules_converge_to_the_last_writer_wins_model() {
    let server = ServerProcess::start(server_binary!()).await.unwrap();
    server.create_org("Schedules").await.unwrap();
    let provisioner = Arc::new(Provisioner::open(server.data_dir()).await.unwrap());
    let org_id = provisioner.org_id("Schedules").await.unwrap();
    let seeds: Vec<u64> = match env_u64("QAMQOR_E2E_SEED") {
        Some(seed) => vec![seed],
        None => (0..env_u64("QAMQOR_E2E_SCHEDULES").unwrap_or(DEFAULT_SCHEDULES)).map(|i| FIRST_SEED + i).collect(),
    };
    let permits = Arc::new(Semaphore::new(PARALLEL));
    let mut runs = Vec::new();
    for &seed in &seeds {
        let permit = permits.clone().acquire_owned().await.unwrap();
        let (url, db_path, provisioner) = (server.base_url(), server.db_path(), provisioner.clone());
        runs.push(tokio::spawn(async move {
            let result = run_schedule(seed, url, db_path, provisioner, org_id).await;
            drop(permit);
            result
        }));
    }
    let mut total = Report::default();
    let mut failures = Vec::new();
    for run in runs {
        match run.await.unwrap() {
            Ok(r) => {
                total.steps += r.steps;
                total.changes += r.changes;
                total.tombstones += r.tombstones;
                total.overwritten += r.overwritten;
                let (t, f) = (&mut total.faults, r.faults);
                t.requests += f.requests;
                t.dropped_requests += f.dropped_requests;
                t.lost_responses += f.lost_responses;
                t.cut_responses += f.cut_responses;
                t.duplicated_requests += f.duplicated_requests;
                t.delayed_requests += f.delayed_requests;
            }
            Err(e) => failures.push(e),
        }
    }
    eprintln!(
        "{} schedules, {} steps, {} changes ({} overwritten, {} records end deleted); proxy: {:?}",
        seeds.len(),
        total.steps,
        total.changes,
        total.overwritten,
        total.tombstones,
        total.faults
    );
    assert!(failures.is_empty(), "{} of {} schedules failed:\n{}", failures.len(), seeds.len(), failures.join("\n"));
    if seeds.len() > 1 {
        let f = &total.faults;
        assert!(f.dropped_requests > 0 && f.lost_responses > 0 && f.cut_responses > 0, "{f:?}");
        assert!(f.duplicated_requests > 0 && f.delayed_requests > 0, "{f:?}");
        assert!(total.overwritten > 0 && total.tombstones > 0, "the schedules made conflicting writes and deletes");
    }
}
