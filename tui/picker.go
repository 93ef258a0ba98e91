package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"triage/model"
)

// picker chooses one of a few labelled choices (a reason code, a saved
// view): a digit or j/k selects, enter confirms, esc cancels.
type picker struct {
	title   string
	choices []model.Reason
	sel     int
	choose  func(a *App, i int) tea.Cmd // called with the chosen index
}

func (p *picker) key(a *App, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := a.c.Keys
	switch {
	case key.Matches(msg, k.Cancel):
		a.setStatus("Cancelled.")
		return nil, true
	case key.Matches(msg, k.Confirm):
		return p.choose(a, p.sel), true
	case key.Matches(msg, k.Down):
		p.sel = clamp(p.sel+1, 0, len(p.choices)-1)
	case key.Matches(msg, k.Up):
		p.sel = clamp(p.sel-1, 0, len(p.choices)-1)
	case len(msg.Text) == 1 && msg.Text[0] >= '1' && msg.Text[0] <= '9':
		if i := int(msg.Text[0] - '1'); i < len(p.choices) {
			p.sel = i
		}
	default:
		a.setError("In this list: a digit or j/k selects, enter confirms, esc cancels.")
	}
	return nil, false
}

func (p *picker) update(*App, tea.Msg) tea.Cmd { return nil }

func (p *picker) place() place { return placeBox }

// view renders the picker as a box no wider than the detail pane.
func (p *picker) view(a *App) []string {
	c := a.c
	s := c.Styles
	inner := max(10, a.detail.width-4) // border and padding
	var lines []string
	for _, w := range c.wrap(p.title, inner) {
		lines = append(lines, s.PickerTitle.Render(c.fit(w, inner)))
	}
	for i, r := range p.choices {
		line := c.fit(fmt.Sprintf("%d  %-11s %s", i+1, r.Code, r.Label), inner)
		if i == p.sel {
			line = s.PickerSel.Render(line)
		}
		lines = append(lines, line)
	}
	lines = append(lines, s.Dim.Render(c.fit("digit or j/k selects · enter confirms · esc cancels", inner)))
	return strings.Split(s.Picker.Render(strings.Join(lines, "\n")), "\n")
}

func (p *picker) ShortHelp() []key.Binding {
	k := DefaultKeyMap()
	sel := key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "select"))
	return []key.Binding{sel, short(k.Down, "down"), short(k.Up, "up"), short(k.Confirm, "confirm"), short(k.Cancel, "cancel")}
}

func (p *picker) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// confirm asks before an action on many posts: y (or enter) goes ahead, any
// other key cancels and changes nothing.
type confirm struct {
	title string
	lines []string
	yes   func(a *App) tea.Cmd
	no    string // the status when cancelled
}

func (f *confirm) key(a *App, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if key.Matches(msg, a.c.Keys.Yes, a.c.Keys.Confirm) {
		return f.yes(a), true
	}
	a.setStatus("%s", f.no)
	return nil, true
}

func (f *confirm) update(*App, tea.Msg) tea.Cmd { return nil }

func (f *confirm) place() place { return placeBox }

func (f *confirm) view(a *App) []string {
	c := a.c
	s := c.Styles
	inner := max(10, a.detail.width-4)
	var lines []string
	for _, w := range c.wrap(f.title, inner) {
		lines = append(lines, s.PickerTitle.Render(c.fit(w, inner)))
	}
	for _, l := range f.lines {
		for _, w := range c.wrap(l, inner) {
			lines = append(lines, c.fit(w, inner))
		}
	}
	lines = append(lines, s.PickerSel.Render(c.fit("y confirms · any other key cancels", inner)))
	return strings.Split(s.Picker.Render(strings.Join(lines, "\n")), "\n")
}

func (f *confirm) ShortHelp() []key.Binding {
	k := DefaultKeyMap()
	return []key.Binding{short(k.Yes, "confirm"), key.NewBinding(key.WithKeys("esc"), key.WithHelp("any other key", "cancel"))}
}

func (f *confirm) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }
