-- Server schema version 1: organisations, departments, accounts, devices, tokens, login
-- throttling, invitations, and the sync change log with the current state of every record.
-- Ids are UUID text, times Unix milliseconds, tokens and codes only as their SHA-256.

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE departments (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    parent_id   TEXT REFERENCES departments(id),
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX departments_unique_name ON departments (org_id, COALESCE(parent_id, ''), name);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations(id),
    department_id  TEXT REFERENCES departments(id),
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'employee')),
    password_hash  TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE devices (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id),
    name           TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    last_login_at  INTEGER NOT NULL,
    revoked_at     INTEGER
);
CREATE INDEX devices_user ON devices (user_id);

CREATE TABLE access_tokens (
    token_hash  BLOB PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES devices(id),
    expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX access_tokens_device ON access_tokens (device_id);

-- A rotated refresh token stays (used_at set) until it expires, so its reuse is recognised.
CREATE TABLE refresh_tokens (
    token_hash  BLOB PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES devices(id),
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
) WITHOUT ROWID;
CREATE INDEX refresh_tokens_device ON refresh_tokens (device_id);

-- One row per failed login per key ('account:<email>', 'address:<ip>').
CREATE TABLE login_failures (
    id   INTEGER PRIMARY KEY,
    key  TEXT NOT NULL,
    at   INTEGER NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE invitations (
    code_hash      BLOB PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations(id),
    email          TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'employee')),
    department_id  TEXT REFERENCES departments(id),
    created_by     TEXT NOT NULL REFERENCES users(id),
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    used_at        INTEGER,
    used_by        TEXT REFERENCES users(id)
) WITHOUT ROWID;

-- The last sync sequence number handed out in each organisation. Incremented inside the push
-- transaction, so sequence order is commit order within an organisation.
CREATE TABLE sync_sequences (
    org_id    TEXT PRIMARY KEY REFERENCES organisations(id),
    last_seq  INTEGER NOT NULL
) WITHOUT ROWID;

-- Every change ever accepted, by id: what makes push idempotent.
CREATE TABLE changes (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations(id),
    user_id      TEXT NOT NULL REFERENCES users(id),
    device_id    TEXT NOT NULL REFERENCES devices(id),
    entity       TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    op           TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    hlc          TEXT NOT NULL,
    payload      TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    applied      INTEGER NOT NULL CHECK (applied IN (0, 1))
) WITHOUT ROWID;

-- The winning (last-writer-wins) state of every record, tombstones included, stamped with the
-- sequence number of the change that last won. Pull reads this table in sequence order.
CREATE TABLE records (
    org_id     TEXT NOT NULL REFERENCES organisations(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    entity     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    change_id  TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    hlc        TEXT NOT NULL,
    payload    TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (user_id, entity, record_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX records_org_seq ON records (org_id, seq);
CREATE INDEX records_user_seq ON records (user_id, seq);

-- Server schema version 2: records the server writes itself. Organisation-wide records
-- (settings, risk-model updates) get their own table, numbered from the same per-organisation
-- sequence as `records`, so a pull merges both in one order. Every change the server writes
-- (for one person or for the organisation) is logged with its author, and its id is held like
-- a device change's, so no push can reuse it. The default settings of organisations that
-- existed before this version are written by the migration step that follows this script.

-- The winning state of every organisation-wide record, stamped with the sequence number of
-- the change that last won. Pull reads it together with `records`.
CREATE TABLE org_records (
    org_id     TEXT NOT NULL REFERENCES organisations(id),
    entity     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    change_id  TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    hlc        TEXT NOT NULL,
    payload    TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (org_id, entity, record_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX org_records_org_seq ON org_records (org_id, seq);

-- Every change the server wrote: a task assigned, feedback sent, settings changed, a model
-- published. `user_id` is the person whose record it is (NULL: organisation-wide);
-- `author_id` who asked for it (NULL: the server itself, e.g. an organisation's defaults).
CREATE TABLE server_changes (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    user_id     TEXT REFERENCES users(id),
    author_id   TEXT REFERENCES users(id),
    entity      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    op          TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    hlc         TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX server_changes_org_created ON server_changes (org_id, created_at);
-- Server schema version 3: the admin API. Departments can be archived; accounts know when they
-- were first used, last seen and deactivated, and carry a case-folded name for search; every
-- admin and manager action is logged; and a few tables derived from the records (maintained in
-- the push transaction) make the activity statistics, weekly indicators and risk overview fast.
-- The data step that follows this script fills the new columns and derived tables from the
-- data already held.

ALTER TABLE departments ADD COLUMN archived_at INTEGER;
CREATE INDEX departments_parent ON departments (parent_id);

-- `search_name`: the name lowercased (Unicode, not only ASCII) for "search by name".
-- `activated_at`: the first sign-in ("activated" = signed in at least once).
-- `last_seen_at`: the last sign-in, push or pull. `deactivated_at`: set while deactivated.
-- An account created by an admin before its person registered has an empty password hash
-- until the invitation is redeemed: nobody can sign in to it.
ALTER TABLE users ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN activated_at INTEGER;
ALTER TABLE users ADD COLUMN last_seen_at INTEGER;
ALTER TABLE users ADD COLUMN deactivated_at INTEGER;
CREATE INDEX users_department ON users (department_id);

-- Who did what, when and from where. `actor_name` and `actor_role` are copied at the time of
-- the action, so the log reads the same after a rename or a role change; `details` is a JSON
-- object describing the change.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations(id),
    at           INTEGER NOT NULL,
    actor_id     TEXT NOT NULL REFERENCES users(id),
    actor_name   TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    action       TEXT NOT NULL,
    target_type  TEXT,
    target_id    TEXT,
    details      TEXT NOT NULL,
    client_addr  TEXT
);
CREATE INDEX audit_log_org_at ON audit_log (org_id, at);

-- Pushes and pulls per device per local day of its person, counted at request time.
CREATE TABLE sync_days (
    org_id     TEXT NOT NULL REFERENCES organisations(id),
    day        TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users(id),
    device_id  TEXT NOT NULL REFERENCES devices(id),
    pushes     INTEGER NOT NULL,
    pulls      INTEGER NOT NULL,
    PRIMARY KEY (org_id, day, user_id, device_id)
) WITHOUT ROWID;
CREATE INDEX sync_days_user ON sync_days (user_id, day);

-- The schedule of each person's current profile (absent: the default schedule), compact
-- enough to count the working days of 10,000 people at once. `working_days`: bit 0 = Monday
-- ... bit 6 = Sunday.
CREATE TABLE person_schedules (
    user_id       TEXT PRIMARY KEY REFERENCES users(id),
    working_days  INTEGER NOT NULL,
    start_minute  INTEGER NOT NULL,
    end_minute    INTEGER NOT NULL,
    time_zone     TEXT NOT NULL
) WITHOUT ROWID;

-- The current, ended work sessions of each person (running timers are not synced), by start.
CREATE TABLE person_sessions (
    user_id     TEXT NOT NULL REFERENCES users(id),
    record_id   TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, record_id)
) WITHOUT ROWID;
CREATE INDEX person_sessions_start ON person_sessions (user_id, started_at);

-- One row per person per local day with any activity: the device core's day statistics
-- (qamqor_core::stats::day_stats) of the day under the person's current schedule.
CREATE TABLE person_days (
    org_id               TEXT NOT NULL REFERENCES organisations(id),
    day                  TEXT NOT NULL,
    user_id              TEXT NOT NULL REFERENCES users(id),
    worked_minutes       INTEGER NOT NULL,
    scheduled_minutes    INTEGER NOT NULL,
    overtime_minutes     INTEGER NOT NULL,
    after_hours_minutes  INTEGER NOT NULL,
    weekend_minutes      INTEGER NOT NULL,
    check_in             INTEGER NOT NULL CHECK (check_in IN (0, 1)),
    app_open             INTEGER NOT NULL CHECK (app_open IN (0, 1)),
    PRIMARY KEY (org_id, day, user_id)
) WITHOUT ROWID;
CREATE INDEX person_days_user ON person_days (user_id, day);

-- The weekly sums of `person_days` per person and ISO week (`week`: its Monday), with the latest
-- risk level shared within the week: what the weekly indicators read, a seventh of the rows.
CREATE TABLE person_weeks (
    org_id                 TEXT NOT NULL REFERENCES organisations(id),
    week                   TEXT NOT NULL,
    user_id                TEXT NOT NULL REFERENCES users(id),
    worked_minutes         INTEGER NOT NULL,
    overtime_minutes       INTEGER NOT NULL,
    after_hours_minutes    INTEGER NOT NULL,
    weekend_minutes        INTEGER NOT NULL,
    session_working_days   INTEGER NOT NULL,
    check_in_working_days  INTEGER NOT NULL,
    check_in_days          INTEGER NOT NULL,
    app_open_days          INTEGER NOT NULL,
    risk_day               TEXT,
    risk_level             TEXT,
    risk_score             REAL,
    PRIMARY KEY (org_id, week, user_id)
) WITHOUT ROWID;
CREATE INDEX person_weeks_user ON person_weeks (user_id, week);

-- Each task's completion day and the local days it is overdue (`overdue_until` NULL: still
-- open), per the device core's rule (qamqor_core::stats::overdue_days).
CREATE TABLE person_tasks (
    org_id          TEXT NOT NULL REFERENCES organisations(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    task_id         TEXT NOT NULL,
    completed_day   TEXT,
    overdue_from    TEXT,
    overdue_until   TEXT,
    PRIMARY KEY (user_id, task_id)
) WITHOUT ROWID;
CREATE INDEX person_tasks_completed ON person_tasks (org_id, completed_day);
CREATE INDEX person_tasks_overdue ON person_tasks (org_id, overdue_from);

-- The shared risk assessments, one per person per local day (level NULL: not enough data on
-- the device; factors only under the individual policy).
CREATE TABLE person_risk (
    org_id   TEXT NOT NULL REFERENCES organisations(id),
    user_id  TEXT NOT NULL REFERENCES users(id),
    day      TEXT NOT NULL,
    level    TEXT CHECK (level IN ('low', 'medium', 'high')),
    score    REAL,
    factors  TEXT,
    PRIMARY KEY (user_id, day)
) WITHOUT ROWID;

-- The weekly indicators' targets an admin set (absent: the defaults), as a JSON object.
CREATE TABLE indicator_targets (
    org_id      TEXT PRIMARY KEY REFERENCES organisations(id),
    targets     TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT REFERENCES users(id)
) WITHOUT ROWID;


-- Server schema version 4: ratings. Achievements (pushed by phones) and their verdicts (written
-- by the server) are records like any other; the rankings and the review of one achievement
-- find them by kind across an organisation. Never edit once landed.

CREATE INDEX records_by_entity ON records (org_id, entity, record_id);
-- Server schema version 5: deletion requests carried out. Carrying one out erases the person's
-- records, change log, statistics and devices and anonymises their account (kept, deactivated,
-- so the audit log's references stay valid); this table keeps what is left to show: that the
-- request was handled, when and by whom. Never edit once landed.

CREATE TABLE deletions (
    request_id      TEXT NOT NULL,
    org_id          TEXT NOT NULL REFERENCES organisations(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    requested_at    INTEGER NOT NULL,
    received_at     INTEGER NOT NULL,
    carried_out_at  INTEGER NOT NULL,
    carried_out_by  TEXT NOT NULL REFERENCES users(id),
    erased          INTEGER NOT NULL,
    PRIMARY KEY (org_id, request_id)
) WITHOUT ROWID;
CREATE INDEX deletions_user ON deletions (user_id);
