-- Search that sees through look-alike spellings, finds author ids, and
-- orders results by flag time; the platforms and languages present, kept for
-- the filter bar; reviewers removed with their name kept.

-- The search index holds each post's words folded (data/fold): look-alike
-- letters from other scripts, compatibility forms and ё are spelt the way a
-- reviewer types them. The folded words are stored nowhere else, so the
-- index is contentless; posts' text, author, author id and URL are evidence
-- and never change, which a trigger now enforces (a contentless index could
-- not follow a change). The import writes each batch's posts into it; the
-- step after this migration indexes the posts already stored.
DROP TRIGGER posts_fts_delete;
DROP TRIGGER posts_fts_unindex;
DROP TRIGGER posts_fts_reindex;
DROP TABLE posts_fts;
CREATE VIRTUAL TABLE posts_search USING fts4(content="", text, author, author_id, url,
    tokenize=unicode61 "remove_diacritics=2");
CREATE TRIGGER posts_evidence_fixed BEFORE UPDATE OF text, author, author_id, url, platform, external_id ON posts
BEGIN
    SELECT RAISE(ABORT, 'a post''s text, author, ids and URL are evidence: they are never changed');
END;

-- Platforms and languages present, for checking and completing filters.
CREATE TABLE facets (
    kind  TEXT NOT NULL CHECK (kind IN ('platform', 'lang')),
    value TEXT NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
INSERT OR IGNORE INTO facets (kind, value) SELECT 'platform', platform FROM posts;
INSERT OR IGNORE INTO facets (kind, value) SELECT 'lang', language FROM posts WHERE language <> '';
CREATE TRIGGER facets_insert AFTER INSERT ON posts
BEGIN
    INSERT OR IGNORE INTO facets (kind, value) VALUES ('platform', NEW.platform);
    INSERT OR IGNORE INTO facets (kind, value) SELECT 'lang', NEW.language WHERE NEW.language <> '';
END;

-- A removed reviewer keeps their row (their name stays in every event that
-- names them) but loses their keys and every right.
ALTER TABLE reviewers ADD COLUMN removed_at INTEGER;

-- What operators do to reviewers, append-only like the audit trail.
CREATE TABLE admin_log (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,            -- unix milliseconds
    actor  TEXT    NOT NULL,            -- local:ACCOUNT
    action TEXT    NOT NULL CHECK (action IN ('reviewer-add', 'reviewer-enable', 'reviewer-disable', 'reviewer-remove')),
    name   TEXT    NOT NULL,
    detail TEXT    NOT NULL DEFAULT ''
);
CREATE TRIGGER admin_log_append_only_update BEFORE UPDATE ON admin_log
BEGIN
    SELECT RAISE(ABORT, 'the admin log is append-only');
END;
CREATE TRIGGER admin_log_append_only_delete BEFORE DELETE ON admin_log
BEGIN
    SELECT RAISE(ABORT, 'the admin log is append-only');
END;
