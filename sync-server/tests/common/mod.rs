//! A real server on 127.0.0.1:0 with a manual clock, and a real HTTP client.

#![allow(dead_code)]

pub mod world;

use std::sync::Arc;

use qamqor_protocol::{AuthTokens, Change, Entity, ErrorBody, Op, PullResponse, Role, PROTOCOL_HEADER};
use qamqor_server::accounts::{self, AddUser};
use qamqor_server::store::sqlite::SqliteStore;
use qamqor_server::store::{Org, Store, User};
use qamqor_server::{AppState, ManualClock, Settings};
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// 2025-01-01T00:00:00Z, the tests' "now".
pub const NOW: i64 = 1_735_689_600_000;
pub const PASSWORD: &str = "correct horse battery staple";
pub const MINUTE: i64 = 60_000;

pub struct TestServer {
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub store: Arc<SqliteStore>,
    pub http: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    pub handle: Option<JoinHandle<std::io::Result<()>>>,
    _dir: TempDir,
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(Settings::default()).await
    }

    pub async fn start_with(settings: Settings) -> TestServer {
        let dir = TempDir::new().unwrap();
        let store = Arc::new(SqliteStore::open_dir(dir.path()).unwrap());
        let clock = Arc::new(ManualClock::new(NOW));
        let state = AppState { store: store.clone(), clock: clock.clone(), settings: Arc::new(settings) };
        // Bind first, then serve: the address is known and accepting before any request.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(qamqor_server::serve(listener, state, async {
            let _ = rx.await;
        }));
        TestServer { base, clock, store, http: reqwest::Client::new(), shutdown: Some(tx), handle: Some(handle), _dir: dir }
    }

    pub fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_string()
    }

    /// Signals graceful shutdown.
    pub fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    pub async fn org(&self, name: &str) -> Org {
        accounts::create_org(self.store.as_ref() as &dyn Store, name, NOW).await.unwrap()
    }

    pub async fn user(&self, org: &str, email: &str, role: Role, department: Option<&str>) -> User {
        let new = AddUser {
            org: org.into(),
            email: email.into(),
            name: format!("Person {email}"),
            role,
            department: department.map(str::to_string),
            password: PASSWORD.into(),
        };
        accounts::add_user(self.store.as_ref() as &dyn Store, new, NOW).await.unwrap()
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.post(format!("{}{path}", self.base)).header(PROTOCOL_HEADER, "1")
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.get(format!("{}{path}", self.base)).header(PROTOCOL_HEADER, "1")
    }

    pub fn delete(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.delete(format!("{}{path}", self.base)).header(PROTOCOL_HEADER, "1")
    }

    pub async fn try_login(&self, email: &str, password: &str, device_id: Option<Uuid>) -> reqwest::Response {
        let mut body = serde_json::json!({"email": email, "password": password, "device_name": "test phone"});
        if let Some(id) = device_id {
            body["device_id"] = serde_json::json!(id);
        }
        self.post("/api/v1/auth/login").json(&body).send().await.unwrap()
    }

    pub async fn login(&self, email: &str) -> AuthTokens {
        let r = self.try_login(email, PASSWORD, None).await;
        assert_eq!(r.status(), 200, "login of {email}");
        r.json().await.unwrap()
    }

    pub async fn push(&self, token: &str, changes: &[Change]) -> reqwest::Response {
        self.post("/api/v1/sync/push").bearer_auth(token).json(&serde_json::json!({"changes": changes})).send().await.unwrap()
    }

    pub async fn pull(&self, token: &str, since: u64, limit: u32) -> PullResponse {
        let r = self.get(&format!("/api/v1/sync/pull?since={since}&limit={limit}")).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    /// Everything visible to the token's user, following the cursor to the end.
    pub async fn pull_all(&self, token: &str) -> Vec<Change> {
        let (mut since, mut all) = (0, Vec::new());
        loop {
            let page = self.pull(token, since, 1000).await;
            all.extend(page.changes);
            since = page.next;
            if !page.has_more {
                return all;
            }
        }
    }

    /// What the token's user owns (their records from all devices, tasks and feedback for
    /// them), without the organisation-wide records every member also pulls.
    pub async fn pull_personal(&self, token: &str) -> Vec<Change> {
        personal(self.pull_all(token).await)
    }

    /// The database file, for tests that set up what the API cannot yet (department trees).
    pub fn db_path(&self) -> std::path::PathBuf {
        self._dir.path().join(qamqor_server::store::sqlite::DB_FILE)
    }
}

/// The changes of records owned by one person (not organisation-wide ones).
pub fn personal(changes: Vec<Change>) -> Vec<Change> {
    changes.into_iter().filter(|c| !c.entity.is_org_wide()).collect()
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Status and error body of a response.
pub async fn error_of(r: reqwest::Response) -> (u16, ErrorBody) {
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not an ErrorBody ({e}): {text}"));
    (status, body)
}

/// An HLC stamp at `ms` Unix milliseconds from node `node` (lowercase hex, no leading zero).
pub fn hlc(ms: i64, node: &str) -> String {
    let secs = (ms / 1000) as u64;
    let frac = (((ms % 1000) as u64) << 32) / 1000;
    format!("{:016x}-{node}", (secs << 32) | frac)
}

pub fn upsert(entity: Entity, record_id: &str, hlc: &str, payload: Value) -> Change {
    Change { id: Uuid::now_v7(), entity, record_id: record_id.into(), op: Op::Upsert, hlc: hlc.into(), payload }
}

pub fn tombstone(entity: Entity, record_id: &str, hlc: &str) -> Change {
    Change { id: Uuid::now_v7(), entity, record_id: record_id.into(), op: Op::Delete, hlc: hlc.into(), payload: Value::Null }
}

/// The cells of the first sheet of an xlsx file, as text.
pub fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}
