package data

import (
	"strings"

	"triage/model"
)

// keyset is the tail of one keyset page: the condition on the anchor (if the
// direction has one), the order and the LIMIT placeholder. cols is the sort
// key in queue order, all descending, compared as a row value; key holds its
// values at the anchor. Before and Last read backwards, so the caller
// reverses them (reverse reports it) to hand back rows in queue order.
func keyset(dir model.Direction, cols []string, key []any) (tail string, args []any, reverse bool) {
	order := func(way string) string {
		parts := make([]string, len(cols))
		for i, c := range cols {
			parts[i] = c + " " + way
		}
		return " ORDER BY " + strings.Join(parts, ", ") + " LIMIT ?"
	}
	cond := func(op string) string {
		return " AND (" + strings.Join(cols, ", ") + ") " + op + " (" + placeholders(len(cols)) + ")"
	}
	switch dir {
	case model.After:
		return cond("<") + order("DESC"), key, false
	case model.From:
		return cond("<=") + order("DESC"), key, false
	case model.Before:
		return cond(">") + order("ASC"), key, true
	case model.Last:
		return order("ASC"), nil, true
	}
	return order("DESC"), nil, false
}
