package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"triage/model"
)

// picker chooses a reason code for a decision: a digit selects, enter
// confirms, esc cancels.
type picker struct {
	title   string
	purpose pickPurpose
	action  model.Action
	item    model.Item
	reasons []model.Reason
	views   []model.View // pickView: the views behind reasons[1:]
	sel     int
}

// pickPurpose is what a picker's choice is for.
type pickPurpose int

const (
	pickReason        pickPurpose = iota // a decision on the selected post
	pickClusterReason                    // a decision on the selected post's cluster
	pickView                             // a saved view to switch to
)

type pickerResult int

const (
	pickerOpen pickerResult = iota
	pickerChosen
	pickerCancelled
)

func (p *picker) update(c *Context, msg tea.KeyPressMsg) pickerResult {
	switch {
	case key.Matches(msg, c.Keys.Cancel):
		return pickerCancelled
	case key.Matches(msg, c.Keys.Confirm):
		return pickerChosen
	case key.Matches(msg, c.Keys.Down):
		p.sel = clamp(p.sel+1, 0, len(p.reasons)-1)
	case key.Matches(msg, c.Keys.Up):
		p.sel = clamp(p.sel-1, 0, len(p.reasons)-1)
	case len(msg.Text) == 1 && msg.Text[0] >= '1' && msg.Text[0] <= '9':
		if i := int(msg.Text[0] - '1'); i < len(p.reasons) {
			p.sel = i
		}
	}
	return pickerOpen
}

func (p *picker) chosen() model.Reason { return p.reasons[p.sel] }

// view renders the picker as a box no wider than width.
func (p *picker) view(c *Context, width int) []string {
	s := c.Styles
	inner := max(10, width-4) // border and padding
	lines := []string{s.PickerTitle.Render(fit(p.title, inner))}
	for i, r := range p.reasons {
		line := fit(fmt.Sprintf("%d  %-11s %s", i+1, r.Code, r.Label), inner)
		if i == p.sel {
			line = s.PickerSel.Render(line)
		}
		lines = append(lines, line)
	}
	lines = append(lines, s.Dim.Render(fit("digit or j/k selects · enter confirms · esc cancels", inner)))
	return strings.Split(s.Picker.Render(strings.Join(lines, "\n")), "\n")
}
