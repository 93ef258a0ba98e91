-- Reviewers with their SSH keys, sessions, post leases, and the leads' "return" action.

CREATE TABLE reviewers (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE CHECK (name <> ''),
    role       TEXT    NOT NULL CHECK (role IN ('reviewer', 'lead')),
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,           -- unix milliseconds
    last_seen  INTEGER                     -- unix milliseconds of the last session activity
);

CREATE TABLE reviewer_keys (
    fingerprint TEXT    PRIMARY KEY,       -- SHA256:… as OpenSSH prints it
    reviewer_id INTEGER NOT NULL REFERENCES reviewers (id),
    public_key  TEXT    NOT NULL,          -- authorized_keys form
    added_at    INTEGER NOT NULL
);
CREATE INDEX reviewer_keys_reviewer ON reviewer_keys (reviewer_id);

-- A console session: local or SSH. Leases name the session that holds them.
CREATE TABLE sessions (
    id         TEXT    PRIMARY KEY,
    reviewer   TEXT    NOT NULL,
    key_fp     TEXT    NOT NULL DEFAULT '',
    origin     TEXT    NOT NULL,           -- 'local' or 'ssh'
    started_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    ended_at   INTEGER
);
CREATE INDEX sessions_open ON sessions (last_seen) WHERE ended_at IS NULL;

ALTER TABLE posts ADD COLUMN lease_owner TEXT;     -- sessions.id
ALTER TABLE posts ADD COLUMN lease_until INTEGER;  -- unix milliseconds
-- A session's own claims, in queue order.
CREATE INDEX posts_leased ON posts (lease_owner, prio DESC, id DESC)
    WHERE status = 'pending' AND lease_owner IS NOT NULL;
-- The leads' queue.
CREATE INDEX posts_escalated ON posts (prio DESC, id DESC) WHERE status = 'escalated';

-- Leads may return an escalated post to the reviewers: a new action, so the
-- audit table is rebuilt with the wider CHECK. Its rows are copied as they are.
DROP TRIGGER events_append_only_update;
DROP TRIGGER events_append_only_delete;
CREATE TABLE events_v2 (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts (id),
    at          INTEGER NOT NULL,
    reviewer    TEXT    NOT NULL CHECK (reviewer <> ''),
    key_fp      TEXT    NOT NULL DEFAULT '',
    action      TEXT    NOT NULL CHECK (action IN ('approve', 'reject', 'escalate', 'undo', 'note', 'return')),
    reason_code TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    from_status TEXT    NOT NULL,
    to_status   TEXT    NOT NULL
);
INSERT INTO events_v2 SELECT id, post_id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE INDEX events_post ON events (post_id, id);
CREATE INDEX events_reviewer ON events (reviewer, id);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
