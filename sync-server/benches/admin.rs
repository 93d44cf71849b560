//! The admin API's two hot reads on an organisation of 10,000 employees with a year of daily
//! aggregates, in a temporary SQLite store: the weekly indicator table (target < 300 ms) and a
//! filtered page of the people list (target < 50 ms). Run with
//! `cargo bench -p qamqor-server --bench admin`; docs/BENCHMARKS.md has the numbers.
//!
//! The aggregates are seeded straight into the derived tables (pushing a year of records for
//! 10,000 people through the API would take far longer than the reads being measured); the reads
//! go through the same services the HTTP handlers call.

use std::sync::Arc;

use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use qamqor_protocol::Role;
use qamqor_server::admin::indicators::{self, IndicatorsQuery};
use qamqor_server::admin::people::{self, PeopleQuery};
use qamqor_server::admin::Ctx;
use qamqor_server::auth::AuthUser;
use qamqor_server::extract::ClientAddr;
use qamqor_server::store::sqlite::{SqliteStore, DB_FILE};
use qamqor_server::{accounts, AppState, ManualClock, Settings};
use rusqlite::params;
use uuid::Uuid;

const PEOPLE: usize = 10_000;
const DAYS: u64 = 365;
/// 10 divisions of 10 teams each.
const DIVISIONS: usize = 10;
const TEAMS: usize = 10;

/// 2026-12-02 (a Wednesday), 06:00 UTC: the last complete week is 2026-W48.
const NOW: i64 = 1_796_191_200_000;

struct Seeded {
    _dir: tempfile::TempDir,
    state: AppState,
    admin: AuthUser,
    team: Uuid,
}

// `is_multiple_of` is newer than the workspace's minimum Rust version (1.85).
#[allow(clippy::manual_is_multiple_of)]
fn seed(rt: &tokio::runtime::Runtime) -> Seeded {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let store = Arc::new(SqliteStore::open_dir(dir.path()).expect("store"));
    let org = rt.block_on(accounts::create_org(store.as_ref(), "Bench", NOW)).expect("org");
    let mut db = rusqlite::Connection::open(dir.path().join(DB_FILE)).expect("db");
    db.pragma_update(None, "synchronous", "OFF").expect("pragma");
    let tx = db.transaction().expect("tx");
    let org_id = org.id.to_string();
    let mut teams = Vec::new();
    {
        let mut dept = tx.prepare("INSERT INTO departments (id, org_id, parent_id, name, created_at) VALUES (?1, ?2, ?3, ?4, 0)").unwrap();
        for d in 0..DIVISIONS {
            let division = Uuid::now_v7();
            dept.execute(params![division.to_string(), org_id, None::<String>, format!("Division {d}")]).unwrap();
            for t in 0..TEAMS {
                let team = Uuid::now_v7();
                dept.execute(params![team.to_string(), org_id, division.to_string(), format!("Team {d}.{t}")]).unwrap();
                teams.push(team);
            }
        }
        let first_day = NaiveDate::from_ymd_opt(2025, 12, 2).unwrap();
        let created = NOW - (DAYS as i64 + 30) * 86_400_000;
        let mut user = tx
            .prepare(
                "INSERT INTO users (id, org_id, department_id, email, name, search_name, role, password_hash, created_at,
                                    activated_at, last_seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, lower(?5), ?6, 'x', ?7, ?8, ?9)",
            )
            .unwrap();
        let mut day = tx
            .prepare(
                "INSERT INTO person_days (org_id, day, user_id, worked_minutes, scheduled_minutes, overtime_minutes,
                     after_hours_minutes, weekend_minutes, check_in, app_open)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)",
            )
            .unwrap();
        let mut risk =
            tx.prepare("INSERT INTO person_risk (org_id, user_id, day, level, score, factors) VALUES (?1, ?2, ?3, ?4, ?5, NULL)").unwrap();
        let levels = ["low", "low", "low", "medium", "high"];
        for i in 0..PEOPLE {
            let id = Uuid::now_v7().to_string();
            let team = teams[i % teams.len()];
            let role = if i == 0 { "admin" } else { "employee" };
            let activated = (i % 20 != 0).then_some(created + 86_400_000);
            let seen = activated.map(|_| NOW - (i as i64 % 30) * 86_400_000);
            user.execute(params![id, org_id, team.to_string(), format!("p{i}@bench.kz"), format!("Person {i:05}"), role, created, activated, seen])
                .unwrap();
            if activated.is_none() {
                continue;
            }
            for n in 0..DAYS {
                let d = first_day + Days::new(n);
                let working = chrono::Datelike::weekday(&d).num_days_from_monday() < 5;
                let worked = if working && (n + i as u64) % 7 != 0 { 480 + (i % 90) as i64 } else { 0 };
                let check_in = working && (n + i as u64) % 4 != 0;
                day.execute(params![
                    org_id,
                    d.to_string(),
                    id,
                    worked,
                    if working { 540 } else { 0 },
                    (worked - 540).max(0),
                    worked / 10,
                    0,
                    check_in
                ])
                .unwrap();
                if n % 2 == 0 {
                    risk.execute(params![org_id, id, d.to_string(), levels[(i + n as usize) % levels.len()], 0.5]).unwrap();
                }
            }
        }
    }
    // The weekly rollup, as the push transaction keeps it (`refresh_week` in
    // src/store/sqlite/aggregates.rs): sums per ISO week, and the week's latest risk level.
    tx.execute_batch(
        "INSERT INTO person_weeks
         SELECT org_id, date(day, '-6 days', 'weekday 1') AS week, user_id, SUM(worked_minutes), SUM(overtime_minutes),
                SUM(after_hours_minutes), SUM(weekend_minutes), SUM(worked_minutes > 0 AND scheduled_minutes > 0),
                SUM(check_in AND scheduled_minutes > 0), SUM(check_in), SUM(app_open), NULL, NULL, NULL
         FROM person_days GROUP BY org_id, week, user_id;
         UPDATE person_weeks SET (risk_day, risk_level, risk_score) =
             (SELECT day, level, score FROM person_risk r
              WHERE r.user_id = person_weeks.user_id AND r.day BETWEEN person_weeks.week AND date(person_weeks.week, '+6 days')
                AND level IS NOT NULL ORDER BY day DESC LIMIT 1);",
    )
    .expect("weekly rollup");
    tx.commit().expect("commit");
    db.execute_batch("ANALYZE").expect("analyze");
    drop(db);
    let admin_id: Uuid = rusqlite::Connection::open(dir.path().join(DB_FILE))
        .unwrap()
        .query_row("SELECT id FROM users WHERE role = 'admin'", [], |r| r.get::<_, String>(0))
        .unwrap()
        .parse()
        .unwrap();
    let state = AppState { store, clock: Arc::new(ManualClock::new(NOW)), settings: Arc::new(Settings::default()) };
    let admin = AuthUser { user_id: admin_id, org_id: org.id, role: Role::Admin, device_id: Uuid::nil(), department: None };
    Seeded { _dir: dir, state, admin, team: teams[0] }
}

fn admin_api(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let s = seed(&rt);
    let ctx = rt.block_on(Ctx::of(&s.state, s.admin.clone(), ClientAddr(None))).expect("ctx");
    let q = IndicatorsQuery { week: None, format: None };
    let t = rt.block_on(indicators::weekly(&s.state, &ctx, &q)).expect("indicators");
    assert_eq!(t.week.label, "2026-W48");
    assert_eq!(t.departments.len(), DIVISIONS * (TEAMS + 1));
    // Sanity: every activated person counted, with a recent risk level.
    let risk = t.summary.iter().find(|s| s.key == "high_risk").expect("risk indicator");
    assert!(risk.value.is_some(), "{risk:?}");
    let mut g = c.benchmark_group("admin");
    g.sample_size(20);
    g.bench_function("weekly indicators, 10,000 people, a year of days", |b| {
        b.iter(|| rt.block_on(indicators::weekly(&s.state, &ctx, &q)).expect("indicators"))
    });
    let division = rt.block_on(s.state.store.admin().departments(s.admin.org_id)).unwrap();
    let division = division.iter().find(|d| d.id == s.team).and_then(|d| d.parent_id).expect("division");
    let people_query = || PeopleQuery {
        q: Some("person 0".into()),
        department_id: Some(division),
        subdepartments: Some(true),
        role: Some("employee".into()),
        risk_level: None,
        activity: Some("inactive".into()),
        inactive_days: Some(7),
        status: None,
        sort: Some("last_seen".into()),
        order: None,
        page: Some(2),
        per_page: Some(50),
        format: None,
    };
    let page = rt.block_on(people::list(&s.state, &ctx, people_query(), false)).expect("people");
    assert!(page.total > 0);
    g.bench_function("people list: search, division subtree, role, inactive 7 days, by last seen, page 2", |b| {
        b.iter(|| rt.block_on(people::list(&s.state, &ctx, people_query(), false)).expect("people"))
    });
    g.finish();
}

criterion_group!(benches, admin_api);
criterion_main!(benches);
