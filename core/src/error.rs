//! The core's error type: rich enough for the bindings to map into variants a UI can act on.

use std::fmt;

/// Why an input was rejected. Stable codes that a UI can translate into the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidReason {
    /// A required text is empty or only white space.
    Empty,
    /// A text or file is longer than allowed.
    TooLong,
    /// A number is outside its allowed range.
    OutOfRange,
    /// A time lies in the future where only the past makes sense.
    InFuture,
    /// An end is not after its start.
    EndBeforeStart,
    /// A value is not in the expected format (date, time, time zone, language...).
    BadFormat,
    /// A file is not an image the app can read, or it is corrupt.
    NotAnImage,
    /// A value is valid in general but not supported by this app.
    Unsupported,
    /// A reference to something that does not exist (an unknown achievement type, card or skill).
    Unknown,
}

impl InvalidReason {
    /// The machine-readable code of the reason.
    pub fn code(self) -> &'static str {
        match self {
            InvalidReason::Empty => "empty",
            InvalidReason::TooLong => "too_long",
            InvalidReason::OutOfRange => "out_of_range",
            InvalidReason::InFuture => "in_future",
            InvalidReason::EndBeforeStart => "end_before_start",
            InvalidReason::BadFormat => "bad_format",
            InvalidReason::NotAnImage => "not_an_image",
            InvalidReason::Unsupported => "unsupported",
            InvalidReason::Unknown => "unknown",
        }
    }
}

/// Why a well-formed request conflicts with what is already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKind {
    /// A work timer is already running: stop it first.
    TimerAlreadyRunning,
    /// There is no running work timer to stop.
    NoRunningTimer,
    /// The work session would overlap another one.
    SessionOverlap,
    /// The achievement was already reviewed by a manager: it can no longer be deleted.
    AchievementReviewed,
}

impl fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConflictKind::TimerAlreadyRunning => "a work timer is already running",
            ConflictKind::NoRunningTimer => "no work timer is running",
            ConflictKind::SessionOverlap => "the session overlaps another work session",
            ConflictKind::AchievementReviewed => "the achievement has already been reviewed",
        })
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input value was rejected; nothing was written.
    #[error("invalid {field}: {message}")]
    Invalid {
        field: String,
        reason: InvalidReason,
        message: String,
    },
    /// The record does not exist.
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    /// The request is well formed but conflicts with stored data; nothing was written.
    #[error("{kind}: {message}")]
    Conflict { kind: ConflictKind, message: String },
    /// The database failed (disk full, corrupt file, permissions).
    #[error("storage error: {0}")]
    Storage(#[from] rusqlite::Error),
    /// The database was written by a newer app version than this one.
    #[error("the database has schema version {found}, newer than this app supports ({supported})")]
    SchemaTooNew { found: u32, supported: u32 },
    /// Reading or writing a stored JSON document failed.
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// Signing in or syncing failed; local data is unaffected.
    #[error("sync: {0}")]
    Sync(crate::sync::SyncError),
}

impl Error {
    /// Shorthand for an invalid-input error.
    pub fn invalid(field: impl Into<String>, reason: InvalidReason, message: impl Into<String>) -> Error {
        Error::Invalid { field: field.into(), reason, message: message.into() }
    }

    /// Shorthand for a conflict.
    pub fn conflict(kind: ConflictKind, message: impl Into<String>) -> Error {
        Error::Conflict { kind, message: message.into() }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Corrupt(e.to_string())
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
