package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// A counts read started before a decision, which lands after the decision
// is stored but before the console hears of it, already holds that
// decision: the header must not count it twice. (A burst of approvals over
// SQLite left the header two short until the next tick.)
func TestACountsReadHoldingADecisionDoesNotCountItTwice(t *testing.T) {
	f := newFakeStore(20)
	a := fakeAppWith(t, f, 120, 40, readsAll)
	if got := screen(a)[0]; !strings.Contains(got, "20 pending") {
		t.Fatalf("before: %q", got)
	}
	early := a.loadCounts(a.c.Filter) // on its way before the key
	_, cmd := a.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
	acks := runCmd(cmd) // stored; the console has not heard yet
	drive(a, early())   // the early read lands, the approval in it
	for _, m := range acks {
		drive(a, m)
	}
	if got := screen(a)[0]; !strings.Contains(got, "19 pending") {
		t.Fatalf("after one approval the header says %q, want 19 pending", got)
	}
	// A read older than the one shown is dropped when it lands late.
	stale := a.loadCounts(a.c.Filter)
	msg := stale()
	drive(a, a.loadCounts(a.c.Filter)())
	f.mu.Lock()
	f.posts = f.posts[:len(f.posts)-1] // what the stale read saw no longer holds
	f.mu.Unlock()
	drive(a, a.loadCounts(a.c.Filter)())
	drive(a, msg)
	if got := screen(a)[0]; !strings.Contains(got, "18 pending") {
		t.Fatalf("a stale read landing last left the header at %q, want 18 pending", got)
	}
}
