//! Benchmarks of the device core on a real SQLite file (see docs/BENCHMARKS.md):
//! recording a check-in and a work session, opening a database holding a year of data, and a
//! year of daily statistics plus the 12-week chart series.
//!
//! cargo bench -p qamqor-core --bench core

use std::hint::black_box;
use std::sync::Arc;

use chrono::{DateTime, Days, Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use qamqor_core::*;
use tempfile::TempDir;

/// A year of a realistic working life: two sessions a working day (some late evenings), a
/// Saturday now and then, a check-in most days, the app opened daily, a task every other day.
fn seed_year(dir: &TempDir) -> (Arc<FixedClock>, std::path::PathBuf) {
    let path = dir.path().join("year.db");
    let start = Utc.with_ymd_and_hms(2025, 11, 24, 0, 0, 0).unwrap();
    let clock = Arc::new(FixedClock::new(start));
    let store = Store::open_with_clock(&path, clock.clone()).unwrap();
    store
        .update_profile(&ProfileInput {
            name: "Bench".into(),
            department: "D".into(),
            position: "P".into(),
            qualification_level: Some(5),
            schedule: WorkSchedule::default(),
            remote_work: false,
            language: Language::En,
        })
        .unwrap();
    for day in 0..365u64 {
        let midnight_local: DateTime<Utc> = start + Days::new(day) - Duration::hours(5);
        let weekday = (midnight_local + Duration::hours(5)).date_naive().format("%u").to_string();
        clock.set(midnight_local + Duration::hours(23));
        let at = |h: i64| midnight_local + Duration::hours(h);
        if weekday.as_str() < "6" {
            store.add_session(at(9), at(13), None).unwrap();
            store.add_session(at(14), at(18 + (day % 3) as i64), None).unwrap();
        } else if day % 3 == 0 {
            store.add_session(at(10), at(12), None).unwrap();
        }
        if day % 6 != 5 {
            store.record_check_in(&CheckInInput { fatigue: (day % 10) as u8, stress: 3, mood: 3, sleep_hours: 7.0, note: None }).unwrap();
        }
        store.record_app_open().unwrap();
        if day % 2 == 0 {
            let t = store
                .add_task(&TaskInput { title: format!("task {day}"), due_date: Some((at(12) + Days::new(3)).date_naive()), ..TaskInput::default() })
                .unwrap();
            if day % 4 == 0 {
                store.set_task_status(&t.id, TaskStatus::Done).unwrap();
            }
        }
    }
    (clock, path)
}

fn benches(c: &mut Criterion) {
    let dir = TempDir::new().unwrap();
    let (clock, path) = seed_year(&dir);

    c.bench_function("open a database with a year of data", |b| {
        b.iter(|| black_box(Store::open_with_clock(&path, clock.clone()).unwrap()))
    });

    let store = Store::open_with_clock(&path, clock.clone()).unwrap();
    let today = store.today();
    c.bench_function("stats: a year of daily statistics + 12-week series", |b| {
        b.iter(|| {
            let days = store.day_stats(today - Days::new(364), today).unwrap();
            let overview = store.stats_overview().unwrap();
            black_box((days, overview))
        })
    });
    c.bench_function("stats: overview only (today, 7 days, 12 weeks)", |b| b.iter(|| black_box(store.stats_overview().unwrap())));

    // Warm the model once: the app loads it at start-up, not per assessment.
    store.risk_model().unwrap();
    c.bench_function("risk: full assessment over a year of data (features, 4-week trend, inference, saved)", |b| {
        b.iter(|| black_box(store.assess_risk().unwrap()))
    });

    let fresh_dir = TempDir::new().unwrap();
    let fresh_clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()));
    let fresh = Store::open_with_clock(fresh_dir.path().join("w.db"), fresh_clock.clone()).unwrap();
    let input = CheckInInput { fatigue: 4, stress: 2, mood: 4, sleep_hours: 7.5, note: Some("ok".into()) };
    c.bench_function("write: record a check-in (+ outbox change)", |b| {
        b.iter(|| {
            // One check-in a day, as people do.
            fresh_clock.advance(Duration::days(1));
            black_box(fresh.record_check_in(&input).unwrap())
        })
    });
    c.bench_function("write: replace today's check-in (+ history, outbox change)", |b| {
        b.iter(|| black_box(fresh.record_check_in(&input).unwrap()))
    });
    c.bench_function("write: record a work session (+ outbox change)", |b| {
        b.iter(|| {
            // Each session is a new minute after the last: never overlapping, never in the future.
            fresh_clock.advance(Duration::minutes(2));
            let now = fresh_clock.now();
            black_box(fresh.add_session(now - Duration::minutes(1), now, None).unwrap())
        })
    });
}

/// Sync on the device: a year of one person's changes (from their other phone) applied page by
/// page, and the outbox read and acknowledged in push-sized batches.
fn sync_benches(c: &mut Criterion) {
    let dir = TempDir::new().unwrap();
    let (_clock, path) = seed_year(&dir);
    let source = Store::open(&path).unwrap();
    let pages: Vec<Vec<qamqor_protocol::Change>> = {
        let all = source.pending_changes(100_000).unwrap();
        all.chunks(500).map(|c| c.to_vec()).collect()
    };
    let changes: usize = pages.iter().map(Vec::len).sum();
    c.bench_function(&format!("sync: apply a year of another phone's changes ({changes}, pages of 500)"), |b| {
        b.iter_batched(
            || {
                let d = TempDir::new().unwrap();
                let s = Store::open(d.path().join("apply.db")).unwrap();
                (d, s)
            },
            |(_d, s)| {
                for (i, page) in pages.iter().enumerate() {
                    s.apply_pulled(page, i as u64 + 1).unwrap();
                }
            },
            criterion::BatchSize::PerIteration,
        )
    });
    c.bench_function("sync: read 500 outbox changes and acknowledge them", |b| {
        b.iter_batched(
            || {
                let d = TempDir::new().unwrap();
                let p = d.path().join("outbox.db");
                std::fs::copy(&path, &p).unwrap();
                (d, Store::open(&p).unwrap())
            },
            |(_d, s)| {
                let batch = s.pending_changes(500).unwrap();
                let ids: Vec<String> = batch.iter().map(|c| c.id.to_string()).collect();
                black_box(s.acknowledge_changes(&ids).unwrap())
            },
            criterion::BatchSize::PerIteration,
        )
    });
}

criterion_group!(core_benches, benches, sync_benches);
criterion_main!(core_benches);
