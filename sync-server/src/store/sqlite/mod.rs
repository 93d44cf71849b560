//! The embedded SQLite backend of [`Store`]: every SQL statement of the server lives here.
//!
//! One writer thread owns the write connection (SQLite runs one write transaction at a time
//! anyway, and queueing in-process avoids `SQLITE_BUSY` storms). Writes queue for it without
//! holding a thread, and it commits whatever is queued together (**group commit**): each write
//! runs in its own savepoint inside one transaction, so a failing write is rolled back alone,
//! and one `fsync` makes a whole group durable before any of its callers is answered. A burst
//! of pushes from a thousand phones costs a few commits instead of a thousand. A small set of
//! reader connections (WAL lets them read while the writer commits) runs on tokio's blocking
//! pool.

mod admin;
mod aggregates;
mod ratings;
pub mod schema;

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use qamqor_protocol::{Change, Entity, Op, Role, ORG_SETTINGS_RECORD_ID};
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction, TransactionBehavior};
use uuid::Uuid;

use super::{
    AuthContext, Credentials, Department, Device, FailureWindow, IssuedToken, Member, Millis, NewInvitation, NewOrg, NewSession, NewUser,
    Org, PullPage, PushOutcome, RecordOwner, RedeemOutcome, RefreshOutcome, Registration, ServerWrite, ServerWriteOutcome,
    SessionOutcome, Store, StoreError, StoreResult, SyncScope, User,
};
use super::admin::search_key;
use crate::sync::{incoming_wins, stamp_above};

/// The database file inside the data directory.
pub const DB_FILE: &str = "qamqor-server.db";

/// Idle reader connections kept open for reuse.
const MAX_IDLE_READERS: usize = 8;

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Backend(Box::new(e))
    }
}

/// The SQLite store. Cloning shares the connections.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    /// The writer thread's queue; the thread ends (closing its connection) when this is dropped.
    writes: Mutex<mpsc::Sender<WriteJob>>,
    idle_readers: Mutex<Vec<Connection>>,
}

/// The most writes committed together.
const MAX_GROUP: usize = 512;

/// A queued write: runs inside the group's transaction and returns what to tell its caller once
/// the group's commit is known (true: committed).
type WriteJob = Box<dyn FnOnce(&Transaction) -> Box<dyn FnOnce(bool) + Send> + Send>;

/// The writer thread: takes the first queued write, then everything queued behind it (up to
/// [`MAX_GROUP`]), runs each in a savepoint of one transaction, commits, and answers them all.
fn run_writer(mut conn: Connection, queue: mpsc::Receiver<WriteJob>) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
            Ok(tx) => tx,
            Err(e) => {
                tracing::error!(error = %e, "cannot begin a write transaction");
                // Each caller gets an error (its job is dropped unrun: the sender side sees that).
                drop(group);
                continue;
            }
        };
        let answers: Vec<Box<dyn FnOnce(bool) + Send>> = group.into_iter().map(|job| job(&tx)).collect();
        let committed = match tx.commit() {
            Ok(()) => true,
            Err(e) => {
                tracing::error!(error = %e, "a group commit failed; its writes are rolled back");
                false
            }
        };
        for answer in answers {
            answer(committed);
        }
    }
}

fn connect(path: &Path) -> StoreResult<Connection> {
    let c = Connection::open(path)?;
    c.busy_timeout(Duration::from_secs(10))?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a commit is on disk before the push that made it is acknowledged, power loss included.
    c.pragma_update(None, "synchronous", "FULL")?;
    c.pragma_update(None, "foreign_keys", true)?;
    Ok(c)
}

impl SqliteStore {
    /// Opens (creating and migrating as needed) the database at `path`.
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        let mut writer = connect(path)?;
        schema::migrate(&mut writer)?;
        let (sender, queue) = mpsc::channel();
        std::thread::Builder::new()
            .name("qamqor-sqlite-writer".into())
            .spawn(move || run_writer(writer, queue))
            .map_err(|e| StoreError::Backend(Box::new(e)))?;
        Ok(SqliteStore {
            inner: Arc::new(Inner { path: path.to_path_buf(), writes: Mutex::new(sender), idle_readers: Mutex::new(Vec::new()) }),
        })
    }

    /// Opens the database of a data directory, creating the directory if needed.
    pub fn open_dir(dir: &Path) -> StoreResult<SqliteStore> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Backend(Box::new(e)))?;
        SqliteStore::open(&dir.join(DB_FILE))
    }

    /// Runs `f` on the writer in a savepoint of the next group's `BEGIN IMMEDIATE` transaction:
    /// kept when it returns Ok, rolled back alone when it returns an error (or panics), and
    /// answered only once the group's commit is durable.
    async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> StoreResult<T> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel::<StoreResult<T>>();
        let job: WriteJob = Box::new(move |tx: &Transaction| {
            let outcome = tx.execute_batch("SAVEPOINT write").map_err(StoreError::from).and_then(|()| {
                std::panic::catch_unwind(AssertUnwindSafe(|| f(tx)))
                    .unwrap_or_else(|_| Err(StoreError::Backend("a write panicked".into())))
            });
            let outcome = match outcome {
                Ok(value) => tx.execute_batch("RELEASE write").map(|()| value).map_err(StoreError::from),
                Err(e) => {
                    // Undo this write only; the group's other writes stand.
                    if let Err(undo) = tx.execute_batch("ROLLBACK TO write; RELEASE write") {
                        tracing::error!(error = %undo, "cannot roll a failed write back");
                    }
                    Err(e)
                }
            };
            Box::new(move |committed: bool| {
                let result = match outcome {
                    Ok(_) if !committed => Err(StoreError::Backend("the write could not be committed".into())),
                    other => other,
                };
                let _ = reply.send(result);
            })
        });
        self.inner
            .writes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .send(job)
            .map_err(|_| StoreError::Backend("the database writer has stopped".into()))?;
        answer.await.map_err(|_| StoreError::Backend("the database writer dropped a write".into()))?
    }

    /// Runs `f` on a reader connection.
    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        blocking(move || {
            let idle = inner.idle_readers.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let conn = match idle {
                Some(c) => c,
                None => {
                    let c = connect(&inner.path)?;
                    c.pragma_update(None, "query_only", true)?;
                    c
                }
            };
            let value = f(&conn);
            let mut idle = inner.idle_readers.lock().unwrap_or_else(PoisonError::into_inner);
            if idle.len() < MAX_IDLE_READERS {
                idle.push(conn);
            }
            value
        })
        .await
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> StoreResult<T> + Send + 'static) -> StoreResult<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| StoreError::Backend(Box::new(e)))?
}

// ---- row decoding -------------------------------------------------------------------------

fn conversion(col: &str, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, Type::Text, format!("column {col}: not a valid {what}").into())
}

fn uuid_at(r: &Row, col: &str) -> rusqlite::Result<Uuid> {
    r.get::<_, String>(col)?.parse().map_err(|_| conversion(col, "uuid"))
}

fn role_at(r: &Row, col: &str) -> rusqlite::Result<Role> {
    Role::parse(&r.get::<_, String>(col)?).ok_or_else(|| conversion(col, "role"))
}

fn change_at(r: &Row) -> rusqlite::Result<Change> {
    Ok(Change {
        id: uuid_at(r, "change_id")?,
        entity: Entity::parse(&r.get::<_, String>("entity")?).ok_or_else(|| conversion("entity", "entity"))?,
        record_id: r.get("record_id")?,
        op: Op::parse(&r.get::<_, String>("op")?).ok_or_else(|| conversion("op", "op"))?,
        hlc: r.get("hlc")?,
        payload: serde_json::from_str(&r.get::<_, String>("payload")?).map_err(|_| conversion("payload", "JSON"))?,
    })
}

// ---- statements shared by several transactions ----------------------------------------------

/// The top-level department of this name, created on first use.
fn department_id(tx: &Transaction, org_id: Uuid, name: &str, now: Millis) -> StoreResult<Uuid> {
    child_department_id(tx, org_id, None, name, now)
}

/// The department of this name directly under `parent_id` (top level when `None`), created on
/// first use.
fn child_department_id(tx: &Transaction, org_id: Uuid, parent_id: Option<Uuid>, name: &str, now: Millis) -> StoreResult<Uuid> {
    let parent = parent_id.map(|p| p.to_string());
    let found = tx
        .prepare_cached(
            "SELECT id FROM departments WHERE org_id = ?1 AND COALESCE(parent_id, '') = COALESCE(?2, '') AND name = ?3",
        )?
        .query_row(params![org_id.to_string(), parent, name], |r| uuid_at(r, "id"))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    let id = Uuid::now_v7();
    tx.prepare_cached("INSERT INTO departments (id, org_id, parent_id, name, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![id.to_string(), org_id.to_string(), parent, name, now])?;
    Ok(id)
}

/// Whether `department_id` is a department of the organisation.
fn department_in_org(tx: &Transaction, org_id: &str, department_id: Uuid) -> StoreResult<bool> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM departments WHERE id = ?1 AND org_id = ?2")?
        .exists(params![department_id.to_string(), org_id])?)
}

fn email_taken(tx: &Transaction, email: &str) -> StoreResult<bool> {
    Ok(tx.prepare_cached("SELECT 1 FROM users WHERE email = ?1")?.exists(params![email])?)
}

fn user_by_id(c: &Connection, id: Uuid) -> StoreResult<Option<User>> {
    Ok(c.prepare_cached(
        "SELECT u.id, u.org_id, u.email, u.name, u.role, d.name AS department
         FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.id = ?1",
    )?
    .query_row(params![id.to_string()], |r| {
        Ok(User {
            id: uuid_at(r, "id")?,
            org_id: uuid_at(r, "org_id")?,
            email: r.get("email")?,
            name: r.get("name")?,
            role: role_at(r, "role")?,
            department: r.get("department")?,
        })
    })
    .optional()?)
}

/// The owner of a device id, if it is registered.
fn device_owner(tx: &Transaction, device_id: Uuid) -> StoreResult<Option<Uuid>> {
    Ok(tx
        .prepare_cached("SELECT user_id FROM devices WHERE id = ?1")?
        .query_row(params![device_id.to_string()], |r| uuid_at(r, "user_id"))
        .optional()?)
}

fn delete_device_tokens(tx: &Transaction, device_id: &str) -> StoreResult<()> {
    tx.prepare_cached("DELETE FROM access_tokens WHERE device_id = ?1")?.execute(params![device_id])?;
    tx.prepare_cached("DELETE FROM refresh_tokens WHERE device_id = ?1")?.execute(params![device_id])?;
    Ok(())
}

fn insert_tokens(tx: &Transaction, device_id: &str, access: IssuedToken, refresh: IssuedToken) -> StoreResult<()> {
    tx.prepare_cached("INSERT INTO access_tokens (token_hash, device_id, expires_at) VALUES (?1, ?2, ?3)")?.execute(params![
        &access.hash[..],
        device_id,
        access.expires_at
    ])?;
    tx.prepare_cached("INSERT INTO refresh_tokens (token_hash, device_id, expires_at, used_at) VALUES (?1, ?2, ?3, NULL)")?
        .execute(params![&refresh.hash[..], device_id, refresh.expires_at])?;
    Ok(())
}

/// Registers the device for `user_id` (or takes it over again if it is theirs), replacing any
/// previous session of that device with the new token pair.
fn open_session_in(tx: &Transaction, user_id: Uuid, s: &NewSession) -> StoreResult<SessionOutcome> {
    let device_id = s.device_id.to_string();
    match device_owner(tx, s.device_id)? {
        Some(owner) if owner != user_id => return Ok(SessionOutcome::DeviceTaken),
        Some(_) => {
            tx.prepare_cached("UPDATE devices SET name = ?2, last_login_at = ?3, revoked_at = NULL WHERE id = ?1")?
                .execute(params![device_id, s.device_name, s.now])?;
            delete_device_tokens(tx, &device_id)?;
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO devices (id, user_id, name, created_at, last_login_at, revoked_at) VALUES (?1, ?2, ?3, ?4, ?4, NULL)",
            )?
            .execute(params![device_id, user_id.to_string(), s.device_name, s.now])?;
        }
    }
    insert_tokens(tx, &device_id, s.access, s.refresh)?;
    // Signing in activates an account (the first time) and is being seen.
    tx.prepare_cached(
        "UPDATE users SET activated_at = COALESCE(activated_at, ?2), last_seen_at = MAX(COALESCE(last_seen_at, 0), ?2) WHERE id = ?1",
    )?
    .execute(params![user_id.to_string(), s.now])?;
    Ok(SessionOutcome::Opened)
}

fn revoke_device_in(tx: &Transaction, device_id: &str, now: Millis) -> StoreResult<bool> {
    let n = tx
        .prepare_cached("UPDATE devices SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1")?
        .execute(params![device_id, now])?;
    delete_device_tokens(tx, device_id)?;
    Ok(n > 0)
}

/// The next sync sequence number of an organisation. The row stays locked until commit, which
/// is what keeps sequence order equal to commit order (see docs/SYNC_PROTOCOL.md).
fn next_seq(tx: &Transaction, org_id: &str) -> StoreResult<i64> {
    Ok(tx
        .prepare_cached(
            "INSERT INTO sync_sequences (org_id, last_seq) VALUES (?1, 1)
             ON CONFLICT (org_id) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
        )?
        .query_row(params![org_id], |r| r.get("last_seq"))?)
}

/// A change already held under this id: the same change from the same user, or a conflict.
fn held_change_matches(tx: &Transaction, scope: &SyncScope, c: &Change) -> StoreResult<Option<bool>> {
    let held = tx
        .prepare_cached("SELECT user_id, entity, record_id, op, hlc, payload FROM changes WHERE id = ?1")?
        .query_row(params![c.id.to_string()], |r| {
            Ok((
                r.get::<_, String>("user_id")?,
                r.get::<_, String>("entity")?,
                r.get::<_, String>("record_id")?,
                r.get::<_, String>("op")?,
                r.get::<_, String>("hlc")?,
                r.get::<_, String>("payload")?,
            ))
        })
        .optional()?;
    if held.is_none() && tx.prepare_cached("SELECT 1 FROM server_changes WHERE id = ?1")?.exists(params![c.id.to_string()])? {
        // The id of a change the server wrote: never a device's to reuse.
        return Ok(Some(false));
    }
    Ok(held.map(|(user_id, entity, record_id, op, hlc, payload)| {
        user_id == scope.user_id.to_string()
            && entity == c.entity.as_str()
            && record_id == c.record_id
            && op == c.op.as_str()
            && hlc == c.hlc
            && serde_json::from_str::<serde_json::Value>(&payload).is_ok_and(|p| p == c.payload)
    }))
}

/// Upserts the winning state of one person's record with a new sequence number.
fn put_user_record(
    tx: &Transaction,
    org_id: &str,
    user_id: &str,
    c: &Change,
    hlc: &str,
    payload: &str,
    seq: i64,
) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO records (org_id, user_id, entity, record_id, change_id, op, hlc, payload, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (user_id, entity, record_id) DO UPDATE SET
             change_id = excluded.change_id, op = excluded.op, hlc = excluded.hlc,
             payload = excluded.payload, seq = excluded.seq",
    )?
    .execute(params![
        org_id,
        user_id,
        c.entity.as_str(),
        c.record_id,
        c.id.to_string(),
        c.op.as_str(),
        hlc,
        payload,
        seq
    ])?;
    Ok(())
}

/// The current stamp of one person's record.
fn user_record_hlc(tx: &Transaction, user_id: &str, c: &Change) -> StoreResult<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT hlc FROM records WHERE user_id = ?1 AND entity = ?2 AND record_id = ?3")?
        .query_row(params![user_id, c.entity.as_str(), c.record_id], |r| r.get("hlc"))
        .optional()?)
}

/// Writes a server change (see [`ServerWrite`]) inside `tx`. Ids are passed as text so the
/// migration that backfills organisations' settings can use it on any stored id.
fn write_server_in(
    tx: &Transaction,
    org_id: &str,
    owner: Option<&str>,
    author_id: Option<&str>,
    c: &Change,
    create_only: bool,
    now: Millis,
) -> StoreResult<ServerWriteOutcome> {
    if c.entity.is_org_wide() != owner.is_none() {
        return Err(StoreError::Invalid(format!(
            "{} records belong to {}",
            c.entity.as_str(),
            if c.entity.is_org_wide() { "the organisation" } else { "one person" }
        )));
    }
    let current = match owner {
        Some(user_id) => {
            let member =
                // An erased person's account is kept only for the audit log: nothing new is written about them.
                tx.prepare_cached("SELECT 1 FROM users WHERE id = ?1 AND org_id = ?2 AND id NOT IN (SELECT user_id FROM deletions)")?
                    .exists(params![user_id, org_id])?;
            if !member {
                return Ok(ServerWriteOutcome::NoSuchUser);
            }
            user_record_hlc(tx, user_id, c)?
        }
        None => tx
            .prepare_cached("SELECT hlc FROM org_records WHERE org_id = ?1 AND entity = ?2 AND record_id = ?3")?
            .query_row(params![org_id, c.entity.as_str(), c.record_id], |r| r.get("hlc"))
            .optional()?,
    };
    if create_only && current.is_some() {
        return Ok(ServerWriteOutcome::Exists);
    }
    let hlc = stamp_above(&c.hlc, current.as_deref())
        .ok_or_else(|| StoreError::Corrupt(format!("unreadable stamp of {} '{}'", c.entity.as_str(), c.record_id)))?;
    let payload = c.payload.to_string();
    let seq = next_seq(tx, org_id)?;
    match owner {
        Some(user_id) => put_user_record(tx, org_id, user_id, c, &hlc, &payload, seq)?,
        None => {
            tx.prepare_cached(
                "INSERT INTO org_records (org_id, entity, record_id, change_id, op, hlc, payload, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (org_id, entity, record_id) DO UPDATE SET
                     change_id = excluded.change_id, op = excluded.op, hlc = excluded.hlc,
                     payload = excluded.payload, seq = excluded.seq",
            )?
            .execute(params![
                org_id,
                c.entity.as_str(),
                c.record_id,
                c.id.to_string(),
                c.op.as_str(),
                hlc,
                payload,
                seq
            ])?;
        }
    }
    tx.prepare_cached(
        "INSERT INTO server_changes (id, org_id, user_id, author_id, entity, record_id, op, hlc, payload, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        c.id.to_string(),
        org_id,
        owner,
        author_id,
        c.entity.as_str(),
        c.record_id,
        c.op.as_str(),
        hlc,
        payload,
        now
    ])?;
    Ok(ServerWriteOutcome::Written(Change { hlc, ..c.clone() }))
}

/// Migration 3's data step: names folded for search, activation and last-seen times from the
/// devices and changes held, and every person's derived statistics from their records.
fn backfill_admin(tx: &Transaction) -> StoreResult<()> {
    tx.execute_batch(
        "UPDATE users SET
             activated_at = (SELECT MIN(created_at) FROM devices WHERE user_id = users.id),
             last_seen_at = NULLIF(MAX(
                 COALESCE((SELECT MAX(last_login_at) FROM devices WHERE user_id = users.id), 0),
                 COALESCE((SELECT MAX(received_at) FROM changes WHERE user_id = users.id), 0)), 0)",
    )?;
    let users = tx
        .prepare("SELECT id, org_id, name FROM users")?
        .query_map([], |r| Ok((r.get::<_, String>("id")?, r.get::<_, String>("org_id")?, r.get::<_, String>("name")?)))?
        .collect::<Result<Vec<_>, _>>()?;
    for (id, org_id, name) in users {
        tx.prepare_cached("UPDATE users SET search_name = ?2 WHERE id = ?1")?.execute(params![id, search_key(&name)])?;
        aggregates::rebuild_person(tx, &org_id, &id)?;
    }
    Ok(())
}

/// Migration 2's data step: every organisation without a settings record gets the defaults.
fn backfill_org_settings(tx: &Transaction) -> StoreResult<()> {
    use crate::Clock;
    let orgs = tx
        .prepare(
            "SELECT id, name FROM organisations WHERE id NOT IN
                 (SELECT org_id FROM org_records WHERE entity = ?1 AND record_id = ?2) ORDER BY created_at, id",
        )?
        .query_map(params![Entity::OrgSettings.as_str(), ORG_SETTINGS_RECORD_ID], |r| {
            Ok((r.get::<_, String>("id")?, r.get::<_, String>("name")?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let now = crate::SystemClock.now_millis();
    for (org_id, name) in orgs {
        let settings = crate::sync::default_org_settings_change(&name, now).map_err(|e| StoreError::Backend(Box::new(e)))?;
        write_server_in(tx, &org_id, None, None, &settings, true, now)?;
    }
    Ok(())
}

#[async_trait]
impl Store for SqliteStore {
    fn admin(&self) -> &dyn crate::store::AdminStore {
        self
    }

    fn ratings(&self) -> &dyn crate::store::RatingStore {
        self
    }

    async fn create_org(&self, org: NewOrg) -> StoreResult<Org> {
        self.write(move |tx| {
            let NewOrg { name, settings, now } = org;
            if tx.prepare_cached("SELECT 1 FROM organisations WHERE name = ?1")?.exists(params![name])? {
                return Err(StoreError::Duplicate { what: "organisation" });
            }
            let id = Uuid::now_v7();
            tx.prepare_cached("INSERT INTO organisations (id, name, created_at) VALUES (?1, ?2, ?3)")?.execute(params![
                id.to_string(),
                name,
                now
            ])?;
            write_server_in(tx, &id.to_string(), None, None, &settings, true, now)?;
            Ok(Org { id, name })
        })
        .await
    }

    async fn ensure_department(&self, org_id: Uuid, parent_id: Option<Uuid>, name: &str, now: Millis) -> StoreResult<Department> {
        let name = name.to_string();
        self.write(move |tx| {
            if let Some(parent) = parent_id {
                if !department_in_org(tx, &org_id.to_string(), parent)? {
                    return Err(StoreError::Invalid(format!("department {parent} is not in organisation {org_id}")));
                }
            }
            let id = child_department_id(tx, org_id, parent_id, &name, now)?;
            Ok(Department { id, org_id, parent_id, name })
        })
        .await
    }

    async fn set_account_dates(&self, user_id: Uuid, created_at: Millis, activated_at: Option<Millis>) -> StoreResult<bool> {
        self.write(move |tx| {
            let n = tx
                .prepare_cached("UPDATE users SET created_at = ?2, activated_at = COALESCE(?3, activated_at) WHERE id = ?1")?
                .execute(params![user_id.to_string(), created_at, activated_at])?;
            Ok(n == 1)
        })
        .await
    }

    async fn set_user_department(&self, user_id: Uuid, department_id: Option<Uuid>) -> StoreResult<bool> {
        self.write(move |tx| {
            let org_id: Option<String> = tx
                .prepare_cached("SELECT org_id FROM users WHERE id = ?1")?
                .query_row(params![user_id.to_string()], |r| r.get("org_id"))
                .optional()?;
            let Some(org_id) = org_id else {
                return Ok(false);
            };
            if let Some(d) = department_id {
                if !department_in_org(tx, &org_id, d)? {
                    return Err(StoreError::Invalid(format!("department {d} is not in the account's organisation")));
                }
            }
            tx.prepare_cached("UPDATE users SET department_id = ?2 WHERE id = ?1")?
                .execute(params![user_id.to_string(), department_id.map(|d| d.to_string())])?;
            Ok(true)
        })
        .await
    }

    async fn member(&self, user_id: Uuid) -> StoreResult<Option<Member>> {
        self.read(move |c| {
            Ok(c.prepare_cached("SELECT id, org_id, name, role, department_id FROM users WHERE id = ?1")?
                .query_row(params![user_id.to_string()], |r| {
                    Ok(Member {
                        id: uuid_at(r, "id")?,
                        org_id: uuid_at(r, "org_id")?,
                        name: r.get("name")?,
                        role: role_at(r, "role")?,
                        department_id: r
                            .get::<_, Option<String>>("department_id")?
                            .map(|d| d.parse().map_err(|_| conversion("department_id", "uuid")))
                            .transpose()?,
                    })
                })
                .optional()?)
        })
        .await
    }

    async fn department_within(&self, department: Uuid, ancestor: Uuid) -> StoreResult<bool> {
        self.read(move |c| {
            // Walk up from `department` to the root; UNION (not UNION ALL) stops even on a cycle.
            Ok(c.prepare_cached(
                "WITH RECURSIVE up(id, parent_id) AS (
                     SELECT id, parent_id FROM departments WHERE id = ?1
                     UNION
                     SELECT d.id, d.parent_id FROM departments d JOIN up ON d.id = up.parent_id
                 )
                 SELECT 1 FROM up WHERE id = ?2",
            )?
            .exists(params![department.to_string(), ancestor.to_string()])?)
        })
        .await
    }

    async fn org_by_name(&self, name: &str) -> StoreResult<Option<Org>> {
        let name = name.to_string();
        self.read(move |c| {
            Ok(c.prepare_cached("SELECT id, name FROM organisations WHERE name = ?1")?
                .query_row(params![name], |r| Ok(Org { id: uuid_at(r, "id")?, name: r.get("name")? }))
                .optional()?)
        })
        .await
    }

    async fn create_user(&self, user: NewUser) -> StoreResult<User> {
        self.write(move |tx| {
            if email_taken(tx, &user.email)? {
                return Err(StoreError::Duplicate { what: "account with this email" });
            }
            let department_id = user.department.as_deref().map(|d| department_id(tx, user.org_id, d, user.now)).transpose()?;
            let id = Uuid::now_v7();
            tx.prepare_cached(
                "INSERT INTO users (id, org_id, department_id, email, name, search_name, role, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                id.to_string(),
                user.org_id.to_string(),
                department_id.map(|d| d.to_string()),
                user.email,
                user.name,
                search_key(&user.name),
                user.role.as_str(),
                user.password_hash,
                user.now
            ])?;
            user_by_id(tx, id)?.ok_or(StoreError::NotFound { what: "account just created" })
        })
        .await
    }

    async fn credentials(&self, email: &str) -> StoreResult<Option<Credentials>> {
        let email = email.to_string();
        self.read(move |c| {
            Ok(c.prepare_cached("SELECT id, role, password_hash, deactivated_at FROM users WHERE email = ?1")?
                .query_row(params![email], |r| {
                    Ok(Credentials {
                        user_id: uuid_at(r, "id")?,
                        role: role_at(r, "role")?,
                        password_hash: r.get("password_hash")?,
                        deactivated: r.get::<_, Option<Millis>>("deactivated_at")?.is_some(),
                    })
                })
                .optional()?)
        })
        .await
    }

    async fn login_failures(&self, keys: &[String], since: Millis) -> StoreResult<Vec<FailureWindow>> {
        let keys = keys.to_vec();
        self.read(move |c| {
            let mut stmt =
                c.prepare_cached("SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failures WHERE key = ?1 AND at > ?2")?;
            keys.iter()
                .map(|k| {
                    Ok(stmt.query_row(params![k, since], |r| {
                        Ok(FailureWindow { count: r.get::<_, i64>("n")? as u32, oldest: r.get("oldest")? })
                    })?)
                })
                .collect()
        })
        .await
    }

    async fn record_login_failure(&self, keys: &[String], at: Millis, forget_before: Millis) -> StoreResult<()> {
        let keys = keys.to_vec();
        self.write(move |tx| {
            for k in &keys {
                tx.prepare_cached("DELETE FROM login_failures WHERE key = ?1 AND at <= ?2")?
                    .execute(params![k, forget_before])?;
                tx.prepare_cached("INSERT INTO login_failures (key, at) VALUES (?1, ?2)")?.execute(params![k, at])?;
            }
            Ok(())
        })
        .await
    }

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        let key = key.to_string();
        self.write(move |tx| {
            tx.prepare_cached("DELETE FROM login_failures WHERE key = ?1")?.execute(params![key])?;
            Ok(())
        })
        .await
    }

    async fn open_session(&self, user_id: Uuid, session: NewSession) -> StoreResult<SessionOutcome> {
        self.write(move |tx| open_session_in(tx, user_id, &session)).await
    }

    async fn authenticate(&self, access_hash: [u8; 32]) -> StoreResult<Option<AuthContext>> {
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT u.id AS user_id, u.org_id, u.role, d.id AS device_id, dep.name AS department, t.expires_at
                 FROM access_tokens t
                 JOIN devices d ON d.id = t.device_id
                 JOIN users u ON u.id = d.user_id
                 LEFT JOIN departments dep ON dep.id = u.department_id
                 WHERE t.token_hash = ?1 AND d.revoked_at IS NULL AND u.deactivated_at IS NULL",
            )?
            .query_row(params![&access_hash[..]], |r| {
                Ok(AuthContext {
                    user_id: uuid_at(r, "user_id")?,
                    org_id: uuid_at(r, "org_id")?,
                    role: role_at(r, "role")?,
                    device_id: uuid_at(r, "device_id")?,
                    department: r.get("department")?,
                    expires_at: r.get("expires_at")?,
                })
            })
            .optional()?)
        })
        .await
    }

    async fn rotate_refresh(
        &self,
        old_hash: [u8; 32],
        access: IssuedToken,
        refresh: IssuedToken,
        now: Millis,
        reuse_grace_ms: Millis,
    ) -> StoreResult<RefreshOutcome> {
        self.write(move |tx| {
            let found = tx
                .prepare_cached(
                    "SELECT r.device_id, r.expires_at, r.used_at, d.revoked_at, d.user_id, u.role
                     FROM refresh_tokens r JOIN devices d ON d.id = r.device_id JOIN users u ON u.id = d.user_id
                     WHERE r.token_hash = ?1",
                )?
                .query_row(params![&old_hash[..]], |r| {
                    Ok((
                        r.get::<_, String>("device_id")?,
                        r.get::<_, Millis>("expires_at")?,
                        r.get::<_, Option<Millis>>("used_at")?,
                        r.get::<_, Option<Millis>>("revoked_at")?,
                        uuid_at(r, "user_id")?,
                        role_at(r, "role")?,
                    ))
                })
                .optional()?;
            let Some((device_id, expires_at, used_at, revoked_at, user_id, role)) = found else {
                return Ok(RefreshOutcome::Unknown);
            };
            if revoked_at.is_some() {
                return Ok(RefreshOutcome::Unknown);
            }
            if let Some(used_at) = used_at {
                // The device's answer to its last refresh may have been lost: the same token comes
                // back at once, and the pair it was exchanged for was never used. Then the unused
                // successor goes and a new pair is issued.
                let spent_since: i64 = tx
                    .prepare_cached(
                        "SELECT COUNT(*) FROM refresh_tokens WHERE device_id = ?1 AND used_at >= ?2 AND token_hash <> ?3",
                    )?
                    .query_row(params![device_id, used_at, &old_hash[..]], |r| r.get(0))?;
                let successor_unused: bool = tx
                    .prepare_cached("SELECT COUNT(*) = 1 FROM refresh_tokens WHERE device_id = ?1 AND used_at IS NULL")?
                    .query_row(params![device_id], |r| r.get(0))?;
                let retry = now - used_at < reuse_grace_ms && spent_since == 0 && successor_unused;
                if !retry {
                    // Someone replays a spent token: the thief or the owner, we cannot tell which,
                    // so the whole session of the device ends and its owner logs in again.
                    revoke_device_in(tx, &device_id, now)?;
                    return Ok(RefreshOutcome::Reused);
                }
                tx.prepare_cached("DELETE FROM refresh_tokens WHERE device_id = ?1 AND used_at IS NULL")?.execute(params![device_id])?;
                if expires_at <= now {
                    return Ok(RefreshOutcome::Expired);
                }
                insert_tokens(tx, &device_id, access, refresh)?;
                let device_id = device_id.parse().map_err(|_| StoreError::Corrupt(format!("device id '{device_id}'")))?;
                return Ok(RefreshOutcome::Rotated { user_id, device_id, role });
            }
            if expires_at <= now {
                return Ok(RefreshOutcome::Expired);
            }
            tx.prepare_cached("UPDATE refresh_tokens SET used_at = ?2 WHERE token_hash = ?1")?
                .execute(params![&old_hash[..], now])?;
            // Forget what can no longer be presented, so the token tables stay small.
            tx.prepare_cached("DELETE FROM access_tokens WHERE device_id = ?1 AND expires_at <= ?2")?
                .execute(params![device_id, now])?;
            tx.prepare_cached("DELETE FROM refresh_tokens WHERE device_id = ?1 AND expires_at <= ?2")?
                .execute(params![device_id, now])?;
            insert_tokens(tx, &device_id, access, refresh)?;
            let device_id = device_id.parse().map_err(|_| StoreError::Corrupt(format!("device id '{device_id}'")))?;
            Ok(RefreshOutcome::Rotated { user_id, device_id, role })
        })
        .await
    }

    async fn device(&self, id: Uuid) -> StoreResult<Option<Device>> {
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT d.id, d.user_id, u.org_id, d.name, d.revoked_at FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = ?1",
            )?
            .query_row(params![id.to_string()], |r| {
                Ok(Device {
                    id: uuid_at(r, "id")?,
                    user_id: uuid_at(r, "user_id")?,
                    org_id: uuid_at(r, "org_id")?,
                    name: r.get("name")?,
                    revoked: r.get::<_, Option<Millis>>("revoked_at")?.is_some(),
                })
            })
            .optional()?)
        })
        .await
    }

    async fn revoke_device(&self, id: Uuid, now: Millis) -> StoreResult<bool> {
        self.write(move |tx| revoke_device_in(tx, &id.to_string(), now)).await
    }

    async fn create_invitation(&self, inv: NewInvitation) -> StoreResult<()> {
        self.write(move |tx| {
            let department_id = inv.department.as_deref().map(|d| department_id(tx, inv.org_id, d, inv.now)).transpose()?;
            tx.prepare_cached(
                "INSERT INTO invitations (code_hash, org_id, email, role, department_id, created_by, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                &inv.code_hash[..],
                inv.org_id.to_string(),
                inv.email,
                inv.role.as_str(),
                department_id.map(|d| d.to_string()),
                inv.created_by.to_string(),
                inv.now,
                inv.expires_at
            ])?;
            Ok(())
        })
        .await
    }

    async fn redeem_invitation(&self, reg: Registration) -> StoreResult<RedeemOutcome> {
        self.write(move |tx| {
            let found = tx
                .prepare_cached(
                    "SELECT org_id, email, role, department_id, expires_at, used_at FROM invitations WHERE code_hash = ?1",
                )?
                .query_row(params![&reg.code_hash[..]], |r| {
                    Ok((
                        r.get::<_, String>("org_id")?,
                        r.get::<_, String>("email")?,
                        r.get::<_, String>("role")?,
                        r.get::<_, Option<String>>("department_id")?,
                        r.get::<_, Millis>("expires_at")?,
                        r.get::<_, Option<Millis>>("used_at")?,
                    ))
                })
                .optional()?;
            let Some((org_id, email, role, department_id, expires_at, used_at)) = found else {
                return Ok(RedeemOutcome::NotFound);
            };
            let now = reg.session.now;
            if used_at.is_some() {
                return Ok(RedeemOutcome::Used);
            }
            if expires_at <= now {
                return Ok(RedeemOutcome::Expired);
            }
            if email != reg.email {
                return Ok(RedeemOutcome::EmailMismatch);
            }
            // An account an admin created ahead (no password yet) is completed, not duplicated.
            let existing = tx
                .prepare_cached("SELECT id, org_id, password_hash, deactivated_at FROM users WHERE email = ?1")?
                .query_row(params![email], |r| {
                    Ok((
                        uuid_at(r, "id")?,
                        r.get::<_, String>("org_id")?,
                        r.get::<_, String>("password_hash")?,
                        r.get::<_, Option<Millis>>("deactivated_at")?,
                    ))
                })
                .optional()?;
            let precreated = match existing {
                Some((id, user_org, hash, deactivated)) if user_org == org_id && hash.is_empty() => {
                    if deactivated.is_some() {
                        return Ok(RedeemOutcome::Deactivated);
                    }
                    Some(id)
                }
                Some(_) => return Ok(RedeemOutcome::EmailTaken),
                None => None,
            };
            if device_owner(tx, reg.session.device_id)?.is_some() {
                return Ok(RedeemOutcome::DeviceTaken);
            }
            let user_id = match precreated {
                Some(id) => {
                    // Role and department stay as the admin last set them.
                    tx.prepare_cached("UPDATE users SET name = ?2, search_name = ?3, password_hash = ?4 WHERE id = ?1")?
                        .execute(params![id.to_string(), reg.name, search_key(&reg.name), reg.password_hash])?;
                    id
                }
                None => {
                    let user_id = Uuid::now_v7();
                    tx.prepare_cached(
                        "INSERT INTO users (id, org_id, department_id, email, name, search_name, role, password_hash, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    )?
                    .execute(params![
                        user_id.to_string(),
                        org_id,
                        department_id,
                        email,
                        reg.name,
                        search_key(&reg.name),
                        role,
                        reg.password_hash,
                        now
                    ])?;
                    user_id
                }
            };
            tx.prepare_cached("UPDATE invitations SET used_at = ?2, used_by = ?3 WHERE code_hash = ?1")?.execute(params![
                &reg.code_hash[..],
                now,
                user_id.to_string()
            ])?;
            open_session_in(tx, user_id, &reg.session)?;
            let user = user_by_id(tx, user_id)?.ok_or(StoreError::NotFound { what: "account just created" })?;
            Ok(RedeemOutcome::Registered(user))
        })
        .await
    }

    async fn push(&self, scope: SyncScope, changes: Vec<Change>, now: Millis) -> StoreResult<PushOutcome> {
        self.write(move |tx| {
            let org_id = scope.org_id.to_string();
            let user_id = scope.user_id.to_string();
            let device_id = scope.device_id.to_string();
            // First pass, before any write: find what is already held and any id conflict, so a
            // conflicting batch changes nothing.
            let mut first_index = std::collections::HashMap::with_capacity(changes.len());
            let mut is_new = Vec::with_capacity(changes.len());
            for (i, c) in changes.iter().enumerate() {
                if let Some(&j) = first_index.get(&c.id) {
                    if changes[j] != *c {
                        return Ok(PushOutcome::Conflict { index: i });
                    }
                    is_new.push(false);
                    continue;
                }
                first_index.insert(c.id, i);
                match held_change_matches(tx, &scope, c)? {
                    Some(false) => return Ok(PushOutcome::Conflict { index: i }),
                    Some(true) => is_new.push(false),
                    None => is_new.push(true),
                }
            }
            // What the applied changes touch, to recompute the person's statistics in this
            // same transaction (see `aggregates`).
            let mut touched = aggregates::Touched::default();
            for (c, _) in changes.iter().zip(&is_new).filter(|(_, new)| **new) {
                let current = user_record_hlc(tx, &user_id, c)?;
                let applies = current.as_deref().is_none_or(|h| incoming_wins(&c.hlc, h));
                let payload = c.payload.to_string();
                if applies {
                    touched.note(tx, &user_id, c)?;
                    let seq = next_seq(tx, &org_id)?;
                    put_user_record(tx, &org_id, &user_id, c, &c.hlc, &payload, seq)?;
                }
                tx.prepare_cached(
                    "INSERT INTO changes (id, org_id, user_id, device_id, entity, record_id, op, hlc, payload, received_at, applied)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )?
                .execute(params![
                    c.id.to_string(),
                    org_id,
                    user_id,
                    device_id,
                    c.entity.as_str(),
                    c.record_id,
                    c.op.as_str(),
                    c.hlc,
                    payload,
                    now,
                    applies
                ])?;
            }
            touched.apply(tx, &org_id, &user_id)?;
            let mut seen = std::collections::HashSet::with_capacity(changes.len());
            Ok(PushOutcome::Acked(changes.iter().map(|c| c.id).filter(|id| seen.insert(*id)).collect()))
        })
        .await
    }

    async fn pull(&self, scope: SyncScope, since: u64, limit: u32) -> StoreResult<PullPage> {
        self.read(move |c| {
            // One statement, so one snapshot: the person's records and the organisation's, merged
            // in the organisation's sequence order (both tables share its counter).
            let mut stmt = c.prepare_cached(
                "SELECT change_id, entity, record_id, op, hlc, payload, seq FROM records
                 WHERE user_id = ?1 AND org_id = ?2 AND seq > ?3
                 UNION ALL
                 SELECT change_id, entity, record_id, op, hlc, payload, seq FROM org_records
                 WHERE org_id = ?2 AND seq > ?3
                 ORDER BY seq LIMIT ?4",
            )?;
            let since_i = i64::try_from(since).unwrap_or(i64::MAX);
            let rows = stmt
                .query_map(params![scope.user_id.to_string(), scope.org_id.to_string(), since_i, i64::from(limit) + 1], |r| {
                    Ok((change_at(r)?, r.get::<_, i64>("seq")?))
                })?;
            let mut page = rows.collect::<Result<Vec<_>, _>>()?;
            let has_more = page.len() > limit as usize;
            page.truncate(limit as usize);
            let next = page.last().map_or(since, |(_, seq)| *seq as u64);
            Ok(PullPage { changes: page.into_iter().map(|(c, _)| c).collect(), next, has_more })
        })
        .await
    }

    async fn write_server_record(&self, write: ServerWrite) -> StoreResult<ServerWriteOutcome> {
        self.write(move |tx| {
            let owner = match write.owner {
                RecordOwner::User(id) => Some(id.to_string()),
                RecordOwner::Org => None,
            };
            let author = write.author_id.map(|a| a.to_string());
            write_server_in(
                tx,
                &write.org_id.to_string(),
                owner.as_deref(),
                author.as_deref(),
                &write.change,
                write.create_only,
                write.now,
            )
        })
        .await
    }

    async fn org_record(&self, org_id: Uuid, entity: Entity, record_id: &str) -> StoreResult<Option<Change>> {
        let record_id = record_id.to_string();
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT change_id, entity, record_id, op, hlc, payload FROM org_records
                 WHERE org_id = ?1 AND entity = ?2 AND record_id = ?3",
            )?
            .query_row(params![org_id.to_string(), entity.as_str(), record_id], change_at)
            .optional()?)
        })
        .await
    }
}
