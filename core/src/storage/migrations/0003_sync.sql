-- Qamqor device database, version 3: the sync client's state and the records other devices
-- and the server send. Never edit once landed: add a new numbered migration.

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
UPDATE check_ins SET hlc = (SELECT o.hlc FROM outbox o WHERE o.entity = 'check_in' AND o.record_id = check_ins.id);

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
