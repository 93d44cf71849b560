-- Server schema version 4: ratings. Achievements (pushed by phones) and their verdicts (written
-- by the server) are records like any other; the rankings and the review of one achievement
-- find them by kind across an organisation. Never edit once landed.

CREATE INDEX records_by_entity ON records (org_id, entity, record_id);
