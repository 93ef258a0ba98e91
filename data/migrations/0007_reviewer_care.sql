-- A reviewer's own settings (language, theme, keys…), one row a setting,
-- so they follow the reviewer to any server on this database.
CREATE TABLE reviewer_settings (
    reviewer TEXT NOT NULL,
    name     TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (reviewer, name)
) WITHOUT ROWID;

-- Categories a lead keeps away from a reviewer: claims never give them
-- such posts (leases.go reads this table in the claim itself).
CREATE TABLE reviewer_exclusions (
    reviewer TEXT NOT NULL,
    category TEXT NOT NULL,
    PRIMARY KEY (reviewer, category)
) WITHOUT ROWID;

-- What each reviewer read each day (UTC): sensitive posts whose text the
-- console showed, and seconds in the console outside breaks.
CREATE TABLE exposure (
    reviewer TEXT    NOT NULL,
    day      TEXT    NOT NULL,
    reveals  INTEGER NOT NULL DEFAULT 0,
    seconds  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (reviewer, day)
) WITHOUT ROWID;

-- Who changed a reviewer's settings or exclusions, and to what: append-only
-- like the admin log (whose actions a CHECK constraint fixes).
CREATE TABLE settings_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,            -- unix milliseconds
    actor    TEXT    NOT NULL,            -- local:ACCOUNT, or the reviewer and key of a console
    action   TEXT    NOT NULL CHECK (action IN ('settings', 'exclude')),
    reviewer TEXT    NOT NULL,
    detail   TEXT    NOT NULL DEFAULT ''
);
CREATE TRIGGER settings_log_append_only_update BEFORE UPDATE ON settings_log
BEGIN
    SELECT RAISE(ABORT, 'the settings log is append-only');
END;
CREATE TRIGGER settings_log_append_only_delete BEFORE DELETE ON settings_log
BEGIN
    SELECT RAISE(ABORT, 'the settings log is append-only');
END;
