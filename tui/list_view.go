package tui

import (
	"fmt"
	"strings"

	"triage/model"
	"triage/tui/sanitize"
)

// Column widths of a list row, in cells. The post's text takes what is left:
// the list is where a reviewer reads the queue, so the chrome stays narrow.
const (
	colMark     = 1
	colPlatform = 2
	colCategory = 10
	colPrio     = 5
	colCluster  = 4
	colAction   = 9
	colReason   = 9
	colNow      = 16
)

// emptyState is what the pending list says when it has no rows, from the
// header's counts: it never says the queue is empty while posts are pending
// and could be claimed.
type emptyState struct {
	pending, held int // pending posts that pass the filter, and of them held by others
	// atLimit: the reviewer holds the policy's limit in other consoles, so
	// this one can claim none.
	atLimit bool
}

// view renders the visible rows, each exactly width cells wide, under a
// column header.
func (l *list) view(c *Context, width int, empty emptyState) []string {
	s := c.Styles
	lines := make([]string, 0, l.height+1)
	l.catW = categoryWidth(c, width) // once a frame, not once a row
	lines = append(lines, s.Dim.Render(c.fit(l.columns(c), width)))
	rows, sel := l.visible()
	for i, it := range rows {
		line := c.fit(l.row(c, it, width, i == sel), width)
		switch {
		case l.saving[it.PostID] && l.queue == model.QueuePending:
			line = s.RowSaving.Render(line)
		case i == sel:
			line = s.RowSelected.Render(line)
		case l.queue == model.QueueMine && it.Later != nil:
			line = s.Dim.Render(line) // a decision no longer in force
		}
		lines = append(lines, line)
	}
	note := func(style func(...string) string, text string) {
		for _, w := range c.wrap(text, width-1) {
			lines = append(lines, style(c.fit(" "+w, width)))
		}
	}
	switch {
	case l.err != nil:
		note(s.Error.Render, c.T.S("list.cannot_read", sanitize.Line(l.err.Error())))
	case !l.loaded:
		note(s.Dim.Render, c.T.S("list.loading"))
	case len(l.rows) == 0 && l.queue == model.QueueSearch:
		note(s.Dim.Render, c.T.S("list.no_match", sanitize.Line(l.search), c.Keys.Search.Help().Key, c.Keys.Cancel.Help().Key))
	case len(l.rows) == 0 && l.queue == model.QueuePending && empty.atLimit:
		note(s.Warn.Render, c.T.S("list.at_limit", c.Policy.Limits.Posts()))
	case len(l.rows) == 0 && l.queue == model.QueuePending && empty.pending > empty.held:
		note(s.Dim.Render, c.T.N("list.claiming", empty.pending-empty.held))
	case len(l.rows) == 0 && l.queue == model.QueuePending && empty.pending > 0:
		note(s.Dim.Render, c.T.N("list.all_held", empty.pending))
	case len(l.rows) == 0 && l.queue == model.QueuePending && !c.Filter.IsZero():
		note(s.OK.Render, c.T.S("list.none_pass", c.Keys.Filter.Help().Key, c.Keys.Views.Help().Key))
	case len(l.rows) == 0 && l.queue == model.QueuePending:
		note(s.OK.Render, c.T.S("list.empty"))
	case len(l.rows) == 0 && l.queue == model.QueueLeads:
		note(s.OK.Render, c.T.S("list.none_escalated"))
	case len(l.rows) == 0 && l.queue == model.QueueConfirm:
		note(s.OK.Render, c.T.S("list.none_to_confirm"))
	case len(l.rows) == 0:
		note(s.Dim.Render, c.T.S("list.no_decisions"))
	case l.queue == model.QueuePending && len(l.rows) < l.height:
		lines = append(lines, strings.Repeat(" ", width))
		note(s.Dim.Render, c.T.N("list.batch", len(l.rows)))
	}
	for len(lines) < l.height+1 {
		lines = append(lines, strings.Repeat(" ", width))
	}
	return lines[:l.height+1]
}

// categoryWidth is the category column on a list width cells wide: 10
// cells, and on a wide list as many as the policy's longest key needs (at
// most 16), so that no key is cut where there is room for it.
func categoryWidth(c *Context, width int) int {
	if width < 100 {
		return colCategory
	}
	w := colCategory
	for _, cat := range c.Policy.Categories {
		w = max(w, c.cellWidth(cat.Key))
	}
	return min(w, 16)
}

func (l *list) columns(c *Context) string {
	t := c.T
	if l.queue == model.QueueMine {
		return " " + c.padLeft(t.S("col.age"), c.colAge()) + " " + c.fit(t.S("col.decision"), colAction) + " " + c.fit(t.S("col.reason"), colReason) + " " +
			c.fit(t.S("col.now"), colNow) + " " + c.fit(t.S("col.platform"), colPlatform) + " " + t.S("col.post")
	}
	return "  " + c.padLeft(t.S("col.age"), c.colAge()) + " " + c.fit(t.S("col.platform"), colPlatform) + " " + c.fit(t.S("col.category"), l.catW) + " " +
		c.fit(t.S("col.prio"), colPrio) + " " + c.padLeft(t.S("col.dup"), colCluster) + " " + t.S("col.post")
}

func (l *list) row(c *Context, it model.Item, width int, selected bool) string {
	mark := " "
	if selected { // by row: My decisions can list one post twice
		mark = "▌"
	}
	// A row never shows more runes than it has cells, so measuring more
	// than that on every frame would be wasted work. A sensitive post's
	// text stays collapsed here as in the detail, until the reviewer asks.
	snippet := c.shown(sanitize.Line(cutRunes(it.Snippet, width)))
	if cat, ok := c.Policy.Category(it.Category); ok && cat.Sensitive && !c.RevealSensitive && !c.Revealed[it.PostID] {
		snippet = c.Styles.Dim.Render(c.T.S("list.sensitive", c.Keys.PostDown.Keys()[0]))
	}
	if c.Settings.Excludes(it.Category) {
		snippet = c.Styles.Dim.Render(c.T.S("list.excluded"))
	}
	if it.HeldByOther { // said before the reviewer acts, not after
		snippet = c.Styles.Warn.Render(c.T.S("list.held")) + snippet
	}
	platform := c.fit(sanitize.Line(shortPlatform(it.Platform)), colPlatform)
	if l.queue == model.QueueMine && it.Event != nil {
		ev := it.Event
		return mark + c.padLeft(c.age(ev.At), c.colAge()) + " " + c.fit(c.actionWord(ev.Action), colAction) + " " +
			c.fit(sanitize.Line(ev.ReasonCode), colReason) + " " + c.fit(c.laterWord(it), colNow) + " " + platform + " " + snippet
	}
	prio := fmt.Sprintf("S%d", it.Severity)
	if it.Reports > 1 {
		prio += fmt.Sprintf("×%d", it.Reports)
	}
	if lk := it.Look; lk != nil {
		prio = c.T.S("list.look_" + string(lk.Kind)) // what the second look is, in place of the priority
	}
	if l.saving[it.PostID] {
		prio = c.T.S("list.saving")
	}
	// "!" marks a pending post past its category's target time.
	sla := " "
	if cat, ok := c.Policy.Category(it.Category); ok && it.Status == model.StatusPending && cat.Breached(it.FlaggedAt, c.Now()) {
		sla = "!"
	}
	dup := ""
	switch n := it.ClusterSize; {
	case n >= 1000:
		dup = fmt.Sprintf("%dk", n/1000)
	case n > 1:
		dup = fmt.Sprintf("×%d", n)
	}
	return mark + sla + c.padLeft(c.age(it.FlaggedAt), c.colAge()) + " " + platform + " " +
		c.fit(sanitize.Line(it.Category), l.catW) + " " + c.fit(prio, colPrio) + " " + c.padLeft(dup, colCluster) + " " + snippet
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
