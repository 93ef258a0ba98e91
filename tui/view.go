package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

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

func (a *App) listWidth() int {
	if a.wide() {
		return a.c.Width * 45 / 100
	}
	return a.c.Width
}

// layout gives every component its size after a resize.
func (a *App) layout() {
	if a.c.Width < MinWidth || a.c.Height < MinHeight {
		return
	}
	body := a.bodyHeight()
	var listRows, detailW, detailH int
	if a.wide() {
		listRows = body - 1 // one line of column titles
		detailW, detailH = a.c.Width-a.listWidth()-1, body
	} else {
		listH := max(5, body*2/5)
		listRows = listH - 1
		detailW, detailH = a.c.Width, body-listH-1 // a rule between the panes
	}
	for _, l := range a.lists {
		l.setHeight(listRows)
	}
	a.detail.setSize(a.c, detailW, detailH)
}

// View renders the whole screen; every line is exactly the terminal's width.
func (a *App) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.WindowTitle = "triage — " + sanitize.Line(a.c.Reviewer)
	return v
}

func (a *App) render() string {
	w, h := a.c.Width, a.c.Height
	if !a.sized {
		return ""
	}
	if w < MinWidth || h < MinHeight {
		msg := fmt.Sprintf("The window is %d×%d; triage needs at least %d×%d. Enlarge it, or press q to quit.", w, h, MinWidth, MinHeight)
		return lipgloss.NewStyle().Width(max(1, w)).Render(msg)
	}
	lines := []string{a.header()}
	switch a.mode {
	case modeHelp:
		lines = append(lines, a.help(a.bodyHeight())...)
	case modeStats:
		lines = append(lines, a.statsView(w, a.bodyHeight())...)
	default:
		lines = append(lines, a.body()...)
	}
	lines = append(lines, a.statusLine(), a.hintLine())
	return strings.Join(lines, "\n")
}

func (a *App) body() []string {
	s := a.c.Styles
	list := a.current().view(a.c, a.listWidth())
	det := a.detail.view(a.c)
	switch a.mode {
	case modePicker:
		det = overlay(det, a.picker.view(a.c, a.detail.width), a.detail.width)
	case modeConfirm:
		det = overlay(det, a.confirmBox(a.detail.width), a.detail.width)
	}
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

// overlay draws box over the top of lines, each line kept width cells wide.
func overlay(lines, box []string, width int) []string {
	out := append([]string(nil), lines...)
	for i, b := range box {
		if i >= len(out) {
			break
		}
		out[i] = fit(b, width)
	}
	return out
}

func (a *App) header() string {
	s := a.c.Styles
	tab := func(q model.Queue, name string) string {
		if a.tab == q {
			return s.TabActive.Render(name)
		}
		return s.Tab.Render(name)
	}
	left := s.Header.Render("triage")
	for _, q := range a.tabs {
		left += "  " + tab(q, tabNames[q])
	}
	if l := a.lists[model.QueueSearch]; l != nil {
		left += "  " + tab(model.QueueSearch, "Search “"+sanitize.Line(cutRunes(l.search, 24))+"”")
	}
	if f := a.filterLabel(); f != "" {
		left += "  " + s.Warn.Render("["+cutRunes(f, 48)+"]")
	}
	who := sanitize.Line(a.c.Reviewer)
	if a.c.Role == model.RoleLead {
		who += " (lead)"
	}
	pending := a.counts.ByStatus[model.StatusPending]
	right := s.HeaderDim.Render(fmt.Sprintf("%d pending · %d online · %d decided this session · %s", pending, a.online, a.session, who))
	gap := a.c.Width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 2 {
		right = s.HeaderDim.Render(fmt.Sprintf("%d pending · %d online · %d mine", pending, a.online, a.session))
		gap = a.c.Width - lipgloss.Width(left) - lipgloss.Width(right)
	}
	if gap < 1 {
		return fit(left, a.c.Width)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (a *App) statusLine() string {
	s := a.c.Styles
	w := a.c.Width
	switch a.mode {
	case modeNote:
		return fit(s.Label.Render(a.noteLabel())+a.note.View(), w)
	case modePrompt:
		return fit(s.Label.Render(promptLabels[a.prompt])+a.input.View(), w)
	}
	if a.status == "" {
		return strings.Repeat(" ", w)
	}
	if a.isErr {
		return s.Error.Render(fit(a.status, w))
	}
	return s.OK.Render(fit(a.status, w))
}

// tabNames are the tab titles.
var tabNames = map[model.Queue]string{model.QueuePending: "Pending", model.QueueMine: "My decisions", model.QueueLeads: "Leads", model.QueueSearch: "Search"}

func (a *App) noteLabel() string {
	if a.noteFor.action == model.ActionReturn {
		return fmt.Sprintf("Send #%d back — note for the reviewers (required): ", a.noteFor.item.PostID)
	}
	if a.noteFor.cluster {
		return fmt.Sprintf("Escalate the cluster of #%d as %s — note (enter continues): ", a.noteFor.item.PostID, a.noteFor.reason.Code)
	}
	if a.noteFor.action == model.ActionEscalate {
		return fmt.Sprintf("Escalate #%d as %s — note (enter sends, may be empty): ", a.noteFor.item.PostID, a.noteFor.reason.Code)
	}
	return fmt.Sprintf("Note for #%d (enter saves, esc cancels): ", a.noteFor.item.PostID)
}

// hintLine shows the main keys; on a narrow screen the less essential ones
// give way first, so help and quit are always there.
func (a *App) hintLine() string {
	s := a.c.Styles
	if a.mode == modePrompt {
		return a.promptHint()
	}
	hints := a.c.Keys.Hint()
	render := func(hs []Hint) string {
		parts := make([]string, len(hs))
		for i, h := range hs {
			parts[i] = s.HintKey.Render(h.Binding.Keys()[0]) + " " + s.Dim.Render(h.Name)
		}
		return strings.Join(parts, "  ")
	}
	line := render(hints)
	for lipgloss.Width(line) > a.c.Width && len(hints) > 3 {
		drop := 0
		for i, h := range hints {
			if h.Keep < hints[drop].Keep {
				drop = i
			}
		}
		hints = append(hints[:drop], hints[drop+1:]...)
		line = render(hints)
	}
	return fit(line, a.c.Width)
}

// help lists every binding, from the same key map the keys are read from.
// When it does not fit the height it flows into two columns.
func (a *App) help(height int) []string {
	s := a.c.Styles
	var lines []string
	for _, g := range a.c.Keys.Groups(a.c.Role) {
		lines = append(lines, s.Header.Render(g.Title))
		for _, b := range g.Bindings {
			h := b.Help()
			lines = append(lines, " "+s.HintKey.Render(fmt.Sprintf("%-19s", h.Key))+h.Desc)
		}
	}
	lines = append(lines, s.Dim.Render("Press any key to close help."))
	cols, colW := 1, a.c.Width
	if len(lines) > height {
		cols, colW = 2, a.c.Width/2
	}
	out := make([]string, height)
	for i := range out {
		row := ""
		for c := 0; c < cols; c++ {
			cell := ""
			if j := c*height + i; j < len(lines) {
				cell = lines[j]
			}
			row += fit(cell, colW-1) + " "
		}
		out[i] = fit(row, a.c.Width)
	}
	return out
}

// promptHint is the bottom line under a prompt: its error, or how to use it.
func (a *App) promptHint() string {
	s := a.c.Styles
	if a.promptErr != "" {
		return s.Error.Render(fit(sanitize.Line(a.promptErr), a.c.Width))
	}
	var hint string
	switch a.prompt {
	case promptSearch:
		hint = "words match as prefixes, in any case · enter searches · esc cancels"
	case promptFilter:
		hint = model.FilterSyntax + " · ctrl+s: save view"
	case promptViewName:
		hint = "letters, digits, - _ . · enter saves for the whole team · esc cancels"
	}
	return s.Dim.Render(fit(hint, a.c.Width))
}

// confirmBox is the cluster decision's confirmation, drawn over the detail.
func (a *App) confirmBox(width int) []string {
	s := a.c.Styles
	inner := max(10, width-4)
	title, body := a.confirmLines()
	lines := []string{s.PickerTitle.Render(fit(title, inner))}
	for _, l := range body {
		lines = append(lines, fit(l, inner))
	}
	lines = append(lines, s.PickerSel.Render(fit("y confirms · any other key cancels", inner)))
	return strings.Split(s.Picker.Render(strings.Join(lines, "\n")), "\n")
}
