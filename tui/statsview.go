package tui

import (
	"fmt"
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

func loadDashboard(c *Context) tea.Cmd {
	return func() tea.Msg {
		d, err := c.Store.Dashboard(c.Ctx)
		return dashboardMsg{d: d, err: err}
	}
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

// statsView renders the dashboard in height lines of width cells.
func (a *App) statsView(width, height int) []string {
	s := a.c.Styles
	var out []string
	add := func(line string) { out = append(out, fit(line, width)) }
	d := a.dash
	switch {
	case a.dashErr != nil:
		add(s.Error.Render("Cannot read the stats: " + sanitize.Line(a.dashErr.Error())))
	case d == nil:
		add(s.Dim.Render("Reading the stats…"))
	default:
		add(s.Header.Render("Stats") + s.Dim.Render(fmt.Sprintf("  the last %d hours, to %s UTC · S or esc: back", model.DashboardHours, d.Now.Format("2006-01-02 15:04"))))
		by := a.counts.ByStatus
		add(fmt.Sprintf("All posts now: %d pending · %d approved · %d rejected · %d escalated", by[model.StatusPending],
			by[model.StatusApproved], by[model.StatusRejected], by[model.StatusEscalated]))
		add("")
		out = append(out, a.perHourChart(d, width, height/2)...)
		add("")
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
			add(fit(l, width/2) + "  " + r)
		}
	}
	for len(out) < height {
		out = append(out, strings.Repeat(" ", width))
	}
	return out[:height]
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
	out := []string{s.Label.Render("Decisions per hour, by reviewer") +
		s.Dim.Render(fmt.Sprintf("   %s → now · one cell an hour · tallest %d", d.Since().Format("15:04"), top))}
	if len(revs) == 0 {
		return append(out, s.Dim.Render("  No decisions in the last 24 hours."))
	}
	for i, r := range revs {
		if i == rows-3 && len(revs) > rows-2 {
			out = append(out, s.Dim.Render(fmt.Sprintf("  … and %d more reviewers", len(revs)-i)))
			break
		}
		out = append(out, fmt.Sprintf("  %-14s %s %6d", fit(sanitize.Line(r.name), 14), s.OK.Render(sparkline(d.PerHour[r.name], top)), r.total))
	}
	return append(out, s.Dim.Render(hourAxis(d)))
}

// hourAxis labels the sparklines' columns every six hours.
func hourAxis(d *model.Dashboard) string {
	axis := []rune(strings.Repeat(" ", 17+model.DashboardHours+8))
	for i := 0; i < model.DashboardHours; i += 6 {
		label := "╵" + d.Since().Add(time.Duration(i)*time.Hour).Format("15h")
		copy(axis[17+i:], []rune(label))
	}
	return strings.TrimRight(string(axis), " ")
}

// mixChart is the decision mix as bars.
func (a *App) mixChart(d *model.Dashboard, width int) []string {
	s := a.c.Styles
	out := []string{s.Label.Render("Decision mix") + s.Dim.Render("  last 24 hours")}
	actions := []model.Action{model.ActionApprove, model.ActionReject, model.ActionEscalate, model.ActionReturn, model.ActionUndo}
	total, top := 0, 0
	for _, act := range actions {
		total += d.Mix[act]
		top = max(top, d.Mix[act])
	}
	for _, act := range actions {
		n := d.Mix[act]
		if n == 0 && (act == model.ActionReturn || act == model.ActionUndo) {
			continue
		}
		pct := 0
		if total > 0 {
			pct = n * 100 / total
		}
		out = append(out, fmt.Sprintf("  %-9s %6d %3d%% %s", act, n, pct, s.Header.Render(bar(n, top, max(1, width-24)))))
	}
	return out
}

// queueChart is the pending queue and its SLA breaches, per category.
func (a *App) queueChart(d *model.Dashboard, width int) []string {
	s := a.c.Styles
	out := []string{s.Label.Render("Queue by category") + s.Dim.Render("  pending · ") + s.Error.Render("past target")}
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
		if c, ok := a.c.Policy.Category(cat); ok && c.Target > 0 {
			target = model.FormatAge(c.Target)
		}
		// The breached part of the queue is the red start of its bar.
		all, red := cells(n), min(cells(late), cells(n))
		out = append(out, fmt.Sprintf("  %-14s %4s %7d %6d %s%s", fit(sanitize.Line(cat), 14), target, n, late,
			s.Error.Render(strings.Repeat("█", red)), s.Dim.Render(strings.Repeat("█", all-red))))
	}
	out = append(out, "", fmt.Sprintf("  Clusters with 2+ pending posts: %d", d.Clusters))
	return out
}
