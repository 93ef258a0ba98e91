package data

import (
	"context"
	"fmt"
	"slices"
	"time"

	"triage/model"
)

// The Confirm queue: the open second looks of decisions the reader did not
// make, in categories not excluded for them; confirmations before QA
// checks, each oldest first. A QA check's row carries nothing of the first
// decision (it is blind); a confirmation's carries it for the console to
// show when asked. The store refuses the rest of what it leaves out
// (checkSecondLook): the same key as the first decision's under another
// registered name, and the sides of a dispute.
func confirmQuery() string {
	return `SELECT CASE WHEN l.kind = 'confirm' THEN 1 ELSE 0 END, -l.id,
	p.id, p.platform, p.category, p.severity, p.reports, p.flagged_at, p.status,
	substr(p.text, 1, 240), coalesce(p.cluster, 0), coalesce(c.posts, 1),
	l.kind, CASE WHEN l.kind = 'confirm' THEN l.first_reviewer ELSE '' END,
	CASE WHEN l.kind = 'confirm' THEN f.reason_code ELSE '' END,
	CASE WHEN l.kind = 'confirm' THEN f.note ELSE '' END
	FROM second_looks l JOIN posts p ON p.id = l.post_id JOIN events f ON f.id = l.first_event
	LEFT JOIN clusters c ON c.id = p.cluster
	WHERE l.done_event IS NULL AND l.first_reviewer <> ?
	  AND NOT (? <> '' AND f.key_fp = ? AND EXISTS (SELECT 1 FROM reviewers))
	  AND p.category NOT IN (SELECT category FROM reviewer_exclusions WHERE reviewer = ?)
	  AND (l.kind = 'qa' OR NOT ` + tookPart("l.post_id") + `)`
}

const confirmOrder, confirmTie = "CASE WHEN l.kind = 'confirm' THEN 1 ELSE 0 END", "-l.id"

// ToConfirm counts what waits in a's Confirm queue, up to limit: the tab
// says it, so a second reviewer need not go there to find out.
func (s *Store) ToConfirm(ctx context.Context, a model.Actor, limit int) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM (`+confirmQuery()+` LIMIT ?) AS waiting`,
		a.Reviewer, a.KeyFP, a.KeyFP, a.Reviewer, a.Reviewer, a.KeyFP, a.KeyFP, limit).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("confirm count: %w", err)
	}
	return n, nil
}

func (s *Store) confirmPage(ctx context.Context, q model.PageQuery) ([]model.Item, error) {
	if _, err := roleOf(s.r, q.Actor.Reviewer); err != nil {
		return nil, err
	}
	cond, fargs := s.filterSQL(q.Filter, "p.", s.now())
	tail, kargs, reverse := keyset(q.Dir, []string{confirmOrder, confirmTie}, []any{q.Key.Order, q.Key.Tie})
	a := q.Actor
	args := append(append([]any{a.Reviewer, a.KeyFP, a.KeyFP, a.Reviewer, a.Reviewer, a.KeyFP, a.KeyFP}, fargs...), kargs...)
	rows, err := s.r.QueryContext(ctx, confirmQuery()+cond+tail, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("confirm page: %w", err)
	}
	defer rows.Close()
	var out []model.Item
	for rows.Next() {
		var it model.Item
		var l model.Look
		var flagged int64
		if err := rows.Scan(&it.Key.Order, &it.Key.Tie, &it.PostID, &it.Platform, &it.Category, &it.Severity, &it.Reports,
			&flagged, &it.Status, &it.Snippet, &it.Cluster, &it.ClusterSize,
			&l.Kind, &l.FirstReviewer, &l.FirstCode, &l.FirstNote); err != nil {
			return nil, err
		}
		it.FlaggedAt = time.Unix(flagged, 0).UTC()
		if l.Kind == model.LookQA {
			it.Status = "" // blind: the status would say what the first reviewer decided
		}
		it.Look = &l
		out = append(out, it)
	}
	if reverse {
		slices.Reverse(out)
	}
	return out, rows.Err()
}
