//! Qamqor's sync server: accounts and devices, idempotent push and checkpointed pull of the
//! employees' changes, and what managers and admins send them (tasks, feedback, settings,
//! risk models). `docs/SYNC_PROTOCOL.md` is the protocol; `docs/ARCHITECTURE.md` says
//! where this crate sits.
//!
//! [`app`] builds the router from an [`AppState`] (tests drive it with `oneshot`); [`serve`]
//! runs it on a bound listener until a shutdown signal, finishing in-flight requests.

pub mod accounts;
pub mod admin;
pub mod aggregates;
pub mod auth;
pub mod cli;
pub mod demo;
pub mod error;
pub mod export;
pub mod extract;
pub mod manage;
pub mod openapi;
pub mod panel;
pub mod routes;
pub mod store;
pub mod sync;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::store::{Millis, Store};

/// Where the server reads the time, so tests can move it.
pub trait Clock: Send + Sync + 'static {
    fn now_millis(&self) -> Millis;
}

/// The machine's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> Millis {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as Millis)
    }
}

/// A clock that stands still until moved (tests).
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(now: Millis) -> ManualClock {
        ManualClock(AtomicI64::new(now))
    }

    pub fn advance(&self, ms: Millis) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> Millis {
        self.0.load(Ordering::SeqCst)
    }
}

/// Server policy: token lifetimes, throttling and body limits.
#[derive(Debug, Clone)]
pub struct Settings {
    pub access_ttl_ms: Millis,
    pub refresh_ttl_ms: Millis,
    /// A refresh token presented again this soon after its rotation, whose successor was never
    /// used, is a retry after a lost answer, not a theft (see `Store::rotate_refresh`).
    pub refresh_reuse_grace_ms: Millis,
    pub invitation_ttl_ms: Millis,
    /// Failed logins are counted over this sliding window.
    pub login_window_ms: Millis,
    pub max_failures_per_account: u32,
    pub max_failures_per_address: u32,
    /// Largest request body in bytes, except pushes.
    pub body_limit: usize,
    /// Largest push body in bytes.
    pub push_body_limit: usize,
    /// Largest risk-model artifact in bytes (`POST /risk-models`; the shipped one is ~190 KB).
    pub model_body_limit: usize,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// The time zone of the organisations' calendar: when "this week" and "the last complete
    /// week" of the admin statistics begin (people's own days follow their profile's zone).
    pub time_zone: chrono_tz::Tz,
}

impl Default for Settings {
    fn default() -> Settings {
        const MINUTE: Millis = 60 * 1000;
        const DAY: Millis = 24 * 60 * MINUTE;
        Settings {
            access_ttl_ms: 15 * MINUTE,
            refresh_ttl_ms: 30 * DAY,
            refresh_reuse_grace_ms: 30 * 1000,
            invitation_ttl_ms: 7 * DAY,
            login_window_ms: 15 * MINUTE,
            max_failures_per_account: 5,
            max_failures_per_address: 20,
            body_limit: 64 * 1024,
            push_body_limit: 8 * 1024 * 1024,
            model_body_limit: 2 * 1024 * 1024,
            trust_forwarded_for: false,
            time_zone: chrono_tz::Asia::Almaty,
        }
    }
}

/// What every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
}

/// The whole HTTP API.
pub fn app(state: AppState) -> Router {
    let (admin_api, _) = admin::routes::router().split_for_parts();
    let device_api = Router::new()
        .route("/api/v1/auth/login", post(routes::login))
        .route("/api/v1/auth/register", post(routes::register))
        .route("/api/v1/auth/refresh", post(routes::refresh))
        .route("/api/v1/auth/logout", post(routes::logout))
        .route("/api/v1/devices/{id}", delete(routes::revoke_device))
        .route("/api/v1/invitations", post(routes::create_invitation))
        .route("/api/v1/sync/push", post(routes::push).layer(DefaultBodyLimit::max(state.settings.push_body_limit)))
        .route("/api/v1/sync/pull", get(routes::pull))
        .route("/api/v1/tasks", post(routes::create_task))
        .route("/api/v1/feedback", post(routes::create_feedback))
        .route("/api/v1/settings", get(routes::get_settings).put(routes::put_settings))
        .route("/api/v1/risk-models", post(routes::publish_model).layer(DefaultBodyLimit::max(state.settings.model_body_limit)))
        .merge(admin_api)
        .route_layer(middleware::from_fn(extract::require_protocol));
    Router::new()
        .route("/healthz", get(routes::healthz))
        .route("/api/openapi.json", get(openapi::openapi_json))
        .merge(device_api)
        .merge(panel::router(state.clone()))
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(DefaultBodyLimit::max(state.settings.body_limit))
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| -> Response {
            AppError::internal(anyhow::anyhow!("a handler panicked")).into_response()
        }))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves the API on an already bound listener until `shutdown` completes, then stops
/// accepting and lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(shutdown).await
}
