//! [`ServerDb`]: a connection of its own to the server's SQLite database, to check what the
//! server holds where the API does not say it (how many changes it logged), and to move token
//! expiry into the past (the server process reads the system clock, which tests cannot move).

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use rusqlite::{params, Connection};
use uuid::Uuid;

/// The server's database, opened beside the running server (WAL lets both work at once).
pub struct ServerDb {
    conn: Connection,
}

impl ServerDb {
    pub fn open(path: &Path) -> anyhow::Result<ServerDb> {
        let conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        conn.busy_timeout(Duration::from_secs(10))?;
        Ok(ServerDb { conn })
    }

    fn count(&self, sql: &str, user_id: Uuid) -> anyhow::Result<u64> {
        let n: i64 = self.conn.query_row(sql, params![user_id.to_string()], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Changes the server logged for this user (each change id once: the unit of idempotency).
    pub fn changes_held(&self, user_id: Uuid) -> anyhow::Result<u64> {
        self.count("SELECT COUNT(*) FROM changes WHERE user_id = ?1", user_id)
    }

    /// Records of this user (their current states, tombstones included).
    pub fn records_held(&self, user_id: Uuid) -> anyhow::Result<u64> {
        self.count("SELECT COUNT(*) FROM records WHERE user_id = ?1", user_id)
    }

    /// Makes the device's access tokens expired, as if 15 minutes had passed.
    pub fn expire_access_tokens(&self, device_id: Uuid) -> anyhow::Result<usize> {
        Ok(self.conn.execute("UPDATE access_tokens SET expires_at = 0 WHERE device_id = ?1", params![device_id.to_string()])?)
    }

    /// Makes the device's refresh tokens expired, as if 30 days had passed.
    pub fn expire_refresh_tokens(&self, device_id: Uuid) -> anyhow::Result<usize> {
        Ok(self.conn.execute("UPDATE refresh_tokens SET expires_at = 0 WHERE device_id = ?1", params![device_id.to_string()])?)
    }
}
