package data

import (
	"context"
	"fmt"
	"time"

	"triage/model"
)

// ReviewPairs reads every answered second look with the decision it was
// about, oldest answer first, and hands each to fn: what `export --qa`
// writes and the agreement figures are computed from. A look called off
// (its decision undone or reopened first) has no answer and is not a pair.
func (s *Store) ReviewPairs(ctx context.Context, fn func(model.ReviewPair) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT p.id, p.category, l.kind,
			f.reviewer, f.action, f.reason_code, f.at, d.reviewer, l.verdict, d.reason_code, d.at
		FROM second_looks l INDEXED BY second_looks_answered
		JOIN events f ON f.id = l.first_event JOIN events d ON d.id = l.done_event JOIN posts p ON p.id = l.post_id
		WHERE l.done_event IS NOT NULL AND l.verdict <> '' ORDER BY l.done_event`)
	if err != nil {
		return fmt.Errorf("review pairs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p model.ReviewPair
		var first, second int64
		if err := rows.Scan(&p.PostID, &p.Category, &p.Kind, &p.FirstReviewer, &p.FirstAction, &p.FirstReason, &first,
			&p.SecondReviewer, &p.SecondAction, &p.SecondReason, &second); err != nil {
			return err
		}
		p.FirstAt, p.SecondAt = time.UnixMilli(first).UTC(), time.UnixMilli(second).UTC()
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Agreement measures how far second looks agreed with the decisions they
// were about.
func (s *Store) Agreement(ctx context.Context) (model.AgreementStats, error) {
	var pairs []model.ReviewPair
	err := s.ReviewPairs(ctx, func(p model.ReviewPair) error {
		pairs = append(pairs, p)
		return nil
	})
	return model.Agreements(pairs), err
}
