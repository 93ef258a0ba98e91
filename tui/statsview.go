package tui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/model"
	"triage/tui/sanitize"
)

// The stats view (S): the state of the work at a glance, drawn from
// model.Dashboard — the same figures `triage stats --json` prints.

type dashboardMsg struct {
	d   model.Dashboard
	err error
}

func loadDashboard(s *Session) tea.Cmd {
	return func() tea.Msg {
		d, err := s.Store.Dashboard(s.Ctx)
		return dashboardMsg{d: d, err: err}
	}
}

// stats is the stats view (S), an overlay over the whole body. It re-reads
// the dashboard on every refresh tick while open.
type stats struct {
	dash   *model.Dashboard
	err    error
	offset int // the first line shown: the view scrolls when it is taller than the screen
}

func (v *stats) key(a *App, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := a.c.Keys
	switch {
	case key.Matches(msg, k.Quit):
		return a.quit(), true
	case key.Matches(msg, k.Stats, k.Cancel):
		return nil, true
	case key.Matches(msg, k.Down):
		v.offset++
		return nil, false
	case key.Matches(msg, k.Up):
		v.offset = max(0, v.offset-1)
		return nil, false
	case key.Matches(msg, k.PostDown, k.PageDown, k.HalfDown):
		v.offset += max(1, a.bodyHeight()-1)
		return nil, false
	case key.Matches(msg, k.PostUp, k.PageUp, k.HalfUp):
		v.offset = max(0, v.offset-max(1, a.bodyHeight()-1))
		return nil, false
	}
	a.warn("stats.keys_error", keyPair(k.Down, k.Up), k.PostDown.Keys()[0], k.Stats.Help().Key, k.Cancel.Help().Key, k.Quit.Keys()[0])
	return nil, false
}

func (v *stats) update(a *App, msg tea.Msg) tea.Cmd {
	if m, ok := msg.(dashboardMsg); ok {
		d := m.d
		v.dash, v.err = &d, m.err
	}
	return nil
}

func (v *stats) place() place { return placeBody }

func (v *stats) view(a *App) []string {
	all := a.statsView(v, a.c.Width)
	h := a.bodyHeight()
	v.offset = clamp(v.offset, 0, max(0, len(all)-h))
	out := all[v.offset:]
	if len(out) > h {
		out = out[:h]
		if more := len(all) - v.offset - h; more > 0 {
			out[h-1] = a.c.Styles.Dim.Render(a.c.fit("  ↓ "+a.c.T.N("help.more", more+1, more+1, a.c.Keys.Down.Keys()[0], a.c.Keys.PostDown.Keys()[0]), a.c.Width))
		}
	}
	for len(out) < h {
		out = append(out, strings.Repeat(" ", a.c.Width))
	}
	return out
}

func (v *stats) hints(c *Context) []key.Binding {
	k, t := c.Keys, c.T
	return []key.Binding{short(k.Down, t.S("hint.scroll")),
		key.NewBinding(key.WithKeys("S", "esc"), key.WithHelp(k.Stats.Help().Key+"/"+k.Cancel.Help().Key, t.S("hint.back"))), short(k.Quit, t.S("hint.quit"))}
}

// sparks are the eight heights of a sparkline cell.
var sparks = []rune("▁▂▃▄▅▆▇█")

// sparkline draws one cell per value, scaled to top; zero is a blank.
func sparkline(values []int, top int) string {
	var b strings.Builder
	for _, v := range values {
		switch {
		case v <= 0 || top <= 0:
			b.WriteRune(' ')
		default:
			b.WriteRune(sparks[min(len(sparks)-1, (v*len(sparks)-1)/top)])
		}
	}
	return b.String()
}

// bar is a horizontal bar of v scaled so that top fills width cells, with
// eighths for the last cell; any non-zero value shows at least a sliver.
func bar(v, top, width int) string {
	if v <= 0 || top <= 0 || width <= 0 {
		return ""
	}
	eighths := max(1, v*width*8/top)
	full, part := eighths/8, eighths%8
	s := strings.Repeat("█", full)
	if part > 0 {
		s += string([]rune("▏▎▍▌▋▊▉")[part-1])
	}
	return s
}

// statsView renders the whole dashboard in lines of width cells; the
// overlay shows the part that fits.
func (a *App) statsView(v *stats, width int) []string {
	c := a.c
	s := c.Styles
	var out []string
	add := func(line string) { out = append(out, c.fit(line, width)) }
	d := v.dash
	by := a.counts.ByStatus
	if d != nil && !c.Lead() {
		// Blind means blind: no count may tell a checker what the
		// first reviewer decided.
		view, counts := d.ForReviewer(a.counts)
		d, by = &view, counts.ByStatus
	}
	switch {
	case v.err != nil:
		add(s.Error.Render(c.T.S("stats.cannot_read", c.errText(v.err))))
	case d == nil:
		add(s.Dim.Render(c.T.S("stats.reading")))
	default:
		add(s.Header.Render(c.T.S("stats.title")) + s.Dim.Render("  "+c.T.S("stats.span", model.DashboardHours, d.Now.Format("2006-01-02 15:04"), c.Keys.Stats.Help().Key, c.Keys.Cancel.Help().Key)))
		add(c.T.S("stats.all_posts", by[model.StatusPending], by[model.StatusAwaiting],
			by[model.StatusApproved], by[model.StatusRejected], by[model.StatusEscalated]))
		add("")
		out = append(out, a.perHourChart(d, width, a.bodyHeight()/2)...)
		add("")
		if width >= 100 {
			left := a.mixChart(d, width/2-2)
			right := a.queueChart(d, width-width/2-2)
			for i := range max(len(left), len(right)) {
				l, r := "", ""
				if i < len(left) {
					l = left[i]
				}
				if i < len(right) {
					r = right[i]
				}
				add(c.fit(l, width/2) + "  " + r)
			}
		} else {
			// Narrow: the charts one under the other, each the full width.
			out = append(out, a.mixChart(d, width)...)
			add("")
			out = append(out, a.queueChart(d, width)...)
		}
		if len(d.Platforms) > 0 {
			add("")
			for _, l := range a.platformChart(d, width) {
				add(l)
			}
		}
		add("")
		for _, l := range a.exposureTable(d) {
			add(l)
		}
		add("")
		for _, l := range a.agreementTable(d) {
			add(l)
		}
	}
	for i := range out {
		out[i] = c.fit(out[i], width) // the charts' own lines too
	}
	return out
}

// perHourChart is one sparkline per reviewer, busiest first, on one scale.
func (a *App) perHourChart(d *model.Dashboard, width, rows int) []string {
	s := a.c.Styles
	type rev struct {
		name  string
		total int
	}
	var revs []rev
	top := 0
	for name, series := range d.PerHour {
		t := 0
		for _, v := range series {
			t += v
			top = max(top, v)
		}
		revs = append(revs, rev{name, t})
	}
	sort.Slice(revs, func(i, j int) bool {
		return revs[i].total > revs[j].total || revs[i].total == revs[j].total && revs[i].name < revs[j].name
	})
	t := a.c.T
	out := []string{a.section(t.S("stats.per_hour"), "   "+t.S("stats.per_hour_scale", d.Since().Format("15:04"), top), width)}
	if len(revs) == 0 {
		return append(out, s.Dim.Render("  "+t.S("stats.no_decisions")))
	}
	for i, r := range revs {
		if i == rows-3 && len(revs) > rows-2 {
			out = append(out, s.Dim.Render("  "+t.N("stats.more_reviewers", len(revs)-i)))
			break
		}
		out = append(out, fmt.Sprintf("  %s %s %6d", a.c.fit(sanitize.Line(r.name), 14), s.OK.Render(sparkline(d.PerHour[r.name], top)), r.total))
	}
	return append(out, s.Dim.Render(hourAxis(d)))
}

// hourAxis labels the sparklines' columns every six hours.
func hourAxis(d *model.Dashboard) string {
	axis := []rune(strings.Repeat(" ", 17+model.DashboardHours+8))
	for i := 0; i < model.DashboardHours; i += 6 {
		label := "╵" + d.Since().Add(time.Duration(i)*time.Hour).Format("15") // the hour, the same in every language
		copy(axis[17+i:], []rune(label))
	}
	return strings.TrimRight(string(axis), " ")
}

// mixChart is the decision mix as bars.
func (a *App) mixChart(d *model.Dashboard, width int) []string {
	s := a.c.Styles
	out := []string{a.section(a.c.T.S("stats.mix"), "  "+a.c.T.S("stats.last_day"), width)}
	actions := []model.Action{model.ActionApprove, model.ActionReject, model.ActionEscalate, model.ActionReturn, model.ActionUndo}
	total, top := 0, 0
	for _, act := range actions {
		total += d.Mix[act]
		top = max(top, d.Mix[act])
	}
	counts := make([]int, len(actions))
	for i, act := range actions {
		counts[i] = d.Mix[act]
	}
	pcts := percentages(counts)
	wordW := 0 // the actions' names in the reader's language, never cut
	for _, act := range actions {
		wordW = max(wordW, a.c.cellWidth(a.c.actionWord(act)))
	}
	for i, act := range actions {
		n := counts[i]
		if n == 0 && (act == model.ActionReturn || act == model.ActionUndo) {
			continue
		}
		out = append(out, "  "+a.c.padRight(a.c.actionWord(act), wordW)+fmt.Sprintf(" %6d %3d%% %s", n, pcts[i], s.Header.Render(bar(n, top, max(1, width-15-wordW)))))
	}
	return out
}

// percentages rounds each count's share of the total to whole percents by
// the largest-remainder method, so they add up to exactly 100 (or all 0).
func percentages(counts []int) []int {
	total := 0
	for _, n := range counts {
		total += n
	}
	out := make([]int, len(counts))
	if total == 0 {
		return out
	}
	type rem struct{ i, r int }
	var rems []rem
	sum := 0
	for i, n := range counts {
		out[i] = n * 100 / total
		sum += out[i]
		rems = append(rems, rem{i, n * 100 % total})
	}
	sort.SliceStable(rems, func(x, y int) bool { return rems[x].r > rems[y].r })
	for k := 0; sum < 100; k++ {
		out[rems[k].i]++
		sum++
	}
	return out
}

// platformChart is what each platform did with the posts it was sent.
func (a *App) platformChart(d *model.Dashboard, width int) []string {
	out := []string{a.section(a.c.T.S("stats.platforms"), "  "+a.c.T.S("stats.platform_cols"), width)}
	names := make([]string, 0, len(d.Platforms))
	for p := range d.Platforms {
		names = append(names, p)
	}
	sort.Slice(names, func(i, j int) bool {
		return d.Platforms[names[i]].Sent > d.Platforms[names[j]].Sent || d.Platforms[names[i]].Sent == d.Platforms[names[j]].Sent && names[i] < names[j]
	})
	for _, p := range names {
		ps := d.Platforms[p]
		out = append(out, fmt.Sprintf("  %s %7d %7d %7d %6.0f%% %8.1f", a.c.fit(sanitize.Line(p), 14), ps.Sent, ps.Removed, ps.StillUp,
			100*ps.RemovalRate, ps.MedianHoursToRemoval))
	}
	return out
}

// queueChart is the pending queue and its SLA breaches, per category.
func (a *App) queueChart(d *model.Dashboard, width int) []string {
	s := a.c.Styles
	out := []string{s.Label.Render(a.c.T.S("stats.queue")) + s.Dim.Render("  "+a.c.T.S("stats.queue_pending")+" · ") + s.Error.Render(a.c.T.S("detail.past_target_short"))}
	top, cats := 0, []string{}
	for _, c := range a.c.Policy.Categories {
		cats = append(cats, c.Key)
	}
	for cat := range d.Queue {
		if _, ok := a.c.Policy.Category(cat); !ok {
			cats = append(cats, cat)
		}
	}
	for _, cat := range cats {
		top = max(top, d.Queue[cat])
	}
	barW := max(1, width-38)
	cells := func(v int) int {
		if v <= 0 || top <= 0 {
			return 0
		}
		return max(1, (v*barW+top/2)/top)
	}
	for _, cat := range cats {
		n, late := d.Queue[cat], d.Breaches[cat]
		target := "—"
		if c, ok := a.c.Policy.Category(cat); ok && c.Target.Duration > 0 {
			target = c.Target.String()
		}
		// The breached part of the queue is the red start of its bar.
		all, red := cells(n), min(cells(late), cells(n))
		out = append(out, fmt.Sprintf("  %s %4s %7d %6d %s%s", a.c.fit(sanitize.Line(cat), 14), target, n, late,
			s.Error.Render(strings.Repeat("█", red)), s.Dim.Render(strings.Repeat("█", all-red))))
	}
	out = append(out, "", "  "+a.c.T.S("stats.clusters", d.Clusters))
	return out
}

// section is a chart's heading: its title, then what its columns are, cut
// at a space when the screen is too narrow for all of it.
func (a *App) section(title, about string, width int) string {
	room := width - a.c.cellWidth(title)
	if a.c.cellWidth(about) > room {
		about = a.c.cutAtSpace(about, room)
	}
	return a.c.Styles.Label.Render(title) + a.c.Styles.Dim.Render(about)
}
