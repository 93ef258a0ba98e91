package tui

import (
	"context"
	"time"

	"triage/model"
	"triage/tui/i18n"
)

// Session is what never changes in one console session: who it is, with
// what rights, against which store, policy, clock and lease. Commands (which
// run outside Update) capture it, and only it: they never see the layout or
// filter state that Update changes.
type Session struct {
	Ctx       context.Context // the session's lifetime; reads stop with it, commits do not
	Reviewer  string
	Role      model.Role
	SessionID string // the store session that holds this console's leases
	KeyFP     string // the SSH key's fingerprint; "local:ACCOUNT" for a console opened on this machine
	Store     Store
	Policy    *model.Policy
	Clock     func() time.Time
	Lease     time.Duration
	Batch     int           // posts held at a time
	Refresh   time.Duration // how often counts and lists are re-read unasked
	// SaveSetting keeps one of the reviewer's settings where they live
	// (their record, or a local config file); nil: they last for this
	// session. SettingsHome says where (SettingsInDatabase, or the file).
	SaveSetting  func(name, value string) error
	SettingsHome string
}

// SettingsInDatabase is SettingsHome for a registered reviewer: their
// settings follow them to any server on the database.
const SettingsInDatabase = "database"

// Actor is who this console acts as, for the store.
func (s *Session) Actor() model.Actor {
	return model.Actor{Reviewer: s.Reviewer, Session: s.SessionID, KeyFP: s.KeyFP}
}

// Lead reports whether the session has a lead's rights.
func (s *Session) Lead() bool { return s.Role == model.RoleLead }

// Context is one console's state that components share: the fixed Session,
// and what only Update changes — size, styles, keys, filter, view and the
// frame's clock. Each session (each SSH connection) has its own.
type Context struct {
	*Session
	T             *i18n.T        // the reader's language
	Settings      model.Settings // the reviewer's own, as in force
	Keys          KeyMap
	Styles        Styles
	Width, Height int
	// Filter narrows every queue and the claims; View names it when it came
	// from a saved view.
	Filter model.Filter
	View   string
	// RevealSensitive shows sensitive posts' text for the rest of the
	// session; Revealed the posts whose text the reviewer chose to see.
	RevealSensitive bool
	Revealed        map[int64]bool
	// Graphemes is set once the terminal says it measures grapheme clusters
	// (mode 2027); until then widths are per code point (measure.go).
	Graphemes bool
	// ageCol is the list's age column for the language it was measured in.
	ageCol struct {
		t *i18n.T
		w int
	}
	// frame is the time every age on one frame is measured from, so the
	// list and the detail never disagree by the time it took to draw.
	frame time.Time
}

// Now is the current frame's time.
func (c *Context) Now() time.Time {
	if c.frame.IsZero() {
		return c.Clock()
	}
	return c.frame
}

// tickFrame starts a new frame's clock: once per Update.
func (c *Context) tickFrame() { c.frame = c.Clock() }

// Options start a console session.
type Options struct {
	Reviewer string
	Role     model.Role // "" means reviewer
	Session  string     // from the store's StartSession; "" works without leases (tests of views only)
	KeyFP    string
	Lease    time.Duration // 0 means model.DefaultLease
	Policy   *model.Policy
	Store    Store
	Now      func() time.Time // nil: time.Now
	// View opens the console with a saved view applied.
	View model.View
	// Refresh is how often the header counts and the list are re-read
	// without a key press; 0 means model.RefreshEvery.
	Refresh time.Duration
	// Lang is --lang: it wins over the reviewer's setting for this
	// session. Locale is the language of the terminal's locale (LANG, the
	// LC_* an SSH client sends): it comes after the setting.
	Lang, Locale string
	// Settings are the reviewer's own; SaveSetting keeps a change made in
	// the console (nil: it lasts for the session), in SettingsHome.
	Settings     model.Settings
	SaveSetting  func(name, value string) error
	SettingsHome string
}

// session builds the fixed part of a console from its options.
func (opt Options) session(ctx context.Context) *Session {
	s := &Session{Ctx: ctx, Reviewer: opt.Reviewer, Role: opt.Role, SessionID: opt.Session, KeyFP: opt.KeyFP,
		Store: opt.Store, Policy: opt.Policy, Clock: opt.Now, Lease: opt.Lease, Batch: model.ClaimBatch, Refresh: opt.Refresh,
		SaveSetting: opt.SaveSetting, SettingsHome: opt.SettingsHome}
	if s.Clock == nil {
		s.Clock = time.Now
	}
	if s.Refresh <= 0 {
		s.Refresh = model.RefreshEvery
	}
	if s.Lease <= 0 {
		s.Lease = model.DefaultLease
	}
	if s.Policy == nil {
		s.Policy = model.DefaultPolicy()
	}
	if s.Role == "" {
		s.Role = model.RoleReviewer
	}
	return s
}
