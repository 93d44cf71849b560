//! Real core devices (the `qamqor-core` store and sync client on temporary SQLite files) against
//! the real server process on a real socket: offline edits on two phones converge in either
//! order; a server killed with SIGKILL mid-push loses and doubles nothing; a fault-injecting
//! proxy changes nothing in the outcome; seeded random schedules across several phones with
//! disagreeing clocks converge exactly once; tokens expire and refresh; what a manager sends
//! reaches the phone.
//!
//! The core's client blocks (the apps call it off the main thread), so these tests are plain
//! `#[test]`s that drive the async harness through their own runtime between device steps.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use qamqor_core::{
    CancelToken, CheckInInput, Clock, Error, NoProgress, ProfileInput, Store, SyncError, SyncReport, SyncSettings, Syncer,
    TaskInput, TaskStatus,
};
use qamqor_e2e::{server_binary, FaultConfig, FaultProxy, NewAccount, Provisioner, ServerProcess, DEFAULT_PASSWORD};
use qamqor_protocol::Role;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tempfile::TempDir;
use tokio::runtime::Runtime;
use uuid::Uuid;

/// The machine's clock, shifted: phones whose clocks disagree.
struct SkewedClock(Duration);

impl Clock for SkewedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.0
    }
}

/// One phone: its own database, clock and sync client.
struct Phone {
    _dir: TempDir,
    store: Arc<Store>,
    sync: Syncer,
    user_id: Uuid,
}

fn fast_retries() -> SyncSettings {
    SyncSettings {
        request_timeout: StdDuration::from_secs(10),
        max_attempts: 8,
        initial_backoff: StdDuration::from_millis(5),
        max_backoff: StdDuration::from_millis(100),
        ..SyncSettings::default()
    }
}

impl Phone {
    fn sign_in(url: &str, email: &str, skew: Duration, settings: SyncSettings) -> Phone {
        let dir = TempDir::new().unwrap();
        let store = Arc::new(Store::open_with_clock(dir.path().join("phone.db"), Arc::new(SkewedClock(skew))).unwrap());
        let sync = Syncer::with_settings(store.clone(), settings);
        let account = sync.login(url, email, DEFAULT_PASSWORD, "phone").unwrap();
        Phone { _dir: dir, store, user_id: account.user_id.parse().unwrap(), sync }
    }

    fn sync(&self) -> Result<SyncReport, Error> {
        self.sync.sync(&NoProgress, &CancelToken::new())
    }

    /// Syncs until a sync completes: through a faulty proxy some fail, and each retry must
    /// leave things consistent.
    fn sync_through_faults(&self) -> SyncReport {
        for _ in 0..200 {
            match self.sync() {
                Ok(r) => return r,
                Err(Error::Sync(SyncError::Network { .. } | SyncError::Server { .. } | SyncError::Protocol { .. })) => continue,
                Err(e) => panic!("sync failed for good: {e}"),
            }
        }
        panic!("no sync completed in 200 attempts");
    }

    /// What the person sees, without what belongs to this installation (ids, export time) and
    /// without the photo (which stays on the device).
    fn view(&self) -> serde_json::Value {
        let mut e = serde_json::to_value(self.store.export().unwrap()).unwrap();
        let o = e.as_object_mut().unwrap();
        for key in ["device_id", "exported_at", "app_opens"] {
            o.remove(key);
        }
        e["profile"].as_object_mut().unwrap().remove("updated_at");
        e
    }
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn start(rt: &Runtime, org: &str) -> ServerProcess {
    let server = rt.block_on(ServerProcess::start(server_binary!())).unwrap();
    rt.block_on(server.create_org(org)).unwrap();
    server
}

fn add_employee(rt: &Runtime, server: &ServerProcess, org: &str, email: &str) {
    rt.block_on(server.add_user(&NewAccount::new(org, email, Role::Employee))).unwrap();
}

fn check_in(fatigue: u8) -> CheckInInput {
    CheckInInput { fatigue, stress: 3, mood: 3, sleep_hours: 7.0, note: None }
}

fn profile(name: &str) -> ProfileInput {
    ProfileInput {
        name: name.into(),
        department: "Sales".into(),
        position: "Analyst".into(),
        ..ProfileInput::from(&qamqor_core::Profile::default())
    }
}

fn task(title: &str) -> TaskInput {
    TaskInput { title: title.into(), ..TaskInput::default() }
}

#[test]
fn two_phones_edit_offline_and_converge_in_either_order() {
    let rt = runtime();
    let server = start(&rt, "Acme");
    for (case, a_first) in [("ab", true), ("ba", false)] {
        let email = format!("{case}@acme.kz");
        add_employee(&rt, &server, "Acme", &email);
        let a = Phone::sign_in(&server.base_url(), &email, Duration::zero(), fast_retries());
        let b = Phone::sign_in(&server.base_url(), &email, Duration::minutes(-7), fast_retries());

        // A records a day and syncs; B catches up.
        a.store.update_profile(&profile("Айгерім")).unwrap();
        a.store.record_check_in(&check_in(3)).unwrap();
        let now = Utc::now();
        let s1 = a.store.add_session(now - Duration::hours(5), now - Duration::hours(4), Some("ревизия")).unwrap();
        let shared = a.store.add_task(&task("Quarterly report")).unwrap();
        a.store.record_app_open().unwrap();
        a.sync().unwrap();
        let first = b.sync().unwrap();
        assert!(first.applied.applied >= 4, "{first:?}");
        assert_eq!(b.store.task(&shared.id).unwrap().title, "Quarterly report");

        // Both go offline and edit, including the same task.
        b.store.set_task_status(&shared.id, TaskStatus::InProgress).unwrap();
        b.store.record_check_in(&check_in(8)).unwrap();
        b.store.delete_session(&s1.id).unwrap();
        b.store.update_profile(&profile("Айгерім Б.")).unwrap();
        b.store.add_task(&task("From B")).unwrap();
        b.store.record_app_open().unwrap();
        std::thread::sleep(StdDuration::from_millis(5));
        a.store.edit_task(&shared.id, &task("Quarterly report, final")).unwrap();
        a.store.add_session(now - Duration::hours(3), now - Duration::hours(2), None).unwrap();
        a.store.record_cbi(&[Some(1); 19]).unwrap();

        let (x, y) = if a_first { (&a, &b) } else { (&b, &a) };
        x.sync().unwrap();
        y.sync().unwrap();
        x.sync().unwrap();

        assert_eq!(a.view(), b.view(), "case {case}: both phones hold the same data");
        // The later write of the shared task wins as a whole, on both.
        let t = a.store.task(&shared.id).unwrap();
        assert_eq!((t.title.as_str(), t.status), ("Quarterly report, final", TaskStatus::Todo));
        // The deletion held, the later check-in is today's, both phones' app opens count.
        assert!(a.store.sessions(a.store.today() - chrono::Days::new(1), a.store.today()).unwrap().iter().all(|s| s.id != s1.id));
        assert_eq!(a.store.todays_check_in().unwrap().unwrap().fatigue, 8);
        let today = a.store.today();
        assert_eq!(a.store.app_open_days(today, today).unwrap()[0].open_count, 2);
        assert_eq!(b.store.app_open_days(today, today).unwrap()[0].open_count, 2);
        assert_eq!(a.store.profile().name, "Айгерім Б.");
        assert_eq!(a.sync.status().unwrap().pending_changes, 0);
    }
}

#[test]
fn a_server_killed_mid_push_loses_and_doubles_nothing() {
    let rt = runtime();
    let mut server = start(&rt, "Acme");
    add_employee(&rt, &server, "Acme", "k@acme.kz");
    // Small batches and few attempts: the sync fails fast while the server is down.
    let settings = SyncSettings { push_batch: 100, max_attempts: 2, ..fast_retries() };
    let phone = Phone::sign_in(&server.base_url(), "k@acme.kz", Duration::zero(), settings);
    const N: usize = 3000;
    for i in 0..N {
        phone.store.add_task(&task(&format!("task {i}"))).unwrap();
    }
    let db = server.db().unwrap();
    let user = phone.user_id;
    let outcome = std::thread::scope(|s| {
        let pushing = s.spawn(|| phone.sync());
        // Kill the server once it holds some of the batches, while the phone is still pushing.
        while db.changes_held(user).unwrap() == 0 {
            std::thread::sleep(StdDuration::from_millis(1));
        }
        server.kill_hard().unwrap();
        pushing.join().unwrap()
    });
    assert!(matches!(outcome, Err(Error::Sync(SyncError::Network { .. }))), "{outcome:?}");
    let held_at_kill = db.changes_held(user).unwrap();
    let pending = phone.store.pending_change_count().unwrap();
    assert!(held_at_kill < N as u64 && pending > 0, "the kill happened mid-push ({held_at_kill} held, {pending} pending)");
    assert!(held_at_kill + pending >= N as u64, "every change is held or still pending");
    assert_eq!(phone.sync.status().unwrap().last_error_code.as_deref(), Some("network"));

    rt.block_on(server.restart()).unwrap();
    let report = phone.sync().unwrap();
    assert_eq!(phone.store.pending_change_count().unwrap(), 0);
    assert!(report.pushed <= pending);
    assert_eq!(db.changes_held(user).unwrap(), N as u64, "each change held exactly once");
    assert_eq!(db.records_held(user).unwrap(), N as u64);
    // Another phone of the person gets each task once.
    let other = Phone::sign_in(&server.base_url(), "k@acme.kz", Duration::zero(), fast_retries());
    other.sync().unwrap();
    let titles: BTreeSet<String> = other.store.tasks(None).unwrap().into_iter().map(|t| t.title).collect();
    assert_eq!(titles.len(), N);
    assert_eq!(other.store.tasks(None).unwrap().len(), N);
}

/// A random edit by one phone; returns false when the core refused it (e.g. an overlapping
/// session), which changes nothing.
fn random_edit(phone: &Phone, rng: &mut StdRng) -> bool {
    let s = &phone.store;
    let tasks = s.tasks(None).unwrap();
    let result = match rng.random_range(0..10) {
        0 | 1 => s.add_task(&task(&format!("task {}", rng.random::<u32>()))).map(drop),
        2 | 3 if !tasks.is_empty() => {
            let t = &tasks[rng.random_range(0..tasks.len())];
            let status =
                [TaskStatus::Todo, TaskStatus::InProgress, TaskStatus::Done, TaskStatus::Cancelled][rng.random_range(0..4)];
            s.set_task_status(&t.id, status).map(drop)
        }
        4 if !tasks.is_empty() => {
            let t = &tasks[rng.random_range(0..tasks.len())];
            s.edit_task(&t.id, &task(&format!("renamed {}", rng.random::<u16>()))).map(drop)
        }
        5 => s.record_check_in(&check_in(rng.random_range(0..=10))).map(drop),
        6 => {
            let start = s.now() - Duration::minutes(rng.random_range(200..60 * 24 * 5));
            s.add_session(start, start + Duration::minutes(rng.random_range(10..180)), None).map(drop)
        }
        7 => {
            let today = s.today();
            let sessions = s.sessions(today - chrono::Days::new(6), today).unwrap();
            match sessions.iter().find(|x| x.ended_at.is_some()) {
                Some(x) => s.delete_session(&x.id),
                None => Ok(()),
            }
        }
        8 => s.update_profile(&profile(&format!("name {}", rng.random::<u16>()))).map(drop),
        _ => s.record_app_open().map(drop),
    };
    match result {
        Ok(()) => true,
        Err(Error::Conflict { .. }) => false,
        Err(e) => panic!("an edit failed: {e}"),
    }
}

#[test]
fn random_schedules_of_offline_edits_faults_and_skewed_clocks_converge_exactly_once() {
    let schedules: u64 = std::env::var("QAMQOR_E2E_SCHEDULES").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    let rt = runtime();
    let server = start(&rt, "Acme");
    let provisioner = rt.block_on(Provisioner::open(server.data_dir())).unwrap();
    let org = rt.block_on(provisioner.org_id("Acme")).unwrap();
    let proxy = FaultProxy::start(&server.base_url(), FaultConfig::chaos(), 0xC0FFEE).unwrap();
    let db = server.db().unwrap();
    for seed in 0..schedules {
        let mut rng = StdRng::seed_from_u64(seed);
        let email = format!("s{seed}@acme.kz");
        rt.block_on(provisioner.user(org, &email, Role::Employee, None)).unwrap();
        let phones: Vec<Phone> = (0..rng.random_range(2..=3))
            .map(|_| Phone::sign_in(&proxy.base_url(), &email, Duration::minutes(rng.random_range(-180..=180)), fast_retries()))
            .collect();
        let mut created = 0u64;
        for _ in 0..rng.random_range(10..40) {
            let phone = &phones[rng.random_range(0..phones.len())];
            if rng.random_bool(0.25) {
                // A partial sync: it may fail half-way; what it did stays consistent.
                let _ = phone.sync();
            } else {
                let before = phone.store.pending_change_count().unwrap();
                random_edit(phone, &mut rng);
                created += phone.store.pending_change_count().unwrap().saturating_sub(before);
            }
        }
        // Coming back online: every phone syncs (through the faults) until all have everything.
        for _ in 0..2 {
            for p in &phones {
                p.sync_through_faults();
            }
        }
        let reference = phones[0].view();
        for (i, p) in phones.iter().enumerate() {
            assert_eq!(p.view(), reference, "schedule {seed}: phone {i} differs");
            assert_eq!(p.store.pending_change_count().unwrap(), 0);
        }
        // Risk assessments replace their unsent predecessors, so "created" counts what was
        // waiting; the server holds each of them once.
        assert_eq!(db.changes_held(phones[0].user_id).unwrap(), created, "schedule {seed}: exactly once on the server");
    }
    let stats = proxy.stats();
    assert!(
        stats.dropped_requests > 0 && stats.lost_responses > 0 && stats.cut_responses > 0 && stats.duplicated_requests > 0,
        "{stats:?}"
    );
}

#[test]
fn tokens_refresh_transparently_and_an_ended_session_keeps_the_data() {
    let rt = runtime();
    let server = start(&rt, "Acme");
    add_employee(&rt, &server, "Acme", "t@acme.kz");
    let phone = Phone::sign_in(&server.base_url(), "t@acme.kz", Duration::zero(), fast_retries());
    phone.store.add_task(&task("before")).unwrap();
    phone.sync().unwrap();
    let db = server.db().unwrap();
    let device: Uuid = phone.store.device_id().parse().unwrap();

    // The access token expires: the client refreshes and the sync goes through.
    assert!(db.expire_access_tokens(device).unwrap() > 0);
    phone.store.add_task(&task("after refresh")).unwrap();
    phone.sync().unwrap();
    assert_eq!(phone.store.pending_change_count().unwrap(), 0);

    // The whole session expires: the phone is signed out, keeps its data and unsent changes.
    db.expire_access_tokens(device).unwrap();
    db.expire_refresh_tokens(device).unwrap();
    phone.store.add_task(&task("while signed out")).unwrap();
    let e = phone.sync().unwrap_err();
    assert!(matches!(e, Error::Sync(SyncError::SessionEnded { .. })), "{e}");
    let status = phone.sync.status().unwrap();
    assert!(!status.signed_in);
    assert_eq!(status.account.unwrap().email, "t@acme.kz", "who and where are kept for signing in again");
    assert_eq!(status.pending_changes, 1);
    assert!(matches!(phone.sync(), Err(Error::Sync(SyncError::NotSignedIn))));
    // Signing in again continues where it stopped.
    phone.sync.login(&server.base_url(), "t@acme.kz", DEFAULT_PASSWORD, "phone").unwrap();
    phone.sync().unwrap();
    assert_eq!(phone.store.pending_change_count().unwrap(), 0);
    assert_eq!(phone.store.tasks(None).unwrap().len(), 3);

    // A wrong password, and another person on this phone, are refused with what to do.
    assert!(matches!(
        phone.sync.login(&server.base_url(), "t@acme.kz", "wrong password!", "phone"),
        Err(Error::Sync(SyncError::WrongCredentials))
    ));
    add_employee(&rt, &server, "Acme", "other@acme.kz");
    let e = phone.sync.login(&server.base_url(), "other@acme.kz", DEFAULT_PASSWORD, "phone").unwrap_err();
    assert!(matches!(e, Error::Sync(SyncError::AccountMismatch { .. })), "{e}");
    assert_eq!(phone.sync.status().unwrap().account.unwrap().email, "t@acme.kz");
}

#[test]
fn another_persons_and_another_organisations_data_never_reach_a_phone() {
    let rt = runtime();
    let server = start(&rt, "Acme");
    rt.block_on(server.create_org("Globex")).unwrap();
    add_employee(&rt, &server, "Acme", "mine@acme.kz");
    add_employee(&rt, &server, "Acme", "colleague@acme.kz");
    rt.block_on(server.add_user(&NewAccount::new("Globex", "g@globex.kz", Role::Employee))).unwrap();
    let mine = Phone::sign_in(&server.base_url(), "mine@acme.kz", Duration::zero(), fast_retries());
    let colleague = Phone::sign_in(&server.base_url(), "colleague@acme.kz", Duration::zero(), fast_retries());
    let foreign = Phone::sign_in(&server.base_url(), "g@globex.kz", Duration::zero(), fast_retries());
    let t = mine.store.add_task(&task("private")).unwrap();
    mine.store.record_check_in(&check_in(9)).unwrap();
    mine.sync().unwrap();
    // The same record id from another person is their own record, not mine.
    colleague.sync().unwrap();
    foreign.sync().unwrap();
    assert!(colleague.store.tasks(None).unwrap().is_empty());
    assert!(foreign.store.tasks(None).unwrap().is_empty());
    assert!(colleague.store.todays_check_in().unwrap().is_none());
    assert_eq!(colleague.store.org_settings().unwrap().unwrap().organisation, "Acme");
    assert_eq!(foreign.store.org_settings().unwrap().unwrap().organisation, "Globex");
    assert_eq!(mine.store.task(&t.id).unwrap().title, "private");
}

#[test]
fn a_managers_task_feedback_and_settings_reach_the_phone_and_the_status_change_goes_back() {
    let rt = runtime();
    let server = start(&rt, "Acme");
    rt.block_on(server.add_user(&NewAccount::new("Acme", "boss@acme.kz", Role::Admin))).unwrap();
    add_employee(&rt, &server, "Acme", "e@acme.kz");
    let phone = Phone::sign_in(&server.base_url(), "e@acme.kz", Duration::zero(), fast_retries());
    phone.sync().unwrap();
    let settings = phone.store.org_settings().unwrap().unwrap();
    assert_eq!(settings.privacy_policy, qamqor_core::PrivacyPolicy::Aggregate, "private by default");

    let api = server.api();
    let boss = rt.block_on(server.login("boss@acme.kz", DEFAULT_PASSWORD, "laptop")).unwrap();
    let post = |path: &str, body: serde_json::Value, method: reqwest::Method| -> serde_json::Value {
        rt.block_on(api.send(api.request(method, path).bearer_auth(&boss.access_token).json(&body))).unwrap()
    };
    let user_id = phone.user_id;
    let created = post(
        "/api/v1/tasks",
        serde_json::json!({"user_id": user_id, "title": "Prepare the audit", "due_date": "2026-12-20"}),
        reqwest::Method::POST,
    );
    post("/api/v1/feedback", serde_json::json!({"user_id": user_id, "message": "Рахмет за отчёт!"}), reqwest::Method::POST);
    post("/api/v1/settings", serde_json::json!({"privacy_policy": "individual", "min_group_size": 7}), reqwest::Method::PUT);

    let report = phone.sync().unwrap();
    assert_eq!(report.applied.rejected, 0);
    let task_id = created["task_id"].as_str().unwrap();
    let assigned = phone.store.task(task_id).unwrap();
    assert_eq!(assigned.title, "Prepare the audit");
    assert!(assigned.assigned_by.is_some());
    assert_eq!(phone.store.feedback().unwrap()[0].message, "Рахмет за отчёт!");
    let settings = phone.store.org_settings().unwrap().unwrap();
    assert_eq!((settings.privacy_policy, settings.min_group_size), (qamqor_core::PrivacyPolicy::Individual, 7));

    // The person completes it on the phone; their other phone sees it done.
    phone.store.set_task_status(task_id, TaskStatus::Done).unwrap();
    phone.sync().unwrap();
    let second = Phone::sign_in(&server.base_url(), "e@acme.kz", Duration::zero(), fast_retries());
    second.sync().unwrap();
    assert_eq!(second.store.task(task_id).unwrap().status, TaskStatus::Done);
    // Under the individual policy the day's risk goes out with its factors.
    phone.store.record_check_in(&check_in(9)).unwrap();
    phone.store.assess_risk().unwrap();
    let waiting = phone.store.pending_changes(10).unwrap();
    let shared = waiting.iter().find(|c| c.entity == qamqor_protocol::Entity::RiskAssessment).unwrap();
    assert!(shared.payload["factors"].is_array());
    phone.sync().unwrap();
}

#[test]
fn a_sync_can_be_cancelled_while_it_waits_to_retry_and_resumes_later() {
    let rt = runtime();
    let mut server = start(&rt, "Acme");
    add_employee(&rt, &server, "Acme", "c@acme.kz");
    let settings =
        SyncSettings { initial_backoff: StdDuration::from_secs(20), max_backoff: StdDuration::from_secs(60), ..fast_retries() };
    let phone = Phone::sign_in(&server.base_url(), "c@acme.kz", Duration::zero(), settings);
    phone.store.add_task(&task("kept")).unwrap();
    server.kill_hard().unwrap();
    let cancel = CancelToken::new();
    let outcome = std::thread::scope(|s| {
        let running = s.spawn(|| phone.sync.sync(&NoProgress, &cancel));
        // Cancelling interrupts the 10-20 s backoff wait at once.
        std::thread::sleep(StdDuration::from_millis(200));
        cancel.cancel();
        running.join().unwrap()
    });
    assert!(matches!(outcome, Err(Error::Sync(SyncError::Cancelled))), "{outcome:?}");
    assert_eq!(phone.store.pending_change_count().unwrap(), 1, "nothing lost");
    rt.block_on(server.restart()).unwrap();
    phone.sync().unwrap();
    assert_eq!(phone.store.pending_change_count().unwrap(), 0);
}

#[test]
fn a_lost_refresh_answer_does_not_sign_the_phone_out() {
    let rt = runtime();
    let server = start(&rt, "Acme");
    add_employee(&rt, &server, "Acme", "r@acme.kz");
    // Every other answer to a refresh is lost on the way back (seeded: the same every run).
    let faults = FaultConfig { lose_response: 0.5, path_prefix: "/api/v1/auth/refresh".into(), ..FaultConfig::none() };
    let proxy = FaultProxy::start(&server.base_url(), faults, 7).unwrap();
    let phone = Phone::sign_in(&proxy.base_url(), "r@acme.kz", Duration::zero(), fast_retries());
    let db = server.db().unwrap();
    let device: Uuid = phone.store.device_id().parse().unwrap();
    for round in 0..6 {
        db.expire_access_tokens(device).unwrap();
        phone.store.add_task(&task(&format!("round {round}"))).unwrap();
        phone.sync().unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert!(phone.sync.status().unwrap().signed_in);
    }
    assert!(proxy.stats().lost_responses > 0, "some refresh answers were lost");
    assert_eq!(phone.store.pending_change_count().unwrap(), 0);
}
