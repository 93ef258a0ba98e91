package tui

import (
	"charm.land/bubbles/v2/textinput"

	"triage/tui/sanitize"
)

// cleanInput keeps a prompt's value displayable: a value prefilled from the
// database (a saved view's filter) or pasted may hold escapes, controls or
// bidi overrides, and a text input draws its value as it is. They become the
// sanitiser's visible placeholders, in the value itself, so what the
// reviewer sees is what will be used.
func cleanInput(m *textinput.Model) {
	if v := m.Value(); sanitize.Line(v) != v {
		m.SetValue(sanitize.Line(v))
		m.CursorEnd()
	}
}
