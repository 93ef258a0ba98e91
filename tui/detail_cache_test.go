package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
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
