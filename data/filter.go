package data

import (
	"strings"
	"time"

	"triage/model"
)

// filterSQL turns a filter into conditions on the posts table (by alias,
// e.g. "p."), each starting with " AND ", and their arguments.
func (s *Store) filterSQL(f model.Filter, alias string, now time.Time) (string, []any) {
	var b strings.Builder
	var args []any
	in := func(col string, vs []string) {
		if len(vs) == 0 {
			return
		}
		b.WriteString(" AND " + alias + col + " IN (" + placeholders(len(vs)) + ")")
		for _, v := range vs {
			args = append(args, v)
		}
	}
	in("platform", f.Platforms)
	in("category", f.Categories)
	in("language", f.Languages)
	if f.MinSeverity > 0 {
		b.WriteString(" AND " + alias + "severity >= ?")
		args = append(args, f.MinSeverity)
	}
	if f.OlderThan > 0 {
		b.WriteString(" AND " + alias + "flagged_at < ?")
		args = append(args, now.Add(-f.OlderThan).Unix())
	}
	if f.NewerThan > 0 {
		b.WriteString(" AND " + alias + "flagged_at >= ?")
		args = append(args, now.Add(-f.NewerThan).Unix())
	}
	if f.Breached {
		cond, cargs := s.breachSQL(alias, now)
		b.WriteString(" AND " + cond)
		args = append(args, cargs...)
	}
	return b.String(), args
}

// breachSQL is the condition "flagged before its category's target ran
// out". A category without a target is never in breach.
func (s *Store) breachSQL(alias string, now time.Time) (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString(alias + "flagged_at < CASE " + alias + "category")
	n := 0
	for _, c := range s.policy.Categories {
		if c.Target.Duration > 0 {
			b.WriteString(" WHEN ? THEN CAST(? AS BIGINT)")
			args = append(args, c.Key, now.Add(-c.Target.Duration).Unix())
			n++
		}
	}
	if n == 0 {
		return "FALSE", nil
	}
	b.WriteString(" END")
	return b.String(), args
}

// orderKey is the expression a filtered queue is sorted by, descending: the
// priority score, or for the breach view the age, oldest first.
func orderKey(f model.Filter, alias string) string {
	if f.Breached {
		return "-" + alias + "flagged_at"
	}
	return alias + "prio"
}
