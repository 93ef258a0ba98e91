package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/model"
)

func press(a *App, s string) {
	for _, r := range s {
		drive(a, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

var (
	ctrlB = tea.KeyPressMsg{Code: 'b', Mod: tea.ModCtrl}
	enter = tea.KeyPressMsg{Code: tea.KeyEnter}
)

// ctrl+b hides every post, every name and every count; nothing is read,
// renewed or decided while it lasts; the leases are stretched over the
// break's length when it begins, and renewed at once when it ends, with the
// same batch on screen.
func TestBreakHidesEverythingAndKeepsTheBatch(t *testing.T) {
	f := newFakeStore(30)
	reads := 0
	f.pageHook = func(model.PageQuery) { reads++ }
	a := fakeApp(t, f, 120, 40)
	press(a, "X") // sensitive posts shown: the break must hide them too
	before := shown(a)
	if !strings.Contains(before, "post number 1,") || !strings.Contains(before, "author-1") {
		t.Fatalf("the first post is not on screen:\n%s", before)
	}
	rows := len(a.pending().rows)

	drive(a, ctrlB)
	s := shown(a)
	for _, hidden := range []string{"post number", "author-", "alice", "pending", "#1"} {
		if strings.Contains(s, hidden) {
			t.Fatalf("the break screen shows %q:\n%s", hidden, s)
		}
	}
	if !strings.Contains(s, "On a break") || !strings.Contains(s, "kept for you for another 15:00") {
		t.Fatalf("no break screen:\n%s", s)
	}
	if n := len(f.renews); n == 0 || f.renews[n-1] != 15*time.Minute {
		t.Fatalf("the break did not stretch the leases to its length: renewals %v", f.renews)
	}
	renews, readsBefore := len(f.renews), reads
	refreshOnce(a)
	press(a, "aj") // stray keys decide nothing and do not end the break
	if len(f.renews) != renews || reads != readsBefore || len(f.decided) != 0 {
		t.Fatalf("during the break: %d renewals, %d reads, %d decisions", len(f.renews)-renews, reads-readsBefore, len(f.decided))
	}
	if !strings.Contains(shown(a), "On a break") {
		t.Fatal("a stray key ended the break")
	}

	drive(a, enter)
	if n := len(f.renews); n == renews || f.renews[n-1] != model.DefaultLease {
		t.Fatalf("ending the break did not renew the leases at once: %v", f.renews)
	}
	after := shown(a)
	if !strings.Contains(after, "post number 1,") || len(a.pending().rows) != rows {
		t.Fatalf("after the break the batch is not back (%d rows, had %d):\n%s", len(a.pending().rows), rows, after)
	}
}

// Past the policy's limit of sensitive reveals the status line suggests a
// break (it does not force one), and the session's reveals reach the store
// on the next refresh.
func TestBreakIsSuggestedPastTheRevealLimit(t *testing.T) {
	f := newFakeStore(30)
	pol := model.DefaultPolicy()
	pol.Care.BreakAfterReveals = 2
	a := fakeAppWith(t, f, 120, 40, func(o *Options) { o.Policy = pol })
	refreshOnce(a) // the first refresh starts the exposure count
	press(a, " ")  // post 1 (recruitment) shown
	if strings.Contains(shown(a), "take") {
		t.Fatalf("a break suggested after one reveal:\n%s", shown(a))
	}
	press(a, "j ") // post 2 (drugs) shown
	press(a, "j")  // post 3 is not sensitive
	s := screen(a)
	status := s[len(s)-2]
	if !strings.Contains(status, "2 sensitive posts read this session") || !strings.Contains(status, "ctrl+b") {
		t.Fatalf("no break suggested after two reveals; status line %q", status)
	}
	refreshOnce(a)
	if f.exposure.Reveals != 2 {
		t.Fatalf("the store was told of %d reveals, want 2", f.exposure.Reveals)
	}
}

// Ninety minutes without a break (the policy's default) suggests one too.
func TestBreakIsSuggestedAfterTheTimeLimit(t *testing.T) {
	now := fixedNow
	a := fakeAppWith(t, newFakeStore(10), 120, 40, func(o *Options) { o.Now = func() time.Time { return now } })
	a.Init()
	now = now.Add(89 * time.Minute)
	drive(a, tea.KeyPressMsg{Code: 'j', Text: "j"})
	if s := screen(a); strings.Contains(s[len(s)-2], "without a break") {
		t.Fatalf("suggested at 89 minutes: %q", s[len(s)-2])
	}
	now = now.Add(2 * time.Minute)
	drive(a, tea.KeyPressMsg{Code: 'k', Text: "k"})
	if s := screen(a); !strings.Contains(s[len(s)-2], "91 minutes without a break") {
		t.Fatalf("not suggested at 91 minutes: %q", s[len(s)-2])
	}
}

// A post of a category a lead excluded for this reviewer, met in search
// results, stays collapsed and cannot be decided or revealed.
func TestExcludedCategoryShowsCollapsed(t *testing.T) {
	f := newFakeStore(10)
	a := fakeAppWith(t, f, 120, 40, func(o *Options) { o.Settings.Exclude = []string{"recruitment"} })
	s := shown(a)
	if strings.Contains(s, "post number 1,") || !strings.Contains(s, "excluded this category for you") {
		t.Fatalf("post 1 (recruitment) is not collapsed:\n%s", s)
	}
	press(a, " a")
	if strings.Contains(shown(a), "post number 1,") || len(f.decided) != 0 {
		t.Fatalf("an excluded post was revealed or decided (%d decisions):\n%s", len(f.decided), shown(a))
	}
	if s := screen(a); !strings.Contains(s[len(s)-2], "excluded for you") {
		t.Fatalf("the refusal does not say why: %q", s[len(s)-2])
	}
}

// A break's reveals are behind it: the suggestion does not come back at
// once; and ctrl+b takes a break from help, stats or a picker too.
func TestBreakFromAnywhereAndTheBannerStartsAgain(t *testing.T) {
	pol := model.DefaultPolicy()
	pol.Care.BreakAfterReveals = 1
	a := fakeAppWith(t, newFakeStore(30), 120, 40, func(o *Options) { o.Policy = pol })
	press(a, " ")
	if s := screen(a); !strings.Contains(s[len(s)-2], "ctrl+b") {
		t.Fatalf("no suggestion after the limit: %q", s[len(s)-2])
	}
	press(a, "?")
	drive(a, ctrlB)
	if !strings.Contains(shown(a), "On a break") {
		t.Fatalf("ctrl+b from help did not take a break:\n%s", shown(a))
	}
	drive(a, enter)
	press(a, "k")
	if s := screen(a); strings.Contains(s[len(s)-2], "ctrl+b") {
		t.Fatalf("the suggestion is back right after the break: %q", s[len(s)-2])
	}
}

// What a short session read reaches the store when the console ends,
// before any refresh.
func TestExposureIsRecordedWhenTheConsoleEnds(t *testing.T) {
	f := newFakeStore(30)
	a := fakeApp(t, f, 120, 40)
	a.Init()
	press(a, "X")
	if err := a.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if f.exposure.Reveals == 0 {
		t.Fatal("a session that showed sensitive posts recorded none")
	}
}

// An exclusion a lead makes while the console is open collapses the post
// at the next refresh.
func TestExclusionMadeWhileOpenCollapsesAtOnce(t *testing.T) {
	f := newFakeStore(10)
	a := fakeApp(t, f, 120, 40)
	press(a, "X")
	if !strings.Contains(shown(a), "post number 1,") {
		t.Fatalf("post 1 not shown:\n%s", shown(a))
	}
	f.mu.Lock()
	f.exclude = []string{"recruitment"}
	f.mu.Unlock()
	refreshOnce(a)
	if s := shown(a); strings.Contains(s, "post number 1,") || !strings.Contains(s, "excluded this category for you") {
		t.Fatalf("the newly excluded post is still shown:\n%s", s)
	}
}
