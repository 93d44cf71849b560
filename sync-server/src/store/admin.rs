//! The storage interface of the admin API ([`AdminStore`], a supertrait of
//! [`Store`](super::Store), so every backend implements both and handlers keep one
//! `Arc<dyn Store>`). Each method is one transaction; every write of an admin or manager action
//! takes its [`AuditEntry`] and stores it in the same transaction, so an action and its log entry
//! are committed together or not at all. Domain outcomes (a name taken, a cycle, the last admin)
//! come back as values.

use async_trait::async_trait;
use chrono::NaiveDate;
use qamqor_protocol::Role;
use serde_json::Value;
use uuid::Uuid;

use super::{Millis, StoreError, StoreResult};
use crate::aggregates::ScheduleRow;

/// The form a name is searched in: lowercased by Unicode rules (Kazakh and Russian included,
/// which SQL's `lower()` leaves alone).
pub fn search_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// One action of an admin or manager, as it is logged.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub org_id: Uuid,
    pub actor_id: Uuid,
    pub actor_name: String,
    pub actor_role: Role,
    /// What was done, `<thing>.<verb>` (`department.create`, `person.deactivate`, `task.assign`).
    pub action: String,
    /// The kind of thing acted on (`department`, `person`, `device`, `organisation`...).
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// A JSON object with what changed.
    pub details: Value,
    /// The client's address (the TCP peer, or the proxy's `X-Forwarded-For` when trusted).
    pub client_addr: Option<String>,
    pub at: Millis,
}

/// A logged action with its sequence number.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub id: i64,
    pub entry: AuditEntry,
}

/// Which audit entries to read.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditFilter {
    pub org_id: Uuid,
    /// Only actions of people whose department lies in this subtree (a manager's view).
    pub within: Option<Uuid>,
    /// `[from, to)` in Unix milliseconds.
    pub from: Option<Millis>,
    pub to: Option<Millis>,
    pub actor_id: Option<Uuid>,
    pub action: Option<String>,
    pub offset: u64,
    pub limit: u32,
}

/// One page of a list and the number of items in all pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// A department of the organisation's tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Department {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    pub created_at: Millis,
    pub archived_at: Option<Millis>,
    /// Active people whose department this is (not counting sub-departments).
    pub people: u32,
}

/// What creating, renaming, moving or archiving a department came to.
#[derive(Debug, Clone, PartialEq)]
pub enum DepartmentOutcome {
    Done(Department),
    NotFound,
    /// Another department of the same parent has this name.
    NameTaken,
    ParentNotFound,
    ParentArchived,
    /// The new parent is the department itself or lies below it.
    Cycle,
    /// Archiving: people still belong to it.
    HasPeople,
    /// Archiving: a sub-department is not archived.
    HasChildren,
    /// Already archived (rename and move need an active department).
    Archived,
}

/// A change to a department: a new name, a new parent (`Some(None)`: top level), or both.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentChange {
    pub name: Option<String>,
    pub parent_id: Option<Option<Uuid>>,
}

/// A shared risk level of one person on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskMark {
    pub day: NaiveDate,
    /// `low`, `medium` or `high`.
    pub level: String,
    pub score: Option<f64>,
    /// The factors as shared (JSON array), under the individual policy only.
    pub factors: Option<Value>,
}

/// A person as the admin API shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department_id: Option<Uuid>,
    pub department: Option<String>,
    pub created_at: Millis,
    pub activated_at: Option<Millis>,
    pub last_seen_at: Option<Millis>,
    pub deactivated_at: Option<Millis>,
    /// Created by an admin and not registered yet (no password).
    pub invited: bool,
    /// The latest shared level within the window asked for.
    pub risk: Option<RiskMark>,
}

/// Activity filter of the people list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ActivityFilter {
    /// Seen (signed in, pushed or pulled) at or after this instant.
    SeenSince(Millis),
    /// Activated, but not seen since this instant.
    NotSeenSince(Millis),
    /// Never signed in.
    NeverActivated,
}

/// Deactivated people are listed only when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Active,
    Deactivated,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeopleSort {
    Name,
    LastSeen,
    Department,
}

/// A page of the people list.
#[derive(Debug, Clone, PartialEq)]
pub struct PeopleFilter {
    pub org_id: Uuid,
    /// The caller's reach: only people whose department lies in this subtree.
    pub within: Option<Uuid>,
    /// Part of the name or email, as [`search_key`] folds it.
    pub search: Option<String>,
    /// People of this department, or of its whole subtree when `subtree`.
    pub department: Option<(Uuid, bool)>,
    pub role: Option<Role>,
    pub risk_level: Option<String>,
    /// Risk levels shared on these local days count (`[from, to]`, `YYYY-MM-DD`).
    pub risk_window: (NaiveDate, NaiveDate),
    pub activity: Option<ActivityFilter>,
    pub status: StatusFilter,
    pub sort: PeopleSort,
    pub descending: bool,
    pub offset: u64,
    pub limit: u32,
}

/// An account an admin creates, with the invitation its person registers with.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub org_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department_id: Option<Uuid>,
    pub invitation_hash: [u8; 32],
    pub invitation_expires_at: Millis,
    pub now: Millis,
}

/// What a change to a person came to.
#[derive(Debug, Clone, PartialEq)]
pub enum PersonOutcome {
    Done(Box<Person>),
    NotFound,
    EmailTaken,
    DepartmentNotFound,
    DepartmentArchived,
    /// The change would leave the organisation without an active admin.
    LastAdmin,
    /// The person's data was erased (a deletion request carried out): the account stays as it is.
    Erased,
}

/// A change to a person: role, department (`Some(None)`: none), or both.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonChange {
    pub role: Option<Role>,
    pub department_id: Option<Option<Uuid>>,
}

/// A push or a pull by a device, counted per local day of its person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncKind {
    Push,
    Pull,
}

/// What the period statistics read, per person.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodQuery {
    pub org_id: Uuid,
    pub within: Option<Uuid>,
    /// Local days `[from, to]`.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Also read syncs and tasks (the activity table) — the indicators do not need them.
    pub with_syncs_and_tasks: bool,
    /// The latest risk level shared on these local days, if any.
    pub risk_window: Option<(NaiveDate, NaiveDate)>,
}

/// Sums of one person's `person_days` over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DaySums {
    pub worked_minutes: i64,
    pub overtime_minutes: i64,
    pub after_hours_minutes: i64,
    pub weekend_minutes: i64,
    /// Working days with some work logged.
    pub session_working_days: u32,
    /// Working days with a check-in.
    pub check_in_working_days: u32,
    /// Days with a check-in, working or not.
    pub check_in_days: u32,
    pub app_open_days: u32,
}

/// One person's facts for a period.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonFacts {
    pub user_id: Uuid,
    pub name: String,
    pub role: Role,
    pub department_id: Option<Uuid>,
    pub created_at: Millis,
    pub activated_at: Option<Millis>,
    pub deactivated_at: Option<Millis>,
    pub schedule: ScheduleRow,
    pub days: DaySums,
    /// Distinct local days with a push or pull, and their number.
    pub sync_days: u32,
    pub syncs: u32,
    /// Tasks completed within the period, and overdue on its last day.
    pub tasks_completed: u32,
    pub tasks_overdue: u32,
    pub risk: Option<RiskMark>,
}

/// A person's request to delete their account and data, as their phone sent it through sync.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletionRequestRecord {
    /// The request's id (its record id).
    pub id: String,
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub department_id: Option<Uuid>,
    /// When the person asked (their phone's clock).
    pub requested_at: Millis,
    /// When the server stored it.
    pub received_at: Millis,
    /// Once an admin carried it out: when, by whom, and how many stored rows it erased.
    pub carried_out: Option<CarriedOut>,
}

/// A carried-out deletion: what is left to show of it.
#[derive(Debug, Clone, PartialEq)]
pub struct CarriedOut {
    pub at: Millis,
    pub by: Uuid,
    pub erased: u64,
}

/// What carrying out a deletion request did.
#[derive(Debug, Clone, PartialEq)]
pub enum DeletionOutcome {
    /// Carried out now, or earlier (asking again changes nothing).
    Done(DeletionRequestRecord),
    /// No such request in the organisation.
    NotFound,
    /// The admin's own request: another admin carries it out (so an organisation never loses
    /// its last admin this way: whoever carries it out is one).
    OwnRequest,
}

/// The admin API's storage. Implemented by every [`Store`](super::Store) backend.
#[async_trait]
pub trait AdminStore: Send + Sync + 'static {
    // ---- audit log ----

    /// Logs an action that was stored by another method (tasks, feedback, settings...).
    async fn record_audit(&self, entry: AuditEntry) -> StoreResult<()>;

    /// Entries matching the filter, newest first.
    async fn audit_log(&self, filter: AuditFilter) -> StoreResult<Page<AuditRecord>>;

    // ---- departments ----

    /// Every department of the organisation, archived ones included.
    async fn departments(&self, org_id: Uuid) -> StoreResult<Vec<Department>>;

    async fn create_department(
        &self,
        org_id: Uuid,
        parent_id: Option<Uuid>,
        name: String,
        audit: AuditEntry,
    ) -> StoreResult<DepartmentOutcome>;

    async fn change_department(
        &self,
        org_id: Uuid,
        id: Uuid,
        change: DepartmentChange,
        audit: AuditEntry,
    ) -> StoreResult<DepartmentOutcome>;

    /// Archives a department without people and without active sub-departments.
    async fn archive_department(&self, org_id: Uuid, id: Uuid, audit: AuditEntry) -> StoreResult<DepartmentOutcome>;

    // ---- people ----

    async fn people(&self, filter: PeopleFilter) -> StoreResult<Page<Person>>;

    /// One person of the organisation, with their latest risk level shared in `risk_window`.
    async fn person(&self, org_id: Uuid, id: Uuid, risk_window: (NaiveDate, NaiveDate)) -> StoreResult<Option<Person>>;

    /// Creates an account without a password and the invitation its person registers with.
    async fn create_person(&self, person: NewPerson, audit: AuditEntry) -> StoreResult<PersonOutcome>;

    async fn change_person(&self, org_id: Uuid, id: Uuid, change: PersonChange, audit: AuditEntry) -> StoreResult<PersonOutcome>;

    /// Deactivates (signing every device out) or reactivates a person; data is kept.
    async fn set_person_active(&self, org_id: Uuid, id: Uuid, active: bool, audit: AuditEntry) -> StoreResult<PersonOutcome>;

    // ---- activity ----

    /// Counts a push or pull of a device on its person's local day, and marks the person seen.
    async fn log_sync(&self, org_id: Uuid, user_id: Uuid, device_id: Uuid, kind: SyncKind, at: Millis) -> StoreResult<()>;

    /// Per person in reach (deactivated ones included: the caller decides), their facts for a
    /// period.
    async fn period_facts(&self, query: PeriodQuery) -> StoreResult<Vec<PersonFacts>>;

    /// For each ISO week starting on one of `weeks`, per person in reach: their sums of the
    /// week (from the weekly rollup, one row per person) and their latest risk level shared in
    /// that week or the `risk_weeks_before` weeks before it. One read for all the weeks: the
    /// weekly indicators compare a week with the one before.
    async fn week_facts(
        &self,
        org_id: Uuid,
        within: Option<Uuid>,
        weeks: Vec<NaiveDate>,
        risk_weeks_before: u32,
    ) -> StoreResult<Vec<Vec<PersonFacts>>>;

    /// The latest shared risk mark of each person in reach on the local days `[from, to]`,
    /// with the factors.
    async fn risk_marks(&self, org_id: Uuid, within: Option<Uuid>, window: (NaiveDate, NaiveDate)) -> StoreResult<Vec<(Uuid, RiskMark)>>;

    // ---- indicator targets ----

    /// The targets an admin set (a JSON object), if any.
    async fn indicator_targets(&self, org_id: Uuid) -> StoreResult<Option<Value>>;

    async fn set_indicator_targets(&self, org_id: Uuid, targets: Value, audit: AuditEntry) -> StoreResult<()>;

    // ---- deletion requests ----

    /// Every deletion request of the organisation's people, newest received first: those
    /// waiting, and those carried out.
    async fn deletion_requests(&self, org_id: Uuid) -> StoreResult<Vec<DeletionRequestRecord>>;

    /// Carries out a deletion request, in one transaction: the person's devices are signed out
    /// and forgotten, their records, change log, statistics and invitations erased, and their
    /// account anonymised and deactivated (kept, so the audit log's references stay valid).
    /// `audit` is logged with the person and the count of erased rows added to its details.
    async fn carry_out_deletion(&self, org_id: Uuid, request_id: String, audit: AuditEntry) -> StoreResult<DeletionOutcome>;
}

/// The admin storage of a backend without an admin API (see [`Store::admin`](super::Store::admin)):
/// every method fails with [`StoreError::Invalid`].
pub struct NoAdminStore;

fn unsupported<T>() -> StoreResult<T> {
    Err(StoreError::Invalid("this store does not serve the admin API".into()))
}

#[async_trait]
impl AdminStore for NoAdminStore {
    async fn record_audit(&self, _entry: AuditEntry) -> StoreResult<()> {
        unsupported()
    }

    async fn audit_log(&self, _filter: AuditFilter) -> StoreResult<Page<AuditRecord>> {
        unsupported()
    }

    async fn departments(&self, _org_id: Uuid) -> StoreResult<Vec<Department>> {
        unsupported()
    }

    async fn create_department(
        &self,
        _org_id: Uuid,
        _parent_id: Option<Uuid>,
        _name: String,
        _audit: AuditEntry,
    ) -> StoreResult<DepartmentOutcome> {
        unsupported()
    }

    async fn change_department(
        &self,
        _org_id: Uuid,
        _id: Uuid,
        _change: DepartmentChange,
        _audit: AuditEntry,
    ) -> StoreResult<DepartmentOutcome> {
        unsupported()
    }

    async fn archive_department(&self, _org_id: Uuid, _id: Uuid, _audit: AuditEntry) -> StoreResult<DepartmentOutcome> {
        unsupported()
    }

    async fn people(&self, _filter: PeopleFilter) -> StoreResult<Page<Person>> {
        unsupported()
    }

    async fn person(&self, _org_id: Uuid, _id: Uuid, _risk_window: (NaiveDate, NaiveDate)) -> StoreResult<Option<Person>> {
        unsupported()
    }

    async fn create_person(&self, _person: NewPerson, _audit: AuditEntry) -> StoreResult<PersonOutcome> {
        unsupported()
    }

    async fn change_person(&self, _org_id: Uuid, _id: Uuid, _change: PersonChange, _audit: AuditEntry) -> StoreResult<PersonOutcome> {
        unsupported()
    }

    async fn set_person_active(&self, _org_id: Uuid, _id: Uuid, _active: bool, _audit: AuditEntry) -> StoreResult<PersonOutcome> {
        unsupported()
    }

    async fn log_sync(&self, _org_id: Uuid, _user_id: Uuid, _device_id: Uuid, _kind: SyncKind, _at: Millis) -> StoreResult<()> {
        unsupported()
    }

    async fn period_facts(&self, _query: PeriodQuery) -> StoreResult<Vec<PersonFacts>> {
        unsupported()
    }

    async fn week_facts(
        &self,
        _org_id: Uuid,
        _within: Option<Uuid>,
        _weeks: Vec<NaiveDate>,
        _risk_weeks_before: u32,
    ) -> StoreResult<Vec<Vec<PersonFacts>>> {
        unsupported()
    }

    async fn risk_marks(&self, _org_id: Uuid, _within: Option<Uuid>, _window: (NaiveDate, NaiveDate)) -> StoreResult<Vec<(Uuid, RiskMark)>> {
        unsupported()
    }

    async fn indicator_targets(&self, _org_id: Uuid) -> StoreResult<Option<Value>> {
        unsupported()
    }

    async fn set_indicator_targets(&self, _org_id: Uuid, _targets: Value, _audit: AuditEntry) -> StoreResult<()> {
        unsupported()
    }

    async fn deletion_requests(&self, _org_id: Uuid) -> StoreResult<Vec<DeletionRequestRecord>> {
        unsupported()
    }

    async fn carry_out_deletion(&self, _org_id: Uuid, _request_id: String, _audit: AuditEntry) -> StoreResult<DeletionOutcome> {
        unsupported()
    }
}
