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
	sel     int                         // -1: nothing selected (after a digit with no choice)
	choose  func(a *App, i int) tea.Cmd // called with the chosen index
	// fourEyes marks reasons whose rejection waits for a second reviewer.
	fourEyes func(model.Reason) bool
}

func (p *picker) key(a *App, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := a.c.Keys
	switch {
	case key.Matches(msg, k.Cancel):
		a.tell("status.cancelled")
		return nil, true
	case key.Matches(msg, k.Confirm):
		if p.sel < 0 {
			a.warn("pick.none_selected", len(p.choices))
			return nil, false
		}
		return p.choose(a, p.sel), true
	case key.Matches(msg, k.Down):
		p.sel = clamp(p.sel+1, 0, len(p.choices)-1)
	case key.Matches(msg, k.Up):
		p.sel = clamp(p.sel-1, 0, len(p.choices)-1)
	case len(msg.Text) == 1 && msg.Text[0] >= '0' && msg.Text[0] <= '9':
		// A wrong digit selects nothing, so that enter cannot confirm a
		// reason the reviewer did not mean.
		p.sel = int(msg.Text[0] - '1')
		if p.sel < 0 || p.sel >= len(p.choices) {
			p.sel = -1
			a.warn("pick.no_such_choice", msg.Text, len(p.choices))
		}
	default:
		a.warn("pick.keys_error", keyPair(a.c.Keys.Down, a.c.Keys.Up), a.c.Keys.Confirm.Help().Key, a.c.Keys.Cancel.Help().Key)
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
	// A label too long for the box wraps under itself, never cut: in
	// Russian and Kazakh most are.
	const prefixW = 15 // "1  CODE-12345 "
	for i, r := range p.choices {
		text := c.label(r.Label)
		if p.fourEyes != nil && p.fourEyes(r) {
			text += " · " + c.T.S("pick.four_eyes") // it waits for a second reviewer
		}
		label := c.wrap(text, max(1, inner-prefixW))
		for j, part := range label {
			line := strings.Repeat(" ", prefixW) + part
			if j == 0 {
				line = fmt.Sprintf("%d  %-11s %s", i+1, r.Code, part)
			}
			line = c.fit(line, inner)
			if i == p.sel {
				line = s.PickerSel.Render(line)
			}
			lines = append(lines, line)
		}
	}
	for _, w := range c.wrap(c.T.S("pick.keys", keyPair(c.Keys.Down, c.Keys.Up), c.Keys.Confirm.Help().Key, c.Keys.Cancel.Help().Key), inner) {
		lines = append(lines, s.Dim.Render(c.fit(w, inner)))
	}
	return strings.Split(s.Picker.Render(strings.Join(lines, "\n")), "\n")
}

func (p *picker) hints(c *Context) []key.Binding {
	k, t := c.Keys, c.T
	sel := key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", t.S("hint.select")))
	return []key.Binding{sel, short(k.Down, t.S("hint.down")), short(k.Up, t.S("hint.up")), short(k.Confirm, t.S("hint.confirm")), short(k.Cancel, t.S("hint.cancel"))}
}

// keyPair is "j/k": the first keys of two bindings.
func keyPair(a, b key.Binding) string { return a.Keys()[0] + "/" + b.Keys()[0] }

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
	a.status, a.isErr = f.no, false
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
	for _, w := range c.wrap(c.T.S("confirm.keys", c.Keys.Yes.Help().Key), inner) {
		lines = append(lines, s.PickerSel.Render(c.fit(w, inner)))
	}
	return strings.Split(s.Picker.Render(strings.Join(lines, "\n")), "\n")
}

func (f *confirm) hints(c *Context) []key.Binding {
	return []key.Binding{short(c.Keys.Yes, c.T.S("hint.confirm")), key.NewBinding(key.WithKeys("esc"), key.WithHelp(c.T.S("hint.any_key"), c.T.S("hint.cancel")))}
}

// fourEyesOf marks the reasons of category whose rejection waits for a
// second reviewer.
func fourEyesOf(p *model.Policy, category string) func(model.Reason) bool {
	return func(r model.Reason) bool { return p.NeedsSecondReview(category, r.Code) }
}
