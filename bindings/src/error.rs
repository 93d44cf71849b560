//! The error a UI can act on: which field and why, what was not found, what conflicts.

use qamqor_core as core;

/// Why an input was rejected (translate the reason; `detail` is English, for logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum InvalidReason {
    Empty,
    TooLong,
    OutOfRange,
    InFuture,
    EndBeforeStart,
    BadFormat,
    NotAnImage,
    Unsupported,
    /// Refers to something that does not exist (an unknown achievement type, card or skill).
    Unknown,
}

impl From<core::InvalidReason> for InvalidReason {
    fn from(r: core::InvalidReason) -> Self {
        use core::InvalidReason as R;
        match r {
            R::Empty => InvalidReason::Empty,
            R::TooLong => InvalidReason::TooLong,
            R::OutOfRange => InvalidReason::OutOfRange,
            R::InFuture => InvalidReason::InFuture,
            R::EndBeforeStart => InvalidReason::EndBeforeStart,
            R::BadFormat => InvalidReason::BadFormat,
            R::NotAnImage => InvalidReason::NotAnImage,
            R::Unsupported => InvalidReason::Unsupported,
            R::Unknown => InvalidReason::Unknown,
        }
    }
}

/// What a write conflicts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ConflictKind {
    TimerAlreadyRunning,
    NoRunningTimer,
    SessionOverlap,
    /// The achievement was already reviewed: it can no longer be deleted.
    AchievementReviewed,
}

impl From<core::ConflictKind> for ConflictKind {
    fn from(k: core::ConflictKind) -> Self {
        match k {
            core::ConflictKind::TimerAlreadyRunning => ConflictKind::TimerAlreadyRunning,
            core::ConflictKind::NoRunningTimer => ConflictKind::NoRunningTimer,
            core::ConflictKind::SessionOverlap => ConflictKind::SessionOverlap,
            core::ConflictKind::AchievementReviewed => ConflictKind::AchievementReviewed,
        }
    }
}

/// Errors of the core, as the apps see them. Nothing was written when one is thrown.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ApiError {
    /// An input was rejected: highlight `field`, explain `reason`.
    #[error("invalid {field}: {detail}")]
    InvalidInput { field: String, reason: InvalidReason, detail: String },
    /// The record does not exist (deleted, or never on this device).
    #[error("{entity} {id} not found")]
    NotFound { entity: String, id: String },
    /// The request conflicts with stored data (a timer already running, overlapping sessions).
    #[error("{detail}")]
    Conflict { kind: ConflictKind, detail: String },
    /// The database could not be read or written (disk full, damaged file, newer app's data).
    #[error("storage error: {detail}")]
    Storage { detail: String },
    /// Signing in or syncing did not complete; local data is unaffected. Act on `kind`; `code`
    /// is the server's machine-readable code when it answered (`field` names a rejected field).
    /// `retryable`: trying the same again later can help (offline, server trouble, rate limits):
    /// the core's rule, so the apps offer "try again" exactly where the sync itself would retry.
    #[error("sync ({code}): {detail}")]
    Sync {
        kind: SyncErrorKind,
        code: String,
        detail: String,
        http_status: Option<u16>,
        field: Option<String>,
        retry_after_seconds: Option<u64>,
        retryable: bool,
    },
}

/// What a failed sync or sign-in needs from the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SyncErrorKind {
    /// Show sign-in.
    NotSignedIn,
    /// Offline or the server is unreachable: nothing is lost, retry later.
    Network,
    /// The server refused or failed (see `code`).
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
    /// The phone's database failed during the sync (only in `SyncStatus.last_error_kind`; a
    /// call fails with `ApiError::Storage` instead).
    Storage,
}

impl From<core::SyncErrorKind> for SyncErrorKind {
    fn from(k: core::SyncErrorKind) -> Self {
        use core::SyncErrorKind as K;
        match k {
            K::NotSignedIn => SyncErrorKind::NotSignedIn,
            K::Network => SyncErrorKind::Network,
            K::Server => SyncErrorKind::Server,
            K::SessionEnded => SyncErrorKind::SessionEnded,
            K::WrongCredentials => SyncErrorKind::WrongCredentials,
            K::UpgradeRequired => SyncErrorKind::UpgradeRequired,
            K::Protocol => SyncErrorKind::Protocol,
            K::Cancelled => SyncErrorKind::Cancelled,
            K::AccountMismatch => SyncErrorKind::AccountMismatch,
            K::Storage => SyncErrorKind::Storage,
        }
    }
}

impl From<core::SyncError> for ApiError {
    fn from(e: core::SyncError) -> Self {
        use core::SyncError as S;
        let (kind, code, detail, retryable) = (e.kind().into(), e.code(), e.to_string(), e.is_retryable());
        let (http_status, field, retry_after_seconds) = match e {
            S::Server { status, field, retry_after_seconds, .. } => (Some(status), field, retry_after_seconds),
            S::TokenExpired | S::SessionEnded { .. } | S::WrongCredentials => (Some(401), None, None),
            S::UpgradeRequired { .. } => (Some(426), None, None),
            _ => (None, None, None),
        };
        ApiError::Sync { kind, code, detail, http_status, field, retry_after_seconds, retryable }
    }
}

impl From<core::Error> for ApiError {
    fn from(e: core::Error) -> Self {
        match e {
            core::Error::Invalid { field, reason, message } => ApiError::InvalidInput { field, reason: reason.into(), detail: message },
            core::Error::NotFound { entity, id } => ApiError::NotFound { entity: entity.to_string(), id },
            core::Error::Conflict { kind, message } => ApiError::Conflict { kind: kind.into(), detail: message },
            core::Error::Sync(e) => e.into(),
            other @ (core::Error::Storage(_) | core::Error::SchemaTooNew { .. } | core::Error::Corrupt(_)) => {
                ApiError::Storage { detail: other.to_string() }
            }
        }
    }
}
