//! One real phone (the core store and its sync client) pushing 10,000 changes to the real server
//! process on loopback, end to end: reading the outbox, HTTP, the server's durable commit, and the
//! acknowledgement removing them from the outbox; then a second phone of the person pulling and
//! applying all of them. Target: the push under 2 s.
//!
//! cargo bench -p qamqor-e2e --bench phone_push [-- --changes N --runs R]

use std::sync::Arc;
use std::time::{Duration, Instant};

use qamqor_core::{CancelToken, NoProgress, Store, Syncer, TaskInput};
use qamqor_e2e::{server_binary, NewAccount, ServerProcess, DEFAULT_PASSWORD};
use qamqor_protocol::Role;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let changes = arg("--changes", 10_000);
    let runs = arg("--runs", 5);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = rt.block_on(ServerProcess::start(server_binary!())).unwrap();
    rt.block_on(server.create_org("Bench")).unwrap();
    let (mut pushes, mut pulls) = (Vec::new(), Vec::new());
    for run in 0..runs {
        let email = format!("phone{run}@bench.kz");
        rt.block_on(server.add_user(&NewAccount::new("Bench", &email, Role::Employee))).unwrap();
        let dir = tempfile::TempDir::new().unwrap();
        let phone = Arc::new(Store::open(dir.path().join("a.db")).unwrap());
        let sync = Syncer::new(phone.clone());
        sync.login(&server.base_url(), &email, DEFAULT_PASSWORD, "bench phone").unwrap();
        for i in 0..changes {
            phone.add_task(&TaskInput { title: format!("task {i}"), ..TaskInput::default() }).unwrap();
        }
        let t = Instant::now();
        let report = sync.sync(&NoProgress, &CancelToken::new()).unwrap();
        let push = t.elapsed();
        assert_eq!(report.pushed, changes as u64);
        assert_eq!(phone.pending_change_count().unwrap(), 0);

        let other = Arc::new(Store::open(dir.path().join("b.db")).unwrap());
        let other_sync = Syncer::new(other.clone());
        other_sync.login(&server.base_url(), &email, DEFAULT_PASSWORD, "second phone").unwrap();
        let t = Instant::now();
        let report = other_sync.sync(&NoProgress, &CancelToken::new()).unwrap();
        let pull = t.elapsed();
        // Every task, plus the organisation's settings record.
        assert!(report.applied.applied >= changes as u64, "{report:?}");
        println!("run {run}: push {changes} changes {push:.2?} (includes the pull of them back), second phone pull+apply {pull:.2?}");
        pushes.push(push);
        pulls.push(pull);
    }
    let (push, pull) = (median(pushes), median(pulls));
    println!(
        "phone push: {changes} changes end to end, median {push:.2?} ({:.0} changes/s); second phone pull+apply median {pull:.2?}; target push < 2 s: {}",
        changes as f64 / push.as_secs_f64(),
        if push < Duration::from_secs(2) { "met" } else { "MISSED" }
    );
}
