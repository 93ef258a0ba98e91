-- Search, near-duplicate clusters, SLA order, claim history, hourly decision
-- counters and saved views.

-- Full-text search over text, author and URL. External content: the text is
-- stored once, in posts. unicode61 folds case for Cyrillic and Kazakh (its
-- diacritic folding stops at Latin, so the query side treats е and ё as one
-- letter).
--
-- New posts are indexed by the import itself, with its own statement, not by
-- an INSERT trigger: FTS4 flushes its pending terms at every statement
-- savepoint, and a trigger opens one per row, which made import three times
-- slower. Import is the only writer of new posts. The rarer delete and text
-- change keep triggers.
CREATE VIRTUAL TABLE posts_fts USING fts4(content="posts", text, author, url,
    tokenize=unicode61 "remove_diacritics=2");
INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');
CREATE TRIGGER posts_fts_delete BEFORE DELETE ON posts
BEGIN
    INSERT INTO posts_fts (posts_fts, docid, text, author, url) VALUES ('delete', OLD.id, OLD.text, OLD.author, OLD.url);
END;
CREATE TRIGGER posts_fts_unindex BEFORE UPDATE OF text, author, url ON posts
BEGIN
    INSERT INTO posts_fts (posts_fts, docid, text, author, url) VALUES ('delete', OLD.id, OLD.text, OLD.author, OLD.url);
END;
CREATE TRIGGER posts_fts_reindex AFTER UPDATE OF text, author, url ON posts
BEGIN
    INSERT INTO posts_fts (docid, text, author, url) VALUES (NEW.id, NEW.text, NEW.author, NEW.url);
END;

-- Near-duplicate clusters. A cluster's id is the id of its first post, whose
-- MinHash band keys (model.BandKeys, 4 × 8 bytes) find later copies.
CREATE TABLE clusters (
    id      INTEGER PRIMARY KEY,
    keys    BLOB,
    posts   INTEGER NOT NULL DEFAULT 0,
    pending INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX clusters_campaigns ON clusters (pending) WHERE pending >= 2;
ALTER TABLE posts ADD COLUMN cluster INTEGER;   -- clusters.id (no foreign key: the post is written first)
-- Covering, so how far a cluster has spread is counted from the index alone.
CREATE INDEX posts_cluster ON posts (cluster, status, platform, author_id);

CREATE TRIGGER clusters_insert AFTER INSERT ON posts WHEN NEW.cluster IS NOT NULL
BEGIN
    UPDATE clusters SET posts = posts + 1, pending = pending + (NEW.status = 'pending') WHERE id = NEW.cluster;
END;
CREATE TRIGGER clusters_status AFTER UPDATE OF status ON posts
    WHEN NEW.cluster IS NOT NULL AND OLD.status <> NEW.status
BEGIN
    UPDATE clusters SET pending = pending + (NEW.status = 'pending') - (OLD.status = 'pending') WHERE id = NEW.cluster;
END;
CREATE TRIGGER clusters_assign AFTER UPDATE OF cluster ON posts WHEN OLD.cluster IS NOT NEW.cluster
BEGIN
    UPDATE clusters SET posts = posts - 1, pending = pending - (OLD.status = 'pending') WHERE id = OLD.cluster;
    UPDATE clusters SET posts = posts + 1, pending = pending + (NEW.status = 'pending') WHERE id = NEW.cluster;
END;

-- The author context in the detail pane counts an author's posts by status:
-- with the status in the index it never reads the table (an author of 400
-- posts cost 2 ms a keystroke at a million posts).
DROP INDEX posts_author;
CREATE INDEX posts_author ON posts (platform, author_id, status);

-- Pending posts by age: the SLA breach view (oldest first), age filters and
-- the breach counts per category.
CREATE INDEX posts_age ON posts (flagged_at, category) WHERE status = 'pending';

-- Every time a session took a post to review: part of a post's history.
CREATE TABLE claims (
    id       INTEGER PRIMARY KEY,
    post_id  INTEGER NOT NULL REFERENCES posts (id),
    at       INTEGER NOT NULL,          -- unix milliseconds
    reviewer TEXT    NOT NULL,
    session  TEXT    NOT NULL
);
CREATE INDEX claims_post ON claims (post_id, id);
CREATE TRIGGER claims_append_only_update BEFORE UPDATE ON claims
BEGIN
    SELECT RAISE(ABORT, 'claims are append-only');
END;
CREATE TRIGGER claims_append_only_delete BEFORE DELETE ON claims
BEGIN
    SELECT RAISE(ABORT, 'claims are append-only');
END;

-- Audit events per hour, reviewer and action, kept by a trigger so the stats
-- view reads a few hundred rows however long the audit trail grows.
CREATE TABLE event_hours (
    hour     INTEGER NOT NULL,          -- unix milliseconds / 3,600,000
    reviewer TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (hour, reviewer, action)
) WITHOUT ROWID;
INSERT INTO event_hours (hour, reviewer, action, n)
    SELECT at / 3600000, reviewer, action, count(*) FROM events GROUP BY 1, 2, 3;
CREATE TRIGGER event_hours_insert AFTER INSERT ON events
BEGIN
    INSERT INTO event_hours (hour, reviewer, action, n) VALUES (NEW.at / 3600000, NEW.reviewer, NEW.action, 1)
        ON CONFLICT (hour, reviewer, action) DO UPDATE SET n = n + 1;
END;

-- Saved filters, shared by the team.
CREATE TABLE views (
    name       TEXT    PRIMARY KEY,
    filter     TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL         -- unix milliseconds
);
