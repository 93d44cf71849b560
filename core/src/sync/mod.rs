//! The device's sync client: sign-in, then push of the outbox and pull of what the person may
//! see, with retries, progress, cancellation and a status the apps show. The protocol is
//! `docs/SYNC_PROTOCOL.md`; the wire types are `qamqor-protocol`.
//!
//! Everything works without it: sync is a background convergence step. A change leaves the
//! outbox only once the server acknowledged it; a pulled page and its cursor are applied in one
//! transaction ([`Store::apply_pulled`]). Calls block: apps run them off the main thread.

mod apply;
mod http;

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{Error, InvalidReason, Result};
use crate::storage::{dao, sync_dao};
use crate::store::Store;
use http::Http;
use qamqor_protocol::{
    AuthTokens, LoginRequest, PushRequest, PushResponse, RefreshRequest, RegisterRequest,
    MAX_PUSH_CHANGES,
};

pub use apply::ApplyOutcome;
pub use qamqor_protocol::Role;

/// Why a sync or sign-in did not complete. Each variant is something a UI can act on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyncError {
    /// The device is not signed in (or was signed out): show the sign-in screen.
    #[error("not signed in: sign in to sync")]
    NotSignedIn,
    /// The server could not be reached, did not answer in time, or the answer was cut off.
    /// Nothing is lost; try again later.
    #[error("network: {detail}")]
    Network { detail: String },
    /// The server refused the request or failed; `code` is the protocol's machine-readable code.
    #[error("the server answered {status} {code}: {message}")]
    Server { status: u16, code: String, message: String, field: Option<String>, retry_after_seconds: Option<u64> },
    /// The access token expired (handled inside the client by refreshing).
    #[error("the access token expired")]
    TokenExpired,
    /// The session is over (expired, revoked, signed out elsewhere): sign in again. Local data
    /// and unsent changes are kept.
    #[error("the session ended ({code}): {message}; sign in again")]
    SessionEnded { code: String, message: String },
    /// Sign-in refused: wrong email or password.
    #[error("wrong email or password")]
    WrongCredentials,
    /// The server speaks a newer protocol: update the app.
    #[error("update the app: {message}")]
    UpgradeRequired { message: String },
    /// The server's answer could not be understood.
    #[error("unexpected answer: {detail}")]
    Protocol { detail: String },
    /// The sync was cancelled; what completed before stays done.
    #[error("cancelled")]
    Cancelled,
    /// This device holds another person's data: it cannot sign in as someone else.
    #[error("this device holds the data of another account ({current}); export it and reinstall to sign in as {requested}")]
    AccountMismatch { current: String, requested: String },
}

/// What a failed sync or sign-in needs from the person: the one mapping of errors and of the
/// codes the status keeps to something a UI acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncErrorKind {
    /// Show sign-in.
    NotSignedIn,
    /// Offline or unreachable: nothing is lost, retry later.
    Network,
    /// The server refused or failed (its code says why).
    Server,
    /// The session ended: sign in again (local data is kept).
    SessionEnded,
    /// Wrong email or password.
    WrongCredentials,
    /// The app must be updated to talk to this server.
    UpgradeRequired,
    /// The server's answer was not understood.
    Protocol,
    /// Cancelled by the app.
    Cancelled,
    /// This device holds another account's data.
    AccountMismatch,
    /// The device's database failed during the sync (only in the status: a call fails with a
    /// storage error instead).
    Storage,
}

/// The code the status keeps when the sync failed on the device's database.
pub const STORAGE_ERROR_CODE: &str = "storage";

impl SyncErrorKind {
    /// The kind of a code the status keeps ([`SyncError::code`] or [`STORAGE_ERROR_CODE`]);
    /// any other code is the server's own.
    pub fn of_code(code: &str) -> SyncErrorKind {
        match code {
            "not_signed_in" => SyncErrorKind::NotSignedIn,
            "network" => SyncErrorKind::Network,
            "token_expired" | "session_ended" => SyncErrorKind::SessionEnded,
            "wrong_credentials" => SyncErrorKind::WrongCredentials,
            "upgrade_required" => SyncErrorKind::UpgradeRequired,
            "protocol" => SyncErrorKind::Protocol,
            "cancelled" => SyncErrorKind::Cancelled,
            "account_mismatch" => SyncErrorKind::AccountMismatch,
            STORAGE_ERROR_CODE => SyncErrorKind::Storage,
            _ => SyncErrorKind::Server,
        }
    }
}

impl SyncError {
    /// What the person has to do about it.
    pub fn kind(&self) -> SyncErrorKind {
        match self {
            SyncError::NotSignedIn => SyncErrorKind::NotSignedIn,
            SyncError::Network { .. } => SyncErrorKind::Network,
            SyncError::Server { .. } => SyncErrorKind::Server,
            SyncError::TokenExpired | SyncError::SessionEnded { .. } => SyncErrorKind::SessionEnded,
            SyncError::WrongCredentials => SyncErrorKind::WrongCredentials,
            SyncError::UpgradeRequired { .. } => SyncErrorKind::UpgradeRequired,
            SyncError::Protocol { .. } => SyncErrorKind::Protocol,
            SyncError::Cancelled => SyncErrorKind::Cancelled,
            SyncError::AccountMismatch { .. } => SyncErrorKind::AccountMismatch,
        }
    }

    /// Worth retrying as is: the network, a server failure, rate limiting. The sync loop retries
    /// these itself; the apps offer "try again" for them.
    pub fn is_retryable(&self) -> bool {
        match self {
            SyncError::Network { .. } => true,
            SyncError::Server { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            _ => false,
        }
    }

    /// The machine-readable code the status keeps.
    pub fn code(&self) -> String {
        match self {
            SyncError::NotSignedIn => "not_signed_in".into(),
            SyncError::Network { .. } => "network".into(),
            SyncError::Server { code, .. } if !code.is_empty() => code.clone(),
            SyncError::Server { status, .. } => format!("http_{status}"),
            SyncError::TokenExpired => "token_expired".into(),
            SyncError::SessionEnded { .. } => "session_ended".into(),
            SyncError::WrongCredentials => "wrong_credentials".into(),
            SyncError::UpgradeRequired { .. } => "upgrade_required".into(),
            SyncError::Protocol { .. } => "protocol".into(),
            SyncError::Cancelled => "cancelled".into(),
            SyncError::AccountMismatch { .. } => "account_mismatch".into(),
        }
    }
}

/// A page of `GET /api/v1/sync/pull` as this app reads it: [`qamqor_protocol::PullResponse`]
/// with each change left as JSON, so that a change of a record kind newer than the app does not
/// make the whole page unreadable ([`Store::apply_pulled_page`] keeps it aside).
#[derive(Debug, serde::Deserialize)]
struct PulledPage {
    changes: Vec<serde_json::Value>,
    next: u64,
    has_more: bool,
}

/// Retry and timeout policy.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// One request's time limit.
    pub request_timeout: Duration,
    /// Attempts per request before the sync gives up (at least 1).
    pub max_attempts: u32,
    /// First retry delay; doubled after each failure, with jitter.
    pub initial_backoff: Duration,
    /// Longest single delay; a server asking to wait longer ends the sync with its error.
    pub max_backoff: Duration,
    /// Changes per push (at most the protocol's limit).
    pub push_batch: usize,
    /// Changes per pull page.
    pub pull_limit: u32,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            request_timeout: Duration::from_secs(30),
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            push_batch: MAX_PUSH_CHANGES,
            pull_limit: 500,
        }
    }
}

/// What the sync is doing, for a progress indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncPhase {
    Pushing,
    Pulling,
    /// Waiting before a retry (`retry_in_ms`).
    WaitingToRetry,
}

/// One progress report.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncProgress {
    pub phase: SyncPhase,
    /// Changes acknowledged by the server so far in this sync.
    pub pushed: u64,
    /// Changes that were waiting when the sync started (plus any recorded meanwhile).
    pub to_push: u64,
    /// Changes pulled so far in this sync.
    pub pulled: u64,
    /// The attempt of the current request (1 for the first).
    pub attempt: u32,
    /// For [`SyncPhase::WaitingToRetry`], the delay in milliseconds.
    pub retry_in_ms: u64,
    /// For [`SyncPhase::WaitingToRetry`], the error being retried.
    pub last_error: Option<String>,
}

/// Receives progress reports. Called on the syncing thread; keep it quick.
pub trait SyncObserver: Send + Sync {
    fn on_progress(&self, progress: &SyncProgress);
}

/// An observer that ignores progress.
pub struct NoProgress;

impl SyncObserver for NoProgress {
    fn on_progress(&self, _: &SyncProgress) {}
}

/// Cancels a running sync from another thread: it stops before the next request or at once
/// while waiting to retry. A request in flight finishes (or times out) first; what it did stays.
#[derive(Clone, Default)]
pub struct CancelToken(Arc<(Mutex<bool>, Condvar)>);

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    pub fn cancel(&self) {
        let (flag, cv) = &*self.0;
        *flag.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cv.notify_all();
    }

    pub fn is_cancelled(&self) -> bool {
        *self.0 .0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sleeps up to `d`; returns true when cancelled meanwhile.
    fn sleep(&self, d: Duration) -> bool {
        let (flag, cv) = &*self.0;
        let guard = flag.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = cv.wait_timeout_while(guard, d, |cancelled| !*cancelled).unwrap_or_else(|e| e.into_inner());
        *guard
    }
}

/// The account this device is signed in with.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub server_url: String,
    pub email: String,
    pub user_id: String,
    pub role: Role,
    pub signed_in_at: DateTime<Utc>,
}

/// What one sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Changes the server acknowledged.
    pub pushed: u64,
    /// Changes pulled.
    pub pulled: u64,
    /// Of those, how many changed this device's data / were already here / were rejected.
    pub applied: ApplyOutcome,
    /// The cursor after the sync.
    pub cursor: u64,
}

/// The sync state the apps show: never blocking, always available offline.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncStatus {
    pub account: Option<Account>,
    /// False when signed out (or never signed in); the account stays known for signing in again.
    pub signed_in: bool,
    /// Changes recorded on this device and not yet acknowledged by the server.
    pub pending_changes: u64,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The last attempt's error, if it failed: its code, its kind and a message.
    pub last_error_code: Option<String>,
    pub last_error_kind: Option<SyncErrorKind>,
    pub last_error: Option<String>,
    /// Pulled changes this device could not apply (kept aside with the reason).
    pub rejected_changes: u64,
    pub cursor: u64,
}

const LAST_SUCCESS: &str = "sync_last_success_at";
const LAST_ATTEMPT: &str = "sync_last_attempt_at";
const LAST_ERROR: &str = "sync_last_error";
const LAST_ERROR_CODE: &str = "sync_last_error_code";
/// Refresh the access token this long before it expires.
const REFRESH_MARGIN: chrono::Duration = chrono::Duration::seconds(60);

/// The sync client of one device store.
pub struct Syncer {
    store: Arc<Store>,
    settings: SyncSettings,
    http: Mutex<Option<Arc<Http>>>,
    /// One sync at a time per device: a second caller waits for the first to finish.
    running: Mutex<()>,
}

impl Syncer {
    pub fn new(store: Arc<Store>) -> Syncer {
        Syncer::with_settings(store, SyncSettings::default())
    }

    pub fn with_settings(store: Arc<Store>, settings: SyncSettings) -> Syncer {
        Syncer { store, settings, http: Mutex::new(None), running: Mutex::new(()) }
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The HTTP client, created on first use (it starts a background thread).
    fn http(&self) -> std::result::Result<Arc<Http>, SyncError> {
        let mut slot = self.http.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(h) = slot.as_ref() {
            return Ok(h.clone());
        }
        let h = Arc::new(Http::new(self.settings.request_timeout)?);
        *slot = Some(h.clone());
        Ok(h)
    }

    // ---- sign-in --------------------------------------------------------------------------

    /// Signs in with email and password; the device keeps its own id on the server.
    pub fn login(&self, server_url: &str, email: &str, password: &str, device_name: &str) -> Result<Account> {
        let base = normalise_url(server_url)?;
        self.refuse_another_account(email)?;
        let request = LoginRequest {
            email: email.trim().to_string(),
            password: password.to_string(),
            device_name: device_name_or_default(device_name),
            device_id: self.device_uuid(),
        };
        let http = self.http()?;
        // One attempt: the person is waiting and can tap again; a failure says why at once.
        let tokens: AuthTokens = http
            .post(&format!("{base}/api/v1/auth/login"), None, &request)
            .map_err(|e| match e {
                SyncError::SessionEnded { .. } => SyncError::WrongCredentials,
                e => e,
            })?;
        self.save_tokens(&base, &request.email, tokens)
    }

    /// Creates the account from an invitation code and signs in.
    pub fn register(&self, server_url: &str, code: &str, email: &str, name: &str, password: &str, device_name: &str) -> Result<Account> {
        let base = normalise_url(server_url)?;
        self.refuse_another_account(email)?;
        let request = RegisterRequest {
            code: code.trim().to_string(),
            email: email.trim().to_string(),
            name: name.trim().to_string(),
            password: password.to_string(),
            device_name: device_name_or_default(device_name),
            device_id: self.device_uuid(),
        };
        let http = self.http()?;
        // Not retried: a lost answer would leave the code spent; the person signs in instead.
        let tokens: AuthTokens = http.post(&format!("{base}/api/v1/auth/register"), None, &request)?;
        self.save_tokens(&base, &request.email, tokens)
    }

    /// Signs out: ends the session on the server when reachable, and forgets the tokens here.
    /// Local data and unsent changes stay; signing in again continues where it stopped.
    pub fn logout(&self) -> Result<()> {
        let account = sync_dao::account(&self.store.lock().conn)?;
        if let Some(a) = account {
            if let (Some(token), Ok(http)) = (a.access_token.as_deref(), self.http()) {
                // Best effort: offline, the server-side session simply expires.
                let _ = http.post_empty(&format!("{}/api/v1/auth/logout", a.server_url), Some(token));
            }
            sync_dao::clear_tokens(&self.store.lock().conn)?;
        }
        Ok(())
    }

    /// One device database holds one person's data: signing in as someone else is refused
    /// before anything is sent (the server would also refuse the device id).
    fn refuse_another_account(&self, email: &str) -> Result<()> {
        if let Some(a) = sync_dao::account(&self.store.lock().conn)? {
            if !a.email.eq_ignore_ascii_case(email.trim()) {
                return Err(SyncError::AccountMismatch { current: a.email, requested: email.trim().to_string() }.into());
            }
        }
        Ok(())
    }

    fn device_uuid(&self) -> Option<Uuid> {
        Uuid::parse_str(self.store.device_id()).ok()
    }

    fn save_tokens(&self, base: &str, email: &str, t: AuthTokens) -> Result<Account> {
        let now = self.store.now();
        let inner = self.store.lock();
        let previous = sync_dao::account(&inner.conn)?;
        if let Some(p) = &previous {
            if p.user_id != t.user_id.to_string() {
                return Err(SyncError::AccountMismatch { current: p.email.clone(), requested: email.to_string() }.into());
            }
        }
        let row = sync_dao::AccountRow {
            server_url: base.to_string(),
            email: email.to_lowercase(),
            user_id: t.user_id.to_string(),
            role: t.role,
            access_token: Some(t.access_token),
            access_expires_at: Some(now + chrono::Duration::seconds(t.access_expires_in as i64)),
            refresh_token: Some(t.refresh_token),
            refresh_expires_at: Some(now + chrono::Duration::seconds(t.refresh_expires_in as i64)),
            signed_in_at: now,
        };
        sync_dao::save_account(&inner.conn, &row)?;
        Ok(account_of(&row))
    }

    // ---- status ---------------------------------------------------------------------------

    /// The sync state, read from the device database (works offline, never blocks on a sync).
    pub fn status(&self) -> Result<SyncStatus> {
        let inner = self.store.lock();
        let c = &inner.conn;
        let account = sync_dao::account(c)?;
        let time = |key: &str| -> Result<Option<DateTime<Utc>>> {
            Ok(dao::meta_get(c, key)?.and_then(|v| v.parse::<i64>().ok()).map(dao::from_ms))
        };
        let last_error_code = dao::meta_get(c, LAST_ERROR_CODE)?.filter(|v| !v.is_empty());
        Ok(SyncStatus {
            signed_in: account.as_ref().is_some_and(|a| a.refresh_token.is_some()),
            account: account.as_ref().map(account_of),
            pending_changes: dao::outbox_count(c)?,
            last_success_at: time(LAST_SUCCESS)?,
            last_attempt_at: time(LAST_ATTEMPT)?,
            last_error_code: last_error_code.clone(),
            last_error_kind: last_error_code.as_deref().map(SyncErrorKind::of_code),
            last_error: dao::meta_get(c, LAST_ERROR)?.filter(|v| !v.is_empty()),
            rejected_changes: sync_dao::rejected_count(c)?,
            cursor: dao::meta_get(c, apply::CURSOR_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0),
        })
    }

    // ---- sync -----------------------------------------------------------------------------

    /// Pushes the outbox, then pulls until up to date. Retries transient failures with
    /// backoff, reports progress, stops when cancelled, and records the outcome in the status.
    pub fn sync(&self, observer: &dyn SyncObserver, cancel: &CancelToken) -> Result<SyncReport> {
        let _one_at_a_time = self.running.lock().unwrap_or_else(|e| e.into_inner());
        let started = self.store.now();
        let outcome = self.run(observer, cancel);
        let inner = self.store.lock();
        dao::meta_set(&inner.conn, LAST_ATTEMPT, &started.timestamp_millis().to_string())?;
        match &outcome {
            Ok(_) => {
                dao::meta_set(&inner.conn, LAST_SUCCESS, &started.timestamp_millis().to_string())?;
                dao::meta_set(&inner.conn, LAST_ERROR, "")?;
                dao::meta_set(&inner.conn, LAST_ERROR_CODE, "")?;
            }
            Err(Error::Sync(e)) => {
                dao::meta_set(&inner.conn, LAST_ERROR, &e.to_string())?;
                dao::meta_set(&inner.conn, LAST_ERROR_CODE, &e.code())?;
            }
            Err(e) => {
                dao::meta_set(&inner.conn, LAST_ERROR, &e.to_string())?;
                dao::meta_set(&inner.conn, LAST_ERROR_CODE, STORAGE_ERROR_CODE)?;
            }
        }
        outcome
    }

    fn run(&self, observer: &dyn SyncObserver, cancel: &CancelToken) -> Result<SyncReport> {
        let account = sync_dao::account(&self.store.lock().conn)?.ok_or(SyncError::NotSignedIn)?;
        if account.refresh_token.is_none() {
            return Err(SyncError::NotSignedIn.into());
        }
        let base = account.server_url.clone();
        let http = self.http()?;
        let mut n = Counters { to_push: self.store.pending_change_count()?, ..Counters::default() };
        let mut report = SyncReport::default();
        let batch = self.settings.push_batch.clamp(1, MAX_PUSH_CHANGES) as u32;

        // Push: oldest first; only acknowledged changes leave the outbox.
        loop {
            let changes = self.store.pending_changes(batch)?;
            if changes.is_empty() {
                break;
            }
            n.to_push = n.to_push.max(n.pushed + self.store.pending_change_count()?);
            observer.on_progress(&n.progress(SyncPhase::Pushing, 1));
            let body = PushRequest { changes };
            let url = format!("{base}/api/v1/sync/push");
            let answer: PushResponse =
                self.authorised(cancel, observer, &mut n, SyncPhase::Pushing, |token| http.post(&url, Some(token), &body))?;
            let ids: Vec<String> = answer.acked.iter().map(Uuid::to_string).collect();
            let removed = self.store.acknowledge_changes(&ids)?;
            if removed == 0 {
                // The server acknowledged none of what was sent: going on would loop forever.
                return Err(SyncError::Protocol { detail: "the server acknowledged none of the pushed changes".into() }.into());
            }
            n.pushed += removed;
            report.pushed += removed;
        }

        // What an earlier version of the app kept aside for record kinds it did not know, and
        // this one knows: applied before pulling more.
        let kept_aside = self.store.apply_set_aside()?;
        report.applied.applied += kept_aside.applied;
        report.applied.unchanged += kept_aside.unchanged;
        report.applied.rejected += kept_aside.rejected;

        // Pull: pages in server order, each applied with its cursor in one transaction.
        loop {
            let since = self.store.sync_cursor()?;
            observer.on_progress(&n.progress(SyncPhase::Pulling, 1));
            let url = format!("{base}/api/v1/sync/pull?since={since}&limit={}", self.settings.pull_limit);
            // Read leniently: a newer server's record kinds are kept aside, not a failure.
            let page: PulledPage = self.authorised(cancel, observer, &mut n, SyncPhase::Pulling, |token| http.get(&url, Some(token)))?;
            let outcome = self.store.apply_pulled_page(&page.changes, page.next)?;
            n.pulled += page.changes.len() as u64;
            report.pulled += page.changes.len() as u64;
            report.applied.applied += outcome.applied;
            report.applied.unchanged += outcome.unchanged;
            report.applied.rejected += outcome.rejected;
            report.applied.set_aside += outcome.set_aside;
            if !page.has_more || page.changes.is_empty() {
                break;
            }
        }
        report.cursor = self.store.sync_cursor()?;
        observer.on_progress(&n.progress(SyncPhase::Pulling, 1));
        Ok(report)
    }

    /// Runs an authenticated request with retries, refreshing the access token when it is about
    /// to expire or the server says it has.
    fn authorised<T>(
        &self,
        cancel: &CancelToken,
        observer: &dyn SyncObserver,
        n: &mut Counters,
        phase: SyncPhase,
        request: impl Fn(&str) -> http::Reply<T>,
    ) -> Result<T> {
        let mut refreshed = false;
        loop {
            let token = self.access_token(cancel, observer, n, phase, false)?;
            match self.with_retries(cancel, observer, n, phase, || request(&token)) {
                Err(SyncError::TokenExpired) if !refreshed => {
                    refreshed = true;
                    self.access_token(cancel, observer, n, phase, true)?;
                }
                Err(SyncError::TokenExpired) => {
                    return Err(SyncError::SessionEnded { code: "token_expired".into(), message: "the new token was refused".into() }.into())
                }
                Err(e @ SyncError::SessionEnded { .. }) => {
                    sync_dao::clear_tokens(&self.store.lock().conn)?;
                    return Err(e.into());
                }
                other => return other.map_err(Error::from),
            }
        }
    }

    /// A valid access token: the stored one, or a new pair from the refresh token when it is
    /// about to expire (or `force`).
    fn access_token(&self, cancel: &CancelToken, observer: &dyn SyncObserver, n: &mut Counters, phase: SyncPhase, force: bool) -> Result<String> {
        let account = sync_dao::account(&self.store.lock().conn)?.ok_or(SyncError::NotSignedIn)?;
        let now = self.store.now();
        if let (false, Some(t), Some(exp)) = (force, &account.access_token, account.access_expires_at) {
            if exp - REFRESH_MARGIN > now {
                return Ok(t.clone());
            }
        }
        let refresh = account.refresh_token.clone().ok_or(SyncError::NotSignedIn)?;
        let http = self.http()?;
        let url = format!("{}/api/v1/auth/refresh", account.server_url);
        let body = RefreshRequest { refresh_token: refresh };
        let tokens: AuthTokens = match self.with_retries(cancel, observer, n, phase, || http.post(&url, None, &body)) {
            Ok(t) => t,
            Err(e @ (SyncError::SessionEnded { .. } | SyncError::TokenExpired)) => {
                sync_dao::clear_tokens(&self.store.lock().conn)?;
                return Err(match e {
                    SyncError::TokenExpired => SyncError::SessionEnded { code: "token_expired".into(), message: "the session expired".into() },
                    e => e,
                }
                .into());
            }
            Err(e) => return Err(e.into()),
        };
        let access = tokens.access_token.clone();
        self.save_tokens(&account.server_url, &account.email, tokens)?;
        Ok(access)
    }

    /// Runs `request` until it succeeds, fails for good, runs out of attempts, or is cancelled.
    fn with_retries<T>(
        &self,
        cancel: &CancelToken,
        observer: &dyn SyncObserver,
        n: &mut Counters,
        phase: SyncPhase,
        request: impl Fn() -> http::Reply<T>,
    ) -> std::result::Result<T, SyncError> {
        let attempts = self.settings.max_attempts.max(1);
        let mut delay = self.settings.initial_backoff;
        for attempt in 1..=attempts {
            if cancel.is_cancelled() {
                return Err(SyncError::Cancelled);
            }
            if attempt > 1 {
                observer.on_progress(&n.progress(phase, attempt));
            }
            let err = match request() {
                Ok(v) => return Ok(v),
                Err(e) if e.is_retryable() && attempt < attempts => e,
                Err(e) => return Err(e),
            };
            let wait = match &err {
                SyncError::Server { retry_after_seconds: Some(s), .. } => Duration::from_secs(*s),
                _ => jitter(delay),
            };
            if wait > self.settings.max_backoff {
                return Err(err);
            }
            let mut waiting = n.progress(SyncPhase::WaitingToRetry, attempt);
            waiting.retry_in_ms = wait.as_millis() as u64;
            waiting.last_error = Some(err.to_string());
            observer.on_progress(&waiting);
            if cancel.sleep(wait) {
                return Err(SyncError::Cancelled);
            }
            delay = (delay * 2).min(self.settings.max_backoff);
        }
        Err(SyncError::Cancelled)
    }
}

/// Progress counters of one sync.
#[derive(Default)]
struct Counters {
    pushed: u64,
    to_push: u64,
    pulled: u64,
}

impl Counters {
    fn progress(&self, phase: SyncPhase, attempt: u32) -> SyncProgress {
        SyncProgress {
            phase,
            pushed: self.pushed,
            to_push: self.to_push,
            pulled: self.pulled,
            attempt,
            retry_in_ms: 0,
            last_error: None,
        }
    }
}

/// Between half and all of `d`, so devices that failed together do not retry together.
fn jitter(d: Duration) -> Duration {
    let r = rand::random_range(0..=1000u32);
    d / 2 + d / 2 * r / 1000
}

fn account_of(a: &sync_dao::AccountRow) -> Account {
    Account { server_url: a.server_url.clone(), email: a.email.clone(), user_id: a.user_id.clone(), role: a.role, signed_in_at: a.signed_in_at }
}

fn device_name_or_default(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        "Qamqor device".to_string()
    } else {
        name.chars().take(100).collect()
    }
}

/// Checks a server address and drops a trailing slash.
fn normalise_url(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::invalid("server_url", InvalidReason::BadFormat, format!("not a web address: {e}")))?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return Err(Error::invalid("server_url", InvalidReason::BadFormat, "the address must start with https:// and name a host"));
    }
    Ok(url.to_string())
}

impl From<SyncError> for Error {
    fn from(e: SyncError) -> Self {
        Error::Sync(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_are_checked_and_normalised() {
        assert_eq!(normalise_url(" https://q.example.kz/ ").unwrap(), "https://q.example.kz");
        assert_eq!(normalise_url("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        for bad in ["", "q.example.kz", "ftp://q.example.kz", "https://"] {
            assert!(matches!(normalise_url(bad), Err(Error::Invalid { .. })), "{bad}");
        }
    }

    #[test]
    fn jitter_stays_between_half_and_all_of_the_delay() {
        for _ in 0..100 {
            let j = jitter(Duration::from_millis(1000));
            assert!(j >= Duration::from_millis(500) && j <= Duration::from_millis(1000), "{j:?}");
        }
    }

    #[test]
    fn only_network_failures_server_failures_and_throttling_are_retried() {
        let server = |status| SyncError::Server { status, code: String::new(), message: String::new(), field: None, retry_after_seconds: None };
        assert!(SyncError::Network { detail: String::new() }.is_retryable());
        assert!(server(503).is_retryable());
        assert!(server(429).is_retryable());
        assert!(!server(422).is_retryable());
        assert!(!SyncError::WrongCredentials.is_retryable());
        assert!(!SyncError::UpgradeRequired { message: String::new() }.is_retryable());
    }

    #[test]
    fn every_error_kept_by_its_code_comes_back_as_its_own_kind() {
        let errors = [
            SyncError::NotSignedIn,
            SyncError::Network { detail: String::new() },
            SyncError::Server { status: 409, code: "invitation_used".into(), message: String::new(), field: None, retry_after_seconds: None },
            SyncError::Server { status: 502, code: String::new(), message: String::new(), field: None, retry_after_seconds: None },
            SyncError::TokenExpired,
            SyncError::SessionEnded { code: "session_revoked".into(), message: String::new() },
            SyncError::WrongCredentials,
            SyncError::UpgradeRequired { message: String::new() },
            SyncError::Protocol { detail: String::new() },
            SyncError::Cancelled,
            SyncError::AccountMismatch { current: "a".into(), requested: "b".into() },
        ];
        for e in errors {
            assert_eq!(SyncErrorKind::of_code(&e.code()), e.kind(), "{e:?}");
        }
        assert_eq!(SyncErrorKind::of_code(STORAGE_ERROR_CODE), SyncErrorKind::Storage);
        // A server's code that looks like none of ours is the server's.
        assert_eq!(SyncErrorKind::of_code("email_taken"), SyncErrorKind::Server);
    }

    #[test]
    fn cancelling_wakes_a_waiting_retry_at_once() {
        let token = CancelToken::new();
        let t2 = token.clone();
        let started = std::time::Instant::now();
        let h = std::thread::spawn(move || t2.sleep(Duration::from_secs(30)));
        std::thread::sleep(Duration::from_millis(20));
        token.cancel();
        assert!(h.join().unwrap());
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
