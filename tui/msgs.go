package tui

import (
	"fmt"
	"math/rand/v2"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/model"
)

// Messages that carry store answers back into Update. Every store call runs
// in a tea.Cmd that captures only the fixed *Session and values copied in
// Update; Update itself never touches the database.

// confirmLimit is as far as the Confirm tab counts ("99+"): the count is
// read with the others after every decision, so it stops early.
const confirmLimit = 99

type countsMsg struct {
	counts   model.Counts
	online   int
	matching int // pending posts that pass the filter; -1 with no filter
	confirm  int // what waits in the Confirm queue, up to confirmLimit+1
	err      error
	seq      uint64 // the read's place in the order reads were started
}

// claimedMsg reports new leases: the pending list must be re-read.
type claimedMsg struct {
	n   int
	err error
}

// renewedMsg reports a lease renewal (the session's heartbeat).
type renewedMsg struct{ err error }

type tickMsg struct{}

// decidedMsg reports a committed (or refused) decision or note.
type decidedMsg struct {
	d   model.Decision
	ev  model.Event
	err error
}

// undoPlannedMsg brings what an undo would undo, to confirm or to do.
type undoPlannedMsg struct {
	plan model.UndoPlan
	err  error
}

// undoneMsg reports an undo of one post or of a cluster decision.
type undoneMsg struct {
	plan model.UndoPlan
	n    int
	post model.PostDetail // the first post undone, as it is now
	err  error
}

// matchLimit is how far the header counts the posts that pass a filter.
const matchLimit = 10_000

// Reads run concurrently and can land in any order, and a decision the
// console has already counted (it lowers the pending count when the
// decision is acknowledged) may be in a read started before it. So each
// read is numbered, a read older than the one shown is dropped, and every
// acknowledged decision starts a read of its own: the last read started
// is the last one shown, and it was started after every decision it must
// include. (Without that, a burst of approvals left the count two short
// until the next tick.)
func (a *App) loadCounts(f model.Filter) tea.Cmd {
	a.countsSeq++
	seq, s := a.countsSeq, a.c.Session
	return func() tea.Msg {
		counts, err := s.Store.Counts(s.Ctx)
		if err != nil {
			return countsMsg{err: err, seq: seq}
		}
		m := countsMsg{counts: counts, matching: -1, seq: seq}
		if !f.IsZero() {
			if m.matching, err = s.Store.CountMatching(s.Ctx, f, matchLimit+1); err != nil {
				return countsMsg{err: err, seq: seq}
			}
		}
		if m.confirm, err = s.Store.ToConfirm(s.Ctx, s.Actor(), confirmLimit+1); err != nil {
			return countsMsg{err: err, seq: seq}
		}
		m.online, m.err = s.Store.Online(s.Ctx)
		return m
	}
}

// claim leases up to n more posts that pass f to this session.
func claim(s *Session, f model.Filter, n int) tea.Cmd {
	return func() tea.Msg {
		got, err := s.Store.ClaimMatching(s.Ctx, s.SessionID, n, s.Lease, f)
		return claimedMsg{n: got, err: err}
	}
}

// renew extends the session's leases: at half the lease, working or not, so
// a reviewer reading a long post never loses the batch; it is also the
// session's heartbeat for "online".
func renew(s *Session) tea.Cmd {
	return func() tea.Msg { return renewedMsg{err: s.Store.Renew(s.Ctx, s.SessionID, s.Lease)} }
}

func loadDetail(s *Session, id int64) tea.Cmd {
	return func() tea.Msg {
		p, err := s.Store.Post(s.Ctx, s.Actor(), id)
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
func decide(s *Session, d model.Decision) tea.Cmd {
	return func() tea.Msg {
		ev, err := s.Store.Decide(s.Ctx, d)
		return decidedMsg{d: d, ev: ev, err: err}
	}
}

// claimRefused is a search result the session could not take, and why.
type claimRefused struct{ why model.ClaimOutcome }

func (e claimRefused) Error() string { return fmt.Sprintf("post not claimed (%d)", e.why) }

// claimAndDecide decides a pending post found by search: the session first
// takes the post's lease, which fails if another reviewer has it open.
// A console without a session (a read-only local view) decides without one.
func claimAndDecide(s *Session, d model.Decision) tea.Cmd {
	return func() tea.Msg {
		got, err := s.Store.ClaimPost(s.Ctx, s.SessionID, d.PostID, s.Lease)
		if err == nil && got != model.Claimed && got != model.ClaimNoSession {
			err = claimRefused{got}
		}
		if err != nil {
			return decidedMsg{d: d, err: err}
		}
		ev, err := s.Store.Decide(s.Ctx, d)
		return decidedMsg{d: d, ev: ev, err: err}
	}
}

// planUndo asks what undoing the decision on post (0: the latest) would undo.
func planUndo(s *Session, post int64) tea.Cmd {
	return func() tea.Msg {
		plan, err := s.Store.UndoPlan(s.Ctx, s.Reviewer, post)
		return undoPlannedMsg{plan: plan, err: err}
	}
}

// undoPosts undoes a plan in one transaction and takes the first post back
// into this session's batch if it is pending again.
func undoPosts(s *Session, plan model.UndoPlan) tea.Cmd {
	return func() tea.Msg {
		n, err := s.Store.UndoPosts(s.Ctx, s.Actor(), plan.Posts)
		if err != nil {
			return undoneMsg{plan: plan, err: err}
		}
		p, err := s.Store.Post(s.Ctx, s.Actor(), plan.Posts[0])
		if err == nil && p.Status == model.StatusPending {
			_, err = s.Store.ClaimPost(s.Ctx, s.SessionID, p.ID, s.Lease)
		}
		return undoneMsg{plan: plan, n: n, post: p, err: err}
	}
}
