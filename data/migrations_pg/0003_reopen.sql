-- A lead may reopen any decided post with a reason; confirm, disagree and qa
-- are the second review's events to come (as SQLite's 0008).
ALTER TABLE events DROP CONSTRAINT events_action_check;
ALTER TABLE events ADD CONSTRAINT events_action_check
    CHECK (action IN ('approve', 'reject', 'escalate', 'undo', 'note', 'return', 'retract', 'reopen', 'confirm', 'disagree', 'qa'));
