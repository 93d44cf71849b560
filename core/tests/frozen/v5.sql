-- Frozen copy of the device schema at version 5, as shipped. Never edit: tests/migrations.rs upgrades it.
-- Times are UTC milliseconds since the Unix epoch; local dates are 'YYYY-MM-DD' in the
-- person's time zone at the moment of writing.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE profile (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    name                TEXT NOT NULL,
    department          TEXT NOT NULL,
    position            TEXT NOT NULL,
    qualification_level INTEGER CHECK (qualification_level BETWEEN 1 AND 8),
    working_days        INTEGER NOT NULL CHECK (working_days BETWEEN 1 AND 127), -- bit 0 = Monday
    day_start_minute    INTEGER NOT NULL CHECK (day_start_minute BETWEEN 0 AND 1439),
    day_end_minute      INTEGER NOT NULL CHECK (day_end_minute BETWEEN 1 AND 1440),
    time_zone           TEXT NOT NULL,
    remote_work         INTEGER NOT NULL CHECK (remote_work IN (0, 1)),
    language            TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'en')),
    photo_jpeg          BLOB,
    hlc                 TEXT NOT NULL,
    updated_at          INTEGER NOT NULL
) STRICT;

CREATE TABLE work_sessions (
    id         TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER CHECK (ended_at IS NULL OR ended_at > started_at),
    source     TEXT NOT NULL CHECK (source IN ('timer', 'manual')),
    note       TEXT,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX work_sessions_by_start ON work_sessions (started_at);
-- At most one running timer.
CREATE UNIQUE INDEX work_sessions_one_running ON work_sessions ((ended_at IS NULL)) WHERE ended_at IS NULL;

CREATE TABLE tasks (
    id               TEXT PRIMARY KEY,
    title            TEXT NOT NULL CHECK (length(title) > 0),
    notes            TEXT,
    due_date         TEXT,
    estimate_minutes INTEGER CHECK (estimate_minutes > 0),
    status           TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'done', 'cancelled')),
    assigned_by      TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    completed_at     INTEGER,
    hlc              TEXT NOT NULL
) STRICT;
CREATE INDEX tasks_by_status ON tasks (status, due_date);

CREATE TABLE check_ins (
    id          TEXT PRIMARY KEY,
    local_date  TEXT NOT NULL,
    fatigue     INTEGER NOT NULL CHECK (fatigue BETWEEN 0 AND 10),
    stress      INTEGER NOT NULL CHECK (stress BETWEEN 1 AND 5),
    mood        INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
    sleep_hours REAL NOT NULL CHECK (sleep_hours BETWEEN 0 AND 24),
    note        TEXT,
    recorded_at INTEGER NOT NULL,
    replaced_by TEXT REFERENCES check_ins (id)
) STRICT;
-- One current check-in per local day; replaced ones stay as history.
CREATE UNIQUE INDEX check_ins_one_current_per_day ON check_ins (local_date) WHERE replaced_by IS NULL;
CREATE INDEX check_ins_by_date ON check_ins (local_date, recorded_at);
-- The foreign key's child index: without it SQLite scans the table on every insert.
CREATE INDEX check_ins_by_replaced_by ON check_ins (replaced_by);

CREATE TABLE cbi_responses (
    id             TEXT PRIMARY KEY,
    answered_at    INTEGER NOT NULL,
    answers_json   TEXT NOT NULL,
    personal       REAL,
    work_related   REAL,
    client_related REAL
) STRICT;
CREATE INDEX cbi_responses_by_time ON cbi_responses (answered_at);

CREATE TABLE app_opens (
    local_date      TEXT PRIMARY KEY,
    open_count      INTEGER NOT NULL CHECK (open_count > 0),
    first_opened_at INTEGER NOT NULL,
    last_opened_at  INTEGER NOT NULL
) STRICT;

-- Changes waiting to be pushed, written in the same transaction as the record they describe.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    entity     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    hlc        TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- One assessment per local day (the latest of the day), for the history the app shows.
CREATE TABLE risk_assessments (
    local_date    TEXT PRIMARY KEY,
    assessed_at   INTEGER NOT NULL,
    score         REAL CHECK (score IS NULL OR score BETWEEN 0 AND 1),
    level         TEXT CHECK (level IN ('low', 'medium', 'high')),
    model_version TEXT NOT NULL,
    factors_json  TEXT NOT NULL
) STRICT;

-- Model artifacts delivered after installation; the newest valid one replaces the built-in.
CREATE TABLE risk_models (
    version      TEXT PRIMARY KEY,
    artifact     BLOB NOT NULL,
    installed_at INTEGER NOT NULL
) STRICT;


-- The account this device syncs with (one row once signed in). Tokens are as secret as the
-- data itself: the database lives in the app's private storage.
CREATE TABLE sync_account (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    server_url         TEXT NOT NULL,
    email              TEXT NOT NULL,
    user_id            TEXT NOT NULL,
    role               TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'employee')),
    access_token       TEXT,
    access_expires_at  INTEGER,
    refresh_token      TEXT,
    refresh_expires_at INTEGER,
    signed_in_at       INTEGER NOT NULL
) STRICT;

-- Deleted records: a tombstone keeps an older write that arrives later from resurrecting them.
CREATE TABLE tombstones (
    entity     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    hlc        TEXT NOT NULL,
    PRIMARY KEY (entity, record_id)
) STRICT, WITHOUT ROWID;

-- The check-in that is current on a day is the one with the greatest stamp, on every device.
ALTER TABLE check_ins ADD COLUMN hlc TEXT;

-- App opens counted on the person's other devices (record id 'device:date'); this device's own
-- stay in app_opens. Activity is the sum over both.
CREATE TABLE other_app_opens (
    record_id       TEXT PRIMARY KEY,
    local_date      TEXT NOT NULL,
    open_count      INTEGER NOT NULL CHECK (open_count > 0),
    first_opened_at INTEGER NOT NULL,
    last_opened_at  INTEGER NOT NULL,
    hlc             TEXT NOT NULL
) STRICT;
CREATE INDEX other_app_opens_by_date ON other_app_opens (local_date);

-- Messages from the person's manager, delivered by the server.
CREATE TABLE feedback (
    id          TEXT PRIMARY KEY,
    from_name   TEXT NOT NULL,
    message     TEXT NOT NULL,
    sent_at     INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    read_at     INTEGER,
    hlc         TEXT NOT NULL
) STRICT;
CREATE INDEX feedback_by_sent ON feedback (sent_at);

-- The organisation's settings as last received (privacy policy shown on the phone).
CREATE TABLE org_settings (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    organisation   TEXT NOT NULL,
    privacy_policy TEXT NOT NULL CHECK (privacy_policy IN ('individual', 'aggregate')),
    min_group_size INTEGER NOT NULL,
    hlc            TEXT NOT NULL
) STRICT;

-- Pulled changes the core could not apply (a malformed payload, an invalid model): kept with
-- the reason, never silently dropped; the sync status counts them.
CREATE TABLE sync_rejected (
    change_id   TEXT PRIMARY KEY,
    entity      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    change_json TEXT NOT NULL,
    received_at INTEGER NOT NULL
) STRICT;


-- The organisation's catalogue of achievement categories and types and its rating method, as
-- last pulled (a RatingCataloguePayload as JSON); until then the built-in defaults apply.
CREATE TABLE rating_catalogue (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    payload TEXT NOT NULL,
    hlc     TEXT NOT NULL
) STRICT;

-- Achievements the person recorded (on any of their devices): append-only facts, deletable
-- while no review has arrived. The evidence is a metadata-free JPEG.
CREATE TABLE achievements (
    id          TEXT PRIMARY KEY,
    type_id     TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT,
    achieved_on TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    evidence    BLOB,
    hlc         TEXT NOT NULL
) STRICT;
CREATE INDEX achievements_by_day ON achievements (achieved_on);

-- A manager's verdict on one achievement, from the server; the points and category are fixed
-- at review time.
CREATE TABLE achievement_reviews (
    achievement_id TEXT PRIMARY KEY,
    status         TEXT NOT NULL CHECK (status IN ('verified', 'rejected')),
    comment        TEXT,
    reviewer_name  TEXT NOT NULL,
    reviewed_at    INTEGER NOT NULL,
    category_id    TEXT NOT NULL,
    points         INTEGER NOT NULL CHECK (points >= 0),
    hlc            TEXT NOT NULL
) STRICT;

-- Competencies (docs/COMPETENCIES.md): the profession card and level an admin assigned, as
-- pulled; the person's own skill scores (0-4) and their manager's, by skill id.
CREATE TABLE competency_assignment (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    card_id     TEXT NOT NULL,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 8),
    assigned_by TEXT NOT NULL,
    assigned_at INTEGER NOT NULL,
    hlc         TEXT NOT NULL
) STRICT;

CREATE TABLE skill_ratings (
    skill_id TEXT PRIMARY KEY,
    score    INTEGER NOT NULL CHECK (score BETWEEN 0 AND 4),
    rated_at INTEGER NOT NULL,
    hlc      TEXT NOT NULL
) STRICT;

CREATE TABLE manager_skill_ratings (
    skill_id TEXT PRIMARY KEY,
    score    INTEGER NOT NULL CHECK (score BETWEEN 0 AND 4),
    rated_by TEXT NOT NULL,
    rated_at INTEGER NOT NULL,
    hlc      TEXT NOT NULL
) STRICT;

CREATE TABLE deletion_requests (
    id            TEXT PRIMARY KEY,
    requested_at  INTEGER NOT NULL
) STRICT;
