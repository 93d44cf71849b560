//! Extractors and middleware whose failures answer with [`AppError`]'s JSON body instead of
//! axum's plain-text rejections: JSON bodies, query strings, the protocol version header and
//! the client's address.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use qamqor_protocol::{error_code, PROTOCOL_HEADER, PROTOCOL_VERSION};
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::AppState;

/// A JSON request body. Wrong content type → 415, too large → 413, not JSON → 400
/// `malformed_json`, wrong shape → 422 `invalid_field` naming the field (`changes[2].hlc`).
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

fn is_json(headers: &HeaderMap) -> bool {
    let Some(mime) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<ApiJson<T>, AppError> {
        let JsonBytes(bytes) = JsonBytes::from_request(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// The raw bytes of a body declared as JSON, for handlers that need the exact text (a model
/// artifact is checked against its checksum). Wrong content type → 415, too large → 413.
#[derive(Debug)]
pub struct JsonBytes(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBytes {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<JsonBytes, AppError> {
        if !is_json(req.headers()) {
            return Err(AppError::unsupported_media_type());
        }
        Bytes::from_request(req, state).await.map(JsonBytes).map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::body_too_large()
            } else {
                AppError::bad_request(error_code::MALFORMED_JSON, "the request body could not be read")
            }
        })
    }
}

/// Parses a JSON body, naming the offending field on a shape error.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let malformed =
        |e: &serde_json::Error| AppError::bad_request(error_code::MALFORMED_JSON, format!("the body is not valid JSON: {e}"));
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.classify() != serde_json::error::Category::Data {
            return malformed(&inner);
        }
        let message = inner.to_string();
        AppError::invalid(serde_error_field(&path, &message), strip_position(&message))
    })?;
    de.end().map_err(|e| malformed(&e))?;
    Ok(value)
}

/// The field a serde data error is about, from `serde_path_to_error`'s path: serde reports a
/// missing field at its parent, so that one is named with the missing field itself.
pub fn serde_error_field(path: &str, message: &str) -> String {
    let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
    match (missing, path) {
        (Some(name), ".") => name.to_string(),
        (Some(name), parent) => format!("{parent}.{name}"),
        (None, p) => p.to_string(),
    }
}

/// serde_json appends " at line L column C" to data errors; the field name says more.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A query string. Unreadable → 400 `invalid_query` saying what is wrong.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<ApiQuery<T>, AppError> {
        serde_urlencoded::from_str(parts.uri.query().unwrap_or_default())
            .map(ApiQuery)
            .map_err(|e| AppError::bad_request(error_code::INVALID_QUERY, format!("the query string is not valid: {e}")))
    }
}

/// Middleware on every device-facing route: the request must carry `Qamqor-Protocol: 1`.
/// Missing or unreadable → 400, another version → 426 `upgrade_required`.
pub async fn require_protocol(req: Request, next: Next) -> Result<Response, AppError> {
    let Some(value) = req.headers().get(PROTOCOL_HEADER) else {
        return Err(AppError::bad_request(
            error_code::PROTOCOL_VERSION_MISSING,
            format!("send the protocol version in the '{PROTOCOL_HEADER}: {PROTOCOL_VERSION}' header"),
        )
        .with_field(PROTOCOL_HEADER));
    };
    let text = value.to_str().unwrap_or_default().trim();
    match text.parse::<u32>() {
        Ok(PROTOCOL_VERSION) => Ok(next.run(req).await),
        Ok(_) => Err(AppError::upgrade_required(text)),
        Err(_) => Err(AppError::bad_request(
            error_code::PROTOCOL_VERSION_MISSING,
            format!("the '{PROTOCOL_HEADER}' header must be a version number such as {PROTOCOL_VERSION}"),
        )
        .with_field(PROTOCOL_HEADER)),
    }
}

/// The client's IP address: the peer of the connection, or, behind a trusted reverse proxy,
/// the last address that proxy appended to `X-Forwarded-For`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ClientAddr, AppError> {
        if state.settings.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|a| a.trim().parse::<IpAddr>().ok())
                .next_back();
            if forwarded.is_some() {
                return Ok(ClientAddr(forwarded));
            }
        }
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
        s: String,
    }

    fn field_of(body: &str) -> (u16, String) {
        let e = parse_json::<Outer>(body.as_bytes()).unwrap_err();
        (e.status().as_u16(), format!("{e:?}"))
    }

    #[test]
    fn json_errors_name_the_field() {
        let (status, dbg) = field_of(r#"{"items": [{"n": 1, "s": "a"}, {"n": "two", "s": "b"}]}"#);
        assert_eq!(status, 422);
        assert!(dbg.contains(r#"field: Some("items[1].n")"#), "{dbg}");
        let (status, dbg) = field_of(r#"{"items": [{"n": 1}]}"#);
        assert_eq!(status, 422);
        assert!(dbg.contains(r#"field: Some("items[0].s")"#), "{dbg}");
        let (status, dbg) = field_of(r#"{}"#);
        assert_eq!(status, 422);
        assert!(dbg.contains(r#"field: Some("items")"#), "{dbg}");
        let (status, dbg) = field_of(r#"{"items": ["#);
        assert_eq!(status, 400);
        assert!(dbg.contains("malformed_json"), "{dbg}");
        let (status, _) = field_of(r#"{"items": []} trailing"#);
        assert_eq!(status, 400);
    }

    #[test]
    fn json_content_types() {
        let mut h = HeaderMap::new();
        assert!(!is_json(&h));
        h.insert(CONTENT_TYPE, "application/json; charset=utf-8".parse().unwrap());
        assert!(is_json(&h));
        h.insert(CONTENT_TYPE, "application/problem+json".parse().unwrap());
        assert!(is_json(&h));
        h.insert(CONTENT_TYPE, "text/plain".parse().unwrap());
        assert!(!is_json(&h));
    }
}
