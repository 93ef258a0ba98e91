package data

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"triage/model"
)

// openLook is a post's open request for a second pair of eyes: a four-eyes
// rejection to confirm, or a decision sampled for a blind QA check.
type openLook struct {
	id            int64
	kind          string // "confirm" or "qa"
	firstReviewer string
	firstCode     string
}

// Second looks, by kind.
const (
	lookConfirm = "confirm"
	lookQA      = "qa"
)

// readOpenLook reads the post's open look, if it has one.
func readOpenLook(tx *sql.Tx, post int64) (openLook, bool, error) {
	var l openLook
	err := tx.QueryRow(`SELECT l.id, l.kind, l.first_reviewer, f.reason_code
		FROM second_looks l JOIN events f ON f.id = l.first_event
		WHERE l.post_id = ? AND l.done_event IS NULL`, post).Scan(&l.id, &l.kind, &l.firstReviewer, &l.firstCode)
	if errors.Is(err, sql.ErrNoRows) {
		return l, false, nil
	}
	return l, err == nil, err
}

// checkSecondLook admits a confirm, disagree or qa decision: the post must
// have an open look of that kind, the actor must not be the reviewer whose
// decision it is about, and the reason must say what the second reviewer
// decided. It fills in a confirmation's reason (the first one's) and
// returns the look and the second reviewer's verdict.
func (s *Store) checkSecondLook(tx *sql.Tx, d *model.Decision, category string) (openLook, model.Action, error) {
	l, ok, err := readOpenLook(tx, d.PostID)
	if err != nil {
		return l, "", fmt.Errorf("post %d: %w", d.PostID, err)
	}
	want := lookConfirm
	if d.Action == model.ActionQA {
		want = lookQA
	}
	if !ok || l.kind != want {
		what := "awaiting confirmation"
		if want == lookQA {
			what = "waiting for a quality check"
		}
		return l, "", fmt.Errorf("post %d: %w: it is not %s", d.PostID, ErrConflict, what)
	}
	if l.firstReviewer == d.Reviewer {
		return l, "", fmt.Errorf("post %d: %w: the decision is yours; another reviewer must be the second pair of eyes", d.PostID, ErrForbidden)
	}
	switch d.Action {
	case model.ActionConfirm:
		if d.ReasonCode == "" {
			d.ReasonCode = l.firstCode
		}
		if d.ReasonCode != l.firstCode {
			return l, "", fmt.Errorf("post %d: %w: a confirmation gives the first reason, %s; a different one is a disagreement", d.PostID, ErrConflict, l.firstCode)
		}
		return l, model.ActionReject, nil
	case model.ActionDisagree:
		if strings.TrimSpace(d.Note) == "" {
			return l, "", fmt.Errorf("post %d: a disagreement needs a note saying why", d.PostID)
		}
		if d.ReasonCode == l.firstCode {
			return l, "", fmt.Errorf("post %d: %w: %s is the first reason; giving it again is a confirmation", d.PostID, ErrConflict, l.firstCode)
		}
	}
	verdict, err := s.verdictOf(d.ReasonCode, category)
	if err != nil {
		return l, "", fmt.Errorf("post %d: %w", d.PostID, err)
	}
	return l, verdict, nil
}

// verdictOf is the decision a reason code stands for on a post of
// category: a violation reason rejects, a "no violation" one approves, an
// escalation reason escalates.
func (s *Store) verdictOf(code, category string) (model.Action, error) {
	if code == "" {
		return "", errors.New("a second look needs the reason the second reviewer would give")
	}
	if c, ok := s.policy.Category(category); ok {
		for _, r := range c.Reasons {
			if r.Code == code && r.Violation {
				return model.ActionReject, nil
			} else if r.Code == code {
				return model.ActionApprove, nil
			}
		}
	}
	for _, r := range s.policy.Escalation {
		if r.Code == code {
			return model.ActionEscalate, nil
		}
	}
	return "", fmt.Errorf("reason %q is not one of a %s post's reasons", code, category)
}

// answerLook records the second reviewer's answer: once, by one reviewer
// (two answering at once: the second finds it answered).
func answerLook(tx *sql.Tx, l openLook, ev model.Event, verdict model.Action) error {
	res, err := tx.Exec(`UPDATE second_looks SET done_event = ?, verdict = ? WHERE id = ? AND done_event IS NULL`, ev.ID, verdict, l.id)
	if err != nil {
		return fmt.Errorf("post %d: %w", ev.PostID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("post %d: %w: answered by someone else", ev.PostID, ErrConflict)
	}
	return nil
}

// followLooks keeps a post's looks in step with a status change ev made: a
// change other than the answer itself calls off the open look (an undone
// or reopened decision needs no second pair of eyes), a four-eyes
// rejection opens a look to confirm it, and a first decision in the QA
// sample opens a blind check. A pending post never has an open look, so a
// decision on one reads nothing here.
func (s *Store) followLooks(tx *sql.Tx, ev model.Event, category string) error {
	if ev.From != model.StatusPending {
		if _, err := tx.Exec(`UPDATE second_looks SET done_event = ? WHERE post_id = ? AND done_event IS NULL`, ev.ID, ev.PostID); err != nil {
			return fmt.Errorf("post %d: %w", ev.PostID, err)
		}
	}
	kind := ""
	switch {
	case ev.To == model.StatusAwaiting:
		kind = lookConfirm
	case ev.From == model.StatusPending && (ev.Action == model.ActionApprove || ev.Action == model.ActionReject) &&
		s.policy.InQASample(category, ev.PostID):
		kind = lookQA
	default:
		return nil
	}
	if _, err := tx.Exec(`INSERT INTO second_looks (post_id, kind, first_event, first_reviewer) VALUES (?, ?, ?, ?)`,
		ev.PostID, kind, ev.ID, ev.Reviewer); err != nil {
		return fmt.Errorf("post %d: %s look: %w", ev.PostID, kind, err)
	}
	return nil
}
