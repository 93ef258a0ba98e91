package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// overlay is a component that has the focus while it is open: a picker, a
// prompt, a confirmation, the help or the stats view. It takes the keys,
// draws itself in its place, and has its own help (bubbles' help.KeyMap), so
// `?` and the hint line always describe what has the focus. The root only
// routes messages to it and lays it out.
type overlay interface {
	// key handles one key press; done reports that the overlay closed.
	key(a *App, msg tea.KeyPressMsg) (cmd tea.Cmd, done bool)
	// update gets the other messages while it is open (paste, blink).
	update(a *App, msg tea.Msg) tea.Cmd
	// view draws it, sized for its place.
	view(a *App) []string
	place() place
	// hints are its keys for the hint line, in the reader's language.
	hints(c *Context) []key.Binding
}

// place is where an overlay draws.
type place int

const (
	placeBox  place = iota // a box over the top of the detail pane
	placeLine              // the status line (a prompt)
	placeBody              // the whole body between header and status (help, stats)
)
