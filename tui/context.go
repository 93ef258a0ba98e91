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
	Role     model.Role
	Session  string // the session id that holds this console's leases
	KeyFP    string // the SSH key's fingerprint; "local:ACCOUNT" for a console opened on this machine
	Lease    time.Duration
	Policy   *model.Policy
	Store    Store
	Keys     KeyMap
	Styles   Styles
	Now      func() time.Time
	Width    int
	Height   int
	// Filter narrows every queue and the claims; View names it when it came
	// from a saved view.
	Filter model.Filter
	View   string
}

// Actor is who this console acts as, for the store.
func (c *Context) Actor() model.Actor {
	return model.Actor{Reviewer: c.Reviewer, Session: c.Session, KeyFP: c.KeyFP}
}

// Options start a console session.
type Options struct {
	Reviewer string
	Role     model.Role // "" means reviewer
	Session  string     // from the store's StartSession; "" works without leases (tests of views only)
	KeyFP    string
	Lease    time.Duration // 0 means 10 minutes
	Policy   *model.Policy
	Store    Store
	Now      func() time.Time // nil: time.Now
	// View opens the console with a saved view applied.
	View model.View
	// Refresh is how often the header counts and the list are re-read
	// without a key press; 0 means every 3 seconds.
	Refresh time.Duration
}
