package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"triage/model"
)

// ErrConflict wraps every refusal caused by the post's current state: it was
// decided by someone else, has nothing to undo, or does not exist.
var ErrConflict = errors.New("conflict")

// Decide records a decision, an undo or a note on one post. The post's status
// and its audit event commit together or not at all, and the status change is
// conditional on the status the transition was computed from, so of many
// concurrent deciders exactly one wins.
func (s *Store) Decide(ctx context.Context, d model.Decision) (model.Event, error) {
	if d.Reviewer == "" {
		return model.Event{}, errors.New("a decision needs a reviewer")
	}
	tx, err := s.w.BeginTx(writeCtx(ctx), nil)
	if err != nil {
		return model.Event{}, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	var from model.Status
	var category string
	err = tx.QueryRow(`SELECT status, category FROM posts WHERE id = ?`, d.PostID).Scan(&from, &category)
	if errors.Is(err, sql.ErrNoRows) {
		return model.Event{}, fmt.Errorf("post %d: %w: no such post", d.PostID, ErrConflict)
	}
	if err != nil {
		return model.Event{}, fmt.Errorf("post %d: %w", d.PostID, err)
	}
	to, err := model.Transition(from, d.Action)
	if err != nil {
		return model.Event{}, fmt.Errorf("post %d: %w: %v", d.PostID, ErrConflict, err)
	}
	if err := s.checkReason(d, category); err != nil {
		return model.Event{}, fmt.Errorf("post %d: %w", d.PostID, err)
	}
	if d.Action == model.ActionUndo {
		if err := checkUndoable(tx, d); err != nil {
			return model.Event{}, err
		}
	}
	if to != from {
		res, err := tx.Exec(`UPDATE posts SET status = ? WHERE id = ? AND status = ?`, to, d.PostID, from)
		if err != nil {
			return model.Event{}, fmt.Errorf("post %d: %w", d.PostID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return model.Event{}, fmt.Errorf("post %d: %w: decided by someone else", d.PostID, ErrConflict)
		}
	}
	ev := model.Event{PostID: d.PostID, At: s.now().UTC(), Reviewer: d.Reviewer, KeyFP: d.KeyFP,
		Action: d.Action, ReasonCode: d.ReasonCode, Note: d.Note, From: from, To: to}
	res, err := tx.Exec(`INSERT INTO events (post_id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ev.PostID, ev.At.UnixMilli(), ev.Reviewer, ev.KeyFP, ev.Action, ev.ReasonCode, ev.Note, ev.From, ev.To)
	if err != nil {
		return model.Event{}, fmt.Errorf("post %d: audit: %w", d.PostID, err)
	}
	ev.ID, _ = res.LastInsertId()
	if err := tx.Commit(); err != nil {
		return model.Event{}, fmt.Errorf("post %d: commit: %w", d.PostID, err)
	}
	return ev, nil
}

// checkReason refuses a reason code that does not fit the action: a
// violation reason of the post's category to reject, a "no violation" one to
// approve, an escalation reason to escalate.
func (s *Store) checkReason(d model.Decision, category string) error {
	var allowed []model.Reason
	switch d.Action {
	case model.ActionApprove, model.ActionReject:
		c, ok := s.policy.Category(category)
		if !ok {
			return fmt.Errorf("category %q is not in the policy", category)
		}
		allowed = c.Approvals()
		if d.Action == model.ActionReject {
			allowed = c.Violations()
		}
	case model.ActionEscalate:
		allowed = s.policy.Escalation
	default:
		return nil
	}
	for _, r := range allowed {
		if r.Code == d.ReasonCode {
			return nil
		}
	}
	return fmt.Errorf("reason %q cannot be used to %s a %s post", d.ReasonCode, d.Action, category)
}

// checkUndoable allows an undo only of the reviewer's own decision, and only
// while it is still the post's latest change.
func checkUndoable(tx *sql.Tx, d model.Decision) error {
	var reviewer string
	var action model.Action
	err := tx.QueryRow(`SELECT reviewer, action FROM events
		WHERE post_id = ? AND action <> 'note' ORDER BY id DESC LIMIT 1`, d.PostID).Scan(&reviewer, &action)
	if err != nil || !action.IsDecision() {
		return fmt.Errorf("post %d: %w: nothing to undo", d.PostID, ErrConflict)
	}
	if reviewer != d.Reviewer {
		return fmt.Errorf("post %d: %w: decided by %s, not by you", d.PostID, ErrConflict, reviewer)
	}
	return nil
}

// LastUndoable returns the post of the reviewer's most recent decision that is
// still in force (not undone, not superseded), or 0 when there is none.
func (s *Store) LastUndoable(ctx context.Context, reviewer string) (int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT e.post_id FROM events e
		WHERE e.reviewer = ? AND e.action IN ('approve', 'reject', 'escalate')
		  AND NOT EXISTS (SELECT 1 FROM events l WHERE l.post_id = e.post_id AND l.id > e.id AND l.action <> 'note')
		ORDER BY e.id DESC LIMIT 1`, reviewer)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var id int64
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
	}
	return id, rows.Err()
}
