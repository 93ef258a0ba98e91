package tui

import (
	"context"
	"time"

	"triage/model"
)

// Context is what every component of one console session shares. Each
// session (each SSH connection) has its own; nothing here is global.
type Context struct {
	Ctx      context.Context // the session's lifetime; reads stop with it, commits do not
	Reviewer string
	KeyFP    string // the SSH key's fingerprint, empty for local sessions
	Policy   *model.Policy
	Store    Store
	Keys     KeyMap
	Styles   Styles
	Now      func() time.Time
	Width    int
	Height   int
}

// Options start a console session.
type Options struct {
	Reviewer string
	KeyFP    string
	Policy   *model.Policy
	Store    Store
	Now      func() time.Time // nil: time.Now
	// Refresh is how often the header counts and the list are re-read
	// without a key press; 0 means every 3 seconds.
	Refresh time.Duration
}
