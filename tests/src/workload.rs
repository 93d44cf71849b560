//! Realistic payloads, shaped like what the device core writes (`core/src/model.rs`,
//! `core/src/cbi.rs`): work sessions, check-ins, tasks, app opens, Copenhagen Burnout Inventory
//! responses, the profile and the shared daily risk assessment; and a working day of them.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use qamqor_protocol::Entity;
use rand::seq::IndexedRandom;
use rand::Rng;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::device::WireDevice;

const NOTES: [&str; 6] = [
    "Sprint planning with the mobile team",
    "Quarterly report, second draft",
    "Customer call: onboarding questions",
    "Code review and release notes",
    "Inventory check at the Almaty warehouse",
    "Training new colleagues on the CRM",
];

const TASKS: [&str; 8] = [
    "Prepare the monthly sales report",
    "Review the supplier contract",
    "Update the onboarding checklist",
    "Fix the invoice export",
    "Call back the Astana branch",
    "Plan the team offsite",
    "Answer the audit questionnaire",
    "Migrate the shared drive",
];

fn instant(day: NaiveDate, minute_of_day: i64) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
    midnight + Duration::minutes(minute_of_day) + Duration::seconds(minute_of_day % 53)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A work session: `{started_at, ended_at, source, note}`.
pub fn work_session(rng: &mut impl Rng, day: NaiveDate, start_minute: i64, minutes: i64) -> Value {
    let note = rng.random_bool(0.4).then(|| *NOTES.choose(rng).unwrap_or(&NOTES[0]));
    json!({
        "started_at": rfc3339(instant(day, start_minute)),
        "ended_at": rfc3339(instant(day, start_minute + minutes)),
        "source": if rng.random_bool(0.8) { "timer" } else { "manual" },
        "note": note,
    })
}

/// A daily check-in (fatigue, stress, mood 0–10, sleep hours).
pub fn check_in(rng: &mut impl Rng, id: &str, day: NaiveDate, replaces: Option<&str>) -> Value {
    json!({
        "id": id,
        "local_date": day.to_string(),
        "fatigue": rng.random_range(0..=10),
        "stress": rng.random_range(0..=10),
        "mood": rng.random_range(0..=10),
        "sleep_hours": f64::from(rng.random_range(8..=18u8)) / 2.0,
        "note": rng.random_bool(0.2).then_some("Slept badly, long commute"),
        "recorded_at": rfc3339(instant(day, rng.random_range(480..600))),
        "replaced": false,
        "replaces": replaces,
    })
}

/// A task's full state.
pub fn task(rng: &mut impl Rng, id: &str, day: NaiveDate, status: &str) -> Value {
    let created = instant(day, rng.random_range(540..720));
    let updated = created + Duration::minutes(rng.random_range(0..300));
    json!({
        "id": id,
        "title": *TASKS.choose(rng).unwrap_or(&TASKS[0]),
        "notes": rng.random_bool(0.3).then_some("Ask Dana for last month's numbers first."),
        "due_date": (day + Duration::days(rng.random_range(1..14))).to_string(),
        "estimate_minutes": rng.random_bool(0.6).then(|| rng.random_range(1..16u32) * 15),
        "status": status,
        "assigned_by": rng.random_bool(0.3).then_some("Aigerim Bekova"),
        "created_at": rfc3339(created),
        "updated_at": rfc3339(updated),
        "completed_at": (status == "done").then(|| rfc3339(updated)),
    })
}

/// The app-open record of one device and day.
pub fn app_open(day: NaiveDate, open_count: u32, first_minute: i64, last_minute: i64) -> Value {
    json!({
        "local_date": day.to_string(),
        "open_count": open_count,
        "first_opened_at": rfc3339(instant(day, first_minute)),
        "last_opened_at": rfc3339(instant(day, last_minute)),
    })
}

/// A Copenhagen Burnout Inventory response: 19 answers 0–4 and the three scale scores.
pub fn cbi_response(rng: &mut impl Rng, id: &str, day: NaiveDate) -> Value {
    let answers: Vec<Option<u8>> = (0..19).map(|_| rng.random_bool(0.95).then(|| rng.random_range(0..=4))).collect();
    json!({
        "id": id,
        "answered_at": rfc3339(instant(day, rng.random_range(600..1000))),
        "answers": answers,
        "scores": {
            "personal": f64::from(rng.random_range(0..=100u8)),
            "work_related": f64::from(rng.random_range(0..=100u8)),
            "client_related": f64::from(rng.random_range(0..=100u8)),
        },
    })
}

/// The profile.
pub fn profile(rng: &mut impl Rng, name: &str) -> Value {
    json!({
        "name": name,
        "department": "Sales",
        "position": "Account manager",
        "qualification_level": rng.random_range(1..=8),
        "schedule": {"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "18:00", "time_zone": "Asia/Almaty"},
        "remote_work": rng.random_bool(0.3),
        "language": "kk",
    })
}

/// The day's shared risk assessment (record id: the date), as the server validates it.
pub fn risk_assessment(rng: &mut impl Rng, day: NaiveDate) -> Value {
    let score: f64 = rng.random_range(0.0..1.0);
    let level = if score < 0.35 {
        "low"
    } else if score < 0.65 {
        "medium"
    } else {
        "high"
    };
    json!({
        "local_date": day.to_string(),
        "level": level,
        "score": (score * 1000.0).round() / 1000.0,
        "model_version": "burnout-2026.1",
        "factors": [
            {"key": "overtime_hours", "contribution": 0.12},
            {"key": "fatigue", "contribution": 0.08},
            {"key": "after_hours_work", "contribution": 0.03},
        ],
    })
}

/// An append-only fact with a fresh record id, for bulk ingest: a work session (40 %), a
/// check-in (20 %), an app-open day (20 %) or a new task (20 %).
pub fn random_fact(rng: &mut impl Rng, day: NaiveDate) -> (Entity, String, Value) {
    let id = Uuid::now_v7().to_string();
    match rng.random_range(0..10) {
        0..=3 => {
            let start = rng.random_range(480..900);
            let minutes = rng.random_range(20..240);
            (Entity::WorkSession, id, work_session(rng, day, start, minutes))
        }
        4 | 5 => {
            let payload = check_in(rng, &id, day, None);
            (Entity::CheckIn, id, payload)
        }
        6 | 7 => {
            let first = rng.random_range(420..600);
            (Entity::AppOpen, id, app_open(day, rng.random_range(1..12), first, first + rng.random_range(0..600)))
        }
        _ => {
            let payload = task(rng, &id, day, "todo");
            (Entity::Task, id, payload)
        }
    }
}

/// Records a working `day` of one person on `device` (about 20–40 changes): the app opened
/// several times, two to four work sessions, a check-in (sometimes replaced), tasks created and
/// moved along, the day's risk assessment, now and then a burnout questionnaire or a profile
/// edit. Returns how many changes were queued.
pub fn workday(device: &mut WireDevice, rng: &mut impl Rng, day: NaiveDate) -> usize {
    let before = device.outbox().len();
    let app_day = format!("{}-{day}", device.device_id());
    let opens = rng.random_range(6..=12);
    let first = rng.random_range(450..540);
    for n in 1..=opens {
        device.upsert(Entity::AppOpen, &app_day, app_open(day, n, first, first + i64::from(n) * 50));
    }
    let mut start = first + 10;
    for _ in 0..rng.random_range(2..=4) {
        let minutes = rng.random_range(45..180);
        device.upsert(Entity::WorkSession, &Uuid::now_v7().to_string(), work_session(rng, day, start, minutes));
        start += minutes + rng.random_range(10..60);
    }
    let check_in_id = Uuid::now_v7().to_string();
    device.upsert(Entity::CheckIn, &check_in_id, check_in(rng, &check_in_id, day, None));
    if rng.random_bool(0.15) {
        let again = Uuid::now_v7().to_string();
        device.upsert(Entity::CheckIn, &again, check_in(rng, &again, day, Some(&check_in_id)));
    }
    for _ in 0..rng.random_range(3..=5) {
        let id = Uuid::now_v7().to_string();
        device.upsert(Entity::Task, &id, task(rng, &id, day, "todo"));
        if rng.random_bool(0.7) {
            device.upsert(Entity::Task, &id, task(rng, &id, day, "in_progress"));
        }
        if rng.random_bool(0.5) {
            device.upsert(Entity::Task, &id, task(rng, &id, day, "done"));
        }
    }
    device.upsert(Entity::RiskAssessment, &day.to_string(), risk_assessment(rng, day));
    if rng.random_bool(1.0 / 7.0) {
        let id = Uuid::now_v7().to_string();
        device.upsert(Entity::CbiResponse, &id, cbi_response(rng, &id, day));
    }
    if rng.random_bool(0.05) {
        device.upsert(Entity::Profile, "profile", profile(rng, "Aigerim Bekova"));
    }
    device.outbox().len() - before
}
