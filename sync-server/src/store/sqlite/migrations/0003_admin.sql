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
