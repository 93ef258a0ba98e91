-- A reviewer's own settings, category exclusions and daily exposure
-- (as SQLite's 0007_reviewer_care.sql).
CREATE TABLE reviewer_settings (
    reviewer TEXT NOT NULL,
    name     TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (reviewer, name)
);

CREATE TABLE reviewer_exclusions (
    reviewer TEXT NOT NULL,
    category TEXT NOT NULL,
    PRIMARY KEY (reviewer, category)
);

CREATE TABLE exposure (
    reviewer TEXT   NOT NULL,
    day      TEXT   NOT NULL,
    reveals  BIGINT NOT NULL DEFAULT 0,
    seconds  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (reviewer, day)
);
