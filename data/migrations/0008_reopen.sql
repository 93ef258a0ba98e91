-- A lead may reopen any decided post with a reason: a new action, so the
-- audit table is rebuilt with the wider CHECK, as 0005 did for retract.
-- confirm, disagree and qa are the second review's events to come (four
-- eyes, blind QA): allowed now so that they need no second rebuild. Its
-- rows (and their hashes) are copied as they are. Retractions refer to
-- events: the step runs with foreign keys off and checks them before it
-- commits (migrate.go).
DROP TRIGGER events_append_only_update;
DROP TRIGGER events_append_only_delete;
DROP TRIGGER event_hours_insert;
CREATE TABLE events_v8 (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts (id),
    at          INTEGER NOT NULL,
    reviewer    TEXT    NOT NULL CHECK (reviewer <> ''),
    key_fp      TEXT    NOT NULL DEFAULT '',
    action      TEXT    NOT NULL CHECK (action IN ('approve', 'reject', 'escalate', 'undo', 'note', 'return', 'retract', 'reopen',
                                                   'confirm', 'disagree', 'qa')),
    reason_code TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    from_status TEXT    NOT NULL,
    to_status   TEXT    NOT NULL,
    hash        BLOB
);
INSERT INTO events_v8 SELECT id, post_id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status, hash FROM events;
DROP TABLE events;
ALTER TABLE events_v8 RENAME TO events;
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
