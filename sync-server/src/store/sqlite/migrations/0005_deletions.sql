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
