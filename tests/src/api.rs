//! The server's HTTP API as a device or an admin calls it: every request carries
//! `Qamqor-Protocol: 1`, answers are the `qamqor-protocol` types, failures are [`WireError`]s
//! that say whether an answer arrived at all.

use std::fmt;
use std::time::Duration;

use qamqor_protocol::{
    AuthTokens, Change, CreateInvitationRequest, ErrorBody, Invitation, LoginRequest, PullResponse, PushResponse, RefreshRequest,
    RegisterRequest, Role, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

/// Why a call failed.
#[derive(Debug)]
pub enum WireError {
    /// No complete answer: connection refused or closed, response cut mid-body, timeout. The
    /// server may or may not have acted on the request.
    Transport(reqwest::Error),
    /// The server answered with an error status and its JSON error body (a body that is not
    /// an [`ErrorBody`] is kept as the message, with the code `"<not an error body>"`).
    Api { status: u16, body: ErrorBody },
    /// A complete answer that breaks the protocol (not JSON of the expected type, an
    /// acknowledgement of an id that was not sent, ...).
    Protocol(String),
}

impl WireError {
    /// Whether sending the same request again is the right reaction: no answer, or a server
    /// failure (5xx, including a proxy's 502 while the server is down).
    pub fn is_retryable(&self) -> bool {
        match self {
            WireError::Transport(_) => true,
            WireError::Api { status, .. } => *status >= 500,
            WireError::Protocol(_) => false,
        }
    }

    /// The HTTP status of an error answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            WireError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The error code of an error answer.
    pub fn code(&self) -> Option<&str> {
        match self {
            WireError::Api { body, .. } => Some(&body.code),
            _ => None,
        }
    }

    /// The error body of an error answer.
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            WireError::Api { body, .. } => Some(body),
            _ => None,
        }
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::Transport(e) => write!(f, "no answer: {e}"),
            WireError::Api { status, body } => {
                write!(f, "{status} {}: {}", body.code, body.message)?;
                match &body.field {
                    Some(field) => write!(f, " (field {field})"),
                    None => Ok(()),
                }
            }
            WireError::Protocol(m) => write!(f, "protocol violation: {m}"),
        }
    }
}

impl std::error::Error for WireError {}

impl From<reqwest::Error> for WireError {
    fn from(e: reqwest::Error) -> WireError {
        WireError::Transport(e)
    }
}

/// An HTTP client for the loopback test servers: no system proxy, a bounded timeout so that a
/// lost connection can never hang a test.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(5))
        .build()
        .expect("a reqwest client without TLS always builds")
}

/// The HTTP API at one base URL (the server itself, or a [`crate::FaultProxy`] in front of it).
/// Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
}

impl fmt::Debug for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Api").field("base", &self.base).finish()
    }
}

impl Api {
    /// The API at `base` (`http://127.0.0.1:PORT`), with its own connection pool.
    pub fn new(base: impl Into<String>) -> Api {
        Api::with_client(http_client(), base)
    }

    /// The API at `base`, sharing `http`'s connection pool.
    pub fn with_client(http: reqwest::Client, base: impl Into<String>) -> Api {
        Api { http, base: base.into().trim_end_matches('/').to_string() }
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.http
    }

    /// A request to `path` (starting with `/`) carrying `Qamqor-Protocol: 1` and nothing else.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", self.base)).header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
    }

    /// Sends a request and reads its answer: a success body parsed as `T`, or the error.
    pub async fn send<T: DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T, WireError> {
        let response = request.send().await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        if (200..300).contains(&status) {
            serde_json::from_slice(&bytes)
                .map_err(|e| WireError::Protocol(format!("a {status} answer is not the expected JSON ({e}): {}", lossy(&bytes))))
        } else {
            Err(error_answer(status, &bytes))
        }
    }

    /// Like [`Api::send`] for answers without a body (204).
    pub async fn send_empty(&self, request: reqwest::RequestBuilder) -> Result<u16, WireError> {
        let response = request.send().await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        if (200..300).contains(&status) {
            Ok(status)
        } else {
            Err(error_answer(status, &bytes))
        }
    }

    fn post_json(&self, path: &str, body: &impl Serialize) -> reqwest::RequestBuilder {
        self.request(reqwest::Method::POST, path).json(body)
    }

    /// `GET /healthz`: true on `200 {"status":"ok"}`.
    pub async fn healthz(&self) -> bool {
        let Ok(r) = self.http.get(format!("{}/healthz", self.base)).timeout(Duration::from_secs(2)).send().await else {
            return false;
        };
        r.status() == 200 && r.json::<serde_json::Value>().await.is_ok_and(|v| v["status"] == "ok")
    }

    /// `POST /api/v1/auth/login`.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        device_name: &str,
        device_id: Option<Uuid>,
    ) -> Result<AuthTokens, WireError> {
        let req = LoginRequest { email: email.into(), password: password.into(), device_name: device_name.into(), device_id };
        self.send(self.post_json("/api/v1/auth/login", &req)).await
    }

    /// `POST /api/v1/auth/register` with an invitation code.
    pub async fn register(&self, req: &RegisterRequest) -> Result<AuthTokens, WireError> {
        self.send(self.post_json("/api/v1/auth/register", req)).await
    }

    /// `POST /api/v1/auth/refresh`.
    pub async fn refresh(&self, refresh_token: &str) -> Result<AuthTokens, WireError> {
        self.send(self.post_json("/api/v1/auth/refresh", &RefreshRequest { refresh_token: refresh_token.into() })).await
    }

    /// `POST /api/v1/auth/logout`.
    pub async fn logout(&self, access_token: &str) -> Result<(), WireError> {
        self.send_empty(self.request(reqwest::Method::POST, "/api/v1/auth/logout").bearer_auth(access_token)).await.map(drop)
    }

    /// `POST /api/v1/invitations` (admins and managers).
    pub async fn create_invitation(
        &self,
        access_token: &str,
        email: &str,
        role: Role,
        department: Option<&str>,
    ) -> Result<Invitation, WireError> {
        let req = CreateInvitationRequest { email: email.into(), role, department: department.map(str::to_string) };
        self.send(self.post_json("/api/v1/invitations", &req).bearer_auth(access_token)).await
    }

    /// `POST /api/v1/sync/push`.
    pub async fn push(&self, access_token: &str, changes: &[Change]) -> Result<PushResponse, WireError> {
        // The shape of PushRequest, borrowing the changes rather than cloning them.
        #[derive(Serialize)]
        struct Borrowed<'a> {
            changes: &'a [Change],
        }
        self.send(self.post_json("/api/v1/sync/push", &Borrowed { changes }).bearer_auth(access_token)).await
    }

    /// `GET /api/v1/sync/pull?since=SINCE&limit=LIMIT`.
    pub async fn pull(&self, access_token: &str, since: u64, limit: u32) -> Result<PullResponse, WireError> {
        let path = format!("/api/v1/sync/pull?since={since}&limit={limit}");
        self.send(self.request(reqwest::Method::GET, &path).bearer_auth(access_token)).await
    }
}

fn lossy(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.chars().take(300).collect()
}

fn error_answer(status: u16, bytes: &[u8]) -> WireError {
    let body = serde_json::from_slice::<ErrorBody>(bytes).unwrap_or_else(|_| ErrorBody {
        code: "<not an error body>".into(),
        message: lossy(bytes),
        field: None,
    });
    WireError::Api { status, body }
}
