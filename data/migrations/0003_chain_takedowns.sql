-- Tamper-evident audit: every event carries the hash that chains it to the
-- one before. Existing events are chained by the program right after this step.
ALTER TABLE events ADD COLUMN hash BLOB;

-- Takedown packets: the files of rejected posts sent to each platform.
CREATE TABLE takedown_packets (
    id          INTEGER PRIMARY KEY,
    platform    TEXT    NOT NULL,
    file        TEXT    NOT NULL,          -- the final path
    format      TEXT    NOT NULL CHECK (format IN ('csv', 'jsonl')),
    created_at  INTEGER NOT NULL,          -- unix milliseconds
    state       TEXT    NOT NULL CHECK (state IN ('writing', 'sent')),
    posts       INTEGER NOT NULL,
    chain_head  TEXT    NOT NULL,          -- hex sha256 of the newest audit event when cut
    sha256      TEXT                       -- of the complete file, once sent
);
ALTER TABLE posts ADD COLUMN takedown_packet INTEGER REFERENCES takedown_packets (id);
CREATE INDEX posts_takedown ON posts (platform, id) WHERE status = 'rejected' AND takedown_packet IS NULL;

-- What each platform did with a post it was sent.
CREATE TABLE outcomes (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts (id),
    outcome     TEXT    NOT NULL CHECK (outcome IN ('removed', 'restricted', 'no_action', 'unreachable')),
    at          INTEGER NOT NULL,          -- unix seconds, when the platform acted (or was checked)
    recorded_at INTEGER NOT NULL
);
CREATE INDEX outcomes_post ON outcomes (post_id, id);
