package data

import (
	"context"
	"fmt"
	"time"

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
	// What the console's stats view (S) draws, for the last 24 hours.
	PerHour  map[string][]int `json:"decisions_per_hour"` // reviewer → 24 hourly counts, oldest first
	Mix      map[string]int   `json:"decision_mix"`       // action → count, last 24 hours
	Breaches map[string]int   `json:"sla_breaches"`       // category → pending posts past target
	Clusters int              `json:"clusters"`           // clusters with at least two pending posts
	Since    string           `json:"per_hour_since"`     // RFC 3339 start of the first hour
	// Exposure is what each reviewer read on each of the last days:
	// sensitive posts shown and minutes in the console, newest day first.
	Exposure []model.Exposure `json:"exposure"`
	// Agreement is how far second looks (four-eyes confirmations, blind
	// QA checks) agreed with the decisions they were about.
	Agreement model.AgreementStats `json:"agreement"`
	// Awaiting is four-eyes rejections waiting for a second reviewer.
	Awaiting int `json:"awaiting_confirmation"`
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
	st.Awaiting = c.ByStatus[model.StatusAwaiting]
	for _, cat := range s.policy.Categories {
		st.ByCategory[cat.Key] = 0
	}
	for cat, n := range c.PendingByCategory {
		st.ByCategory[cat] = n
	}
	if st.Platforms, err = s.Platforms(ctx); err != nil {
		return st, err
	}
	d, err := s.dashboard(ctx, c)
	if err != nil {
		return st, err
	}
	st.PerHour, st.Breaches, st.Clusters = d.PerHour, d.Breaches, d.Clusters
	if st.Exposure, err = s.exposure(ctx, d.Now); err != nil {
		return st, err
	}
	if st.Agreement, err = s.Agreement(ctx); err != nil {
		return st, err
	}
	if st.Exposure == nil {
		st.Exposure = []model.Exposure{}
	}
	st.Mix = map[string]int{}
	for a, n := range d.Mix {
		st.Mix[string(a)] = n
	}
	st.Since = d.Since().Format(time.RFC3339)
	// The hourly counters hold every event, so the totals need no scan of
	// the audit trail.
	rows, err := s.r.QueryContext(ctx, `SELECT reviewer, action, sum(n) FROM event_hours GROUP BY reviewer, action`)
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
