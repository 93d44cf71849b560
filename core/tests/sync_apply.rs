//! Applying pulled changes on real SQLite files, without a server: one device's outbox is
//! handed to another as a pull page. Last-writer-wins, tombstones, check-ins of the same day,
//! own changes coming back, bad payloads kept aside, the cursor, and clocks that disagree.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use qamqor_core::*;
use qamqor_protocol::{Change, Entity, Op};
use tempfile::TempDir;
use uuid::Uuid;

fn monday_afternoon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 9, 0, 0).unwrap()
}

struct Device {
    _dir: TempDir,
    clock: Arc<FixedClock>,
    store: Store,
}

fn device() -> Device {
    let dir = TempDir::new().unwrap();
    let clock = Arc::new(FixedClock::new(monday_afternoon()));
    let store = Store::open_with_clock(dir.path().join("qamqor.db"), clock.clone()).unwrap();
    Device { _dir: dir, clock, store }
}

/// Everything waiting in `from`'s outbox (acknowledged, as a server would).
fn drain(from: &Store) -> Vec<Change> {
    let changes = from.pending_changes(10_000).unwrap();
    let ids: Vec<String> = changes.iter().map(|c| c.id.to_string()).collect();
    from.acknowledge_changes(&ids).unwrap();
    changes
}

fn profile_input(name: &str) -> ProfileInput {
    ProfileInput {
        name: name.into(),
        department: "Engineering".into(),
        position: "Developer".into(),
        qualification_level: Some(5),
        schedule: WorkSchedule::default(),
        remote_work: false,
        language: Language::Ru,
    }
}

fn checkin(fatigue: u8) -> CheckInInput {
    CheckInInput { fatigue, stress: 3, mood: 4, sleep_hours: 7.0, note: None }
}

/// What the person sees, without the per-device parts.
fn visible(s: &Store) -> serde_json::Value {
    let mut e = serde_json::to_value(s.export().unwrap()).unwrap();
    for key in ["device_id", "exported_at", "app_opens"] {
        e.as_object_mut().unwrap().remove(key);
    }
    e["profile"].as_object_mut().unwrap().remove("updated_at");
    e
}

#[test]
fn a_second_device_gets_every_record_of_the_first() {
    let (a, b) = (device(), device());
    a.store.update_profile(&profile_input("Айгерім")).unwrap();
    a.store.record_check_in(&checkin(4)).unwrap();
    a.store.add_session(monday_afternoon() - Duration::hours(4), monday_afternoon() - Duration::hours(1), Some("отчёт")).unwrap();
    let task = a.store.add_task(&TaskInput { title: "Есеп".into(), ..TaskInput::default() }).unwrap();
    a.store.set_task_status(&task.id, TaskStatus::Done).unwrap();
    a.store.record_cbi(&[Some(2); 19]).unwrap();

    let page = drain(&a.store);
    let outcome = b.store.apply_pulled(&page, 42).unwrap();
    assert_eq!(outcome.rejected, 0);
    assert!(outcome.applied >= 5, "{outcome:?}");
    assert_eq!(visible(&a.store), visible(&b.store));
    assert_eq!(b.store.profile().name, "Айгерім");
    assert_eq!(b.store.task(&task.id).unwrap().status, TaskStatus::Done);
    assert_eq!(b.store.sync_cursor().unwrap(), 42);
    assert_eq!(b.store.pending_change_count().unwrap(), 0, "applying pulled changes never echoes them back");
    // The statistics on the second device count the first device's hours.
    assert_eq!(b.store.stats_overview().unwrap().today.worked_minutes, 180);

    // The same page again (a retried pull) changes nothing.
    let again = b.store.apply_pulled(&page, 42).unwrap();
    assert_eq!(again.applied, 0);
    assert_eq!(visible(&a.store), visible(&b.store));
}

#[test]
fn concurrent_task_edits_converge_to_the_later_one_in_either_order() {
    let (a, b) = (device(), device());
    let task = a.store.add_task(&TaskInput { title: "Draft".into(), ..TaskInput::default() }).unwrap();
    b.store.apply_pulled(&drain(&a.store), 1).unwrap();
    // Both edit offline; B's edit is stamped later.
    a.store.edit_task(&task.id, &TaskInput { title: "From A".into(), ..TaskInput::default() }).unwrap();
    b.clock.advance(Duration::minutes(1));
    b.store.set_task_status(&task.id, TaskStatus::InProgress).unwrap();
    let (from_a, from_b) = (drain(&a.store), drain(&b.store));
    // A receives B's first; B receives A's (older) one.
    a.store.apply_pulled(&from_b, 3).unwrap();
    let outcome = b.store.apply_pulled(&from_a, 3).unwrap();
    assert_eq!(outcome.unchanged, 1, "the older edit loses on B");
    let (ta, tb) = (a.store.task(&task.id).unwrap(), b.store.task(&task.id).unwrap());
    assert_eq!(ta, tb);
    assert_eq!(ta.title, "Draft", "B's state (title unchanged, in progress) wins as a whole");
    assert_eq!(ta.status, TaskStatus::InProgress);
}

#[test]
fn a_deletion_wins_over_an_older_write_that_arrives_later() {
    let (a, b) = (device(), device());
    let s = a.store.add_session(monday_afternoon() - Duration::hours(3), monday_afternoon() - Duration::hours(2), None).unwrap();
    let created = drain(&a.store);
    a.store.delete_session(&s.id).unwrap();
    let deleted = drain(&a.store);
    // The deletion reaches B before the creation (reordered delivery).
    b.store.apply_pulled(&deleted, 2).unwrap();
    let late = b.store.apply_pulled(&created, 2).unwrap();
    assert_eq!(late.applied, 0, "the older write does not resurrect the session");
    assert!(b.store.sessions(s.started_at.date_naive(), s.started_at.date_naive()).unwrap().is_empty());
    // And on a device that had it, the deletion removes it.
    let c = device();
    c.store.apply_pulled(&created, 1).unwrap();
    assert_eq!(c.store.sessions(s.started_at.date_naive(), s.started_at.date_naive()).unwrap().len(), 1);
    c.store.apply_pulled(&deleted, 2).unwrap();
    assert!(c.store.sessions(s.started_at.date_naive(), s.started_at.date_naive()).unwrap().is_empty());
}

#[test]
fn two_check_ins_on_one_day_settle_on_the_same_current_one_everywhere() {
    let (a, b) = (device(), device());
    a.store.record_check_in(&checkin(2)).unwrap();
    b.clock.advance(Duration::minutes(1));
    b.store.record_check_in(&checkin(9)).unwrap();
    let (from_a, from_b) = (drain(&a.store), drain(&b.store));
    b.store.apply_pulled(&from_a, 1).unwrap();
    a.store.apply_pulled(&from_b, 1).unwrap();
    let (ca, cb) = (a.store.todays_check_in().unwrap().unwrap(), b.store.todays_check_in().unwrap().unwrap());
    assert_eq!(ca, cb);
    assert_eq!(ca.fatigue, 9, "the later-stamped check-in is current");
    let day = ca.local_date;
    assert_eq!(a.store.check_in_history(day, day).unwrap().len(), 2, "the other stays as history");
    assert_eq!(visible(&a.store), visible(&b.store));
    // A new check-in after seeing B's becomes current, on both.
    a.store.record_check_in(&checkin(5)).unwrap();
    b.store.apply_pulled(&drain(&a.store), 2).unwrap();
    assert_eq!(b.store.todays_check_in().unwrap().unwrap().fatigue, 5);
}

#[test]
fn a_bad_change_is_kept_aside_and_the_rest_of_the_page_applies() {
    let (a, b) = (device(), device());
    let task = a.store.add_task(&TaskInput { title: "Good".into(), ..TaskInput::default() }).unwrap();
    let mut page = drain(&a.store);
    let bad = Change {
        id: Uuid::now_v7(),
        entity: Entity::CheckIn,
        record_id: "c-bad".into(),
        op: Op::Upsert,
        hlc: page[0].hlc.clone(),
        payload: serde_json::json!({"id": "c-bad", "fatigue": 99}),
    };
    page.insert(0, bad);
    let outcome = b.store.apply_pulled(&page, 7).unwrap();
    assert_eq!((outcome.applied, outcome.rejected), (1, 1));
    assert_eq!(b.store.task(&task.id).unwrap().title, "Good");
    assert_eq!(b.store.sync_cursor().unwrap(), 7, "the cursor moves past the bad change: it is kept, not retried forever");
    let status = Syncer::new(Arc::new(b.store)).status().unwrap();
    assert_eq!(status.rejected_changes, 1);
    assert!(!status.signed_in);
}

#[test]
fn the_cursor_never_moves_back() {
    let d = device();
    d.store.apply_pulled(&[], 10).unwrap();
    d.store.apply_pulled(&[], 4).unwrap();
    assert_eq!(d.store.sync_cursor().unwrap(), 10);
}

#[test]
fn a_local_edit_after_seeing_a_change_from_a_clock_hours_ahead_still_wins() {
    let (a, b) = (device(), device());
    let task = a.store.add_task(&TaskInput { title: "Shared".into(), ..TaskInput::default() }).unwrap();
    let mut page = drain(&a.store);
    // A's clock runs three hours ahead of B's.
    a.clock.advance(Duration::hours(3));
    a.store.set_task_status(&task.id, TaskStatus::InProgress).unwrap();
    page.extend(drain(&a.store));
    b.store.apply_pulled(&page, 1).unwrap();
    assert_eq!(b.store.task(&task.id).unwrap().status, TaskStatus::InProgress);
    // B, having seen it, edits: its edit must be ordered after, whatever its own clock says.
    b.store.set_task_status(&task.id, TaskStatus::Done).unwrap();
    let from_b = drain(&b.store);
    assert!(from_b[0].hlc > page[1].hlc, "{} > {}", from_b[0].hlc, page[1].hlc);
    a.store.apply_pulled(&from_b, 2).unwrap();
    assert_eq!(a.store.task(&task.id).unwrap().status, TaskStatus::Done);
}

#[test]
fn own_app_opens_come_back_unchanged_and_other_devices_add_to_the_day() {
    let (a, b) = (device(), device());
    a.store.record_app_open().unwrap();
    b.store.record_app_open().unwrap();
    let from_a = drain(&a.store);
    assert_eq!(a.store.apply_pulled(&from_a, 1).unwrap().unchanged, 1, "A's own day coming back");
    b.store.apply_pulled(&from_a, 1).unwrap();
    let today = b.store.today();
    let days = b.store.app_open_days(today, today).unwrap();
    assert_eq!(days.len(), 1);
    assert_eq!(days[0].open_count, 2, "one open on each device");
}

#[test]
fn feedback_settings_and_a_model_update_from_the_server_apply() {
    let d = device();
    let hlc = "0000000100000000-5e7e7".to_string();
    let change = |entity, record_id: &str, payload| Change { id: Uuid::now_v7(), entity, record_id: record_id.into(), op: Op::Upsert, hlc: hlc.clone(), payload };
    let artifact: serde_json::Value = serde_json::from_str(qamqor_risk_model::BUILTIN_ARTIFACT).unwrap();
    let sealed = qamqor_risk_model::artifact::Artifact::parse(qamqor_risk_model::BUILTIN_ARTIFACT.as_bytes()).unwrap();
    let newer: serde_json::Value =
        serde_json::from_slice(&qamqor_risk_model::artifact::Artifact::seal("1.0.1", sealed.parameters, sealed.training).to_json()).unwrap();
    let page = vec![
        change(Entity::Feedback, "f1", serde_json::json!({"from_name": "Данияр", "message": "Жақсы жұмыс!", "sent_at": 1_795_000_000_000i64})),
        change(Entity::OrgSettings, "org", serde_json::json!({"organisation": "Acme", "privacy_policy": "individual", "min_group_size": 5})),
        change(Entity::RiskModel, "1.0.0", serde_json::json!({"version": "1.0.0", "artifact": artifact})),
        change(Entity::RiskModel, "1.0.1", serde_json::json!({"version": "1.0.1", "artifact": newer})),
        change(Entity::RiskModel, "9.9.9", serde_json::json!({"version": "9.9.9", "artifact": {"version": "9.9.9"}})),
    ];
    let outcome = d.store.apply_pulled(&page, 5).unwrap();
    assert_eq!((outcome.applied, outcome.unchanged, outcome.rejected), (3, 1, 1), "{outcome:?}");
    let fb = d.store.feedback().unwrap();
    assert_eq!(fb.len(), 1);
    assert_eq!(fb[0].message, "Жақсы жұмыс!");
    assert_eq!(fb[0].read_at, None);
    d.store.mark_feedback_read("f1").unwrap();
    assert!(d.store.feedback().unwrap()[0].read_at.is_some());
    assert!(matches!(d.store.mark_feedback_read("nope"), Err(Error::NotFound { .. })));
    assert_eq!(d.store.org_settings().unwrap().unwrap().privacy_policy, PrivacyPolicy::Individual);
    assert_eq!(d.store.risk_model().unwrap().version().to_string(), "1.0.1");
    assert_eq!(d.store.pending_change_count().unwrap(), 0);
}

#[test]
fn the_risk_level_is_shared_with_factors_only_under_the_individual_policy() {
    let d = device();
    d.store.update_profile(&profile_input("A")).unwrap();
    d.store.record_check_in(&checkin(9)).unwrap();
    drain(&d.store);
    d.store.assess_risk().unwrap();
    d.store.assess_risk().unwrap();
    let shared = drain(&d.store);
    assert_eq!(shared.len(), 1, "only the day's latest assessment waits");
    assert_eq!(shared[0].entity, Entity::RiskAssessment);
    assert!(shared[0].payload.get("factors").is_none(), "aggregate by default: no factors leave the device");
    let settings = Change {
        id: Uuid::now_v7(),
        entity: Entity::OrgSettings,
        record_id: "org".into(),
        op: Op::Upsert,
        hlc: "0000000100000000-5e7e7".into(),
        payload: serde_json::json!({"organisation": "Acme", "privacy_policy": "individual", "min_group_size": 5}),
    };
    d.store.apply_pulled(&[settings], 1).unwrap();
    d.clock.advance(Duration::minutes(5));
    d.store.assess_risk().unwrap();
    let shared = drain(&d.store);
    assert!(shared[0].payload["factors"].is_array());
}

#[test]
fn a_stamp_more_than_a_day_ahead_does_not_drag_the_clock() {
    let (a, b) = (device(), device());
    a.clock.advance(Duration::days(3));
    let task = a.store.add_task(&TaskInput { title: "From the future".into(), ..TaskInput::default() }).unwrap();
    b.store.apply_pulled(&drain(&a.store), 1).unwrap();
    // B still applies it (it is the greater stamp everywhere) but its own stamps stay near its clock.
    assert_eq!(b.store.task(&task.id).unwrap().title, "From the future");
    b.store.add_task(&TaskInput { title: "Mine".into(), ..TaskInput::default() }).unwrap();
    let mine = drain(&b.store);
    let physical_day = |hlc: &str| u64::from_str_radix(&hlc[..16], 16).unwrap() >> 32;
    let b_now = monday_afternoon().timestamp() as u64;
    assert!(physical_day(&mine[0].hlc) < b_now + 86_400, "B's stamp stayed within a day of B's clock");
}

#[test]
fn a_deletion_request_reaches_the_person_s_other_phone_and_cannot_be_withdrawn() {
    let b = device();
    // What the person's first phone pushed (Store::request_deletion; see its unit test).
    let asked_at = monday_afternoon() - Duration::hours(1);
    let id = Uuid::now_v7().to_string();
    let page = vec![Change {
        id: Uuid::now_v7(),
        entity: Entity::DeletionRequest,
        record_id: id.clone(),
        op: Op::Upsert,
        hlc: format!("{:016x}-a1", (asked_at.timestamp() as u64) << 32),
        payload: serde_json::json!({ "requested_at": asked_at.timestamp_millis() }),
    }];

    let outcome = b.store.apply_pulled(&page, 1).unwrap();
    assert_eq!((outcome.applied, outcome.rejected), (1, 0));
    let there = b.store.deletion_request().unwrap().unwrap();
    assert_eq!((there.id.as_str(), there.requested_at, there.status), (id.as_str(), asked_at, DeletionRequestStatus::Received));
    assert_eq!(b.store.pending_change_count().unwrap(), 0, "applying never writes to the outbox");
    // Asking on the second phone returns the request already made: nothing new to send.
    assert_eq!(b.store.request_deletion().unwrap().id, id);
    assert_eq!(b.store.pending_change_count().unwrap(), 0);
    // The same page again changes nothing; a delete from anywhere is kept aside, never applied.
    assert_eq!(b.store.apply_pulled(&page, 2).unwrap().unchanged, 1);
    let withdraw = Change { id: Uuid::now_v7(), op: Op::Delete, payload: serde_json::Value::Null, hlc: format!("{}z", page[0].hlc), ..page[0].clone() };
    assert_eq!(b.store.apply_pulled(&[withdraw], 3).unwrap().rejected, 1);
    assert!(b.store.deletion_request().unwrap().is_some());
}

/// A change as the server sends it, in JSON.
fn wire(c: &Change) -> serde_json::Value {
    serde_json::to_value(c).unwrap()
}

#[test]
fn a_record_kind_newer_than_the_app_is_kept_aside_and_the_sync_goes_on() {
    let (a, b) = (device(), device());
    let first = a.store.add_task(&TaskInput { title: "Before".into(), ..TaskInput::default() }).unwrap();
    let second = a.store.add_task(&TaskInput { title: "After".into(), ..TaskInput::default() }).unwrap();
    let page = drain(&a.store);
    // A newer server sends a kind of record this app has never heard of, between two it knows.
    let newer = serde_json::json!({
        "id": Uuid::now_v7().to_string(), "entity": "wellbeing_goal", "record_id": "g1", "op": "upsert",
        "hlc": page[0].hlc, "payload": {"title": "Walk daily", "target_days": 5}
    });
    let raw = vec![wire(&page[0]), newer, wire(&page[1])];
    let outcome = b.store.apply_pulled_page(&raw, 12).unwrap();
    assert_eq!((outcome.applied, outcome.set_aside, outcome.rejected), (2, 1, 0));
    assert_eq!(b.store.task(&first.id).unwrap().title, "Before");
    assert_eq!(b.store.task(&second.id).unwrap().title, "After");
    assert_eq!(b.store.sync_cursor().unwrap(), 12, "the cursor moves on: the app is not stuck on the page");
    let b = Arc::new(b.store);
    let status = Syncer::new(b.clone()).status().unwrap();
    assert_eq!(status.rejected_changes, 0, "waiting for an update is not a rejection");
    // Reopening this same version keeps it aside: it still does not know the kind.
    assert_eq!(b.apply_set_aside().unwrap(), ApplyOutcome::default());
}

#[test]
fn what_an_older_app_kept_aside_is_applied_once_the_app_knows_the_kind() {
    let (a, b) = (device(), device());
    let task = a.store.add_task(&TaskInput { title: "Sent by a newer server".into(), ..TaskInput::default() }).unwrap();
    let page = drain(&a.store);
    let path = b._dir.path().join("qamqor.db");
    drop(b.store);
    // What an older version of the app, which did not know tasks, left in its database: the
    // task, and a "task" that does not even read as a change.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let keep = |id: &str, record: &str, raw: &str| {
            conn.execute(
                "INSERT INTO sync_rejected (change_id, entity, record_id, reason, change_json, received_at) VALUES (?1, 'task', ?2, ?3, ?4, 0)",
                rusqlite::params![id, record, "unknown record kind 'task'", raw],
            )
            .unwrap()
        };
        keep(&page[0].id.to_string(), &task.id, &wire(&page[0]).to_string());
        keep("not-a-uuid", "t-broken", r#"{"id": "not-a-uuid", "entity": "task"}"#);
    }
    // The updated app opens its database; its next sync first applies what it now knows.
    let updated = Arc::new(Store::open_with_clock(&path, b.clock.clone()).unwrap());
    let outcome = updated.apply_set_aside().unwrap();
    assert_eq!((outcome.applied, outcome.rejected), (1, 1));
    assert_eq!(updated.task(&task.id).unwrap().title, "Sent by a newer server");
    assert_eq!(updated.pending_change_count().unwrap(), 0, "applied as pulled: nothing to send back");
    assert_eq!(Syncer::new(updated.clone()).status().unwrap().rejected_changes, 1, "the unreadable one is rejected, not hidden");
    assert_eq!(updated.apply_set_aside().unwrap(), ApplyOutcome::default(), "nothing is applied twice");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let left: Vec<String> = conn.prepare("SELECT change_id FROM sync_rejected").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert_eq!(left, ["not-a-uuid"], "the applied one is forgotten; the unreadable one stays, as rejected");
}

#[test]
fn a_pulled_change_that_is_not_a_change_fails_the_page_and_keeps_nothing() {
    let (a, b) = (device(), device());
    let task = a.store.add_task(&TaskInput { title: "Good".into(), ..TaskInput::default() }).unwrap();
    let page = drain(&a.store);
    // A kind the app knows, with an operation it does not: the server's error, not a newer kind.
    let mut broken = wire(&page[0]);
    broken["op"] = serde_json::json!("merge");
    let raw = vec![wire(&page[0]), broken];
    match b.store.apply_pulled_page(&raw, 9) {
        Err(Error::Sync(SyncError::Protocol { detail })) => assert!(detail.contains("pulled change 1"), "{detail}"),
        other => panic!("expected a protocol error, got {other:?}"),
    }
    assert!(matches!(b.store.task(&task.id), Err(Error::NotFound { .. })), "nothing of the page is kept");
    assert_eq!(b.store.sync_cursor().unwrap(), 0);
}
