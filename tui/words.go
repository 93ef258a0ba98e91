package tui

import (
	"errors"
	"time"

	"triage/model"
	"triage/tui/sanitize"
)

// The domain's words as this console's reader reads them. The store and
// the audit keep the English codes (approve, pending); only the screen
// translates them.

func (c *Context) statusWord(s model.Status) string { return c.T.S("status." + string(s)) }

func (c *Context) actionWord(a model.Action) string { return c.T.S("action." + string(a)) }

func (c *Context) tabName(q model.Queue) string { return c.T.S("tab." + string(q)) }

// label is a policy label in the reader's language, else the policy's own.
func (c *Context) label(t model.Text) string { return t.In(c.T.Lang()) }

// laterWord says, in My decisions, what became of a decision: "in force", or
// what changed it since and who.
func (c *Context) laterWord(it model.Item) string {
	ch := it.Later
	switch {
	case ch == nil && it.Status == model.StatusAwaiting:
		return c.T.S("later.awaiting")
	case ch == nil:
		return c.T.S("later.in_force")
	case ch.Action == model.ActionUndo:
		return c.T.S("later.undone")
	case ch.Action == model.ActionReturn:
		return c.T.S("later.sent_back")
	case ch.Action == model.ActionRetract:
		return c.T.S("later.retracted")
	case ch.Action == model.ActionReopen:
		return c.T.S("later.reopened")
	case ch.Action == model.ActionConfirm:
		return c.T.S("later.confirmed", sanitize.Line(ch.By))
	case ch.Action == model.ActionDisagree:
		return c.T.S("later.disagreed", sanitize.Line(ch.By))
	}
	return c.T.S("later.by", c.statusWord(ch.Action.Result()), sanitize.Line(ch.By))
}

// age is a compact "how long ago": 45s, 12m, 3h, 5d (in the reader's
// units).
func (c *Context) age(t time.Time) string {
	d := c.Now().Sub(t)
	switch {
	case d < time.Minute:
		return c.T.S("age.seconds", max(0, int(d.Seconds())))
	case d < time.Hour:
		return c.T.S("age.minutes", int(d.Minutes()))
	case d < 48*time.Hour:
		return c.T.S("age.hours", int(d.Hours()))
	}
	return c.T.S("age.days", int(d.Hours()/24))
}

// errText is a store error as the reader reads it: the refusals a reviewer
// meets every day in their language, anything else as the store said it
// (sanitised: it may quote a post's bytes).
func (c *Context) errText(err error) string {
	var na model.ErrNotAllowed
	switch {
	case errors.As(err, &na) && na.LeadsOnly:
		return c.T.S("err.leads_only")
	case errors.As(err, &na) && na.Action.IsDecision():
		return c.T.S("err.already_decided", c.statusWord(na.From))
	}
	var cr claimRefused
	if errors.As(err, &cr) {
		return c.claimText(cr.why)
	}
	if errors.Is(err, model.ErrHoldingLimit) {
		return c.claimText(model.ClaimOverLimit)
	}
	return sanitize.Line(err.Error())
}

// claimText says why a post could not be taken into the session.
func (c *Context) claimText(why model.ClaimOutcome) string {
	switch why {
	case model.ClaimHeld:
		return c.T.S("err.claim_held")
	case model.ClaimNotPending:
		return c.T.S("err.claim_not_pending")
	case model.ClaimKeptFromYou:
		return c.T.S("err.claim_kept")
	case model.ClaimOverLimit:
		return c.T.S("err.claim_limit", c.Policy.Limits.Posts())
	}
	return c.T.S("err.claim_no_session")
}

// colAge is the list's age column: four cells, or what the reader's units
// need at their widest (47 hours is the longest hour count age shows) and
// a cell to keep them off the SLA mark, so the columns after it never move.
// It is measured once per language: every row of every frame asks.
func (c *Context) colAge() int {
	if c.ageCol.t != c.T {
		c.ageCol.t, c.ageCol.w = c.T, max(4, c.cellWidth(c.T.S("age.hours", 47))+1, c.cellWidth(c.T.S("col.age")))
	}
	return c.ageCol.w
}
