//! The HTTP side of the sync client: one blocking request to the server, its errors turned
//! into [`SyncError`]s, and which of them are worth retrying.

use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::SyncError;
use qamqor_protocol::{error_code, ErrorBody, PROTOCOL_HEADER, PROTOCOL_VERSION};

/// A client for one server base URL.
pub(crate) struct Http {
    client: Client,
}

/// The outcome of a request that reached a verdict.
pub(crate) type Reply<T> = std::result::Result<T, SyncError>;

impl Http {
    pub(crate) fn new(timeout: Duration) -> Result<Http, SyncError> {
        let client = Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("qamqor-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Network { detail: format!("cannot set up HTTPS: {e}") })?;
        Ok(Http { client })
    }

    pub(crate) fn post<B: Serialize, T: DeserializeOwned>(&self, url: &str, token: Option<&str>, body: &B) -> Reply<T> {
        self.send(self.client.post(url).json(body), token)
    }

    pub(crate) fn post_empty(&self, url: &str, token: Option<&str>) -> Reply<()> {
        let response = self.execute(self.client.post(url), token)?;
        check(response).map(|_| ())
    }

    pub(crate) fn get<T: DeserializeOwned>(&self, url: &str, token: Option<&str>) -> Reply<T> {
        self.send(self.client.get(url), token)
    }

    fn execute(&self, request: RequestBuilder, token: Option<&str>) -> Reply<Response> {
        let mut request = request.header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        request.send().map_err(network)
    }

    fn send<T: DeserializeOwned>(&self, request: RequestBuilder, token: Option<&str>) -> Reply<T> {
        let response = check(self.execute(request, token)?)?;
        // The body can be cut off mid-way: that is a network failure, retried like one.
        let bytes = response.bytes().map_err(network)?;
        serde_json::from_slice(&bytes).map_err(|e| {
            if e.is_eof() {
                SyncError::Network { detail: format!("the answer was cut off: {e}") }
            } else {
                SyncError::Protocol { detail: format!("unexpected answer from the server: {e}") }
            }
        })
    }
}

fn network(e: reqwest::Error) -> SyncError {
    let what = if e.is_timeout() {
        "the server did not answer in time"
    } else if e.is_connect() {
        "cannot reach the server"
    } else {
        "the connection failed"
    };
    // The full chain of causes tells a support person what happened (DNS, TLS, reset...).
    let mut detail = format!("{what}: {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        detail.push_str(&format!(": {s}"));
        source = s.source();
    }
    SyncError::Network { detail }
}

/// Turns an error status into its typed error; passes success through.
fn check(response: Response) -> Reply<Response> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let body: Option<ErrorBody> = response.bytes().ok().and_then(|b| serde_json::from_slice(&b).ok());
    let (code, message, field) = match body {
        Some(b) => (b.code, b.message, b.field),
        None => (String::new(), format!("the server answered {status}"), None),
    };
    Err(match (status, code.as_str()) {
        (StatusCode::UPGRADE_REQUIRED, _) => SyncError::UpgradeRequired { message },
        (StatusCode::UNAUTHORIZED, error_code::TOKEN_EXPIRED) => SyncError::TokenExpired,
        (StatusCode::UNAUTHORIZED, _) => SyncError::SessionEnded { code, message },
        _ => SyncError::Server { status: status.as_u16(), code, message, field, retry_after_seconds: retry_after },
    })
}
