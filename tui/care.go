package tui

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
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
	revealed  map[int64]bool // sensitive posts shown this session
	since     time.Time      // the end of the last break, or the console's start
	atBreak   int            // len(revealed) when the last break ended: the banner counts from there
	breaks    time.Duration  // time on breaks, not time in the console
	breakEnds atomic.Int64   // unix nanoseconds the break in progress holds the batch to; 0: none (read by the SSH idle guard)
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

// noteExposure counts the sensitive posts whose text is on screen: the one
// in the detail pane, and with X every row of the list that shows its text.
func (a *App) noteExposure() {
	if a.onBreak() || a.open != nil && a.open.place() == placeBody {
		return
	}
	if a.care.revealed == nil {
		a.care.revealed = map[int64]bool{}
	}
	sensitive := func(category string) bool {
		cat, ok := a.c.Policy.Category(category)
		return ok && cat.Sensitive && !a.c.Settings.Excludes(category)
	}
	if d := &a.detail; d.post != nil && !d.history && sensitive(d.post.Category) && !d.sensitiveHidden(a.c) {
		a.care.revealed[d.post.ID] = true
	}
	if l := a.current(); a.c.RevealSensitive && l.queue != model.QueueMine && !a.detail.full {
		rows, _ := l.visible()
		for _, it := range rows {
			if sensitive(it.Category) {
				a.care.revealed[it.PostID] = true
			}
		}
	}
}

// banner is the suggestion of a break, "" while none is due.
func (c *care) banner(a *App) string {
	lim := a.c.Policy.Care
	n, worked := len(c.revealed)-c.atBreak, a.c.Now().Sub(c.since)
	switch {
	case n >= lim.RevealLimit():
		return a.c.T.N("care.banner_reveals", n, n, a.c.Keys.Break.Help().Key)
	case !c.since.IsZero() && worked >= lim.TimeLimit():
		return a.c.T.N("care.banner_time", int(worked.Minutes()), int(worked.Minutes()), a.c.Keys.Break.Help().Key)
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
	out := []string{a.section(c.T.S("stats.exposure", model.ExposureDays), "  "+c.T.S("stats.exposure_cols"), c.Width),
		"  " + c.T.N("care.session", n, n, int((c.Now().Sub(a.started)-a.care.breaks).Minutes()))}
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
// per-day figures `stats` shows reviewers and leads. A minute at a time,
// or at once for a reveal; Close sends the rest when the console ends.
func (a *App) exposure() tea.Cmd {
	now := a.c.Now()
	n, secs := a.exposureDue(now)
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

// exposureDue is what the store has not been told: reveals, and seconds
// in the console (a break is not; its start flushes, its end restarts the
// count).
func (a *App) exposureDue(now time.Time) (reveals, secs int) {
	if a.care.toldAt.IsZero() {
		a.care.toldAt = a.started
	}
	secs = int(now.Sub(a.care.toldAt).Seconds())
	if a.onBreak() || secs < 0 || a.started.IsZero() {
		secs = 0
	}
	return len(a.care.revealed) - a.care.toldReveals, secs
}

// Close records what the session read since the last refresh, once the
// console has ended (locally after the program returns, over SSH when the
// session does): a short session counts too.
func (a *App) Close(ctx context.Context) error {
	n, secs := a.exposureDue(a.c.Clock())
	if n == 0 && secs == 0 {
		return nil
	}
	a.care.toldReveals, a.care.toldAt = len(a.care.revealed), a.c.Clock()
	return a.c.Store.RecordExposure(ctx, a.c.Reviewer, a.c.Clock(), n, secs)
}

// OnBreakAt reports whether the console is on a break that still holds
// its batch at now: the SSH server's idle limit does not end such a
// session. Safe from any goroutine.
func (a *App) OnBreakAt(now time.Time) bool {
	return now.UnixNano() < a.care.breakEnds.Load()
}

type exposureMsg struct{ err error }

// exclusionsMsg brings the reviewer's exclusions as the store has them now.
type exclusionsMsg struct {
	exclude []string
	err     error
}

// loadExclusions re-reads them: a lead can change them while the console
// is open, and the console must collapse a newly excluded post at once.
func loadExclusions(s *Session) tea.Cmd {
	return func() tea.Msg {
		ex, err := s.Store.Exclusions(s.Ctx, s.Reviewer)
		return exclusionsMsg{exclude: ex, err: err}
	}
}

// takeBreak opens the break screen and stretches the leases over it.
func (a *App) takeBreak() tea.Cmd {
	flush := a.exposure()
	a.open = &breakScreen{began: a.c.Now()}
	a.status = ""
	s, length := a.c.Session, a.c.Policy.Care.Length()
	a.care.breakEnds.Store(a.c.Now().Add(max(length, s.Lease)).UnixNano())
	return tea.Batch(flush, func() tea.Msg { return renewedMsg{err: s.Store.Renew(s.Ctx, s.SessionID, max(length, s.Lease))} })
}

// endBreak renews the leases at once and starts the clock again.
func (a *App) endBreak(b *breakScreen) tea.Cmd {
	now := a.c.Now()
	a.care.since, a.care.toldAt = now, now
	a.care.atBreak = len(a.care.revealed)
	a.care.breaks += now.Sub(b.began)
	a.care.breakEnds.Store(0)
	a.renewed = now
	a.tell("care.welcome_back", int(now.Sub(b.began).Minutes()))
	return tea.Batch(renew(a.c.Session), a.pending().reload(a.c), a.loadCounts(a.c.Filter))
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

// fmtHours is a duration as hours, minutes and seconds, 1:02:07, the same
// in every language.
func fmtHours(d time.Duration) string {
	d = max(0, d).Round(time.Second)
	return fmt.Sprintf("%d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
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
