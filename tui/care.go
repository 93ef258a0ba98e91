package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"triage/model"
	"triage/tui/sanitize"
)

// care looks after the reader. Sensitive posts whose text this session
// showed, and the time since the last break, are counted; past the
// policy's limits (model.Care) the status line suggests a break, and
// ctrl+b takes one: every post leaves the screen, the batch's leases are
// stretched to the break's length and renewal pauses, so nothing is lost
// and nobody else is kept waiting longer than that.
type care struct {
	revealed map[int64]bool // sensitive posts shown this session
	since    time.Time      // the end of the last break, or the console's start
	// What the store has been told, so each tick sends only the rest.
	toldReveals int
	toldAt      time.Time
}

// breakScreen is the overlay of a break: it hides everything.
type breakScreen struct {
	began time.Time
}

func (a *App) onBreak() bool {
	_, ok := a.open.(*breakScreen)
	return ok
}

// noteExposure counts the post on screen if its sensitive text is showing.
func (a *App) noteExposure() {
	d := &a.detail
	if d.post == nil || d.history || a.onBreak() {
		return
	}
	if cat, ok := a.c.Policy.Category(d.post.Category); ok && cat.Sensitive && !d.sensitiveHidden(a.c) && !d.excluded(a.c) {
		if a.care.revealed == nil {
			a.care.revealed = map[int64]bool{}
		}
		a.care.revealed[d.post.ID] = true
	}
}

// banner is the suggestion of a break, "" while none is due.
func (c *care) banner(a *App) string {
	lim := a.c.Policy.Care
	n, worked := len(c.revealed), a.c.Now().Sub(c.since)
	switch {
	case n >= lim.RevealLimit():
		return a.c.T.N("care.banner_reveals", n, n, a.c.Keys.Break.Help().Key)
	case !c.since.IsZero() && worked >= lim.TimeLimit():
		return a.c.T.S("care.banner_time", int(worked.Minutes()), a.c.Keys.Break.Help().Key)
	}
	return ""
}

// exposureTable is the stats view's exposure section: this session, then
// the last days' figures — the reader's own, or every reviewer's for a
// lead.
func (a *App) exposureTable(d *model.Dashboard) []string {
	c := a.c
	s := c.Styles
	n := len(a.care.revealed)
	out := []string{s.Label.Render(c.T.S("stats.exposure", model.ExposureDays)) + s.Dim.Render("  "+c.T.S("stats.exposure_cols")),
		"  " + c.T.N("care.session", n, n, int(c.Now().Sub(a.started).Minutes()))}
	rows := exposureOf(c, d.Exposure)
	if len(rows) == 0 {
		return append(out, s.Dim.Render("  "+c.T.S("stats.exposure_none")))
	}
	for _, r := range rows {
		out = append(out, fmt.Sprintf("  %s  %s %6d %6d", r.Day, c.fit(sanitize.Line(r.Reviewer), 14), r.Reveals, r.Minutes))
	}
	return out
}

// exposure tells the store what this session read since it last did: the
// per-day figures `stats` shows reviewers and leads.
func (a *App) exposure() tea.Cmd {
	now := a.c.Now()
	if a.care.toldAt.IsZero() {
		a.care.toldAt = now // the first tick starts the count
		return nil
	}
	n := len(a.care.revealed) - a.care.toldReveals
	secs := int(now.Sub(a.care.toldAt).Seconds())
	if a.onBreak() || secs < 0 {
		secs = 0 // a break is not time in the console
	}
	if n == 0 && secs < 60 {
		return nil
	}
	a.care.toldReveals, a.care.toldAt = len(a.care.revealed), now
	s := a.c.Session
	return func() tea.Msg {
		err := s.Store.RecordExposure(s.Ctx, s.Reviewer, now, n, secs)
		return exposureMsg{err: err}
	}
}

type exposureMsg struct{ err error }

// takeBreak opens the break screen and stretches the leases over it.
func (a *App) takeBreak() tea.Cmd {
	flush := a.exposure()
	a.open = &breakScreen{began: a.c.Now()}
	a.status = ""
	s, length := a.c.Session, a.c.Policy.Care.Length()
	return tea.Batch(flush, func() tea.Msg { return renewedMsg{err: s.Store.Renew(s.Ctx, s.SessionID, max(length, s.Lease))} })
}

// endBreak renews the leases at once and starts the clock again.
func (a *App) endBreak(b *breakScreen) tea.Cmd {
	now := a.c.Now()
	a.care.since, a.care.toldAt = now, now
	a.renewed = now
	a.tell("care.welcome_back", int(now.Sub(b.began).Minutes()))
	return tea.Batch(renew(a.c.Session), a.pending().reload(a.c), loadCounts(a.c.Session, a.c.Filter))
}

func (b *breakScreen) key(a *App, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := a.c.Keys
	switch {
	case key.Matches(msg, k.Quit):
		return a.quit(), true
	case key.Matches(msg, k.Break, k.Confirm, k.Cancel):
		return a.endBreak(b), true
	}
	return nil, false // a stray key does not end a break
}

func (b *breakScreen) update(*App, tea.Msg) tea.Cmd { return nil }

func (b *breakScreen) place() place { return placeBody }

// view is the whole screen: no header, no post, no name.
func (b *breakScreen) view(a *App) []string {
	c := a.c
	t := c.T
	took := c.Now().Sub(b.began)
	length := c.Policy.Care.Length()
	held := t.S("care.break_kept", fmtClock(length-took))
	if took >= length {
		held = t.S("care.break_over")
	}
	msg := []string{
		c.Styles.Header.Render(t.S("care.break_title")),
		"",
		t.S("care.break_for", fmtClock(took)),
		held,
		"",
		c.Styles.Dim.Render(t.S("care.break_keys", c.Keys.Confirm.Help().Key, c.Keys.Break.Help().Key, c.Keys.Quit.Keys()[0])),
	}
	box := lipgloss.NewStyle().Width(max(1, c.Width)).Align(lipgloss.Center)
	out := make([]string, 0, c.Height)
	for range max(0, (c.Height-len(msg))/2) {
		out = append(out, strings.Repeat(" ", c.Width))
	}
	for _, l := range msg {
		for _, w := range c.wrap(l, c.Width) {
			out = append(out, c.fit(box.Render(w), c.Width))
		}
	}
	for len(out) < c.Height {
		out = append(out, strings.Repeat(" ", c.Width))
	}
	return out[:c.Height]
}

func (b *breakScreen) hints(c *Context) []key.Binding {
	return []key.Binding{short(c.Keys.Confirm, c.T.S("hint.back"))}
}

// fmtClock is minutes and seconds: 4:07.
func fmtClock(d time.Duration) string {
	d = max(0, d).Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

// exposureOf is a dashboard's exposure rows this reader may see: their own,
// or everyone's for a lead.
func exposureOf(c *Context, rows []model.Exposure) []model.Exposure {
	if c.Lead() {
		return rows
	}
	var out []model.Exposure
	for _, r := range rows {
		if r.Reviewer == c.Reviewer {
			out = append(out, r)
		}
	}
	return out
}
