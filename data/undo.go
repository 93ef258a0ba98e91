package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"triage/model"
)

// UndoPlan says what undoing one of a reviewer's decisions would undo: the
// decision on postID (0: the reviewer's most recent one still in force), and,
// when it was part of a cluster decision, every other post that cluster
// decision decided and that is still as it left it. A cluster decision is
// one move, so it is undone as one.
func (s *Store) UndoPlan(ctx context.Context, reviewer string, postID int64) (model.UndoPlan, error) {
	var plan model.UndoPlan
	if postID == 0 {
		id, err := s.LastUndoable(ctx, reviewer)
		if err != nil || id == 0 {
			return plan, err
		}
		postID = id
	}
	var evID, cluster int64
	var action model.Action
	var reason, who string
	err := s.r.QueryRowContext(ctx, `SELECT e.id, e.action, e.reason_code, e.reviewer, coalesce(p.cluster, 0)
		FROM events e JOIN posts p ON p.id = e.post_id
		WHERE e.post_id = ? AND e.action NOT IN ('note', 'qa') ORDER BY e.id DESC LIMIT 1`, postID).Scan(&evID, &action, &reason, &who, &cluster)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (!action.IsDecision() || who != reviewer)) {
		return plan, nil // nothing of this reviewer's is in force on it; Decide says why
	}
	if err != nil {
		return plan, fmt.Errorf("undo: %w", err)
	}
	plan = model.UndoPlan{Posts: []int64{postID}, Action: action, Cluster: cluster}
	if cluster == 0 {
		return plan, nil
	}
	// A cluster decision's events are consecutive, one per post, in one
	// transaction: walk back and forth from this one while the run holds.
	rows, err := s.r.QueryContext(ctx, `SELECT e.id, e.post_id, e.action, e.reason_code, e.reviewer, coalesce(p.cluster, 0),
			NOT EXISTS (SELECT 1 FROM events l WHERE l.post_id = e.post_id AND l.id > e.id AND l.action NOT IN ('note', 'qa'))
		FROM events e JOIN posts p ON p.id = e.post_id
		WHERE e.id BETWEEN ? AND ? ORDER BY e.id`, evID-maxClusterUndo, evID+maxClusterUndo)
	if err != nil {
		return plan, fmt.Errorf("undo: %w", err)
	}
	defer rows.Close()
	type ev struct {
		id, post int64
		same     bool
		inForce  bool
	}
	var run []ev
	at := -1
	for rows.Next() {
		var e ev
		var a model.Action
		var r, w string
		var c int64
		if err := rows.Scan(&e.id, &e.post, &a, &r, &w, &c, &e.inForce); err != nil {
			return plan, err
		}
		e.same = a == action && r == reason && w == reviewer && c == cluster
		if e.id == evID {
			at = len(run)
		}
		run = append(run, e)
	}
	if err := rows.Err(); err != nil || at < 0 {
		return plan, err
	}
	lo, hi := at, at
	for lo > 0 && run[lo-1].same && run[lo-1].id == run[lo].id-1 {
		lo--
	}
	for hi < len(run)-1 && run[hi+1].same && run[hi+1].id == run[hi].id+1 {
		hi++
	}
	plan.Posts = plan.Posts[:0]
	for _, e := range run[lo : hi+1] {
		if e.inForce {
			plan.Posts = append(plan.Posts, e.post)
		}
	}
	return plan, nil
}

// maxClusterUndo bounds how far a cluster decision is looked for around one
// of its events.
const maxClusterUndo = 20_000

// UndoPosts undoes the actor's decisions on posts in one transaction: all of
// them or none, each with its own audit event, each under Decide's rules
// (the decision must still be in force, the actor's own, and not in a
// takedown packet).
func (s *Store) UndoPosts(ctx context.Context, a model.Actor, posts []int64) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		st := newTxState()
		for _, id := range posts {
			if _, err := s.applyDecision(tx, model.Decision{PostID: id, Actor: a, Action: model.ActionUndo}, st); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
