package data

import (
	"context"
	"fmt"
	"time"

	"triage/model"
)

const hourMs = 3_600_000

// Dashboard reads the state of the work: every figure but the platform
// outcomes comes from a counter table (event_hours, counts, clusters) or an
// index range, so it costs the same with a thousand decisions or ten
// million; the outcomes read the posts sent so far.
func (s *Store) Dashboard(ctx context.Context) (model.Dashboard, error) {
	c, err := s.Counts(ctx)
	if err != nil {
		return model.Dashboard{}, err
	}
	d, err := s.dashboard(ctx, c)
	if err != nil {
		return d, err
	}
	if d.Platforms, err = s.Platforms(ctx); err != nil {
		return d, err
	}
	if d.Exposure, err = s.exposure(ctx, d.Now); err != nil {
		return d, err
	}
	if d.Agreement, err = s.Agreement(ctx); err != nil {
		return d, err
	}
	d.OpenQAMix, d.OpenQAStatus, err = s.openQA(ctx, d.Since())
	return d, err
}

// openQA counts the blind QA checks still open: their first decisions made
// since, by action, and their posts by status.
func (s *Store) openQA(ctx context.Context, since time.Time) (map[model.Action]int, map[model.Status]int, error) {
	mix, by := map[model.Action]int{}, map[model.Status]int{}
	rows, err := s.r.QueryContext(ctx, `SELECT e.action, e.at, p.status FROM second_looks l INDEXED BY second_looks_queue
		JOIN events e ON e.id = l.first_event JOIN posts p ON p.id = l.post_id
		WHERE l.done_event IS NULL AND l.kind = 'qa'`)
	if err != nil {
		return nil, nil, fmt.Errorf("open QA checks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a model.Action
		var at int64
		var st model.Status
		if err := rows.Scan(&a, &at, &st); err != nil {
			return nil, nil, err
		}
		if at >= since.UnixMilli() {
			mix[a]++
		}
		by[st]++
	}
	return mix, by, rows.Err()
}

// dashboard is Dashboard with the status counters already read.
func (s *Store) dashboard(ctx context.Context, c model.Counts) (model.Dashboard, error) {
	now := s.now()
	d := model.Dashboard{Now: now.UTC(), PerHour: map[string][]int{}, Mix: map[model.Action]int{},
		Queue: map[string]int{}, Breaches: map[string]int{}}
	last := now.UnixMilli() / hourMs
	first := last - model.DashboardHours + 1
	rows, err := s.r.QueryContext(ctx, `SELECT hour, reviewer, action, n FROM event_hours WHERE hour >= ? AND hour <= ?`, first, last)
	if err != nil {
		return d, fmt.Errorf("dashboard: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var hour int64
		var who string
		var a model.Action
		var n int
		if err := rows.Scan(&hour, &who, &a, &n); err != nil {
			return d, err
		}
		if a != model.ActionNote {
			d.Mix[a] += n
		}
		if !a.IsDecision() {
			continue
		}
		series := d.PerHour[who]
		if series == nil {
			series = make([]int, model.DashboardHours)
			d.PerHour[who] = series
		}
		series[hour-first] += n
	}
	if err := rows.Err(); err != nil {
		return d, err
	}
	for _, cat := range s.policy.Categories {
		d.Queue[cat.Key] = c.PendingByCategory[cat.Key]
		if cat.Target.Duration > 0 {
			d.Breaches[cat.Key] = 0
		}
	}
	for cat, n := range c.PendingByCategory {
		d.Queue[cat] = n
	}
	if err := s.countBreaches(ctx, d.Breaches); err != nil {
		return d, err
	}
	err = s.r.QueryRowContext(ctx, `SELECT count(*) FROM clusters INDEXED BY clusters_campaigns WHERE pending >= 2`).Scan(&d.Clusters)
	return d, err
}

// countBreaches counts pending posts past their target, per category, with
// one index range per category on posts_age.
func (s *Store) countBreaches(ctx context.Context, into map[string]int) error {
	now := s.now()
	for _, cat := range s.policy.Categories {
		if cat.Target.Duration <= 0 {
			continue
		}
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM posts INDEXED BY posts_age
			WHERE status = 'pending' AND flagged_at < ? AND category = ?`, now.Add(-cat.Target.Duration).Unix(), cat.Key).Scan(&n); err != nil {
			return fmt.Errorf("breaches: %w", err)
		}
		into[cat.Key] = n
	}
	return nil
}
