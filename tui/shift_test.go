package tui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/model"
)

// Undo is the reviewer's tool: in My decisions u undoes the selected
// decision; undone ones stay in the list, marked; a cluster decision is
// undone whole after one confirmation.
func TestUndoInMyDecisionsAndWholeClusters(t *testing.T) {
	st := demoStore(t, 300, 7)
	c := startConsoleWith(t, st, 120, 40, "alice", readsAll)
	c.waitFor("300 pending", "AGE PL")
	c.typeKeys("a")
	c.waitFor("Approved #", "1 decided this session")
	c.typeKeys("a")
	c.waitFor("2 decided this session")
	c.typeKeys("\t") // My decisions, newest first
	c.waitFor("DECISION", "in force")
	c.typeKeys("j") // the older decision
	scr := c.waitStable()
	older := selectedID(t, scr)
	c.typeKeys("u")
	c.waitFor(fmt.Sprintf("Undone: #%d is pending again", older), "undone", "1 decided this session")
	if evs := events(t, st, older); len(evs) != 2 || evs[1].Action != model.ActionUndo {
		t.Fatalf("#%d events %+v", older, evs)
	}
	c.typeKeys("u") // the same row again: it is no longer in force
	c.waitFor("is no longer in force: undone")

	// A cluster decision, then u: one confirmation, every post back.
	c.typeKeys("\t\t") // past Confirm, back to Pending
	c.waitFor("AGE PL CATEGORY")
	c.typeKeys("g")
	c.waitStable()
	scr = c.waitStable()
	if !strings.Contains(strings.Split(scr, "\n")[2], "×") {
		t.Fatalf("the demo's first post (seed 7) has no cluster, so the cluster undo cannot be tried:\n%s", scr)
	}
	c.typeKeys("Ca")
	c.waitFor("y confirms")
	c.typeKeys("y")
	s := c.waitFor("posts of the cluster")
	var n int
	fmt.Sscanf(s[strings.Index(s, "Approved ")+len("Approved "):], "%d", &n)
	if n < 2 {
		t.Fatalf("cluster decision decided %d:\n%s", n, s)
	}
	c.typeKeys("u")
	c.waitFor(fmt.Sprintf("Undo the whole cluster decision: %d", n))
	c.typeKeys("y")
	c.waitFor(fmt.Sprintf("Undone: %d posts of the cluster decision", n))
}

// The filter bar refuses values that match nothing, suggests the one meant,
// and completes values with tab.
func TestFilterBarChecksAndCompletes(t *testing.T) {
	st := demoStore(t, 300, 7)
	c := startConsole(t, st, 120, 40, "alice")
	c.waitFor("300 pending", "AGE PL")
	c.typeKeys("f")
	c.waitFor("Filter:")
	c.typeKeys("category:drug\r")
	c.waitFor("category:drug — no such category in the policy; did you mean drugs?")
	c.typeKeys("\x15platform:fb\r")
	c.waitFor("platform:fb — no such platform in the database; did you mean facebook?")
	c.typeKeys("\x15platform:fa\t")
	c.waitFor("Filter: platform:facebook")
	c.typeKeys("\r")
	c.waitFor("[filter: platform:facebook]", "of 300 pending")
}

// X shows sensitive posts for the rest of the session, and says so.
func TestRevealToggle(t *testing.T) {
	st := demoStore(t, 100, 7)
	c := startConsole(t, st, 120, 40, "alice")
	c.waitFor("100 pending", "AGE PL")
	c.typeKeys("X")
	s := c.waitFor("sensitive shown")
	if strings.Contains(s, "the text is hidden") {
		t.Fatalf("X left a post hidden:\n%s", s)
	}
	c.typeKeys("X")
	c.waitFor("Sensitive posts are collapsed again.")
}

// Three consoles connected: three online, without anyone pressing a key.
func TestOnlineCountsConnectedSessions(t *testing.T) {
	st := demoStore(t, 60, 3)
	var cs []*console
	for _, who := range []string{"ann", "bea", "cid"} {
		cs = append(cs, startConsole(t, st, 120, 40, who))
	}
	for _, c := range cs {
		c.waitFor("AGE PL")
	}
	// The counts are read at start and on every refresh; a fresh console
	// reads them once its size is known.
	c := startConsole(t, st, 120, 40, "dov")
	c.waitFor("4 online")
}

// The session renews its leases at half the lease (and its heartbeat) on
// the refresh tick, working or not.
func TestLeasesRenewWhileIdle(t *testing.T) {
	f := newFakeStore(20)
	var mu sync.Mutex
	now := fixedNow
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	renews := 0
	rs := &renewCounter{fakeStore: f, n: &renews}
	a := New(context.Background(), Options{Reviewer: "alice", Session: "s1", Store: rs, Now: clock, Lease: time.Minute, Refresh: time.Hour})
	drive(a, tea.WindowSizeMsg{Width: 120, Height: 40})
	for i := 0; i < 12; i++ { // two minutes of ticks, ten seconds apart, no key pressed
		mu.Lock()
		now = now.Add(10 * time.Second)
		mu.Unlock()
		refreshOnce(a)
	}
	if renews < 6 {
		t.Fatalf("%d renewals in two idle minutes with a one-minute lease", renews)
	}
}

// refreshOnce runs one refresh tick and applies what the store answers.
// Every command of a tick but one is the store's and answers at once; the
// one left is the refresh timer's, which waits an hour (the tests'
// Refresh) and is not waited for.
func refreshOnce(a *App) {
	a.c.tickFrame()
	var cmds []tea.Cmd
	for _, c := range a.tick() {
		if c != nil {
			cmds = append(cmds, c)
		}
	}
	answers := make(chan tea.Msg, len(cmds))
	for _, cmd := range cmds {
		go func() { answers <- cmd() }()
	}
	for range len(cmds) - 1 {
		select {
		case m := <-answers:
			drive(a, m)
		case <-time.After(time.Minute): // a hang, not a slow machine
			return
		}
	}
}

type renewCounter struct {
	*fakeStore
	n *int
}

func (r *renewCounter) Renew(context.Context, string, time.Duration) error { *r.n++; return nil }

// The URL line is an OSC 8 hyperlink built from the validated URL; a URL
// with controls in it is never one.
func TestURLIsAHyperlink(t *testing.T) {
	f := newFakeStore(3)
	f.posts[1].URL = "https://vk.com/\u202egpj.exe"
	a := fakeApp(t, f, 120, 40)
	drive(a, tea.KeyPressMsg{Code: tea.KeyEnter})
	if out := a.View().Content; !strings.Contains(out, "\x1b]8;;https://vk.com/wall-1") {
		t.Fatalf("no hyperlink on the URL line:\n%q", out)
	}
	drive(a, tea.KeyPressMsg{Code: 'j', Text: "j"})
	if out := a.View().Content; strings.Contains(out, "\x1b]8;;https://vk.com/\u202e") || !strings.Contains(out, "⟨RLO⟩") {
		t.Fatalf("a URL with a bidi override became a link, or lost its placeholder")
	}
}

// A URL longer than a hyperlink or clipboard sequence may carry is neither
// linked nor copied, and in the pane it is cut to one line with an
// ellipsis; `y` on a normal URL says where it went, and that the terminal
// may ignore it.
func TestLongURLIsCutNotLinkedNotCopied(t *testing.T) {
	f := newFakeStore(3)
	long := "https://vk.com/" + strings.Repeat("a", 3000)
	f.posts[1].URL = long
	a := fakeApp(t, f, 160, 40)
	drive(a, tea.KeyPressMsg{Code: 'y', Text: "y"})
	if out := a.View().Content; !strings.Contains(out, "terminal's clipboard (a terminal may ignore it)") {
		t.Fatalf("y on a short URL:\n%s", strings.Join(screen(a), "\n"))
	}
	drive(a, tea.KeyPressMsg{Code: 'j', Text: "j"})
	if strings.Contains(a.View().Content, "\x1b]8;;https://vk.com/aaa") {
		t.Fatal("a 3,000-byte URL became a hyperlink")
	}
	rows := 0
	for _, l := range screen(a) {
		if strings.Contains(l, "aaaaaaaa") {
			rows++
			if !strings.Contains(l, "…") {
				t.Fatalf("the URL is not cut: %q", l)
			}
		}
	}
	if rows != 1 {
		t.Fatalf("the URL takes %d rows of the pane", rows)
	}
	_, cmd := a.Update(tea.KeyPressMsg{Code: 'y', Text: "y"})
	for _, m := range runCmd(cmd) {
		if fmt.Sprintf("%T", m) == "tea.setClipboardMsg" {
			t.Fatal("a 3,000-byte URL was sent to the clipboard")
		}
	}
	if s := strings.Join(screen(a), "\n"); !strings.Contains(s, "too long to copy") {
		t.Fatalf("y on a long URL:\n%s", s)
	}
	// The full-screen reader shows all of it.
	drive(a, tea.KeyPressMsg{Code: tea.KeyEnter})
	if n := strings.Count(strings.Join(screen(a), ""), "a"); n < 3000 {
		t.Fatalf("the reader shows %d of the URL's 3,000 a's", n)
	}
}

// Wrapping never breaks a code or a hyphenated name at its hyphen.
func TestWrapKeepsHyphenatedCodesWhole(t *testing.T) {
	a := fakeApp(t, newFakeStore(3), 80, 24)
	for _, w := range []int{10, 15, 22, 30} {
		for _, line := range a.c.wrap("escalate ESC-CAMP by trusted-flagger:ngo-digital REC-GLO", w) {
			for _, part := range []string{"ESC-", "trusted-", "REC-"} {
				if strings.HasSuffix(strings.TrimSpace(line), part) {
					t.Fatalf("width %d: a line ends in %q: %q", w, part, line)
				}
			}
		}
	}
}
