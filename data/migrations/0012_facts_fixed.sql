-- Evidence, continued (issue 25, second review).
--
-- What a post was flagged as is evidence too: a rejection for fraud must
-- not come to sit under "other". A post's category, language, posting and
-- flagging times, source, unknown fields and dedup key are fixed at import
-- (the only step that ever rewrote one, repairExtras after migration 5,
-- runs before this one); its severity and reports change only by a re-flag
-- merged in by import, which only ever raises them.
CREATE TRIGGER posts_facts_fixed BEFORE UPDATE OF category, language, posted_at, flagged_at, source, extra, dedup_key ON posts
BEGIN
    SELECT RAISE(ABORT, 'a post''s category, language, times, source and unknown fields are evidence: they are never changed');
END;
CREATE TRIGGER posts_merge_only BEFORE UPDATE OF severity, reports ON posts
    WHEN NEW.severity < OLD.severity OR NEW.reports < OLD.reports
BEGIN
    SELECT RAISE(ABORT, 'a post''s severity and reports only grow, by re-flags');
END;

-- Each flag is a record of who flagged what, as received, and export hands
-- it on: flags are append-only, as the audit trail is (REPLACE and UPSERT
-- refused as in 0011). Import only ever adds them.
CREATE TRIGGER flags_append_only_update BEFORE UPDATE ON flags
BEGIN
    SELECT RAISE(ABORT, 'flags are append-only');
END;
CREATE TRIGGER flags_append_only_delete BEFORE DELETE ON flags
BEGIN
    SELECT RAISE(ABORT, 'flags are append-only');
END;
CREATE TRIGGER flags_no_replace BEFORE INSERT ON flags
    WHEN EXISTS (SELECT 1 FROM flags WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'flags are append-only');
END;
