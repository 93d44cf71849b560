//! Load benchmarks of the sync server: the real server process (release build) on a loopback
//! socket, devices speaking the wire protocol. Run in release:
//!
//! ```text
//! cargo bench -p qamqor-e2e --bench load                 # both scenarios, default sizes
//! cargo bench -p qamqor-e2e --bench load -- ingest --devices 8 --batches 25
//! cargo bench -p qamqor-e2e --bench load -- day --devices 1000 --window-ms 10000
//! ```
//!
//! - `ingest`: K devices (one account each) push batches of 500 realistic changes as fast as
//!   the server acknowledges them (bodies serialised before the clock starts). Prints changes
//!   per second and push latency.
//! - `day`: N devices (`--per-user` devices per account) each sync a working day (about 20–40
//!   changes: push, then pull from the start), starting at random moments spread over
//!   `--window-ms` (0: all at once). Prints the wall time, request latency (p50, p90, p99, max)
//!   and the server's peak memory.
//!
//! Accounts and sessions are written into the store before the server starts
//! ([`Provisioner`]), so no Argon2 hashing falls inside the timed part. `--data-dir DIR` puts
//! the server's data under DIR (e.g. /dev/shm, to see what the disk's fsync costs).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use qamqor_e2e::workload::{random_fact, workday};
use qamqor_e2e::{server_binary, Api, Provisioner, ServerOptions, ServerProcess, WireDevice};
use qamqor_protocol::{AuthTokens, PushRequest, PushResponse, PROTOCOL_HEADER};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

struct Options {
    scenarios: Vec<String>,
    devices: Option<usize>,
    batches: usize,
    per_user: usize,
    window_ms: u64,
    data_dir: Option<PathBuf>,
    seed: u64,
}

fn parse_args() -> Options {
    let mut o =
        Options { scenarios: Vec::new(), devices: None, batches: 25, per_user: 1, window_ms: 10_000, data_dir: None, seed: 7 };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().unwrap_or_else(|| panic!("{name} needs a value"));
        match a.as_str() {
            "--bench" => {}
            "--devices" => o.devices = Some(value("--devices").parse().expect("--devices N")),
            "--batches" => o.batches = value("--batches").parse().expect("--batches N"),
            "--per-user" => o.per_user = value("--per-user").parse().expect("--per-user N"),
            "--window-ms" => o.window_ms = value("--window-ms").parse().expect("--window-ms N"),
            "--data-dir" => o.data_dir = Some(PathBuf::from(value("--data-dir"))),
            "--seed" => o.seed = value("--seed").parse().expect("--seed N"),
            "ingest" | "day" => o.scenarios.push(a),
            other => panic!("unknown argument {other}: [ingest|day] [--devices N] [--batches N] [--per-user N] [--window-ms N] [--data-dir DIR] [--seed N]"),
        }
    }
    if o.scenarios.is_empty() {
        o.scenarios = vec!["ingest".into(), "day".into()];
    }
    o
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default()
}

/// A server on a fresh data directory (under `--data-dir` if given) with `accounts` accounts
/// of `per_user` device sessions each, written before the server starts.
async fn server_with_devices(
    o: &Options,
    accounts: usize,
    per_user: usize,
) -> (ServerProcess, Vec<AuthTokens>, Option<tempfile::TempDir>) {
    let parent = o
        .data_dir
        .as_ref()
        .map(|dir| tempfile::Builder::new().prefix("qamqor-load-").tempdir_in(dir).expect("a directory under --data-dir"));
    let mut options = ServerOptions::new(server_binary!());
    options.log_filter = "warn".into();
    options.data_dir = parent.as_ref().map(|p| p.path().join("data"));
    let server = ServerProcess::start_with(options).await.expect("the server starts");
    server.create_org("Load").await.expect("org create");
    let started = Instant::now();
    let provisioner = Provisioner::open(server.data_dir()).await.expect("the store opens");
    let org = provisioner.org_id("Load").await.expect("the org exists");
    let mut sessions = Vec::with_capacity(accounts * per_user);
    for i in 0..accounts {
        sessions.extend(provisioner.employee(org, &format!("person{i}@load.kz"), per_user).await.expect("an account"));
    }
    eprintln!("set-up: {} accounts, {} devices in {:.1} s", accounts, sessions.len(), started.elapsed().as_secs_f64());
    (server, sessions, parent)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn latency_line(name: &str, mut samples: Vec<Duration>) -> String {
    samples.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "{name:>6}: {:>6} requests  p50 {:>7.1} ms  p90 {:>7.1} ms  p99 {:>7.1} ms  max {:>7.1} ms",
        samples.len(),
        ms(percentile(&samples, 50.0)),
        ms(percentile(&samples, 90.0)),
        ms(percentile(&samples, 99.0)),
        ms(samples.last().copied().unwrap_or_default()),
    )
}

fn memory_line(server: &ServerProcess) -> String {
    match server.memory() {
        Some(m) => format!(
            "server memory: peak (VmHWM) {:.1} MiB, now (VmRSS) {:.1} MiB",
            m.peak_kib as f64 / 1024.0,
            m.rss_kib as f64 / 1024.0
        ),
        None => "server memory: unavailable".into(),
    }
}

/// CPU seconds the server and this process (the simulated devices) used since `before`.
struct CpuMark {
    server: Duration,
    client: Duration,
}

fn cpu_mark(server: &ServerProcess) -> CpuMark {
    CpuMark {
        server: server.cpu_time().unwrap_or_default(),
        client: qamqor_e2e::server::process_cpu_time(std::process::id()).unwrap_or_default(),
    }
}

fn cpu_line(server: &ServerProcess, before: &CpuMark, elapsed: Duration, requests: usize) -> String {
    let now = cpu_mark(server);
    let (s, c) = ((now.server - before.server).as_secs_f64(), (now.client - before.client).as_secs_f64());
    format!(
        "cpu: server {s:.2} s ({:.0} % of one core, {:.2} ms per request), devices {c:.2} s ({:.0} %)",
        100.0 * s / elapsed.as_secs_f64(),
        1000.0 * s / requests.max(1) as f64,
        100.0 * c / elapsed.as_secs_f64()
    )
}

/// Samples the server's thread count every 10 ms until dropped; `peak()` is the largest seen.
struct ThreadSampler {
    peak: Arc<std::sync::atomic::AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl ThreadSampler {
    fn start(server: &ServerProcess) -> ThreadSampler {
        let peak = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let status = format!("/proc/{}/status", server.pid().unwrap_or(0));
        let seen = peak.clone();
        let task = tokio::spawn(async move {
            loop {
                let threads = std::fs::read_to_string(&status)
                    .ok()
                    .and_then(|s| s.lines().find_map(|l| l.strip_prefix("Threads:")?.trim().parse::<u64>().ok()));
                seen.fetch_max(threads.unwrap_or(0), std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        });
        ThreadSampler { peak, task }
    }

    fn peak(&self) -> u64 {
        self.peak.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for ThreadSampler {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Measures the disk's sync latency beside the server's database while a scenario runs: every
/// 20 ms, 4 KiB written and `fdatasync`ed (what one commit costs at least). Other processes'
/// I/O on the same disk shows up here, and in the server's numbers.
struct FsyncProbe {
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<Vec<Duration>>>,
}

impl FsyncProbe {
    fn start(dir: &std::path::Path) -> FsyncProbe {
        use std::io::Write;
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let path = dir.join("fsync-probe");
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut samples = Vec::new();
            let Ok(mut file) = std::fs::File::create(&path) else { return samples };
            let block = [0x5au8; 4096];
            while !stopped.load(std::sync::atomic::Ordering::SeqCst) {
                let t = Instant::now();
                if file.write_all(&block).and_then(|()| file.sync_data()).is_err() {
                    break;
                }
                samples.push(t.elapsed());
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = std::fs::remove_file(&path);
            samples
        });
        FsyncProbe { stop, thread: Some(thread) }
    }

    fn finish(mut self) -> String {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let samples = self.thread.take().and_then(|t| t.join().ok()).unwrap_or_default();
        latency_line("fsync", samples).replace("requests", "probes  ")
    }
}

fn db_size_line(server: &ServerProcess) -> String {
    let size = |p: PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
    let db = server.db_path();
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    format!("database: {:.1} MiB (+ WAL {:.1} MiB)", size(db) as f64 / 1048576.0, size(wal) as f64 / 1048576.0)
}

async fn ingest(o: &Options) {
    let devices = o.devices.unwrap_or(8);
    println!("== ingest: {devices} devices x {} pushes of 500 changes", o.batches);
    let (server, sessions, _dir) = server_with_devices(o, devices, 1).await;
    let mut rng = StdRng::seed_from_u64(o.seed);
    let mut payload_bytes = 0usize;
    // Every body is serialised before the clock starts: the client's own work stays out.
    let bodies: Vec<Vec<Vec<u8>>> = sessions
        .iter()
        .map(|_| {
            (0..o.batches)
                .map(|_| {
                    let changes = (0..500)
                        .map(|_| {
                            let (entity, record_id, payload) = random_fact(&mut rng, day());
                            let hlc = qamqor_e2e::clock::format_stamp(
                                qamqor_e2e::clock::ntp64_of_millis(qamqor_e2e::clock::now_millis()) + 1,
                                0x1f3a,
                            );
                            qamqor_protocol::Change {
                                id: Uuid::now_v7(),
                                entity,
                                record_id,
                                op: qamqor_protocol::Op::Upsert,
                                hlc,
                                payload,
                            }
                        })
                        .collect();
                    let body = serde_json::to_vec(&PushRequest { changes }).expect("serialisable");
                    payload_bytes += body.len();
                    body
                })
                .collect()
        })
        .collect();
    let total_changes = devices * o.batches * 500;
    println!(
        "bodies: {:.1} MiB, {:.0} bytes per change on the wire",
        payload_bytes as f64 / 1048576.0,
        payload_bytes as f64 / total_changes as f64
    );

    let cpu = cpu_mark(&server);
    let threads = ThreadSampler::start(&server);
    let probe = FsyncProbe::start(server.data_dir());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (tokens, bodies) in sessions.into_iter().zip(bodies) {
        let api = Api::new(server.base_url());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(bodies.len());
            for body in bodies {
                let t = Instant::now();
                let r = api
                    .client()
                    .post(format!("{}/api/v1/sync/push", api.base_url()))
                    .header(PROTOCOL_HEADER, "1")
                    .header("content-type", "application/json")
                    .bearer_auth(&tokens.access_token)
                    .body(body)
                    .send()
                    .await
                    .expect("the server answers");
                assert_eq!(r.status(), 200);
                let acked: PushResponse = r.json().await.expect("a push answer");
                latencies.push(t.elapsed());
                assert_eq!(acked.acked.len(), 500);
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.expect("a device task"));
    }
    let elapsed = started.elapsed();
    println!(
        "ingested {total_changes} changes in {:.2} s: {:.0} changes/s",
        elapsed.as_secs_f64(),
        total_changes as f64 / elapsed.as_secs_f64()
    );
    let requests = latencies.len();
    println!("{}", latency_line("push", latencies));
    println!("{}", probe.finish());
    println!("{}", cpu_line(&server, &cpu, elapsed, requests));
    println!("{}, peak threads {}", memory_line(&server), threads.peak());
    println!("{}", db_size_line(&server));
}

async fn day_of_sync(o: &Options) {
    let devices = o.devices.unwrap_or(1000);
    let per_user = o.per_user.max(1);
    let accounts = devices.div_ceil(per_user);
    println!("== day: {devices} devices ({per_user} per account), a working day each, starts spread over {} ms", o.window_ms);
    let (server, sessions, _dir) = server_with_devices(o, accounts, per_user).await;
    let mut rng = StdRng::seed_from_u64(o.seed);
    let mut queued = 0;
    let mut plans = Vec::with_capacity(devices);
    let mut written = Vec::with_capacity(devices);
    for tokens in sessions.into_iter().take(devices) {
        let mut device = WireDevice::new(Api::new(server.base_url()), tokens);
        queued += workday(&mut device, &mut rng, day());
        written.push(device.device_records());
        let start = Duration::from_millis(if o.window_ms == 0 { 0 } else { rng.random_range(0..o.window_ms) });
        plans.push((device, start));
    }
    println!("queued {queued} changes ({:.1} per device)", queued as f64 / devices as f64);

    let cpu = cpu_mark(&server);
    let threads = ThreadSampler::start(&server);
    let probe = FsyncProbe::start(server.data_dir());
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(devices);
    for (mut device, start) in plans {
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(tokio::time::Instant::from_std(started + start)).await;
            let (mut pushes, mut pulls) = (Vec::new(), Vec::new());
            while !device.outbox().is_empty() {
                let t = Instant::now();
                device.push_batch(500).await.expect("push");
                pushes.push(t.elapsed());
            }
            loop {
                let t = Instant::now();
                let page = device.pull_page(500).await.expect("pull");
                pulls.push(t.elapsed());
                if !page.has_more {
                    break;
                }
            }
            (device, pushes, pulls)
        }));
    }
    let (mut pushes, mut pulls, mut devices_done) = (Vec::new(), Vec::new(), Vec::new());
    for t in tasks {
        let (device, push, pull) = t.await.expect("a device task");
        pushes.extend(push);
        pulls.extend(pull);
        devices_done.push(device);
    }
    let elapsed = started.elapsed();
    let all: Vec<Duration> = pushes.iter().chain(&pulls).copied().collect();
    println!(
        "{} devices synced in {:.2} s ({} requests, {:.0} changes/s pushed over the run)",
        devices_done.len(),
        elapsed.as_secs_f64(),
        all.len(),
        queued as f64 / elapsed.as_secs_f64()
    );
    println!("{}", latency_line("push", pushes));
    println!("{}", latency_line("pull", pulls));
    let requests = all.len();
    println!("{}", latency_line("all", all));
    println!("{}", probe.finish());
    println!("{}", cpu_line(&server, &cpu, elapsed, requests));
    println!("{}, peak threads {}", memory_line(&server), threads.peak());
    println!("{}", db_size_line(&server));

    // The server holds every record of every account, and each device holds exactly what its
    // account wrote (with one device per account: its own day, nothing else).
    let db = server.db().expect("the database");
    let mut expected: std::collections::HashMap<Uuid, std::collections::BTreeMap<_, _>> = Default::default();
    for (d, own) in devices_done.iter().zip(&written) {
        expected.entry(d.user_id()).or_default().extend(own.clone());
    }
    for (user, records) in &expected {
        assert_eq!(db.records_held(*user).expect("a count"), records.len() as u64, "the server holds every record");
    }
    if per_user == 1 {
        for (d, own) in devices_done.iter().zip(&written) {
            assert_eq!(&d.device_records(), own, "a device holds its own day and nothing else");
        }
    }
    let pulled: u64 = devices_done.iter().map(|d| d.stats().pulled).sum();
    println!("verified: the server holds all {} accounts' records; {pulled} changes pulled", expected.len());
}

fn main() {
    let o = Arc::new(parse_args());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        for s in o.scenarios.clone() {
            match s.as_str() {
                "ingest" => ingest(&o).await,
                _ => day_of_sync(&o).await,
            }
        }
    });
}
