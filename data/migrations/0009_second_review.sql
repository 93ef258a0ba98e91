-- A second pair of eyes (issue 14): a four-eyes rejection waits, as the
-- post status 'awaiting', for another reviewer to confirm it; a share of
-- decisions is re-queued for a blind QA check. Each such request is a
-- second look: the decision it is about, who made it, and once answered
-- the event that answered it and the second reviewer's verdict. The
-- posts table's status CHECK is widened for 'awaiting' by the Go step
-- after this one (widenPostStatus), without rebuilding the table.
CREATE TABLE second_looks (
    id             INTEGER PRIMARY KEY,
    post_id        INTEGER NOT NULL REFERENCES posts (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('confirm', 'qa')),
    first_event    INTEGER NOT NULL UNIQUE REFERENCES events (id),
    first_reviewer TEXT    NOT NULL,
    done_event     INTEGER REFERENCES events (id),
    -- approve, reject or escalate: what the second reviewer decided; ''
    -- while open, and when the look was called off (the first decision
    -- was undone or reopened before anyone answered).
    verdict        TEXT    NOT NULL DEFAULT '' CHECK (verdict IN ('', 'approve', 'reject', 'escalate'))
);
-- At most one open look per post; the queue reads the open ones in order.
CREATE UNIQUE INDEX second_looks_open ON second_looks (post_id) WHERE done_event IS NULL;
CREATE INDEX second_looks_queue ON second_looks (id) WHERE done_event IS NULL;
CREATE INDEX second_looks_answered ON second_looks (done_event) WHERE done_event IS NOT NULL;

-- A look is answered once, and never by the reviewer whose decision it is:
-- the store checks both, and so does the file itself.
CREATE TRIGGER second_looks_answer_once BEFORE UPDATE ON second_looks
    WHEN OLD.done_event IS NOT NULL OR NEW.id <> OLD.id OR NEW.post_id <> OLD.post_id OR NEW.kind <> OLD.kind
      OR NEW.first_event <> OLD.first_event OR NEW.first_reviewer <> OLD.first_reviewer
BEGIN
    SELECT RAISE(ABORT, 'a second look is answered once and otherwise never changes');
END;
CREATE TRIGGER second_looks_not_own BEFORE UPDATE OF done_event ON second_looks
    WHEN NEW.verdict <> '' AND (SELECT reviewer FROM events WHERE id = NEW.done_event) = OLD.first_reviewer
BEGIN
    SELECT RAISE(ABORT, 'a reviewer cannot be the second pair of eyes on their own decision');
END;
CREATE TRIGGER second_looks_no_delete BEFORE DELETE ON second_looks
BEGIN
    SELECT RAISE(ABORT, 'second looks are never deleted');
END;

CREATE INDEX posts_awaiting ON posts (prio DESC, id DESC) WHERE status = 'awaiting';

-- The QA sample's seed, drawn once per database (a policy's qa_seed, when
-- set, overrides it): the sample is reproducible for whoever can read the
-- database, and not predictable from the published built-in policy.
CREATE TABLE qa_seed (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seed INTEGER NOT NULL
);
INSERT INTO qa_seed (id, seed) VALUES (1, random());
