package tui

import (
	"fmt"
	"strings"

	"triage/model"
	"triage/tui/sanitize"
)

// Column widths of a list row, in cells.
const (
	colMark     = 1
	colAge      = 4
	colPlatform = 3
	colCategory = 14
	colPrio     = 6
	colCluster  = 5
	colAction   = 9
	colReason   = 11
)

// view renders the visible rows, each exactly width cells wide, under a
// column header.
func (l *list) view(c *Context, width int) []string {
	s := c.Styles
	lines := make([]string, 0, l.height+1)
	lines = append(lines, s.Dim.Render(fit(l.columns(), width)))
	rows, sel := l.visible()
	for i, it := range rows {
		line := fit(l.row(c, it, width), width)
		switch {
		case l.saving[it.PostID] && l.queue == model.QueuePending:
			line = s.RowSaving.Render(line)
		case i == sel:
			line = s.RowSelected.Render(line)
		}
		lines = append(lines, line)
	}
	switch {
	case l.err != nil:
		lines = append(lines, s.Error.Render(fit(" cannot read the queue: "+sanitize.Line(l.err.Error()), width)))
	case !l.loaded:
		lines = append(lines, s.Dim.Render(fit(" loading…", width)))
	case len(l.rows) == 0 && l.queue == model.QueueSearch:
		lines = append(lines, s.Dim.Render(fit(" No post matches “"+sanitize.Line(l.search)+"”. / searches again, esc goes back.", width)))
	case len(l.rows) == 0 && l.queue == model.QueuePending && !c.Filter.IsZero():
		lines = append(lines, s.OK.Render(fit(" No pending post passes the filter. f changes it, v switches view.", width)))
	case len(l.rows) == 0 && l.queue == model.QueuePending:
		lines = append(lines, s.OK.Render(fit(" The queue is empty. Nothing left to review.", width)))
	case len(l.rows) == 0 && l.queue == model.QueueLeads:
		lines = append(lines, s.OK.Render(fit(" Nothing is escalated.", width)))
	case len(l.rows) == 0:
		lines = append(lines, s.Dim.Render(fit(" No decisions yet.", width)))
	case l.queue == model.QueuePending && len(l.rows) < l.height:
		lines = append(lines, strings.Repeat(" ", width), s.Dim.Render(fit(fmt.Sprintf(" Your batch: %d posts, held for you alone.", len(l.rows)), width)),
			s.Dim.Render(fit(" More are claimed as you decide.", width)))
	}
	for len(lines) < l.height+1 {
		lines = append(lines, strings.Repeat(" ", width))
	}
	return lines[:l.height+1]
}

func (l *list) columns() string {
	if l.queue == model.QueueMine {
		return fmt.Sprintf(" %*s %-*s %-*s %-*s %s", colAge, "AGE", colAction, "DECISION", colReason, "REASON", colPlatform, "PL", "POST")
	}
	return fmt.Sprintf(" %*s %-*s %-*s %-*s %*s %s", colAge+1, "AGE", colPlatform, "PL", colCategory, "CATEGORY", colPrio, "PRIO", colCluster, "DUP", "POST")
}

func (l *list) row(c *Context, it model.Item, width int) string {
	mark := " "
	if it.PostID == l.selectedPostID() {
		mark = "▌"
	}
	// A row never shows more runes than it has cells, so measuring more
	// than that on every frame would be wasted work.
	snippet := sanitize.Line(cutRunes(it.Snippet, width))
	platform := fit(sanitize.Line(shortPlatform(it.Platform)), colPlatform)
	if l.queue == model.QueueMine && it.Event != nil {
		ev := it.Event
		action := string(ev.Action)
		if it.Status != ev.To {
			action = "(" + action + ")" // undone or superseded since
		}
		return mark + padLeft(age(c.Now(), ev.At), colAge) + " " + fit(action, colAction) + " " +
			fit(ev.ReasonCode, colReason) + " " + platform + " " + snippet
	}
	prio := fmt.Sprintf("S%d", it.Severity)
	if it.Reports > 1 {
		prio += fmt.Sprintf("×%d", it.Reports)
	}
	if l.saving[it.PostID] {
		prio = "saving"
	}
	// "!" marks a pending post past its category's target time.
	sla := " "
	if cat, ok := c.Policy.Category(it.Category); ok && it.Status == model.StatusPending && cat.Breached(it.FlaggedAt, c.Now()) {
		sla = "!"
	}
	dup := ""
	switch n := it.ClusterSize; {
	case n >= 10_000:
		dup = fmt.Sprintf("×%dk", n/1000)
	case n > 1:
		dup = fmt.Sprintf("×%d", n)
	}
	return mark + sla + padLeft(age(c.Now(), it.FlaggedAt), colAge) + " " + platform + " " +
		fit(sanitize.Line(it.Category), colCategory) + " " + fit(prio, colPrio) + " " + padLeft(dup, colCluster) + " " + snippet
}

func (l *list) selectedPostID() int64 {
	if it, ok := l.selected(); ok {
		return it.PostID
	}
	return 0
}

// cutRunes returns at most n runes of s.
func cutRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
