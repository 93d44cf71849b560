-- Qamqor device database, version 2: burnout-risk assessments and installed model updates.
-- Never edit once landed: add a new numbered migration.

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
