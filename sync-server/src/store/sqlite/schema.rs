//! The server schema: numbered migrations applied in order, tracked by `PRAGMA user_version`.
//! A landed migration is never edited; `tests/migrations.rs` checks each frozen older schema
//! upgrades to exactly what a fresh database gets.
//!
//! A migration is an SQL script and, when existing rows need data only Rust can make (UUIDv7
//! change ids, HLC stamps), a data step run right after it in the same transaction.

use rusqlite::{Connection, Transaction};

use crate::store::{StoreError, StoreResult};

/// One schema version: its script and an optional data step.
struct Migration {
    sql: &'static str,
    data: Option<fn(&Transaction) -> StoreResult<()>>,
}

/// Migration `i` (0-based) brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[Migration] = &[
    Migration { sql: include_str!("migrations/0001_initial.sql"), data: None },
    // Existing organisations get their default settings record, so their members pull it.
    Migration { sql: include_str!("migrations/0002_server_records.sql"), data: Some(super::backfill_org_settings) },
    // Search names, activation and last-seen times, and the derived statistics of the data held.
    Migration { sql: include_str!("migrations/0003_admin.sql"), data: Some(super::backfill_admin) },
    // Achievements and verdicts found by kind across an organisation (ratings).
    Migration { sql: include_str!("migrations/0004_ratings.sql"), data: None },
    // Deletion requests carried out: what is left to show once a person is erased.
    Migration { sql: include_str!("migrations/0005_deletions.sql"), data: None },
];

/// The schema version this build writes.
pub const LATEST_VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the database up to [`LATEST_VERSION`], each migration in its own transaction.
pub fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > LATEST_VERSION {
        return Err(StoreError::SchemaTooNew { found: current, supported: LATEST_VERSION });
    }
    for (i, m) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        if let Some(data) = m.data {
            data(&tx)?;
        }
        tx.pragma_update(None, "user_version", i as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
