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
