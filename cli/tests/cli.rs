//! The `qamqor` binary as a person or a script uses it: real process, real database folder.

use std::process::{Command, Output};

use tempfile::TempDir;

const NOW: &str = "2026-11-23T10:00:00Z"; // Monday 15:00 in Almaty

fn qamqor(dir: &TempDir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qamqor"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(args)
        .env("QAMQOR_NOW", NOW)
        .output()
        .expect("run qamqor")
}

fn ok(dir: &TempDir, args: &[&str]) -> String {
    let out = qamqor(dir, args);
    assert!(out.status.success(), "qamqor {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn json(dir: &TempDir, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(dir, &all)).unwrap()
}

#[test]
fn a_work_day_from_the_terminal() {
    let dir = TempDir::new().unwrap();
    let p = json(&dir, &["profile", "set", "--name", "Асқар", "--department", "QA", "--level", "5", "--days", "mon,tue,wed,thu,fri", "--start", "09:00", "--end", "18:00", "--tz", "Asia/Almaty", "--language", "kk"]);
    assert_eq!(p["name"], "Асқар");
    assert_eq!(p["qualification_level"], 5);
    assert!(ok(&dir, &["profile"]).contains("09:00-18:00 (Asia/Almaty)"));

    let s = json(&dir, &["session", "add", "--from", "2026-11-22T10:00", "--to", "2026-11-22T12:30", "--note", "on call"]);
    assert_eq!(s["minutes"], 150);
    assert_eq!(s["weekend_minutes"], 150, "Sunday in Almaty");
    let s = json(&dir, &["session", "add", "--from", "2026-11-23T01:00:00Z", "--to", "2026-11-23T05:00:00+00:00"]);
    assert_eq!((s["minutes"].as_i64(), s["after_hours_minutes"].as_i64()), (Some(240), Some(180)), "06:00-10:00 local");

    let c = json(&dir, &["checkin", "--fatigue", "6", "--stress", "3", "--mood", "4", "--sleep", "6.5"]);
    assert_eq!(c["local_date"], "2026-11-23");

    let t = json(&dir, &["task", "add", "Prepare the release notes", "--due", "2026-11-20", "--estimate", "60"]);
    let id = t["id"].as_str().unwrap().to_string();
    assert!(ok(&dir, &["task", "list"]).contains("[todo] Prepare the release notes due 2026-11-20"));
    assert_eq!(json(&dir, &["task", "start", &id])["status"], "in_progress");

    let stats = json(&dir, &["stats"]);
    assert_eq!(stats["today"]["worked_minutes"], 240);
    assert_eq!(stats["today"]["after_hours_minutes"], 180);
    assert_eq!(stats["today"]["tasks_overdue"], 1);
    assert_eq!(stats["last_12_weeks"].as_array().unwrap().len(), 12);
    let prev = json(&dir, &["stats", "--week", "2026-W47"]);
    assert_eq!(prev["weekend_minutes"], 150);
    assert!(ok(&dir, &["stats"]).contains("Last 12 weeks"));

    assert_eq!(json(&dir, &["task", "done", &id])["status"], "done");

    let r = json(&dir, &["cbi", "--answers", "3,3,2,1,2,1, 2,2,1,3,2,1,1, -,-,-,-,-,-"]);
    assert_eq!(r["scores"]["client_related"], serde_json::Value::Null);
    assert_eq!(r["scores"]["personal"], 50.0);
    assert!(ok(&dir, &["cbi", "--items", "kk"]).contains("19."));
}

#[test]
fn timer_from_the_terminal() {
    let dir = TempDir::new().unwrap();
    let s = json(&dir, &["session", "start", "--note", "focus"]);
    assert_eq!(s["ended_at"], serde_json::Value::Null);
    let again = qamqor(&dir, &["session", "start"]);
    assert_eq!(again.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already running"));
    let bad = qamqor(&dir, &["session", "stop", "--at", "2026-11-23T14:00"]);
    assert_eq!(bad.status.code(), Some(2), "stopping before the start (14:00 < 15:00 local)");
    // The clock is pinned, so stopping now is "end before start"; an explicit later time in
    // the future is refused as well.
    let future = qamqor(&dir, &["session", "stop", "--at", "2026-11-23T19:00"]);
    assert_eq!(future.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&future.stderr).contains("future"));
}

#[test]
fn bad_input_is_refused_with_the_field_and_nothing_is_written() {
    let dir = TempDir::new().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["checkin", "--fatigue", "11", "--stress", "3", "--mood", "3", "--sleep", "7"], "fatigue"),
        (&["checkin", "--fatigue", "1", "--stress", "9", "--mood", "3", "--sleep", "7"], "stress"),
        (&["session", "add", "--from", "yesterday", "--to", "2026-11-23T09:00"], "from"),
        (&["session", "add", "--from", "2026-11-23T12:00", "--to", "2026-11-23T11:00"], "ended_at"),
        (&["task", "add", "   "], "title"),
        (&["profile", "set", "--name", "A", "--tz", "Nowhere/City"], "schedule.time_zone"),
        (&["profile", "set", "--name", "A", "--level", "12"], "qualification_level"),
        (&["cbi", "--answers", "1,2,3"], "answers"),
        (&["stats", "--week", "2026-47"], "week"),
    ];
    for (args, field) in cases {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = qamqor(&dir, &all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(err["field"], *field, "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
    let missing = qamqor(&dir, &["task", "done", "no-such-task"]);
    assert_eq!(missing.status.code(), Some(3));
    let export = json(&dir, &["export"]);
    for table in ["work_sessions", "tasks", "check_ins", "cbi_responses"] {
        assert_eq!(export[table].as_array().unwrap().len(), 0, "{table} written despite bad input");
    }
}

#[test]
fn export_as_json_and_csv_files() {
    let dir = TempDir::new().unwrap();
    ok(&dir, &["checkin", "--fatigue", "2", "--stress", "2", "--mood", "4", "--sleep", "8"]);
    ok(&dir, &["checkin", "--fatigue", "5", "--stress", "2", "--mood", "4", "--sleep", "8"]);
    let e = json(&dir, &["export"]);
    assert_eq!(e["check_ins"].as_array().unwrap().len(), 2, "replaced check-ins are exported too");
    let out = TempDir::new().unwrap();
    let csv_dir = out.path().join("csv");
    ok(&dir, &["export", "--format", "csv", "--out", csv_dir.to_str().unwrap()]);
    let check_ins = std::fs::read_to_string(csv_dir.join("check_ins.csv")).unwrap();
    assert!(check_ins.starts_with("id,local_date,fatigue"));
    assert_eq!(check_ins.lines().count(), 3);
    assert_eq!(qamqor(&dir, &["export", "--format", "csv"]).status.code(), Some(2));
    let file = out.path().join("me.json");
    ok(&dir, &["export", "--out", file.to_str().unwrap()]);
    let back: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    // Two check-ins and two exports succeeded before this one; the failed CSV export did not count.
    assert_eq!(back["app_opens"][0]["open_count"], 4);
}

#[test]
fn profile_photo_from_a_file() {
    let dir = TempDir::new().unwrap();
    ok(&dir, &["profile", "set", "--name", "Dana"]);
    let not_image = dir.path().join("notes.txt");
    std::fs::write(&not_image, "hello").unwrap();
    let out = qamqor(&dir, &["--json", "profile", "photo", not_image.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"], "not_an_image");
    let png = dir.path().join("me.png");
    image::RgbImage::from_pixel(900, 900, image::Rgb([1, 2, 3])).save(&png).unwrap();
    assert_eq!(json(&dir, &["profile", "photo", png.to_str().unwrap()])["has_photo"], true);
    assert_eq!(json(&dir, &["profile", "remove-photo"])["has_photo"], false);
}

fn qamqor_at(dir: &TempDir, now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qamqor")).arg("--data-dir").arg(dir.path()).args(args).env("QAMQOR_NOW", now).output().unwrap()
}

#[test]
fn risk_in_words_history_and_model_updates() {
    let dir = TempDir::new().unwrap();
    let first = ok(&dir, &["risk"]);
    assert!(first.starts_with("Not enough data yet"), "{first}");
    assert!(first.contains("daily check-in"));
    for (day, fatigue) in [("20", "7"), ("21", "8"), ("22", "8"), ("23", "9")] {
        let now = format!("2026-11-{day}T15:00:00Z");
        let out = qamqor_at(&dir, &now, &["session", "add", "--from", &format!("2026-11-{day}T08:00"), "--to", &format!("2026-11-{day}T19:30")]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let out = qamqor_at(&dir, &now, &["checkin", "--fatigue", fatigue, "--stress", "4", "--mood", "2", "--sleep", "5"]);
        assert!(out.status.success());
    }
    // Assess in the evening of the 23rd, after the day's session and check-in.
    let evening = "2026-11-23T18:00:00Z";
    let run = |args: &[&str]| {
        let out = qamqor_at(&dir, evening, args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&["risk"]);
    assert!(text.starts_with("Burnout risk: high"), "{text}");
    assert!(text.contains("fatigue 8.0/10 (7-day average): raises the risk"), "{text}");
    assert!(text.contains("5.0 hours of sleep a night"), "{text}");
    assert!(text.contains("not a diagnosis"));
    let a: serde_json::Value = serde_json::from_str(&run(&["--json", "risk"])).unwrap();
    assert_eq!(a["level"], "high");
    assert_eq!(a["model_version"], "1.0.0");
    assert_eq!(a["factors"][0]["kind"], "fatigue");
    let history: serde_json::Value = serde_json::from_str(&run(&["--json", "risk", "history"])).unwrap();
    assert_eq!(history.as_array().unwrap().len(), 1, "one entry per day: {history}");
    let junk = dir.path().join("model.json");
    std::fs::write(&junk, "{\"format\": \"something else\"}").unwrap();
    let out = qamqor(&dir, &["--json", "risk", "install-model", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["field"], "risk_model");
    assert_eq!(json(&dir, &["risk"])["model_version"], "1.0.0");
}
