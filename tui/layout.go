package tui

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/model"
	"triage/tui/sanitize"
)

// Layout limits.
const (
	MinWidth  = 60
	MinHeight = 16
	wideFrom  = 120 // side by side from this width, stacked below it
)

func (a *App) wide() bool { return a.c.Width >= wideFrom }

// bodyHeight is the screen less the header, status and hint lines.
func (a *App) bodyHeight() int { return a.c.Height - 3 }

// listWidth gives the list most of a wide screen: the post's text column
// takes the width its columns leave (at 120 columns, 42 characters).
func (a *App) listWidth() int {
	if a.wide() {
		return a.c.Width * 62 / 100
	}
	return a.c.Width
}

// layout gives every component its size after a resize or a change of
// arrangement (the full-screen post).
func (a *App) layout() {
	if a.c.Width < MinWidth || a.c.Height < MinHeight {
		return
	}
	body := a.bodyHeight()
	var listRows, detailW, detailH int
	switch {
	case a.detail.full:
		listRows, detailW, detailH = max(1, body-1), a.c.Width, body
	case a.wide():
		listRows = body - 1 // one line of column titles
		detailW, detailH = a.c.Width-a.listWidth()-1, body
	default:
		listH := max(5, body*2/5)
		listRows = listH - 1
		detailW, detailH = a.c.Width, body-listH-1 // a rule between the panes
	}
	for _, l := range a.lists {
		l.setHeight(listRows)
	}
	a.detail.SetSize(a.c, detailW, detailH)
}

// View renders the whole screen; every line is exactly the terminal's width.
func (a *App) View() tea.View {
	// The runtime asks for a frame after every message; half of them are
	// answers that change nothing (a post read ahead, a fresh read of the
	// one shown, a renewal), and drawing the screen again for them was a
	// third of a busy server's work.
	if a.dirty || a.frame == "" {
		a.frame, a.dirty = a.render(), false
	}
	v := tea.NewView(a.frame)
	v.AltScreen = true
	v.WindowTitle = "triage — " + sanitize.Line(a.c.Reviewer)
	if a.onBreak() {
		v.WindowTitle = "triage"
	}
	return v
}

func (a *App) render() string {
	w, h := a.c.Width, a.c.Height
	if !a.sized {
		return ""
	}
	if a.onBreak() {
		return strings.Join(a.open.view(a), "\n")
	}
	if w < MinWidth || h < MinHeight {
		msg := a.c.T.S("screen.too_small", w, h, MinWidth, MinHeight, a.c.Keys.Quit.Help().Key)
		return lipgloss.NewStyle().Width(max(1, w)).Render(msg)
	}
	lines := []string{a.header()}
	if a.open != nil && a.open.place() == placeBody {
		body := a.open.view(a)
		for len(body) < a.bodyHeight() {
			body = append(body, strings.Repeat(" ", w))
		}
		lines = append(lines, body[:a.bodyHeight()]...)
	} else {
		lines = append(lines, a.body()...)
	}
	if a.open != nil && a.open.place() == placeLine {
		lines = append(lines, a.open.view(a)...)
	} else {
		lines = append(lines, a.footer()...)
	}
	return strings.Join(lines, "\n")
}

func (a *App) body() []string {
	s := a.c.Styles
	det := a.detail.view(a.c)
	if a.open != nil && a.open.place() == placeBox {
		det = overlayBox(a.c, det, a.open.view(a), a.detail.width)
	}
	if a.detail.full {
		return det
	}
	empty := emptyState{pending: a.counts.ByStatus[model.StatusPending], held: a.counts.Held, atLimit: a.atLimit}
	if a.matching >= 0 {
		empty.pending = a.matching
	}
	list := a.current().view(a.c, a.listWidth(), empty)
	if a.wide() {
		out := make([]string, len(list))
		sep := s.Rule.Render("│")
		for i := range list {
			right := ""
			if i < len(det) {
				right = det[i]
			}
			out[i] = list[i] + sep + right
		}
		return out
	}
	out := append(list, s.Rule.Render(strings.Repeat("─", a.c.Width)))
	return append(out, det...)
}

// overlayBox draws box over the top of lines, each line kept width cells wide.
func overlayBox(c *Context, lines, box []string, width int) []string {
	out := append([]string(nil), lines...)
	for i, b := range box {
		if i >= len(out) {
			break
		}
		out[i] = c.fit(b, width)
	}
	return out
}

// drawTab draws a tab's name, as the active one or not.
func (a *App) drawTab(q model.Queue, name string) string {
	if a.tab == q {
		return a.c.Styles.TabActive.Render(name)
	}
	return a.c.Styles.Tab.Render(name)
}

// tabName is a tab's name in the header: the Confirm tab's with how many
// posts wait there, the search tab's with its words and matches.
func (a *App) tabName(q model.Queue) string {
	c := a.c
	switch l := a.lists[q]; {
	case q == model.QueueSearch && l != nil:
		name := c.T.S("tab.search_for", sanitize.Line(cutRunes(l.search, 24)))
		switch {
		case l.total > matchLimit:
			name += fmt.Sprintf(" %d+", matchLimit)
		case l.total >= 0:
			name += fmt.Sprintf(" %d", l.total)
		}
		return name
	case q != model.QueueConfirm || a.toConfirm == 0:
		return c.tabName(q)
	case a.toConfirm > confirmLimit:
		return fmt.Sprintf("%s %d+", c.tabName(q), confirmLimit)
	}
	return fmt.Sprintf("%s %d", c.tabName(q), a.toConfirm)
}

// headerTabs is "triage" and every tab, the search tab last while there is
// one.
func (a *App) headerTabs() string {
	left := a.c.Styles.Header.Render("triage")
	for _, q := range a.tabs {
		left += "  " + a.drawTab(q, a.tabName(q))
	}
	if a.lists[model.QueueSearch] != nil {
		left += "  " + a.drawTab(model.QueueSearch, a.tabName(model.QueueSearch))
	}
	return left
}

func (a *App) header() string {
	c := a.c
	s := c.Styles
	left := a.headerTabs()
	active := a.tabName(a.tab)
	who := sanitize.Line(c.Reviewer)
	if c.Lead() {
		who = c.T.S("header.lead", who)
	}
	pending := c.T.N("header.pending", a.counts.ByStatus[model.StatusPending])
	switch {
	case a.matching > matchLimit:
		pending = c.T.S("header.of_more", matchLimit, pending)
	case a.matching >= 0:
		pending = c.T.S("header.of", a.matching, pending)
	}
	reveal := ""
	if c.RevealSensitive {
		reveal = c.T.S("header.sensitive_shown")
	}

	decided := 0
	for _, n := range a.tally {
		decided += n
	}
	// What the header always shows: the list it is (the active tab), what
	// narrows it (the filter, at least 24 cells of it), how many posts
	// wait (and wait in Confirm), who is signed in, and whether sensitive
	// text is shown. The
	// other tabs, the online count and this session's tally give way
	// first, in that order from the right.
	full := left
	alone := s.Header.Render("triage") + "  " + s.TabActive.Render(c.fit(active, min(32, c.cellWidth(active))))
	if a.tab != model.QueueConfirm && a.toConfirm > 0 {
		alone += "  " + a.drawTab(model.QueueConfirm, a.tabName(model.QueueConfirm)) // what waits for a second look is never hidden
	}
	long := s.HeaderDim.Render(c.T.S("header.long", pending, a.online, decided, who, reveal))
	short := s.HeaderDim.Render(c.T.S("header.short", pending, a.online, decided, who, reveal))
	least := s.HeaderDim.Render(c.T.S("header.min", pending, who, reveal))
	const all = 1 << 20 // the whole filter label
	for _, try := range []struct {
		left, right string
		need        int // filter cells that must fit
	}{{full, long, all}, {full, short, all}, {full, least, all}, {full, short, 24}, {full, least, 24},
		{alone, short, 24}, {alone, least, 24}, {alone, least, 0}} {
		if l, gap, readable := a.headerWith(try.left, try.right, try.need); gap >= 1 && readable {
			return l + strings.Repeat(" ", gap) + try.right
		}
	}
	l, _, _ := a.headerWith(alone, least, 0)
	return c.fit(l+" "+least, c.Width)
}

// headerWith is left with the filter label after it, cut with "…" to the
// room right leaves, never dropped (a reviewer must always see what narrows
// the list); gap is the room left between them, and readable says whether
// need cells of the label (or all of it) fit.
func (a *App) headerWith(left, right string, need int) (string, int, bool) {
	c, s := a.c, a.c.Styles
	filter := a.filterLabel()
	// Two spaces, two brackets and at least one space before the counts.
	room := c.Width - lipgloss.Width(left) - lipgloss.Width(right) - 5
	if filter == "" {
		return left, c.Width - lipgloss.Width(left) - lipgloss.Width(right), true
	}
	if room > 4 {
		left += "  " + s.Warn.Render("["+c.fit(filter, min(room, c.cellWidth(filter)))+"]")
	}
	return left, c.Width - lipgloss.Width(left) - lipgloss.Width(right), room >= min(need, c.cellWidth(filter))
}

// footer is the status and hint lines. A status too long for its line
// takes the hint line too, wrapped at words; one too long for both gives up
// its start, never its end, where what it says lands ("…; it waits for a
// second reviewer to confirm it.").
func (a *App) footer() []string {
	c := a.c
	msg, style := a.status, c.Styles.OK
	if a.isErr {
		style = c.Styles.Error
	}
	if msg == "" && len(a.queued) == 0 {
		msg, style = a.care.banner(a), c.Styles.Warn // a suggested break, the same way
	}
	if msg == "" || c.cellWidth(msg) <= c.Width {
		return []string{a.statusLine(), a.hintLine()}
	}
	lines := c.wrap(msg, c.Width)
	if len(lines) > 2 {
		lines = lines[len(lines)-2:]
		if c.Graphemes {
			lines[0] = ansi.TruncateLeft(lines[0], 1, "…")
		} else {
			lines[0] = ansi.TruncateLeftWc(lines[0], 1, "…")
		}
	}
	out := []string{"", ""}
	for i := range out {
		if i < len(lines) {
			out[i] = lines[i]
		}
		out[i] = style.Render(c.fit(out[i], c.Width))
	}
	return out
}

func (a *App) statusLine() string {
	c := a.c
	s := c.Styles
	if a.status == "" {
		if n := len(a.queued); n > 0 {
			return s.Dim.Render(c.fit(c.T.N("status.keys_waiting", n), c.Width))
		}
		if b := a.care.banner(a); b != "" {
			return s.Warn.Render(c.fitWords(b, c.Width))
		}
		return strings.Repeat(" ", c.Width)
	}
	if a.isErr {
		return s.Error.Render(c.fitWords(a.status, c.Width))
	}
	return s.OK.Render(c.fitWords(a.status, c.Width))
}

// hintLine is bubbles/help's short help for whatever has the focus, most
// essential keys first, so a narrow screen cuts the least needed ones.
func (a *App) hintLine() string {
	a.help.SetWidth(a.c.Width)
	var ks []key.Binding
	if a.open != nil {
		ks = a.open.hints(a.c)
	} else {
		ks = a.hintBindings()
	}
	// The line is drawn again only when its keys or width change: it was
	// a tenth of a frame's work, redone for every message.
	var id strings.Builder
	fmt.Fprintf(&id, "%d %t %s", a.c.Width, a.c.Styles.dark, a.c.Styles.theme)
	for _, k := range ks {
		id.WriteString("\x00" + k.Help().Key + "\x00" + k.Help().Desc)
	}
	if a.hint.id == id.String() {
		return a.hint.line
	}
	a.help.Styles.ShortKey = a.c.Styles.HintKey
	a.help.Styles.ShortDesc = a.c.Styles.Dim
	a.help.Styles.ShortSeparator = a.c.Styles.Dim
	kept, cut := a.fitHints(ks)
	line := a.help.ShortHelpView(kept)
	if cut {
		line += " " + a.c.Styles.Dim.Render("…")
	}
	a.hint.id, a.hint.line = id.String(), a.c.fit(line, a.c.Width)
	return a.hint.line
}

// fitHints keeps the hints that fit the line, most essential first, and
// room for " …" if any is left out. bubbles/help adds the item that does
// not fit when the ellipsis does not fit either, and the line was then cut
// in the middle of a word (Russian and Kazakh words are long).
func (a *App) fitHints(ks []key.Binding) ([]key.Binding, bool) {
	const sep, tail = 3, 2 // " • " and " …"
	total := 0
	for i, k := range ks {
		w := a.c.cellWidth(k.Help().Key) + 1 + a.c.cellWidth(k.Help().Desc)
		if i > 0 {
			w += sep
		}
		room := a.c.Width
		if i < len(ks)-1 {
			room -= tail // a later item may not fit: keep room to say so
		}
		if total+w > room {
			return ks[:i], true
		}
		total += w
	}
	return ks, false
}

// hintBindings are the browsing keys the hint line shows, by how much they
// must stay.
func (a *App) hintBindings() []key.Binding {
	var hs []binding
	for _, b := range a.visible() {
		// Only what can act here: My decisions does not offer a or r.
		if b.name != "" && (b.keep == 9 && b.group == groupConsole || b.why(a) == "") {
			hs = append(hs, b)
		}
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].keep > hs[j].keep })
	out := make([]key.Binding, len(hs))
	for i, b := range hs {
		out[i] = short(b.key, a.c.T.S("hint."+b.name))
	}
	return out
}
