//! Every frozen older schema upgrades to exactly the schema a fresh server database gets, and
//! a frozen copy exists for every version shipped, so editing a landed migration is caught.

use std::path::{Path, PathBuf};

use qamqor_server::store::sqlite::schema::LATEST_VERSION;
use qamqor_server::store::sqlite::SqliteStore;
use qamqor_server::store::StoreError;
use rusqlite::Connection;
use tempfile::TempDir;

fn frozen(version: u32) -> Option<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/frozen/v{version}.sql"));
    std::fs::read_to_string(p).ok()
}

/// The schema as SQLite reports it, minus whitespace differences.
fn schema_of(path: &Path) -> Vec<(String, String, String)> {
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

#[test]
fn every_shipped_version_is_frozen() {
    for v in 1..=LATEST_VERSION {
        assert!(frozen(v).is_some(), "tests/frozen/v{v}.sql is missing: freeze the schema of every version you ship");
    }
}

#[test]
fn every_frozen_schema_upgrades_to_the_fresh_schema_with_its_data() {
    let dir = TempDir::new().unwrap();
    let fresh = dir.path().join("fresh.db");
    drop(SqliteStore::open(&fresh).unwrap());
    let fresh = schema_of(&fresh);
    for v in 1..=LATEST_VERSION {
        let path = dir.path().join(format!("v{v}.db"));
        let c = Connection::open(&path).unwrap();
        c.execute_batch(&frozen(v).unwrap()).unwrap();
        c.pragma_update(None, "user_version", v).unwrap();
        c.execute("INSERT INTO organisations (id, name, created_at) VALUES ('o1', 'kept', 0)", []).unwrap();
        drop(c);
        drop(SqliteStore::open(&path).unwrap());
        let db = Connection::open(&path).unwrap();
        let kept: String = db.query_row("SELECT name FROM organisations", [], |r| r.get(0)).unwrap();
        assert_eq!(kept, "kept", "data lost upgrading from v{v}");
        if v < 2 {
            // Organisations from before server-written records get their default settings, so
            // their members' next pull carries them.
            let (payload, seq, last_seq): (String, i64, i64) = db
                .query_row(
                    "SELECT r.payload, r.seq, s.last_seq FROM org_records r JOIN sync_sequences s ON s.org_id = r.org_id
                     WHERE r.org_id = 'o1' AND r.entity = 'org_settings' AND r.record_id = 'org'",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .unwrap();
            let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
            assert_eq!(payload, serde_json::json!({"organisation": "kept", "privacy_policy": "aggregate", "min_group_size": 5}));
            assert_eq!(seq, last_seq, "numbered from the organisation's sequence");
        }
        drop(db);
        assert_eq!(schema_of(&path), fresh, "v{v} upgraded differs from a fresh database");
    }
}

#[test]
fn a_newer_schema_is_refused_not_misread() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("future.db");
    Connection::open(&path).unwrap().pragma_update(None, "user_version", LATEST_VERSION + 1).unwrap();
    match SqliteStore::open(&path) {
        Err(StoreError::SchemaTooNew { found, supported }) => {
            assert_eq!((found, supported), (LATEST_VERSION + 1, LATEST_VERSION))
        }
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("a newer schema must be refused"),
    }
}
