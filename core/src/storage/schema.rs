//! The device schema: numbered migrations applied in order, tracked by `PRAGMA user_version`.
//! A landed migration is never edited; `tests/migrations.rs` upgrades a frozen copy of every
//! older schema and checks it ends identical to a fresh database.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Migration `i` (0-based) brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_initial.sql"), include_str!("migrations/0002_risk.sql"),
    include_str!("migrations/0003_sync.sql"),
    include_str!("migrations/0004_deletion_requests.sql"),
    include_str!("migrations/0005_ratings.sql"),
];

/// The schema version this build writes.
pub const LATEST_VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the database up to [`LATEST_VERSION`], each migration in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > LATEST_VERSION {
        return Err(Error::SchemaTooNew { found: current, supported: LATEST_VERSION });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
