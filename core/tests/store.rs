//! The store against real SQLite files: rules, typed errors with no partial writes, the outbox,
//! persistence across reopening, and concurrent use.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc, Weekday};
use qamqor_core::*;
use qamqor_protocol::{Entity, Op};
use tempfile::TempDir;

/// Monday 2026-11-16 14:00 in Almaty (UTC+5).
fn monday_afternoon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 16, 9, 0, 0).unwrap()
}

fn open(dir: &TempDir, clock: &Arc<FixedClock>) -> Store {
    Store::open_with_clock(dir.path().join("qamqor.db"), clock.clone()).unwrap()
}

fn setup() -> (TempDir, Arc<FixedClock>, Store) {
    let dir = TempDir::new().unwrap();
    let clock = Arc::new(FixedClock::new(monday_afternoon()));
    let store = open(&dir, &clock);
    (dir, clock, store)
}

fn profile_input() -> ProfileInput {
    ProfileInput {
        name: "Айгерім Сейітова".into(),
        department: "Engineering".into(),
        position: "Backend developer".into(),
        qualification_level: Some(6),
        schedule: WorkSchedule::default(),
        remote_work: true,
        language: Language::Kk,
    }
}

fn invalid_field(r: Result<impl std::fmt::Debug>) -> (String, InvalidReason) {
    match r {
        Err(Error::Invalid { field, reason, .. }) => (field, reason),
        other => panic!("expected an invalid-input error, got {other:?}"),
    }
}

fn checkin(fatigue: u8) -> CheckInInput {
    CheckInInput { fatigue, stress: 3, mood: 4, sleep_hours: 7.5, note: None }
}

#[test]
fn profile_round_trips_and_persists() {
    let (dir, clock, store) = setup();
    assert_eq!(store.profile().updated_at, None);
    let mut input = profile_input();
    input.schedule.working_days = vec![Weekday::Fri, Weekday::Mon, Weekday::Mon];
    let p = store.update_profile(&input).unwrap();
    assert_eq!(p.name, "Айгерім Сейітова");
    assert_eq!(p.schedule.working_days, vec![Weekday::Mon, Weekday::Fri], "sorted, without repeats");
    drop(store);
    let reopened = open(&dir, &clock);
    assert_eq!(reopened.profile(), p);
    assert_eq!(reopened.pending_change_count().unwrap(), 1);
}

#[test]
fn bad_profiles_are_rejected_and_change_nothing() {
    let (_dir, _clock, store) = setup();
    let cases: Vec<(ProfileInput, &str, InvalidReason)> = vec![
        (ProfileInput { name: "  ".into(), ..profile_input() }, "name", InvalidReason::Empty),
        (ProfileInput { name: "x".repeat(201), ..profile_input() }, "name", InvalidReason::TooLong),
        (ProfileInput { qualification_level: Some(9), ..profile_input() }, "qualification_level", InvalidReason::OutOfRange),
        (ProfileInput { qualification_level: Some(0), ..profile_input() }, "qualification_level", InvalidReason::OutOfRange),
        (
            ProfileInput { schedule: WorkSchedule { time_zone: "Almaty".into(), ..WorkSchedule::default() }, ..profile_input() },
            "schedule.time_zone",
            InvalidReason::BadFormat,
        ),
    ];
    for (input, field, reason) in cases {
        assert_eq!(invalid_field(store.update_profile(&input)), (field.to_string(), reason));
    }
    assert_eq!(store.profile(), Profile::default());
    assert_eq!(store.pending_change_count().unwrap(), 0);
}

#[test]
fn timer_start_stop_and_conflicts() {
    let (_dir, clock, store) = setup();
    store.update_profile(&profile_input()).unwrap();
    let before = store.pending_change_count().unwrap();
    let s = store.start_timer(Some("deploy")).unwrap();
    assert_eq!(s.ended_at, None);
    assert!(matches!(store.start_timer(None), Err(Error::Conflict { kind: ConflictKind::TimerAlreadyRunning, .. })));
    clock.advance(Duration::minutes(90));
    let running = store.running_session().unwrap().unwrap();
    assert_eq!(running.minutes, 90);
    // 14:00 to 15:30 on a Monday: inside working hours.
    let done = store.stop_timer(None).unwrap();
    assert_eq!((done.minutes, done.after_hours_minutes, done.weekend_minutes), (90, 0, 0));
    assert_eq!(store.running_session().unwrap(), None);
    assert!(matches!(store.stop_timer(None), Err(Error::Conflict { kind: ConflictKind::NoRunningTimer, .. })));
    // Only the finished session is a change to sync.
    assert_eq!(store.pending_change_count().unwrap(), before + 1);
}

#[test]
fn stopping_a_forgotten_timer_at_an_earlier_time() {
    let (_dir, clock, store) = setup();
    let s = store.start_timer(None).unwrap();
    clock.advance(Duration::hours(10));
    let at = s.started_at + Duration::hours(4);
    assert_eq!(invalid_field(store.stop_timer(Some(s.started_at - Duration::minutes(1)))).1, InvalidReason::EndBeforeStart);
    assert_eq!(invalid_field(store.stop_timer(Some(clock.now() + Duration::hours(1)))).1, InvalidReason::InFuture);
    let done = store.stop_timer(Some(at)).unwrap();
    assert_eq!(done.minutes, 240);
    // 14:00-18:00 in hours; nothing after hours.
    assert_eq!(done.after_hours_minutes, 0);
}

#[test]
fn manual_sessions_are_validated() {
    let (_dir, clock, store) = setup();
    let now = clock.now();
    // Sunday evening 20:00-22:00 Almaty: weekend work.
    let sun = Utc.with_ymd_and_hms(2026, 11, 15, 15, 0, 0).unwrap();
    let s = store.add_session(sun, sun + Duration::hours(2), Some("release")).unwrap();
    assert_eq!((s.minutes, s.weekend_minutes, s.after_hours_minutes), (120, 120, 0));
    let cases = [
        (now - Duration::hours(1), now - Duration::hours(2), InvalidReason::EndBeforeStart),
        (now - Duration::hours(1), now + Duration::hours(1), InvalidReason::InFuture),
        (now - Duration::hours(30), now - Duration::hours(1), InvalidReason::OutOfRange),
    ];
    for (from, to, reason) in cases {
        let (field, r) = invalid_field(store.add_session(from, to, None));
        assert_eq!((field.as_str(), r), ("ended_at", reason));
    }
    let overlap = store.add_session(sun + Duration::hours(1), sun + Duration::hours(3), None);
    assert!(matches!(overlap, Err(Error::Conflict { kind: ConflictKind::SessionOverlap, .. })), "{overlap:?}");
    // Touching end to start is not an overlap.
    store.add_session(sun + Duration::hours(2), sun + Duration::hours(3), None).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
    assert_eq!(store.sessions(day, day).unwrap().len(), 2);
    assert_eq!(invalid_field(store.add_session(now - Duration::hours(2), now - Duration::hours(1), Some(&"n".repeat(2001)))).0, "note");
}

#[test]
fn timer_cannot_start_inside_a_manual_session_and_deletes_are_tombstones() {
    let (_dir, clock, store) = setup();
    let now = clock.now();
    let s = store.add_session(now - Duration::hours(1), now + Duration::seconds(30), None).unwrap();
    assert!(matches!(store.start_timer(None), Err(Error::Conflict { kind: ConflictKind::SessionOverlap, .. })));
    store.delete_session(&s.id).unwrap();
    assert!(matches!(store.delete_session(&s.id), Err(Error::NotFound { entity: "work_session", .. })));
    let changes = store.pending_changes(10).unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!((changes[1].entity, changes[1].op, changes[1].record_id.as_str()), (Entity::WorkSession, Op::Delete, s.id.as_str()));
    assert!(changes[1].hlc > changes[0].hlc);
    store.start_timer(None).unwrap();
}

#[test]
fn tasks_life_cycle() {
    let (_dir, clock, store) = setup();
    let due = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let t = store
        .add_task(&TaskInput { title: "  Write report ".into(), due_date: Some(due), estimate_minutes: Some(90), assigned_by: Some("Manager".into()), notes: Some(" ".into()) })
        .unwrap();
    assert_eq!(t.title, "Write report");
    assert_eq!(t.notes, None);
    assert_eq!(t.status, TaskStatus::Todo);
    clock.advance(Duration::hours(1));
    let t = store.set_task_status(&t.id, TaskStatus::Done).unwrap();
    assert_eq!(t.completed_at, Some(clock.now()));
    let t = store.set_task_status(&t.id, TaskStatus::InProgress).unwrap();
    assert_eq!(t.completed_at, None);
    let edited = store.edit_task(&t.id, &TaskInput { title: "Report v2".into(), ..TaskInput::default() }).unwrap();
    assert_eq!((edited.title.as_str(), edited.due_date), ("Report v2", None));
    assert_eq!(store.task(&t.id).unwrap(), edited);
    assert_eq!(store.tasks(Some(TaskStatus::InProgress)).unwrap().len(), 1);
    assert_eq!(store.tasks(Some(TaskStatus::Done)).unwrap().len(), 0);

    assert!(matches!(store.task("nope"), Err(Error::NotFound { entity: "task", .. })));
    assert!(matches!(store.set_task_status("nope", TaskStatus::Done), Err(Error::NotFound { .. })));
    assert_eq!(invalid_field(store.add_task(&TaskInput { title: "".into(), ..TaskInput::default() })).0, "title");
    assert_eq!(invalid_field(store.add_task(&TaskInput { title: "x".into(), estimate_minutes: Some(0), ..TaskInput::default() })).0, "estimate_minutes");
    assert_eq!(
        invalid_field(store.add_task(&TaskInput { title: "x".into(), due_date: NaiveDate::from_ymd_opt(1999, 1, 1), ..TaskInput::default() })).0,
        "due_date"
    );
    assert_eq!(store.tasks(None).unwrap().len(), 1);
    // add, done, in progress, edit: four changes, each carrying the whole task.
    let changes = store.pending_changes(100).unwrap();
    assert_eq!(changes.len(), 4);
    assert_eq!(changes[3].payload["title"], "Report v2");
}

#[test]
fn second_check_in_of_a_day_replaces_the_first_and_keeps_history() {
    let (_dir, clock, store) = setup();
    let first = store.record_check_in(&checkin(3)).unwrap();
    clock.advance(Duration::hours(2));
    let second = store.record_check_in(&CheckInInput { note: Some("long meeting".into()), ..checkin(7) }).unwrap();
    let today = store.today();
    assert_eq!(store.todays_check_in().unwrap().unwrap(), second);
    let history = store.check_in_history(today, today).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].id, first.id);
    assert!(history[0].replaced && !history[1].replaced);
    assert_eq!(store.check_ins(today, today).unwrap(), vec![second.clone()]);
    let changes = store.pending_changes(10).unwrap();
    assert_eq!(changes[1].payload["replaces"], serde_json::json!(first.id));
    // Next local day: a new check-in, not a replacement.
    clock.advance(Duration::hours(24));
    store.record_check_in(&checkin(2)).unwrap();
    assert_eq!(store.check_in_for(today).unwrap().unwrap(), second);
}

#[test]
fn check_in_ranges_are_enforced() {
    let (_dir, _clock, store) = setup();
    let cases: Vec<(CheckInInput, &str)> = vec![
        (checkin(11), "fatigue"),
        (CheckInInput { stress: 0, ..checkin(1) }, "stress"),
        (CheckInInput { stress: 6, ..checkin(1) }, "stress"),
        (CheckInInput { mood: 0, ..checkin(1) }, "mood"),
        (CheckInInput { sleep_hours: -1.0, ..checkin(1) }, "sleep_hours"),
        (CheckInInput { sleep_hours: 25.0, ..checkin(1) }, "sleep_hours"),
        (CheckInInput { sleep_hours: f64::NAN, ..checkin(1) }, "sleep_hours"),
        (CheckInInput { note: Some("n".repeat(2001)), ..checkin(1) }, "note"),
    ];
    for (input, field) in cases {
        assert_eq!(invalid_field(store.record_check_in(&input)).0, field);
    }
    assert_eq!(store.todays_check_in().unwrap(), None);
    assert_eq!(store.pending_change_count().unwrap(), 0);
}

#[test]
fn cbi_is_scored_and_stored() {
    let (_dir, _clock, store) = setup();
    let answers: Vec<Option<u8>> = (0..19).map(|i| Some((i % 5) as u8)).collect();
    let r = store.record_cbi(&answers).unwrap();
    assert!(r.scores.personal.is_some() && r.scores.work_related.is_some() && r.scores.client_related.is_some());
    assert_eq!(store.cbi_responses().unwrap(), vec![r]);
    let mut bad = answers.clone();
    bad[3] = Some(7);
    assert_eq!(invalid_field(store.record_cbi(&bad)).0, "answers[4]");
    assert_eq!(store.cbi_responses().unwrap().len(), 1);
}

#[test]
fn app_opens_are_counted_per_local_day_with_one_change_a_day() {
    let (_dir, clock, store) = setup();
    store.record_app_open().unwrap();
    clock.advance(Duration::minutes(5));
    let d = store.record_app_open().unwrap();
    assert_eq!(d.open_count, 2);
    // 23:30 Almaty is still Monday; 00:30 is Tuesday.
    clock.set(Utc.with_ymd_and_hms(2026, 11, 16, 18, 30, 0).unwrap());
    assert_eq!(store.record_app_open().unwrap().open_count, 3);
    clock.set(Utc.with_ymd_and_hms(2026, 11, 16, 19, 30, 0).unwrap());
    assert_eq!(store.record_app_open().unwrap().local_date, NaiveDate::from_ymd_opt(2026, 11, 17).unwrap());
    let days = store.app_open_days(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()).unwrap();
    assert_eq!(days.len(), 2);
    let changes = store.pending_changes(10).unwrap();
    assert_eq!(changes.len(), 2);
    // Record ids are per device, so two phones of one person never collide on a day.
    assert_eq!(changes[0].record_id, format!("{}:2026-11-16", store.device_id()));
    assert_eq!(changes[1].record_id, format!("{}:2026-11-17", store.device_id()));
}

#[test]
fn statistics_follow_the_records() {
    let (_dir, clock, store) = setup();
    store.update_profile(&profile_input()).unwrap();
    // Monday: 09:00-19:00 local (04:00-14:00 UTC): 600 min, 60 after hours, 60 overtime.
    let mon = Utc.with_ymd_and_hms(2026, 11, 16, 4, 0, 0).unwrap();
    clock.set(mon + Duration::hours(12));
    store.add_session(mon, mon + Duration::hours(10), None).unwrap();
    store.record_check_in(&checkin(6)).unwrap();
    store.record_app_open().unwrap();
    let o = store.stats_overview().unwrap();
    assert_eq!(o.today.worked_minutes, 600);
    assert_eq!(o.today.overtime_minutes, 60);
    assert_eq!(o.today.after_hours_minutes, 60);
    assert_eq!(o.this_week.worked_minutes, 600);
    assert_eq!(o.this_week.check_ins.fatigue, Some(6.0));
    assert_eq!(o.check_in_streak, 1);
    assert_eq!(o.last_12_weeks.len(), 12);
    assert_eq!((o.this_week.iso_year, o.this_week.iso_week), (2026, 47));
    let w = store.week_stats(2026, 47).unwrap();
    assert_eq!(w, o.this_week);
    assert_eq!(invalid_field(store.week_stats(2026, 54)).0, "week");
    assert_eq!(invalid_field(store.week_stats(2027, 1)).1, InvalidReason::InFuture);
    let d = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    assert_eq!(invalid_field(store.day_stats(d, d.pred_opt().unwrap())).1, InvalidReason::EndBeforeStart);
}

#[test]
fn acknowledged_changes_leave_the_outbox_and_only_those() {
    let (_dir, _clock, store) = setup();
    for f in 0..3 {
        store.add_task(&TaskInput { title: format!("t{f}"), ..TaskInput::default() }).unwrap();
    }
    let changes = store.pending_changes(10).unwrap();
    let ack = vec![changes[0].id.to_string(), changes[2].id.to_string(), "unknown".to_string()];
    assert_eq!(store.acknowledge_changes(&ack).unwrap(), 2);
    let left = store.pending_changes(10).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, changes[1].id);
}

#[test]
fn photo_pipeline_through_the_store() {
    let (dir, clock, store) = setup();
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(1200, 800, image::Rgb([10, 120, 200])).write_to(&mut png, image::ImageFormat::Png).unwrap();
    let png = png.into_inner();
    assert_eq!(invalid_field(store.set_profile_photo(&png)).0, "profile");
    store.update_profile(&profile_input()).unwrap();
    assert_eq!(invalid_field(store.set_profile_photo(b"GIF89a nonsense")).1, InvalidReason::NotAnImage);
    assert!(!store.profile().has_photo);
    let p = store.set_profile_photo(&png).unwrap();
    assert!(p.has_photo);
    let jpeg = store.profile_photo().unwrap().unwrap();
    let img = image::load_from_memory(&jpeg).unwrap();
    assert_eq!((img.width(), img.height()), (512, 341));
    drop(store);
    let store = open(&dir, &clock);
    assert!(store.profile().has_photo);
    assert!(!store.remove_profile_photo().unwrap().has_photo);
    assert_eq!(store.profile_photo().unwrap(), None);
}

#[test]
fn export_contains_everything_in_json_and_csv() {
    let (_dir, clock, store) = setup();
    store.update_profile(&profile_input()).unwrap();
    let now = clock.now();
    store.add_session(now - Duration::hours(3), now - Duration::hours(1), Some("a, \"quoted\" note")).unwrap();
    store.add_task(&TaskInput { title: "T".into(), ..TaskInput::default() }).unwrap();
    store.record_check_in(&checkin(4)).unwrap();
    store.record_check_in(&checkin(5)).unwrap();
    store.record_cbi(&[Some(2); 19]).unwrap();
    store.record_app_open().unwrap();
    let e = store.export().unwrap();
    assert_eq!((e.work_sessions.len(), e.tasks.len(), e.check_ins.len(), e.cbi_responses.len(), e.app_opens.len()), (1, 1, 2, 1, 1));
    let json: serde_json::Value = serde_json::from_str(&qamqor_core::export::to_json(&e).unwrap()).unwrap();
    assert_eq!(json["profile"]["name"], "Айгерім Сейітова");
    let files = qamqor_core::export::to_csv(&e).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["profile.csv", "work_sessions.csv", "tasks.csv", "check_ins.csv", "cbi_responses.csv", "app_opens.csv"]);
    let sessions = &files[1].content;
    assert!(sessions.contains("\"a, \"\"quoted\"\" note\""), "{sessions}");
    assert_eq!(files[3].content.lines().count(), 3);
}

#[test]
fn concurrent_writers_from_many_threads() {
    let (_dir, _clock, store) = setup();
    let store = Arc::new(store);
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let s = store.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    s.add_task(&TaskInput { title: format!("{t}-{i}"), ..TaskInput::default() }).unwrap();
                    s.record_app_open().unwrap();
                    s.stats_overview().unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(store.tasks(None).unwrap().len(), 200);
    assert_eq!(store.app_open_days(store.today(), store.today()).unwrap()[0].open_count, 200);
    assert_eq!(store.pending_change_count().unwrap(), 201);
    let hlcs: Vec<String> = store.pending_changes(1000).unwrap().into_iter().map(|c| c.hlc).collect();
    assert!(hlcs.windows(2).all(|w| w[0] < w[1]), "outbox order is HLC order");
}

#[test]
fn a_newer_schema_is_refused_not_damaged() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("qamqor.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    assert!(matches!(Store::open(&path), Err(Error::SchemaTooNew { found: 99, .. })));
}

#[test]
fn opening_a_non_database_file_fails_cleanly() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("junk.db");
    std::fs::write(&path, b"this is not a sqlite database, just text padded to look bigger than a header").unwrap();
    assert!(matches!(Store::open(&path), Err(Error::Storage(_))));
    assert!(Store::open(dir.path().join("missing-dir/x.db")).is_err());
}

#[test]
fn records_returned_by_writes_equal_what_is_read_back() {
    // A clock with sub-millisecond precision, as phones have.
    let dir = TempDir::new().unwrap();
    let clock = Arc::new(FixedClock::new(monday_afternoon() + Duration::nanoseconds(123_456_789)));
    let store = open(&dir, &clock);
    let t = store.add_task(&TaskInput { title: "t".into(), ..TaskInput::default() }).unwrap();
    assert_eq!(store.task(&t.id).unwrap(), t);
    let c = store.record_check_in(&checkin(2)).unwrap();
    assert_eq!(store.todays_check_in().unwrap().unwrap(), c);
    let r = store.record_cbi(&[Some(1); 19]).unwrap();
    assert_eq!(store.cbi_responses().unwrap(), vec![r]);
    let now = clock.now();
    let s = store.add_session(now - Duration::hours(2), now - Duration::nanoseconds(3_600_000_000_777), None).unwrap();
    let today = store.today();
    assert_eq!(store.sessions(today, today).unwrap(), vec![s]);
}

#[test]
fn concurrent_profile_updates_leave_the_cache_equal_to_the_database() {
    let (dir, clock, store) = setup();
    let store = Arc::new(store);
    let zones = ["Asia/Almaty", "Europe/Berlin"];
    let handles: Vec<_> = zones
        .iter()
        .map(|tz| {
            let s = store.clone();
            let tz = tz.to_string();
            std::thread::spawn(move || {
                for _ in 0..50 {
                    let input = ProfileInput { schedule: WorkSchedule { time_zone: tz.clone(), ..WorkSchedule::default() }, ..profile_input() };
                    s.update_profile(&input).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let cached = store.profile();
    drop(store);
    assert_eq!(open(&dir, &clock).profile(), cached);
}

#[test]
fn photo_changes_update_the_profile_time() {
    let (_dir, clock, store) = setup();
    store.update_profile(&profile_input()).unwrap();
    clock.advance(Duration::hours(1));
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(10, 10, image::Rgb([1, 2, 3])).write_to(&mut png, image::ImageFormat::Png).unwrap();
    let p = store.set_profile_photo(&png.into_inner()).unwrap();
    assert_eq!(p.updated_at, Some(clock.now()));
    assert_eq!(store.profile(), p);
}

#[test]
fn dates_outside_four_digit_years_are_refused_not_a_panic() {
    let (_dir, _clock, store) = setup();
    let far = NaiveDate::from_ymd_opt(262_142, 12, 31).unwrap();
    let d = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    assert_eq!(invalid_field(store.day_stats(d, far)).0, "to");
    assert_eq!(invalid_field(store.sessions(d, far)).0, "to");
    assert_eq!(invalid_field(store.check_ins(NaiveDate::from_ymd_opt(1200, 1, 1).unwrap(), d)).0, "from");
}

#[test]
fn nudges_follow_the_day() {
    let (_dir, clock, store) = setup();
    store.update_profile(&profile_input()).unwrap();
    let n = store.nudges().unwrap();
    assert!(n.check_in_due, "a working day without a check-in");
    assert!(n.questionnaire_due, "never answered");
    assert_eq!(n.long_day_minutes, None);
    store.record_check_in(&checkin(3)).unwrap();
    store.record_cbi(&[Some(1); 19]).unwrap();
    // From 03:00 to 14:00 local: eleven hours.
    store.add_session(monday_afternoon() - Duration::hours(11), monday_afternoon(), None).unwrap();
    let n = store.nudges().unwrap();
    assert!(!n.check_in_due && !n.questionnaire_due);
    assert_eq!(n.long_day_minutes, Some(660));
    // Saturday: no check-in reminder.
    clock.advance(Duration::days(5));
    assert!(!store.nudges().unwrap().check_in_due);
    // Three months later the questionnaire is due again.
    clock.advance(Duration::days(91));
    assert!(store.nudges().unwrap().questionnaire_due);
}

#[test]
fn a_local_time_is_read_in_the_schedule_s_time_zone() {
    let (_dir, _clock, store) = setup();
    // Default schedule: Asia/Almaty (UTC+5).
    let t = store.local_time_to_instant("started_at", "2026-11-16T10:00").unwrap();
    assert_eq!(t, Utc.with_ymd_and_hms(2026, 11, 16, 5, 0, 0).unwrap());
    assert_eq!(store.local_time_to_instant("started_at", " 2026-11-16T10:00:30 ").unwrap(), t + Duration::seconds(30));

    let berlin = ProfileInput { schedule: WorkSchedule { time_zone: "Europe/Berlin".into(), ..WorkSchedule::default() }, ..profile_input() };
    store.update_profile(&berlin).unwrap();
    // Winter time UTC+1; summer time UTC+2.
    assert_eq!(store.local_time_to_instant("x", "2026-11-16T10:00").unwrap(), Utc.with_ymd_and_hms(2026, 11, 16, 9, 0, 0).unwrap());
    assert_eq!(store.local_time_to_instant("x", "2026-07-01T10:00").unwrap(), Utc.with_ymd_and_hms(2026, 7, 1, 8, 0, 0).unwrap());
    // 02:30 does not exist on 2026-03-29 (clocks jump 02:00 -> 03:00): the first time that does.
    assert_eq!(store.local_time_to_instant("x", "2026-03-29T02:30").unwrap(), Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap());
    // 02:30 happens twice on 2026-10-25: the earlier one (still summer time).
    assert_eq!(store.local_time_to_instant("x", "2026-10-25T02:30").unwrap(), Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap());

    for bad in ["", "2026-11-16", "16.11.2026 10:00", "2026-11-16T25:00", "2026-02-30T10:00"] {
        assert_eq!(invalid_field(store.local_time_to_instant("ended_at", bad)), ("ended_at".into(), InvalidReason::BadFormat), "{bad}");
    }
}

#[test]
fn the_check_in_scales_are_exactly_what_a_check_in_accepts() {
    let dir = TempDir::new().unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()));
    let store = open(&dir, &clock);
    let s = CHECK_IN_SCALES;
    let at = |fatigue, stress, mood, sleep_hours| CheckInInput { fatigue, stress, mood, sleep_hours, note: None };
    // Both ends of every scale are accepted...
    store.record_check_in(&at(s.fatigue.0, s.stress.0, s.mood.0, 0.0)).unwrap();
    store.record_check_in(&at(s.fatigue.1, s.stress.1, s.mood.1, s.sleep_hours_max)).unwrap();
    // ...and one step beyond either is refused on its field.
    let refused = |input: CheckInInput, field: &str| match store.record_check_in(&input) {
        Err(Error::Invalid { field: f, reason: InvalidReason::OutOfRange, .. }) => assert_eq!(f, field),
        other => panic!("{field}: {other:?}"),
    };
    refused(at(s.fatigue.1 + 1, 3, 3, 7.0), "fatigue");
    refused(at(5, s.stress.0 - 1, 3, 7.0), "stress");
    refused(at(5, s.stress.1 + 1, 3, 7.0), "stress");
    refused(at(5, 3, s.mood.0 - 1, 7.0), "mood");
    refused(at(5, 3, s.mood.1 + 1, 7.0), "mood");
    refused(at(5, 3, 3, s.sleep_hours_max + s.sleep_hours_step), "sleep_hours");
    let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    assert_eq!(store.check_in_history(day - chrono::Days::new(1), day + chrono::Days::new(1)).unwrap().len(), 2, "only the two accepted ones");
}
