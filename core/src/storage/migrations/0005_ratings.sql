-- Qamqor device database: achievements and the rating (docs/RATINGS.md), competencies. Numbered 0005 so a
-- parallel 0004 can land first; never edit once landed: add a new numbered migration.

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
