//! The process around the API: health, graceful shutdown that finishes in-flight requests,
//! and the `qamqor-server` binary's commands and signals.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use qamqor_protocol::{AuthTokens, Change, Entity, PullResponse, Role, PROTOCOL_HEADER};
use qamqor_server::accounts::{self, AddUser};
use qamqor_server::store::sqlite::SqliteStore;
use qamqor_server::store::{
    AuthContext, Credentials, Department, Device, FailureWindow, IssuedToken, Member, Millis, NewInvitation, NewOrg, NewSession, NewUser,
    Org, PullPage, PushOutcome, RedeemOutcome, RefreshOutcome, Registration, ServerWrite, ServerWriteOutcome, SessionOutcome,
    Store, StoreResult, SyncScope, User,
};
use qamqor_server::{app, AppState, ManualClock, Settings};
use serde_json::json;
use tokio::sync::Notify;
use tower::ServiceExt;
use uuid::Uuid;

#[tokio::test]
async fn healthz_through_the_router_and_the_socket() {
    let dir = tempfile::TempDir::new().unwrap();
    let state = AppState {
        store: Arc::new(SqliteStore::open_dir(dir.path()).unwrap()),
        clock: Arc::new(ManualClock::new(NOW)),
        settings: Arc::new(Settings::default()),
    };
    let r = app(state).oneshot(Request::get("/healthz").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let s = TestServer::start().await;
    let r = s.http.get(format!("{}/healthz", s.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap(), serde_json::json!({"status": "ok"}));
}

/// The SQLite store, except that `pull` announces it has started and then waits to be
/// released: a request that is provably in flight inside a handler.
struct GatedStore {
    inner: SqliteStore,
    entered: Arc<Notify>,
    release: Arc<Notify>,
}

#[async_trait]
impl Store for GatedStore {
    async fn create_org(&self, org: NewOrg) -> StoreResult<Org> {
        self.inner.create_org(org).await
    }
    async fn ensure_department(&self, org_id: Uuid, parent_id: Option<Uuid>, name: &str, now: Millis) -> StoreResult<Department> {
        self.inner.ensure_department(org_id, parent_id, name, now).await
    }
    async fn set_user_department(&self, user_id: Uuid, department_id: Option<Uuid>) -> StoreResult<bool> {
        self.inner.set_user_department(user_id, department_id).await
    }
    async fn set_account_dates(&self, user_id: Uuid, created_at: Millis, activated_at: Option<Millis>) -> StoreResult<bool> {
        self.inner.set_account_dates(user_id, created_at, activated_at).await
    }
    async fn member(&self, user_id: Uuid) -> StoreResult<Option<Member>> {
        self.inner.member(user_id).await
    }
    async fn department_within(&self, department: Uuid, ancestor: Uuid) -> StoreResult<bool> {
        self.inner.department_within(department, ancestor).await
    }
    async fn org_by_name(&self, name: &str) -> StoreResult<Option<Org>> {
        self.inner.org_by_name(name).await
    }
    async fn create_user(&self, user: NewUser) -> StoreResult<User> {
        self.inner.create_user(user).await
    }
    async fn credentials(&self, email: &str) -> StoreResult<Option<Credentials>> {
        self.inner.credentials(email).await
    }
    async fn login_failures(&self, keys: &[String], since: Millis) -> StoreResult<Vec<FailureWindow>> {
        self.inner.login_failures(keys, since).await
    }
    async fn record_login_failure(&self, keys: &[String], at: Millis, forget_before: Millis) -> StoreResult<()> {
        self.inner.record_login_failure(keys, at, forget_before).await
    }
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        self.inner.clear_login_failures(key).await
    }
    async fn open_session(&self, user_id: Uuid, session: NewSession) -> StoreResult<SessionOutcome> {
        self.inner.open_session(user_id, session).await
    }
    async fn authenticate(&self, access_hash: [u8; 32]) -> StoreResult<Option<AuthContext>> {
        self.inner.authenticate(access_hash).await
    }
    async fn rotate_refresh(
        &self,
        old_hash: [u8; 32],
        access: IssuedToken,
        refresh: IssuedToken,
        now: Millis,
        reuse_grace_ms: Millis,
    ) -> StoreResult<RefreshOutcome> {
        self.inner.rotate_refresh(old_hash, access, refresh, now, reuse_grace_ms).await
    }
    async fn device(&self, id: Uuid) -> StoreResult<Option<Device>> {
        self.inner.device(id).await
    }
    async fn revoke_device(&self, id: Uuid, now: Millis) -> StoreResult<bool> {
        self.inner.revoke_device(id, now).await
    }
    async fn create_invitation(&self, invitation: NewInvitation) -> StoreResult<()> {
        self.inner.create_invitation(invitation).await
    }
    async fn redeem_invitation(&self, registration: Registration) -> StoreResult<RedeemOutcome> {
        self.inner.redeem_invitation(registration).await
    }
    async fn push(&self, scope: SyncScope, changes: Vec<Change>, now: Millis) -> StoreResult<PushOutcome> {
        self.inner.push(scope, changes, now).await
    }
    async fn pull(&self, scope: SyncScope, since: u64, limit: u32) -> StoreResult<PullPage> {
        self.entered.notify_one();
        self.release.notified().await;
        self.inner.pull(scope, since, limit).await
    }
    async fn write_server_record(&self, write: ServerWrite) -> StoreResult<ServerWriteOutcome> {
        self.inner.write_server_record(write).await
    }
    async fn org_record(&self, org_id: Uuid, entity: Entity, record_id: &str) -> StoreResult<Option<Change>> {
        self.inner.org_record(org_id, entity, record_id).await
    }
}

#[tokio::test]
async fn shutdown_finishes_the_request_in_flight() {
    let dir = tempfile::TempDir::new().unwrap();
    let (entered, release) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
    let store = Arc::new(GatedStore {
        inner: SqliteStore::open_dir(dir.path()).unwrap(),
        entered: entered.clone(),
        release: release.clone(),
    });
    accounts::create_org(store.as_ref(), "Acme", NOW).await.unwrap();
    let user = AddUser {
        org: "Acme".into(),
        email: "a@acme.kz".into(),
        name: "A".into(),
        role: Role::Employee,
        department: None,
        password: PASSWORD.into(),
    };
    accounts::add_user(store.as_ref(), user, NOW).await.unwrap();
    let state = AppState { store, clock: Arc::new(ManualClock::new(NOW)), settings: Arc::new(Settings::default()) };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(qamqor_server::serve(listener, state, async {
        let _ = stopped.await;
    }));

    let http = reqwest::Client::new();
    let login = json!({"email": "a@acme.kz", "password": PASSWORD, "device_name": "phone"});
    let tokens: AuthTokens = http
        .post(format!("http://{addr}/api/v1/auth/login"))
        .header(PROTOCOL_HEADER, "1")
        .json(&login)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let in_flight = tokio::spawn(
        http.get(format!("http://{addr}/api/v1/sync/pull")).header(PROTOCOL_HEADER, "1").bearer_auth(tokens.access_token).send(),
    );
    entered.notified().await;

    // Shutdown starts while the pull is inside its handler: the listener closes at once ...
    stop.send(()).unwrap();
    let mut closed = false;
    for _ in 0..10_000 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            closed = true;
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(closed, "the listener should stop accepting after shutdown");
    assert!(!server.is_finished(), "the server must wait for the request in flight");

    // ... and the request in flight still gets its full answer before the server exits.
    release.notify_one();
    let response = in_flight.await.unwrap().unwrap();
    assert_eq!(response.status(), 200);
    let page: PullResponse = response.json().await.unwrap();
    let entities: Vec<Entity> = page.changes.iter().map(|c| c.entity).collect();
    assert_eq!(entities, vec![Entity::OrgSettings], "a new member's first pull is their organisation's settings");
    server.await.unwrap().unwrap();
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_qamqor-server"))
}

#[test]
fn admin_commands_create_organisations_and_accounts() {
    let dir = tempfile::TempDir::new().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = bin().args(["--data-dir", data, "org", "create", "--name", "Acme"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created organisation 'Acme'"));

    let out = bin().args(["org", "create", "--name", "Acme"]).env("QAMQOR_DATA_DIR", data).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));

    let add = |email: &str, password: &str| {
        let mut child = bin()
            .args(["user", "add", "--data-dir", data, "--org", "Acme", "--email", email, "--name", "Aigerim"])
            .args(["--role", "manager", "--department", "Sales"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let out = add("Aigerim@Acme.kz", PASSWORD);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created manager account aigerim@acme.kz"));

    let out = add("short@acme.kz", "short");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("password"));
    let out = add("aigerim@acme.kz", PASSWORD);
    assert_eq!(out.status.code(), Some(2), "the same email twice");
}

#[test]
fn serve_listens_logs_json_and_stops_on_sigterm() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut child = bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .env("QAMQOR_DATA_DIR", dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("the server exited before listening").unwrap();
        let log: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("not a JSON log line: {line}"));
        if let Some(addr) = log["fields"]["addr"].as_str() {
            break addr.to_string();
        }
    };
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut conn, &mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "SIGTERM is a clean shutdown: {status:?}");
}
