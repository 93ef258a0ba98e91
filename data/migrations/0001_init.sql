-- Posts, their flags, the append-only audit trail and the status counters.
CREATE TABLE posts (
    id          INTEGER PRIMARY KEY,
    dedup_key   TEXT    NOT NULL UNIQUE,   -- platform + external_id, else platform + url
    platform    TEXT    NOT NULL,
    external_id TEXT    NOT NULL DEFAULT '',
    url         TEXT    NOT NULL DEFAULT '',
    author      TEXT    NOT NULL DEFAULT '',
    author_id   TEXT    NOT NULL DEFAULT '',
    language    TEXT    NOT NULL DEFAULT '',
    text        TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    severity    INTEGER NOT NULL DEFAULT 3 CHECK (severity BETWEEN 1 AND 5),
    reports     INTEGER NOT NULL DEFAULT 1 CHECK (reports >= 1),
    posted_at   INTEGER,                   -- unix seconds, NULL when unknown
    flagged_at  INTEGER NOT NULL,          -- unix seconds of the first flag
    source      TEXT    NOT NULL DEFAULT '',
    extra       TEXT,                      -- JSON object of unknown import fields, as given
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'approved', 'rejected', 'escalated')),
    prio        INTEGER NOT NULL           -- model.Priority; higher is reviewed first
);

-- The queue: only pending posts, in review order, so every page is an index seek.
CREATE INDEX posts_queue ON posts (prio DESC, id DESC) WHERE status = 'pending';
CREATE INDEX posts_author ON posts (platform, author_id);

CREATE TABLE flags (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES posts (id),
    flagged_at INTEGER NOT NULL,
    reason     TEXT    NOT NULL DEFAULT '',
    source     TEXT    NOT NULL DEFAULT '',
    reports    INTEGER NOT NULL DEFAULT 1,
    severity   INTEGER NOT NULL DEFAULT 3
);
CREATE INDEX flags_post ON flags (post_id);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts (id),
    at          INTEGER NOT NULL,          -- unix milliseconds
    reviewer    TEXT    NOT NULL CHECK (reviewer <> ''),
    key_fp      TEXT    NOT NULL DEFAULT '',
    action      TEXT    NOT NULL CHECK (action IN ('approve', 'reject', 'escalate', 'undo', 'note')),
    reason_code TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    from_status TEXT    NOT NULL,
    to_status   TEXT    NOT NULL
);
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

-- Posts per status and category, kept by triggers so the header never counts the table.
CREATE TABLE counts (
    status   TEXT    NOT NULL,
    category TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (status, category)
) WITHOUT ROWID;

CREATE TRIGGER counts_insert AFTER INSERT ON posts
BEGIN
    INSERT INTO counts (status, category, n) VALUES (NEW.status, NEW.category, 1)
        ON CONFLICT (status, category) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER counts_update AFTER UPDATE OF status, category ON posts
    WHEN OLD.status <> NEW.status OR OLD.category <> NEW.category
BEGIN
    UPDATE counts SET n = n - 1 WHERE status = OLD.status AND category = OLD.category;
    INSERT INTO counts (status, category, n) VALUES (NEW.status, NEW.category, 1)
        ON CONFLICT (status, category) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER counts_delete AFTER DELETE ON posts
BEGIN
    UPDATE counts SET n = n - 1 WHERE status = OLD.status AND category = OLD.category;
END;
