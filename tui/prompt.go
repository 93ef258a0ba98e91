package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"triage/tui/sanitize"
)

// prompt is a one-line input on the status line: search, filter, a note,
// a view's name. Enter submits (an error keeps it open and says why on the
// line below), esc cancels.
type prompt struct {
	label    string
	hint     string
	input    textinput.Model
	err      string
	required string // non-empty: an empty value is refused with this
	submit   func(a *App, text string) (tea.Cmd, string)
	// complete, in the filter bar, finishes the term under the cursor (tab).
	complete func(a *App, text string) (string, string)
	// save, in the filter bar, applies and asks for a view name (ctrl+s).
	save func(a *App, text string) (tea.Cmd, string)
}

func newPrompt(a *App, label, value string, limit int) *prompt {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = limit
	// Sanitised before the input sees it: it would drop an escape or a
	// bell silently, and the reviewer must see that the value holds one.
	in.SetValue(sanitize.Line(value))
	in.CursorEnd()
	in.SetWidth(max(10, a.c.Width-lipgloss.Width(label)-1))
	p := &prompt{label: label, input: in}
	return p
}

func (p *prompt) focus() tea.Cmd { return p.input.Focus() }

func (p *prompt) key(a *App, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := a.c.Keys
	text := p.input.Value()
	switch {
	case key.Matches(msg, k.Cancel):
		a.tell("status.cancelled")
		return nil, true
	case key.Matches(msg, k.Confirm):
		if p.required != "" && strings.TrimSpace(text) == "" {
			p.err = p.required
			return nil, false
		}
		cmd, err := p.submit(a, text)
		if err != "" {
			p.err = err
			return nil, false
		}
		return cmd, true
	case p.complete != nil && key.Matches(msg, k.Complete):
		v, err := p.complete(a, text)
		p.err = err
		if v != text {
			p.input.SetValue(v)
			p.input.CursorEnd()
		}
		return nil, false
	case p.save != nil && key.Matches(msg, k.SaveView):
		cmd, err := p.save(a, text)
		if err != "" {
			p.err = err
			return nil, false
		}
		return cmd, true
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	cleanInput(&p.input)
	p.err = ""
	return cmd, false
}

func (p *prompt) update(_ *App, msg tea.Msg) tea.Cmd {
	if paste, ok := msg.(tea.PasteMsg); ok {
		// The text input would drop control characters silently; pasted
		// text is shown as it came, with placeholders for what cannot be
		// shown.
		p.insert(sanitize.Line(paste.Content))
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	cleanInput(&p.input)
	return cmd
}

// insert puts text at the cursor, within the input's limit.
func (p *prompt) insert(text string) {
	v := []rune(p.input.Value())
	pos := min(p.input.Position(), len(v))
	ins := []rune(text)
	if limit := p.input.CharLimit; limit > 0 && len(v)+len(ins) > limit {
		ins = ins[:max(0, limit-len(v))]
	}
	p.input.SetValue(string(v[:pos]) + string(ins) + string(v[pos:]))
	p.input.SetCursor(pos + len(ins))
}

func (p *prompt) place() place { return placeLine }

// view is two lines: the prompt, then its error or its hint.
func (p *prompt) view(a *App) []string {
	c := a.c
	s := c.Styles
	first := c.fit(s.Label.Render(p.label)+p.input.View(), c.Width)
	if p.err != "" {
		return []string{first, s.Error.Render(c.fit(sanitize.Line(p.err), c.Width))}
	}
	return []string{first, s.Dim.Render(c.fitWords(p.hint, c.Width))}
}

func (p *prompt) hints(c *Context) []key.Binding {
	k, t := c.Keys, c.T
	out := []key.Binding{short(k.Confirm, t.S("hint.submit")), short(k.Cancel, t.S("hint.cancel"))}
	if p.complete != nil {
		out = append(out, short(k.Complete, t.S("hint.complete")))
	}
	if p.save != nil {
		out = append(out, short(k.SaveView, t.S("hint.save_view")))
	}
	return out
}
