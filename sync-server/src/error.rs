//! The one error type of the HTTP API. Every failure becomes a status and a JSON
//! [`ErrorBody`] `{code, message, field?}`: 4xx say exactly what is wrong, 5xx say only
//! "internal error" and log the cause once, here.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use qamqor_protocol::{error_code, ErrorBody, PROTOCOL_HEADER, PROTOCOL_VERSION};

use crate::store::StoreError;

/// Error codes this server sends beyond [`qamqor_protocol::error_code`]. Clients match on
/// them like on those (they are listed in `docs/SYNC_PROTOCOL.md`).
pub mod code {
    /// 404: no such person among those the caller may address (unknown, or in another
    /// organisation: the two look the same).
    pub const USER_NOT_FOUND: &str = "user_not_found";
    /// 409: a risk model of this version has already been published.
    pub const MODEL_VERSION_EXISTS: &str = "model_version_exists";
    /// 422: the risk-model artifact does not validate (format, checksum, version, trees...).
    pub const INVALID_ARTIFACT: &str = "invalid_artifact";
    /// Administration commands only: an organisation of this name exists.
    pub const ORG_EXISTS: &str = "org_exists";
    /// Administration commands only: no organisation of this name.
    pub const ORG_NOT_FOUND: &str = "org_not_found";
    /// 403: the account was deactivated by an admin (login, registration).
    pub const ACCOUNT_DEACTIVATED: &str = "account_deactivated";
    /// 403: individual risk levels are hidden under the organisation's `aggregate` policy.
    pub const RISK_LEVELS_HIDDEN: &str = "risk_levels_hidden";
    /// 404: no such department in the caller's organisation.
    pub const DEPARTMENT_NOT_FOUND: &str = "department_not_found";
    /// 409: a department of the same parent already has this name.
    pub const DEPARTMENT_EXISTS: &str = "department_exists";
    /// 409: the department still has people or active sub-departments.
    pub const DEPARTMENT_NOT_EMPTY: &str = "department_not_empty";
    /// 409 (the department acted on) or 422 (a parent or destination): the department is archived.
    pub const DEPARTMENT_ARCHIVED: &str = "department_archived";
    /// 422: the move would put a department below itself.
    pub const DEPARTMENT_CYCLE: &str = "department_cycle";
    /// 409: the change would leave the organisation without an active admin.
    pub const LAST_ADMIN: &str = "last_admin";
    /// 404: no such achievement in the caller's organisation (unknown, deleted, or another's).
    pub const ACHIEVEMENT_NOT_FOUND: &str = "achievement_not_found";
    /// 404: the achievement has no evidence photo.
    pub const EVIDENCE_NOT_FOUND: &str = "evidence_not_found";
    /// 404: no profession card is assigned to the person.
    pub const COMPETENCY_NOT_ASSIGNED: &str = "competency_not_assigned";
    /// 409: the person's data was erased; their account cannot be changed or reactivated.
    pub const ACCOUNT_ERASED: &str = "account_erased";
    /// 404: no such deletion request in the caller's organisation.
    pub const DELETION_REQUEST_NOT_FOUND: &str = "deletion_request_not_found";
}

/// An error answered to a client. Build it with the constructors, which pair each status with
/// its codes.
#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<String>,
    retry_after_secs: Option<u64>,
    /// The cause of a 5xx, logged and never sent.
    source: Option<anyhow::Error>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> AppError {
        AppError { status, code, message: message.into(), field: None, retry_after_secs: None, source: None }
    }

    /// Names the request field the error is about (`changes[3].hlc`).
    pub fn with_field(mut self, field: impl Into<String>) -> AppError {
        self.field = Some(field.into());
        self
    }

    /// 400 with a specific code.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 422: `field` has an invalid value.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, error_code::INVALID_FIELD, message).with_field(field)
    }

    /// 422 with a specific code.
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    /// 401 `unauthorized`.
    pub fn unauthorized(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::UNAUTHORIZED, error_code::UNAUTHORIZED, message)
    }

    /// 401 with a specific code (`token_expired`, `refresh_token_reused`).
    pub fn unauthorized_with(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::UNAUTHORIZED, code, message)
    }

    /// 403 `forbidden`.
    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::FORBIDDEN, error_code::FORBIDDEN, message)
    }

    /// 403 with a specific code (`account_deactivated`, `risk_levels_hidden`).
    pub fn new_forbidden(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::FORBIDDEN, code, message)
    }

    /// 422 with a specific code, naming the field.
    pub fn invalid_with(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message).with_field(field)
    }

    /// 404 with a specific code.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::NOT_FOUND, code, message)
    }

    /// 405.
    pub fn method_not_allowed() -> AppError {
        AppError::new(StatusCode::METHOD_NOT_ALLOWED, error_code::METHOD_NOT_ALLOWED, "this route does not accept this method")
    }

    /// 409 with a specific code.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::CONFLICT, code, message)
    }

    /// 410 with a specific code.
    pub fn gone(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::GONE, code, message)
    }

    /// 413 `body_too_large`.
    pub fn body_too_large() -> AppError {
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            error_code::BODY_TOO_LARGE,
            "the request body is larger than this endpoint accepts: send less at once",
        )
    }

    /// 415 `unsupported_media_type`.
    pub fn unsupported_media_type() -> AppError {
        AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            error_code::UNSUPPORTED_MEDIA_TYPE,
            "the body must be JSON: send Content-Type: application/json",
        )
    }

    /// 426 `upgrade_required`: the client speaks a protocol version this server does not.
    pub fn upgrade_required(found: &str) -> AppError {
        AppError::new(
            StatusCode::UPGRADE_REQUIRED,
            error_code::UPGRADE_REQUIRED,
            format!("protocol version {found} is not supported (this server speaks {PROTOCOL_VERSION}): update the app"),
        )
        .with_field(PROTOCOL_HEADER)
    }

    /// 429 `too_many_attempts` with a `Retry-After` of `secs` seconds.
    pub fn too_many_attempts(secs: u64) -> AppError {
        let mut e = AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            error_code::TOO_MANY_ATTEMPTS,
            format!("too many failed logins: try again in {secs} seconds"),
        );
        e.retry_after_secs = Some(secs);
        e
    }

    /// 500: the cause is logged, the client only learns that it failed.
    pub fn internal(source: impl Into<anyhow::Error>) -> AppError {
        let mut e = AppError::new(StatusCode::INTERNAL_SERVER_ERROR, error_code::INTERNAL, "internal error");
        e.source = Some(source.into());
        e
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The machine-readable code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message for people, and the field it is about.
    pub fn message(&self) -> (&str, Option<&str>) {
        (&self.message, self.field.as_deref())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        AppError::internal(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Some(source) = &self.source {
            tracing::error!(error = format!("{source:#}"), "request failed");
        }
        let body = ErrorBody { code: self.code.to_string(), message: self.message, field: self.field };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UPGRADE_REQUIRED {
            response.headers_mut().insert(PROTOCOL_HEADER, HeaderValue::from(PROTOCOL_VERSION));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(e: AppError) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
        let r = e.into_response();
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
        (status, headers, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn internal_errors_hide_their_cause() {
        let (status, _, body) = body_of(AppError::internal(anyhow::anyhow!("disk on fire at /var/db"))).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body, serde_json::json!({"code": "internal", "message": "internal error"}));
    }

    #[tokio::test]
    async fn rate_limits_carry_retry_after_and_fields_are_named() {
        let (status, headers, body) = body_of(AppError::too_many_attempts(42)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(headers[header::RETRY_AFTER], "42");
        assert_eq!(body["code"], "too_many_attempts");
        let (status, _, body) = body_of(AppError::invalid("changes[2].hlc", "bad clock")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["field"], "changes[2].hlc");
    }
}
