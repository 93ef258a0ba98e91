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
