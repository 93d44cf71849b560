//! Qamqor's shared core: the employee's offline data in SQLite, their statistics, burnout-risk
//! inference and the sync client. Plain Rust: the `bindings` crate is the
//! only one that knows UniFFI. See `docs/ARCHITECTURE.md`.

pub mod cbi;
pub mod clock;
pub mod competency;
pub mod error;
pub mod export;
pub mod hlc;
pub mod model;
pub mod photo;
pub mod privacy;
pub mod rating;
pub mod risk;
pub mod schedule;
pub mod stats;
pub mod storage;
pub mod store;
pub mod sync;

pub use cbi::{cbi_answer_labels, cbi_items, CbiAnswerKind, CbiItem, CbiResponse, CbiScale, CbiScores};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{ConflictKind, Error, InvalidReason, Result};
pub use export::ExportFile;
pub use model::*;
pub use stats::{CheckInAverages, CheckInSummary, DayStats, StatsOverview, WeekStats};
pub use store::{CompetencyProfile, FunctionScore, SkillScore};
pub use store::{Achievement, AchievementInput, AchievementReview, AchievementStatus, Export, RiskHistoryEntry, Store, EVIDENCE_PHOTO_SIDE};
pub use sync::{Account, ApplyOutcome, CancelToken, NoProgress, SyncError, SyncErrorKind, SyncObserver, SyncPhase, SyncProgress, SyncReport, SyncSettings, SyncStatus, Syncer};
