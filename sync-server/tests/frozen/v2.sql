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
