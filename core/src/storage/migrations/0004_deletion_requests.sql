-- Qamqor device database, version 4: the person's request to delete their account and data.
-- Never edit once landed: add a new numbered migration.

-- Made in the privacy centre of this phone, or pulled from another of the person's phones.
-- It travels to the server through sync like every fact (entity 'deletion_request'); while its
-- change waits in the outbox the request has not reached the organisation yet.
CREATE TABLE deletion_requests (
    id            TEXT PRIMARY KEY,
    requested_at  INTEGER NOT NULL
) STRICT;
