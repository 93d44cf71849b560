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
        }
    }
}

/// What a write conflicts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ConflictKind {
    TimerAlreadyRunning,
    NoRunningTimer,
    SessionOverlap,
}

impl From<core::ConflictKind> for ConflictKind {
    fn from(k: core::ConflictKind) -> Self {
        match k {
            core::ConflictKind::TimerAlreadyRunning => ConflictKind::TimerAlreadyRunning,
            core::ConflictKind::NoRunningTimer => ConflictKind::NoRunningTimer,
            core::ConflictKind::SessionOverlap => ConflictKind::SessionOverlap,
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
}

impl From<core::Error> for ApiError {
    fn from(e: core::Error) -> Self {
        match e {
            core::Error::Invalid { field, reason, message } => ApiError::InvalidInput { field, reason: reason.into(), detail: message },
            core::Error::NotFound { entity, id } => ApiError::NotFound { entity: entity.to_string(), id },
            core::Error::Conflict { kind, message } => ApiError::Conflict { kind: kind.into(), detail: message },
            other @ (core::Error::Storage(_) | core::Error::SchemaTooNew { .. } | core::Error::Corrupt(_)) => {
                ApiError::Storage { detail: other.to_string() }
            }
        }
    }
}
