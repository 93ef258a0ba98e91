package tui

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/model"
)

// Messages that carry store answers back into Update. Every store call runs
// in a tea.Cmd; Update itself never touches the database.

type countsMsg struct {
	counts model.Counts
	online int
	err    error
}

// claimedMsg reports new leases: the pending list must be re-read.
type claimedMsg struct {
	n   int
	err error
}

type tickMsg struct{}

// decidedMsg reports a committed (or refused) decision or note.
type decidedMsg struct {
	d   model.Decision
	ev  model.Event
	err error
}

// undoneMsg reports an undo; post is the post back in the queue.
type undoneMsg struct {
	post model.PostDetail
	err  error
}

var errNothingToUndo = errors.New("nothing to undo: none of your decisions is still in force")

func loadCounts(c *Context) tea.Cmd {
	return func() tea.Msg {
		counts, err := c.Store.Counts(c.Ctx)
		if err != nil {
			return countsMsg{err: err}
		}
		online, err := c.Store.Online(c.Ctx)
		return countsMsg{counts: counts, online: online, err: err}
	}
}

// claim leases n more posts to this session, after renewing what it holds
// when renew is set (the reviewer has been active).
func claim(c *Context, n int, renew bool) tea.Cmd {
	f := c.Filter
	return func() tea.Msg {
		if renew {
			if err := c.Store.Renew(c.Ctx, c.Session, c.Lease); err != nil {
				return claimedMsg{err: err}
			}
		}
		got, err := c.Store.ClaimMatching(c.Ctx, c.Session, n, c.Lease, f)
		return claimedMsg{n: got, err: err}
	}
}

func loadDetail(c *Context, id int64) tea.Cmd {
	return func() tea.Msg {
		p, err := c.Store.Post(c.Ctx, c.Actor(), id)
		return detailMsg{id: id, post: p, err: err}
	}
}

// tick schedules the next refresh. Each one is jittered by up to a fifth so
// that many sessions started together do not all hit the store in step.
func tick(every time.Duration) tea.Cmd {
	d := every - every/10 + time.Duration(rand.Int64N(int64(every/5)+1))
	return tea.Tick(d, func(time.Time) tea.Msg { return tickMsg{} })
}

// decide commits in a command. The store detaches the commit from the
// session's cancellation, so a disconnect cannot undo it half-way.
func decide(c *Context, d model.Decision) tea.Cmd {
	return func() tea.Msg {
		ev, err := c.Store.Decide(c.Ctx, d)
		return decidedMsg{d: d, ev: ev, err: err}
	}
}

// claimAndDecide decides a pending post found by search: the session first
// takes the post's lease, which fails if another reviewer has it open.
func claimAndDecide(c *Context, d model.Decision) tea.Cmd {
	return func() tea.Msg {
		ok, err := c.Store.ClaimPost(c.Ctx, c.Session, d.PostID, c.Lease)
		if err == nil && !ok && c.Session != "" {
			err = fmt.Errorf("post %d: another reviewer has it open, or it was decided meanwhile", d.PostID)
		}
		if err != nil {
			return decidedMsg{d: d, err: err}
		}
		ev, err := c.Store.Decide(c.Ctx, d)
		return decidedMsg{d: d, ev: ev, err: err}
	}
}

func undoLast(c *Context) tea.Cmd {
	return func() tea.Msg {
		id, err := c.Store.LastUndoable(c.Ctx, c.Reviewer)
		if err != nil {
			return undoneMsg{err: err}
		}
		if id == 0 {
			return undoneMsg{err: errNothingToUndo}
		}
		if _, err := c.Store.Decide(c.Ctx, model.Decision{PostID: id, Actor: c.Actor(), Action: model.ActionUndo}); err != nil {
			return undoneMsg{err: err}
		}
		p, err := c.Store.Post(c.Ctx, c.Actor(), id)
		if err == nil && p.Status == model.StatusPending {
			_, err = c.Store.ClaimPost(c.Ctx, c.Session, id, c.Lease)
		}
		return undoneMsg{post: p, err: err}
	}
}
