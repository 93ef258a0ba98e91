-- Hardening: retractions of posts already sent to a platform, packet kinds and
-- manifests, and a lock so one takedowns run at a time cuts packets.

-- A lead may retract a rejection whose post is in a cut packet: a new action,
-- so the audit table is rebuilt with the wider CHECK. Its rows (and their
-- hashes) are copied as they are.
DROP TRIGGER events_append_only_update;
DROP TRIGGER events_append_only_delete;
DROP TRIGGER event_hours_insert;
CREATE TABLE events_v5 (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts (id),
    at          INTEGER NOT NULL,
    reviewer    TEXT    NOT NULL CHECK (reviewer <> ''),
    key_fp      TEXT    NOT NULL DEFAULT '',
    action      TEXT    NOT NULL CHECK (action IN ('approve', 'reject', 'escalate', 'undo', 'note', 'return', 'retract')),
    reason_code TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    from_status TEXT    NOT NULL,
    to_status   TEXT    NOT NULL,
    hash        BLOB
);
INSERT INTO events_v5 SELECT id, post_id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status, hash FROM events;
DROP TABLE events;
ALTER TABLE events_v5 RENAME TO events;
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
CREATE TRIGGER event_hours_insert AFTER INSERT ON events
BEGIN
    INSERT INTO event_hours (hour, reviewer, action, n) VALUES (NEW.at / 3600000, NEW.reviewer, NEW.action, 1)
        ON CONFLICT (hour, reviewer, action) DO UPDATE SET n = n + 1;
END;

-- A packet is either a takedown request or the retractions of earlier ones.
ALTER TABLE takedown_packets ADD COLUMN kind TEXT NOT NULL DEFAULT 'takedown' CHECK (kind IN ('takedown', 'retractions'));

-- One row per retraction: the post, the packet it had been sent in, the
-- audit event that recorded it, and the retractions packet that told the
-- platform (NULL until a takedowns run writes it).
CREATE TABLE retractions (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts (id),
    packet_id   INTEGER NOT NULL REFERENCES takedown_packets (id),
    event_id    INTEGER NOT NULL REFERENCES events (id),
    sent_in     INTEGER REFERENCES takedown_packets (id)
);
CREATE INDEX retractions_unsent ON retractions (packet_id) WHERE sent_in IS NULL;
CREATE INDEX retractions_post ON retractions (post_id);

-- Run locks: one takedowns run at a time per database. A row is held by its
-- owner until released, or until it expires (the owner died).
CREATE TABLE run_locks (
    name       TEXT    PRIMARY KEY,
    owner      TEXT    NOT NULL,
    pid        INTEGER NOT NULL,
    host       TEXT    NOT NULL,
    started_at INTEGER NOT NULL,          -- unix milliseconds
    until      INTEGER NOT NULL           -- unix milliseconds; stale after
);

-- Outcomes name a post by its URL as often as by its platform id.
CREATE INDEX posts_url ON posts (platform, url) WHERE url <> '';
