package data

import (
	"context"
	"fmt"

	"triage/model"
)

// Stats is the summary `triage stats` prints. JSON field names are an
// interface other tools rely on.
type Stats struct {
	Pending    int                      `json:"pending"`
	Approved   int                      `json:"approved"`
	Rejected   int                      `json:"rejected"`
	Escalated  int                      `json:"escalated"`
	Decisions  int                      `json:"decisions"` // decision events in the audit trail, undone ones included
	Undos      int                      `json:"undos"`
	Notes      int                      `json:"notes"`
	Events     int                      `json:"events"` // every audit event
	ByCategory map[string]int           `json:"by_category"`
	ByReviewer map[string]int           `json:"by_reviewer"`
	Platforms  map[string]PlatformStats `json:"platforms"`
}

// Stats summarises the database: statuses from the counters, decisions from
// the audit trail.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	st := Stats{ByCategory: map[string]int{}, ByReviewer: map[string]int{}}
	c, err := s.Counts(ctx)
	if err != nil {
		return st, err
	}
	st.Pending = c.ByStatus[model.StatusPending]
	st.Approved = c.ByStatus[model.StatusApproved]
	st.Rejected = c.ByStatus[model.StatusRejected]
	st.Escalated = c.ByStatus[model.StatusEscalated]
	for _, cat := range s.policy.Categories {
		st.ByCategory[cat.Key] = 0
	}
	for cat, n := range c.PendingByCategory {
		st.ByCategory[cat] = n
	}
	if st.Platforms, err = s.Platforms(ctx); err != nil {
		return st, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT reviewer, action, count(*) FROM events GROUP BY reviewer, action`)
	if err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var who string
		var a model.Action
		var n int
		if err := rows.Scan(&who, &a, &n); err != nil {
			return st, err
		}
		st.Events += n
		switch {
		case a.IsDecision():
			st.Decisions += n
			st.ByReviewer[who] += n
		case a == model.ActionUndo:
			st.Undos += n
		case a == model.ActionNote:
			st.Notes += n
		}
	}
	return st, rows.Err()
}
