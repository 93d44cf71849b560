//! `qamqor-server serve --demo`, run as the real binary: on an empty directory it creates the
//! demo organisation, whose history must have come from phones through sync (checked in the
//! server's database, read-only), prints working credentials, and serves; a second run serves
//! the same demo again; a directory holding anything else is refused.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use qamqor_protocol::{AuthTokens, OrgSettingsPayload, Role, PROTOCOL_HEADER};
use qamqor_server::store::sqlite::DB_FILE;
use rusqlite::{Connection, OpenFlags};
use serde_json::json;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_qamqor-server"))
}

/// A running `serve --demo` and what it printed.
struct Demo {
    child: Child,
    admin: (String, String),
    manager: (String, String),
    base: String,
    lines: Vec<String>,
    log: Arc<Mutex<Vec<String>>>,
}

impl Demo {
    /// Starts `serve --demo` on `dir` and waits for its three lines (the demo is ready then).
    fn start(dir: &Path) -> Demo {
        let mut child = bin()
            .args(["--data-dir", dir.to_str().unwrap(), "serve", "--demo", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Drain both pipes so the server never blocks writing; keep the log for failures.
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let kept = log.clone();
        std::thread::spawn(move || stderr.lines().map_while(Result::ok).for_each(|l| kept.lock().unwrap().push(l)));
        let (tx, rx) = mpsc::channel();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        std::thread::spawn(move || stdout.lines().map_while(Result::ok).for_each(|l| drop(tx.send(l))));

        // Generous: about a minute on two busy cores; the wait must not make a slow machine fail.
        let deadline = Instant::now() + Duration::from_secs(300);
        let mut lines: Vec<String> = Vec::new();
        while !lines.iter().any(|l| l.starts_with("panel: ")) {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => lines.push(line),
                Err(e) => {
                    let _ = child.kill();
                    panic!("no panel line ({e}); stdout: {lines:?}; log:\n{}", log.lock().unwrap().join("\n"));
                }
            }
        }
        let value = |prefix: &str| -> String {
            lines.iter().find_map(|l| l.strip_prefix(prefix)).unwrap_or_else(|| panic!("no '{prefix}' line in {lines:?}")).to_string()
        };
        let pair = |s: String| -> (String, String) {
            let (email, password) = s.split_once(' ').unwrap();
            (email.to_string(), password.to_string())
        };
        let admin = pair(value("demo admin: "));
        let manager = pair(value("demo manager: "));
        let base = value("panel: ").trim_end_matches('/').to_string();
        assert_eq!(lines.iter().filter(|l| l.starts_with("demo admin: ")).count(), 1, "{lines:?}");
        Demo { child, admin, manager, base, lines, log }
    }

    /// SIGTERM, and a clean exit.
    fn stop(mut self) {
        let killed = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(killed.success());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status:?}; log:\n{}", self.log.lock().unwrap().join("\n"));
    }
}

async fn login(base: &str, (email, password): &(String, String)) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .header(PROTOCOL_HEADER, "1")
        .json(&json!({"email": email, "password": password, "device_name": "demo test"}))
        .send()
        .await
        .unwrap()
}

fn read_only(dir: &Path) -> Connection {
    Connection::open_with_flags(dir.join(DB_FILE), OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn count(db: &Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[test]
fn the_demo_is_an_organisation_whose_history_came_from_its_phones() {
    let dir = tempfile::TempDir::new().unwrap();
    let data = dir.path().join("demo-data");
    let started = Instant::now();
    let demo = Demo::start(&data);
    eprintln!("the demo took {:.1} s", started.elapsed().as_secs_f64());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

    // The printed accounts work.
    let (admin, manager) = rt.block_on(async {
        let admin = login(&demo.base, &demo.admin).await;
        assert_eq!(admin.status(), 200);
        let admin: AuthTokens = admin.json().await.unwrap();
        assert_eq!(admin.role, Role::Admin);
        let manager = login(&demo.base, &demo.manager).await;
        assert_eq!(manager.status(), 200);
        let manager: AuthTokens = manager.json().await.unwrap();
        assert_eq!(manager.role, Role::Manager);
        let settings: OrgSettingsPayload = reqwest::Client::new()
            .get(format!("{}/api/v1/settings", demo.base))
            .header(PROTOCOL_HEADER, "1")
            .bearer_auth(&admin.access_token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(settings.organisation, "Qamqor Demo");
        (admin, manager)
    });

    let db = read_only(&data);
    // An admin, a manager per top department, about 200 employees, in a three-level tree.
    assert_eq!(count(&db, "SELECT COUNT(*) FROM users WHERE role = 'admin'"), 1);
    assert!(count(&db, "SELECT COUNT(*) FROM users WHERE role = 'manager'") >= 4);
    let employees = count(&db, "SELECT COUNT(*) FROM users WHERE role = 'employee'");
    assert!((190..=210).contains(&employees), "{employees} employees");
    assert!(
        count(&db, "SELECT COUNT(*) FROM departments d JOIN departments p ON p.id = d.parent_id WHERE p.parent_id IS NOT NULL") > 0,
        "departments three levels deep"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM users WHERE department_id IS NULL"), 0, "everyone has a department");

    // About 95 % of the employees pushed history from a phone; the rest never signed in.
    let pushed = count(
        &db,
        "SELECT COUNT(DISTINCT c.user_id) FROM changes c JOIN users u ON u.id = c.user_id WHERE u.role = 'employee'",
    );
    assert!(pushed >= employees * 9 / 10 && pushed < employees, "{pushed} of {employees} employees pushed changes");
    let never = count(&db, "SELECT COUNT(*) FROM users u WHERE u.role = 'employee' AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.user_id = u.id)");
    assert_eq!(never, employees - pushed, "those who pushed nothing never signed in");

    // Every kind of record, in plausible numbers for twelve weeks.
    for (entity, at_least) in [
        ("profile", pushed),
        ("work_session", pushed * 60),
        ("check_in", pushed * 20),
        ("app_open", pushed * 30),
        ("task", pushed * 10),
        ("cbi_response", pushed / 2),
        ("risk_assessment", pushed * 12),
    ] {
        let n = count(&db, &format!("SELECT COUNT(*) FROM changes WHERE entity = '{entity}'"));
        assert!(n >= at_least, "{n} {entity} changes, expected at least {at_least}");
    }
    // A weekly risk assessment from nearly everyone who uses the app.
    let assessed = count(
        &db,
        "SELECT COUNT(*) FROM (SELECT user_id FROM records WHERE entity = 'risk_assessment' GROUP BY user_id HAVING COUNT(*) >= 4)",
    );
    assert!(assessed >= pushed * 9 / 10, "{assessed} people with weekly assessments of {pushed}");
    let levels: Vec<String> = db
        .prepare("SELECT DISTINCT json_extract(payload, '$.level') FROM records WHERE entity = 'risk_assessment' AND op = 'upsert'")
        .unwrap()
        .query_map([], |r| r.get::<_, Option<String>>(0))
        .unwrap()
        .filter_map(|l| l.unwrap())
        .collect();
    for level in ["low", "medium", "high"] {
        assert!(levels.iter().any(|l| l == level), "some {level} risk among {levels:?}");
    }
    // The check-ins span the twelve weeks before today.
    let span = count(
        &db,
        "SELECT CAST(julianday(MAX(json_extract(payload, '$.local_date'))) - julianday(MIN(json_extract(payload, '$.local_date'))) AS INTEGER)
         FROM changes WHERE entity = 'check_in'",
    );
    assert!((80..=90).contains(&span), "check-ins over {span} days");

    // The history came from devices: every change was pushed by a device of its owner. The server
    // wrote the organisation's default settings, and what the admin and the managers did in the
    // panel: the profession cards, their scores of some skills, their verdicts on achievements.
    assert_eq!(count(&db, "SELECT COUNT(*) FROM changes c JOIN devices d ON d.id = c.device_id WHERE d.user_id <> c.user_id"), 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM changes WHERE applied = 0"), 0, "no change lost to another");
    let written = |entity: &str| count(&db, &format!("SELECT COUNT(*) FROM server_changes WHERE entity = '{entity}'"));
    let (assignments, manager_scores, reviews) = (written("competency_assignment"), written("manager_skill_rating"), written("achievement_review"));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM server_changes"), 1 + assignments + manager_scores + reviews);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM server_changes WHERE user_id IS NULL AND entity = 'org_settings'"), 1);
    // Each by the admin (cards) or the person's manager or the admin (scores, verdicts), with its
    // audit entry, once per record.
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM server_changes s JOIN users a ON a.id = s.author_id WHERE s.entity = 'competency_assignment' AND a.role = 'admin'"),
        assignments
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM server_changes s JOIN users a ON a.id = s.author_id JOIN users u ON u.id = s.user_id
                    WHERE s.entity IN ('manager_skill_rating', 'achievement_review') AND a.role IN ('admin', 'manager') AND a.id <> u.id"),
        manager_scores + reviews
    );
    let audited = |actions: &str| count(&db, &format!("SELECT COUNT(*) FROM audit_log WHERE action IN ({actions})"));
    assert_eq!(audited("'competency.assign'"), assignments);
    assert_eq!(audited("'competency.rate'"), manager_scores);
    assert_eq!(audited("'achievement.verify', 'achievement.reject'"), reviews);
    let records = |entity: &str| count(&db, &format!("SELECT COUNT(*) FROM records WHERE entity = '{entity}' AND op = 'upsert'"));
    assert_eq!(records("competency_assignment"), assignments);
    assert_eq!(records("manager_skill_rating"), manager_scores, "no skill scored twice");
    assert_eq!(records("achievement_review"), reviews, "no achievement reviewed twice");

    // Cards: the admin assigned one to everyone of the plan whose position has one (most of IT,
    // and a few in marketing), also to the people who never signed in.
    let plan = qamqor_server::demo::plan::plan();
    assert_eq!(assignments, plan.employees.iter().filter(|e| e.card.is_some()).count() as i64);
    assert!(assignments >= 80, "{assignments} cards");
    // Most of the people with a card rated their skills on the phone; managers scored some.
    let self_rated = count(&db, "SELECT COUNT(DISTINCT user_id) FROM records WHERE entity = 'skill_rating'");
    assert!(self_rated >= assignments / 2, "{self_rated} of {assignments} rated their skills");
    assert!(records("skill_rating") >= self_rated * 2, "several skills each");
    let manager_rated = count(&db, "SELECT COUNT(DISTINCT user_id) FROM records WHERE entity = 'manager_skill_rating'");
    assert!(manager_rated >= assignments / 3 && manager_scores >= manager_rated * 2, "{manager_scores} scores of {manager_rated} people");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM records WHERE entity IN ('skill_rating', 'manager_skill_rating')
                    AND json_extract(payload, '$.score') NOT BETWEEN 0 AND 4"),
        0
    );

    // Achievements: recorded on the phones by most people, some with an evidence photo; most
    // verified, some rejected with a comment, the latest still waiting.
    let achievements = records("achievement");
    let recorders = count(&db, "SELECT COUNT(DISTINCT user_id) FROM records WHERE entity = 'achievement'");
    assert!(recorders >= pushed / 2 && achievements >= recorders * 3, "{achievements} achievements of {recorders} people");
    let evidence = count(&db, "SELECT COUNT(*) FROM records WHERE entity = 'achievement' AND json_extract(payload, '$.evidence_jpeg') IS NOT NULL");
    assert!(evidence >= 10 && evidence * 5 < achievements, "{evidence} with evidence");
    let verdicts = |status: &str| count(&db, &format!("SELECT COUNT(*) FROM records WHERE entity = 'achievement_review' AND json_extract(payload, '$.status') = '{status}'"));
    let (verified, rejected) = (verdicts("verified"), verdicts("rejected"));
    assert_eq!(verified + rejected, reviews);
    assert!(verified >= reviews * 3 / 4 && rejected >= 10, "{verified} verified, {rejected} rejected");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM records WHERE entity = 'achievement_review' AND json_extract(payload, '$.status') = 'rejected'
                    AND json_extract(payload, '$.comment') IS NULL"),
        0,
        "a rejection says why"
    );
    assert!(reviews < achievements, "the latest wait for review");
    // Every verdict reached its phone: the phones counted the verdicts they held after their last sync.
    let created = demo.log.lock().unwrap().iter().find(|l| l.contains("demo: created")).cloned().expect("the summary line");
    let field = |name: &str| -> i64 {
        let at = created.find(&format!(" {name}=")).unwrap_or_else(|| panic!("no {name} in {created}"));
        created[at + name.len() + 2..].split(' ').next().unwrap().parse().unwrap()
    };
    assert_eq!((field("verified"), field("rejected")), (verified, rejected), "{created}");
    assert_eq!((field("achievements"), field("evidence"), field("cards")), (achievements, evidence, assignments), "{created}");
    assert_eq!(field("manager_scores"), manager_scores, "{created}");

    // The manager's scope follows the tree: someone deep in their subtree, yes; elsewhere, no.
    let in_subtree: String = db
        .query_row(
            "SELECT u.id FROM users u JOIN departments d ON d.id = u.department_id JOIN departments p ON p.id = d.parent_id
             JOIN departments top ON top.id = p.parent_id JOIN users m ON m.department_id = top.id
             WHERE m.email = ?1 AND u.role = 'employee' LIMIT 1",
            [&demo.manager.0],
            |r| r.get(0),
        )
        .unwrap();
    let outside: String = db
        .query_row(
            "SELECT u.id FROM users u WHERE u.role = 'employee' AND u.department_id NOT IN (
                 WITH RECURSIVE sub(id) AS (SELECT department_id FROM users WHERE email = ?1
                                            UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id)
                 SELECT id FROM sub) LIMIT 1",
            [&demo.manager.0],
            |r| r.get(0),
        )
        .unwrap();
    drop(db);
    rt.block_on(async {
        let assign = |user: String| {
            reqwest::Client::new()
                .post(format!("{}/api/v1/tasks", demo.base))
                .header(PROTOCOL_HEADER, "1")
                .bearer_auth(&manager.access_token)
                .json(&json!({"user_id": user, "title": "Review the on-call rota"}))
                .send()
        };
        assert_eq!(assign(in_subtree).await.unwrap().status(), 201);
        assert_eq!(assign(outside).await.unwrap().status(), 403);

        // The panel's ratings and competency pages have something to show.
        let get = |token: &str, path: &str| {
            reqwest::Client::new().get(format!("{}{path}", demo.base)).header(PROTOCOL_HEADER, "1").bearer_auth(token).send()
        };
        let ranking: serde_json::Value = get(&admin.access_token, "/api/v1/admin/ratings").await.unwrap().json().await.unwrap();
        let people = ranking["people"].as_array().unwrap();
        let rated = people.iter().filter(|p| p["total"].as_f64().unwrap() > 0.0).count();
        assert!(rated >= 50, "{rated} people with a rating");
        assert_eq!(people[0]["rank"], 1);
        assert!(people[0]["total"].as_f64().unwrap() >= people[rated - 1]["total"].as_f64().unwrap());
        let departments: serde_json::Value = get(&admin.access_token, "/api/v1/admin/ratings/departments").await.unwrap().json().await.unwrap();
        assert!(departments["departments"].as_array().unwrap().iter().filter(|d| d["average"].as_f64().is_some_and(|a| a > 0.0)).count() >= 10);
        let coverage: serde_json::Value = get(&manager.access_token, "/api/v1/admin/competencies/coverage").await.unwrap().json().await.unwrap();
        assert!(coverage["assigned"].as_u64().unwrap() >= 70, "{}", coverage["assigned"]);
        let functions = coverage["functions"].as_array().unwrap();
        assert!(functions.iter().any(|f| f["strong"].as_u64().unwrap() > 0), "someone is strong somewhere");
        assert!(functions.iter().filter(|f| f["rated"].as_u64().unwrap() > 0).count() * 2 >= functions.len(), "most functions rated");
        let pending: serde_json::Value = get(&manager.access_token, "/api/v1/admin/achievements?status=pending").await.unwrap().json().await.unwrap();
        assert!(pending["total"].as_u64().unwrap() > 0, "the manager has achievements to review");
        // One person asked from their phone for deletion; it waits for an admin.
        let deletions: serde_json::Value = get(&admin.access_token, "/api/v1/admin/deletion-requests").await.unwrap().json().await.unwrap();
        let items = deletions["items"].as_array().unwrap();
        assert_eq!((items.len(), items[0]["status"].as_str()), (1, Some("waiting")), "{deletions}");
    });
    let first_lines = demo.lines.clone();
    demo.stop();

    // The same command again: no new organisation, the same lines, and it serves.
    let started = Instant::now();
    let again = Demo::start(&data);
    assert!(started.elapsed() < Duration::from_secs(30), "a second run only serves");
    assert_eq!(
        again.lines.iter().filter(|l| !l.starts_with("panel: ")).collect::<Vec<_>>(),
        first_lines.iter().filter(|l| !l.starts_with("panel: ")).collect::<Vec<_>>()
    );
    rt.block_on(async { assert_eq!(login(&again.base, &again.admin).await.status(), 200) });
    assert_eq!(count(&read_only(&data), "SELECT COUNT(*) FROM organisations"), 1);
    again.stop();
}

#[test]
fn a_directory_with_other_data_is_refused() {
    let dir = tempfile::TempDir::new().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = bin().args(["--data-dir", data, "org", "create", "--name", "Acme"]).output().unwrap();
    assert!(out.status.success());
    let out = bin().args(["--data-dir", data, "serve", "--demo", "--listen", "127.0.0.1:0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("empty data directory") && stderr.contains(data), "{stderr}");
    assert!(out.stdout.is_empty(), "no credentials are printed");

    // Any file at all makes a directory non-empty.
    let other = tempfile::TempDir::new().unwrap();
    std::fs::write(other.path().join("notes.txt"), "mine").unwrap();
    let out = bin().args(["--data-dir", other.path().to_str().unwrap(), "serve", "--demo"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[test]
fn a_demo_that_was_interrupted_is_not_served_as_if_complete() {
    // The organisation exists but its admin (created last) does not: the first run stopped.
    let dir = tempfile::TempDir::new().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = bin().args(["--data-dir", data, "org", "create", "--name", "Qamqor Demo"]).output().unwrap();
    assert!(out.status.success());
    let out = bin().args(["--data-dir", data, "serve", "--demo", "--listen", "127.0.0.1:0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"), "{out:?}");
}

#[test]
fn a_busy_port_leaves_an_empty_directory_empty() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dir = tempfile::TempDir::new().unwrap();
    let data = dir.path().join("demo-data");
    let listen = taken.local_addr().unwrap().to_string();
    let out = bin().args(["--data-dir", data.to_str().unwrap(), "serve", "--demo", "--listen", &listen]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"), "{out:?}");
    assert!(!data.join(DB_FILE).exists(), "no database left behind: the next --demo still may use the directory");
}
