package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"triage/model"
)

// Moving to the next post shows it in the frame that answers the key, not
// in a second frame after a read; and what was shown from memory is
// replaced as soon as the fresh read finds the post changed.
func TestMovingShowsTheNextPostAtOnceAndThenItsFreshState(t *testing.T) {
	f := newFakeStore(20)
	a := fakeApp(t, f, 120, 40)
	if !strings.Contains(shown(a), "author-1 ·") {
		t.Fatalf("first post not shown:\n%s", shown(a))
	}
	// The key alone, its commands not yet run: the frame it draws.
	_, cmd := a.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	if got := shown(a); !strings.Contains(got, "author-2 ·") {
		t.Fatalf("the frame after j does not show post 2:\n%s", got)
	}
	for _, m := range runCmd(cmd) {
		drive(a, m)
	}
	f.mu.Lock()
	f.posts[0].Author = "renamed-1" // changed since the console read it
	f.mu.Unlock()
	_, cmd = a.Update(tea.KeyPressMsg{Code: 'k', Text: "k"})
	if got := shown(a); !strings.Contains(got, "author-1 ·") {
		t.Fatalf("the frame after k does not show post 1 at once:\n%s", got)
	}
	for _, m := range runCmd(cmd) {
		drive(a, m)
	}
	if got := shown(a); !strings.Contains(got, "renamed-1") || strings.Contains(got, "author-1 ·") {
		t.Fatalf("the fresh read of post 1 did not replace what was shown:\n%s", got)
	}
}

func shown(a *App) string { return strings.Join(screen(a), "\n") }

// A post on screen that changed elsewhere is shown as it is now within a
// refresh, without the reviewer moving.
func TestTheShownPostFollowsChangesElsewhere(t *testing.T) {
	f := newFakeStore(5)
	a := fakeApp(t, f, 120, 40)
	if !strings.Contains(shown(a), "author-1 · flagged 1m ago · S3×1 ") {
		t.Fatalf("first post not shown with its one report:\n%s", shown(a))
	}
	f.mu.Lock()
	f.posts[0].Reports = 7 // re-flagged by an import meanwhile
	f.mu.Unlock()
	refreshOnce(a)
	if got := shown(a); !strings.Contains(got, "author-1 · flagged 1m ago · S3×7") {
		t.Fatalf("after a refresh the pane still shows the old report count:\n%s", got)
	}
}

// An undo typed right after a decision, before its commit is back, undoes
// that decision — not the one before it.
func TestUndoWaitsForTheDecisionStillSaving(t *testing.T) {
	f := newFakeStore(5)
	a := fakeAppWith(t, f, 120, 40, readsAll)
	drive(a, tea.KeyPressMsg{Code: 'a', Text: "a"}) // #1, committed
	_, decide := a.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
	_, undo := a.Update(tea.KeyPressMsg{Code: 'u', Text: "u"})
	for _, m := range append(runCmd(undo), runCmd(decide)...) {
		drive(a, m)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.posts[0].Status != model.StatusApproved || f.posts[1].Status != model.StatusPending {
		t.Fatalf("after a, a, u: #1 %s, #2 %s; want #1 approved and #2 back to pending", f.posts[0].Status, f.posts[1].Status)
	}
}
