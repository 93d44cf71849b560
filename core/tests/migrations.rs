//! Every frozen older schema upgrades to exactly the schema a fresh install gets, keeping its
//! data; and a frozen copy exists for every version ever shipped, so a landed migration that is
//! edited afterwards is caught here.

use std::path::PathBuf;

use qamqor_core::storage::schema::LATEST_VERSION;
use qamqor_core::Store;
use rusqlite::Connection;
use tempfile::TempDir;

fn frozen(version: u32) -> Option<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/frozen/v{version}.sql"));
    std::fs::read_to_string(p).ok()
}

/// The schema as SQLite reports it, minus whitespace differences.
fn schema_of(path: &std::path::Path) -> Vec<(String, String, String)> {
    let c = Connection::open(path).unwrap();
    let mut stmt = c
        .prepare("SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            let sql: String = r.get(2)?;
            Ok((r.get(0)?, r.get(1)?, sql.split_whitespace().collect::<Vec<_>>().join(" ")))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn fresh_schema(dir: &TempDir) -> Vec<(String, String, String)> {
    let path = dir.path().join("fresh.db");
    drop(Store::open(&path).unwrap());
    schema_of(&path)
}

#[test]
fn every_shipped_version_is_frozen() {
    for v in 1..=LATEST_VERSION {
        assert!(frozen(v).is_some(), "tests/frozen/v{v}.sql is missing: freeze the schema of every version you ship");
    }
}

#[test]
fn every_frozen_schema_upgrades_to_the_fresh_schema_with_its_data() {
    let dir = TempDir::new().unwrap();
    let fresh = fresh_schema(&dir);
    for v in 1..=LATEST_VERSION {
        let path = dir.path().join(format!("v{v}.db"));
        let c = Connection::open(&path).unwrap();
        c.execute_batch(&frozen(v).unwrap()).unwrap();
        c.pragma_update(None, "user_version", v).unwrap();
        // Data written by that version must survive the upgrade.
        c.execute(
            "INSERT INTO tasks (id, title, status, created_at, updated_at, hlc) VALUES ('t1', 'kept', 'todo', 0, 0, 'h')",
            [],
        )
        .unwrap();
        drop(c);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.task("t1").unwrap().title, "kept", "data lost upgrading from v{v}");
        drop(store);
        assert_eq!(schema_of(&path), fresh, "v{v} upgraded differs from a fresh database");
    }
}

#[test]
fn an_empty_file_gets_the_latest_schema() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    drop(Store::open(&path).unwrap());
    let v: u32 = Connection::open(&path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, LATEST_VERSION);
}
