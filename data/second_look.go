package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"triage/model"
)

// openLook is a post's open request for a second pair of eyes: a four-eyes
// rejection to confirm, or a decision sampled for a blind QA check.
type openLook struct {
	id            int64
	kind          model.LookKind
	firstReviewer string
	firstCode     string
	firstKey      string // the key (or local account) the first decision was made with
	// registered: reviewers are registered, so names are people; excluded:
	// the post's category is excluded for the asking reviewer; tookPart:
	// they already gave a view on the post in this round of review.
	registered, excluded, tookPart bool
}

// tookPart is SQL that is true when a reviewer already rejected or
// disagreed on the post (the SQL expression post) since it was last
// reopened or retracted — under their name, or with their key (or local
// account) under another registered one: a side of a dispute does not
// settle it. Its parameters: reviewer, key, key.
func tookPart(post string) string {
	return `EXISTS (SELECT 1 FROM events x WHERE x.post_id = ` + post + ` AND x.action IN ('reject', 'disagree')
	AND (x.reviewer = ? OR (? <> '' AND x.key_fp = ? AND EXISTS (SELECT 1 FROM reviewers)))
	AND x.id > coalesce((SELECT max(r.id) FROM events r WHERE r.post_id = ` + post + ` AND r.action IN ('reopen', 'retract')), 0))`
}

// readOpenLook reads the post's open look, if it has one, and what rules
// it out for reviewer (deciding with key).
func readOpenLook(tx *sql.Tx, post int64, reviewer, key string) (openLook, bool, error) {
	var l openLook
	err := tx.QueryRow(`SELECT l.id, l.kind, l.first_reviewer, f.reason_code, f.key_fp, EXISTS (SELECT 1 FROM reviewers),
			EXISTS (SELECT 1 FROM reviewer_exclusions e JOIN posts p ON p.category = e.category WHERE p.id = l.post_id AND e.reviewer = ?),
			`+tookPart("l.post_id")+`
		FROM second_looks l JOIN events f ON f.id = l.first_event
		WHERE l.post_id = ? AND l.done_event IS NULL`, reviewer, reviewer, key, key, post).
		Scan(&l.id, &l.kind, &l.firstReviewer, &l.firstCode, &l.firstKey, &l.registered, &l.excluded, &l.tookPart)
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
	l, ok, err := readOpenLook(tx, d.PostID, d.Reviewer, d.KeyFP)
	if err != nil {
		return l, "", fmt.Errorf("post %d: %w", d.PostID, err)
	}
	want := model.LookConfirm
	if d.Action == model.ActionQA {
		want = model.LookQA
	}
	if !ok || l.kind != want {
		what := "awaiting confirmation"
		if want == model.LookQA {
			what = "waiting for a quality check"
		}
		return l, "", fmt.Errorf("post %d: %w: it is not %s", d.PostID, ErrConflict, what)
	}
	switch {
	case l.firstReviewer == d.Reviewer:
		return l, "", fmt.Errorf("post %d: %w: the decision is yours; another reviewer must be the second pair of eyes", d.PostID, ErrForbidden)
	case l.registered && d.KeyFP != "" && d.KeyFP == l.firstKey:
		// Two registered names, one key or one local account: one person.
		return l, "", fmt.Errorf("post %d: %w: the first decision was made with the same key (%s); another person must be the second pair of eyes", d.PostID, ErrForbidden, d.KeyFP)
	case l.excluded:
		return l, "", fmt.Errorf("post %d: %w: its category is excluded for %s", d.PostID, ErrForbidden, d.Reviewer)
	case l.kind == model.LookConfirm && l.tookPart:
		return l, "", fmt.Errorf("post %d: %w: %s already gave a view on it; someone new must confirm it", d.PostID, ErrForbidden, d.Reviewer)
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
	var kind model.LookKind
	switch {
	case ev.To == model.StatusAwaiting:
		kind = model.LookConfirm
	case ev.From == model.StatusPending && (ev.Action == model.ActionApprove || ev.Action == model.ActionReject):
		rate := s.policy.QARate(category)
		if rate <= 0 {
			return nil
		}
		seed, err := s.seed.get(tx, s.policy)
		if err != nil {
			return fmt.Errorf("post %d: QA sample: %w", ev.PostID, err)
		}
		if !model.InQASample(ev.PostID, seed, rate) {
			return nil
		}
		kind = model.LookQA
	default:
		return nil
	}
	if _, err := tx.Exec(`INSERT INTO second_looks (post_id, kind, first_event, first_reviewer) VALUES (?, ?, ?, ?)`,
		ev.PostID, kind, ev.ID, ev.Reviewer); err != nil {
		return fmt.Errorf("post %d: %s look: %w", ev.PostID, kind, err)
	}
	return nil
}

// confirmerOf is SQL for the reviewer who confirmed the four-eyes
// rejection e (events alias e, posts alias p), ” for any other decision:
// what export and takedown rows name beside the first reviewer.
const confirmerOf = `coalesce((SELECT c.reviewer FROM events c WHERE c.post_id = p.id AND c.action = 'confirm' AND c.id > e.id ORDER BY c.id LIMIT 1), '')`

// qaSeedCache holds the QA sample's seed: the policy's qa_seed when it sets
// one, else the database's own, drawn when it was created. It never
// changes, so it is read once.
type qaSeedCache struct {
	mu    sync.Mutex
	known bool
	seed  uint64
}

func (c *qaSeedCache) get(q rowQuerier, p *model.Policy) (uint64, error) {
	if p.QASeed != 0 {
		return uint64(p.QASeed), nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.known {
		var seed int64
		if err := q.QueryRow(`SELECT seed FROM qa_seed WHERE id = 1`).Scan(&seed); err != nil {
			return 0, err
		}
		c.seed, c.known = uint64(seed), true
	}
	return c.seed, nil
}

// QASeed is the seed this store's QA sample uses (see qaSeedCache): with
// it, model.InQASample says which decisions are sampled.
func (s *Store) QASeed() (uint64, error) { return s.seed.get(s.r, s.policy) }

// blindfold calls hide for each of posts under an open blind QA check of
// a decision reviewer did not make: whoever may take the check must not be
// able to look the decision up (search, the detail pane, the trail).
func (s *Store) blindfold(ctx context.Context, reviewer string, posts []int64, hide func(post int64)) error {
	if len(posts) == 0 {
		return nil
	}
	args := []any{reviewer}
	for _, id := range posts {
		args = append(args, id)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT post_id FROM second_looks INDEXED BY second_looks_open
		WHERE done_event IS NULL AND kind = 'qa' AND first_reviewer <> ? AND post_id IN (`+placeholders(len(posts))+`)`, args...)
	if err != nil {
		return fmt.Errorf("blind checks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		hide(id)
	}
	return rows.Err()
}
