//! The server's storage interface. Handlers and services see only [`Store`]; SQLite
//! ([`sqlite::SqliteStore`]) is the default backend and a PostgreSQL one implements the same
//! trait later. Each method is one transaction, so its outcome is all or nothing; domain
//! outcomes ("refresh token reused", "change id conflict") come back as values, and only
//! infrastructure failures as [`StoreError`].

pub mod admin;
pub mod ratings;
pub mod sqlite;

pub use admin::AdminStore;
pub use ratings::RatingStore;

use async_trait::async_trait;
use qamqor_protocol::{Change, Entity, Role};
use uuid::Uuid;

/// Unix time in milliseconds.
pub type Millis = i64;

/// An infrastructure failure of the store, or a uniqueness rule broken by the caller.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{what} already exists")]
    Duplicate { what: &'static str },
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("the database schema is version {found}, newer than this server supports ({supported}): update the server")]
    SchemaTooNew { found: u32, supported: u32 },
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The caller asked for something the store's rules forbid (a bug in the caller, not bad
    /// input: handlers validate before they call the store).
    #[error("invalid request to the store: {0}")]
    Invalid(String),
    #[error("storage backend: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// An organisation: the boundary nothing crosses.
#[derive(Debug, Clone, PartialEq)]
pub struct Org {
    pub id: Uuid,
    pub name: String,
}

/// An organisation to create, with its first settings record (an
/// [`Entity::OrgSettings`](qamqor_protocol::Entity::OrgSettings) upsert whose record id and
/// payload the caller builds), so a member's first pull already carries the settings.
#[derive(Debug, Clone)]
pub struct NewOrg {
    pub name: String,
    pub settings: Change,
    pub now: Millis,
}

/// A person as scope checks see them: where they sit in the department tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub role: Role,
    pub department_id: Option<Uuid>,
}

/// Whose record a server write touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordOwner {
    /// One person's record (a task assigned to them, feedback for them): pulled by them only.
    User(Uuid),
    /// A record of the whole organisation (settings, risk models): pulled by every member.
    Org,
}

/// A change the server writes itself, on behalf of `author_id` (or of nobody, for defaults).
///
/// `change.hlc` is the server's proposed stamp. The store raises it inside the write
/// transaction when the record's current stamp is not smaller
/// ([`crate::sync::stamp_above`]), so a server write always wins over the state it replaces.
/// An organisation-wide entity must be written with [`RecordOwner::Org`] and a personal one
/// with [`RecordOwner::User`].
#[derive(Debug, Clone)]
pub struct ServerWrite {
    pub org_id: Uuid,
    pub owner: RecordOwner,
    pub author_id: Option<Uuid>,
    pub change: Change,
    /// Write only if the record does not exist yet (a model version is published once).
    pub create_only: bool,
    pub now: Millis,
}

/// Result of a server write.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerWriteOutcome {
    /// Stored, with the stamp it finally got and a new sequence number.
    Written(Change),
    /// `create_only` and the record exists: nothing was written.
    Exists,
    /// The owner is not a member of the organisation: nothing was written.
    NoSuchUser,
}

/// An account to create; its department is found or created by name within the organisation.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub org_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department: Option<String>,
    pub password_hash: String,
    pub now: Millis,
}

/// A department of an organisation: the tree managers' scopes follow (`parent_id`).
#[derive(Debug, Clone, PartialEq)]
pub struct Department {
    pub id: Uuid,
    pub org_id: Uuid,
    /// `None` for a top-level department.
    pub parent_id: Option<Uuid>,
    pub name: String,
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department: Option<String>,
}

/// What login needs to check a password.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user_id: Uuid,
    pub role: Role,
    pub password_hash: String,
    /// Deactivated by an admin: the right password is still refused.
    pub deactivated: bool,
}

/// A token as the store keeps it: its SHA-256, never the token itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuedToken {
    pub hash: [u8; 32],
    pub expires_at: Millis,
}

/// A device session to open at login or registration: the device is created, or reused when
/// it already belongs to this user (and un-revoked), and gets a fresh token pair.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub device_id: Uuid,
    pub device_name: String,
    pub access: IssuedToken,
    pub refresh: IssuedToken,
    pub now: Millis,
}

/// Result of opening a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionOutcome {
    Opened,
    /// The device id is registered to another account.
    DeviceTaken,
}

/// Who is calling, from a valid access token.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthContext {
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub role: Role,
    pub device_id: Uuid,
    pub department: Option<String>,
    /// When the access token expires.
    pub expires_at: Millis,
}

/// Result of presenting a refresh token.
#[derive(Debug, Clone, PartialEq)]
pub enum RefreshOutcome {
    /// The token was current: it is now spent and the new pair is stored.
    Rotated {
        user_id: Uuid,
        device_id: Uuid,
        role: Role,
    },
    /// The token had already been rotated: the device's session is now revoked.
    Reused,
    Expired,
    Unknown,
}

/// A registered device.
#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: Uuid,
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub revoked: bool,
}

/// An invitation to store; only the code's hash is kept.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub code_hash: [u8; 32],
    pub org_id: Uuid,
    pub email: String,
    pub role: Role,
    pub department: Option<String>,
    pub created_by: Uuid,
    pub now: Millis,
    pub expires_at: Millis,
}

/// An account to create from an invitation, with the session of the registering device.
#[derive(Debug, Clone)]
pub struct Registration {
    pub code_hash: [u8; 32],
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub session: NewSession,
}

/// Result of redeeming an invitation.
#[derive(Debug, Clone, PartialEq)]
pub enum RedeemOutcome {
    Registered(User),
    NotFound,
    Used,
    Expired,
    EmailMismatch,
    EmailTaken,
    DeviceTaken,
    /// The account created for this invitation was deactivated meanwhile.
    Deactivated,
}

/// Whose data a sync request touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncScope {
    pub org_id: Uuid,
    pub user_id: Uuid,
    pub device_id: Uuid,
}

/// Result of a push.
#[derive(Debug, Clone, PartialEq)]
pub enum PushOutcome {
    /// Every change is now held: these ids (in request order) are acknowledged.
    Acked(Vec<Uuid>),
    /// The change at `index` reuses an id held with other content or for another user;
    /// nothing was stored.
    Conflict { index: usize },
}

/// One page of a pull.
#[derive(Debug, Clone, PartialEq)]
pub struct PullPage {
    pub changes: Vec<Change>,
    pub next: u64,
    pub has_more: bool,
}

/// Failed logins counted for one key within a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureWindow {
    pub count: u32,
    /// The oldest failure still in the window.
    pub oldest: Option<Millis>,
}

/// Everything the server stores. Each method is one transaction. The admin API's part is a
/// second trait, [`AdminStore`], reached through [`Store::admin`].
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The admin API's storage of this backend. The default is [`admin::NoAdminStore`], whose
    /// every method fails: wrappers and test doubles that do not serve the admin API need not
    /// implement it; real backends return themselves.
    fn admin(&self) -> &dyn AdminStore {
        &admin::NoAdminStore
    }

    /// The storage of achievements and ratings of this backend ([`ratings::NoRatingStore`] by
    /// default, like [`Store::admin`]).
    fn ratings(&self) -> &dyn RatingStore {
        &ratings::NoRatingStore
    }

    // ---- organisations and accounts ----

    /// Creates an organisation with its first settings record; `Duplicate` when the name is
    /// taken.
    async fn create_org(&self, org: NewOrg) -> StoreResult<Org>;

    async fn org_by_name(&self, name: &str) -> StoreResult<Option<Org>>;

    /// Creates an account (and its department on demand); `Duplicate` when the email is taken.
    async fn create_user(&self, user: NewUser) -> StoreResult<User>;

    /// The department `name` directly under `parent_id` (top level when `None`), created if
    /// missing. `Invalid` when the parent is not a department of the organisation.
    async fn ensure_department(&self, org_id: Uuid, parent_id: Option<Uuid>, name: &str, now: Millis) -> StoreResult<Department>;

    /// Moves an account to a department of its organisation (or out of any, with `None`).
    /// False when there is no such account; `Invalid` when the department belongs to another
    /// organisation or does not exist.
    async fn set_user_department(&self, user_id: Uuid, department_id: Option<Uuid>) -> StoreResult<bool>;

    /// Dates an account's creation and activation (`serve --demo` only: its simulated people
    /// joined weeks before the server's today). False when there is no such account.
    async fn set_account_dates(&self, user_id: Uuid, created_at: Millis, activated_at: Option<Millis>) -> StoreResult<bool>;

    /// The account with this id, with where it sits in its organisation.
    async fn member(&self, user_id: Uuid) -> StoreResult<Option<Member>>;

    /// Whether `department` is `ancestor` or lies below it in the department tree.
    async fn department_within(&self, department: Uuid, ancestor: Uuid) -> StoreResult<bool>;

    /// The credentials of the account with this (normalised) email.
    async fn credentials(&self, email: &str) -> StoreResult<Option<Credentials>>;

    // ---- failed-login counters (shared by all replicas) ----

    /// Failures recorded under each key since `since`, in the order of `keys`.
    async fn login_failures(&self, keys: &[String], since: Millis) -> StoreResult<Vec<FailureWindow>>;

    /// Records one failure under each key at `at`, and forgets failures before `forget_before`.
    async fn record_login_failure(&self, keys: &[String], at: Millis, forget_before: Millis) -> StoreResult<()>;

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;

    // ---- devices and tokens ----

    async fn open_session(&self, user_id: Uuid, session: NewSession) -> StoreResult<SessionOutcome>;

    /// Who holds this access token, if it is known and its device not revoked (expired ones
    /// are returned too, with their `expires_at`, so the caller can say so).
    async fn authenticate(&self, access_hash: [u8; 32]) -> StoreResult<Option<AuthContext>>;

    /// Spends a refresh token and stores the new pair; a spent token revokes the device.
    /// Spends a refresh token for a new pair. A token spent less than `reuse_grace_ms` ago by
    /// the device's latest rotation, whose successor was never used, is a retry after a lost
    /// answer: the unused successor is dropped and a new pair issued. Any other reuse revokes
    /// the device's session.
    async fn rotate_refresh(
        &self,
        old_hash: [u8; 32],
        access: IssuedToken,
        refresh: IssuedToken,
        now: Millis,
        reuse_grace_ms: Millis,
    ) -> StoreResult<RefreshOutcome>;

    async fn device(&self, id: Uuid) -> StoreResult<Option<Device>>;

    /// Revokes a device: deletes its tokens and marks it revoked. False if unknown.
    async fn revoke_device(&self, id: Uuid, now: Millis) -> StoreResult<bool>;

    // ---- invitations ----

    async fn create_invitation(&self, invitation: NewInvitation) -> StoreResult<()>;

    /// Consumes an invitation and creates the account and its first session, all at once.
    async fn redeem_invitation(&self, registration: Registration) -> StoreResult<RedeemOutcome>;

    // ---- sync ----

    /// Stores a batch of changes at most once each, applying last-writer-wins per record.
    async fn push(&self, scope: SyncScope, changes: Vec<Change>, now: Millis) -> StoreResult<PushOutcome>;

    /// The current state of the records visible in `scope` changed after `since`: the user's
    /// own records and their organisation's, merged in sequence order.
    async fn pull(&self, scope: SyncScope, since: u64, limit: u32) -> StoreResult<PullPage>;

    /// Writes a record on the server's behalf (see [`ServerWrite`]): the change is logged,
    /// its stamp raised above the record's current one if needed, and the record gets the
    /// organisation's next sequence number, all in one transaction.
    async fn write_server_record(&self, write: ServerWrite) -> StoreResult<ServerWriteOutcome>;

    /// The current state of an organisation-wide record.
    async fn org_record(&self, org_id: Uuid, entity: Entity, record_id: &str) -> StoreResult<Option<Change>>;
}
