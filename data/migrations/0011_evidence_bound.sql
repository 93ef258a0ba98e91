-- Evidence (issue 25).
--
-- Every audit event from this version on binds its post's content:
-- content_sha256 is the sha256 of the post's platform, external id, URL,
-- author, author id and text (postContent in chain.go), and it is part of
-- the event's hashed bytes. Events written before keep NULL here and their
-- ten-field bytes, so they verify exactly as they did.
ALTER TABLE events ADD COLUMN content_sha256 BLOB;

-- INSERT OR REPLACE (and REPLACE INTO) deletes a row whose key is taken
-- without firing that table's DELETE trigger: SQLite fires delete triggers
-- for a REPLACE only with recursive_triggers on, a setting of whoever
-- connects, not of the file. A BEFORE INSERT trigger runs before any
-- conflict is resolved, so each append-only table refuses a new row whose
-- keys are taken: a plain INSERT fails on it anyway, and REPLACE and
-- UPSERT (ON CONFLICT DO UPDATE) no longer get past it.
CREATE TRIGGER events_no_replace BEFORE INSERT ON events
    WHEN EXISTS (SELECT 1 FROM events WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER claims_no_replace BEFORE INSERT ON claims
    WHEN EXISTS (SELECT 1 FROM claims WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'claims are append-only');
END;
CREATE TRIGGER settings_log_no_replace BEFORE INSERT ON settings_log
    WHEN EXISTS (SELECT 1 FROM settings_log WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the settings log is append-only');
END;
CREATE TRIGGER second_looks_no_replace BEFORE INSERT ON second_looks
    WHEN EXISTS (SELECT 1 FROM second_looks WHERE id = NEW.id OR first_event = NEW.first_event
                 OR (NEW.done_event IS NULL AND done_event IS NULL AND post_id = NEW.post_id))
BEGIN
    SELECT RAISE(ABORT, 'second looks are never deleted');
END;

-- The admin log also records a copy of a database whose audit trail did
-- not verify (copy --force-broken-source): its CHECK is widened by a
-- rebuild, the table being small and referred to by nothing.
DROP TRIGGER admin_log_append_only_update;
DROP TRIGGER admin_log_append_only_delete;
CREATE TABLE admin_log_v11 (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,            -- unix milliseconds
    actor  TEXT    NOT NULL,            -- local:ACCOUNT
    action TEXT    NOT NULL CHECK (action IN ('reviewer-add', 'reviewer-enable', 'reviewer-disable', 'reviewer-remove',
                                              'copy-broken-source')),
    name   TEXT    NOT NULL,            -- the reviewer; for a copy, the source
    detail TEXT    NOT NULL DEFAULT ''
);
INSERT INTO admin_log_v11 SELECT id, at, actor, action, name, detail FROM admin_log;
DROP TABLE admin_log;
ALTER TABLE admin_log_v11 RENAME TO admin_log;
CREATE TRIGGER admin_log_append_only_update BEFORE UPDATE ON admin_log
BEGIN
    SELECT RAISE(ABORT, 'the admin log is append-only');
END;
CREATE TRIGGER admin_log_append_only_delete BEFORE DELETE ON admin_log
BEGIN
    SELECT RAISE(ABORT, 'the admin log is append-only');
END;
CREATE TRIGGER admin_log_no_replace BEFORE INSERT ON admin_log
    WHEN EXISTS (SELECT 1 FROM admin_log WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the admin log is append-only');
END;

-- What went to a platform, and what came back, is a record too. A packet's
-- row is never deleted and, once sent, never changes; while it is being
-- written only its file name, size and sha256 may be set. A retraction is
-- never deleted and only ever gains the packet it was sent in. Outcomes
-- are append-only. A post is never deleted.
CREATE TRIGGER takedown_packets_no_delete BEFORE DELETE ON takedown_packets
BEGIN
    SELECT RAISE(ABORT, 'takedown packets are records of what was sent: never deleted');
END;
CREATE TRIGGER takedown_packets_fixed BEFORE UPDATE ON takedown_packets
    WHEN OLD.state <> 'writing' OR NEW.id <> OLD.id OR NEW.kind <> OLD.kind OR NEW.platform <> OLD.platform
      OR NEW.format <> OLD.format OR NEW.created_at <> OLD.created_at OR NEW.chain_head <> OLD.chain_head
BEGIN
    SELECT RAISE(ABORT, 'a sent takedown packet''s record never changes');
END;
CREATE TRIGGER takedown_packets_no_replace BEFORE INSERT ON takedown_packets
    WHEN EXISTS (SELECT 1 FROM takedown_packets WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'takedown packets are records of what was sent: never deleted');
END;
CREATE TRIGGER retractions_no_delete BEFORE DELETE ON retractions
BEGIN
    SELECT RAISE(ABORT, 'retractions are never deleted');
END;
CREATE TRIGGER retractions_fixed BEFORE UPDATE ON retractions
    WHEN OLD.sent_in IS NOT NULL OR NEW.id <> OLD.id OR NEW.post_id <> OLD.post_id
      OR NEW.packet_id <> OLD.packet_id OR NEW.event_id <> OLD.event_id
BEGIN
    SELECT RAISE(ABORT, 'a retraction only ever gains the packet it was sent in');
END;
CREATE TRIGGER retractions_no_replace BEFORE INSERT ON retractions
    WHEN EXISTS (SELECT 1 FROM retractions WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'retractions are never deleted');
END;
CREATE TRIGGER outcomes_append_only_update BEFORE UPDATE ON outcomes
BEGIN
    SELECT RAISE(ABORT, 'outcomes are append-only');
END;
CREATE TRIGGER outcomes_append_only_delete BEFORE DELETE ON outcomes
BEGIN
    SELECT RAISE(ABORT, 'outcomes are append-only');
END;
CREATE TRIGGER outcomes_no_replace BEFORE INSERT ON outcomes
    WHEN EXISTS (SELECT 1 FROM outcomes WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'outcomes are append-only');
END;
CREATE TRIGGER posts_no_delete BEFORE DELETE ON posts
BEGIN
    SELECT RAISE(ABORT, 'posts are evidence: never deleted');
END;
-- REPLACE INTO posts would swap a post's evidence for other text without
-- an UPDATE for posts_evidence_fixed to refuse. Import looks its posts up
-- before it writes them, so a taken key never reaches this trigger from
-- triage (100k lines: no measurable change in import time).
CREATE TRIGGER posts_no_replace BEFORE INSERT ON posts
    WHEN EXISTS (SELECT 1 FROM posts WHERE id = NEW.id OR dedup_key = NEW.dedup_key)
BEGIN
    SELECT RAISE(ABORT, 'posts are evidence: never replaced');
END;
