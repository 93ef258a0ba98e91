-- Evidence, continued (as SQLite's 0012). A post's category, language,
-- posting and flagging times, source, unknown fields and dedup key are
-- fixed at import; its severity and reports change only by a re-flag
-- merged in by import, which only ever raises them.
CREATE TRIGGER posts_facts_fixed BEFORE UPDATE OF category, language, posted_at, flagged_at, source, extra, dedup_key ON posts
    FOR EACH ROW EXECUTE FUNCTION triage_append_only('a post''s category, language, times, source and unknown fields are evidence: they are never changed');
CREATE TRIGGER posts_merge_only BEFORE UPDATE OF severity, reports ON posts
    FOR EACH ROW WHEN (NEW.severity < OLD.severity OR NEW.reports < OLD.reports)
    EXECUTE FUNCTION triage_append_only('a post''s severity and reports only grow, by re-flags');

-- Flags are records of who flagged what, as received, and export hands
-- them on: append-only. (An INSERT whose key is taken fails on the
-- primary key, and ON CONFLICT DO UPDATE meets the UPDATE guard.)
CREATE TRIGGER flags_append_only_update BEFORE UPDATE ON flags
    FOR EACH ROW EXECUTE FUNCTION triage_append_only('flags are append-only');
CREATE TRIGGER flags_append_only_delete BEFORE DELETE ON flags
    FOR EACH ROW EXECUTE FUNCTION triage_append_only('flags are append-only');
CREATE TRIGGER flags_no_truncate BEFORE TRUNCATE ON flags
    FOR EACH STATEMENT EXECUTE FUNCTION triage_append_only('flags are append-only');

-- The guards fire ALWAYS, in replica mode too (see 0005).
ALTER TABLE posts ENABLE ALWAYS TRIGGER posts_facts_fixed;
ALTER TABLE posts ENABLE ALWAYS TRIGGER posts_merge_only;
ALTER TABLE flags ENABLE ALWAYS TRIGGER flags_append_only_update;
ALTER TABLE flags ENABLE ALWAYS TRIGGER flags_append_only_delete;
ALTER TABLE flags ENABLE ALWAYS TRIGGER flags_no_truncate;
